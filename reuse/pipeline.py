"""The scan pipeline: documents -> clean -> tokens -> shingles -> candidates -> verified pairs -> passages -> families.

Each stage is a function of the previous stage's output; :func:`scan` wires
them, times each one, and keeps every input document in the result.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from reuse.align import Span, align_many
from reuse.clean import CleanText, clean_corpus
from reuse.config import ScanConfig
from reuse.errors import InputError
from reuse.io import Document
from reuse.lsh import candidate_pairs, optimal_bands
from reuse.minhash import Signer
from reuse.shingle import flatten, shingle_groups, split, unique_sets
from reuse.similarity import Overlap, all_pairs, verify
from reuse.text import Tokens, detect_language_batch, tokenize_batch

Progress = Callable[[str, int, int], None]

#: The default configuration (one frozen instance, shared safely as a default argument).
DEFAULT_SCAN = ScanConfig()


@dataclass(frozen=True)
class DocumentSummary:
    """What the scan says about one input document (the ``documents`` rows of the JSON output)."""

    id: str
    status: str
    reason: str
    title: str | None
    date: str | None
    language: str | None
    chars: int
    boilerplate: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Passage:
    """A passage shared by documents ``a`` and ``b`` (``a < b`` by id); ``text[start:end]`` is the passage."""

    a: str
    a_start: int
    a_end: int
    b: str
    b_start: int
    b_end: int
    kind: str
    similarity: float
    text_a: str
    text_b: str


@dataclass(frozen=True)
class Analysed:
    """The per-document products of the front stages, reused by derive."""

    documents: tuple[Document, ...]
    cleaned: tuple[CleanText, ...]
    tokens: dict[int, Tokens]
    languages: dict[int, str]


@dataclass(frozen=True)
class ScanResult:
    """Everything a scan found.

    Attributes
    ----------
    documents : tuple of DocumentSummary
        Every input document, in input order.
    passages : tuple of Passage
        Shared passages, sorted by ``(a, b, a_start)``.
    families : tuple of tuple of str
        Connected groups of documents linked by passages (2+ members), sorted.
    timings : dict
        Seconds per stage.
    """

    documents: tuple[DocumentSummary, ...]
    passages: tuple[Passage, ...]
    families: tuple[tuple[str, ...], ...]
    timings: dict[str, float] = field(default_factory=dict)
    candidate_pairs: int = 0


class _Timer:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        yield
        self.seconds[name] = self.seconds.get(name, 0.0) + round(time.perf_counter() - t0, 6)


def _batches(n: int, size: int) -> Iterator[range]:
    for start in range(0, n, size):
        yield range(start, min(n, start + size))


def analyse(documents: Sequence[Document], config: ScanConfig = DEFAULT_SCAN, timer: _Timer | None = None, progress: Progress | None = None) -> Analysed:
    """Clean, tokenise and detect the language of every analysable document."""
    timer = timer or _Timer()
    if isinstance(documents, (str, bytes)):
        raise InputError("scan expects a list of Document objects, not a string; use reuse.load_paths([...]) first")
    docs = tuple(documents)
    if config.jobs > 1:
        # per-document work on worker processes; same results (see reuse.engine)
        from reuse.engine import front

        with timer.stage("clean+tokens"):
            parts = front(docs, config.clean, config.jobs, config.batch_docs)
        toks = {k: t for k, (_, t, _) in enumerate(parts) if t is not None}
        langs = {k: lang for k, (_, t, lang) in enumerate(parts) if t is not None}
        if progress:
            progress("tokenise", len(toks), len(toks))
        return Analysed(documents=docs, cleaned=tuple(c for c, _, _ in parts), tokens=toks, languages=langs)  # type: ignore[misc]
    with timer.stage("clean"):
        cleaned = tuple(clean_corpus(docs, config.clean))
    ok = [k for k, d in enumerate(docs) if d.ok]
    tokens: dict[int, Tokens] = {}
    with timer.stage("tokens"):
        for batch in _batches(len(ok), config.batch_docs):
            idx = [ok[k] for k in batch]
            for k, t in zip(idx, tokenize_batch([cleaned[k].masked for k in idx]), strict=True):
                tokens[k] = t
            if progress:
                progress("tokenise", batch.stop, len(ok))
        keys = list(tokens)
        languages = dict(zip(keys, detect_language_batch([tokens[k].ids for k in keys]), strict=True))
    return Analysed(documents=docs, cleaned=cleaned, tokens=tokens, languages=languages)


def exact_candidates(config: ScanConfig, n_docs: int) -> bool:
    """Whether candidate pairs come from the exact sparse product (``candidates``: ``exact``, or ``auto`` up to ``exact_max_docs``)."""
    return config.candidates == "exact" or (config.candidates == "auto" and n_docs <= config.exact_max_docs)


def find_pairs(sets: list[np.ndarray], shingle_lists: list[np.ndarray], config: ScanConfig, timer: _Timer) -> tuple[Overlap, int]:
    """Candidate document pairs, verified exactly; returns the overlap and the number of candidates."""
    sk = config.sketch
    exact = exact_candidates(config, len(sets))
    if exact:
        with timer.stage("candidates"):
            overlap = all_pairs(sets, config.align.min_pair_shared_shingles)
        return overlap, len(overlap.pairs)
    with timer.stage("signatures"):
        signer = Signer(sk.num_perm, sk.seed)
        joined, offsets = flatten(shingle_lists)  # views of one buffer from scan(): no copy
        sigs = signer.sign_windows(joined, offsets, sk.window_tokens, sk.window_stride)
    with timer.stage("candidates"):
        bands, rows = optimal_bands(sk.threshold, sk.num_perm, sk.false_positive_weight, sk.false_negative_weight)
        pairs = candidate_pairs(sigs, bands, rows, sk.max_bucket, jobs=config.jobs, n_docs=len(sets))
    with timer.stage("verify"):
        overlap = verify(sets, pairs, config.align.min_pair_shared_shingles)
    return overlap, len(pairs)


def stock_threshold(n_docs: int, max_share: float, min_docs: int) -> float:
    """A seed in more documents than this is a stock phrase: ``max(min_docs, max_share * n_docs)``."""
    return max(float(min_docs), max_share * n_docs)


def stock_seeds(seed_sets: Sequence[np.ndarray], n_docs: int, max_share: float, min_docs: int) -> np.ndarray:
    """Seeds found in more than :func:`stock_threshold` documents: stock phrases, sorted."""
    if not seed_sets:
        return np.empty(0, dtype=np.uint64)
    values, df = np.unique(np.concatenate(seed_sets), return_counts=True)
    return values[df > stock_threshold(n_docs, max_share, min_docs)]


def families_of(n: int, pairs: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Connected components (2+ members) of the graph whose edges are ``pairs``."""
    if not pairs:
        return []
    rows, cols = zip(*pairs, strict=True)
    graph = sp.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    groups: dict[int, list[int]] = {}
    for node, label in enumerate(labels.tolist()):
        groups.setdefault(label, []).append(node)
    return [g for g in groups.values() if len(g) > 1]


