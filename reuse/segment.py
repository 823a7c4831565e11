"""Sentence units with character offsets.

A small regular-expression splitter: sentences end at ``. ! ? …`` (optionally
followed by closing quotes or brackets) before whitespace and an upper-case
letter, digit or opening quote; at blank lines; and at single line breaks unless
the text is hard-wrapped (most line breaks continue a sentence, as in e-mails or
plain-text essays).  A shipped list of German and English abbreviations and
the German ordinal-date form ("am 15. August") keep false breaks out.  No
model downloads (nltk's punkt needs one).

The splitter reads the *masked* text of the clean stage (boilerplate blanked,
same length) so boilerplate never becomes a unit, while every offset indexes
the original document text.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

#: Abbreviations (folded, without the final period) after which a period does not end a sentence.
#: German and English news usage: titles, units, Latin and editorial abbreviations.
ABBREVIATIONS: frozenset[str] = frozenset(
    ["abs", "abt", "allg", "bzgl", "bzw", "ca", "chr", "co", "corp", "dipl", "dr", "dt", "ehem", "engl", "etc", "evtl", "exkl", "frz", "geb", "gegr", "ggf", "hl", "hr", "hrsg", "inkl", "insb", "jh", "jr", "jun", "kap", "lt", "max", "min", "mio", "mrd", "mr", "mrs", "ms", "nr", "nrn", "o.a", "o.ä", "orig", "pkt", "prof", "rd", "s", "sen", "sog", "spd", "sr", "st", "std", "str", "tel", "u.a", "u.ä", "u.v.m", "usw", "vgl", "vs", "z.b", "z.t", "zzgl", "bspw", "mind", "gen", "lt.-gen", "brig", "jan", "feb", "mär", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dez", "oct", "dec", "e.g", "i.e", "cf", "al", "approx", "dept", "est", "fig", "inc", "ltd", "no", "vol", "pp", "gov", "sgt", "capt", "col", "lt", "cmdr", "adm", "rep", "sen", "u.s", "u.k", "u.n", "a.m", "p.m"]
)

#: Month names (folded) after which "15." is an ordinal date, not a sentence end.
MONTHS: frozenset[str] = frozenset(
    ["januar", "jaenner", "februar", "maerz", "marz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember", "january", "february", "march", "may", "june", "july", "october", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "oct", "nov", "dez", "dec"]
)

#: A sentence end.  It starts only at the start of a run of end marks and its repeats never give
#: back (possessive): a shorter run or fewer quotes cannot be followed by the whitespace, so no
#: match is lost, and a long run of "." or "!" is read once instead of once per mark (quadratic).
_END = re.compile(r"(?<![.!?…])([.!?…]++)([\"'”“»«’‘)\]]*+)(\s++)(?=[\"'„“«»‚‘(\[]?[A-ZÄÖÜÀ-Þ0-9])")
_BLANK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_SINGLE_NL = re.compile(r"(?<=\S)[ \t]*\r?\n[ \t]*(?=\S)")
#: A line that ends with one of these, then any closing quotes or brackets, ends a sentence.
_TERMINAL_MARKS = ".!?…:;"
_CLOSING = "\"'”“»«’)]"
_WORD_BEFORE = re.compile(r"([\w.\-]+)$")
_WORD_AFTER = re.compile(r"^[\"'„“«»‚‘(\[]?(\w+)")


@dataclass(frozen=True)
class Unit:
    """One sentence: ``text[start:end]`` (leading/trailing whitespace excluded)."""

    start: int
    end: int


def _ends_sentence(text: str, end: int) -> bool:
    """Whether ``text[:end]`` ends with an end mark and any closing quotes or brackets.

    Read backwards from ``end``: testing a pattern on ``text[:end]`` at every line
    break copied and scanned the text before it, quadratic in the number of lines.
    A single line break (``_SINGLE_NL``) follows a non-space character, so the text
    before it needs no stripping.
    """
    j = end
    while j > 0 and text[j - 1] in _CLOSING:
        j -= 1
    return j > 0 and text[j - 1] in _TERMINAL_MARKS


def _hard_wrapped(text: str) -> bool:
    """Whether most single line breaks continue a sentence (the text was wrapped at a fixed width)."""
    breaks = list(_SINGLE_NL.finditer(text))
    if len(breaks) < 3:
        return False
    cont = 0
    for m in breaks:
        if not _ends_sentence(text, m.start()) and text[m.end() : m.end() + 1].islower():
            cont += 1
    return cont >= 0.3 * len(breaks)


def _is_abbreviation(before: str, after: str) -> bool:
    m = _WORD_BEFORE.search(before)
    if not m:
        return False
    word = m.group(1).lower()
    if word.rstrip(".") in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return True
    if len(word) <= 4 and "." in word[:-1]:  # "z.B", "U.S", "u.a"
        return True
    nxt = _WORD_AFTER.match(after)
    # German ordinal date: "am 15. August"
    return bool(word.isdigit() and len(word) <= 2 and nxt and nxt.group(1).lower() in MONTHS)


def split(text: str) -> list[Unit]:
    """Split a (masked) text into sentence units.

    Parameters
    ----------
    text : str
        The text; masked boilerplate (spaces) never forms a unit.

    Returns
    -------
    list of Unit
        Non-empty sentences in text order, offsets into ``text``.
    """
    cuts: set[int] = set()
    for m in _BLANK.finditer(text):
        cuts.add(m.start())
        cuts.add(m.end())
    wrapped = _hard_wrapped(text)
    for m in _SINGLE_NL.finditer(text):
        if not wrapped or _ends_sentence(text, m.start()):
            cuts.add(m.start())
            cuts.add(m.end())
    for m in _END.finditer(text):
        end = m.end(2)
        if m.group(1) == "." and _is_abbreviation(text[max(0, m.start() - 12) : m.start()], text[m.end() : m.end() + 20]):
            continue
        cuts.add(end)
        cuts.add(m.end())
    bounds = sorted(cuts | {0, len(text)})
    units = []
    for a, b in itertools.pairwise(bounds):
        piece = text[a:b]
        stripped = piece.strip()
        if not stripped or not any(c.isalnum() for c in stripped):
            continue
        lead = len(piece) - len(piece.lstrip())
        units.append(Unit(a + lead, a + lead + len(stripped)))
    return units
