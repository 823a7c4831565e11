"""MinHash signatures: pinned values, datasketch equality, LeanMinHash export, estimate accuracy."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash

from reuse.errors import InteropError
from reuse.minhash import Signatures, Signer, estimate_jaccard, fold32, to_lean_minhash
from reuse.shingle import shingles
from reuse.text import tokenize


def datasketch_signature(h32: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    m = MinHash(num_perm=num_perm, seed=seed, hashfunc=lambda x: x, scheme="affine32")
    m.update_batch(h32.tolist())
    return np.asarray(m.hashvalues)


def test_pinned_signature_values() -> None:
    # a regression pin: these change only if the permutation draw or the hash scheme changes
    sig = Signer(64, seed=1).sign(np.arange(10, dtype=np.uint32))
    assert sig[:5].tolist() == [1140364452, 125272102, 420499254, 474951968, 17923772]
    assert sig.dtype == np.uint32 and sig.shape == (64,)


def test_fold32_mixes_both_halves() -> None:
    h = np.array([0x0000000100000000, 0x0000000000000001, 0xFFFFFFFF00000000], dtype=np.uint64)
    assert fold32(h).tolist() == [1, 1, 0xFFFFFFFF]
    assert fold32(h).dtype == np.uint32


@pytest.mark.parametrize(("num_perm", "seed"), [(64, 1), (128, 7), (256, 42)])
def test_equals_datasketch_affine32(seed_file, num_perm: int, seed: int) -> None:
    text = seed_file("000").read_text(encoding="utf-8")
    h32 = fold32(shingles(tokenize(text).ids, 4))
    ours = Signer(num_perm, seed).sign(h32)
    assert np.array_equal(ours, datasketch_signature(h32, num_perm, seed))


def test_empty_set_signature_matches_datasketch() -> None:
    empty = Signer(32, 1).sign(np.empty(0, dtype=np.uint32))
    assert np.array_equal(empty, MinHash(32, seed=1, scheme="affine32").hashvalues)


def test_lean_minhash_round_trip(seed_file) -> None:
    h32 = fold32(shingles(tokenize(seed_file("001").read_text(encoding="utf-8")).ids, 4))
    sig = Signer(128, 3).sign(h32)
    lean = to_lean_minhash(sig, 3)
    assert isinstance(lean, LeanMinHash)
    assert lean.seed == 3 and np.array_equal(lean.hashvalues, sig)
    # through datasketch's own byte format and back
    buf = bytearray(lean.bytesize())
    lean.serialize(buf)
    back = LeanMinHash.deserialize(buf)
    assert np.array_equal(back.hashvalues, sig)
    # equal to the LeanMinHash datasketch builds from the same inputs
    built = MinHash(128, seed=3, hashfunc=lambda x: x, scheme="affine32")
    built.update_batch(h32.tolist())
    assert lean.jaccard(LeanMinHash(built)) == 1.0


@pytest.mark.parametrize("target", [0.1, 0.3, 0.5, 0.8])
def test_estimates_match_exact_jaccard(target: float) -> None:
    rng = np.random.default_rng(int(target * 100))
    signer = Signer(256, seed=11)
    for _ in range(5):
        universe = rng.choice(2**32 - 1, size=3000, replace=False).astype(np.uint32)
        # |A ∩ B| / |A ∪ B| = target with |A| = |B| = 1000
        shared = round(2000 * target / (1 + target))
        a = universe[:1000]
        b = np.concatenate([a[:shared], universe[1000 : 1000 + 1000 - shared]])
        exact = len(np.intersect1d(a, b)) / len(np.union1d(a, b))
        est = estimate_jaccard(signer.sign(a), signer.sign(b))
        assert abs(est - exact) < 0.1, (est, exact)


def test_sign_windows_equals_signing_each_window() -> None:
    rng = np.random.default_rng(5)
    counts = [100, 20, 0, 48, 33]
    h64 = rng.integers(0, 2**63, size=sum(counts), dtype=np.uint64)
    offsets = np.concatenate(([0], np.cumsum(counts)))
    signer = Signer(32, 1)
    window, stride = 32, 16
    sigs = signer.sign_windows(h64, offsets, window, stride)
    expected_rows, expected_docs = [], []
    h32 = fold32(h64)
    for k, count in enumerate(counts):
        if count == 0:
            continue
        nblocks = -(-count // stride)
        nwin = max(1, nblocks - window // stride + 1)
        for w in range(nwin):
            lo = offsets[k] + w * stride
            hi = offsets[k] + min(w * stride + window, count) if w < nwin - 1 else offsets[k + 1]
            expected_rows.append(signer.sign(h32[lo:hi]))
            expected_docs.append(k)
    assert sigs.doc.tolist() == expected_docs
    assert np.array_equal(sigs.values, np.array(expected_rows))
    assert sigs.seed == 1 and sigs.num_perm == 32


def test_sign_windows_rejects_bad_stride() -> None:
    with pytest.raises(ValueError, match="multiple of stride"):
        Signer(8, 1).sign_windows(np.zeros(10, dtype=np.uint64), np.array([0, 10]), 10, 3)


def test_refuses_signatures_of_another_seed_or_size() -> None:
    x = Signatures(values=np.zeros((1, 64), dtype=np.uint32), doc=np.zeros(1, dtype=np.int64), seed=1)
    other_seed = Signatures(values=np.zeros((1, 64), dtype=np.uint32), doc=np.zeros(1, dtype=np.int64), seed=2)
    other_size = Signatures(values=np.zeros((1, 128), dtype=np.uint32), doc=np.zeros(1, dtype=np.int64), seed=1)
    x.check_compatible(x)
    with pytest.raises(InteropError, match=r"same SketchConfig\.seed"):
        x.check_compatible(other_seed)
    with pytest.raises(InteropError, match="num_perm"):
        x.check_compatible(other_size)
    with pytest.raises(InteropError, match="num_perm"):
        estimate_jaccard(np.zeros(64, dtype=np.uint32), np.zeros(128, dtype=np.uint32))


def test_chunked_signing_equals_unchunked(monkeypatch: pytest.MonkeyPatch) -> None:
    import reuse.minhash as mh

    rng = np.random.default_rng(9)
    counts = [0, 5, 300, 16, 17, 0, 1000, 31]
    h64 = rng.integers(0, 2**63, size=sum(counts), dtype=np.uint64)
    offsets = np.concatenate(([0], np.cumsum(counts)))
    signer = Signer(64, 2)
    whole = signer.sign_windows(h64, offsets, 32, 16)
    for cells in (64 * 16, 64 * 40, 64 * 333):  # chunks of 16, 40 and 333 shingles
        monkeypatch.setattr(mh, "_CHUNK_CELLS", cells)
        chunked = signer.sign_windows(h64, offsets, 32, 16, compiled=False)  # the chunks are the numpy path's
        assert np.array_equal(chunked.values, whole.values)
        assert np.array_equal(chunked.doc, whole.doc)


@pytest.mark.usefixtures("compiled")
@pytest.mark.parametrize(("window", "stride"), [(32, 16), (16, 16), (48, 16), (12, 4), (7, 1)])
def test_compiled_windows_equal_numpy_reference_for_any_window_shape(window: int, stride: int) -> None:
    rng = np.random.default_rng(window * 100 + stride)
    counts = [0, 1, stride - 1, stride, stride + 1, window - 1, window, window + 1, window + stride, 3 * window + 5, 0, 777]
    h64 = rng.integers(0, 2**64, size=sum(counts), dtype=np.uint64, endpoint=False)
    offsets = np.concatenate(([0], np.cumsum(counts)))
    signer = Signer(64, 7)
    ref = signer.sign_windows(h64, offsets, window, stride, compiled=False)
    fast = signer.sign_windows(h64, offsets, window, stride, compiled=True)
    assert fast.values.dtype == np.uint32 and fast.doc.dtype == np.int64
    assert np.array_equal(ref.values, fast.values) and np.array_equal(ref.doc, fast.doc)


@pytest.mark.usefixtures("compiled")
def test_compiled_windows_equal_datasketch_on_a_seed(seed_file) -> None:
    # the fused kernel (fold32, fmix32, affine32, minima) against datasketch itself, window by window
    h64 = shingles(tokenize(seed_file("001").read_text(encoding="utf-8")).ids, 4)
    sigs = Signer(64, 1).sign_windows(h64, np.array([0, len(h64)]), 32, 16)
    h32 = fold32(h64)
    for w in (0, 1, len(sigs.doc) - 1):
        hi = 16 * w + 32 if w < len(sigs.doc) - 1 else len(h64)
        assert np.array_equal(sigs.values[w], datasketch_signature(h32[16 * w : hi], 64, 1))