def scan(documents: Sequence[Document], config: ScanConfig = DEFAULT_SCAN, progress: Progress | None = None) -> ScanResult:
    """Find passages shared between documents.

    Parameters
    ----------
    documents : sequence of Document
        From :func:`reuse.load_paths`; error documents are carried through.
    config : ScanConfig
        All model constants.
    progress : callable, optional
        Called as ``progress(stage, done, total)``.

    Returns
    -------
    ScanResult
    """
    timer = _Timer()
    an = analyse(documents, config, timer, progress)
    docs = an.documents
    ok = sorted(an.tokens)
    with timer.stage("shingles"):
        # one compiled pass per token batch, then each text's sorted distinct shingles in one pass
        flat, offsets = shingle_groups([an.tokens[k].ids for k in ok], config.sketch.shingle_size)
        shingle_lists = split(flat, offsets)
        sets = split(*unique_sets(flat, offsets))
    overlap, n_candidates = find_pairs(sets, shingle_lists, config, timer)
    del sets, shingle_lists  # ~16 bytes per token; alignment needs only the tokens
    spans: list[tuple[int, int, Span]] = []
    with timer.stage("align"):
        involved = np.unique(overlap.pairs).tolist()  # document indices (into ok) in some pair, sorted
        toks = [an.tokens[ok[k]] for k in involved]
        lengths = np.array([len(t.ids) for t in toks], dtype=np.int64)
        # the involved texts are scattered over the token batches: one flat copy shingles in one call
        joined = np.concatenate([t.ids for t in toks]) if lengths.sum() else np.empty(0, dtype=np.uint64)
        seeds = shingle_groups(split(joined, np.concatenate(([0], np.cumsum(lengths)))), config.align.seed_size)
        limit = stock_threshold(len(ok), config.align.max_seed_df, config.align.min_stock_docs)
        # a stock seed is in more than `limit` of the involved documents: with no more documents than that there is none
        sets = split(*unique_sets(*seeds)) if len(toks) > limit else []
        stock = stock_seeds(sets, len(ok), config.align.max_seed_df, config.align.min_stock_docs)
        local = np.searchsorted(np.array(involved, dtype=np.int64), overlap.pairs).reshape(-1, 2)
        # canonical order by id: results do not depend on input order (equal ids share a rank, so they never swap, as with <)
        names = [docs[ok[k]].id for k in involved]
        rank_of = {name: r for r, name in enumerate(sorted(set(names)))}
        rank = np.array([rank_of[name] for name in names], dtype=np.int64)
        swap = rank[local[:, 1]] < rank[local[:, 0]]
        local[swap] = local[swap][:, ::-1]
        found = align_many(toks, local, config.align, stock, seeds, progress=(lambda done, total: progress("align", done, total)) if progress else None)
        for p in [p for p, pair_spans in enumerate(found) if pair_spans]:
            a, b = ok[involved[int(local[p, 0])]], ok[involved[int(local[p, 1])]]
            spans.extend((a, b, span) for span in found[p])
    summaries = tuple(
        DocumentSummary(
            id=d.id, status=d.status, reason=d.reason, title=an.cleaned[k].title if d.ok else d.title, date=d.date,
            language=an.languages.get(k), chars=len(d.text), boilerplate=an.cleaned[k].boilerplate,
        )
        for k, d in enumerate(docs)
    )
    return assemble([d.id for d in docs], spans, lambda k: docs[k].text, summaries, timer.seconds, n_candidates)


