"""The line prefilters of reuse.clean never change which lines are boilerplate.

``clean`` tries the full-line patterns only on lines its prefilters admit
(first-characters dispatch, required-literal gates on ASCII-lowered bytes, an
anchored pass).  These tests compare that with the plain rule -- every
stripped line of up to ``max_pattern_line_chars`` characters that the pattern
alternation fully matches (``re.I``) -- and check the Unicode facts the
prefilters rely on against the running Python.
"""

from __future__ import annotations

import itertools
import re
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reuse.clean import (
    ASCII_LOOKALIKES,
    _compile,
    _line_key,
    _pattern_hits,
    _rules,
    clean,
    clean_corpus,
)
from reuse.config import BOILERPLATE_LINE_PATTERNS, CleanConfig
from reuse.io import Document, documents_from_texts

_LINE = re.compile(r"[^\r\n]+")


def reference_hits(text: str, patterns: tuple[str, ...], max_chars: int) -> list[str]:
    """Stripped non-blank lines the pattern alternation fully matches: the rule without prefilters."""
    full = _compile(patterns)
    lines = [m.group().strip() for m in _LINE.finditer(text)]
    return [s for s in lines if s and len(s) <= max_chars and full.fullmatch(s) is not None]


def fast_hits(text: str, patterns: tuple[str, ...], max_chars: int) -> list[str]:
    lines = [m.group().strip() for m in _LINE.finditer(text)]
    lines = [s for s in lines if s]
    short = [k for k, s in enumerate(lines) if len(s) <= max_chars]
    return [lines[k] for k in _pattern_hits(lines, short, _rules(patterns))]


def test_ascii_lookalikes_are_all_non_ascii_characters_matching_ascii_case_insensitively() -> None:
    # the literal gates lower ASCII only; these are the characters that would escape them
    ascii_chars = [chr(c) for c in range(128) if chr(c) not in "\r\n"]
    any_ascii = re.compile("(?:" + "|".join(re.escape(c) for c in ascii_chars) + ")", re.I)
    found = {chr(cp) for cp in range(0x80, 0x110000) if not 0xD800 <= cp < 0xE000 and any_ascii.fullmatch(chr(cp))}
    assert found == ASCII_LOOKALIKES


def test_casefold_never_makes_or_changes_whitespace() -> None:
    # _line_key joins split() words of the casefolded line, as the regex collapse did
    for cp in range(0x110000):
        c = chr(cp)
        folded = c.casefold()
        if c.isspace():
            assert folded == c
        else:
            assert not any(ch.isspace() for ch in folded), hex(cp)


def test_line_key_collapses_whitespace_and_case() -> None:
    assert _line_key("  Abonnieren\tSie\u00a0unseren  NEWSLETTER ") == "abonnieren sie unseren newsletter"
    assert _line_key("Straße") == "strasse"


def test_default_patterns_all_get_a_prefilter() -> None:
    rules = _rules(BOILERPLATE_LINE_PATTERNS)
    assert not rules.exhaustive and not rules.always
    covered = set(rules.headed) | {i for i, _ in rules.gated} | set(rules.anchored_ids)
    assert covered == set(range(len(BOILERPLATE_LINE_PATTERNS)))


#: Boilerplate lines for each default pattern, drawn by hypothesis from the pattern itself.
_BOILER = st.one_of(
    *[st.from_regex(re.compile(p, re.I), fullmatch=True).filter(lambda s: "\n" not in s and "\r" not in s) for p in BOILERPLATE_LINE_PATTERNS]
)
_PROSE = st.sampled_from(
    [
        "Die Regierung arbeitet Berichten zufolge an einem umfassenden Plan.",
        "Steve Witkoff ist Donald Trumps Mann für schwierige Missionen.",
        "Bild: das ist kein Bildnachweis, sondern ein langer Satz mit Punkt.",
        "Von Kiew aus gesehen ist das ein Problem, sagte er: „Wir wissen es.“",
        "Unser Korrespondent berichtet aus Berlin / dpa",
        "Auch interessant ist, was danach geschah.",
        "Mehr zum Thema",
        "Quellen",
        "Zur Startseite",
        "© dpa",
        "Foto: Reuters",
        "ıch bın damıt eınverstanden",  # dotless i matches "i" case-insensitively
        "ſkip to content",
        "Wir werden Ihre Kommentare prüfen – \u212aommentar",
        # look-alikes inside the literals of the scanning patterns
        "Hier finden Sie die Datenſchutzerklärung",
        "Ein Bıld: Reuters",
        "Max Muster / ſpiegel",
        "Zu den Coo\u212aie-Einstellungen",
        "Hier gibt es exteRNE INHALTE",
    ]
)
_NOISE = st.text(alphabet=st.sampled_from(list(string.ascii_letters + " :/()©.-,;ÄäÖöÜüß„“«»ıſİ\u212a\u00a0\t")), max_size=60)


