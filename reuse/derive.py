"""The derivation model: which reports derive from an original, how far each departs, what changed.

Stages (each a pure function over plain data):

1. **Units** — sentences of every text's masked (boilerplate-free) text, offsets into the document text
   (:mod:`reuse.segment`), with the tokens of the scan front end (:func:`reuse.pipeline.analyse`).
2. **Channels** — one sparse row per sentence and channel: word n-grams (verbatim), IDF-weighted
   stemmed content words (paraphrase), character n-grams (compounds, inflection), anchors (names by
   spelling-insensitive key, numbers, dates).  Pair similarities are sparse products.
3. **Alignment** — each report sentence to its best source unit (any order); below
   ``align_threshold`` it is *added*; source units no report sentence reaches are *omitted*.
4. **Per report** — components, departure, class, drift of anchors in aligned pairs, attribution.

Modes: an original file (``original``), a named source absent from the corpus (``latent``: units of
attributing reports stand in for it, scored leave-one-out), or neither (``families``: the parent of
each report within its scan family).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import pairwise

import numpy as np
import scipy.sparse as sp

from reuse.anchors import attributions, dates, name_key, names, numbers, quotes, same_name, shown
from reuse.config import DeriveConfig, ScanConfig
from reuse.errors import InputError
from reuse.io import Document, meta_text
from reuse.pipeline import DEFAULT_SCAN, Analysed, analyse
from reuse.segment import split
from reuse.shingle import shingles
from reuse.text import STOPWORDS, fold, stem, token_strings

_STOP = frozenset().union(*STOPWORDS.values())
DEFAULT_CONFIG = DeriveConfig()


# --- data --------------------------------------------------------------------------


@dataclass(frozen=True)
class Derivation:
    """The model's verdict on one report (one row of the ``documents`` list of the JSON contract)."""

    id: str
    status: str
    reason: str
    derived: bool | None = None
    cls: str | None = None
    departure: float | None = None
    attributed: bool = False
    attribution: tuple[dict[str, object], ...] = ()
    components: dict[str, float] = field(default_factory=dict)
    drift: tuple[dict[str, object], ...] = ()
    parent: str | None = None
    evidence: tuple[dict[str, object], ...] = ()
    date: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class DeriveResult:
    """Everything ``reuse derive`` found: the source description and one :class:`Derivation` per input document."""

    source: dict[str, object]
    documents: tuple[Derivation, ...]


@dataclass(frozen=True)
class _Units:
    """Sentences of several texts, with their channel rows."""

    doc: np.ndarray  # index into the analysed documents
    start: np.ndarray
    end: np.ndarray
    words: np.ndarray  # tokens per sentence
    grams: sp.csr_matrix  # binary word n-grams
    content: sp.csr_matrix  # idf-weighted sets of stems
    chars: sp.csr_matrix  # idf-weighted sets of char n-grams
    anchors: sp.csr_matrix  # idf-weighted sets of anchors
    gram_count: np.ndarray
    tok_start: np.ndarray  # token range of each sentence in its document's Tokens
    tok_end: np.ndarray


def _vocab_matrix(rows: list[list[str]], idf: bool) -> sp.csr_matrix:
    """Sparse binary rows over a shared vocabulary; ``idf`` weights each feature by log inverse sentence frequency."""
    vocab: dict[str, int] = {}
    indptr, indices = [0], []
    for feats in rows:
        for f in feats:
            indices.append(vocab.setdefault(f, len(vocab)))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    m = sp.csr_matrix((data, np.array(indices, dtype=np.int64), np.array(indptr)), shape=(len(rows), max(1, len(vocab))))
    m.sum_duplicates()
    if not idf:
        m.data[:] = 1.0
        return m
    df = np.bincount(m.indices, minlength=m.shape[1])
    weights = np.log((1.0 + m.shape[0]) / (1.0 + df)) + 1.0
    m.data[:] = 1.0  # sets: a word repeated in one sentence is no stronger evidence
    return sp.csr_matrix(m @ sp.diags(weights))


def name_keys(text: str, start: int, end: int) -> set[str]:
    """Keys of capitalised words that stand next to another capitalised word ("Kirill Dmitrijew",
    "Präsident Selenskyj"): proper names rather than the capitalised common nouns of German."""
    found = names(text, start, end)
    keys = set()
    for a, b in pairwise(found):
        gap = text[a.end : b.start]
        if gap.strip() == "" and len(gap) <= 2:
            keys.update((a.value, b.value))
    return keys


def _anchor_feats(text: str, start: int, end: int, known_names: set[str] | None = None) -> list[str]:
    ds = dates(text, start, end)
    feats = [f"n:{a.value}" for a in names(text, start, end) if known_names is None or a.value in known_names]
    feats += [f"d:{a.value}" for a in ds]
    feats += [f"#:{a.value}" for a in numbers(text, start, end, ds)]
    return feats


def view(an: Analysed, k: int) -> str:
    """The text that units, anchors, drift and attribution read for document ``k``: its masked text.

    Same offsets as the document text, with boilerplate and HTML tags blanked and HTML character
    references decoded in place, so "&bdquo;…&ldquo;" is a quotation and "M&uuml;ller" the name Müller.
    """
    return an.cleaned[k].masked


