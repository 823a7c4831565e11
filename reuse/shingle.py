"""Word n-gram shingles as 64-bit hashes, with the token position each starts at."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from reuse.text import fmix64

#: Odd multipliers, one per position in the n-gram, so that "a b" and "b a" differ.
_MULT = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
     0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x27D4EB2F165667C5, 0x94D049BB133111EB],
    dtype=np.uint64,
)
MAX_SHINGLE = len(_MULT)


def shingles(ids: np.ndarray, n: int) -> np.ndarray:
    """Hash every run of ``n`` consecutive token ids.

    Parameters
    ----------
    ids : numpy.ndarray of uint64
        Token ids of one text.
    n : int
        Words per shingle (at most ``MAX_SHINGLE``).

    Returns
    -------
    numpy.ndarray of uint64
        ``max(0, len(ids) - n + 1)`` hashes; hash ``i`` covers tokens ``i .. i+n-1``.
    """
    if not 1 <= n <= MAX_SHINGLE:
        raise ValueError(f"shingle size must be between 1 and {MAX_SHINGLE}, got {n}")
    m = len(ids) - n + 1
    if m <= 0:
        return np.empty(0, dtype=np.uint64)
    with np.errstate(over="ignore"):
        h = ids[:m] * _MULT[0]
        for k in range(1, n):
            h = h + ids[k : k + m] * _MULT[k]
    return fmix64(h)


def shingles_batch(id_arrays: Sequence[np.ndarray], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Shingle many token arrays at once.

    Returns
    -------
    hashes : numpy.ndarray of uint64
        All shingles, text after text.
    offsets : numpy.ndarray of int64
        ``hashes[offsets[k]:offsets[k+1]]`` are the shingles of text ``k``.
    """
    counts = np.array([max(0, len(a) - n + 1) for a in id_arrays], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(counts)))
    if not len(id_arrays):
        return np.empty(0, dtype=np.uint64), offsets
    lengths = np.array([len(a) for a in id_arrays], dtype=np.int64)
    joined = np.concatenate(id_arrays) if lengths.sum() else np.empty(0, dtype=np.uint64)
    if len(joined) < n:
        return np.empty(0, dtype=np.uint64), offsets
    every = shingles(joined, n)
    # keep shingles that start and end inside the same text
    starts = np.concatenate(([0], np.cumsum(lengths)))[:-1]
    keep = np.concatenate([np.arange(s, s + c) for s, c in zip(starts.tolist(), counts.tolist(), strict=True)]) if counts.sum() else np.empty(0, dtype=np.int64)
    return every[keep], offsets
