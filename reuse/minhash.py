"""Vectorised MinHash signatures of shingle windows, compatible with datasketch.

The permutations are datasketch's ``affine32`` scheme, drawn from the same
``RandomState(seed)``: a 32-bit input hash is pre-mixed with the MurmurHash3
finaliser, then ``a * h + b`` wraps modulo 2**32.  A signature made here equals
``datasketch.MinHash(num_perm, seed, scheme="affine32")`` fed with the same
32-bit shingle hashes, so it exports to ``LeanMinHash`` unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from reuse.errors import InteropError
from reuse.jit import compiler, in_runs

_U32 = np.uint32
_EMPTY = np.iinfo(np.uint32).max
#: Rows of shingles x permutations hashed at once; bounds the temporary matrix to ~64 MB.
_CHUNK_CELLS = 16 * 1024 * 1024


def fold32(h64: np.ndarray) -> np.ndarray:
    """Fold 64-bit shingle hashes to the 32-bit inputs the affine32 scheme takes."""
    return ((h64 >> np.uint64(32)) ^ h64).astype(np.uint32)


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser (the pre-mix of datasketch's affine32 scheme)."""
    h = h ^ (h >> _U32(16))
    h = h * _U32(0x85EBCA6B)
    h = h ^ (h >> _U32(13))
    h = h * _U32(0xC2B2AE35)
    return h ^ (h >> _U32(16))


@dataclass(frozen=True)
class Signatures:
    """MinHash signatures of windows.

    Attributes
    ----------
    values : numpy.ndarray of uint32, shape (n_windows, num_perm)
    doc : numpy.ndarray of int64
        Index of the document each window belongs to.
    seed : int
        Permutation seed (part of the signature's identity).
    """

    values: np.ndarray
    doc: np.ndarray
    seed: int

    @property
    def num_perm(self) -> int:
        return int(self.values.shape[1])

    def check_compatible(self, other: Signatures) -> None:
        """Refuse to compare signatures made with another seed or size."""
        if self.seed != other.seed or self.num_perm != other.num_perm:
            raise InteropError(
                f"signatures differ: seed {self.seed} vs {other.seed}, num_perm {self.num_perm} vs {other.num_perm}; "
                "sign both corpora with the same SketchConfig.seed and num_perm"
            )


