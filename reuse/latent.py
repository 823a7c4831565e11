"""Derive, latent mode: which sentences of the reports stand in for an absent original.

Reports that credit the named source supply its content units: their sentences that credit it,
sentences in the same paragraph as such a sentence or in a credit's reported-speech scope, and
sentences that other reports also carry
(:func:`latent_source`).  Each report is then scored leave-one-out, only against units of the *other*
reports; its own crediting sentences, and the reported speech in their scope (:func:`reported_scope`),
count as source content.  Reports in several languages all contribute units; a report meets units of
another language through the lexicon (:mod:`reuse.pairs`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from reuse.config import DeriveConfig
from reuse.lazy import sparse as sp
from reuse.pairs import similarities
from reuse.pipeline import Analysed
from reuse.text import fold, stopwords_for
from reuse.units import Concepts, Units, view

_STOP = stopwords_for("en")  # German and English function words: a speaker is not one


@dataclass(frozen=True)
class LatentSource:
    """The units that stand in for the absent original, per scored report.

    Attributes
    ----------
    attributing : frozenset of int
        Documents that credit the source (or are known to draw on it).
    credited : numpy.ndarray of bool
        Units that credit the source themselves.
    para_credit : numpy.ndarray of bool
        Units in a paragraph with such a unit.
    scope : numpy.ndarray of bool
        Credited units and the reported speech in their scope (``DeriveConfig.reported_speech_scope``).
    links : scipy.sparse.csc_matrix
        ``(units x documents)``: some sentence of that document (not the unit's own) matches the unit.
    total : numpy.ndarray of int64
        Documents linked to each unit (row sums of ``links``).
    """

    attributing: frozenset[int]
    credited: np.ndarray
    para_credit: np.ndarray
    scope: np.ndarray
    links: sp.csc_matrix
    total: np.ndarray

    def units_for(self, units: Units, k: int, config: DeriveConfig) -> np.ndarray:
        """Source units for scoring document ``k``, leave-one-out: units of the *other* attributing
        reports that credit the source, share a paragraph with a credit, lie in a credit's
        reported-speech scope (``scope``: "…, the trade publication reported"), or are matched by
        ``latent_share_min_reports`` reports other than ``k`` and the unit's own."""
        others = units.doc != k
        from_attributing = np.isin(units.doc, list(self.attributing - {k}))
        third = self.total - self.links[:, k].toarray().ravel()
        is_unit = others & from_attributing & (self.credited | self.para_credit | self.scope | (third >= config.latent_share_min_reports - 1))
        return np.flatnonzero(is_unit)


def latent_source(an: Analysed, units: Units, credits: dict[int, list[tuple[int, int]]], config: DeriveConfig, exponent: float,
                  attributing_ids: Collection[str] | None = None, concepts: Concepts | None = None) -> LatentSource:
    """Find the units that stand in for the absent original.

    Parameters
    ----------
    credits : dict
        Spans crediting the source in each analysable document (empty lists for the others).
    config : DeriveConfig
        The latent-mode configuration (its ``align_threshold`` decides links).
    attributing_ids : collection of str, optional
        Overrides attribution detection with a known set of reports that draw on the source (for
        evaluation on labelled corpora).
    """
    ok = sorted(credits)
    n_units = len(units.doc)
    credited = np.zeros(n_units, dtype=bool)
    para_credit = np.zeros(n_units, dtype=bool)
    scope = np.zeros(n_units, dtype=bool)
    for k in ok:
        idx = np.flatnonzero(units.doc == k)
        para = paragraph_ids(view(an, k), units.start[idx])
        for u in idx:
            credited[u] = any(s < units.end[u] and units.start[u] < e for s, e in credits[k])
        for p in set(para[credited[idx]].tolist()):
            para_credit[idx[para == p]] = True
        if config.reported_speech_scope:
            scope[idx] = reported_scope(view(an, k), units.start[idx].tolist(), units.end[idx].tolist(), credited[idx])
        else:  # without the scope rule a report's own crediting sentences still count as source content
            scope[idx] = credited[idx]
    if attributing_ids is None:
        attributing = frozenset(k for k in ok if credits[k])
    else:
        known = set(attributing_ids)
        attributing = frozenset(k for k in ok if an.documents[k].id in known)
    # only units of attributing reports can become source units: link only those (a corpus where few
    # reports credit the source costs a few blocks, not units x units)
    which = np.flatnonzero(np.isin(units.doc, list(attributing)))
    links = doc_links(units, config, exponent, len(an.documents), which, concepts=concepts)
    return LatentSource(attributing=attributing, credited=credited, para_credit=para_credit, scope=scope, links=links,
                        total=np.asarray(links.sum(axis=1)).ravel())


def doc_links(units: Units, config: DeriveConfig, exponent: float, n_docs: int, which: np.ndarray,
              cells: int = 1 << 22, concepts: Concepts | None = None) -> sp.csc_matrix:
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
        pairs = similarities(units, rows, all_idx, config, concepts, evidence=False)
        sim = pairs.combined ** np.where(pairs.crosses, 1.0, exponent)  # as in reuse.scoring.align
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
    r"reported", r"reports", r"wrote", r"writes", r"selon", r"declare\w*", r"affirme\w*", r"ajoute\w*",
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


def paragraph_ids(masked: str, starts: np.ndarray) -> np.ndarray:
    """Paragraph number of each sentence start (paragraphs end at blank lines, or at line breaks in unwrapped text)."""
    breaks = [i for i, ch in enumerate(masked) if ch == "\n"]
    # a line break counts as a paragraph break: news texts put one paragraph per line
    return np.searchsorted(np.array(breaks, dtype=np.int64), starts) if breaks else np.zeros(len(starts), dtype=np.int64)


