"""LSH banding of window signatures and candidate document pairs by sorting band keys.

Bands and rows come from datasketch's own optimiser (``datasketch.lsh._optimal_param``),
so a threshold means here what it means in ``MinHashLSH``.  Instead of hash tables,
each band's keys are sorted with numpy and equal runs become candidate pairs.
"""

from __future__ import annotations

import numpy as np

from reuse.minhash import Signatures
from reuse.text import fmix64


def optimal_bands(threshold: float, num_perm: int, false_positive_weight: float = 0.5, false_negative_weight: float = 0.5) -> tuple[int, int]:
    """Return ``(bands, rows)`` minimising datasketch's weighted error at ``threshold``."""
    from datasketch.lsh import _optimal_param

    b, r = _optimal_param(threshold, num_perm, false_positive_weight, false_negative_weight)
    return int(b), int(r)


def band_keys(values: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Hash each band of each signature to one uint64 key, shape ``(n, bands)``.

    The band index is mixed in, so equal values in different bands never collide.
    """
    n = values.shape[0]
    keys = np.empty((n, bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for band in range(bands):
            part = values[:, band * rows : (band + 1) * rows].astype(np.uint64)
            h = np.full(n, np.uint64(band + 1) * np.uint64(0x9E3779B97F4A7C15), dtype=np.uint64)
            for r in range(rows):
                h = fmix64(h ^ part[:, r])
            keys[:, band] = h
    return keys


def _pairs_from_groups(sorted_docs: np.ndarray, group_starts: np.ndarray, group_sizes: np.ndarray) -> np.ndarray:
    """All pairs within each group, vectorised per group size; shape ``(m, 2)`` with ``a < b``."""
    out = []
    for size in np.unique(group_sizes):
        starts = group_starts[group_sizes == size]
        members = sorted_docs[starts[:, None] + np.arange(size)[None, :]]
        i, j = np.triu_indices(int(size), k=1)
        out.append(np.stack([members[:, i].ravel(), members[:, j].ravel()], axis=1))
    return np.concatenate(out) if out else np.empty((0, 2), dtype=np.int64)


def candidate_pairs(sigs: Signatures, bands: int, rows: int, max_bucket: int) -> np.ndarray:
    """Document pairs whose windows share a band key in at least one band.

    Parameters
    ----------
    sigs : Signatures
        Window signatures with their document index.
    bands, rows : int
        LSH banding (``bands * rows <= num_perm``).
    max_bucket : int
        Buckets holding windows of more documents than this are skipped (site templates).

    Returns
    -------
    numpy.ndarray of int64, shape (m, 2)
        Unique pairs ``(a, b)`` of document indices with ``a < b``, sorted.
    """
    if bands * rows > sigs.num_perm:
        raise ValueError(f"{bands} bands x {rows} rows exceed num_perm={sigs.num_perm}")
    if len(sigs.doc) == 0:
        return np.empty((0, 2), dtype=np.int64)
    doc = sigs.doc.astype(np.int64)
    found = []
    for band in range(bands):
        # one band at a time keeps memory at one key per window (not windows x bands)
        k = band_keys(sigs.values[:, band * rows : (band + 1) * rows], 1, rows)[:, 0]
        # a stable sort keeps windows in document order inside each run of equal keys,
        # so repeated (key, doc) entries are adjacent: a document's own repeated windows add nothing
        order = np.argsort(k, kind="stable")
        ks, ds = k[order], doc[order]
        new_key = np.concatenate(([True], ks[1:] != ks[:-1]))
        first = new_key | np.concatenate(([True], ds[1:] != ds[:-1]))
        ks, ds, new_key = ks[first], ds[first], new_key[first]
        boundary = np.flatnonzero(np.concatenate((new_key, [True])))
        starts, sizes = boundary[:-1], np.diff(boundary)
        keep = (sizes >= 2) & (sizes <= max_bucket)
        if keep.any():
            found.append(_pairs_from_groups(ds, starts[keep], sizes[keep]))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(found)
    return np.unique(pairs, axis=0)
