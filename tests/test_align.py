"""Alignment: planted edited passages, the seeds' shared quote, stock phrases, symmetry."""

from __future__ import annotations

import random
from difflib import SequenceMatcher

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reuse.align import Span, _compare, _kernels, align, align_many, seed_matches
from reuse.config import AlignConfig
from reuse.shingle import shingles, shingles_batch
from reuse.text import Tokens, tokenize

CFG = AlignConfig()


def run(a: str, b: str, config: AlignConfig = CFG, stock: np.ndarray | None = None) -> list[Span]:
    ta, tb = tokenize(a), tokenize(b)
    return align(ta, tb, shingles(ta.ids, config.seed_size), shingles(tb.ids, config.seed_size), config, stock)


def filler(rng: random.Random, n: int) -> list[str]:
    """Words no other filler shares by chance (unique per call via a counter in the word)."""
    syll = ("ka", "lo", "mi", "ten", "ra", "bus", "ge", "nor", "fi", "dal")
    return ["".join(rng.choice(syll) for _ in range(3)) + str(rng.randrange(10**6)) for _ in range(n)]


PASSAGE = (
    "Die Delegation reiste am Dienstag nach Moskau, um mit dem Präsidenten über ein mögliches Ende des Krieges zu sprechen, "
    "nachdem die Gespräche in Genf am Wochenende ohne greifbares Ergebnis geblieben waren und beide Seiten weitere Arbeit angemahnt hatten"
)


def test_edited_passage_is_one_passage_with_correct_offsets() -> None:
    rng = random.Random(1)
    words = PASSAGE.split()
    edited = list(words)
    del edited[9]  # drop "über"
    edited[20], edited[21] = edited[21], edited[20]  # swap two neighbours
    a = " ".join(filler(rng, 40)) + ". " + PASSAGE + ". " + " ".join(filler(rng, 30))
    b = " ".join(filler(rng, 25)) + ". " + " ".join(edited) + ". " + " ".join(filler(rng, 50))
    spans = run(a, b)
    assert len(spans) == 1
    (s,) = spans
    assert a[s.a_start : s.a_end] == PASSAGE
    assert b[s.b_start : s.b_end] == " ".join(edited)
    assert s.kind == "near-verbatim"
    assert 0.9 < s.similarity < 1.0


def test_verbatim_passage_is_verbatim_with_similarity_one() -> None:
    rng = random.Random(2)
    a = " ".join(filler(rng, 20)) + " " + PASSAGE + " " + " ".join(filler(rng, 20))
    b = PASSAGE.upper()
    (s,) = run(a, b)
    assert s.kind == "verbatim" and s.similarity == 1.0
    assert a[s.a_start : s.a_end] == PASSAGE and b[s.b_start : s.b_end] == b


def test_seed_quote_000_001_is_one_passage_containing_both_quotes(seed_file) -> None:
    t0 = seed_file("000").read_text(encoding="utf-8")
    t1 = seed_file("001").read_text(encoding="utf-8")
    q0 = "Wir wissen, dass die Amerikaner an etwas arbeiten"
    q1 = "Wir wissen, dass die Amerikaner da an etwas arbeiten"
    i0, i1 = t0.index(q0), t1.index(q1)
    spans = run(t0, t1)
    hits = [s for s in spans if s.a_start < i0 + len(q0) and i0 < s.a_end]
    assert len(hits) == 1
    (s,) = hits
    assert s.a_start <= i0 and i0 + len(q0) <= s.a_end
    assert s.b_start <= i1 and i1 + len(q1) <= s.b_end
    assert s.kind == "near-verbatim"


def test_stock_phrases_of_unrelated_reports_are_not_passages() -> None:
    a = (
        "Am Montag sprach der ukrainische Präsident Wolodymyr Selenskyj in Dublin über die Lage an der Front. "
        "Er forderte mehr Luftabwehr für die Städte im Osten des Landes."
    )
    b = (
        "Der Kreml wies die Vorwürfe zurück, während der ukrainische Präsident Wolodymyr Selenskyj in Kiew Soldaten auszeichnete. "
        "Die Zeremonie fand unter strengen Sicherheitsvorkehrungen statt."
    )
    assert run(a, b) == []


def test_min_passage_length_is_configurable() -> None:
    a = "Heute sagte er: das ist ein guter Tag für uns alle hier, und ging."
    b = "Gestern hieß es: das ist ein guter Tag für uns alle hier. Dann nichts."
    shared = "das ist ein guter Tag für uns alle hier"  # 9 words
    assert len(run(a, b, AlignConfig(min_passage_tokens=10))) == 0
    (s,) = run(a, b, AlignConfig(min_passage_tokens=9))
    assert a[s.a_start : s.a_end] == shared and b[s.b_start : s.b_end] == shared


