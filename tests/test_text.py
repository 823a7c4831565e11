"""Tokens, folding, offsets, language detection and stemming."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reuse.text import (
    STOPWORDS,
    Tokens,
    detect_language,
    detect_language_batch,
    detect_language_ids,
    flat_groups,
    fold,
    quick_words,
    stem,
    token_strings,
    tokenize,
    tokenize_batch,
    tokenize_flat,
)


def ids_of(text: str) -> list[int]:
    return tokenize(text).ids.tolist()


# --- folding --------------------------------------------------------------------------------


def test_sharp_s_folds_to_ss() -> None:
    assert ids_of("Straße") == ids_of("STRASSE") == ids_of("strasse")
    assert fold("Straße") == "strasse"


def test_umlauts_and_accents_fold() -> None:
    assert ids_of("Gespräche über Äpfel") == ids_of("gesprache uber apfel")
    assert ids_of("Selenskyj café") == ids_of("SELENSKYJ CAFE")
    assert ids_of("Öl") != ids_of("Ol Ol")


def test_case_folds_and_different_words_differ() -> None:
    assert ids_of("Ukraine") == ids_of("UKRAINE") == ids_of("ukraine")
    assert ids_of("Plan") != ids_of("Plane")
    assert len(set(ids_of("der die das und"))) == 4


def test_typographic_quotes_and_dashes_fold() -> None:
    assert fold("„Wir wissen“ – «da» ‚so‘") == "\"wir wissen\" - \"da\" 'so'"
    # quotes are not part of tokens, so the words inside match plain words
    assert ids_of("«Wir wissen»") == ids_of('"wir wissen"') == ids_of("Wir wissen")


def test_nfkc_ligatures_fold() -> None:
    assert ids_of("ﬁnden") == ids_of("finden")
    assert ids_of("Ｕｋｒａｉｎｅ") == ids_of("Ukraine")  # full-width letters


def test_soft_hyphen_inside_a_word_does_not_split_it() -> None:
    text = "Frie\u00addens\u00adplan"
    tok = tokenize(text)
    assert len(tok) == 1
    assert (int(tok.starts[0]), int(tok.ends[0])) == (0, len(text))
    assert tok.ids.tolist() == ids_of("Friedensplan")
    assert token_strings(text, tok) == ["friedensplan"]


def test_hyphenated_compounds_and_numbers() -> None:
    text = "Der 28-Punkte-Plan, vom 24. bis 26. Oktober."
    tok = tokenize(text)
    assert [text[s:e] for s, e in zip(tok.starts, tok.ends, strict=True)] == ["Der", "28", "Punkte", "Plan", "vom", "24", "bis", "26", "Oktober"]


# --- offsets ----------------------------------------------------------------------------------


def test_offsets_on_a_seed_round_trip(seed_file) -> None:
    text = seed_file("000").read_text(encoding="utf-8")
    tok = tokenize(text)
    assert len(tok) > 400
    pieces = [text[s:e] for s, e in zip(tok.starts.tolist(), tok.ends.tolist(), strict=True)]
    assert pieces[:4] == ["Trump", "arbeitet", "an", "neuem"]
    assert all(p.isalnum() for p in pieces if "\u00ad" not in p)
    # every token re-tokenised alone is one token with the same id
    again = tokenize_batch(pieces)
    assert all(len(t) == 1 for t in again)
    assert np.array_equal(np.concatenate([t.ids for t in again]), tok.ids)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_offsets_round_trip_on_random_unicode(text: str) -> None:
    tok = tokenize(text)
    starts, ends = tok.starts.tolist(), tok.ends.tolist()
    assert len(starts) == len(ends) == len(tok.ids)
    assert all(0 <= s < e <= len(text) for s, e in zip(starts, ends, strict=True))
    assert all(e1 <= s2 for e1, s2 in zip(ends, starts[1:], strict=False))  # sorted and disjoint
    # each token, cut out by its offsets and tokenised alone, is exactly one equal token
    for s, e, h in zip(starts, ends, tok.ids.tolist(), strict=True):
        alone = tokenize(text[s:e])
        assert alone.ids.tolist() == [h]
        assert (int(alone.starts[0]), int(alone.ends[0])) == (0, e - s)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40), st.text(max_size=120))
def test_context_does_not_change_ids_or_relative_offsets(prefix: str, text: str) -> None:
    # a text after a space separator keeps its token ids, and its offsets shift by the prefix length
    tok = tokenize(text)
    joined = tokenize(prefix + " " + text)
    k = len(tok)
    shift = len(prefix) + 1
    assert joined.ids[len(joined) - k :].tolist() == tok.ids.tolist()
    assert (joined.starts[len(joined) - k :] - shift).tolist() == tok.starts.tolist()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=60), max_size=8))
def test_tokenize_batch_equals_per_text_tokenize(texts: list[str]) -> None:
    batch = tokenize_batch(texts)
    assert len(batch) == len(texts)
    for text, got in zip(texts, batch, strict=True):
        one = tokenize(text)
        assert got.ids.tolist() == one.ids.tolist()
        assert got.starts.tolist() == one.starts.tolist()
        assert got.ends.tolist() == one.ends.tolist()


def test_tokenize_batch_on_seeds(seed_docs) -> None:
    texts = [d.text for d in seed_docs]
    for text, got in zip(texts, tokenize_batch(texts), strict=True):
        one = tokenize(text)
        assert np.array_equal(got.ids, one.ids) and np.array_equal(got.starts, one.starts)


def test_empty_inputs() -> None:
    assert tokenize_batch([]) == []
    assert len(tokenize("")) == 0
    assert len(tokenize(" ,.;– ")) == 0


# --- language -----------------------------------------------------------------------------------

GERMAN = "Die Regierung hat am Mittwoch mitgeteilt, dass sie den Plan nicht unterstützen wird, weil er zu viele Fragen offen lässt."
ENGLISH = "The government said on Wednesday that it would not support the plan, because it leaves too many questions open."


def test_language_detection_on_real_sentences(seed_docs) -> None:
    assert detect_language_ids(tokenize(GERMAN).ids) == "de"
    assert detect_language_ids(tokenize(ENGLISH).ids) == "en"
    assert detect_language(quick_words(GERMAN)) == "de"
    assert detect_language(quick_words(ENGLISH)) == "en"
    for doc in seed_docs:
        assert detect_language_ids(tokenize(doc.text).ids) == "de", doc.id


def test_language_undetermined_without_evidence() -> None:
    assert detect_language_ids(tokenize("Witkoff Dmitrijew Kushner Moskau 2025").ids) == "und"
    assert detect_language_ids(tokenize("").ids) == "und"
    # an even mix is not claimed for either language
    assert detect_language(quick_words("der die und the and of")) == "und"


def test_quick_words_keep_soft_hyphenated_words_whole_like_tokens() -> None:
    text = "Der Ver\xadtrag, zwei\u200bter Teil."
    assert quick_words(text) == token_strings(text, tokenize(text)) == ["der", "vertrag", "zweiter", "teil"]


# --- stemming ------------------------------------------------------------------------------------


def test_stem_uses_snowball_without_download() -> None:
    from nltk.stem.snowball import SnowballStemmer

    german = SnowballStemmer("german")
    for word in ("verhandlungen", "gesprachen", "sicherheitsgarantien", "arbeiten"):
        assert stem(word, "de") == german.stem(word)
    assert stem("verhandlungen", "de") == stem("verhandlung", "de")
    assert stem("negotiations", "en") == SnowballStemmer("english").stem("negotiations") == "negoti"


# --- compiled batch paths equal the numpy reference ---------------------------------------------

_LATIN1 = st.characters(max_codepoint=0xFF)
_BMP = st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",))


@pytest.mark.usefixtures("compiled")
@settings(max_examples=120, deadline=None)
@given(st.sampled_from([_LATIN1, _BMP, st.characters(exclude_categories=("Cs",))]).flatmap(lambda a: st.lists(st.text(alphabet=a, max_size=50), min_size=1, max_size=6)))
def test_compiled_batch_equals_reference_on_each_code_unit_width(texts: list[str]) -> None:
    # latin-1 text is read as bytes, other BMP text as UTF-16 units, the rest as code points
    ref = tokenize_batch(texts, compiled=False)
    fast = tokenize_batch(texts)
    for a, b in zip(ref, fast, strict=True):
        assert a.ids.tolist() == b.ids.tolist()
        assert a.starts.tolist() == b.starts.tolist() and a.ends.tolist() == b.ends.tolist()
        assert b.starts.dtype == np.int64 and b.ids.dtype == np.uint64


@pytest.mark.usefixtures("compiled")
def test_lone_surrogates_and_multi_character_folds_in_one_batch() -> None:
    texts = ["Stra\u00dfe \ud800 \ufb01nden", "\ufdfa Fu\u00dfball", "\U0001d518\U0001d52b caf\u00e9"]
    ref = tokenize_batch(texts, compiled=False)
    fast = tokenize_batch(texts)
    assert [t.ids.tolist() for t in ref] == [t.ids.tolist() for t in fast]
    assert [t.starts.tolist() for t in ref] == [t.starts.tolist() for t in fast]


def test_flat_groups_cover_views_and_plain_arrays() -> None:
    toks = tokenize_batch(["eins zwei", "", "drei vier fünf"])
    plain = np.array([7, 8], dtype=np.uint64)
    arrays = [t.ids for t in toks] + [plain] + [t.ids for t in tokenize_batch(["sechs sieben"])]
    groups = flat_groups(arrays)
    covered = []
    for first, flat, bounds in groups:
        covered.extend((first + j, flat[bounds[j] : bounds[j + 1]].tolist()) for j in range(len(bounds) - 1))
    assert covered == [(k, a.tolist()) for k, a in enumerate(arrays)]
    assert np.shares_memory(groups[0][1], toks[0].ids)  # the first batch is used in place


@pytest.mark.usefixtures("compiled")
def test_compiled_language_detection_equals_reference(seed_docs) -> None:
    texts = [d.text for d in seed_docs] + [GERMAN, ENGLISH, "so in", "", "und und the the the"]
    ids = [t.ids for t in tokenize_batch(texts)]
    fast = detect_language_batch(ids)
    assert fast == detect_language_batch(ids, compiled=False) == [detect_language_ids(x) for x in ids]
    assert fast[-5:-3] == ["de", "en"]


def test_vectorised_language_rule_equals_the_rule_on_every_small_count() -> None:
    from itertools import product

    from reuse.text import _decide_language, _decide_languages

    langs = list(STOPWORDS)
    rows = np.array(list(product(range(14), repeat=len(langs))), dtype=np.int64)
    assert _decide_languages(langs, rows) == [_decide_language(dict(zip(langs, r, strict=True))) for r in rows.tolist()]


# --- runs that fold to nothing ------------------------------------------------------------------

_JOINER_CHARS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"

#: Texts with joiner runs and the pieces of them that are tokens (text[start:end]).
_JOINER_CASES = [
    ("a \u00ad\u00ad b", ["a", "b"]),
    ("\u00ad", []),
    (_JOINER_CHARS, []),
    ("\u200b\u00ad Anfang", ["Anfang"]),
    ("Ende \ufeff\u2060", ["Ende"]),
    ("(\u00ad), \u200b. \u200c\u200d! [\u2060]", []),
    ("x \u00ad \u200b \u2060\u00ad\t\ufeff\ny", ["x", "y"]),
    (" \u0301 e\u0301 ", ["e\u0301"]),  # a lone combining mark also folds to nothing
    ("Ver\u00adtrag", ["Ver\u00adtrag"]),
    ("Wort\u00ad", ["Wort\u00ad"]),
    ("\u200bWort", ["\u200bWort"]),
    ("\u00adWort\u200d, \u200c", ["\u00adWort\u200d"]),
    ("a\u00ad b \u200d\u00ad c\u2060\u00ad\u200b", ["a\u00ad", "b", "c\u2060\u00ad\u200b"]),
]

#: Batch companions that force each code-unit width of the batch kernel (bytes, UTF-16, UTF-32).
_WIDTHS = ["", "\u0100", "\U0001d518"]


def _all_paths(text: str) -> list[Tokens]:
    """``text`` tokenised by every path: one-text call, numpy reference, flat kernel at each code-unit width."""
    out = [tokenize(text), tokenize_batch([text], compiled=False)[0], tokenize_flat([text]).split()[0]]
    for extra in _WIDTHS:
        out.append(tokenize_batch([extra, text, extra])[1])
        out.append(tokenize_batch([extra, text, extra], compiled=False)[1])
    return out


@pytest.mark.usefixtures("compiled")
@pytest.mark.parametrize(("text", "pieces"), _JOINER_CASES)
def test_runs_that_fold_to_nothing_are_no_tokens_on_every_path(text: str, pieces: list[str]) -> None:
    for tok in _all_paths(text):
        assert [text[s:e] for s, e in zip(tok.starts.tolist(), tok.ends.tolist(), strict=True)] == pieces
        # each token has the id of its letters alone: joiners inside or at the edges add nothing
        assert tok.ids.tolist() == [ids_of("".join(c for c in p if c not in _JOINER_CHARS))[0] for p in pieces]
        assert all(token_strings(text, tok))


def test_stray_soft_hyphens_do_not_give_documents_a_shared_token() -> None:
    a, b = tokenize_batch(["Haus \u00ad Baum \u00ad\u00ad Wald", "Kino \u00ad Film \u200b Bild"])
    assert len(a) == len(b) == 3
    assert not set(a.ids.tolist()) & set(b.ids.tolist())


_WITH_JOINERS = st.text(alphabet=st.sampled_from([*_JOINER_CHARS, "a", "B", "ß", "\u0301", " ", ",", "\n", "\u0100", "\u4e00", "\U0001d518"]), max_size=60)


@pytest.mark.usefixtures("compiled")
@settings(max_examples=150, deadline=None)
@given(st.lists(_WITH_JOINERS, min_size=1, max_size=5))
def test_joiners_add_no_tokens_and_all_paths_agree(texts: list[str]) -> None:
    ref = tokenize_batch(texts, compiled=False)
    fast = tokenize_batch(texts)
    for text, a, b in zip(texts, ref, fast, strict=True):
        assert a.ids.tolist() == b.ids.tolist()
        assert a.starts.tolist() == b.starts.tolist() and a.ends.tolist() == b.ends.tolist()
        assert all(token_strings(text, b))  # no token has an empty fold
        # joiners never split nor make a token: without them the text has the same ids, at the same letters
        kept = [k for k, c in enumerate(text) if c not in _JOINER_CHARS]
        bare = tokenize("".join(text[k] for k in kept))
        assert bare.ids.tolist() == b.ids.tolist()
        assert [text[kept[s] : kept[e - 1] + 1] for s, e in zip(bare.starts.tolist(), bare.ends.tolist(), strict=True)] == [
            text[s:e].strip(_JOINER_CHARS) for s, e in zip(b.starts.tolist(), b.ends.tolist(), strict=True)
        ]


def test_language_detection_tells_french_spanish_and_italian() -> None:
    from reuse.text import detect_language, quick_words

    fr = "Le gouvernement a annoncé que le plan de paix serait présenté dans les prochains jours, selon des sources proches du dossier."
    es = "El gobierno anunció que el plan de paz será presentado en los próximos días, según fuentes cercanas a las negociaciones."
    it = "Il governo ha annunciato che il piano di pace sarà presentato nei prossimi giorni, secondo fonti vicine alla trattativa."
    de = "Die Regierung hat angekündigt, dass der Friedensplan in den nächsten Tagen vorgestellt wird."
    en = "The government said the peace plan would be presented in the coming days, according to people familiar with the talks."
    assert [detect_language(quick_words(t)) for t in (fr, es, it, de, en)] == ["fr", "es", "it", "de", "en"]
    assert detect_language(quick_words("Plan Paris")) == "und"


def test_language_thresholds_live_in_config() -> None:
    from reuse.config import LanguageConfig
    from reuse.text import LANGUAGE

    assert LanguageConfig() == LANGUAGE and LANGUAGE.min_evidence == 3 and LANGUAGE.min_lead == 1.5