def build_units(an: Analysed, indices: Sequence[int], config: DeriveConfig) -> _Units:
    """Segment the masked texts of ``indices`` and build every channel's sparse rows.

    Parameters
    ----------
    an : Analysed
        Output of :func:`reuse.pipeline.analyse`.
    indices : sequence of int
        Documents (positions in ``an.documents``) to segment; all must be analysable.
    config : DeriveConfig
        N-gram sizes.

    Returns
    -------
    _Units
    """
    doc, starts, ends, nwords, tstart, tend = [], [], [], [], [], []
    gram_rows: list[list[str]] = []
    content_rows: list[list[str]] = []
    char_rows: list[list[str]] = []
    anchor_rows: list[list[str]] = []
    n, q = config.shingle_size, config.char_ngram
    for k in indices:
        text = view(an, k)
        tokens = an.tokens[k]
        lang = an.languages.get(k, "und")
        lang = lang if lang in ("de", "en") else "de"
        words = token_strings(text, tokens)
        tstarts = tokens.starts
        for u in split(an.cleaned[k].masked):
            a, b = int(np.searchsorted(tstarts, u.start)), int(np.searchsorted(tstarts, u.end))
            if b <= a:
                continue
            ids = tokens.ids[a:b]
            grams = shingles(ids, n) if len(ids) >= n else np.array([hash(tuple(ids.tolist())) & ((1 << 63) - 1)], dtype=np.uint64)
            content = [stem(w, lang) for w in words[a:b] if w not in _STOP and not w.isdigit() and len(w) > 1]
            # the padded word is built once per word, not once per n-gram (quadratic in a long word)
            chars = [p[i : i + q] for w in words[a:b] if w not in _STOP for p in (f"_{w}_",) for i in range(max(1, len(w) + 3 - q))]
            doc.append(k)
            starts.append(u.start)
            ends.append(u.end)
            nwords.append(b - a)
            tstart.append(a)
            tend.append(b)
            gram_rows.append([str(g) for g in grams.tolist()])
            content_rows.append(content)
            char_rows.append(chars)
            anchor_rows.append((text, u.start, u.end))  # type: ignore[arg-type]
    # a capitalised word is a name anchor if anywhere in the corpus it stands in a name pair
    known: set[str] | None = None
    if config.names_from_pairs:
        known = set()
        for text, a, b in anchor_rows:  # type: ignore[misc]
            known |= name_keys(text, a, b)
    anchor_rows = [_anchor_feats(text, a, b, known) for text, a, b in anchor_rows]  # type: ignore[misc]
    grams_m = _vocab_matrix(gram_rows, idf=False)
    return _Units(
        doc=np.array(doc, dtype=np.int64), start=np.array(starts, dtype=np.int64), end=np.array(ends, dtype=np.int64),
        words=np.array(nwords, dtype=np.int64), grams=grams_m, content=_vocab_matrix(content_rows, True),
        chars=_vocab_matrix(char_rows, True), anchors=_vocab_matrix(anchor_rows, True),
        gram_count=np.diff(grams_m.indptr).astype(np.float64),
        tok_start=np.array(tstart, dtype=np.int64), tok_end=np.array(tend, dtype=np.int64),
    )


@dataclass(frozen=True)
class _Pairs:
    """Similarities of report sentences (rows) with source units (columns), per channel and combined."""

    verbatim: np.ndarray
    combined: np.ndarray  # with the neighbours' lift (``DeriveConfig.context_weight``)
    doc_verbatim: np.ndarray  # containment of each report sentence in all source units together
    own: np.ndarray  # combined on the pair's own evidence, before the lift


def _weighted_overlap(m: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray, measure: str) -> np.ndarray:
    """IDF-weighted set overlap of rows with cols: ``cosine``, ``dice`` or ``containment`` (share of the row's weight)."""
    mr, mc = m[rows], m[cols]
    if measure == "cosine":
        dot = (mc @ mr.T).T.toarray()
        nr = np.sqrt(np.asarray(mr.multiply(mr).sum(axis=1)).ravel())
        nc = np.sqrt(np.asarray(mc.multiply(mc).sum(axis=1)).ravel())
        return dot / np.maximum(np.outer(nr, nc), 1e-12)
    binary = mc.copy()
    binary.data[:] = 1.0
    # (cols x features) @ (features x rows), transposed: transposing the few report rows is cheap,
    # transposing the many source units (a CSR -> CSC copy per report) is not
    shared = (binary @ mr.T).T.toarray()  # summed weight of the shared features
    wr = np.asarray(mr.sum(axis=1)).ravel()
    if measure == "containment":
        return shared / np.maximum(wr, 1e-12)[:, None]
    wc = np.asarray(mc.sum(axis=1)).ravel()
    return 2.0 * shared / np.maximum(wr[:, None] + wc[None, :], 1e-12)


def similarities(units: _Units, rows: np.ndarray, cols: np.ndarray, config: DeriveConfig) -> _Pairs:
    """Channel similarities between sentences ``rows`` (report) and ``cols`` (source units), by sparse products."""
    g = units.grams
    gr, gc = g[rows], g[cols]
    inter = (gc @ gr.T).T.toarray()
    cnt = np.maximum(units.gram_count[rows], 1.0)[:, None]
    verbatim = np.minimum(inter / cnt, 1.0)
    source_grams = (np.asarray(gc.sum(axis=0)).ravel() > 0).astype(np.float64)
    doc_verbatim = np.minimum((gr @ source_grams) / cnt.ravel(), 1.0) if len(cols) else np.zeros(len(rows))
    content = _weighted_overlap(units.content, rows, cols, config.paraphrase_measure)
    chars = _weighted_overlap(units.chars, rows, cols, config.paraphrase_measure)
    anchors = _weighted_overlap(units.anchors, rows, cols, config.paraphrase_measure)
    own = np.minimum(
        config.weight_verbatim * verbatim + config.weight_content * content + config.weight_char * chars + config.weight_anchor * anchors, 1.0
    )
    combined = own
    if config.context_weight > 0 and len(rows) and len(cols):
        combined = np.minimum(own + config.context_weight * _context(units, rows, cols, own), 1.0)
    return _Pairs(verbatim=verbatim, combined=combined, doc_verbatim=doc_verbatim, own=own)