def test_stock_seeds_are_ignored() -> None:
    a = "eins zwei drei vier fünf sechs sieben acht neun zehn elf"
    b = "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf"
    ta, tb = tokenize(a), tokenize(b)
    sa, sb = shingles(ta.ids, 3), shingles(tb.ids, 3)
    assert len(align(ta, tb, sa, sb, CFG)) == 1
    stock = np.sort(np.unique(sa))
    assert align(ta, tb, sa, sb, CFG, stock) == []


def test_seed_matches_skips_over_repeated_seeds() -> None:
    a = np.array([1, 2, 3, 9], dtype=np.uint64)
    b = np.array([3, 1, 7, 9, 9, 9, 9, 9], dtype=np.uint64)
    i, j = seed_matches(a, b)
    assert list(zip(i.tolist(), j.tolist(), strict=True)) == [(0, 1), (2, 0)]


def _swap(spans: list[Span]) -> set[tuple[int, int, int, int, str, float]]:
    return {(s.b_start, s.b_end, s.a_start, s.a_end, s.kind, s.similarity) for s in spans}


def _plain(spans: list[Span]) -> set[tuple[int, int, int, int, str, float]]:
    return {(s.a_start, s.a_end, s.b_start, s.b_end, s.kind, s.similarity) for s in spans}


def _edited_pair(rng: random.Random, n_drops: int, n_swaps: int) -> tuple[str, str]:
    """PASSAGE inside filler, and a copy with ``n_drops`` dropped and ``n_swaps`` swapped words inside other filler."""
    words = PASSAGE.split()
    edited = list(words)
    for _ in range(n_drops):
        del edited[rng.randrange(len(edited))]
    for _ in range(n_swaps):
        k = rng.randrange(len(edited) - 1)
        edited[k], edited[k + 1] = edited[k + 1], edited[k]
    a = " ".join(filler(rng, rng.randint(0, 30)) + words + filler(rng, rng.randint(0, 30)))
    b = " ".join(filler(rng, rng.randint(0, 30)) + edited + filler(rng, rng.randint(0, 30)))
    return a, b


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=3), st.integers(min_value=0, max_value=3))
def test_symmetric_when_swapping_a_and_b(seed: int, n_drops: int, n_swaps: int) -> None:
    a, b = _edited_pair(random.Random(seed), n_drops, n_swaps)
    forward, backward = run(a, b), run(b, a)
    assert _plain(forward) == _swap(backward)
    for s in forward:
        assert 0 <= s.a_start < s.a_end <= len(a) and 0 <= s.b_start < s.b_end <= len(b)
    # a 37-word passage with one edit is always found, as one passage (two edits a few words
    # apart leave a gap wider than AlignConfig.max_gap and may split it)
    if n_drops + n_swaps <= 1:
        assert len(forward) == 1


def test_similarity_is_symmetric_under_heavier_edits() -> None:
    # regression: SequenceMatcher's ratio depends on argument order, so align(a, b) and
    # align(b, a) reported different similarities for the same spans (e.g. rng seed 518 below)
    for seed in range(450, 650):
        rng = random.Random(seed)
        a, b = _edited_pair(rng, rng.randint(0, 4), rng.randint(0, 4))
        assert _plain(run(a, b)) == _swap(run(b, a)), seed


def test_passage_continues_through_stock_phrases_at_its_ends() -> None:
    # "in der Ukraine" is a stock phrase of the corpus: it cannot anchor a passage, but a
    # passage that reaches it word for word is not cut off before it
    shared = "heimlich an einem neuen Plan zur Beendigung des Krieges in der Ukraine"
    a = f"Gestern hieß es, die Regierung arbeite {shared}. Mehr nicht."
    b = f"Laut Axios sei der Präsident {shared}, sagte er."
    ta, tb = tokenize(a), tokenize(b)
    sa, sb = shingles(ta.ids, 3), shingles(tb.ids, 3)
    stock = np.sort(np.unique(shingles(tokenize("des Krieges in der Ukraine").ids, 3)))
    (s,) = align(ta, tb, sa, sb, CFG, stock)
    assert a[s.a_start : s.a_end] == shared
    assert b[s.b_start : s.b_end] == shared


def _token_texts(draw: st.DrawFn, n_docs: int) -> list[Tokens]:
    """Random token id sequences over a small vocabulary (repeated seeds) with runs copied between texts, lightly edited."""
    vocab = draw(st.integers(min_value=3, max_value=40))
    texts = [draw(st.lists(st.integers(0, vocab - 1), min_size=0, max_size=80)) for _ in range(n_docs)]
    for _ in range(draw(st.integers(0, 6))):
        src, dst = draw(st.integers(0, n_docs - 1)), draw(st.integers(0, n_docs - 1))
        run_len = draw(st.integers(1, 40))
        start = draw(st.integers(0, max(0, len(texts[src]) - 1)))
        piece = list(texts[src][start : start + run_len])
        for _ in range(draw(st.integers(0, 3))):  # drop, insert or swap words inside the copy
            if len(piece) > 1:
                k = draw(st.integers(0, len(piece) - 2))
                op = draw(st.sampled_from(("drop", "insert", "swap")))
                if op == "drop":
                    del piece[k]
                elif op == "insert":
                    piece.insert(k, draw(st.integers(0, vocab + 5)))
                else:
                    piece[k], piece[k + 1] = piece[k + 1], piece[k]
        at = draw(st.integers(0, len(texts[dst])))
        texts[dst] = texts[dst][:at] + piece + texts[dst][at:]
    return [
        Tokens(ids=np.array(t, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15), starts=np.arange(len(t), dtype=np.int64) * 3,
               ends=np.arange(len(t), dtype=np.int64) * 3 + 2)
        for t in texts
    ]


