"""The whole scan on the seeds and on the planted mini corpus."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reuse.cluster import Cluster
from reuse.config import ClusterConfig, ScanConfig
from reuse.errors import InputError
from reuse.io import Document, documents_from_texts
from reuse.pipeline import ScanResult, analyse, scan
from reuse.text import quick_words

Q0 = "Wir wissen, dass die Amerikaner an etwas arbeiten"
Q1 = "Wir wissen, dass die Amerikaner da an etwas arbeiten"


@pytest.fixture(scope="module")
def seed_scan(seed_docs: list[Document]) -> ScanResult:
    return scan(seed_docs)


def test_all_seeds_listed_ok_and_german(seed_docs, seed_scan) -> None:
    assert [d.id for d in seed_scan.documents] == [d.id for d in seed_docs]
    assert len(seed_scan.documents) == 5
    for d in seed_scan.documents:
        assert d.status == "ok" and d.language == "de" and d.chars > 1000
        assert d.title


def containing(result: ScanResult, doc_id: str, start: int, end: int) -> list[Cluster]:
    """Clusters with a member span of ``doc_id`` covering ``start:end``."""
    return [c for c in result.clusters if any(m.id == doc_id and m.start <= start and end <= m.end for m in c.members)]


def test_seed_quote_is_one_stock_cluster(seed_docs, seed_ids, seed_scan) -> None:
    text = {d.id: d.text for d in seed_docs}
    a, b = seed_ids["000"], seed_ids["001"]
    i0, i1 = text[a].index(Q0), text[b].index(Q1)
    (c,) = containing(seed_scan, a, i0, i0 + len(Q0))
    assert containing(seed_scan, b, i1, i1 + len(Q1)) == [c]
    # a quotation two reports share is weak evidence of copying: a stock cluster, no family
    assert c.kind == "stock" and c.words < ClusterConfig().syndication_min_words
    assert {m.id for m in c.members} == {a, b}
    assert all(0 < m.similarity < 1 for m in c.members if m != c.representative) and c.representative.similarity == 1.0


def test_independent_reports_share_only_stock(seed_scan) -> None:
    # five outlets' reports of one scoop, none copying another: what they share is short, so no family
    assert seed_scan.clusters and all(c.kind == "stock" for c in seed_scan.clusters)
    assert seed_scan.families == ()


def test_no_member_touches_boilerplate(seed_scan) -> None:
    spans = {d.id: d.boilerplate for d in seed_scan.documents}
    for c in seed_scan.clusters:
        for m in c.members:
            assert not any(s < m.end and m.start < e for s, e in spans[m.id]), (m.id, m.start, m.end)


def test_cluster_texts_are_the_offsets(seed_docs, seed_scan) -> None:
    text = {d.id: d.text for d in seed_docs}
    for c in seed_scan.clusters:
        rep = c.representative
        assert c.text == text[rep.id][rep.start : rep.end] and rep in c.members
        assert c.words == rep.words and c.size == len({m.id for m in c.members}) >= 2
        assert [(m.id, m.start) for m in c.members] == sorted((m.id, m.start) for m in c.members)
        for m in c.members:
            assert 0 <= m.start < m.end <= len(text[m.id]) and 0 < m.similarity <= 1
            assert m.words == len(quick_words(text[m.id][m.start : m.end]))
    assert [c.id for c in seed_scan.clusters] == [f"c{i}" for i in range(1, len(seed_scan.clusters) + 1)]


def syndicated_components(result: ScanResult) -> list[tuple[str, ...]]:
    """Connected groups of documents joined by syndication clusters, from the definition."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            x = parent[x]
        return x

    for c in result.clusters:
        if c.kind == "syndication":
            first = c.members[0].id
            for m in c.members:
                parent[find(m.id)] = find(first)
    groups: dict[str, list[str]] = {}
    for name in list(parent):
        groups.setdefault(find(name), []).append(name)
    return sorted(tuple(sorted(g)) for g in groups.values() if len(g) > 1)


def test_families_are_the_documents_joined_by_syndication(planted_docs) -> None:
    result = scan(planted_docs)
    assert result.families and sorted(f.documents for f in result.families) == syndicated_components(result)
    of = {c.id: c for c in result.clusters}
    for f in result.families:
        assert f.clusters and all(of[c].kind == "syndication" and {m.id for m in of[c].members} <= set(f.documents) for c in f.clusters)