@st.composite
def texts(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.one_of(_BOILER, _PROSE, _NOISE, st.just("")), max_size=14))
    pads = draw(st.lists(st.sampled_from(["", " ", "\t", "  "]), min_size=len(lines), max_size=len(lines)))
    seps = draw(st.lists(st.sampled_from(["\n", "\r\n", "\n\n", "\r"]), min_size=len(lines), max_size=len(lines)))
    return "".join(p + line + p[::-1] + s for line, p, s in zip(lines, pads, seps, strict=True))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(text=texts())
def test_prefilters_find_exactly_the_lines_the_patterns_match(text: str) -> None:
    assert fast_hits(text, BOILERPLATE_LINE_PATTERNS, 400) == reference_hits(text, BOILERPLATE_LINE_PATTERNS, 400)


#: Patterns outside the defaults' shapes: back-references, look-behinds, \A/\Z, non-ASCII
#: literals (Kelvin sign, long s), classes with categories, optional starts.
_ODD_PATTERNS = (
    r"(ab)+\1",
    r"(?<=x)y|x+y?",
    r"\Akurz\Z",
    r"\u212aelvin.*",
    r"\u017fonder\w*",
    r"[\w-]{1,5}:\s*\d+",
    r"a?b?c?",
    r".*ende$",
    r"(?:eins|zwei)?\s*drei",
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(
    text=texts(),
    extra=st.lists(st.sampled_from(["abab", "ABABab", "xy", "xxy", "kurz", "KELVIN x", "Sonderbar", "soNDER", "abc", "ab", "Das Ende", "drei", "zwei drei", "x-1: 7"]), max_size=6),
    chosen=st.lists(st.sampled_from(_ODD_PATTERNS), min_size=1, max_size=4, unique=True),
)
def test_prefilters_match_the_plain_rule_for_other_patterns(text: str, extra: list[str], chosen: list[str]) -> None:
    text = text + "\n" + "\n".join(extra)
    patterns = tuple(chosen) + BOILERPLATE_LINE_PATTERNS[:5]
    assert fast_hits(text, patterns, 60) == reference_hits(text, patterns, 60)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(text=texts())
def test_clean_invariants_on_random_boilerplate_mixes(text: str) -> None:
    (doc,) = documents_from_texts({"d": text})
    text = doc.text  # the reader may normalise (a blank text becomes an error document)
    cleaned = clean(doc)
    assert len(cleaned.masked) == len(text)
    spans = cleaned.boilerplate
    assert all(s < e for s, e in spans)
    assert all(e1 < s2 for (_, e1), (s2, _) in itertools.pairwise(spans)), "spans sorted and disjoint"
    inside = [False] * len(text)
    for s, e in spans:
        for k in range(s, e):
            inside[k] = True
        assert set(cleaned.masked[s:e]) <= {" ", "\n", "\r"}
        assert all(cleaned.masked[k] == text[k] for k in range(s, e) if text[k] in "\r\n")
    assert all(cleaned.masked[k] == text[k] for k in range(len(text)) if not inside[k])
    # every line a pattern matches lies inside one span
    for m in _LINE.finditer(text):
        stripped = m.group().strip()
        if stripped and stripped in reference_hits(stripped, BOILERPLATE_LINE_PATTERNS, 400):
            start = m.start() + len(m.group()) - len(m.group().lstrip())
            assert any(s <= start and start + len(stripped) <= e for s, e in spans), stripped


@pytest.mark.parametrize("shared", ["Abonnieren Sie unseren Newsletter", "ABONNIEREN  sie unseren\tnewsletter"])
def test_template_lines_found_in_case_and_spacing_variants(shared: str) -> None:
    texts_ = {f"d{i}": f"Titel {i}\n\nDer Bericht Nummer {i} handelt von etwas anderem als die anderen.\n{shared}\n" for i in range(4)}
    texts_["d0"] = texts_["d0"].replace(shared, "Abonnieren Sie unseren Newsletter")
    docs: list[Document] = documents_from_texts(texts_)
    cleaned = clean_corpus(docs, CleanConfig())
    for doc, c in zip(docs, cleaned, strict=True):
        line = doc.text.splitlines()[3]
        start = doc.text.index(line)
        assert any(s <= start and start + len(line) <= e for s, e in c.boilerplate), (doc.id, line)
        assert "Bericht Nummer" in c.masked

