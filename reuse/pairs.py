"""Derive stage 2: similarities of report sentences with source units, one sparse product per channel.

Within a language every channel counts: word n-grams (verbatim), stemmed content words (paraphrase),
character n-grams, anchors.  Across languages word n-grams and character n-grams of different words
say nothing, so a pair of sentences in two languages is compared by its content words as concepts
(English stems through a bilingual lexicon, :func:`reuse.units.translate`) and by its anchors (names
by a transliteration-insensitive key, numbers, dates), weighted by ``DeriveConfig.xling_weight_*``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reuse.config import DeriveConfig
from reuse.lazy import sparse as sp
from reuse.units import ConceptRows, Concepts, Units


@dataclass(frozen=True)
class PairSimilarities:
    """Similarities of report sentences (rows) with source units (columns).

    Attributes
    ----------
    verbatim : numpy.ndarray
        Share of each report sentence's word n-grams found in the unit.
    own : numpy.ndarray
        The channels combined on the pair's own evidence.
    combined : numpy.ndarray
        ``own`` lifted by the neighbour pairs (``DeriveConfig.context_weight``).
    doc_verbatim : numpy.ndarray
        Containment of each report sentence's word n-grams in all the units together.
    content : numpy.ndarray
        The content channel alone (stems within a language, concepts across languages).
    crosses : numpy.ndarray of bool
        Pairs whose two sentences are in different languages.
    distinct : numpy.ndarray of int64
        How many of the report sentence's facts the unit holds that are *distinctive* of the source:
        found in at most ``DeriveConfig.distinct_max_share`` of the source units (:func:`distinctive`).
        Counted against the source units alone, so it does not depend on the other reports of a run.
    """

    verbatim: np.ndarray
    own: np.ndarray
    combined: np.ndarray
    doc_verbatim: np.ndarray
    content: np.ndarray
    crosses: np.ndarray
    distinct: np.ndarray


def weighted_overlap(m: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray, measure: str) -> np.ndarray:
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


def _present(m: sp.csr_matrix) -> sp.csr_matrix:
    """Binary copy of a sparse matrix (which entries are non-zero)."""
    out = sp.csr_matrix(m, copy=True)
    out.data[:] = 1.0
    out.eliminate_zeros()
    return out


def concept_overlap(concepts: ConceptRows, rows: np.ndarray, cols: np.ndarray, measure: str) -> np.ndarray:
    """IDF-weighted overlap of content words across languages, word by word through their concepts.

    A word of one sentence is matched when any of its concepts (English stems of its translations)
    is a concept of the other sentence; all translations of a word stand together as one query term
    (structured translation as in cross-language retrieval), so a word with many translations is one
    matched word, not many.  Matched weight on each side, combined by ``measure`` as the same-language
    content channel is.
    """
    words, meaning = concepts.words, concepts.meaning
    wr, wc = words[rows], words[cols]
    cr = _present(_present(wr) @ meaning)  # rows x concepts present
    cc = _present(_present(wc) @ meaning)
    # words of the rows matched in each col: (row words x concepts) @ (concepts x cols) > 0
    hit_r = wr @ _present(meaning @ cc.T)  # rows x cols: matched weight of the row sentence
    hit_c = wc @ _present(meaning @ cr.T)  # cols x rows: matched weight of the unit
    hr, hc = np.asarray(hit_r.todense()), np.asarray(hit_c.todense()).T
    tr = np.asarray(wr.sum(axis=1)).ravel()[:, None]
    tc = np.asarray(wc.sum(axis=1)).ravel()[None, :]
    if measure == "containment":
        return np.minimum(hr / np.maximum(tr, 1e-12), 1.0)
    if measure == "cosine":
        return np.minimum(np.sqrt(hr * hc) / np.maximum(np.sqrt(tr * tc), 1e-12), 1.0)
    return np.minimum((hr + hc) / np.maximum(tr + tc, 1e-12), 1.0)


def similarities(units: Units, rows: np.ndarray, cols: np.ndarray, config: DeriveConfig, concepts: Concepts | None = None,
                 evidence: bool = True) -> PairSimilarities:
    """Channel similarities between sentences ``rows`` (report) and ``cols`` (source units), by sparse products.

    ``concepts`` (:func:`reuse.units.translate`) compares pairs whose languages differ; without it,
    or for a language it cannot map, such pairs are compared as if in one language (where only the
    anchors and shared spellings can match).  ``evidence=False`` skips the distinctive facts
    (``distinct`` is then all zero), for callers that only need the similarities.
    """
    g = units.grams
    gr, gc = g[rows], g[cols]
    inter = (gc @ gr.T).T.toarray()
    cnt = np.maximum(units.gram_count[rows], 1.0)[:, None]
    verbatim = np.minimum(inter / cnt, 1.0)
    source_grams = (np.asarray(gc.sum(axis=0)).ravel() > 0).astype(np.float64)
    doc_verbatim = np.minimum((gr @ source_grams) / cnt.ravel(), 1.0) if len(cols) else np.zeros(len(rows))
    content = weighted_overlap(units.content, rows, cols, config.paraphrase_measure)
    chars = weighted_overlap(units.chars, rows, cols, config.paraphrase_measure)
    anchors = weighted_overlap(units.anchors, rows, cols, config.paraphrase_measure)
    own = np.minimum(
        config.weight_verbatim * verbatim + config.weight_content * content + config.weight_char * chars + config.weight_anchor * anchors, 1.0
    )
    crosses = _crossing(units, rows, cols, concepts)
    if concepts is not None and crosses.any():
        xc = np.flatnonzero(crosses.any(axis=0))
        xcontent = concept_overlap(concepts.content, rows, cols[xc], config.xling_measure)
        xown = np.minimum(config.xling_weight_content * xcontent + config.xling_weight_anchor * anchors[:, xc], 1.0)
        own[:, xc] = np.where(crosses[:, xc], xown, own[:, xc])
        content[:, xc] = np.where(crosses[:, xc], xcontent, content[:, xc])
    combined = own
    if config.context_weight > 0 and len(rows) and len(cols):
        combined = np.minimum(own + config.context_weight * context(units, rows, cols, own), 1.0)
    return PairSimilarities(verbatim=verbatim, own=own, combined=combined, doc_verbatim=doc_verbatim, content=content,
                            crosses=crosses,
                            distinct=distinctive(units, rows, cols, crosses, config.distinct_max_share, concepts) if evidence
                            else np.zeros((len(rows), len(cols)), dtype=np.int64))


def _found(hits: sp.csr_matrix, max_share: float) -> sp.csr_matrix:
    """Keep the rows (features) of a ``features x units`` hit matrix found in at least one and at most
    ``max_share`` of the units (at least one unit): the source's distinctive features."""
    df = np.asarray(hits.sum(axis=1)).ravel()
    keep = ((df >= 1) & (df <= max(1.0, max_share * hits.shape[1]))).astype(np.float64)
    return sp.csr_matrix(sp.diags(keep) @ hits)


