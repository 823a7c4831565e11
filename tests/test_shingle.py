"""Word n-gram shingles: length, order sensitivity, batch equals per-text."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reuse.shingle import MAX_SHINGLE, flatten, shingle_groups, shingles, shingles_batch, split, unique_sets
from reuse.text import tokenize, tokenize_batch

QUOTE = "Wir wissen, dass die Amerikaner an etwas arbeiten"


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_length(n: int) -> None:
    ids = tokenize(QUOTE).ids  # 8 words
    assert len(shingles(ids, n)) == 8 - n + 1
    assert shingles(ids[: n - 1], n).shape == (0,)
    assert shingles(ids, n).dtype == np.uint64


def test_invalid_size_is_rejected() -> None:
    ids = tokenize(QUOTE).ids
    with pytest.raises(ValueError, match="shingle size"):
        shingles(ids, 0)
    with pytest.raises(ValueError, match="shingle size"):
        shingles(ids, MAX_SHINGLE + 1)


def test_order_sensitive_and_position_aligned() -> None:
    a = shingles(tokenize("die Amerikaner an etwas").ids, 2)
    b = shingles(tokenize("Amerikaner die etwas an").ids, 2)
    assert set(a.tolist()).isdisjoint(b.tolist())
    # hash i covers tokens i..i+n-1: the same words in another text give the same hash
    long = shingles(tokenize("Ein Beamter sagte: " + QUOTE).ids, 3)
    short = shingles(tokenize(QUOTE).ids, 3)
    assert long[3:].tolist() == short.tolist()


def test_repeated_word_pairs_differ_by_order() -> None:
    h = shingles(tokenize("a b b a").ids, 2)
    assert h[0] != h[2]  # "a b" vs "b a"
    assert len(set(h.tolist())) == 3


def test_folded_forms_share_shingles() -> None:
    assert shingles(tokenize("Die STRASSE über Köln").ids, 2).tolist() == shingles(tokenize("die Straße uber koln").ids, 2).tolist()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(min_value=0, max_value=2**64 - 1), max_size=12), max_size=6), st.integers(min_value=1, max_value=5))
def test_batch_equals_per_text(arrays: list[list[int]], n: int) -> None:
    id_arrays = [np.array(a, dtype=np.uint64) for a in arrays]
    hashes, offsets = shingles_batch(id_arrays, n)
    assert len(offsets) == len(id_arrays) + 1
    for k, ids in enumerate(id_arrays):
        assert hashes[offsets[k] : offsets[k + 1]].tolist() == shingles(ids, n).tolist()
    assert offsets[-1] == len(hashes)


def _texts_ids(texts: list[str]) -> list[np.ndarray]:
    return [t.ids for t in tokenize_batch(texts)]


@pytest.mark.usefixtures("compiled")
@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(min_value=0, max_value=2**64 - 1), max_size=12), max_size=6), st.integers(min_value=1, max_value=5))
def test_compiled_batch_equals_numpy_reference(arrays: list[list[int]], n: int) -> None:
    id_arrays = [np.array(a, dtype=np.uint64) for a in arrays]
    fast, fast_off = shingle_groups(id_arrays, n)
    ref, ref_off = shingles_batch(id_arrays, n, compiled=False)
    assert fast.tolist() == ref.tolist() and fast_off.tolist() == ref_off.tolist()


def test_batch_shingles_on_token_views_of_seeds(seed_docs) -> None:
    # tokenize_batch returns views of one flat array: shingled in place, never across two texts
    ids = _texts_ids([d.text for d in seed_docs] + ["", "ein Wort", "zwei kurze Worte hier"])
    hashes, offsets = shingle_groups(ids, 4)
    assert [h.tolist() for h in split(hashes, offsets)] == [shingles(x, 4).tolist() for x in ids]
    flat, flat_offsets = flatten(split(hashes, offsets))
    assert flat is hashes or np.shares_memory(flat, hashes)  # consecutive views: no copy
    assert flat_offsets.tolist() == offsets.tolist()


@pytest.mark.usefixtures("compiled")
def test_unique_sets_equal_numpy_unique_per_text(seed_docs) -> None:
    ids = _texts_ids([d.text for d in seed_docs] * 2 + ["a a a a a a a a", ""])
    hashes, offsets = shingle_groups(ids, 3)
    for compiled in (True, False):
        values, set_offsets = unique_sets(hashes, offsets, compiled=compiled)
        sets = split(values, set_offsets)
        assert len(sets) == len(ids)
        for k, s in enumerate(sets):
            assert s.tolist() == np.unique(hashes[offsets[k] : offsets[k + 1]]).tolist()


@pytest.mark.usefixtures("compiled")
def test_unique_sets_with_crowded_top_bits() -> None:
    # hashes sharing their top bits fill one bucket: the kernel's fallback sort keeps the result exact
    rng = np.random.default_rng(3)
    crowded = rng.integers(0, 2**20, size=500, dtype=np.uint64)
    spread = rng.integers(0, 2**63, size=300, dtype=np.uint64)
    hashes = np.concatenate([crowded, crowded[:50], spread, spread[::-1]])
    offsets = np.array([0, 550, 550, len(hashes)], dtype=np.int64)
    values, set_offsets = unique_sets(hashes, offsets)
    assert split(values, set_offsets)[0].tolist() == np.unique(hashes[:550]).tolist()
    assert split(values, set_offsets)[1].tolist() == []
    assert split(values, set_offsets)[2].tolist() == np.unique(hashes[550:]).tolist()


def test_flatten_of_unrelated_arrays_concatenates() -> None:
    arrays = [np.arange(3, dtype=np.uint64), np.array([], dtype=np.uint64), np.arange(10, dtype=np.uint64)[2:5]]
    flat, offsets = flatten(arrays)
    assert flat.tolist() == [0, 1, 2, 2, 3, 4] and offsets.tolist() == [0, 3, 3, 6]


def test_threaded_shingles_and_sets_equal_one_thread() -> None:
    from reuse.shingle import shingle_groups, unique_sets
    from reuse.text import tokenize_batch

    rng = np.random.default_rng(4)
    texts = [" ".join(f"w{x}" for x in rng.integers(0, 4, size=int(rng.integers(0, 80)))) for _ in range(2500)]  # few words: repeated shingles
    halves = tokenize_batch(texts[:1200]) + tokenize_batch(texts[1200:])  # two flat buffers: two groups
    ids = [t.ids for t in halves]
    one, two = shingle_groups(ids, 4, jobs=1), shingle_groups(ids, 4, jobs=2)
    assert np.array_equal(one[0], two[0]) and np.array_equal(one[1], two[1])
    a, b = unique_sets(*one, jobs=1), unique_sets(*one, jobs=3)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1]) and len(a[0]) < len(one[0])
