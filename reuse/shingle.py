"""Word n-gram shingles as 64-bit hashes, with the token position each starts at."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from itertools import pairwise

import numpy as np

from reuse.jit import compiler, in_runs
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


def shingles_batch(id_arrays: Sequence[np.ndarray], n: int, compiled: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Shingle many token arrays at once.

    ``compiled`` (default) runs :func:`shingle_groups`; ``False`` the numpy reference, same values.

    Returns
    -------
    hashes : numpy.ndarray of uint64
        All shingles, text after text.
    offsets : numpy.ndarray of int64
        ``hashes[offsets[k]:offsets[k+1]]`` are the shingles of text ``k``.
    """
    if compiled:
        return shingle_groups(id_arrays, n)
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


def shingle_groups(id_arrays: Sequence[np.ndarray], n: int, compiled: bool = True, jobs: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Shingle many token arrays in compiled passes (same hashes and layout as :func:`shingles_batch`).

    Consecutive views of one flat buffer (as :func:`reuse.text.tokenize_batch`
    returns) are shingled in place, one kernel call per buffer; with ``jobs`` above one, the
    buffers are shingled on that many threads (the kernel releases the GIL; same hashes).

    Returns
    -------
    hashes : numpy.ndarray of uint64
        All shingles, text after text.
    offsets : numpy.ndarray of int64
        ``hashes[offsets[k]:offsets[k+1]]`` are the shingles of text ``k``.
    """
    if not 1 <= n <= MAX_SHINGLE:
        raise ValueError(f"shingle size must be between 1 and {MAX_SHINGLE}, got {n}")
    kernel = _shingle_kernel() if compiled else None
    if kernel is None:
        return shingles_batch(id_arrays, n, compiled=False)
    from reuse.text import flat_groups, nrt_empty

    groups = flat_groups(id_arrays)
    counts = np.maximum(np.concatenate([np.diff(bounds) for _, _, bounds in groups]) - (n - 1), 0) if groups else np.zeros(0, dtype=np.int64)
    offsets = np.zeros(len(id_arrays) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    hashes = nrt_empty()[0](int(offsets[-1]))  # see nrt_empty: cheaper to fault in than numpy's
    def run(group: tuple[int, np.ndarray, np.ndarray]) -> None:  # each group writes its own stretch of the output
        first, flat, bounds = group
        kernel(flat, bounds, _MULT[:n], hashes[offsets[first] :])

    if groups:
        run(groups[0])  # here first: threads calling an unloaded kernel each load it
    if jobs > 1 and len(groups) > 2:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(run, groups[1:]))
    else:
        for group in groups[1:]:
            run(group)
    return hashes, offsets


def unique_sets(hashes: np.ndarray, offsets: np.ndarray, compiled: bool = True, jobs: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Distinct sorted hashes per text: ``numpy.unique`` of each ``hashes[offsets[k]:offsets[k+1]]``, in one pass.

    With ``jobs`` above one, runs of texts are done on that many threads (the kernel releases the
    GIL) and joined: the same values.

    Returns
    -------
    values : numpy.ndarray of uint64
    offsets : numpy.ndarray of int64
        ``values[offsets[k]:offsets[k+1]]`` is the set of text ``k``.
    """
    kernel = _unique_kernel() if compiled else None
    if kernel is not None:
        from reuse.text import nrt_empty

        values = nrt_empty()[0](len(hashes))  # see nrt_empty: cheaper to fault in than numpy's
        counts = np.zeros(len(offsets) - 1, dtype=np.int64)

        def run(lo: int, hi: int) -> np.ndarray:  # a run of texts compacts into its own stretch
            base = offsets[lo]
            m = kernel(hashes, offsets[lo : hi + 1], values[base:], counts[lo:hi])
            return values[base : base + m]

        stretches = in_runs(run, len(offsets) - 1, jobs, 1000)
        # one run: a view (duplicates are few); several: the stretches joined
        values = stretches[0] if len(stretches) == 1 else np.concatenate(stretches)
    else:
        sets = [np.unique(hashes[a:b]) for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist(), strict=True)]
        counts = np.array([len(s) for s in sets], dtype=np.int64)
        values = np.concatenate(sets) if len(sets) else np.empty(0, dtype=np.uint64)
    out = np.zeros(len(offsets), dtype=np.int64)
    np.cumsum(counts, out=out[1:])
    return values, out


