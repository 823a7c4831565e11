"""Word n-gram shingles: length, order sensitivity, batch equals per-text."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reuse.shingle import MAX_SHINGLE, shingles, shingles_batch
from reuse.text import tokenize

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