def _neighbour_index(units: _Units, idx: np.ndarray, step: int) -> np.ndarray:
    """Position in ``idx`` of the sentence ``step`` places after each ``idx[i]`` in the same text, or -1."""
    target = idx + step
    inside = (target >= 0) & (target < len(units.doc))
    order = np.argsort(idx, kind="stable")
    pos = np.searchsorted(idx[order], np.where(inside, target, -1))
    found = order[np.minimum(pos, len(idx) - 1)]
    ok = inside & (pos < len(idx)) & (idx[found] == target)
    ok &= units.doc[np.where(ok, target, idx)] == units.doc[idx]
    return np.where(ok, found, -1)


def _context(units: _Units, rows: np.ndarray, cols: np.ndarray, sim: np.ndarray) -> np.ndarray:
    """Mean similarity of each pair's neighbour pairs (previous with previous, next with next), 0 where none."""
    total = np.zeros_like(sim)
    count = np.zeros(sim.shape, dtype=np.int8)
    # consecutive indices (a report's sentences, the latent link blocks): neighbours are shifted slices
    runs = len(rows) > 1 and len(cols) > 1 and bool(np.all(np.diff(rows) == 1)) and bool(np.all(np.diff(cols) == 1))
    for step in (-1, 1):
        r, c = _neighbour_index(units, rows, step), _neighbour_index(units, cols, step)
        both = (r[:, None] >= 0) & (c[None, :] >= 0)
        if runs:
            shifted = np.zeros_like(sim)
            if step == 1:
                shifted[:-1, :-1] = sim[1:, 1:]
            else:
                shifted[1:, 1:] = sim[:-1, :-1]
        else:
            shifted = sim[np.maximum(r, 0)][:, np.maximum(c, 0)]
        np.add(total, shifted, out=total, where=both)
        count += both
    return total / np.maximum(count, 1)


# --- drift ---------------------------------------------------------------------------


def drift(report: str, r_start: int, r_end: int, source: str, s_start: int, s_end: int, config: DeriveConfig = DEFAULT_CONFIG) -> list[dict[str, object]]:
    """Anchors that changed between an aligned source unit and report sentence.

    Dates and numbers present on one side only are paired in order; names that
    differ beyond a spelling variant (:func:`reuse.anchors.same_name`) and stand
    next to the same word ("Präsident X") are a changed name; quotations that
    overlap but differ are a changed quote.

    Returns
    -------
    list of dict
        ``{"kind", "original", "report", "start", "end"}``; offsets index the report text.
    """
    out: list[dict[str, object]] = []
    rd, sd = dates(report, r_start, r_end), dates(source, s_start, s_end)
    for kind, r_items, s_items in (
        ("date", rd, sd),
        ("number", numbers(report, r_start, r_end, rd), numbers(source, s_start, s_end, sd)),
    ):
        same = _same_date if kind == "date" else str.__eq__
        only_r = [a for a in r_items if not any(same(a.value, b.value) for b in s_items)]
        only_s = [a for a in s_items if not any(same(a.value, b.value) for b in r_items)]
        for ra, sa in zip(only_r, only_s, strict=False):
            out.append({"kind": kind, "original": sa.surface, "report": ra.surface, "start": ra.start, "end": ra.end})
    rn, sn = _surnames(names(report, r_start, r_end), report), _surnames(names(source, s_start, s_end), source)
    for ra in rn:
        if any(same_name(ra.value, sa.value, config.name_variant_distance) for sa in sn):
            continue
        for sa in sn:
            if any(same_name(ra.value, x.value, config.name_variant_distance) for x in sn if x is not sa) or any(
                same_name(sa.value, x.value, config.name_variant_distance) for x in rn
            ):
                continue
            if _neighbour(report, ra) & _neighbour(source, sa):
                out.append({"kind": "name", "original": sa.surface, "report": ra.surface, "start": ra.start, "end": ra.end})
                break
    sq = quotes(source, s_start, s_end)
    for ra in quotes(report, r_start, r_end):
        rw = set(ra.value.split())
        best, best_j = None, 0.0
        for sa in sq:
            sw = set(sa.value.split())
            j = len(rw & sw) / max(1, len(rw | sw))
            if j > best_j:
                best, best_j = sa, j
        if best is not None and best.value != ra.value and best_j >= config.quote_drift_min:
            out.append({"kind": "quote", "original": best.surface, "report": ra.surface, "start": ra.start, "end": ra.end})
    return sorted(out, key=lambda d: (d["start"], d["kind"]))  # type: ignore[return-value]


def _same_date(a: str, b: str) -> bool:
    """Two normalised dates (``"d1-d2.m[.y]"``) name the same day when day and month agree and the
    years do too or one side gives none ("am 15. August" and "August 15, 2025")."""
    pa, pb = a.split("."), b.split(".")
    return pa[:2] == pb[:2] and (len(pa) < 3 or len(pb) < 3 or pa[2] == pb[2])


