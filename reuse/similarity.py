"""Exact shingle overlap between documents with sparse matrix products.

A document-by-shingle incidence matrix ``A`` (one row per document, one
column per distinct shingle) gives shared-shingle counts as ``A @ A.T``; for
LSH candidates only the candidate rows are multiplied, so false positives are
dropped by an exact count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from reuse.jit import compiler, in_runs
from reuse.lazy import sparse as sp


@dataclass(frozen=True)
class Overlap:
    """Verified document pairs.

    Attributes
    ----------
    pairs : numpy.ndarray of int64, shape (m, 2)
        Document index pairs ``(a, b)``, ``a < b``.
    shared : numpy.ndarray of int64
        Number of distinct shingles the two documents share.
    containment : numpy.ndarray of float64
        ``shared / min(|A|, |B|)``: the share of the smaller document's shingles found in the other.
    """

    pairs: np.ndarray
    shared: np.ndarray
    containment: np.ndarray


def incidence(shingle_sets: Sequence[np.ndarray], min_df: int = 1) -> sp.csr_matrix:
    """Binary documents x shingles matrix of distinct shingles.

    Parameters
    ----------
    shingle_sets : sequence of numpy.ndarray of uint64
        Distinct shingle hashes per document (as from ``numpy.unique``).
    min_df : int
        Keep only shingles that occur in at least this many documents (2 for pair search).
    """
    uniq = shingle_sets
    n = len(uniq)
    lengths = np.array([len(u) for u in uniq], dtype=np.int64)
    if lengths.sum() == 0:
        return sp.csr_matrix((n, 0), dtype=np.int32)
    allh = np.concatenate(uniq)
    rows = np.repeat(np.arange(n, dtype=np.int32), lengths)
    _, inverse, df = np.unique(allh, return_inverse=True, return_counts=True)
    keep = df[inverse] >= min_df
    col_index = np.cumsum(df >= min_df) - 1
    data = np.ones(int(keep.sum()), dtype=np.int32)
    return sp.csr_matrix((data, (rows[keep], col_index[inverse[keep]])), shape=(n, int((df >= min_df).sum())))


def sizes(shingle_sets: Sequence[np.ndarray]) -> np.ndarray:
    """Number of distinct shingles per document."""
    return np.array([len(s) for s in shingle_sets], dtype=np.int64)


def _overlap(pairs: np.ndarray, shared: np.ndarray, set_sizes: np.ndarray, min_shared: int) -> Overlap:
    keep = shared >= min_shared
    pairs, shared = pairs[keep], shared[keep]
    smaller = np.minimum(set_sizes[pairs[:, 0]], set_sizes[pairs[:, 1]]) if len(pairs) else np.empty(0)
    containment = shared / np.maximum(smaller, 1)
    return Overlap(pairs=pairs.astype(np.int64), shared=shared.astype(np.int64), containment=containment.astype(np.float64))


def all_pairs(shingle_sets: Sequence[np.ndarray], min_shared: int = 1) -> Overlap:
    """Every document pair sharing at least ``min_shared`` shingles (exact, ``A @ A.T``; distinct shingle sets in)."""
    a = incidence(shingle_sets, min_df=2)
    gram = sp.triu(a @ a.T, k=1).tocoo()
    pairs = np.stack([gram.row, gram.col], axis=1).astype(np.int64)
    order = np.lexsort((pairs[:, 1], pairs[:, 0]))
    return _overlap(pairs[order], gram.data[order].astype(np.int64), sizes(shingle_sets), min_shared)


def posting_pairs(shingle_sets: Sequence[np.ndarray]) -> np.ndarray:
    """Star pairs over shingle postings: each document holding a shingle with the first document holding it.

    The exact counterpart of LSH's star buckets (:func:`reuse.lsh.candidate_pairs`): a
    shingle held by ``m`` documents gives ``m - 1`` pairs, so a text carried by ``k``
    documents costs about ``k`` pairs, not ``k**2``.

    Parameters
    ----------
    shingle_sets : sequence of numpy.ndarray of uint64
        Distinct sorted shingle hashes per document.

    Returns
    -------
    numpy.ndarray of int64, shape (m, 2)
        Unique pairs ``(a, b)``, ``a < b``, sorted.
    """
    from reuse.shingle import flatten

    flat, offsets = flatten(shingle_sets)
    doc = np.repeat(np.arange(len(shingle_sets), dtype=np.int64), np.diff(offsets))
    packed = posting_stars(flat, doc)
    return np.stack([(packed >> np.uint64(32)).astype(np.int64), (packed & np.uint64(0xFFFFFFFF)).astype(np.int64)], axis=1)


def posting_stars(hashes: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """The star pairs of :func:`posting_pairs` from postings ``(hashes[i], docs[i])``, as sorted unique
    packed ``a << 32 | b``.

    The postings may come in any order and hold any subset of the shingles, with all the
    documents of each (as a partition of a shuffle by shingle does): the pairs of several
    such subsets add up to those of the whole corpus.  A document holds a shingle once.
    """
    if len(hashes) == 0:
        return np.empty(0, dtype=np.uint64)
    order = np.lexsort((docs, hashes))
    h, d = hashes[order], docs[order]
    first = np.concatenate(([True], h[1:] != h[:-1]))
    centre = d[first][np.cumsum(first) - 1]
    return np.unique((centre[~first].astype(np.uint64) << np.uint64(32)) | d[~first].astype(np.uint64))


def verify(shingle_sets: Sequence[np.ndarray], pairs: np.ndarray, min_shared: int = 1, compiled: bool = True, jobs: int = 1) -> Overlap:
    """Exact shared-shingle counts of candidate pairs; pairs below ``min_shared`` are dropped.

    Only documents that occur in a candidate pair enter the matrix.  With
    ``compiled`` (default) a numba kernel merge-counts each pair's sorted sets
    instead; same counts, no matrix, and on ``jobs`` threads (it releases the GIL).
    """
    if len(pairs) == 0:
        return Overlap(np.empty((0, 2), dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0))
    kernel = _intersect_kernel() if compiled else None
    if kernel is not None:
        # merge-count of the two sorted sets per pair: O(|A| + |B|) each, no matrix built
        from reuse.shingle import flatten

        flat, offsets = flatten(shingle_sets)  # no copy when the sets are views of one buffer (as scan() makes them)
        lengths = np.diff(offsets)
        flat = flat.astype(np.uint64, copy=False)
        rows = np.ascontiguousarray(pairs, dtype=np.int64)
        counted = in_runs(lambda lo, hi: kernel(flat, offsets, rows[lo:hi]), len(rows), jobs, 5000)
        shared = counted[0] if len(counted) == 1 else np.concatenate(counted)
        return _overlap(pairs, shared, lengths, min_shared)
    involved, local = np.unique(pairs, return_inverse=True)
    local = local.reshape(pairs.shape)
    a = incidence([shingle_sets[i] for i in involved.tolist()], min_df=2)
    shared = np.asarray(a[local[:, 0]].multiply(a[local[:, 1]]).sum(axis=1)).ravel()
    return _overlap(pairs, shared, sizes(shingle_sets), min_shared)


@cache
def _intersect_kernel():  # returns a numba dispatcher, or None
    """Compiled size of the intersection of two sorted distinct arrays, for many pairs.

    Gives the counts of the sparse-product path of :func:`verify` (a shingle that
    only one document holds cannot be shared, so the ``min_df=2`` filter changes nothing).
    """
    jit = compiler()
    if jit is None:  # pragma: no cover - numba is a dependency; the sparse path stays as reference
        return None

    @jit
    def run(flat, offsets, pairs):  # pragma: no cover - compiled
        out = np.zeros(pairs.shape[0], dtype=np.int64)
        for p in range(pairs.shape[0]):
            i, i_end = offsets[pairs[p, 0]], offsets[pairs[p, 0] + 1]
            j, j_end = offsets[pairs[p, 1]], offsets[pairs[p, 1] + 1]
            n = 0
            while i < i_end and j < j_end:
                # branch-free merge step: the comparisons are unpredictable, so no jumps on them
                a, b = flat[i], flat[j]
                n += a == b
                i += a <= b
                j += b <= a
            out[p] = n
        return out

    return run