def distinctive(units: Units, rows: np.ndarray, cols: np.ndarray, crosses: np.ndarray, max_share: float,
                concepts: Concepts | None = None) -> np.ndarray:
    """Facts of each report sentence (``rows``) held by each source unit (``cols``) that few source units hold.

    A fact (a content word that is not a name or a name's title, a number, a date:
    ``reuse.units.Units.facts``) is distinctive of the source when at most ``max_share`` of its units
    hold it: the story's recurring words ("plan", "cable", "28") are in many units, what a statement
    adds ("anchor", "14 metres", "Gaza") in one or two.  Counted over the source units alone, so the
    count is the same whoever else is in the run.  Within a language a fact is held when the unit has
    its stem; across languages when the unit holds one of its concepts (:func:`concept_overlap`), and
    the share is taken over the units of the other language.
    """
    out = np.zeros((len(rows), len(cols)), dtype=np.int64)
    if not len(rows) or not len(cols):
        return out
    same = ~crosses.any(axis=0)
    # only the report's own facts are looked up (the vocabulary of a large run is much larger)
    if same.any():
        fr = _present(units.facts[rows])
        used = np.unique(fr.indices)
        hits = _found(_present(units.facts[cols[same]][:, used]).T.tocsr(), max_share)  # facts x units
        out[:, same] = np.rint((fr[:, used] @ hits).toarray()).astype(np.int64)
    if concepts is not None and (~same).any():
        words, meaning = concepts.facts.words, concepts.facts.meaning
        wr = _present(words[rows])
        used = np.unique(wr.indices)
        cc = _present(_present(words[cols[~same]]) @ meaning)  # units x concepts
        hits = _found(_present(meaning[used] @ cc.T), max_share)  # words x units: the unit holds one of the word's concepts
        out[:, ~same] = np.rint((wr[:, used] @ hits).toarray()).astype(np.int64)
    return out


def _crossing(units: Units, rows: np.ndarray, cols: np.ndarray, concepts: Concepts | None) -> np.ndarray:
    """Pairs compared through concepts: languages differ, both determined and both mappable."""
    lr, lc = units.lang[rows], units.lang[cols]
    if concepts is None or not len(rows) or not len(cols):
        return np.zeros((len(rows), len(cols)), dtype=bool)
    ok_r = np.array([x in concepts.comparable for x in lr], dtype=bool)
    ok_c = np.array([x in concepts.comparable for x in lc], dtype=bool)
    return (lr[:, None] != lc[None, :]) & ok_r[:, None] & ok_c[None, :]


def _neighbour_index(units: Units, idx: np.ndarray, step: int) -> np.ndarray:
    """Position in ``idx`` of the sentence ``step`` places after each ``idx[i]`` in the same text, or -1."""
    target = idx + step
    inside = (target >= 0) & (target < len(units.doc))
    order = np.argsort(idx, kind="stable")
    pos = np.searchsorted(idx[order], np.where(inside, target, -1))
    found = order[np.minimum(pos, len(idx) - 1)]
    ok = inside & (pos < len(idx)) & (idx[found] == target)
    ok &= units.doc[np.where(ok, target, idx)] == units.doc[idx]
    return np.where(ok, found, -1)


def context(units: Units, rows: np.ndarray, cols: np.ndarray, sim: np.ndarray) -> np.ndarray:
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
