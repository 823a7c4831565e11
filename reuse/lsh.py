"""LSH banding of window signatures and candidate document pairs by sorting band keys.

Bands and rows come from datasketch's own optimiser (``datasketch.lsh._optimal_param``),
so a threshold means here what it means in ``MinHashLSH``.  Instead of hash tables,
each band's keys, packed with the document index into one uint64, are sorted with
numpy and runs of equal keys are buckets.  A bucket's documents become star pairs
with its first document (a numba kernel), so a text carried by ``k`` documents costs
``k`` pairs, not ``k**2`` (``reuse.cluster`` groups their alignments).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import numpy as np

from reuse.jit import compiler, in_runs
from reuse.minhash import Signatures
from reuse.text import fmix64


@cache  # datasketch integrates the error curves numerically for every (bands, rows): ~0.2 s a call
def optimal_bands(threshold: float, num_perm: int, false_positive_weight: float = 0.5, false_negative_weight: float = 0.5) -> tuple[int, int]:
    """Return ``(bands, rows)`` minimising datasketch's weighted error at ``threshold``."""
    from datasketch.lsh import _optimal_param

    b, r = _optimal_param(threshold, num_perm, false_positive_weight, false_negative_weight)
    return int(b), int(r)


#: The 64-bit golden ratio, times ``band + 1``: the seed that keeps bands' keys apart.
_GOLDEN = 0x9E3779B97F4A7C15