@st.composite
def _corpora(draw: st.DrawFn) -> tuple[list[Tokens], np.ndarray, AlignConfig, bool]:
    n_docs = draw(st.integers(2, 5))
    toks = _token_texts(draw, n_docs)
    pairs = np.array([(a, b) for a in range(n_docs) for b in range(n_docs) if a != b], dtype=np.int64)
    config = AlignConfig(
        seed_size=draw(st.integers(1, 4)), max_gap=draw(st.integers(0, 5)), max_shift=draw(st.integers(0, 5)),
        min_passage_tokens=draw(st.integers(1, 10)), min_matched_share=draw(st.sampled_from((0.3, 0.6, 1.0))),
    )
    return toks, pairs, config, draw(st.booleans())


@pytest.mark.usefixtures("compiled")
@settings(max_examples=150, deadline=None)
@given(_corpora())
def test_compiled_align_many_equals_align_per_pair(corpus: tuple[list[Tokens], np.ndarray, AlignConfig, bool]) -> None:
    toks, pairs, config, with_stock = corpus
    seeds = shingles_batch([t.ids for t in toks], config.seed_size)
    # a stock list holding every third distinct seed, so stock seeds sit inside shared runs
    stock = np.unique(seeds[0])[::3] if with_stock else None
    reference = [tuple(align(toks[a], toks[b], shingles(toks[a].ids, config.seed_size), shingles(toks[b].ids, config.seed_size), config, stock))
                 for a, b in pairs.tolist()]
    assert align_many(toks, pairs, config, stock, compiled=True) == reference
    assert align_many(toks, pairs, config, stock, seeds=seeds, compiled=False) == reference


@pytest.mark.usefixtures("compiled")
@settings(max_examples=400, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=1, max_size=60), st.lists(st.integers(0, 6), min_size=1, max_size=60))
def test_compiled_range_comparison_equals_compare(a: list[int], b: list[int]) -> None:
    # equality, canonical argument order and difflib's ratio (its matching blocks, recounted compiled) as the reference _compare
    ta, tb = (Tokens(ids=np.array(x, dtype=np.uint64), starts=np.arange(len(x)), ends=np.arange(len(x)) + 1) for x in (a, b))
    rows = np.array([[0, 0, len(a), 0, len(b)]], dtype=np.int64)
    same, count = _kernels()[2](rows, np.concatenate([ta.ids, tb.ids]), np.array([0, len(a), len(a) + len(b)]), np.array([[0, 1]]))
    ref_same, ref_sim = _compare(ta, tb, 0, len(a), 0, len(b))
    assert ref_sim == SequenceMatcher(None, *sorted((a, b)), autojunk=False).ratio()
    assert bool(same[0]) == ref_same
    assert (1.0 if same[0] else 2.0 * int(count[0]) / (len(a) + len(b))) == ref_sim


def test_align_many_reports_progress_and_keeps_pair_order() -> None:
    rng = random.Random(3)
    texts = [" ".join(filler(rng, 10)) + " " + PASSAGE + " " + " ".join(filler(rng, 10)) for _ in range(3)]
    toks = [tokenize(t) for t in texts]
    calls: list[tuple[int, int]] = []
    found = align_many(toks, np.array([[0, 1], [2, 0], [1, 2]]), CFG, progress=lambda done, total: calls.append((done, total)))
    assert [len(f) for f in found] == [1, 1, 1]
    assert texts[2][found[1][0].a_start : found[1][0].a_end] == PASSAGE  # a of the row is the a side of its spans
    assert calls[-1] == (3, 3)


@pytest.mark.usefixtures("compiled")
def test_compiled_chaining_breaks_equal_gaps_like_chain() -> None:
    # two chains can take the third word at the same gap; chain() gives it to the older one
    # (found by hypothesis against a kernel that gave it to the newer one)
    toks = [Tokens(ids=np.array(t, dtype=np.uint64) + np.uint64(7), starts=np.arange(3) * 3, ends=np.arange(3) * 3 + 2) for t in ([0, 1, 2], [1, 0, 2])]
    config = AlignConfig(seed_size=1, max_gap=1, max_shift=1, min_passage_tokens=1, min_matched_share=0.3)
    pairs = np.array([[0, 1], [1, 0]])
    reference = [tuple(align(toks[a], toks[b], toks[a].ids, toks[b].ids, config)) for a, b in pairs.tolist()]
    assert align_many(toks, pairs, config) == reference
    assert reference[0]  # the texts do share passages
