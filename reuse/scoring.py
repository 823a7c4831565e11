"""Derive stages 3 and 4: align a report's sentences with source units, then score the report.

**Alignment** (:func:`align`): each report sentence goes to its most similar source unit in any
order; at or above the alignment threshold it is taken (labelled verbatim, near-verbatim or
paraphrase by its word n-gram containment), below it *added*; source units that no report sentence
reaches are *omitted*.

**Scores** (:func:`score`): components, departure, class, evidence and drift of one report.
Departure has two axes: how little of the taken text's wording survives (rewording) and how much of
the report is its own (added).  An aligned word's fidelity blends long verbatim runs (what separates
cut from light from heavy) with the semantic similarity (what keeps a translation or rewrite below
an independent text); across languages no run survives, so fidelity is the semantic similarity.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from reuse.config import DeriveConfig
from reuse.drift import Drift, drift
from reuse.pairs import PairSimilarities, similarities
from reuse.pipeline import Analysed
from reuse.shingle import shingles
from reuse.units import Concepts, Units, view


@dataclass(frozen=True)
class Components:
    """Shares of a report's words by label (``verbatim`` .. ``added`` sum to 1), the share of the source's
    words no report sentence reaches (``omitted``), and the Kendall distance of the aligned units' order."""

    verbatim: float = 0.0
    near_verbatim: float = 0.0
    paraphrase: float = 0.0
    added: float = 1.0
    omitted: float = 1.0
    reorder: float = 0.0


@dataclass(frozen=True)
class Evidence:
    """An aligned report sentence (``start:end`` of the report text) and its source unit (``source_start:source_end``).

    ``source_*`` are ``None`` for a sentence credited only by its own attribution (latent mode);
    ``source_id`` names the report whose text holds the unit (latent mode), else ``None``.
    """

    label: str
    start: int
    end: int
    source_start: int | None
    source_end: int | None
    similarity: float
    source_id: str | None = None


@dataclass(frozen=True)
class Alignment:
    """Each report sentence's best source unit and how it aligns.

    Attributes
    ----------
    best : numpy.ndarray of int64
        Position in the source columns of each sentence's best unit (-1 without units).
    score : numpy.ndarray
        Similarity with that unit, raised to the mode's exponent (and floored for self-credited sentences).
    matched : numpy.ndarray
        ``score`` before self-credit: the unit itself matches at or above the threshold.
    aligned : numpy.ndarray of bool
        Taken from the source (``score`` at or above the threshold); the rest is *added*.
    standalone : numpy.ndarray of bool
        Aligned on the pair's own evidence, without the neighbours' lift (only these show drift).
    verbatim : numpy.ndarray
        Word n-gram containment of each sentence in its unit (or in all units, for merged sentences).
    labels : numpy.ndarray of str
        ``verbatim`` / ``near_verbatim`` / ``paraphrase`` / ``added``.
    crosses : numpy.ndarray of bool
        The sentence's best unit is in another language.
    fact_best : numpy.ndarray of int64
        Position in the source columns of the unit sharing the most facts distinctive of the source
        (:func:`reuse.pairs.distinctive`) with the sentence,
        aligned or not (a heavy rewrite keeps a statement's facts in a sentence too reworded to align).
    fact_count : numpy.ndarray of int64
        How many it shares.
    """

    best: np.ndarray
    score: np.ndarray
    matched: np.ndarray
    aligned: np.ndarray
    standalone: np.ndarray
    verbatim: np.ndarray
    labels: np.ndarray
    crosses: np.ndarray
    fact_best: np.ndarray
    fact_count: np.ndarray


@dataclass(frozen=True)
class ReportScore:
    """The model's scores of one report against its source units."""

    derived: bool
    cls: str
    departure: float
    components: Components
    evidence: tuple[Evidence, ...]
    drift: tuple[Drift, ...]


NOT_DERIVED = ReportScore(derived=False, cls="non", departure=1.0, components=Components(), evidence=(), drift=())


