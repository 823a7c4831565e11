"""Derive stage 1: sentence units and their channel rows.

Every analysable text's masked (boilerplate-free) text is split into sentences (:mod:`reuse.segment`)
with offsets into the document text, and each sentence becomes one sparse row per channel:

* **grams**: binary word n-grams (the verbatim channel);
* **content**: IDF-weighted sets of Snowball stems of content words (paraphrase);
* **chars**: IDF-weighted sets of character n-grams within words (compounds, inflection);
* **anchors**: IDF-weighted sets of names (spelling-insensitive key), numbers and dates, which
  survive rewording and translation.

Each unit also keeps its text's language and its content words, from which :func:`translate`
builds the cross-language rows: the same content words as concepts (English stems) through a
bilingual lexicon (:mod:`reuse.lexicon`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from reuse.anchors import dates, name_key, names, numbers
from reuse.config import DeriveConfig
from reuse.lazy import sparse as sp
from reuse.lexicon import Lexicon
from reuse.pipeline import Analysed
from reuse.segment import split
from reuse.shingle import shingles
from reuse.text import stem, stopwords_for, token_strings

#: Languages whose texts are stemmed and compared as themselves; an undetermined text (``und``) is
#: stemmed as German, as the model was calibrated.
STEM_FALLBACK = "de"
#: The pivot language: a lexicon maps every other language's content words to its stems.
PIVOT = "en"


@dataclass(frozen=True)
class Units:
    """Sentences of several texts, with their channel rows (one row per sentence).

    Attributes
    ----------
    doc : numpy.ndarray of int64
        Index of each sentence's document in the analysed documents.
    start, end : numpy.ndarray of int64
        Character offsets into the document text.
    words : numpy.ndarray of int64
        Tokens per sentence.
    grams, content, chars, anchors : scipy.sparse.csr_matrix
        Channel rows (see the module docstring).
    gram_count : numpy.ndarray of float64
        Word n-grams per sentence.
    tok_start, tok_end : numpy.ndarray of int64
        Token range of each sentence in its document's tokens.
    facts : scipy.sparse.csr_matrix
        IDF-weighted sets of the stems of content words that are not names, and of numbers and
        dates: what a sentence says beyond who it is about (the evidence a derivation needs).
    lang : numpy.ndarray of str
        Detected language of each sentence's document (``und`` when undetermined).
    terms : tuple of tuple of str
        Folded content words of each sentence (for :func:`translate`).
    named : tuple of tuple of bool
        Whether each of ``terms`` is a name in that sentence (capitalised, with a name key seen in
        a name pair somewhere in the corpus).
    figures : tuple of tuple of str
        Number and date features of each sentence (``#:28``, ``d:24-26.10``), the same in every language.
    """

    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray
    words: np.ndarray
    grams: sp.csr_matrix
    content: sp.csr_matrix
    chars: sp.csr_matrix
    anchors: sp.csr_matrix
    gram_count: np.ndarray
    tok_start: np.ndarray
    tok_end: np.ndarray
    facts: sp.csr_matrix
    lang: np.ndarray
    terms: tuple[tuple[str, ...], ...]
    named: tuple[tuple[bool, ...], ...]
    figures: tuple[tuple[str, ...], ...]


def vocab_matrix(rows: Sequence[Sequence[str]], idf: bool) -> sp.csr_matrix:
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


_JOINED = re.compile(r"[\s\-\u2010\u2011]*")
_BREAK = re.compile(r"[,;:()\[\]]")


def _named(tokens: Sequence[tuple[str, bool, str]], pair_names: set[str], descriptors: int, apposition: int) -> list[bool]:
    """Which tokens of a sentence name someone or say who they are.

    Names are capitalised words with a name key seen in a name pair.  Who someone is: the
    ``descriptors`` words right before a run of names, joined to it by spaces or hyphens only
    (titles and roles: "Russian envoy Kirill Dmitriev", "Sicherheitsberater Rustem Umerow"), and an
    apposition of up to ``apposition`` words set off by commas right after or before it ("Dana
    Whitfield, a former quality-control chemist, said"; "le responsable de l'assurance qualité,
    Gregory Pratt, a quitté").  ``tokens`` are ``(folded word, capitalised, text since the previous
    token)``.
    """
    n = len(tokens)
    out = [cap and name_key(w) in pair_names for w, cap, _ in tokens]
    names = list(out)
    for i in range(n):
        if not names[i] or (i > 0 and names[i - 1]):
            continue
        end = i
        while end + 1 < n and names[end + 1] and _JOINED.fullmatch(tokens[end + 1][2]):
            end += 1
        j = i  # titles right before the run
        while j > 0 and i - j < descriptors and _JOINED.fullmatch(tokens[j][2]):
            j -= 1
            out[j] = True
        if end + 1 < n and "," in tokens[end + 1][2]:  # ", a former chemist at the site,"
            k = end + 1
            while k < n and k - end <= apposition and (k == end + 1 or not _BREAK.search(tokens[k][2])):
                out[k] = True
                k += 1
        if i > 0 and "," in tokens[i][2]:  # "the head of quality assurance, Gregory Pratt"
            k = i - 1
            while k >= 0 and i - k <= apposition:
                out[k] = True
                if k == 0 or _BREAK.search(tokens[k][2]):
                    break
                k -= 1
    return out


def anchor_features(text: str, start: int, end: int, known_names: set[str] | None = None) -> list[str]:
    """Anchor features of ``text[start:end]``: ``n:`` names (only ``known_names`` if given), ``d:`` dates, ``#:`` numbers."""
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


def build_units(an: Analysed, indices: Sequence[int], config: DeriveConfig) -> Units:
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
    Units
    """
    doc, starts, ends, nwords, tstart, tend, langs = [], [], [], [], [], [], []
    gram_rows: list[list[str]] = []
    content_rows: list[list[str]] = []
    char_rows: list[list[str]] = []
    spans: list[tuple[str, int, int]] = []
    terms: list[tuple[str, ...]] = []
    toks: list[tuple[tuple[str, bool, str], ...]] = []
    content_pos: list[tuple[int, ...]] = []
    stem_langs: list[str] = []
    n, q = config.shingle_size, config.char_ngram
    for k in indices:
        text = view(an, k)
        tokens = an.tokens[k]
        lang = an.languages.get(k, "und")
        stem_lang = lang if lang not in ("und", "") else STEM_FALLBACK
        stop = stopwords_for(stem_lang)
        words = token_strings(text, tokens)
        tstarts = tokens.starts
        for u in split(text):
            a, b = int(np.searchsorted(tstarts, u.start)), int(np.searchsorted(tstarts, u.end))
            if b <= a:
                continue
            ids = tokens.ids[a:b]
            grams = shingles(ids, n) if len(ids) >= n else np.array([hash(tuple(ids.tolist())) & ((1 << 63) - 1)], dtype=np.uint64)
            content_idx = [i for i in range(a, b) if words[i] not in stop and not words[i].isdigit() and len(words[i]) > 1]
            content_words = [words[i] for i in content_idx]
            doc.append(k)
            starts.append(u.start)
            ends.append(u.end)
            nwords.append(b - a)
            tstart.append(a)
            tend.append(b)
            langs.append(lang or "und")
            gram_rows.append([str(g) for g in grams.tolist()])
            content_rows.append([stem(w, stem_lang) for w in content_words])
            # the padded word is built once per word, not once per n-gram (quadratic in a long word)
            char_rows.append([p[i : i + q] for w in words[a:b] if w not in stop for p in (f"_{w}_",) for i in range(max(1, len(w) + 3 - q))])
            spans.append((text, u.start, u.end))
            terms.append(tuple(content_words))
            # each token: folded word, capitalised, the text since the previous token (a sentence start counts as a break)
            toks.append(tuple(
                (words[i], text[int(tokens.starts[i])].isupper(), text[int(tokens.ends[i - 1]) : int(tokens.starts[i])] if i > a else ",")
                for i in range(a, b)
            ))
            content_pos.append(tuple(i - a for i in content_idx))
            stem_langs.append(stem_lang)
    # a capitalised word is a name anchor if anywhere in the corpus it stands in a name pair
    known: set[str] | None = None
    if config.names_from_pairs:
        known = set()
        for text, a, b in spans:
            known |= name_keys(text, a, b)
    pair_names = known if known is not None else set().union(*(name_keys(t, a, b) for t, a, b in spans)) if spans else set()
    anchor_rows = [anchor_features(t, a, b, known) for t, a, b in spans]
    figures = tuple(tuple(f for f in row if not f.startswith("n:")) for row in anchor_rows)
    named = tuple(tuple(nm[i] for i in pos) for nm, pos in ((_named(t, pair_names, config.descriptor_words, config.apposition_words), pos) for t, pos in zip(toks, content_pos, strict=True)))
    fact_rows = [[stem(w, sl) for w, nm in zip(ws, nms, strict=True) if not nm] + list(fg)
                 for ws, nms, fg, sl in zip(terms, named, figures, stem_langs, strict=True)]
    grams_m = vocab_matrix(gram_rows, idf=False)
    return Units(
        doc=np.array(doc, dtype=np.int64), start=np.array(starts, dtype=np.int64), end=np.array(ends, dtype=np.int64),
        words=np.array(nwords, dtype=np.int64), grams=grams_m, content=vocab_matrix(content_rows, True),
        chars=vocab_matrix(char_rows, True), anchors=vocab_matrix(anchor_rows, True),
        gram_count=np.diff(grams_m.indptr).astype(np.float64),
        tok_start=np.array(tstart, dtype=np.int64), tok_end=np.array(tend, dtype=np.int64),
        facts=vocab_matrix(fact_rows, True), lang=np.array(langs, dtype=object), terms=tuple(terms), named=named, figures=figures,
    )


# --- across languages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConceptRows:
    """Sentences as words that stand for concepts (English stems).

    Attributes
    ----------
    words : scipy.sparse.csr_matrix
        ``(units x words)``: each unit's words, tagged by language (``de:plan`` is not ``en:plan``),
        IDF-weighted over all units as the same-language channels are.
    meaning : scipy.sparse.csr_matrix
        ``(words x concepts)``, binary: the English stems each word stands for (its own stem for an
        English word, its translations' stems through the lexicon otherwise); a number or date
        stands for itself.
    """

    words: sp.csr_matrix
    meaning: sp.csr_matrix


@dataclass(frozen=True)
class Concepts:
    """The units' words as concepts, for sentence pairs across languages.

    Attributes
    ----------
    content : ConceptRows
        All content words (the cross-language content channel).
    facts : ConceptRows
        Content words that are not names, and numbers and dates (the cross-language facts channel).
    comparable : frozenset of str
        Languages with a concept mapping (English, and each language with a lexicon).
    """

    content: ConceptRows
    facts: ConceptRows
    comparable: frozenset[str]


def translate(units: Units, lexicons: Mapping[str, Lexicon]) -> Concepts:
    """Map every unit's content words to concepts through ``lexicons`` (report language → lexicon).

    Units of a language without a lexicon keep their words but map to no concept: they are compared
    only with units of their own language.
    """
    first: dict[str, dict[str, str]] = {}  # language -> tagged word -> folded word (the first seen)
    content_rows, fact_rows = [], []
    for lang, words, named, figures in zip(units.lang.tolist(), units.terms, units.named, units.figures, strict=True):
        seen = first.setdefault(lang, {})
        row, facts = [], list(figures)
        for w, nm in zip(words, named, strict=True):
            key = f"{lang}:{stem(w, lang if lang != 'und' else STEM_FALLBACK)}"
            seen.setdefault(key, w)
            row.append(key)
            if not nm:
                facts.append(key)
        content_rows.append(row)
        fact_rows.append(facts)
    mapped: dict[str, frozenset[str]] = {}
    for lang, seen in first.items():
        if lang == PIVOT:
            mapped.update((key, frozenset([key.split(":", 1)[1]])) for key in seen)
        elif lang in lexicons:
            found = lexicons[lang].concepts(seen.values())
            mapped.update((key, found[w]) for key, w in seen.items())
    return Concepts(content=_concept_rows(content_rows, mapped), facts=_concept_rows(fact_rows, mapped),
                    comparable=frozenset({PIVOT, *lexicons}))


def _concept_rows(rows: Sequence[Sequence[str]], mapped: Mapping[str, frozenset[str]]) -> ConceptRows:
    """Rows of tagged words (or figures) and the concepts each stands for (figures: themselves)."""
    words = vocab_matrix(rows, True)
    vocab: dict[str, int] = {}
    for row in rows:
        for f in row:
            vocab.setdefault(f, len(vocab))
    concept_ids: dict[str, int] = {}
    ri, ci = [], []
    for key, i in vocab.items():
        concepts = mapped.get(key, frozenset([key]) if key[:2] in ("#:", "d:") else frozenset())
        for c in concepts:
            ri.append(i)
            ci.append(concept_ids.setdefault(c, len(concept_ids)))
    meaning = sp.csr_matrix((np.ones(len(ri)), (np.array(ri, dtype=np.int64), np.array(ci, dtype=np.int64))),
                            shape=(words.shape[1], max(1, len(concept_ids))))
    meaning.data[:] = 1.0
    return ConceptRows(words=words, meaning=meaning)
