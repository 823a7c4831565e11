"""Scan a corpus larger than memory: bounded batches, bulky per-document data spilled to disk.

:func:`scan_stream` gives the same :class:`~reuse.pipeline.ScanResult` as
:func:`reuse.pipeline.scan` (tested), but never holds more than one batch of
texts, tokens or signatures in memory.  What grows with the corpus in memory is
one small record per document (its summary and spill offsets) and the pairs and
passages found.  Everything else goes to append-only files in a temporary
directory, read back by offset:

1. read the input in batches: spill each text (UTF-8) and count template lines;
2. read the texts back in batches: clean, tokenise, shingle and sign them; spill
   tokens and shingle sets, append each LSH band's packed entries to its file;
3. candidates: one band file at a time (sort, group: :mod:`reuse.lsh`);
4. verify candidate pairs in chunks, reading the sets they need;
5. align the verified pairs a chunk at a time and group the passages into reprint
   clusters (:func:`reuse.pipeline.finish`, as the in-memory scan does), quoting the
   spilled texts.
"""

from __future__ import annotations

import os
import tempfile
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from reuse.allocator import release_freed_memory
from reuse.clean import select_templates, template_counts
from reuse.cluster import Carrier
from reuse.config import ScanConfig
from reuse.engine import front
from reuse.io import Document
from reuse.lsh import band_pairs, doc_bits, optimal_bands, pack_bands, unpack_pairs
from reuse.minhash import Signer
from reuse.pipeline import (
    DEFAULT_SCAN,
    DocumentSummary,
    Progress,
    ScanResult,
    _Timer,
    align_pairs,
    check_ids,
    exact_candidates,
    finish,
    verify_chunks,
)
from reuse.shingle import shingle_groups, split, unique_sets
from reuse.similarity import posting_pairs
from reuse.text import Tokens


class Spill:
    """An append-only file of arrays, one record per document, read back by record number.

    Parameters
    ----------
    path : Path
        The file (created, truncated).
    dtype : numpy dtype
        Element type of every record.
    """

    def __init__(self, path: Path, dtype: np.dtype | type) -> None:
        self.dtype = np.dtype(dtype)
        self._fh = open(path, "w+b")  # noqa: SIM115 - closed by close()
        self._offsets = [0]

    def append(self, values: np.ndarray) -> None:
        self._fh.write(np.ascontiguousarray(values, dtype=self.dtype).tobytes())
        self._offsets.append(self._offsets[-1] + len(values) * self.dtype.itemsize)

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, k: int) -> np.ndarray:
        self._fh.flush()
        start, end = self._offsets[k], self._offsets[k + 1]
        return np.frombuffer(os.pread(self._fh.fileno(), end - start, start), dtype=self.dtype)

    def close(self) -> None:
        self._fh.close()


@dataclass
class _Store:
    """The spilled per-document data, indexed by position among analysable documents."""

    text: Spill
    ids: Spill
    starts: Spill
    ends: Spill
    sets: Spill

    def tokens(self, k: int) -> Tokens:
        return Tokens(ids=self.ids[k], starts=self.starts[k], ends=self.ends[k])

    def close(self) -> None:
        for spill in (self.text, self.ids, self.starts, self.ends, self.sets):
            spill.close()


def scan_stream(
    documents: Iterable[Document], config: ScanConfig = DEFAULT_SCAN, progress: Progress | None = None, workdir: str | None = None
) -> ScanResult:
    """Find passages shared between documents, with memory bounded by the batch size.

    Parameters
    ----------
    documents : iterable of Document
        Read once, in batches of ``config.batch_docs`` (e.g. :func:`reuse.io.iter_paths`).
    config : ScanConfig
        All model constants; ``batch_docs`` bounds the documents in memory at once.
    progress : callable, optional
        Called as ``progress(stage, done, total)``.
    workdir : str, optional
        Where the spill files go (default: the system's temporary directory); removed at the end.

    Returns
    -------
    ScanResult
        Equal to ``reuse.pipeline.scan(list(documents), config)``.
    """
    with tempfile.TemporaryDirectory(prefix="reuse-scan-", dir=workdir) as tmp:
        root = Path(tmp)
        store = _Store(*(Spill(root / name, dt) for name, dt in (
            ("text", np.uint8), ("ids", np.uint64), ("starts", np.uint32), ("ends", np.uint32), ("sets", np.uint64))))
        try:
            return _scan(documents, config, progress, root, store)
        finally:
            store.close()


def _read(documents: Iterable[Document], config: ScanConfig, store: _Store, timer: _Timer) -> tuple[list[Document], list[int], Counter[str], array[int]]:
    """Pass 1: spill the texts of analysable documents; keep the rest of each document; count template lines."""
    metas: list[Document] = []
    chars = array("q")
    ok: list[int] = []
    counts: Counter[str] = Counter()
    batch: list[Document] = []

    def flush() -> None:
        counts.update(template_counts(batch, config.clean))
        for doc in batch:
            if doc.ok:
                ok.append(len(metas))
                store.text.append(np.frombuffer(doc.text.encode("utf-8", "surrogatepass"), dtype=np.uint8))
            metas.append(replace(doc, text=""))
            chars.append(len(doc.text))
        batch.clear()
        release_freed_memory()

    with timer.stage("read"):
        for doc in documents:
            batch.append(doc)
            if len(batch) >= config.batch_docs:
                flush()
        flush()
    return metas, ok, counts, chars