def align(units: Units, rows: np.ndarray, cols: np.ndarray, config: DeriveConfig, concepts: Concepts | None = None,
          self_credit: np.ndarray | None = None, exponent: float = 1.0) -> Alignment:
    """Align report sentences ``rows`` with source units ``cols``.

    Parameters
    ----------
    self_credit : numpy.ndarray of bool, optional
        Report sentences that attribute the source themselves (latent mode): credited at least
        ``align_threshold`` (the weakest evidence of derivation) even without a matching unit.
    exponent : float
        Pair similarities ``s`` become ``s ** exponent`` (latent mode: the similarity of two rewrites
        of one source estimates the product of their similarities to it; see
        ``DeriveConfig.latent_similarity_exponent``).
    """
    n = len(rows)
    if len(cols) == 0:
        best = np.full(n, -1)
        q = np.zeros(n)
        vpair = np.zeros(n)
        standalone = np.zeros(n, dtype=bool)
        crosses = np.zeros(n, dtype=bool)
        fact_best = np.full(n, -1)
        fact_count = np.zeros(n, dtype=np.int64)
    else:
        pairs = similarities(units, rows, cols, config, concepts)
        # across languages, a unit that shares facts distinctive of the source with the sentence
        # beats one that shares only names and the story's recurring words (within a language word
        # n-grams and stems carry that evidence)
        evident = ~pairs.crosses | (pairs.distinct >= config.evidence_facts)
        best = np.where(evident, pairs.combined + 1.0, pairs.combined).argmax(axis=1)
        ar = np.arange(n)
        crosses = pairs.crosses[ar, best]
        fact_best = pairs.distinct.argmax(axis=1)
        fact_count = pairs.distinct[ar, fact_best]
        # latent mode's square root estimates a report's similarity to the absent original from its
        # similarity to another report's version; across languages the lexicon's similarity is on
        # its own scale (``xling_similarity_scale``) and the root would lift chance concept matches
        q, standalone, vpair = _best_scores(pairs, best, config, np.where(crosses, 1.0, exponent))
        # the evidence a derivation needs: a pair that shares no more than names is no alignment
        # (word runs aside: a verbatim copy needs no further evidence)
        lacking = ~evident[ar, best] & (vpair < config.near_verbatim_min)
        q = np.where(lacking, np.minimum(q, config.align_threshold * 0.999), q)
        standalone &= ~lacking
    matched = q.copy()
    if self_credit is not None:
        q = np.where(self_credit & (q < config.align_threshold), config.align_threshold, q)
    q = np.clip(q, 0.0, 1.0)
    aligned = q >= config.align_threshold
    labels = np.where(vpair >= config.verbatim_min, "verbatim", np.where(vpair >= config.near_verbatim_min, "near_verbatim", "paraphrase"))
    labels = np.where(aligned, labels, "added")
    return Alignment(best=best, score=q, matched=matched, aligned=aligned, standalone=standalone, verbatim=vpair, labels=labels, crosses=crosses,
                     fact_best=fact_best, fact_count=fact_count)