def assemble(
    ids: Sequence[str], spans: Sequence[tuple[int, int, Span]], text: Callable[[int], str], summaries: tuple[DocumentSummary, ...],
    timings: dict[str, float], n_candidates: int,
) -> ScanResult:
    """The scan's result from aligned spans ``(a, b, span)`` between documents ``ids[a]`` and ``ids[b]``.

    ``text(k)`` gives document ``k``'s text (passages quote it); passages are sorted by
    ``(a, b, a_start, b_start)`` of their ids, families are the linked groups of ids.
    """
    passages = tuple(
        sorted(
            (
                Passage(
                    a=ids[a], a_start=s.a_start, a_end=s.a_end, b=ids[b], b_start=s.b_start, b_end=s.b_end,
                    kind=s.kind, similarity=s.similarity, text_a=text(a)[s.a_start : s.a_end], text_b=text(b)[s.b_start : s.b_end],
                )
                for a, b, s in spans
            ),
            key=lambda p: (p.a, p.b, p.a_start, p.b_start),
        )
    )
    fams = families_of(len(ids), sorted({(a, b) for a, b, _ in spans}))
    families = tuple(sorted(tuple(sorted(ids[k] for k in g)) for g in fams))
    return ScanResult(documents=summaries, passages=passages, families=families, timings=timings, candidate_pairs=n_candidates)


__all__ = ["Analysed", "DocumentSummary", "Passage", "ScanResult", "analyse", "assemble", "scan"]