def _surnames(found: list, text: str) -> list:  # type: ignore[type-arg]
    """Capitalised words that end a run of two or more ("Kirill Dmitrijew", "Präsident Putin"): the
    slot where a changed name shows; the capitalised nouns of German stand alone or lead a run."""
    out = []
    # a capitalised word follows within two blanks: looked up by its start, not by a scan of every word (quadratic)
    starts = {x.start for x in found}
    for prev, cur in pairwise(found):
        gap = text[prev.end : cur.start]
        nxt_is_cap = any(s in starts and text[cur.end : s].strip() == "" for s in (cur.end + 1, cur.end + 2))
        if gap.strip() == "" and len(gap) <= 2 and not nxt_is_cap:
            out.append(cur)
    return out


def _neighbour(text: str, anchor: object) -> set[str]:
    """Name keys of the words right before and after an anchor (context shared by a replaced name)."""
    before = text[max(0, anchor.start - 40) : anchor.start].split()  # type: ignore[attr-defined]
    after = text[anchor.end : anchor.end + 40].split()  # type: ignore[attr-defined]
    keys = set()
    # only a capitalised neighbour (first name, title) marks a name slot; "ukrainischer Beamter"/"ukrainischer Seite" is no name change
    if before and before[-1][:1].isupper():
        keys.add("<" + name_key(before[-1]))
    if after and after[0][:1].isupper():
        keys.add(">" + name_key(after[0]))
    return {k for k in keys if len(k) > 2}


# --- scoring one report ----------------------------------------------------------------


def content_containment(units: _Units, rows: np.ndarray, cols: np.ndarray) -> float:
    """IDF-weighted share of the report's distinct content stems (sentences ``rows``) found anywhere
    in the source units ``cols``: document-level paraphrase evidence, blind to sentence boundaries."""
    weight = np.asarray(units.content.max(axis=0).todense()).ravel()
    rep = np.asarray(units.content[rows].sum(axis=0)).ravel() > 0
    src = np.asarray(units.content[cols].sum(axis=0)).ravel() > 0
    total = float(weight[rep].sum())
    return float(weight[rep & src].sum()) / total if total > 0 else 0.0


def run_share(an: Analysed, units: _Units, rows: np.ndarray, cols: np.ndarray, sizes: Sequence[int]) -> np.ndarray:
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



def _kendall_distance(seq: Sequence[int]) -> float:
    """Share of discordant pairs in a sequence of source positions (0 = same order, 1 = reversed)."""
    m = len(seq)
    if m < 2:
        return 0.0
    a = np.asarray(seq)
    disc = int(np.sum(np.triu(a[:, None] > a[None, :], 1)))
    return disc / (m * (m - 1) / 2)