def band_keys(values: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Hash each band of each signature to one uint64 key, shape ``(n, bands)``.

    The band index is mixed in, so equal values in different bands never collide.
    """
    n = values.shape[0]
    keys = np.empty((n, bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for band in range(bands):
            part = values[:, band * rows : (band + 1) * rows].astype(np.uint64)
            h = np.full(n, np.uint64(band + 1) * np.uint64(_GOLDEN), dtype=np.uint64)
            for r in range(rows):
                h = fmix64(h ^ part[:, r])
            keys[:, band] = h
    return keys


def doc_bits(n_docs: int) -> int:
    """Low bits of a packed band entry that hold the document index."""
    return max(1, int(n_docs - 1).bit_length())



def packed_band(values: np.ndarray, band: int, rows: int, doc: np.ndarray, bits: int) -> np.ndarray:
    """One band's entries as ``key_high_bits | doc``: sorting them groups windows by key, documents ascending.

    The key is :func:`band_keys` of the band's rows, mixed once more with the band index.
    It keeps its top ``64 - bits`` bits; two distinct keys that agree there merge their
    buckets, which can only *add* candidate pairs (all are verified exactly later).  At
    100,000 documents 47 key bits are kept: about one merge per band in 10,000 at a
    million windows.
    """
    key = band_keys(values[:, band * rows : (band + 1) * rows], 1, rows)[:, 0]
    with np.errstate(over="ignore"):
        key = fmix64(key ^ (np.uint64(band + 1) * np.uint64(_GOLDEN)))
    low = np.uint64((1 << bits) - 1)
    return (key & ~low) | doc.astype(np.uint64)


@cache
def _pack_kernel():  # returns a numba dispatcher, or None
    """Compiled :func:`packed_band` (same bits), without the numpy temporaries."""
    jit = compiler()
    if jit is None:  # pragma: no cover - numba is a dependency; the numpy path stays as reference
        return None

    @jit
    def run(values, bands, rows, doc, bits, out):  # pragma: no cover - compiled
        # all bands in one pass over the rows: a signature row is read once, not once per band
        n = values.shape[0]
        seed = np.uint64(_GOLDEN)  # band_keys' mix for its band 0
        low = np.uint64((1 << bits) - 1)
        for i in range(n):
            d = np.uint64(doc[i])
            for band in range(bands):
                h = seed
                # rows + 1 rounds of MurmurHash3's fmix64, written out here: a kernel that calls
                # another compiled function is not taken from numba's disk cache (recompiled per process)
                for r in range(rows + 1):
                    h ^= np.uint64(values[i, band * rows + r]) if r < rows else np.uint64(band + 1) * np.uint64(_GOLDEN)
                    h ^= h >> np.uint64(33)
                    h *= np.uint64(0xFF51AFD7ED558CCD)
                    h ^= h >> np.uint64(33)
                    h *= np.uint64(0xC4CEB9FE1A85EC53)
                    h ^= h >> np.uint64(33)
                out[band, i] = (h & ~low) | d

    return run


def _star_pairs_numpy(entries: np.ndarray, bits: int) -> np.ndarray:
    """Star pairs of the buckets in sorted packed entries, as packed ``a << 32 | b`` (reference path).

    A bucket's documents are joined to its first (smallest) document only: a bucket of ``m``
    documents gives ``m - 1`` pairs, not ``m (m - 1) / 2``.  Its windows share a whole band, so
    each member carries text like the first one's, and aligning every member with that one
    finds the text all of them carry (``reuse.cluster`` joins the alignments into one cluster).
    """
    entries = entries[np.concatenate(([True], entries[1:] != entries[:-1]))]  # one entry per (key, doc)
    keys = entries >> np.uint64(bits)
    docs = (entries & np.uint64((1 << bits) - 1)).astype(np.uint64)
    first = np.concatenate(([True], keys[1:] != keys[:-1]))
    bucket = np.cumsum(first) - 1
    centre = docs[np.flatnonzero(first)][bucket]
    keep = ~first
    return (centre[keep] << np.uint64(32)) | docs[keep]


@cache
def _star_kernel():  # returns a numba dispatcher, or None
    """Compiled :func:`_star_pairs_numpy`, in one pass over the sorted entries."""
    jit = compiler()
    if jit is None:  # pragma: no cover - numba is a dependency; the numpy path stays as reference
        return None

    @jit
    def run(entries, bits):  # pragma: no cover - compiled
        # one pass: a bucket of m entries gives at most m - 1 pairs, so n entries fit n pairs
        n = entries.shape[0]
        shift = np.uint64(bits)
        low = np.uint64((1 << bits) - 1)
        out = np.empty(n, dtype=np.uint64)
        total = 0
        i = 0
        while i < n:
            key = entries[i] >> shift
            centre = entries[i] & low
            j = i + 1
            while j < n and (entries[j] >> shift) == key:
                if entries[j] != entries[j - 1]:  # a document's second window in the bucket adds nothing
                    out[total] = (centre << np.uint64(32)) | (entries[j] & low)
                    total += 1
                j += 1
            i = j
        return out[:total]

    return run


def pack_bands(sigs: Signatures, bands: int, rows: int, bits: int, compiled: bool = True, jobs: int = 1) -> np.ndarray:
    """Every band's packed entries (see :func:`packed_band`), shape ``(bands, n_windows)``.

    The compiled kernel releases the GIL: with ``jobs`` above one, runs of windows are packed on
    that many threads (the same entries).
    """
    pack = _pack_kernel() if compiled else None
    if pack is None:
        return np.stack([packed_band(sigs.values, band, rows, sigs.doc, bits) for band in range(bands)])
    n = len(sigs.doc)
    out = np.empty((bands, n), dtype=np.uint64)

    def run(lo: int, hi: int) -> None:  # windows lo..hi-1 into their columns of the one output
        pack(sigs.values[lo:hi], bands, rows, sigs.doc[lo:hi], bits, out[:, lo:hi])

    in_runs(run, n, jobs, 50_000)  # a thread per 50,000 windows at least
    return out


def band_pairs(entries: np.ndarray, bits: int, compiled: bool = True) -> np.ndarray:
    """Sorted unique packed star pairs ``a << 32 | b`` of one band's buckets; sorts ``entries`` in place."""
    entries.sort()  # numpy's sort of uint64 releases the GIL
    kernel = _star_kernel() if compiled else None
    packed = kernel(entries, bits) if kernel is not None else _star_pairs_numpy(entries, bits)
    return np.unique(packed)


def unpack_pairs(packed: Sequence[np.ndarray]) -> np.ndarray:
    """Merge packed pairs of several bands into unique ``(a, b)`` rows, sorted."""
    merged = np.unique(np.concatenate(packed)) if len(packed) else np.empty(0, dtype=np.uint64)
    return np.stack([(merged >> np.uint64(32)).astype(np.int64), (merged & np.uint64(0xFFFFFFFF)).astype(np.int64)], axis=1)


def candidate_pairs(
    sigs: Signatures, bands: int, rows: int, jobs: int = 1, compiled: bool = True, n_docs: int | None = None
) -> np.ndarray:
    """Star pairs of documents whose windows share a band key: each bucket's members with its first document.

    Each band's entries (key bits and document index packed in one uint64) are
    sorted; a run of equal keys is a bucket, and every document in it is paired with
    the bucket's smallest document index (see :func:`_star_pairs_numpy`).  A text in
    ``k`` documents gives about ``k`` pairs, however many documents carry it, so no
    bucket is too large to keep (site templates included: ``reuse.cluster`` classes them).

    Parameters
    ----------
    sigs : Signatures
        Window signatures with their document index.
    bands, rows : int
        LSH banding (``bands * rows <= num_perm``).
    jobs : int
        Threads working on separate bands (the sort and the compiled grouping release the GIL);
        the result does not depend on it.
    compiled : bool
        Use the numba kernels (default); ``False`` runs the numpy reference, same result.
    n_docs : int, optional
        Documents in the corpus (default: the largest index in ``sigs.doc`` + 1); sets how many
        low bits of an entry hold the document (:func:`doc_bits`).

    Returns
    -------
    numpy.ndarray of int64, shape (m, 2)
        Unique pairs ``(a, b)`` of document indices with ``a < b`` (``a`` the bucket's first), sorted.
    """
    if bands * rows > sigs.num_perm:
        raise ValueError(f"{bands} bands x {rows} rows exceed num_perm={sigs.num_perm}")
    if len(sigs.doc) == 0:
        return np.empty((0, 2), dtype=np.int64)
    n_docs = max(int(sigs.doc.max()) + 1, n_docs or 0)
    if n_docs >= 2**32:  # pragma: no cover - pairs are packed as two 32-bit indices
        raise ValueError("candidate_pairs handles fewer than 2**32 documents")
    bits = doc_bits(n_docs)
    entries = pack_bands(sigs, bands, rows, bits, compiled, jobs)
    rows_of = [entries[band] for band in range(bands)]
    found = [band_pairs(rows_of[0], bits, compiled)]  # here first: threads calling an unloaded kernel each load it
    if jobs > 1:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            found += pool.map(lambda e: band_pairs(e, bits, compiled), rows_of[1:])
    else:
        found += [band_pairs(e, bits, compiled) for e in rows_of[1:]]
    return unpack_pairs(found)
