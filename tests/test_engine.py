"""Performance paths give the results of the reference paths: compiled tokeniser, batched language, jobs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reuse.io import Document
from reuse.text import detect_language_batch, detect_language_ids, tokenize_batch

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

_ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",))


@pytest.mark.usefixtures("compiled")
@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=_ALPHABET, max_size=60), min_size=1, max_size=5))
def test_compiled_tokeniser_equals_numpy_reference(texts: list[str]) -> None:
    ref = tokenize_batch(texts, compiled=False)
    fast = tokenize_batch(texts, compiled=True)
    for a, b in zip(ref, fast, strict=True):
        assert np.array_equal(a.ids, b.ids)
        assert np.array_equal(a.starts, b.starts)
        assert np.array_equal(a.ends, b.ends)


@pytest.mark.usefixtures("compiled")
def test_compiled_tokeniser_on_folds_and_joiners() -> None:
    texts = ["Straße STRASSE ﬁnden Frie\u00addens\u00adplan 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 İstanbul naïve „Zitat“", "", "   ", "ß"]
    ref = tokenize_batch(texts, compiled=False)
    fast = tokenize_batch(texts, compiled=True)
    assert [t.ids.tolist() for t in ref] == [t.ids.tolist() for t in fast]
    assert fast[0].ids[0] == fast[0].ids[1]  # ß folds to ss in both paths


def test_batched_language_detection_equals_per_document() -> None:
    texts = [
        "Der Präsident sagte, dass die Verhandlungen in der nächsten Woche weitergehen werden.",
        "The president said that the talks will continue in the coming week and there was no deal.",
        "Selenskyj Witkoff Kushner Dmitrijew",
        "",
    ]
    toks = tokenize_batch(texts)
    assert detect_language_batch([t.ids for t in toks]) == [detect_language_ids(t.ids) for t in toks] == ["de", "en", "und", "und"]


@pytest.mark.usefixtures("compiled")
def test_compiled_block_minhash_equals_numpy_reference() -> None:
    from reuse.minhash import Signer
    from reuse.shingle import shingles

    rng = np.random.default_rng(5)
    arrays = [rng.integers(0, 2**63, size=int(n), dtype=np.uint64) for n in (0, 3, 31, 32, 33, 100, 517)]
    h = [shingles(a, 4) for a in arrays]
    offsets = np.concatenate(([0], np.cumsum([len(x) for x in h])))
    signer = Signer(64, 1)
    ref = signer.sign_windows(np.concatenate(h), offsets, 32, 16, compiled=False)
    fast = signer.sign_windows(np.concatenate(h), offsets, 32, 16, compiled=True)
    assert np.array_equal(ref.values, fast.values) and np.array_equal(ref.doc, fast.doc)


def test_scan_jobs_1_and_2_identical_on_planted_corpus(tmp_path) -> None:
    import json

    from click.testing import CliRunner

    from benchmarks.planted import PlantedConfig, write
    from reuse.cli import main

    # 500 documents: enough for two workers (reuse.engine.MIN_DOCS_PER_JOB) and for the LSH path
    corpus, _ = write(tmp_path, PlantedConfig(docs=500, seed=5))
    outputs = []
    for jobs in ("1", "2"):
        result = CliRunner().invoke(main, ["scan", str(corpus), "--candidates", "lsh", "--jobs", jobs, "--format", "json", "-q"])
        assert result.exit_code == 0, result.output
        outputs.append(json.loads(result.output))
    assert outputs[0] == outputs[1]
    assert len(outputs[0]["documents"]) == 500
    assert len(outputs[0]["families"]) >= 45  # 50 planted pairs; the quality test scores them exactly


@pytest.mark.parametrize("transfer", ["shared memory", "pipe"])
def test_engine_front_equals_in_process_front(transfer: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks.planted import PlantedConfig, generate
    from reuse import engine
    from reuse.config import CleanConfig
    from reuse.engine import front

    if transfer == "pipe":  # no shared token arrays could be mapped: the workers send the tokens back
        monkeypatch.setattr(engine, "_token_slots", lambda docs: None)
    from reuse.io import documents_from_texts, load_paths

    records, _ = generate(PlantedConfig(docs=450, seed=9))
    html = Document(id="page", text="<nav>Zur Startseite</nav><p>Ein Satz über Verhandlungen in Genf.</p>", html=True)
    # the seeds and the page carry boilerplate: workers send spans back and the masked texts are rebuilt from them
    docs = load_paths([str(SEEDS)]) + documents_from_texts({r["id"]: r["text"] for r in records}) + documents_from_texts({"empty": "   "}) + [html]
    one, two = front(docs, CleanConfig(), jobs=1), front(docs, CleanConfig(), jobs=2)
    assert sum(bool(c.boilerplate) for c, _, _ in one) >= 5
    assert len(one) == len(two) == len(docs)
    assert [c for c, _, _ in one] == [c for c, _, _ in two]
    assert [lang for _, _, lang in one] == [lang for _, _, lang in two]
    for (_, a, _), (_, b, _) in zip(one, two, strict=True):
        assert (a is None) == (b is None)
        if a is not None:
            assert np.array_equal(a.ids, b.ids) and np.array_equal(a.starts, b.starts) and np.array_equal(a.ends, b.ends)
    assert engine._SLOTS is None  # the shared arrays are the tokens' now, not the module's
    shared = sum(isinstance(_root(t.ids), memoryview) for _, t, _ in two if t is not None)
    assert shared == (0 if transfer == "pipe" else sum(t is not None for _, t, _ in two))


def _root(a: object) -> object:
    """The object a chain of numpy views ends in (a memoryview of the shared mapping, or an array)."""
    while isinstance(a, np.ndarray) and a.base is not None:
        a = a.base
    return a


@pytest.mark.usefixtures("compiled")
def test_compiled_verify_equals_sparse_product() -> None:
    from reuse.similarity import verify

    rng = np.random.default_rng(3)
    sets = [np.unique(rng.integers(0, 400, size=int(n)).astype(np.uint64)) for n in rng.integers(0, 120, size=60)]
    pairs = np.unique(np.sort(rng.integers(0, 60, size=(300, 2)), axis=1), axis=0)
    pairs = pairs[pairs[:, 0] < pairs[:, 1]]
    for min_shared in (1, 5):
        a, b = verify(sets, pairs, min_shared), verify(sets, pairs, min_shared, compiled=False)
        assert np.array_equal(a.pairs, b.pairs) and np.array_equal(a.shared, b.shared)
        assert np.allclose(a.containment, b.containment)


def test_threaded_signatures_and_verification_equal_one_thread() -> None:
    from benchmarks.planted import PlantedConfig, generate
    from reuse.config import ScanConfig
    from reuse.pipeline import sign_windows
    from reuse.shingle import shingle_groups, split, unique_sets
    from reuse.similarity import verify
    from reuse.text import tokenize_batch

    records, _ = generate(PlantedConfig(docs=2400, seed=8))
    flat, offsets = shingle_groups([t.ids for t in tokenize_batch([r["text"] for r in records])], 4)
    one, two = sign_windows(flat, offsets, ScanConfig(jobs=1)), sign_windows(flat, offsets, ScanConfig(jobs=2))
    assert np.array_equal(one.values, two.values) and np.array_equal(one.doc, two.doc) and len(np.unique(two.doc)) == 2400
    sets = split(*unique_sets(flat, offsets))
    rng = np.random.default_rng(1)
    pairs = np.sort(rng.integers(0, 2400, size=(12_000, 2)), axis=1)
    pairs = pairs[pairs[:, 0] < pairs[:, 1]]
    a, b = verify(sets, pairs, 1, jobs=1), verify(sets, pairs, 1, jobs=2)
    assert np.array_equal(a.pairs, b.pairs) and np.array_equal(a.shared, b.shared) and len(a.pairs) > 0


def test_kernel_tests_fail_without_numba(tmp_path) -> None:
    # without numba every compiled=True call runs the reference path: the equivalence tests must fail then, not pass
    import os
    import subprocess
    import sys

    (tmp_path / "numba.py").write_text('raise ImportError("numba blocked by this test")\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_engine.py::test_compiled_verify_equals_sparse_product"],
        cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 1, proc.stdout[-2000:]
    assert "compiled kernels unavailable" in proc.stdout and "reuse.similarity._intersect_kernel" in proc.stdout


_MAPPED_BYTES = """
import ctypes, sys
import numpy as np
from reuse.allocator import keep_freed_memory, release_freed_memory
class MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]
libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = MallInfo2
kept = keep_freed_memory() if sys.argv[1] == "keep" else None
before = libc.mallinfo2().hblkhd  # bytes in mmapped blocks
array = np.ones(4 * 2**20 // 8)  # 4 MiB: above glibc's default mmap threshold (128 KiB), below ours (32 MiB)
print(kept, libc.mallinfo2().hblkhd - before)
release_freed_memory()
"""


def test_allocator_keeps_large_arrays_on_the_heap() -> None:
    # fresh processes: glibc raises its threshold by itself once a mapped block is freed, so this process proves nothing
    import subprocess
    import sys

    def run(mode: str) -> list[str]:
        return subprocess.run([sys.executable, "-c", _MAPPED_BYTES, mode], capture_output=True, text=True, check=True).stdout.split()

    assert run("keep") == ["True", "0"]  # served from the heap, not a fresh mapping
    default = run("default")
    assert default[0] == "None" and int(default[1]) >= 4 * 2**20  # glibc's default: a mapping of its own


def test_threaded_alignment_equals_one_thread(planted_docs) -> None:
    from reuse.config import ScanConfig
    from reuse.pipeline import align_pairs
    from reuse.text import tokenize_batch

    toks = tokenize_batch([d.text for d in planted_docs])
    rng = np.random.default_rng(2)
    pairs = np.sort(rng.integers(0, len(toks), size=(6000, 2)), axis=1)  # every planted pair is among the 780 possible ones
    pairs = np.unique(pairs[pairs[:, 0] < pairs[:, 1]], axis=0)
    pairs = np.concatenate([pairs] * 8)  # enough pairs for two threads
    one = align_pairs(pairs, toks.__getitem__, ScanConfig(jobs=1))
    two = align_pairs(pairs, toks.__getitem__, ScanConfig(jobs=2))
    assert one == two and len(one) >= 8 * 6  # the six planted pairs, eight times over