def score_report(
    an: Analysed, units: _Units, rows: np.ndarray, cols: np.ndarray, config: DeriveConfig,
    self_credit: np.ndarray | None = None, exponent: float = 1.0,
) -> dict[str, object]:
    """Align report sentences ``rows`` with source units ``cols`` and score the report.

    Parameters
    ----------
    self_credit : numpy.ndarray of bool, optional
        Report sentences that attribute the source themselves (latent mode): credited at least
        ``align_threshold`` (the weakest evidence of derivation) even without a matching unit.
    exponent : float
        Pair similarities ``s`` become ``s ** exponent`` (latent mode: the similarity of two rewrites
        of one source estimates the product of their similarities to it; see
        ``DeriveConfig.latent_similarity_exponent``).

    Returns
    -------
    dict
        ``derived``, ``class``, ``departure``, ``components``, ``drift``, ``evidence`` (contract keys).
    """
    if len(rows) == 0:  # nothing but boilerplate: no content can derive from anything
        empty = {"verbatim": 0.0, "near_verbatim": 0.0, "paraphrase": 0.0, "added": 1.0, "omitted": 1.0, "reorder": 0.0}
        return {"derived": False, "class": "non", "departure": 1.0, "components": empty, "drift": [], "evidence": []}
    n_words = units.words[rows].astype(np.float64)
    total = max(n_words.sum(), 1.0)
    if len(cols) == 0:
        q = np.zeros(len(rows))
        best = np.full(len(rows), -1)
        vpair = np.zeros(len(rows))
        standalone = np.zeros(len(rows), dtype=bool)
    else:
        pairs = similarities(units, rows, cols, config)
        best = pairs.combined.argmax(axis=1)
        ar = np.arange(len(rows))
        vpair = pairs.verbatim[ar, best]
        # a sentence that merges several source sentences is still verbatim by document containment
        v = np.maximum(vpair, pairs.doc_verbatim)

        def score(sim: np.ndarray) -> np.ndarray:
            # a verbatim copy departs by nothing, whatever the other channels say
            return np.clip(np.maximum(sim[ar, best] + config.weight_verbatim * (v - vpair), v), 0.0, 1.0) ** exponent

        q = score(pairs.combined)
        # aligned without the neighbours' lift: only such pairs are trusted to show drift, since a
        # lifted pair may be the neighbour of an aligned one and not the same content
        standalone = score(pairs.own) >= config.align_threshold
        vpair = v
    matched = q.copy()
    if self_credit is not None:
        q = np.where(self_credit & (q < config.align_threshold), config.align_threshold, q)
    q = np.clip(q, 0.0, 1.0)
    aligned = q >= config.align_threshold
    labels = np.where(vpair >= config.verbatim_min, "verbatim", np.where(vpair >= config.near_verbatim_min, "near_verbatim", "paraphrase"))
    labels = np.where(aligned, labels, "added")
    comp = {lab: float(n_words[labels == lab].sum() / total) for lab in ("verbatim", "near_verbatim", "paraphrase", "added")}
    if len(cols):
        hit = np.zeros(len(cols), dtype=bool)
        hit[best[aligned & (best >= 0)]] = True
        # a source unit is reached when its best report sentence is aligned with it
        src_words = units.words[cols].astype(np.float64)
        comp["omitted"] = float(src_words[~hit].sum() / max(src_words.sum(), 1.0))
    else:
        comp["omitted"] = 0.0
    comp["reorder"] = _kendall_distance([int(best[i]) for i in np.flatnonzero(aligned & (best >= 0))])
    comp = {k: round(v, 4) for k, v in comp.items()}
    # departure from two axes: how little of the taken text's wording survives (rewording) and how
    # much of the report is its own (added).  An aligned word's fidelity blends long verbatim runs
    # (what separates cut from light from heavy) with the semantic similarity (what keeps a
    # translation or rewrite below an independent text).
    sizes = range(config.run_min, config.run_max + 1)
    # (latent mode weighs runs 0: skip them, their source pool is every unit of every other report)
    runs = np.clip(run_share(an, units, rows, cols, sizes), 0.0, 1.0) ** exponent if config.weight_runs > 0 else np.zeros(len(rows))
    fidelity = config.weight_runs * runs + (1.0 - config.weight_runs) * q
    semantic_departure = float(np.sum(n_words * (1.0 - np.where(aligned, q, 0.0))) / total)
    share = 1.0 - comp["added"]
    sentence_rule = semantic_departure <= config.derived_max_departure and share >= config.partial_min_share
    # a heavy rewrite splits and merges sentences until no pair passes the threshold, yet its
    # (IDF-weighted) content words still come from the source: document-level evidence
    derived = sentence_rule or (len(cols) > 0 and bool(content_containment(units, rows, cols) >= config.doc_content_min))
    # which words were taken: the aligned ones; when only the document-level evidence shows the
    # derivation, the alignment missed the rewritten sentences, so every sentence counts as taken
    taken = aligned if sentence_rule or not derived else np.ones(len(rows), dtype=bool)
    taken_share = float(n_words[taken].sum() / total)
    kept = float(np.sum(n_words * fidelity * taken) / max(n_words[taken].sum(), 1.0))
    departure = 1.0 - taken_share ** config.added_exponent * kept
    cls = ("wholly" if share >= config.wholly_min_share else "partially") if derived else "non"
    if not derived:  # a non-derived report takes nothing from the source: its matches are topic, not reuse
        departure = 1.0
    evidence, drifts = [], []
    for i in np.flatnonzero(aligned):
        r = int(rows[i])
        k = int(units.doc[r])
        ev: dict[str, object] = {"label": str(labels[i]), "start": int(units.start[r]), "end": int(units.end[r]),
                                 "source_start": None, "source_end": None, "similarity": round(float(q[i]), 4)}
        if best[i] >= 0 and len(cols) and matched[i] >= config.align_threshold:
            c = int(cols[best[i]])
            ks = int(units.doc[c])
            ev["source_start"], ev["source_end"] = int(units.start[c]), int(units.end[c])
            ev["source_id"] = an.documents[ks].id
            changes = drift(view(an, k), int(units.start[r]), int(units.end[r]), view(an, ks), int(units.start[c]), int(units.end[c]), config) if standalone[i] else []
            for change in changes:
                change["source_id"] = an.documents[ks].id  # latent mode: whose version of the unit differs
                change["report"], change["original"] = _surface(an, k, change["report"]), _surface(an, ks, change["original"])
                drifts.append(change)
        evidence.append(ev)
    return {
        "derived": bool(derived), "class": cls, "departure": round(min(max(departure, 0.0), 1.0), 4),
        "components": comp, "drift": drifts, "evidence": evidence,
    }


# --- modes ---------------------------------------------------------------------------------


def _attribution(an: Analysed, k: int, name: str | None) -> list[dict[str, object]]:
    if not name:
        return []
    text = view(an, k)
    return [{"start": s, "end": e, "text": _surface(an, k, text[s:e])} for s, e in attributions(text, name)]


def _surface(an: Analysed, k: int, surface: object) -> object:
    """A surface read off document ``k``'s masked text as a person reads it: in HTML without the
    padding of decoded character references; in plain text exactly the document's characters."""
    return shown(surface) if an.documents[k].html and isinstance(surface, str) else surface


def _row(doc: Document, an: Analysed, k: int, scored: dict[str, object] | None, attribution: list[dict[str, object]], parent: str | None) -> Derivation:
    title = an.cleaned[k].title if doc.ok else doc.title
    if not doc.ok or scored is None:
        return Derivation(id=doc.id, status=doc.status, reason=doc.reason, date=doc.date, title=title)
    return Derivation(
        id=doc.id, status=doc.status, reason=doc.reason, derived=scored["derived"], cls=scored["class"],  # type: ignore[arg-type]
        departure=scored["departure"], attributed=bool(attribution), attribution=tuple(attribution),  # type: ignore[arg-type]
        components=scored["components"], drift=tuple(scored["drift"]), parent=parent,  # type: ignore[arg-type]
        evidence=tuple(scored["evidence"]), date=doc.date, title=title,  # type: ignore[arg-type]
    )


