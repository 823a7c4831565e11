"""LSH banding: datasketch's optimiser, planted candidates, star pairs per bucket."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch.lsh import _optimal_param

from reuse.config import SketchConfig
from reuse.io import Document
from reuse.lsh import band_keys, candidate_pairs, optimal_bands
from reuse.minhash import Signatures, Signer
from reuse.shingle import shingles
from reuse.text import tokenize_batch


@pytest.mark.parametrize(("threshold", "num_perm", "fp", "fn"), [(0.2, 64, 0.2, 0.8), (0.5, 128, 0.5, 0.5), (0.8, 256, 0.5, 0.5), (0.3, 32, 0.1, 0.9)])
def test_bands_equal_datasketch_optimiser(threshold: float, num_perm: int, fp: float, fn: float) -> None:
    bands, rows = optimal_bands(threshold, num_perm, fp, fn)
    assert (bands, rows) == tuple(int(x) for x in _optimal_param(threshold, num_perm, fp, fn))
    assert bands * rows <= num_perm


def window_signatures(docs: list[Document]) -> Signatures:
    config = SketchConfig()
    tokens = tokenize_batch([d.text for d in docs])
    lists = [shingles(t.ids, config.shingle_size) for t in tokens]
    offsets = np.concatenate(([0], np.cumsum([len(x) for x in lists])))
    return Signer(config.num_perm, config.seed).sign_windows(np.concatenate(lists), offsets, config.window_tokens, config.window_stride)


@pytest.fixture(scope="module")
def planted_sigs(planted_docs: list[Document]) -> Signatures:
    return window_signatures(planted_docs)


def as_id_pairs(pairs: np.ndarray, docs: list[Document]) -> set[tuple[str, str]]:
    return {tuple(sorted((docs[a].id, docs[b].id))) for a, b in pairs.tolist()}


def test_planted_passages_become_candidates_and_unrelated_mostly_not(planted, planted_docs, planted_sigs) -> None:
    cfg = SketchConfig()
    bands, rows = optimal_bands(cfg.threshold, cfg.num_perm, cfg.false_positive_weight, cfg.false_negative_weight)
    pairs = candidate_pairs(planted_sigs, bands, rows)
    found = as_id_pairs(pairs, planted_docs)
    assert planted.pairs <= found
    n = len(planted_docs)
    unrelated = found - planted.pairs
    assert len(unrelated) <= 0.02 * (n * (n - 1) / 2)
    # output contract: a < b, unique, sorted
    assert (pairs[:, 0] < pairs[:, 1]).all()
    assert pairs.tolist() == sorted(map(list, {tuple(p) for p in pairs.tolist()}))


def _components(pairs: set[tuple[str, str]]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for a, b in pairs:
        merged = groups.get(a, {a}) | groups.get(b, {b})
        for name in merged:
            groups[name] = merged
    return {frozenset(g) for g in groups.values()}


def test_candidates_link_the_same_documents_in_any_order(planted_docs) -> None:
    # star pairs join each bucket to its first document, so the pairs depend on the order; what they join does not
    forward = as_id_pairs(candidate_pairs(window_signatures(planted_docs), 32, 2), planted_docs)
    rev_docs = planted_docs[::-1]
    backward = as_id_pairs(candidate_pairs(window_signatures(rev_docs), 32, 2), rev_docs)
    assert forward and _components(forward) == _components(backward)


def test_a_bucket_of_k_documents_gives_k_minus_1_pairs() -> None:
    rng = np.random.default_rng(3)
    common = rng.integers(0, 2**32, size=64, dtype=np.uint64).astype(np.uint32)
    for k in (2, 10, 500):
        values = np.stack([common] * k + [rng.integers(0, 2**32, size=64, dtype=np.uint64).astype(np.uint32) for _ in range(3)])
        sigs = Signatures(values=values, doc=np.arange(k + 3, dtype=np.int64), seed=1)
        pairs = candidate_pairs(sigs, 16, 4)
        assert pairs.tolist() == [[0, d] for d in range(1, k)]  # every copy with the first one, no bucket too large


def test_windows_of_one_document_do_not_pair_with_themselves() -> None:
    row = np.arange(64, dtype=np.uint32)
    sigs = Signatures(values=np.stack([row, row, row]), doc=np.array([0, 0, 1]), seed=1)
    assert candidate_pairs(sigs, 16, 4).tolist() == [[0, 1]]


def test_band_keys_depend_on_band_index_and_every_row() -> None:
    values = np.zeros((2, 8), dtype=np.uint32)
    values[1, 3] = 1
    keys = band_keys(values, 4, 2)
    assert keys[0, 0] != keys[0, 1]  # equal values in different bands never collide
    assert keys[0, 1] != keys[1, 1] and keys[0, 0] == keys[1, 0]


def test_too_many_bands_rejected_and_empty_input() -> None:
    sigs = Signatures(values=np.zeros((0, 16), dtype=np.uint32), doc=np.zeros(0, dtype=np.int64), seed=1)
    assert candidate_pairs(sigs, 4, 4).shape == (0, 2)
    with pytest.raises(ValueError, match="exceed num_perm"):
        candidate_pairs(sigs, 5, 4)


def _brute_force_pairs(sigs: Signatures, bands: int, rows: int) -> set[tuple[int, int]]:
    """Star pairs straight from the definition: in every bucket of a band, each document with the bucket's smallest."""
    out: set[tuple[int, int]] = set()
    for band in range(bands):
        buckets: dict[bytes, set[int]] = {}
        for row, d in zip(sigs.values[:, band * rows : (band + 1) * rows], sigs.doc.tolist(), strict=True):
            buckets.setdefault(row.tobytes(), set()).add(d)
        for members in buckets.values():
            m = sorted(members)
            out.update((m[0], b) for b in m[1:])
    return out


@pytest.mark.usefixtures("compiled")
def test_compiled_reference_threaded_and_definition_agree(planted_sigs) -> None:
    compiled = candidate_pairs(planted_sigs, 32, 2)
    assert len(compiled) > 0
    assert np.array_equal(compiled, candidate_pairs(planted_sigs, 32, 2, compiled=False))
    assert np.array_equal(compiled, candidate_pairs(planted_sigs, 32, 2, jobs=2))
    assert {tuple(p) for p in compiled.tolist()} == _brute_force_pairs(planted_sigs, 32, 2)


def test_threaded_packing_equals_one_thread(planted_sigs) -> None:
    from reuse.lsh import doc_bits, pack_bands
    from reuse.minhash import Signatures

    many = Signatures(values=np.tile(planted_sigs.values, (200, 1)), doc=np.repeat(np.arange(200), len(planted_sigs.doc)), seed=1)
    assert len(many.doc) > 100_000
    bits = doc_bits(200)
    assert np.array_equal(pack_bands(many, 32, 2, bits, jobs=1), pack_bands(many, 32, 2, bits, jobs=3))
