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

import multiprocessing as mp
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from reuse.clean import CleanText, clean, masked_text, template_lines
from reuse.config import CleanConfig
from reuse.io import Document
from reuse.text import Tokens, detect_language_batch, tokenize_batch

#: Fewer documents than this per worker are not worth a process start and the transfer.
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


def _front_shared(start: int, stop: int, config: CleanConfig, templates: frozenset[str]) -> list[tuple[tuple[tuple[int, int], ...], str | None, Tokens | None, str | None]]:
    """:func:`_front` of ``_SHARED[start:stop]`` in a forked worker; the masked texts stay behind (the caller rebuilds them)."""
    return [(c.boilerplate, c.title, t, lang) for c, t, lang in _front(_SHARED[start:stop], config, templates)]


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
        Corpus template lines, when ``docs`` is one batch of a larger corpus (default: found in ``docs``).

    Returns
    -------
    list of (CleanText, Tokens or None, language or None)
        One entry per document, in input order.
    """
    if templates is None:
        templates = template_lines(docs, config)  # corpus-level: computed once, here
    jobs = max(1, min(jobs, len(docs) // MIN_DOCS_PER_JOB))
    if jobs == 1:
        out: list[tuple[CleanText, Tokens | None, str | None]] = []
        for r in _chunks(len(docs), batch_docs):
            out.extend(_front(docs[r.start : r.stop], config, templates))
        return out
    # several batches per worker keeps them busy when batches differ in cost
    size = max(1, min(batch_docs, -(-len(docs) // (jobs * 4))))
    ranges = list(_chunks(len(docs), size))
    global _SHARED
    if "fork" in mp.get_all_start_methods():
        # forked workers see the documents already; only the spans, titles and tokens travel back
        _SHARED = docs
        try:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("fork")) as pool:
                n = len(ranges)
                parts = pool.map(_front_shared, [r.start for r in ranges], [r.stop for r in ranges], [config] * n, [templates] * n)
                rows = [row for part in parts for row in part]
        finally:
            _SHARED = ()
        return [
            (CleanText(id=d.id, masked=masked_text(d, spans), boilerplate=spans, title=title), toks, lang)
            for d, (spans, title, toks, lang) in zip(docs, rows, strict=True)
        ]
    with ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context()) as pool:  # pragma: no cover - no fork (Windows)
        parts = pool.map(_front, [docs[r.start : r.stop] for r in ranges], [config] * len(ranges), [templates] * len(ranges))
        return [item for part in parts for item in part]


__all__ = ["MIN_DOCS_PER_JOB", "default_jobs", "front"]