def derive_original(documents: Sequence[Document], original: Document, config: DeriveConfig = DEFAULT_CONFIG,
                    scan_config: ScanConfig = DEFAULT_SCAN, source_name: str | None = None) -> DeriveResult:
    """Mode 1: compare every report with a given original.

    Parameters
    ----------
    documents : sequence of Document
        The reports (error documents are carried through).
    original : Document
        The original text; must be analysable.
    source_name : str, optional
        Name of the source for attribution detection (defaults to none: ``attributed`` is then
        false unless a name is given).

    Returns
    -------
    DeriveResult
    """
    if not original.ok:
        raise InputError(f"the original {original.origin or original.id} cannot be used: {original.reason}")
    src = replace(original, id="\x00original")
    an = analyse([src, *documents], _front_config(config, scan_config))
    if 0 not in an.tokens or len(an.tokens[0]) == 0:
        raise InputError("the original holds no words after cleaning")
    ok = [k for k in range(1, len(an.documents)) if k in an.tokens]
    units = build_units(an, [0, *ok], config)
    cols = np.flatnonzero(units.doc == 0)
    rows_out = []
    for k in range(1, len(an.documents)):
        doc = an.documents[k]
        if k not in an.tokens:
            rows_out.append(_row(doc, an, k, None, [], None))
            continue
        rows = np.flatnonzero(units.doc == k)
        scored = _strip_source_id(score_report(an, units, rows, cols, config))
        rows_out.append(_row(doc, an, k, scored, _attribution(an, k, source_name), "source" if scored["derived"] else None))
    source = {"mode": "original", "id": original.id, "path": original.origin, "name": source_name, "units": len(cols),
              "chars": len(original.text)}
    return DeriveResult(source=source, documents=tuple(rows_out))


def _front_config(config: DeriveConfig, scan_config: ScanConfig) -> ScanConfig:
    """The scan front end as derive uses it (corpus template lines off unless configured)."""
    if config.corpus_template_lines:
        return scan_config
    clean = scan_config.clean
    return replace(scan_config, clean=replace(clean, corpus_line_min_share=max(clean.corpus_line_min_share, config.template_min_share),
                                              corpus_line_max_words=min(clean.corpus_line_max_words, config.template_max_words)))


def _strip_source_id(scored: dict[str, object]) -> dict[str, object]:
    for item in [*scored["evidence"], *scored["drift"]]:  # type: ignore[misc]
        item.pop("source_id", None)
    return scored


def derive_latent(documents: Sequence[Document], source_name: str, config: DeriveConfig = DEFAULT_CONFIG,
                  scan_config: ScanConfig = DEFAULT_SCAN, attributing_ids: Collection[str] | None = None) -> DeriveResult:
    """Mode 2: the original is absent; reports that attribute ``source_name`` stand in for it.

    Source units are sentences of attributing reports that attribute the source
    themselves, share a paragraph with such a sentence, or are matched by
    sentences of ``latent_share_min_reports`` other reports.  Each report is scored
    against the units of the *other* reports only (leave-one-out), so its own
    sentences never make it look derived; its own attributed sentences, and the
    reported speech in their scope (:func:`reported_scope`), count as source content
    at the latent alignment threshold.

    Similarities between two reports are raised to ``latent_similarity_exponent``
    (an estimate of each one's similarity to the absent original) and judged by
    ``latent_align_threshold`` and ``latent_max_departure``.

    ``attributing_ids`` overrides attribution detection with a known set of reports
    that draw on the source (for evaluation on labelled corpora).
    """
    lat = replace(config, align_threshold=config.latent_align_threshold, derived_max_departure=config.latent_max_departure,
                  weight_runs=config.latent_weight_runs, doc_content_min=config.latent_doc_content_min)
    exponent = config.latent_similarity_exponent
    if not source_name or not source_name.strip():
        raise InputError("--source-name must not be empty")
    an = analyse(documents, _front_config(config, scan_config))
    ok = sorted(an.tokens)
    units = build_units(an, ok, config)
    n_units = len(units.doc)
    attrib = {k: _attribution(an, k, source_name) for k in ok}
    # sentence-level attribution and paragraph of each unit
    credited = np.zeros(n_units, dtype=bool)
    para_credit = np.zeros(n_units, dtype=bool)
    scope = np.zeros(n_units, dtype=bool)  # credited sentences and the reported speech in their scope
    for k in ok:
        idx = np.flatnonzero(units.doc == k)
        masked = an.cleaned[k].masked
        spans = [(a["start"], a["end"]) for a in attrib[k]]
        para = _paragraph_ids(masked, units.start[idx])
        for u in idx:
            credited[u] = any(s < units.end[u] and units.start[u] < e for s, e in spans)  # type: ignore[operator]
        for p in set(para[credited[idx]].tolist()):
            para_credit[idx[para == p]] = True
        if config.reported_speech_scope:
            scope[idx] = reported_scope(view(an, k), units.start[idx].tolist(), units.end[idx].tolist(), credited[idx])
        else:  # without the scope rule a report's own crediting sentences still count as source content
            scope[idx] = credited[idx]
    # which reports link to each unit: doc_links[u, d] is True when a sentence of report d (not u's own) matches u
    attributing = {k for k in ok if attrib[k]} if attributing_ids is None else {k for k in ok if an.documents[k].id in set(attributing_ids)}
    # only units of attributing reports can become source units: link only those (a corpus where few
    # reports credit the source costs a few blocks, not units x units)
    doc_links = _doc_links(units, lat, exponent, len(an.documents), np.flatnonzero(np.isin(units.doc, list(attributing))))
    total_links = np.asarray(doc_links.sum(axis=1)).ravel()
    rows_out = []
    for k in range(len(an.documents)):
        doc = an.documents[k]
        if k not in an.tokens:
            rows_out.append(_row(doc, an, k, None, [], None))
            continue
        rows = np.flatnonzero(units.doc == k)
        others = units.doc != k
        from_attributing = np.isin(units.doc, list(attributing - {k}))
        # how many reports other than k (and other than the unit's own) link to each unit: leave-one-out
        third = total_links - doc_links[:, k].toarray().ravel()
        is_unit = others & from_attributing & (credited | para_credit | (third >= config.latent_share_min_reports - 1))
        cols = np.flatnonzero(is_unit)
        scored = score_report(an, units, rows, cols, lat, self_credit=scope[rows], exponent=exponent)
        rows_out.append(_row(doc, an, k, scored, attrib[k], "source" if scored["derived"] else None))
    source = {"mode": "latent", "name": source_name, "attributing": sorted(an.documents[k].id for k in attributing),
              "units": int((credited | para_credit).sum())}
    return DeriveResult(source=source, documents=tuple(rows_out))


