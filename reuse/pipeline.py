"""The scan pipeline: documents -> clean -> tokens -> shingles -> candidates -> verified pairs -> passages -> clusters -> families.

Each stage is a function of the previous stage's output; :func:`scan` wires
them, times each one, and keeps every input document in the result.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from reuse.align import Span, align_many
from reuse.anchors import attributions
from reuse.clean import CleanText, clean_corpus
from reuse.cluster import Carrier, Cluster, Family, Passage, build_clusters, families_of, pairs_of
from reuse.config import ScanConfig
from reuse.errors import InputError
from reuse.io import Document
from reuse.lsh import candidate_pairs, optimal_bands
from reuse.minhash import Signatures, Signer
from reuse.shingle import flatten, shingle_groups, split, unique_sets
from reuse.similarity import Overlap, posting_pairs, verify
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

    @classmethod
    def of(cls, doc: Document, title: str | None, boilerplate: tuple[tuple[int, int], ...], language: str | None, chars: int) -> DocumentSummary:
        """The row of ``doc``: ``title`` as cleaning found it for an analysable document, the document's own otherwise."""
        return cls(
            id=doc.id, status=doc.status, reason=doc.reason, title=title if doc.ok else doc.title, date=doc.date,
            language=language, chars=chars, boilerplate=boilerplate,
        )


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
    clusters : tuple of Cluster
        Reprint clusters: one per reused text, with every document carrying it (see :mod:`reuse.cluster`).
    families : tuple of Family
        Documents joined by syndication clusters.
    pairs : tuple of Passage
        Pair rows of the syndication clusters, when ``ScanConfig.pairs`` asked for them (else empty).
    timings : dict
        Seconds per stage.
    candidate_pairs : int
        Candidate document pairs the LSH (or shingle postings) proposed.
    """

    documents: tuple[DocumentSummary, ...]
    clusters: tuple[Cluster, ...]
    families: tuple[Family, ...]
    pairs: tuple[Passage, ...] = ()
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
    """Star candidate pairs (LSH buckets, or shingle postings for small corpora), verified exactly.

    Returns the verified overlap and the number of candidates.
    """
    sk = config.sketch
    if exact_candidates(config, len(sets)):
        with timer.stage("candidates"):
            pairs = posting_pairs(sets)
    else:
        with timer.stage("signatures"):
            joined, offsets = flatten(shingle_lists)  # views of one buffer from scan(): no copy
            sigs = sign_windows(joined, offsets, config)
        with timer.stage("candidates"):
            bands, rows = optimal_bands(sk.threshold, sk.num_perm, sk.false_positive_weight, sk.false_negative_weight)
            pairs = candidate_pairs(sigs, bands, rows, jobs=config.jobs, n_docs=len(sets))
    with timer.stage("verify"):
        overlap = verify(sets, pairs, config.align.min_pair_shared_shingles, jobs=config.jobs)
    return overlap, len(pairs)


def sign_windows(joined: np.ndarray, offsets: np.ndarray, config: ScanConfig) -> Signatures:
    """Window signatures of every text (``joined[offsets[k]:offsets[k+1]]`` are text ``k``'s shingles), on ``config.jobs`` threads."""
    sk = config.sketch
    return Signer(sk.num_perm, sk.seed).sign_windows(joined, offsets, sk.window_tokens, sk.window_stride, jobs=config.jobs)


def align_pairs(
    pairs: np.ndarray, tokens: Callable[[int], Tokens], config: ScanConfig, step: int | None = None, progress: Progress | None = None
) -> list[tuple[int, int, Span]]:
    """Align every pair ``(a, b)`` of document indices; returns ``(a, b, span)`` for each passage found.

    ``tokens(k)`` gives document ``k``'s tokens; pairs are aligned ``step`` at a time (all at
    once by default), holding only the tokens of one step's documents, with the compiled
    matching on ``config.jobs`` threads (:func:`reuse.align.align_many`).
    """
    spans: list[tuple[int, int, Span]] = []
    step = step or max(1, len(pairs))
    for lo in range(0, len(pairs), step):
        chunk = pairs[lo : lo + step]
        involved, local = np.unique(chunk, return_inverse=True)
        found = align_many([tokens(k) for k in involved.tolist()], local.reshape(-1, 2), config.align, jobs=config.jobs)
        for (x, y), pair_spans in zip(local.reshape(-1, 2).tolist(), found, strict=True):
            spans.extend((int(involved[x]), int(involved[y]), span) for span in pair_spans)
        if progress:
            progress("align", min(len(pairs), lo + step), len(pairs))
    return spans


def verify_chunks(pairs: np.ndarray, sets_of: Callable[[list[int]], list[np.ndarray]], config: ScanConfig) -> np.ndarray:
    """Exact verification of candidate ``pairs``, a chunk of pairs (and the shingle sets they need) at a time.

    ``sets_of(ks)`` gives the shingle sets of documents ``ks``; only one chunk's sets are
    held at once, which is what lets the streamed and distributed engines verify pairs
    whose documents live on disk.
    """
    out = [np.empty((0, 2), dtype=np.int64)]
    step = max(1, config.batch_docs * 2)
    for lo in range(0, len(pairs), step):
        chunk = pairs[lo : lo + step]
        involved, local = np.unique(chunk, return_inverse=True)
        kept = verify(sets_of(involved.tolist()), local.reshape(chunk.shape), config.align.min_pair_shared_shingles).pairs
        out.append(involved[kept])
    return np.concatenate(out)


def check_ids(ids: Sequence[str]) -> None:
    """Reject analysable documents sharing an id: clusters and families name documents by id."""
    seen: set[str] = set()
    for name in ids:
        if name in seen:
            raise InputError(f"two documents share the id {name!r}; give every document its own id (reuse.load_paths marks repeats as 'duplicate id')")
        seen.add(name)


def finish(
    summaries: tuple[DocumentSummary, ...], carriers: Sequence[Carrier], spans: Sequence[tuple[int, int, Span]],
    tokens: Callable[[int], Tokens], text: Callable[[int], str], config: ScanConfig, timer: _Timer, n_candidates: int,
) -> ScanResult:
    """Reprint clusters, families and (when asked) pair rows from the aligned spans between ``carriers``."""
    credited: dict[tuple[int, str], bool] = {}

    def credits(k: int, outlet: str) -> bool:
        key = (k, outlet)
        if key not in credited:
            credited[key] = bool(attributions(text(k), outlet))
        return credited[key]

    with timer.stage("cluster"):
        clusters = build_clusters(spans, carriers, tokens, text, config.cluster, credits)
        families = families_of(clusters)
        # the id index reads every carrier: only pair rows need it (``carriers`` may be read lazily, see reuse.distributed)
        pairs = pairs_of(clusters, {c.id: k for k, c in enumerate(carriers)}, tokens, text) if config.pairs else ()
    return ScanResult(documents=summaries, clusters=clusters, families=families, pairs=pairs, timings=timer.seconds, candidate_pairs=n_candidates)


def scan(documents: Sequence[Document], config: ScanConfig = DEFAULT_SCAN, progress: Progress | None = None) -> ScanResult:
    """Find the reused texts of a corpus: reprint clusters, with every document carrying each.

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
    # documents in id order: star pairs join each bucket to its smallest id, so results do not depend on input order
    ok = sorted(an.tokens, key=lambda k: docs[k].id)
    check_ids([docs[k].id for k in ok])
    with timer.stage("shingles"):
        # one compiled pass per token batch, then each text's sorted distinct shingles in one pass
        flat, offsets = shingle_groups([an.tokens[k].ids for k in ok], config.sketch.shingle_size, jobs=config.jobs)
        shingle_lists = split(flat, offsets)
        sets = split(*unique_sets(flat, offsets, jobs=config.jobs))
    overlap, n_candidates = find_pairs(sets, shingle_lists, config, timer)
    del sets, shingle_lists  # ~16 bytes per token; alignment needs only the tokens
    tokens = [an.tokens[k] for k in ok]
    with timer.stage("align"):
        spans = align_pairs(overlap.pairs, tokens.__getitem__, config, progress=progress)
    summaries = tuple(
        DocumentSummary.of(d, an.cleaned[k].title, an.cleaned[k].boilerplate, an.languages.get(k), len(d.text)) for k, d in enumerate(docs)
    )
    carriers = [Carrier(id=docs[k].id, date=docs[k].date, source=docs[k].source, words=len(an.tokens[k].ids)) for k in ok]
    return finish(summaries, carriers, spans, tokens.__getitem__, lambda x: docs[ok[x]].text, config, timer, n_candidates)


__all__ = ["Analysed", "DocumentSummary", "ScanResult", "align_pairs", "analyse", "finish", "scan"]