def test_reversed_input_gives_identical_results(seed_docs, seed_scan) -> None:
    back = scan(list(reversed(seed_docs)))
    assert back.clusters == seed_scan.clusters
    assert back.families == seed_scan.families
    assert list(back.documents) == list(reversed(seed_scan.documents))


def test_documents_sharing_an_id_are_rejected() -> None:
    docs = [Document(id="x", text="ein kurzer Text über etwas"), Document(id="x", text="ein anderer Text")]
    with pytest.raises(InputError, match="share the id 'x'"):
        scan(docs)


def test_error_documents_are_carried_through(seed_docs) -> None:
    extra = documents_from_texts({"leer": "  \n "})
    result = scan([*seed_docs[:2], *extra])
    assert [d.id for d in result.documents] == [seed_docs[0].id, seed_docs[1].id, "leer"]
    bad = result.documents[2]
    assert bad.status == "error" and bad.reason.startswith("empty") and bad.language is None and bad.chars == 0


def test_analyse_rejects_a_string() -> None:
    with pytest.raises(InputError, match="load_paths"):
        analyse("seeds")  # type: ignore[arg-type]


# --- planted mini corpus -------------------------------------------------------------------------


def words(text: str) -> list[str]:
    return quick_words(text)


def planted_clusters(result: ScanResult) -> dict[tuple[str, str], list[Cluster]]:
    """Syndication clusters of the planted corpus by the pair of documents they hold."""
    out: dict[tuple[str, str], list[Cluster]] = {}
    for c in result.clusters:
        if c.kind == "syndication":
            ids = sorted({m.id for m in c.members})
            assert len(ids) == 2, ids
            out.setdefault((ids[0], ids[1]), []).append(c)
    return out


@pytest.mark.parametrize("candidates", ["exact", "lsh"])
def test_planted_corpus_is_found(planted, planted_docs, candidates: str) -> None:
    result = scan(planted_docs, ScanConfig(candidates=candidates))
    found = planted_clusters(result)
    assert set(found) == planted.pairs
    for (a, b), clusters in found.items():
        side = dict(zip((a, b), planted.passages[(a, b)], strict=True))
        for doc_id in (a, b):
            spans = [m for c in clusters for m in c.members if m.id == doc_id]
            got_words = [w for m in spans for w in words(planted.texts[doc_id][m.start : m.end])]
            want = words(side[doc_id])
            # the spans cover nearly all of the planted words and spill into none of the filler
            assert len(got_words) >= 0.9 * len(want)
            assert set(got_words) <= set(want)
        sims = {m.similarity for c in clusters for m in c.members}
        assert (sims == {1.0}) == ((a, b) not in planted.edited)
    assert sorted(f.documents for f in result.families) == sorted(planted.pairs)


def test_lsh_and_exact_agree_on_the_planted_corpus(planted, planted_docs) -> None:
    exact = scan(planted_docs, ScanConfig(candidates="exact"))
    lsh = scan(planted_docs, ScanConfig(candidates="lsh"))
    assert exact.clusters == lsh.clusters and exact.families == lsh.families
    # the two configurations took different paths to the same result: only LSH signs windows
    assert "signatures" in lsh.timings and "signatures" not in exact.timings
    assert min(lsh.candidate_pairs, exact.candidate_pairs) >= len(planted.pairs)  # every planted pair was a candidate


def test_min_passage_tokens_removes_short_passages(seed_docs) -> None:
    cfg = ScanConfig()
    strict = replace(cfg, align=replace(cfg.align, min_passage_tokens=60))
    assert scan(seed_docs, strict).clusters == ()


def test_tiny_corpus_quote_and_languages(tiny_docs, tiny_texts) -> None:
    result = scan(tiny_docs)
    langs = {d.id: d.language for d in result.documents}
    assert langs == {"kiew": "de", "moskau": "de", "weather": "en"}
    (c,) = result.clusters
    assert [m.id for m in c.members] == ["kiew", "moskau"]
    quote = "Wir haben die Vorschläge der Amerikaner sorgfältig geprüft und werden bald antworten"
    assert quote in c.text and all(quote in tiny_texts[m.id][m.start : m.end] for m in c.members)
    assert {m.similarity for m in c.members} == {1.0}
    assert c.kind == "stock" and result.families == ()  # 13 shared words: two reports quoting one statement