def _best_scores(pairs: PairSimilarities, best: np.ndarray, config: DeriveConfig, exponent: float | np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Score of each sentence's best pair, whether it aligns without the neighbours' lift, and its verbatim degree."""
    ar = np.arange(len(best))
    vpair = pairs.verbatim[ar, best]
    # a sentence that merges several source sentences is still verbatim by document containment
    v = np.maximum(vpair, pairs.doc_verbatim)

    def score(sim: np.ndarray) -> np.ndarray:
        # a verbatim copy departs by nothing, whatever the other channels say
        return np.clip(np.maximum(sim[ar, best] + config.weight_verbatim * (v - vpair), v), 0.0, 1.0) ** exponent

    # aligned without the neighbours' lift: only such pairs are trusted to show drift, since a
    # lifted pair may be the neighbour of an aligned one and not the same content
    return score(pairs.combined), score(pairs.own) >= config.align_threshold, v


def components(units: Units, rows: np.ndarray, cols: np.ndarray, al: Alignment) -> Components:
    """Word shares by label, omitted share of the source, and reordering of one alignment."""
    n_words = units.words[rows].astype(np.float64)
    total = max(n_words.sum(), 1.0)
    shares = {lab: float(n_words[al.labels == lab].sum() / total) for lab in ("verbatim", "near_verbatim", "paraphrase", "added")}
    omitted = 0.0
    if len(cols):
        hit = np.zeros(len(cols), dtype=bool)
        hit[al.best[al.aligned & (al.best >= 0)]] = True
        # a source unit is reached when its best report sentence is aligned with it
        src_words = units.words[cols].astype(np.float64)
        omitted = float(src_words[~hit].sum() / max(src_words.sum(), 1.0))
    reorder = kendall_distance([int(al.best[i]) for i in np.flatnonzero(al.aligned & (al.best >= 0))])
    return Components(**{k: round(v, 4) for k, v in {**shares, "omitted": omitted, "reorder": reorder}.items()})


def content_containment(units: Units, rows: np.ndarray, cols: np.ndarray) -> float:
    """IDF-weighted share of the report's distinct content stems (sentences ``rows``) found anywhere
    in the source units ``cols``: document-level paraphrase evidence, blind to sentence boundaries."""
    weight = np.asarray(units.content.max(axis=0).todense()).ravel()
    rep = np.asarray(units.content[rows].sum(axis=0)).ravel() > 0
    src = np.asarray(units.content[cols].sum(axis=0)).ravel() > 0
    total = float(weight[rep].sum())
    return float(weight[rep & src].sum()) / total if total > 0 else 0.0


def run_share(an: Analysed, units: Units, rows: np.ndarray, cols: np.ndarray, sizes: Sequence[int]) -> np.ndarray:
    """Verbatim degree of each report sentence: the mean, over the run lengths ``sizes``, of the share
    of its word n-grams found anywhere in the source units ``cols``.

    Long shared runs survive only copying, so the mean rewards a cut-and-paste over a light edit and a
    light edit over a rewrite, where one n-gram size alone saturates or vanishes.  A sentence shorter
    than ``n`` words counts as one run of its own length.
    """
    out = np.zeros(len(rows))
    if len(rows) == 0 or len(cols) == 0 or not sizes:
        return out

    def ids(u: int) -> np.ndarray:
        return an.tokens[int(units.doc[u])].ids[int(units.tok_start[u]) : int(units.tok_end[u])]

    src_ids = [ids(int(c)) for c in cols]
    pools: dict[int, np.ndarray] = {}

    def pool(n: int) -> np.ndarray:
        if n not in pools:
            parts = [shingles(x, n) for x in src_ids if len(x) >= n]
            pools[n] = np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.uint64)
        return pools[n]

    for i, r in enumerate(rows):
        x = ids(int(r))
        shares = []
        for n in sizes:
            m = min(n, len(x))
            g = shingles(x, m) if m else np.empty(0, dtype=np.uint64)
            shares.append(float(np.isin(g, pool(m)).mean()) if len(g) else 0.0)
        out[i] = float(np.mean(shares))
    return out


def kendall_distance(seq: Sequence[int]) -> float:
    """Share of discordant pairs in a sequence of source positions (0 = same order, 1 = reversed)."""
    m = len(seq)
    if m < 2:
        return 0.0
    a = np.asarray(seq)
    disc = int(np.sum(np.triu(a[:, None] > a[None, :], 1)))
    return disc / (m * (m - 1) / 2)


#: How a surface read off document ``k``'s masked text is shown (see ``reuse.derive``).
Surface = Callable[[int, str], str]


def score(an: Analysed, units: Units, rows: np.ndarray, cols: np.ndarray, config: DeriveConfig, concepts: Concepts | None = None,
          self_credit: np.ndarray | None = None, exponent: float = 1.0, surface: Surface | None = None,
          source_ids: bool = False, credited: bool = False) -> ReportScore:
    """Align report sentences ``rows`` with source units ``cols`` and score the report.

    ``self_credit`` and ``exponent`` are those of :func:`align`; ``surface`` shows a surface of a
    document as a person reads it (default: unchanged); ``source_ids`` names, on evidence and drift,
    the document that holds each unit (latent mode); ``credited``: the report credits the source,
    which decides what evidence a derivation needs (``DeriveConfig.statement_facts``).
    """
    if len(rows) == 0:  # nothing but boilerplate: no content can derive from anything
        return NOT_DERIVED
    al = align(units, rows, cols, config, concepts, self_credit, exponent)
    comp = components(units, rows, cols, al)
    n_words = units.words[rows].astype(np.float64)
    total = max(n_words.sum(), 1.0)
    # (latent mode weighs runs 0: skip them, their source pool is every unit of every other report)
    runs = np.zeros(len(rows))
    if config.weight_runs > 0:
        runs = np.clip(run_share(an, units, rows, cols, range(config.run_min, config.run_max + 1)), 0.0, 1.0) ** exponent
    weight_runs = np.where(al.crosses, config.xling_weight_runs, config.weight_runs)
    # across languages similarity is on its own scale: a faithful translation reaches what a
    # verbatim copy reaches within a language (``DeriveConfig.xling_similarity_scale``)
    semantic = np.where(al.crosses, np.minimum(al.score / config.xling_similarity_scale, 1.0), al.score)
    fidelity = weight_runs * runs + (1.0 - weight_runs) * semantic
    semantic_departure = float(np.sum(n_words * (1.0 - np.where(al.aligned, semantic, 0.0))) / total)
    share = 1.0 - comp.added
    # The evidence a derivation needs: several of the source's statements (DeriveConfig.min_source_units).
    # A wrong verdict costs more where the report does not credit the source (it accuses its outlet
    # of uncredited copying), so what counts as taking a statement depends on the credit
    # (DeriveConfig.statement_facts): for a crediting report any sentence aligned with it, and its own
    # crediting sentences; otherwise several of the statement's distinctive facts in one sentence,
    # aligned or not (a heavy rewrite keeps them in sentences too reworded to align), or a
    # near-verbatim copy.  A later item about the same people restates names and recurring words.
    matched = al.aligned & (al.matched >= config.align_threshold)
    if credited:
        taken = set(al.best[matched].tolist())
    else:
        taken = set(al.fact_best[al.fact_count >= config.statement_facts].tolist())
        taken |= set(al.best[matched & (al.verbatim >= config.near_verbatim_min)].tolist())
    statements = len(taken) + int(np.sum(al.aligned & ~matched))
    enough = statements >= config.min_source_units
    # a crediting report's share of taken words does not decide: its credit already says it draws on the source
    sentence_rule = enough and (credited or (semantic_departure <= config.derived_max_departure and share >= config.partial_min_share))
    # a heavy rewrite splits and merges sentences until no pair passes the threshold, yet its
    # (IDF-weighted) content words still come from the source: document-level evidence, which
    # likewise needs the source's statements
    doc_rule = enough and len(cols) > 0 and bool(content_containment(units, rows, cols) >= config.doc_content_min)
    derived = sentence_rule or doc_rule
    # which words were taken: the aligned ones; when only the document-level evidence shows the
    # derivation, the alignment missed the rewritten sentences, so every sentence counts as taken
    words_taken = al.aligned if sentence_rule or not derived else np.ones(len(rows), dtype=bool)
    taken_share = float(n_words[words_taken].sum() / total)
    kept = float(np.sum(n_words * fidelity * words_taken) / max(n_words[words_taken].sum(), 1.0))
    departure = 1.0 - taken_share ** config.added_exponent * kept
    cls = ("wholly" if share >= config.wholly_min_share else "partially") if derived else "non"
    if not derived:  # a non-derived report takes nothing from the source: its matches are topic, not reuse
        departure = 1.0
    evidence, drifts = _evidence(an, units, rows, cols, al, config, surface or (lambda k, s: s), source_ids)
    return ReportScore(derived=bool(derived), cls=cls, departure=round(min(max(departure, 0.0), 1.0), 4), components=comp,
                       evidence=evidence, drift=drifts)


def _evidence(an: Analysed, units: Units, rows: np.ndarray, cols: np.ndarray, al: Alignment, config: DeriveConfig,
              surface: Surface, source_ids: bool) -> tuple[tuple[Evidence, ...], tuple[Drift, ...]]:
    """Evidence of each aligned sentence, and the drift of those aligned on their own evidence."""
    evidence, drifts = [], []
    for i in np.flatnonzero(al.aligned):
        r = int(rows[i])
        k = int(units.doc[r])
        start, end = int(units.start[r]), int(units.end[r])
        s_start = s_end = sid = None
        if al.best[i] >= 0 and len(cols) and al.matched[i] >= config.align_threshold:
            c = int(cols[al.best[i]])
            ks = int(units.doc[c])
            s_start, s_end = int(units.start[c]), int(units.end[c])
            sid = an.documents[ks].id if source_ids else None
            if al.standalone[i]:
                for ch in drift(view(an, k), start, end, view(an, ks), s_start, s_end, config):
                    drifts.append(Drift(ch.kind, surface(ks, ch.original), surface(k, ch.report), ch.start, ch.end, sid))
        evidence.append(Evidence(str(al.labels[i]), start, end, s_start, s_end, round(float(al.score[i]), 4), sid))
    return tuple(evidence), tuple(drifts)
