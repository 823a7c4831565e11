"""The derivation model: which reports derive from an original, how far each departs, what changed.

Stages, one module each, plain frozen dataclasses between them:

1. **Units** (:mod:`reuse.units`) — sentences of every text's masked (boilerplate-free) text with
   offsets into the document text, one sparse row per channel; across languages, content words as
   concepts through a bilingual lexicon (:mod:`reuse.lexicon`).
2. **Pair similarities** (:mod:`reuse.pairs`) — sparse products per channel.
3. **Alignment** and 4. **Scores** (:mod:`reuse.scoring`) — each report sentence to its best source
   unit (any order), components, departure, class, evidence, drift (:mod:`reuse.drift`).
5. **The record** (:class:`Derivation`) — one per input document, with its attribution.

Modes decide only what each report is compared with: an original file (``original``), a named
source absent from the corpus (``latent``: units of crediting reports stand in for it, scored
leave-one-out, :mod:`reuse.latent`), or neither (``families``: the parent of each report within its
scan family).  One loop (:func:`_derivations`) then scores every document in every mode.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from reuse.anchors import attributions, shown
from reuse.config import DeriveConfig, LexiconConfig, ScanConfig
from reuse.drift import Drift, drift
from reuse.errors import InputError, LexiconError
from reuse.io import Document, meta_text
from reuse.latent import latent_source, reported_scope
from reuse.lexicon import DEFAULT_LEXICON, Lexicon, open_lexicon
from reuse.pairs import similarities
from reuse.pipeline import DEFAULT_SCAN, Analysed, analyse
from reuse.scoring import Components, Evidence, ReportScore, score
from reuse.units import PIVOT, Concepts, Units, build_units, translate, view

DEFAULT_CONFIG = DeriveConfig()


# --- records ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Credit:
    """A phrase that credits the source: ``text`` at ``start:end`` of the report text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Derivation:
    """The model's verdict on one report (one row of the ``documents`` list of the JSON contract).

    ``derived``, ``cls`` and ``departure`` are ``None`` for a document that could not be read, or
    could not be compared with its source (``reason`` says why: e.g. no lexicon for its language).
    """

    id: str
    status: str
    reason: str
    derived: bool | None = None
    cls: str | None = None
    departure: float | None = None
    attributed: bool = False
    attribution: tuple[Credit, ...] = ()
    components: Components | None = None
    drift: tuple[Drift, ...] = ()
    parent: str | None = None
    evidence: tuple[Evidence, ...] = ()
    date: str | None = None
    title: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class DeriveResult:
    """Everything ``reuse derive`` found: the source description, one :class:`Derivation` per input
    document, and notes for the user (a report language no lexicon covers)."""

    source: dict[str, object]
    documents: tuple[Derivation, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Plan:
    """What a mode decides before the per-document loop: each report's source units and how to score it."""

    an: Analysed
    units: Units
    config: DeriveConfig  # the scoring configuration (latent mode: its latent thresholds)
    cols: dict[int, np.ndarray]  # source units of each analysable document
    parents: dict[int, str]  # the parent each document gets when derived ("source" or a report id)
    credits: dict[int, tuple[Credit, ...]]
    concepts: Concepts | None = None
    self_credit: np.ndarray | None = None  # per unit (latent mode)
    exponent: float = 1.0
    source_ids: bool = False  # evidence and drift name the document holding each unit (latent and families modes)
    skipped: dict[str, str] = field(default_factory=dict)  # report language -> why it is not compared across languages
    reasons: dict[int, str] = field(default_factory=dict)  # a note on a document's row (families: why no parent is named)


# --- shared helpers -------------------------------------------------------------------------------


def _front_config(config: DeriveConfig, scan_config: ScanConfig) -> ScanConfig:
    """The scan front end as derive uses it (corpus template lines off unless configured)."""
    if config.corpus_template_lines:
        return scan_config
    clean = scan_config.clean
    return replace(scan_config, clean=replace(clean, corpus_line_min_share=max(clean.corpus_line_min_share, config.template_min_share),
                                              corpus_line_max_words=min(clean.corpus_line_max_words, config.template_max_words)))


def _surface(an: Analysed, k: int, surface: str) -> str:
    """A surface read off document ``k``'s masked text as a person reads it: in HTML without the
    padding of decoded character references; in plain text exactly the document's characters."""
    return shown(surface) if an.documents[k].html else surface


def _credits(an: Analysed, k: int, name: str | None) -> tuple[Credit, ...]:
    if not name:
        return ()
    text = view(an, k)
    return tuple(Credit(s, e, _surface(an, k, text[s:e])) for s, e in attributions(text, name))


def _languages(an: Analysed, indices: Collection[int]) -> set[str]:
    return {an.languages.get(k, "und") for k in indices} - {"und", ""}


def _lexicons(langs: Collection[str], config: LexiconConfig) -> tuple[dict[str, Lexicon], dict[str, str]]:
    """Lexicons for the languages of a run that meet another language, and why others have none.

    A language whose lexicon is not installed (or not configured) is compared only with text of its
    own language; the returned reason says so and names the install command.
    """
    found: dict[str, Lexicon] = {}
    missing: dict[str, str] = {}
    if len(set(langs)) < 2:
        return found, missing
    for lang in sorted(set(langs) - {PIVOT}):
        try:
            found[lang] = open_lexicon(lang, config=config)
        except LexiconError as exc:
            missing[lang] = f"{exc}; {lang} text is compared only with {lang} text"
    return found, missing


def _comparable(units: Units, k_lang: str, cols: np.ndarray, concepts: Concepts | None) -> np.ndarray:
    """Which source units a report in ``k_lang`` can be compared with: its own language, undetermined
    text (compared as one language, as before languages were told apart), and languages both ends of
    which the lexicons map to concepts."""
    if not len(cols):
        return np.ones(0, dtype=bool)
    lc = units.lang[cols]
    same = (lc == k_lang) | (lc == "und") | (k_lang == "und")
    if concepts is None:
        return same
    mapped = np.array([x in concepts.comparable for x in lc], dtype=bool) & (k_lang in concepts.comparable)
    return same | mapped


# --- the per-document loop --------------------------------------------------------------------------


def _derivations(plan: _Plan) -> tuple[Derivation, ...]:
    """Score every document of a plan: one :class:`Derivation` per input document, in input order."""
    an, units = plan.an, plan.units
    out = []
    for k, doc in enumerate(an.documents):
        title = an.cleaned[k].title if doc.ok else doc.title
        lang = an.languages.get(k) if doc.ok else None
        if not doc.ok or k not in an.tokens:
            out.append(Derivation(id=doc.id, status=doc.status, reason=doc.reason, date=doc.date, title=title, language=lang))
            continue
        rows = np.flatnonzero(units.doc == k)
        cols = plan.cols.get(k, np.empty(0, dtype=np.int64))
        keep = _comparable(units, lang or "und", cols, plan.concepts)
        reason = "; ".join(r for r in (doc.reason, plan.reasons.get(k, "")) if r)
        if not keep.all():
            why = plan.skipped.get(lang or "und", f"no lexicon relates {lang} to the source's language")
            reason = "; ".join(r for r in (reason, why) if r)
            if not keep.any():  # nothing it can be compared with: no verdict rather than a silent "non"
                out.append(Derivation(id=doc.id, status=doc.status, reason=reason, date=doc.date, title=title, language=lang,
                                      attributed=bool(plan.credits.get(k)), attribution=plan.credits.get(k, ())))
                continue
            cols = cols[keep]
        scored: ReportScore = score(
            an, units, rows, cols, plan.config, plan.concepts, self_credit=None if plan.self_credit is None else plan.self_credit[rows],
            exponent=plan.exponent, surface=lambda j, s: _surface(an, j, s), source_ids=plan.source_ids, credited=bool(plan.credits.get(k)),
        )
        credits = plan.credits.get(k, ())
        out.append(Derivation(
            id=doc.id, status=doc.status, reason=reason, derived=scored.derived, cls=scored.cls, departure=scored.departure,
            attributed=bool(credits), attribution=credits, components=scored.components, drift=scored.drift,
            parent=plan.parents.get(k) if scored.derived else None, evidence=scored.evidence, date=doc.date, title=title, language=lang,
        ))
    return tuple(out)


def _notes(plan: _Plan, rows: Sequence[Derivation]) -> tuple[str, ...]:
    """One line per report language that some source text could not be compared with."""
    notes = []
    for lang, why in sorted(plan.skipped.items()):
        n = sum(1 for d in rows if d.language == lang)
        if n:
            notes.append(f"{n} report(s) in {lang}: {why}")
    return tuple(notes)


# --- modes ---------------------------------------------------------------------------------------


def derive_original(documents: Sequence[Document], original: Document, config: DeriveConfig = DEFAULT_CONFIG,
                    scan_config: ScanConfig = DEFAULT_SCAN, source_name: str | None = None,
                    lexicon_config: LexiconConfig = DEFAULT_LEXICON) -> DeriveResult:
    """Mode 1: compare every report with a given original, in its language or through a lexicon.

    Parameters
    ----------
    documents : sequence of Document
        The reports (error documents are carried through).
    original : Document
        The original text; must be analysable.
    source_name : str, optional
        Name of the source for attribution detection (defaults to none: ``attributed`` is then
        false unless a name is given).
    lexicon_config : LexiconConfig
        Where the bilingual lexicons are, for reports in another language than the original.

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
    lexicons, skipped = _lexicons(_languages(an, [0, *ok]), lexicon_config)
    source_lang = an.languages.get(0, "und")
    blocked = {an.languages.get(k, "und") for k in ok} & set(skipped)
    if ok and source_lang not in ("und", *skipped) and all(an.languages.get(k) in blocked for k in ok):
        # no report can be compared with the original: an error naming the install command, not rows of "non"
        raise LexiconError(f"every report is in another language than the original ({source_lang}): "
                           + "; ".join(skipped[x].split(";")[0] for x in sorted(blocked)))
    concepts = translate(units, lexicons) if lexicons or skipped else None
    cols = np.flatnonzero(units.doc == 0)
    plan = _Plan(an=an, units=units, config=config, cols={k: cols for k in ok}, parents={k: "source" for k in ok},
                 credits={k: _credits(an, k, source_name) for k in ok}, concepts=concepts, skipped=skipped)
    rows = _derivations(plan)
    source = {"mode": "original", "id": original.id, "path": original.origin, "name": source_name, "units": len(cols),
              "chars": len(original.text), "language": an.languages.get(0), "lexicons": [lx.describe() for lx in lexicons.values()]}
    return DeriveResult(source=source, documents=rows[1:], notes=_notes(plan, rows[1:]))


def derive_latent(documents: Sequence[Document], source_name: str, config: DeriveConfig = DEFAULT_CONFIG,
                  scan_config: ScanConfig = DEFAULT_SCAN, attributing_ids: Collection[str] | None = None,
                  lexicon_config: LexiconConfig = DEFAULT_LEXICON) -> DeriveResult:
    """Mode 2: the original is absent; reports that attribute ``source_name`` stand in for it.

    Source units are sentences of attributing reports that attribute the source
    themselves, share a paragraph with such a sentence, or are matched by
    sentences of ``latent_share_min_reports`` other reports (:mod:`reuse.latent`).  Each report is
    scored against the units of the *other* reports only (leave-one-out), so its own
    sentences never make it look derived; its own attributed sentences, and the
    reported speech in their scope (:func:`reuse.latent.reported_scope`), count as source content
    at the latent alignment threshold.  Reports in several languages all contribute units, compared
    through the lexicons where languages differ.

    Similarities between two reports are raised to ``latent_similarity_exponent``
    (an estimate of each one's similarity to the absent original) and judged by
    ``latent_align_threshold`` and ``latent_max_departure``.

    ``attributing_ids`` overrides attribution detection with a known set of reports
    that draw on the source (for evaluation on labelled corpora).
    """
    if not source_name or not source_name.strip():
        raise InputError("the source name must not be empty: name the outlet the reports credit (e.g. 'Axios')")
    lat = replace(config, align_threshold=config.latent_align_threshold, derived_max_departure=config.latent_max_departure,
                  weight_runs=config.latent_weight_runs, doc_content_min=config.latent_doc_content_min)
    exponent = config.latent_similarity_exponent
    an = analyse(documents, _front_config(config, scan_config))
    ok = sorted(an.tokens)
    units = build_units(an, ok, config)
    lexicons, skipped = _lexicons(_languages(an, ok), lexicon_config)
    concepts = translate(units, lexicons) if lexicons or skipped else None
    credits = {k: _credits(an, k, source_name) for k in ok}
    latent = latent_source(an, units, {k: [(c.start, c.end) for c in credits[k]] for k in ok}, lat, exponent, attributing_ids, concepts)
    plan = _Plan(an=an, units=units, config=lat, cols={k: latent.units_for(units, k, config) for k in ok}, parents={k: "source" for k in ok},
                 credits=credits, concepts=concepts, self_credit=latent.scope, exponent=exponent, source_ids=True, skipped=skipped)
    rows = _derivations(plan)
    source = {"mode": "latent", "name": source_name, "attributing": sorted(an.documents[k].id for k in latent.attributing),
              "units": int((latent.credited | latent.para_credit).sum()), "languages": sorted(_languages(an, ok)),
              "lexicons": [lx.describe() for lx in lexicons.values()]}
    return DeriveResult(source=source, documents=rows, notes=_notes(plan, rows))


def derive_families(documents: Sequence[Document], config: DeriveConfig = DEFAULT_CONFIG, scan_config: ScanConfig = DEFAULT_SCAN,
                    source_name: str | None = None) -> DeriveResult:
    """Mode 3: no original and no source name: families from the scan, and each report's likely parent.

    Families and parents come from the scan's reprint clusters: a report's parent is the
    origin of the syndication cluster covering the largest share of it (at least
    ``parent_min_cover``), where that origin is known (the earliest dated member, or the
    member whose outlet the others credit: :func:`reuse.cluster.origin_of`).  The report is
    then scored against its parent as in mode 1.  Where neither dates nor credits decide, no
    parent is named and the report's ``reason`` says why; it is still scored against the
    cluster's representative (or, being the representative, against its closest member), so
    copies whose order is unknown are still reported as derived from one another.
    """
    from reuse.pipeline import scan

    result = scan(documents, scan_config)
    an = analyse(documents, _front_config(config, scan_config))
    ids = [d.id for d in an.documents]
    index = {d: k for k, d in enumerate(ids)}
    parent: dict[int, int] = {}
    peer: dict[int, int] = {}  # undecided order: the family member a report is scored against, not named its parent
    unknown: dict[int, str] = {}
    best: dict[int, float] = {}
    peer_best: dict[int, float] = {}
    for c in result.clusters:
        if c.kind != "syndication":
            continue
        others = sorted((m for m in c.members if m.id != c.representative.id), key=lambda m: (-m.similarity, m.id))
        for m in c.members:
            x = index[m.id]
            if c.origin.id == m.id:
                continue
            cover = m.words / max(len(an.tokens[x].ids), 1)
            if c.origin.id is None:
                ref = c.representative.id if m.id != c.representative.id else others[0].id if others else None
                if ref is not None and ref != m.id and cover >= peer_best.get(x, config.parent_min_cover):
                    peer[x], peer_best[x] = index[ref], cover
                    unknown[x] = f"parent unknown: {c.origin.reason}; compared with {ref}, a member of the same family"
                continue
            if cover >= best.get(x, config.parent_min_cover):
                parent[x], best[x] = index[c.origin.id], cover
    ok = sorted(an.tokens)
    units = build_units(an, ok, config)
    empty = np.empty(0, dtype=np.int64)
    against = {**peer, **parent}  # a known parent wins over a peer of undecided order
    plan = _Plan(an=an, units=units, config=config, cols={k: np.flatnonzero(units.doc == against[k]) if k in against else empty for k in ok},
                 parents={k: ids[parent[k]] for k in ok if k in parent}, credits={k: _credits(an, k, source_name) for k in ok},
                 reasons={k: why for k, why in unknown.items() if k not in parent},
                 source_ids=True)  # evidence names the member it was compared with: a parent, or a peer of unknown order
    source = {"mode": "families", "families": [list(f.documents) for f in result.families]}
    return DeriveResult(source=source, documents=_derivations(plan))


def derive(documents: Sequence[Document], original: Document | None = None, source_name: str | None = None,
           config: DeriveConfig = DEFAULT_CONFIG, scan_config: ScanConfig = DEFAULT_SCAN,
           lexicon_config: LexiconConfig = DEFAULT_LEXICON) -> DeriveResult:
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
    lexicon_config : LexiconConfig
        Bilingual lexicons for texts in different languages.

    Returns
    -------
    DeriveResult

    Raises
    ------
    reuse.errors.LexiconError
        Every report is in another language than the original and the lexicon that relates them is
        not installed (reports of such a language among others get a ``reason`` instead).
    """
    if isinstance(documents, (str, bytes)):
        raise InputError("derive expects a list of Document objects, not a string; use reuse.load_paths([...]) first")
    if source_name is not None:
        source_name = meta_text(source_name)  # a lone surrogate (an undecodable argument) cannot be written
        if not re.search(r"[^\W_]", source_name):  # "" and "   " as well as ".*": no credit can name it
            raise InputError(f"the source name {source_name[:40]!r} holds no letter or digit; give the outlet's name as the reports write it (e.g. 'Axios')")
    if original is not None:
        return derive_original(documents, original, config, scan_config, source_name, lexicon_config)
    if source_name:
        return derive_latent(documents, source_name, config, scan_config, lexicon_config=lexicon_config)
    return derive_families(documents, config, scan_config)


__all__ = [
    "Credit", "Derivation", "DeriveResult", "build_units", "derive", "derive_families", "derive_latent", "derive_original", "drift",
    "reported_scope", "similarities", "translate",
]