def _doc_links(units: _Units, config: DeriveConfig, exponent: float, n_docs: int, which: np.ndarray,
               cells: int = 1 << 22) -> sp.csc_matrix:
    """``(units x documents)`` boolean: some sentence of that document (not the unit's own) matches the unit.

    Only the units ``which`` (whole documents) are linked; the other rows are empty.  Computed in
    blocks of whole documents of about ``cells`` pairs each, so memory stays bounded however large
    the corpus, and every sentence's neighbours (``context_weight``) are in its block.
    """
    n = len(units.doc)
    pairs_r, pairs_d = [np.empty(0, dtype=np.int64)], [np.empty(0, dtype=np.int64)]
    all_idx = np.arange(n)
    cut = np.flatnonzero(np.diff(units.doc[which])) + 1  # document boundaries within ``which``
    per_block = max(1, cells // max(n, 1))
    start = 0
    for end in [*cut.tolist(), len(which)]:
        if end - start < per_block and end < len(which):
            continue  # extend the block by the next document
        rows = which[start:end]
        sim = similarities(units, rows, all_idx, config).combined ** exponent
        hit = (sim >= config.align_threshold) & (units.doc[rows][:, None] != units.doc[None, :])
        r, c = np.nonzero(hit)
        # unit rows[r] is matched by sentence c of document doc[c] (row-side normalisation, as in scoring)
        pairs_r.append(rows[r])
        pairs_d.append(units.doc[c])
        start = end
    key = np.unique(np.concatenate(pairs_r) * max(n_docs, 1) + np.concatenate(pairs_d))  # one link per (unit, document)
    return sp.csc_matrix((np.ones(len(key), dtype=np.int64), (key // max(n_docs, 1), key % max(n_docs, 1))), shape=(n, n_docs))


#: Verbs and phrases of saying (folded, one regular expression per word) that mark a sentence as
#: reported speech: its content is someone's statement, not the writer's own voice.
SPEECH_CUES: tuple[str, ...] = (
    r"sagt\w*", r"erklart\w*", r"betont\w*", r"bestatigt\w*", r"mitgeteilt", r"mitteil\w*", r"teilt\w*", r"hinzu", r"zitiert",
    r"bericht\w*", r"zufolge", r"laut", r"angeblich", r"said", r"says", r"told", r"added", r"according", r"reportedly",
)
#: Konjunktiv I and reportive forms (German indirect speech: "er sagte, es sei", "soll ... haben"),
#: the closed set of frequent ones, matched lower-cased but unfolded ("hätten", not indicative "hatten");
#: 1st-person homographs ("habe", "werde") occur in news only in quotes.
REPORTIVE_FORMS: tuple[str, ...] = (
    r"sei", r"seien", r"habe", r"hätten", r"werde", r"würden", r"könne", r"müsse", r"solle", r"wolle", r"dürfe",
    r"gebe", r"gehe", r"stehe", r"bestehe", r"liege", r"komme", r"lasse", r"handle", r"geschehe", r"soll", r"sollen",
)
_SPEECH = re.compile(r"\A(?:" + "|".join(SPEECH_CUES) + r")\Z")
_REPORTIVE = re.compile(r"\A(?:" + "|".join(REPORTIVE_FORMS) + r")\Z")
_SPEECH_VERB = re.compile(r"\A(?:sagt\w*|erklart\w*|betont\w*|bestatigt\w*|said|says|told|added)\Z")
_WORDS = re.compile(r"\w+")


def _reported(sentence: str) -> tuple[bool, set[str]]:
    """Whether a sentence is reported speech, and its speakers (a capitalised word right before or
    after a verb of saying: "Dmitrijew sagte", "sagte Dmitrijew")."""
    raw = _WORDS.findall(sentence)
    words = [fold(w) for w in raw]
    rs = any(_SPEECH.match(w) for w in words) or any(_REPORTIVE.match(w.lower()) for w in raw)
    speakers = set()
    for i, w in enumerate(words):
        if _SPEECH_VERB.match(w):
            for j in (i - 1, i + 1):
                if 0 <= j < len(raw) and raw[j][:1].isupper() and words[j] not in _STOP:
                    speakers.add(words[j])
    return rs, speakers


def reported_scope(text: str, starts: Sequence[int], ends: Sequence[int], credited: np.ndarray) -> np.ndarray:
    """Sentences in the scope of an attribution to the source (see ``DeriveConfig.reported_speech_scope``).

    A run starts at a sentence that credits the source, or at a reported-speech sentence whose speaker
    is an informant of the source (a speaker of a crediting sentence), and continues over following
    reported-speech sentences; the first own-voice (indicative, uncued) sentence ends it.
    """
    info = [_reported(text[a:b]) for a, b in zip(starts, ends, strict=True)]
    informants = set().union(*(sp for (_, sp), c in zip(info, credited, strict=True) if c)) if len(info) else set()
    out = np.zeros(len(info), dtype=bool)
    run = False
    for i, ((rs, speakers), c) in enumerate(zip(info, credited, strict=True)):
        run = bool(c) or (rs and (run or bool(speakers & informants)))
        out[i] = run
    return out


def _paragraph_ids(masked: str, starts: np.ndarray) -> np.ndarray:
    """Paragraph number of each sentence start (paragraphs end at blank lines, or at line breaks in unwrapped text)."""
    breaks = [i for i, ch in enumerate(masked) if ch == "\n"]
    # a line break counts as a paragraph break: news texts put one paragraph per line
    return np.searchsorted(np.array(breaks, dtype=np.int64), starts) if breaks else np.zeros(len(starts), dtype=np.int64)


def derive_families(documents: Sequence[Document], config: DeriveConfig = DEFAULT_CONFIG, scan_config: ScanConfig = DEFAULT_SCAN,
                    source_name: str | None = None) -> DeriveResult:
    """Mode 3: no original and no source name: families from the scan, and each report's likely parent.

    Within a family, the parent of a report is the member covering the largest
    share of it by shared passages, among members not dated after it; when both
    are undated or dated alike, a credit decides (the report names the other's
    outlet, its ``source`` metadata, as a source: "wie Reuters berichtet"), else the
    pair's containment asymmetry (the copy is covered by its parent more than the
    parent by it).  The report is then scored against its parent as in mode 1.
    """
    from reuse.pipeline import scan

    result = scan(documents, scan_config)
    an = analyse(documents, _front_config(config, scan_config))
    ids = [d.id for d in an.documents]
    index = {d: k for k, d in enumerate(ids)}
    covered: dict[tuple[int, int], np.ndarray] = {}
    for p in result.passages:
        a, b = index[p.a], index[p.b]
        for x, y, s, e in ((a, b, p.a_start, p.a_end), (b, a, p.b_start, p.b_end)):
            mask = covered.setdefault((x, y), np.zeros(len(an.documents[x].text) + 1, dtype=bool))
            mask[s:e] = True
    def cover(x: int, y: int) -> float:
        mask = covered.get((x, y))
        if mask is None:
            return 0.0
        body = np.frombuffer(an.cleaned[x].masked.encode("utf-32-le"), dtype=np.uint32) > 32
        return float((mask[: len(body)] & body).sum() / max(body.sum(), 1))

    @cache  # each pair is met from both sides: read a report once per outlet
    def credits_outlet(x: int, outlet: str | None) -> bool:
        return bool(outlet and outlet != an.documents[x].source and attributions(view(an, x), outlet))

    def credits(x: int, y: int) -> bool:
        """Report ``x`` credits ``y``'s outlet (not its own: a byline is no credit)."""
        return credits_outlet(x, an.documents[y].source)

    parent: dict[int, int] = {}
    for fam in result.families:
        members = [index[m] for m in fam]
        for x in members:
            best, best_c = None, config.parent_min_cover
            for y in members:
                if y == x:
                    continue
                dx, dy = an.documents[x].date, an.documents[y].date
                if dx and dy and dy > dx:
                    continue
                cxy = cover(x, y)
                if not (dx and dy and dy < dx):  # undated or same day: a credit, else the asymmetry
                    cyx = cover(y, x)
                    if credits(y, x) or not (credits(x, y) or cxy > cyx or (cxy == cyx and ids[y] < ids[x])):
                        continue
                if cxy > best_c:
                    best, best_c = y, cxy
            if best is not None:
                parent[x] = best
    ok = sorted(an.tokens)
    units = build_units(an, ok, config)
    rows_out = []
    for k, doc in enumerate(an.documents):
        if k not in an.tokens:
            rows_out.append(_row(doc, an, k, None, [], None))
            continue
        rows = np.flatnonzero(units.doc == k)
        if k in parent:
            cols = np.flatnonzero(units.doc == parent[k])
            scored = _strip_source_id(score_report(an, units, rows, cols, config))
            par = ids[parent[k]] if scored["derived"] else None
        else:
            scored = score_report(an, units, rows, np.empty(0, dtype=np.int64), config)
            par = None
        rows_out.append(_row(doc, an, k, scored, _attribution(an, k, source_name), par))
    source = {"mode": "families", "families": [list(f) for f in result.families]}
    return DeriveResult(source=source, documents=tuple(rows_out))


def derive(documents: Sequence[Document], original: Document | None = None, source_name: str | None = None,
           config: DeriveConfig = DEFAULT_CONFIG, scan_config: ScanConfig = DEFAULT_SCAN) -> DeriveResult:
    """Run the derivation model in the mode the arguments select.

    Parameters
    ----------
    documents : sequence of Document
        The reports.
    original : Document, optional
        The original (mode ``original``).
    source_name : str, optional
        The upstream source's name: with ``original`` it only enables attribution detection;
        alone it selects the latent-original mode.
    config, scan_config : DeriveConfig, ScanConfig

    Returns
    -------
    DeriveResult
    """
    if isinstance(documents, (str, bytes)):
        raise InputError("derive expects a list of Document objects, not a string; use reuse.load_paths([...]) first")
    if source_name is not None:
        source_name = meta_text(source_name)  # a lone surrogate (an undecodable argument) cannot be written
        if not re.search(r"[^\W_]", source_name):  # "" and "   " as well as ".*": no credit can name it
            raise InputError(f"the source name {source_name[:40]!r} holds no letter or digit; give the outlet's name as the reports write it (e.g. 'Axios')")
    if original is not None:
        return derive_original(documents, original, config, scan_config, source_name)
    if source_name:
        return derive_latent(documents, source_name, config, scan_config)
    return derive_families(documents, config, scan_config)


__all__ = ["Derivation", "DeriveResult", "build_units", "derive", "derive_families", "derive_latent", "derive_original", "drift", "score_report", "similarities"]