def split(values: np.ndarray, offsets: np.ndarray) -> list[np.ndarray]:
    """Per-text views ``values[offsets[k]:offsets[k+1]]``."""
    cut = offsets.tolist()
    return [values[a:b] for a, b in pairwise(cut)]


@cache
def _shingle_kernel():  # returns a numba dispatcher, or None
    """Compiled :func:`shingles` over many texts in one flat id array, never crossing a text boundary."""
    jit = compiler()
    if jit is None:  # pragma: no cover - numba is a dependency; the numpy path stays as reference
        return None

    @jit
    def run(ids, bounds, mult, out):  # pragma: no cover - compiled
        n = mult.shape[0]
        ndoc = bounds.shape[0] - 1
        m = 0
        for d in range(ndoc):
            lo = bounds[d]
            for i in range(lo, bounds[d + 1] - n + 1):
                h = ids[i] * mult[0]
                for k in range(1, n):
                    h += ids[i + k] * mult[k]
                h ^= h >> np.uint64(33)
                h *= np.uint64(0xFF51AFD7ED558CCD)
                h ^= h >> np.uint64(33)
                h *= np.uint64(0xC4CEB9FE1A85EC53)
                h ^= h >> np.uint64(33)
                out[m] = h
                m += 1
        return m

    return run


@cache
def _unique_kernel():  # returns a numba dispatcher, or None
    """Compiled sort-and-deduplicate of each text's slice of hashes."""
    jit = compiler()
    if jit is None:  # pragma: no cover - numba is a dependency; the numpy path stays as reference
        return None

    @jit
    def run(hashes, offsets, out, counts):  # pragma: no cover - compiled
        ndoc = offsets.shape[0] - 1
        longest = 0
        for d in range(ndoc):
            longest = max(longest, offsets[d + 1] - offsets[d])
        buf = np.empty(longest, dtype=np.uint64)
        hist = np.empty(2 * longest + 2, dtype=np.int64)
        m = 0
        for d in range(ndoc):
            lo = offsets[d]
            length = offsets[d + 1] - lo
            if length == 0:
                continue
            # counting sort on the top bits (about one bucket per hash: shingle hashes are uniform),
            # then a short insertion sort per bucket; big buckets (adversarial input) use np.sort
            bits = 1
            while (1 << bits) < length:
                bits += 1
            nb = 1 << bits
            shift = np.uint64(64 - bits)
            hist[: nb + 1] = 0
            for i in range(lo, lo + length):
                hist[(hashes[i] >> shift) + np.uint64(1)] += 1
            for b in range(nb):
                hist[b + 1] += hist[b]
            for i in range(lo, lo + length):
                x = hashes[i]
                b = x >> shift
                buf[hist[b]] = x
                hist[b] += 1
            start = 0
            for b in range(nb):
                end = hist[b]
                if end - start > 32:
                    buf[start:end] = np.sort(buf[start:end])
                else:
                    for i in range(start + 1, end):
                        x = buf[i]
                        j = i
                        while j > start and buf[j - 1] > x:
                            buf[j] = buf[j - 1]
                            j -= 1
                        buf[j] = x
                start = end
            m0 = m
            out[m] = buf[0]
            m += 1
            for i in range(1, length):
                if buf[i] != buf[i - 1]:
                    out[m] = buf[i]
                    m += 1
            counts[d] = m - m0
        return m

    return run


def flatten(arrays: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """``(flat, offsets)`` of uint64 arrays; no copy when they are consecutive views of one buffer (see :func:`split`)."""
    from reuse.text import flat_groups

    groups = flat_groups(arrays)
    if len(groups) == 1:
        return groups[0][1], groups[0][2]
    offsets = np.zeros(len(arrays) + 1, dtype=np.int64)
    np.cumsum([len(a) for a in arrays], out=offsets[1:])
    flat = np.concatenate([g[1] for g in groups]) if groups else np.empty(0, dtype=np.uint64)
    return flat, offsets