def _text(store: _Store, k: int) -> str:
    return store.text[k].tobytes().decode("utf-8", "surrogatepass")


def _scan(documents: Iterable[Document], config: ScanConfig, progress: Progress | None, root: Path, store: _Store) -> ScanResult:
    timer = _Timer()
    metas, ok, counts, chars = _read(documents, config, store, timer)
    check_ids([metas[k].id for k in ok])
    templates = select_templates(counts, len(ok), config.clean)
    sk = config.sketch
    n = len(ok)
    # star pairs join each bucket to its smallest id (as reuse.pipeline.scan does): documents are numbered by id rank
    by_id = sorted(range(n), key=lambda p: metas[ok[p]].id)
    rank = np.empty(n, dtype=np.int64)
    rank[by_id] = np.arange(n)
    exact = exact_candidates(config, n)
    bands, rows = optimal_bands(sk.threshold, sk.num_perm, sk.false_positive_weight, sk.false_negative_weight)
    bits = doc_bits(max(n, 1))
    band_files = [open(root / f"band{b}", "w+b") for b in range(bands)]  # noqa: SIM115 - closed below
    signer = Signer(sk.num_perm, sk.seed)
    cleaned_of: dict[int, tuple[tuple[tuple[int, int], ...], str | None]] = {}
    languages: dict[int, str] = {}
    try:
        # pass 2: front stages per batch of analysable documents
        for lo in range(0, n, config.batch_docs):
            idx = list(range(lo, min(n, lo + config.batch_docs)))
            docs = [replace(metas[ok[k]], text=_text(store, k)) for k in idx]
            with timer.stage("clean+tokens"):
                parts = front(docs, config.clean, config.jobs, config.batch_docs, templates=templates)
            with timer.stage("shingles"):
                for k, (clean, toks, lang) in zip(idx, parts, strict=True):
                    assert toks is not None and lang is not None  # every document here is analysable
                    cleaned_of[ok[k]] = (clean.boilerplate, clean.title)
                    languages[ok[k]] = lang
                    store.ids.append(toks.ids)
                    store.starts.append(toks.starts)
                    store.ends.append(toks.ends)
                flat, offsets = shingle_groups([t.ids for _, t, _ in parts if t is not None], sk.shingle_size, jobs=config.jobs)
                for s in split(*unique_sets(flat, offsets, jobs=config.jobs)):
                    store.sets.append(s)
            if not exact:
                with timer.stage("signatures"):
                    sigs = signer.sign_windows(flat, offsets, sk.window_tokens, sk.window_stride)
                    sigs = replace(sigs, doc=rank[sigs.doc + lo])
                with timer.stage("candidates"):
                    entries = pack_bands(sigs, bands, rows, bits)
                    for b, fh in enumerate(band_files):
                        fh.write(entries[b].tobytes())
            del docs, parts, flat, offsets
            release_freed_memory()
            if progress:
                progress("tokenise", idx[-1] + 1, n)
        # pass 3: candidates (by id rank), one band in memory at a time
        with timer.stage("candidates"):
            if exact:
                candidates = posting_pairs([store.sets[p] for p in by_id])
            else:
                found = []
                for fh in band_files:
                    fh.flush()
                    found.append(band_pairs(np.fromfile(fh.name, dtype=np.uint64), bits))
                candidates = unpack_pairs(found)
            n_candidates = len(candidates)
            candidates = np.asarray(by_id, dtype=np.int64)[candidates].reshape(-1, 2)  # back to positions, centre first
        with timer.stage("verify"):
            pairs = verify_chunks(candidates, lambda ks: [store.sets[k] for k in ks], config)
    finally:
        for fh in band_files:
            fh.close()
    with timer.stage("align"):
        spans = align_pairs(pairs, store.tokens, config, step=max(1, config.batch_docs), progress=progress)
    summaries = []
    for k, d in enumerate(metas):
        boilerplate, title = cleaned_of.get(k, ((), d.title))
        summaries.append(DocumentSummary.of(d, title, boilerplate, languages.get(k), chars[k]))
    carriers = [Carrier(id=metas[k].id, date=metas[k].date, source=metas[k].source, words=len(store.ids[p])) for p, k in enumerate(ok)]
    # spans index analysable documents by position, as the spilled texts do
    text = lru_cache(maxsize=256)(lambda x: _text(store, x))
    return finish(tuple(summaries), carriers, spans, store.tokens, text, config, timer, n_candidates)


__all__ = ["Spill", "scan_stream"]
