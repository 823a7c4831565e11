"""Run the per-document front stages on several processes, with results identical to one process.

The front of the scan (cleaning each document, tokenising, language detection)
is independent per document once the corpus-level template lines are known, so
it is cut into batches of documents that worker processes handle; results come
back in input order and are assembled exactly as on one process.  Everything
corpus-level (template lines, candidates, verification, alignment, families)
stays in the calling process, so ``jobs`` never changes an answer.

Python threads would not help here: cleaning is regular-expression work under the
GIL.  The compiled kernels (tokeniser, MinHash) release the GIL, but they are
already a small share of the time (see README, Benchmarks).
"""

from __future__ import annotations

import mmap
import multiprocessing as mp
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from reuse.clean import CleanText, clean, masked_text, select_templates, template_counts, template_lines
from reuse.config import CleanConfig
from reuse.io import Document
from reuse.text import Tokens, detect_language_batch, tokenize_batch

#: Fewer documents than this per worker are not worth a process start and the transfer.  An engine
#: constant, not a model one: results are identical for every number of workers (so not in ``reuse.config``).
MIN_DOCS_PER_JOB = 200


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _front(docs: Sequence[Document], config: CleanConfig, templates: frozenset[str]) -> list[tuple[CleanText, Tokens | None, str | None]]:
    """Clean, tokenise and detect the language of a batch (runs in a worker or in-process)."""
    cleaned = [clean(d, config, templates) for d in docs]
    ok = [k for k, d in enumerate(docs) if d.ok]
    toks = tokenize_batch([cleaned[k].masked for k in ok])
    langs = detect_language_batch([t.ids for t in toks])
    out: list[tuple[CleanText, Tokens | None, str | None]] = [(c, None, None) for c in cleaned]
    for k, t, lang in zip(ok, toks, langs, strict=True):
        out[k] = (cleaned[k], t, lang)
    return out


#: The documents of the current :func:`front` call, inherited by forked workers instead of sent to them.
_SHARED: Sequence[Document] = ()


def _count_shared(start: int, stop: int, config: CleanConfig) -> Counter[str]:
    """Template line counts of ``_SHARED[start:stop]`` in a forked worker (counts of batches add up)."""
    return template_counts(_SHARED[start:stop], config)


#: What a forked worker sends back for a batch: boilerplate spans, titles and languages per document, and the
#: tokens of its analysable documents as flat arrays with their offsets (offsets as uint32: text offsets fit,
#: and the transfer is a third smaller).  The arrays are ``None`` when the worker wrote them into ``_SLOTS``.
_Packed = tuple[
    list[tuple[tuple[int, int], ...]], list[str | None], list[str | None], np.ndarray | None, np.ndarray | None, np.ndarray | None, np.ndarray
]

#: Token arrays (ids, starts, ends) in memory shared with the forked workers, and each document's first slot:
#: a worker writes a batch's tokens from its first document's slot on, and only offsets travel back.  Through
#: the pipe the 25 MB of tokens of 2,000 news texts took as long to send as to compute.
_SLOTS: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None


