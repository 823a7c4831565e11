"""Exact overlap by sparse products: equals brute-force set intersections; verify drops false candidates."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reuse.shingle import shingles, split, unique_sets
from reuse.similarity import all_pairs, incidence, verify
from reuse.text import tokenize


def brute_force(sets: list[np.ndarray]) -> dict[tuple[int, int], int]:
    out = {}
    for a, b in itertools.combinations(range(len(sets)), 2):
        shared = len(set(sets[a].tolist()) & set(sets[b].tolist()))
        if shared:
            out[(a, b)] = shared
    return out


set_lists = st.lists(st.lists(st.integers(min_value=0, max_value=40), max_size=25), min_size=0, max_size=8)


@settings(max_examples=80, deadline=None)
@given(set_lists)
def test_all_pairs_equals_brute_force(raw: list[list[int]]) -> None:
    sets = [np.unique(np.array(r, dtype=np.uint64)) for r in raw]
    overlap = all_pairs(sets)
    got = {(int(a), int(b)): int(s) for (a, b), s in zip(overlap.pairs.tolist(), overlap.shared.tolist(), strict=True)}
    assert got == brute_force(sets)
    assert overlap.pairs.tolist() == sorted(overlap.pairs.tolist())
    for (a, b), c in zip(overlap.pairs.tolist(), overlap.containment.tolist(), strict=True):
        assert c == got[(a, b)] / min(len(sets[a]), len(sets[b]))


@settings(max_examples=80, deadline=None)
@given(set_lists, st.integers(min_value=1, max_value=4))
def test_verify_keeps_true_pairs_and_drops_false_candidates(raw: list[list[int]], min_shared: int) -> None:
    sets = [np.unique(np.array(r, dtype=np.uint64)) for r in raw]
    truth = brute_force(sets)
    candidates = np.array(list(itertools.combinations(range(len(sets)), 2)), dtype=np.int64).reshape(-1, 2)
    overlap = verify(sets, candidates, min_shared)
    got = {(int(a), int(b)): int(s) for (a, b), s in zip(overlap.pairs.tolist(), overlap.shared.tolist(), strict=True)}
    assert got == {p: s for p, s in truth.items() if s >= min_shared}


def test_verify_on_real_text_drops_an_unrelated_candidate() -> None:
    texts = [
        "Wir wissen, dass die Amerikaner an etwas arbeiten, sagte der ukrainische Beamte am Mittwoch.",
        "Ein Beamter: Wir wissen, dass die Amerikaner da an etwas arbeiten, sagte er am Mittwoch.",
        "The weather in London was mild on Tuesday and the forecast for the weekend is dry.",
    ]
    sets = [np.unique(shingles(tokenize(t).ids, 3)) for t in texts]
    overlap = verify(sets, np.array([[0, 1], [0, 2], [1, 2]]))
    assert overlap.pairs.tolist() == [[0, 1]]
    assert overlap.shared[0] >= 3  # "wir wissen dass", "wissen dass die", "dass die amerikaner", ...
    assert verify(sets, np.empty((0, 2), dtype=np.int64)).pairs.shape == (0, 2)


def test_incidence_min_df_drops_singletons() -> None:
    sets = [np.array([1, 2, 3], dtype=np.uint64), np.array([3, 4], dtype=np.uint64), np.array([5], dtype=np.uint64)]
    full = incidence(sets)
    assert full.shape == (3, 5) and full.sum() == 6
    shared_only = incidence(sets, min_df=2)
    assert shared_only.shape == (3, 1) and shared_only.toarray().ravel().tolist() == [1, 1, 0]


@pytest.mark.usefixtures("compiled")
@settings(max_examples=60, deadline=None)
@given(set_lists)
def test_verify_on_views_of_one_buffer_equals_sparse_reference(raw: list[list[int]]) -> None:
    # scan() passes the sets as views of one flat array (no copy); the compiled merge must count them as the sparse product does
    lengths = [len(r) for r in raw]
    flat = np.array([v for r in raw for v in r], dtype=np.uint64)
    values, offsets = unique_sets(flat, np.concatenate(([0], np.cumsum(lengths))).astype(np.int64))
    sets = split(values, offsets)
    candidates = np.array(list(itertools.combinations(range(len(sets)), 2)), dtype=np.int64).reshape(-1, 2)
    fast, reference = verify(sets, candidates, compiled=True), verify(sets, candidates, compiled=False)
    assert fast.pairs.tolist() == reference.pairs.tolist() and fast.shared.tolist() == reference.shared.tolist()
    assert fast.containment.tolist() == reference.containment.tolist()