class Signer:
    """Holds one set of permutations and signs shingle windows with it.

    Parameters
    ----------
    num_perm : int
        Number of permutations (signature length).
    seed : int
        Seed of ``numpy.random.RandomState``, drawn exactly as datasketch draws affine32 permutations.
    """

    def __init__(self, num_perm: int = 64, seed: int = 1) -> None:
        gen = np.random.RandomState(seed)
        self.num_perm = num_perm
        self.seed = seed
        self.a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * _U32(2) + _U32(1)
        self.b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)

    def hash_values(self, h32: np.ndarray) -> np.ndarray:
        """Permuted values of 32-bit inputs, shape ``(len(h32), num_perm)``."""
        x = fmix32(h32.astype(np.uint32))
        return x[:, None] * self.a[None, :] + self.b[None, :]

    def sign(self, h32: np.ndarray) -> np.ndarray:
        """The signature of one set of 32-bit inputs (all-max for an empty set, as datasketch)."""
        if len(h32) == 0:
            return np.full(self.num_perm, _EMPTY, dtype=np.uint32)
        return self.hash_values(h32).min(axis=0)

    def sign_windows(self, h64: np.ndarray, offsets: np.ndarray, window: int, stride: int, compiled: bool = True, jobs: int = 1) -> Signatures:
        """Sign overlapping windows of each text's shingles.

        Window ``w`` of a text covers shingles ``[w*stride, w*stride + window)``;
        the last window of a text also covers its tail, and a text with fewer
        shingles than ``window`` has one window.  Minima are taken per block of
        ``stride`` shingles, then over the ``window // stride`` blocks of each window.

        Parameters
        ----------
        h64 : numpy.ndarray of uint64
            Shingle hashes of all texts, text after text.
        offsets : numpy.ndarray of int64
            ``h64[offsets[k]:offsets[k+1]]`` belong to text ``k``.
        window, stride : int
            Shingles per window and between window starts; ``window`` must be a multiple of ``stride``.
        compiled : bool
            Use the numba kernel for the block minima (default); ``False`` runs the numpy reference, same values.
        jobs : int
            Threads signing runs of texts into one output (the kernel releases the GIL); the same signatures.

        Returns
        -------
        Signatures
        """
        if window % stride:
            raise ValueError("window must be a multiple of stride")
        per = window // stride
        counts = np.diff(offsets)
        nblocks = -(-counts // stride)  # ceil
        kernel = _window_kernel() if compiled else None
        if kernel is not None:
            nwin = np.where(nblocks > 0, np.maximum(1, nblocks - per + 1), 0)
            from reuse.text import nrt_empty

            rows = np.concatenate(([0], np.cumsum(nwin)))
            sig = nrt_empty()[2](int(rows[-1]), self.num_perm)  # see nrt_empty: cheaper to fault in than numpy's
            h64 = np.ascontiguousarray(h64, dtype=np.uint64)
            offsets = np.asarray(offsets, dtype=np.int64)

            def run(lo: int, hi: int) -> None:  # texts lo..hi-1 into their rows of the one output
                kernel(h64, offsets[lo : hi + 1], nwin[lo:hi], stride, per, self.a, self.b, sig[rows[lo] : rows[hi]])

            in_runs(run, len(counts), jobs, 1000)  # a thread per thousand texts at least
            doc = np.repeat(np.arange(len(counts), dtype=np.int64), nwin)
            return Signatures(values=sig, doc=doc, seed=self.seed)
        # block starts (global shingle index) per text
        block_text = np.repeat(np.arange(len(counts)), nblocks)
        first_block = np.concatenate(([0], np.cumsum(nblocks)))
        local = np.arange(len(block_text)) - first_block[block_text]
        block_start = offsets[block_text] + local * stride
        vals = self._block_minima(fold32(h64), block_start, stride)
        return self._windows(vals, counts, nblocks, per)

    def _block_minima(self, h32: np.ndarray, block_start: np.ndarray, stride: int) -> np.ndarray:
        """Per-block minima of the permuted values (numpy reference of the compiled kernel)."""
        vals = np.empty((len(block_start), self.num_perm), dtype=np.uint32)
        # hash in chunks of whole blocks so the (shingles x perms) matrix stays bounded
        rows = max(stride, _CHUNK_CELLS // max(1, self.num_perm))
        b0 = 0
        while b0 < len(block_start):
            lo = int(block_start[b0])
            b1 = int(np.searchsorted(block_start, lo + rows, side="left"))
            b1 = max(b1, b0 + 1)
            hi = int(block_start[b1]) if b1 < len(block_start) else len(h32)
            hv = self.hash_values(h32[lo:hi])
            vals[b0:b1] = np.minimum.reduceat(hv, block_start[b0:b1] - lo, axis=0)
            b0 = b1
        return vals

    def _windows(self, vals: np.ndarray, counts: np.ndarray, nblocks: np.ndarray, per: int) -> Signatures:
        """Window signatures as minima over ``per`` consecutive blocks of each text."""
        first_block = np.concatenate(([0], np.cumsum(nblocks)))
        # windows: per text max(1, nblocks - per + 1) of them (none for a text without shingles)
        nwin = np.where(nblocks > 0, np.maximum(1, nblocks - per + 1), 0)
        win_text = np.repeat(np.arange(len(counts)), nwin)
        first_win = np.concatenate(([0], np.cumsum(nwin)))
        w_local = np.arange(len(win_text)) - first_win[win_text]
        start = first_block[win_text] + w_local
        last = first_block[win_text + 1] - 1
        sig = vals[start].copy()
        for k in range(1, per):
            np.minimum(sig, vals[np.minimum(start + k, last)], out=sig)
        return Signatures(values=sig, doc=win_text.astype(np.int64), seed=self.seed)


@cache
def _window_kernel():  # returns a numba dispatcher, or None
    """Compiled window signatures: fold32, fmix32, ``a * x + b`` and the minima, fused per text.

    Same values as :meth:`Signer._block_minima` followed by :meth:`Signer._windows`
    without their ``(shingles x num_perm)`` and ``(blocks x num_perm)``
    temporaries: each text's block minima live in a small scratch buffer and the
    permutation loop is innermost and branch-free, so it runs on SIMD lanes.
    Arithmetic wraps modulo 2**32 as in datasketch's affine32 scheme.
    """
    jit = compiler()
    if jit is None:  # pragma: no cover - numba is a dependency; the numpy path stays as reference
        return None

    @jit
    def run(h64, offsets, nwin, stride, per, a, b, out):  # pragma: no cover - compiled
        ndoc = nwin.shape[0]
        k = a.shape[0]
        longest = 0
        for d in range(ndoc):
            longest = max(longest, offsets[d + 1] - offsets[d])
        blocks = np.empty(((longest + stride - 1) // stride + 1, k), dtype=np.uint32)
        acc = np.empty(k, dtype=np.uint32)
        full = np.uint32(0xFFFFFFFF)
        w = 0
        for d in range(ndoc):
            lo = offsets[d]
            hi = offsets[d + 1]
            nb = 0
            for s in range(lo, hi, stride):
                for p in range(k):
                    acc[p] = full
                for i in range(s, min(s + stride, hi)):
                    h = h64[i]
                    x = np.uint32((h >> np.uint64(32)) ^ (h & np.uint64(0xFFFFFFFF)))
                    x = x ^ (x >> np.uint32(16))
                    x = np.uint32(x * np.uint32(0x85EBCA6B))
                    x = x ^ (x >> np.uint32(13))
                    x = np.uint32(x * np.uint32(0xC2B2AE35))
                    x = x ^ (x >> np.uint32(16))
                    for p in range(k):
                        acc[p] = min(acc[p], np.uint32(x * a[p] + b[p]))
                blocks[nb, :] = acc
                nb += 1
            # window j: minimum over blocks j .. j+per-1, clipped to the text's last block
            for j in range(nwin[d]):
                for p in range(k):
                    acc[p] = blocks[j, p]
                for q in range(1, per):
                    r = min(j + q, nb - 1)
                    for p in range(k):
                        acc[p] = min(acc[p], blocks[r, p])
                out[w, :] = acc
                w += 1
        return w

    return run


def to_lean_minhash(values: np.ndarray, seed: int):
    """Export one signature row as a ``datasketch.LeanMinHash`` (scheme ``affine32``)."""
    from datasketch import LeanMinHash

    return LeanMinHash(seed=seed, hashvalues=np.asarray(values, dtype=np.uint32), scheme="affine32")


def estimate_jaccard(x: np.ndarray, y: np.ndarray) -> float:
    """Share of equal signature positions: the MinHash estimate of Jaccard similarity."""
    if x.shape != y.shape:
        raise InteropError(f"signature lengths differ ({x.shape[-1]} vs {y.shape[-1]}); use one num_perm")
    return float(np.mean(x == y))
