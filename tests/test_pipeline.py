"""The whole scan on the seeds and on the planted mini corpus."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reuse.config import ScanConfig
from reuse.errors import InputError
from reuse.io import Document, documents_from_texts
from reuse.pipeline import ScanResult, analyse, families_of, scan
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


def test_seed_quote_is_one_passage(seed_docs, seed_ids, seed_scan) -> None:
    text = {d.id: d.text for d in seed_docs}
    a, b = seed_ids["000"], seed_ids["001"]
    i0, i1 = text[a].index(Q0), text[b].index(Q1)
    hits = [p for p in seed_scan.passages if p.a == a and p.b == b and p.a_start < i0 + len(Q0) and i0 < p.a_end]
    assert len(hits) == 1
    (p,) = hits
    assert p.a_start <= i0 and i0 + len(Q0) <= p.a_end
    assert p.b_start <= i1 and i1 + len(Q1) <= p.b_end
    assert Q0 in p.text_a and Q1 in p.text_b
    assert p.kind == "near-verbatim" and 0 < p.similarity < 1
    assert any(a in f and b in f for f in seed_scan.families)


def test_no_passage_touches_boilerplate(seed_scan) -> None:
    spans = {d.id: d.boilerplate for d in seed_scan.documents}
    for p in seed_scan.passages:
        for doc_id, start, end in ((p.a, p.a_start, p.a_end), (p.b, p.b_start, p.b_end)):
            assert not any(s < end and start < e for s, e in spans[doc_id]), (doc_id, start, end)


def test_passage_texts_are_the_offsets(seed_docs, seed_scan) -> None:
    text = {d.id: d.text for d in seed_docs}
    assert seed_scan.passages
    for p in seed_scan.passages:
        assert p.a < p.b
        assert p.text_a == text[p.a][p.a_start : p.a_end] and p.text_b == text[p.b][p.b_start : p.b_end]
        assert p.kind in ("verbatim", "near-verbatim") and 0 < p.similarity <= 1
        assert (p.kind == "verbatim") == (p.similarity == 1.0)
    keys = [(p.a, p.b, p.a_start, p.b_start) for p in seed_scan.passages]
    assert keys == sorted(keys)


def connected(passages, ids: list[str]) -> list[tuple[str, ...]]:
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for p in passages:
        parent[find(p.a)] = find(p.b)
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(find(i), []).append(i)
    return sorted(tuple(sorted(g)) for g in groups.values() if len(g) > 1)


def test_families_are_sorted_connected_components(seed_scan) -> None:
    ids = [d.id for d in seed_scan.documents]
    assert list(seed_scan.families) == connected(seed_scan.passages, ids)


def test_families_of_components() -> None:
    groups = sorted(sorted(g) for g in families_of(6, [(0, 1), (1, 2), (4, 5)]))
    assert groups == [[0, 1, 2], [4, 5]]
    assert families_of(3, []) == []


def test_reversed_input_gives_identical_results(seed_docs, seed_scan) -> None:
    back = scan(list(reversed(seed_docs)))
    assert back.passages == seed_scan.passages
    assert back.families == seed_scan.families
    assert list(back.documents) == list(reversed(seed_scan.documents))


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


@pytest.mark.parametrize("candidates", ["exact", "lsh"])
def test_planted_corpus_is_found(planted, planted_docs, candidates: str) -> None:
    result = scan(planted_docs, ScanConfig(candidates=candidates))
    found = {(p.a, p.b) for p in result.passages}
    assert found == planted.pairs
    for p in result.passages:
        side_a, side_b = planted.passages[(p.a, p.b)]
        for got, planted_text in ((p.text_a, side_a), (p.text_b, side_b)):
            got_words, want = words(got), words(planted_text)
            # the passage covers nearly all of the planted words and spills into none of the filler
            assert len(got_words) >= 0.9 * len(want)
            assert set(got_words) <= set(want)
        assert (p.kind == "verbatim") == ((p.a, p.b) not in planted.edited)
    assert sorted(tuple(f) for f in result.families) == sorted(planted.pairs)


def test_lsh_and_exact_agree_on_the_planted_corpus(planted_docs) -> None:
    exact = scan(planted_docs, ScanConfig(candidates="exact"))
    lsh = scan(planted_docs, ScanConfig(candidates="lsh"))
    assert exact.passages == lsh.passages and exact.families == lsh.families
    assert lsh.candidate_pairs >= len({(p.a, p.b) for p in lsh.passages})


def test_min_passage_tokens_removes_short_passages(seed_docs) -> None:
    cfg = ScanConfig()
    strict = replace(cfg, align=replace(cfg.align, min_passage_tokens=60))
    assert scan(seed_docs, strict).passages == ()


def test_tiny_corpus_quote_and_languages(tiny_docs, tiny_texts) -> None:
    result = scan(tiny_docs)
    langs = {d.id: d.language for d in result.documents}
    assert langs == {"kiew": "de", "moskau": "de", "weather": "en"}
    (p,) = result.passages
    assert (p.a, p.b) == ("kiew", "moskau")
    quote = "Wir haben die Vorschläge der Amerikaner sorgfältig geprüft und werden bald antworten"
    assert quote in p.text_a and quote in p.text_b
    assert p.kind == "verbatim"
    assert result.families == (("kiew", "moskau"),)


def test_planted_lsh_scan_does_not_depend_on_input_order(planted_docs) -> None:
    cfg = ScanConfig(candidates="lsh")
    assert scan(planted_docs, cfg).passages == scan(planted_docs[::-1], cfg).passages


def test_whole_duplicate_is_one_passage_up_to_the_boilerplate(seed_file) -> None:
    text = seed_file("000").read_text(encoding="utf-8")
    result = scan(documents_from_texts({"copy": text, "orig": text}))
    (p,) = result.passages
    assert p.kind == "verbatim" and p.a_start == p.b_start == 0
    assert p.a_end == p.b_end
    boiler = result.documents[0].boilerplate
    assert p.a_end <= min(s for s, _ in boiler)  # stops before the "Mehr zum Thema" teaser
    assert len(p.text_a) > 0.9 * len(text)


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


def test_passage_syndicated_to_a_small_share_is_found() -> None:
    docs, copies = _syndicated(40, 4)
    result = scan(docs)
    assert {(p.a, p.b) for p in result.passages} == {(a, b) for i, a in enumerate(copies) for b in copies[i + 1 :]}
    assert result.families == (tuple(copies),)


@pytest.mark.parametrize(("n_docs", "n_copies"), [(10, 3), (40, 12)])
def test_passage_syndicated_to_many_documents_is_found(n_docs: int, n_copies: int) -> None:
    docs, copies = _syndicated(n_docs, n_copies)
    result = scan(docs)
    assert {(p.a, p.b) for p in result.passages} == {(a, b) for i, a in enumerate(copies) for b in copies[i + 1 :]}


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=10**6))
def test_random_planted_corpora_round_trip_and_ignore_order(planted_maker, seed: int) -> None:
    corpus = planted_maker(n_docs=12, doc_words=120, n_planted=3, seed=seed)
    docs = documents_from_texts(corpus.texts)
    forward = scan(docs)
    backward = scan(docs[::-1])
    assert forward.passages == backward.passages and forward.families == backward.families
    assert {(p.a, p.b) for p in forward.passages} == corpus.pairs
    for p in forward.passages:
        assert p.text_a == corpus.texts[p.a][p.a_start : p.a_end]
        assert p.text_b == corpus.texts[p.b][p.b_start : p.b_end]


@pytest.mark.parametrize("candidates", ["exact", "lsh"])
def test_documents_without_words_do_not_break_a_scan(candidates: str) -> None:
    docs = documents_from_texts({"a": "!!! ???", "b": "Zur Startseite", "c": "eins zwei", "d": "€ 5", "e": ""})
    result = scan(docs, ScanConfig(candidates=candidates))
    assert [d.id for d in result.documents] == ["a", "b", "c", "d", "e"]
    assert [d.status for d in result.documents] == ["error", "ok", "ok", "ok", "error"]
    assert result.documents[0].reason == "empty: the text has no letters or digits"
    assert result.passages == () and result.families == ()