def _token_slots(docs: Sequence[Document]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """Shared anonymous token arrays with room for every document's tokens, or ``None`` if they cannot be mapped.

    A token is a word and words are separated, so a text of ``n`` characters has at most
    ``n // 2 + 1`` tokens; pages no worker writes are never allocated.
    """
    room = np.fromiter((len(d.text) // 2 + 1 if d.ok else 0 for d in docs), dtype=np.int64, count=len(docs))
    first = np.concatenate(([0], np.cumsum(room)))
    n = int(first[-1])
    try:
        buf = mmap.mmap(-1, max(1, 16 * n))  # anonymous and shared: forked workers write the pages this process reads
    except (OSError, ValueError, OverflowError):  # no address space for it: the tokens go through the pipe
        return None
    ids = np.frombuffer(buf, dtype=np.uint64, count=n)
    starts = np.frombuffer(buf, dtype=np.uint32, count=n, offset=8 * n)
    ends = np.frombuffer(buf, dtype=np.uint32, count=n, offset=12 * n)
    return ids, starts, ends, first


def _front_shared(start: int, stop: int, config: CleanConfig, templates: frozenset[str]) -> _Packed:
    """:func:`_front` of ``_SHARED[start:stop]`` in a forked worker, packed; the masked texts stay behind (the caller rebuilds them)."""
    rows = _front(_SHARED[start:stop], config, templates)
    toks = [t for _, t, _ in rows if t is not None]
    lengths = np.array([len(t.ids) for t in toks], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(lengths)))
    head = ([c.boilerplate for c, _, _ in rows], [c.title for c, _, _ in rows], [lang for _, _, lang in rows])
    n = int(offsets[-1])
    if _SLOTS is not None and toks and n <= _SLOTS[3][stop] - _SLOTS[3][start]:
        at = int(_SLOTS[3][start])
        for shared, part in zip(_SLOTS[:3], ([t.ids for t in toks], [t.starts for t in toks], [t.ends for t in toks]), strict=True):
            np.concatenate(part, out=shared[at : at + n], casting="unsafe")  # offsets fit uint32 (texts are < 4 GB)
        return (*head, None, None, None, offsets)

    def cat(arrays: list[np.ndarray], dtype: type) -> np.ndarray:
        return np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.empty(0, dtype=dtype)

    return (*head, cat([t.ids for t in toks], np.uint64), cat([t.starts for t in toks], np.uint32), cat([t.ends for t in toks], np.uint32), offsets)


def _unpack(docs: Sequence[Document], packed: _Packed, at: int = 0) -> list[tuple[CleanText, Tokens | None, str | None]]:
    """A worker's batch back as :func:`_front` rows (tokens are views of the batch's arrays, or of ``_SLOTS`` from ``at``)."""
    spans, titles, langs, ids, starts, ends, offsets = packed  # offsets stay uint32: widening them faulted in 0.45 s per 20,000 texts
    if ids is None or starts is None or ends is None:
        assert _SLOTS is not None
        ids, starts, ends = (a[at : at + int(offsets[-1])] for a in _SLOTS[:3])
    out: list[tuple[CleanText, Tokens | None, str | None]] = []
    k = 0
    for d, sp, title, lang in zip(docs, spans, titles, langs, strict=True):
        clean = CleanText(id=d.id, masked=masked_text(d, sp), boilerplate=sp, title=title)
        if lang is None:
            out.append((clean, None, None))
            continue
        a, b = int(offsets[k]), int(offsets[k + 1])
        out.append((clean, Tokens(ids=ids[a:b], starts=starts[a:b], ends=ends[a:b]), lang))
        k += 1
    return out


def _chunks(n: int, size: int) -> Iterator[range]:
    for start in range(0, n, size):
        yield range(start, min(n, start + size))


def front(
    docs: Sequence[Document], config: CleanConfig, jobs: int = 1, batch_docs: int = 2000, templates: frozenset[str] | None = None
) -> list[tuple[CleanText, Tokens | None, str | None]]:
    """Clean, tokenise and detect the language of every document, on ``jobs`` processes.

    Parameters
    ----------
    docs : sequence of Document
        All input documents (error documents get an empty clean result and no tokens).
    config : CleanConfig
        Boilerplate rules.
    jobs : int
        Worker processes; 1 runs in this process.  The result does not depend on it.
    batch_docs : int
        Largest batch handed to a worker (bounds the memory of one transfer).
    templates : frozenset of str, optional
        Corpus template lines, when ``docs`` is one batch of a larger corpus (default: found in ``docs``,
        counted by the workers batch by batch).

    Returns
    -------
    list of (CleanText, Tokens or None, language or None)
        One entry per document, in input order.
    """
    jobs = max(1, min(jobs, len(docs) // MIN_DOCS_PER_JOB))
    if jobs == 1 or "fork" not in mp.get_all_start_methods():
        if templates is None:
            templates = template_lines(docs, config)  # corpus-level: computed once, here
        if jobs == 1:
            out: list[tuple[CleanText, Tokens | None, str | None]] = []
            for r in _chunks(len(docs), batch_docs):
                out.extend(_front(docs[r.start : r.stop], config, templates))
            return out
        ranges = list(_chunks(len(docs), max(1, min(batch_docs, -(-len(docs) // (jobs * 4))))))
        with ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context()) as pool:  # pragma: no cover - no fork (Windows)
            parts = pool.map(_front, [docs[r.start : r.stop] for r in ranges], [config] * len(ranges), [templates] * len(ranges))
            return [item for part in parts for item in part]
    # several batches per worker keeps them busy when batches differ in cost
    ranges = list(_chunks(len(docs), max(1, min(batch_docs, -(-len(docs) // (jobs * 4))))))
    starts, stops, n = [r.start for r in ranges], [r.stop for r in ranges], len(ranges)
    global _SHARED, _SLOTS
    # load the compiled tokeniser here, once: forked workers inherit it instead of each loading it again
    detect_language_batch([t.ids for t in tokenize_batch(["warm up"])])
    # forked workers see the documents already, and write tokens where this process reads them; only counts,
    # spans, titles and offsets travel back
    _SHARED, _SLOTS = docs, _token_slots(docs)
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("fork")) as pool:
            if templates is None:  # the corpus's template lines: every batch counted on a worker, summed here
                counts: Counter[str] = Counter()
                for part in pool.map(_count_shared, starts, stops, [config] * n):
                    counts.update(part)
                templates = select_templates(counts, sum(d.ok for d in docs), config)
            out = []
            for r, packed in zip(ranges, pool.map(_front_shared, starts, stops, [config] * n, [templates] * n), strict=True):
                out.extend(_unpack(docs[r.start : r.stop], packed, 0 if _SLOTS is None else int(_SLOTS[3][r.start])))
            return out
    finally:
        _SHARED, _SLOTS = (), None


__all__ = ["MIN_DOCS_PER_JOB", "default_jobs", "front"]