def test_planted_lsh_scan_does_not_depend_on_input_order(planted_docs) -> None:
    cfg = ScanConfig(candidates="lsh")
    assert scan(planted_docs, cfg).clusters == scan(planted_docs[::-1], cfg).clusters


def test_whole_duplicate_is_one_cluster_up_to_the_boilerplate(seed_file) -> None:
    text = seed_file("000").read_text(encoding="utf-8")
    result = scan(documents_from_texts({"copy": text, "orig": text}))
    (c,) = result.clusters
    assert c.kind == "syndication" and [m.id for m in c.members] == ["copy", "orig"]
    a, b = c.members
    assert a.start == b.start == 0 and a.end == b.end and a.similarity == b.similarity == 1.0
    boiler = result.documents[0].boilerplate
    assert a.end <= min(s for s, _ in boiler)  # stops before the "Mehr zum Thema" teaser
    assert len(c.text) > 0.9 * len(text)
    assert result.families[0].documents == ("copy", "orig")


def _syndicated(n_docs: int, n_copies: int, seed: int = 3) -> tuple[list[Document], list[str]]:
    """``n_docs`` unrelated documents; the first ``n_copies`` carry one 60-word paragraph."""
    import random

    rng = random.Random(seed)
    vocab = [f"w{rng.randrange(10**7)}" for _ in range(3000)]

    def sentence(k: int) -> str:
        return " ".join(rng.choice(vocab) for _ in range(k)) + "."

    passage = " ".join(sentence(12) for _ in range(5))
    texts = {}
    for k in range(n_docs):
        body = " ".join(sentence(12) for _ in range(15))
        if k < n_copies:
            body += "\n\n" + passage + "\n\n" + sentence(12)  # its own paragraph, as syndicated text usually is
        texts[f"d{k:03d}"] = f"Titel {k}\n\n{body}"
    return documents_from_texts(texts), sorted(texts)[:n_copies]


@pytest.mark.parametrize(("n_docs", "n_copies", "candidates"), [(40, 4, "auto"), (10, 3, "auto"), (40, 12, "auto"), (40, 12, "lsh"), (30, 14, "auto")])
def test_passage_syndicated_to_many_documents_is_one_cluster(n_docs: int, n_copies: int, candidates: str) -> None:
    docs, copies = _syndicated(n_docs, n_copies)
    result = scan(docs, ScanConfig(candidates=candidates))
    (c,) = result.clusters
    assert c.kind == "syndication" and sorted({m.id for m in c.members}) == copies and c.size == n_copies
    assert {m.words for m in c.members} == {60}
    assert [f.documents for f in result.families] == [tuple(copies)]


def test_a_paragraph_most_documents_carry_as_a_small_part_is_boilerplate() -> None:
    docs, _ = _syndicated(30, 30)
    (c,) = scan(docs).clusters
    assert c.kind == "boilerplate" and c.size == 30 and "30 of 30 documents" in c.reason
    assert scan(docs).families == ()


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=10**6))
def test_random_planted_corpora_round_trip_and_ignore_order(planted_maker, seed: int) -> None:
    corpus = planted_maker(n_docs=12, doc_words=120, n_planted=3, seed=seed)
    docs = documents_from_texts(corpus.texts)
    forward = scan(docs)
    backward = scan(docs[::-1])
    assert forward.clusters == backward.clusters and forward.families == backward.families
    assert set(planted_clusters(forward)) == corpus.pairs
    for c in forward.clusters:
        assert c.text == corpus.texts[c.representative.id][c.representative.start : c.representative.end]


@pytest.mark.parametrize("candidates", ["exact", "lsh"])
def test_documents_without_words_do_not_break_a_scan(candidates: str) -> None:
    docs = documents_from_texts({"a": "!!! ???", "b": "Zur Startseite", "c": "eins zwei", "d": "€ 5", "e": ""})
    result = scan(docs, ScanConfig(candidates=candidates))
    assert [d.id for d in result.documents] == ["a", "b", "c", "d", "e"]
    assert [d.status for d in result.documents] == ["error", "ok", "ok", "ok", "error"]
    assert result.documents[0].reason == "empty: the text has no letters or digits"
    assert result.clusters == () and result.families == ()
