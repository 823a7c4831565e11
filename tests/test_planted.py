"""Planted-reuse corpus: the generator's truth holds, and the LSH scan finds the planted pairs."""

from __future__ import annotations

from benchmarks.planted import PlantedConfig, generate, generate_with_background, truth_pairs
from benchmarks.quality import evaluate, found_pairs
from reuse.config import ScanConfig


def test_generator_is_deterministic_and_truth_offsets_quote_the_copy() -> None:
    cfg = PlantedConfig(docs=60, seed=3)
    records, truth = generate(cfg)
    again, truth2 = generate(cfg)
    assert records == again and truth == truth2
    assert len(truth) == 6  # 10% of 60
    texts = {r["id"]: r["text"] for r in records}
    for p in truth:
        assert p.target != p.source
        copied, original = texts[p.target][p.target_start : p.target_end].split(), texts[p.source][p.source_start : p.source_end].split()
        assert cfg.min_words <= p.words <= cfg.max_words and len(original) == p.words
        if p.edited:
            assert copied != original and len(copied) <= len(original)
            assert len(set(copied) - set(original)) == 0  # dropped and swapped words only
        else:
            assert copied == original
    # sources and targets are disjoint: the planted pairs are the whole truth
    assert not {p.target for p in truth} & {p.source for p in truth}
    assert 4000 < sum(len(t) for t in texts.values()) / len(texts) < 7000


def test_lsh_scan_recovers_planted_pairs() -> None:
    q = evaluate(400, ScanConfig(candidates="lsh"), seed=11)
    assert q.planted == 40
    assert q.recall >= 0.95, q.missed
    assert q.precision >= 0.95
    assert q.family_purity == 1.0 and q.largest_family == 2


def test_other_seed_and_heavier_edits() -> None:
    # a corpus the defaults were not looked at with: other seed, twice the edit rate
    from dataclasses import replace

    from reuse.io import documents_from_texts
    from reuse.pipeline import scan

    records, truth = generate(replace(PlantedConfig(docs=300, seed=2027), drop_rate=0.08, swap_rate=0.08))
    result = scan(documents_from_texts({r["id"]: r["text"] for r in records}), ScanConfig(candidates="lsh"))
    got = found_pairs(result)
    want = truth_pairs(truth)
    assert len(want & got) >= 0.95 * len(want)
    assert len(want & got) >= 0.95 * len(got)


def test_background_variant_copies_are_reworded_sentences_at_their_offsets() -> None:
    records, truth, copies = generate_with_background(PlantedConfig(docs=200, seed=4, background_sentences=10))
    text = {r["id"]: r["text"] for r in records}
    assert truth and len({c.doc for c in copies}) == round(200 / 3)
    by_sentence: dict[int, list[list[str]]] = {}
    for c in copies:
        quoted = text[c.doc][c.start : c.end]
        assert quoted[:1].isupper() and quoted.endswith(".")
        by_sentence.setdefault(c.sentence, []).append(quoted.split())
    shared = []
    for versions in by_sentence.values():
        # each copy rewrites about half of the sentence, word for word: same length, other words
        assert len({len(v) for v in versions}) == 1
        shared += [sum(x == y for x, y in zip(a, b, strict=True)) / len(a) for i, a in enumerate(versions) for b in versions[i + 1 :]]
    assert 0.1 < sum(shared) / len(shared) < 0.6 and max(shared) < 1.0
    # the base corpus is the same with or without the background pool (the pool has its own random stream)
    plain, _ = generate(PlantedConfig(docs=200, seed=4))
    assert [r["title"] for r in plain] == [r["title"] for r in records]


def test_background_sentences_are_stock_and_join_no_family() -> None:
    # a pool of 20 sentences in a third of 900 documents: each recurs, reworded, in about 20 documents
    q = evaluate(900, ScanConfig(candidates="lsh"), seed=21, background=20)
    assert q.recall >= 0.98, q.missed
    assert q.family_purity == 1.0 and q.largest_family == 2
    assert q.background_syndication == 0
    assert q.clusters.get("stock", 0) >= 20 and q.background_in_stock > 0.3
