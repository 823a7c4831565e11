"""Anchors that survive rewording and translation, and attribution of a named source.

* **Names**: capitalised words reduced to a spelling-insensitive key by general
  transliteration rules (w/v, j/y/i, z/s, c/ck/q/k, ph/f, sch/sh, doubled
  letters), so Witkoff/Whitcoff, Dmitrijew/Dmitriev, Selenskyj/Selenskij/Zelensky
  and Umerow/Umerov share a key; keys within a small edit distance count as
  variants of one name (:func:`same_name`).
* **Numbers** and **dates** ("24. bis 26. Oktober", "October 24-26", "15.08.2025").
* **Quotations** in German and English quotation marks.
* **Attribution**: phrases that credit a named source ("laut Axios",
  "gegenüber Axios", "Nach «Axios»-Informationen", "Axios zufolge",
  "according to Axios", "told Axios", "Axios reported"), found by reporting cue
  words near the name rather than by a list of exact phrases.

Every offset is a character index into the text passed in.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from reuse.config import AnchorConfig
from reuse.text import DROP_JOINERS, JOINERS, STOPWORDS, fold

#: The default anchor configuration (frozen, so safe as a default argument).
DEFAULT_ANCHORS = AnchorConfig()

# --- names ---------------------------------------------------------------------

#: Ordered spelling rules applied to a folded name: each maps spellings that
#: transliterations of one name vary between (German/English/Slavic) to one form.
_NAME_RULES: tuple[tuple[str, str], ...] = (
    ("tsch", "ch"), ("sch", "sh"), ("ph", "f"), ("th", "t"), ("wh", "w"), ("kh", "k"), ("ck", "k"),
    ("c", "k"), ("q", "k"), ("z", "s"), ("w", "v"), ("y", "i"), ("j", "i"), ("x", "ks"),
)
_REPEAT = re.compile(r"(.)\1+")
_CAPITAL_WORD = re.compile(r"\b[^\W\d_][\w'’\-" + JOINERS + r"]*", re.U)
_ALL_STOP = frozenset().union(*STOPWORDS.values())


@lru_cache(maxsize=1 << 16)
def name_key(word: str) -> str:
    """Spelling-insensitive key of a name.

    >>> name_key("Witkoff") == name_key("Whitcoff"), name_key("Dmitrijew") == name_key("Dmitriev")
    (True, True)
    """
    s = "".join(c for c in fold(word) if c.isalpha())
    for old, new in _NAME_RULES:
        s = s.replace(old, new)
    s = _REPEAT.sub(r"\1", s)
    if len(s) > 4 and s.endswith("s"):  # genitive / plural: Selenskyjs, Moskaus
        s = s[:-1]
    return s


def shown(surface: str) -> str:
    """A surface as a person reads it: without soft hyphens and joiners, whitespace runs as one space
    (masked HTML pads decoded character references with spaces; quotes may span line breaks)."""
    return " ".join(surface.translate(DROP_JOINERS).split())


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (short strings; plain dynamic programming)."""
    if a == b:
        return 0
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def same_name(key_a: str, key_b: str, max_distance: float = 0.25) -> bool:
    """Whether two name keys are spellings of one name (same first letter, edit distance ≤ share of length)."""
    if key_a == key_b:
        return True
    if not key_a or not key_b or key_a[0] != key_b[0]:
        return False
    return edit_distance(key_a, key_b) <= max_distance * max(len(key_a), len(key_b))


@dataclass(frozen=True)
class Anchor:
    """An anchor found in a text: ``text[start:end]`` is ``surface``; ``value`` is its normal form."""

    kind: str
    start: int
    end: int
    surface: str
    value: str


def names(text: str, start: int = 0, end: int | None = None) -> list[Anchor]:
    """Capitalised words of ``text[start:end]`` (not the first word, not function words) with their name keys.

    In German every noun is capitalised too; nouns simply keep a stable key, so
    they match themselves and nothing else.
    """
    end = len(text) if end is None else end
    out = []
    for k, m in enumerate(_CAPITAL_WORD.finditer(text, start, end)):
        word = m.group().strip("'’-")
        if not word[:1].isupper() or len(word) < 3:
            continue
        for part_start, part in _parts(m.start(), word):
            if not part[:1].isupper() or len(part) < 3 or fold(part) in _ALL_STOP:
                continue
            if k == 0 and part_start == m.start():
                continue  # sentence-initial capital says nothing
            out.append(Anchor("name", part_start, part_start + len(part), part, name_key(part)))
    return out


def _parts(offset: int, word: str) -> list[tuple[int, str]]:
    """Hyphenated compounds ("Axios-Quellen", "US-Präsident") split into their parts."""
    parts, pos = [], 0
    for piece in word.split("-"):
        if piece:
            parts.append((offset + pos, piece))
        pos += len(piece) + 1
    return parts


# --- numbers and dates -----------------------------------------------------------

_MONTHS = {
    "januar": 1, "jaenner": 1, "january": 1, "jan": 1, "februar": 2, "february": 2, "feb": 2,
    "maerz": 3, "marz": 3, "march": 3, "mar": 3, "april": 4, "apr": 4, "mai": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6, "juli": 7, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11, "dezember": 12, "december": 12, "dez": 12, "dec": 12,
}
_MONTH = r"(?P<month>[A-Za-zÄÖÜäöü]{3,9})\.?"
_DAY = r"(?P<d1>[0-3]?\d)\.?"
_RANGE = r"(?:\s*(?:bis(?:\s+zum)?|und|to|through|and|-|–|—)\s*(?P<d2>[0-3]?\d)\.?)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_DATE_PATTERNS = (
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d1>[0-3]\d)\b"),
    re.compile(r"\b(?P<d1>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<year>(?:19|20)?\d\d)\b"),
    re.compile(r"\b" + _DAY + _RANGE + r"\s+" + _MONTH + _YEAR + r"\b"),
    re.compile(r"\b" + _MONTH + r"\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?(?:\s*(?:-|–|to|through)\s*(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?)?" + _YEAR + r"\b"),
)
#: A number, not glued by a hyphen to a word before it ("NordLink-2", "Falcon-9", "COVID-19" are names, not figures).
_NUMBER = re.compile(r"(?<![\w.,])(?<![^\W\d_]-)\d+(?:[.,]\d+)*(?![\w])|(?<![\w.,])(?<![^\W\d_]-)\d+(?=-)")


def dates(text: str, start: int = 0, end: int | None = None) -> list[Anchor]:
    """Dates and day ranges with a month, normalised to ``"d1-d2.m[.y]"`` (e.g. ``"24-26.10"``)."""
    end = len(text) if end is None else end
    out: list[Anchor] = []
    # spans taken by earlier patterns, sorted and disjoint: an overlap test is a bisection, not a
    # scan of every span (quadratic on a text of many dates); one pattern's matches never overlap
    starts: list[int] = []
    ends: list[int] = []
    for pattern in _DATE_PATTERNS:
        new: list[tuple[int, int]] = []
        for m in pattern.finditer(text, start, end):
            g = m.groupdict()
            if "month" in g and g.get("month") is not None:
                month = _MONTHS.get(fold(g["month"]).rstrip("."))
                if month is None:
                    continue
            else:
                month = int(g["m"])
            if not 1 <= month <= 12 or not 1 <= int(g["d1"]) <= 31:
                continue
            k = bisect.bisect_right(ends, m.start())
            if k < len(starts) and starts[k] < m.end():
                continue
            days = str(int(g["d1"])) + (f"-{int(g['d2'])}" if g.get("d2") else "")
            year = g.get("year")
            value = f"{days}.{month}" + (f".{int(year) % 100 + 2000 if len(year) == 2 else int(year)}" if year else "")
            new.append(m.span())
            out.append(Anchor("date", m.start(), m.end(), m.group(), value))
        taken = sorted([*zip(starts, ends, strict=True), *new])
        starts, ends = [s for s, _ in taken], [e for _, e in taken]
    return sorted(out, key=lambda a: a.start)


def numbers(text: str, start: int = 0, end: int | None = None, exclude: list[Anchor] | None = None) -> list[Anchor]:
    """Numbers (digits, with decimal/thousands separators) outside the ``exclude`` spans (dates)."""
    end = len(text) if end is None else end
    spans = sorted((a.start, a.end) for a in exclude or [])
    # inside an excluded span iff the furthest end among the spans starting at or before it lies beyond
    # it: a bisection per number instead of a scan of every span (quadratic on a text of many dates)
    starts, reach = [s for s, _ in spans], list(itertools.accumulate((e for _, e in spans), max))
    out = []
    for m in _NUMBER.finditer(text, start, end):
        k = bisect.bisect_right(starts, m.start())
        if k and m.start() < reach[k - 1]:
            continue
        raw = m.group()
        value = raw.replace(".", "").replace(",", ".") if re.search(r",\d{1,2}$", raw) else raw.replace(",", "").replace(".", "") if re.search(r"[.,]\d{3}$", raw) else raw
        out.append(Anchor("number", m.start(), m.end(), raw, value))
    return out


# --- quotations ------------------------------------------------------------------

#: Quotation marks: each opening mark and the marks that close it.  A quotation is an opening
#: mark, at least three characters without a closing mark or a line break, and a closing mark
#: (as the pattern ``„([^“”"\\n]{3,}?)[“”"]|«([^»\\n]{3,}?)»|...`` reads them).
_QUOTE_MARKS = {"„": "“”\"", "«": "»", "»": "«", "“": "”", "\"": "\"", "‚": "‘"}
_QUOTE_OPEN = re.compile("[" + "".join(_QUOTE_MARKS) + "]")
_QUOTE_STOP = {o: re.compile("[" + re.escape(c) + "\n]") for o, c in _QUOTE_MARKS.items()}
def quotes(text: str, start: int = 0, end: int | None = None, config: AnchorConfig = DEFAULT_ANCHORS) -> list[Anchor]:
    """Quotations of at least ``config.min_quote_words`` words; ``value`` is the folded quoted text."""
    end = len(text) if end is None else end
    out = []
    for a, b in _quote_spans(text, start, end):
        inner = text[a:b]
        if len(inner.split()) < config.min_quote_words:
            continue
        out.append(Anchor("quote", a, b, inner, " ".join(re.findall(r"\w+", fold(inner.translate(DROP_JOINERS))))))
    return out


def _quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``(start, end)`` of the inside of each quotation in ``text[start:end]``, left to right, not overlapping.

    Linear time: where a pattern tries every opening mark of a line without a closing
    one up to the line's end (quadratic on ``"„x " * n``), the stop found for one mark
    serves every later mark of its kind before that stop (no stop lies between them).
    """
    spans = []
    stop_at: dict[str, int] = {}  # opening mark -> the first stop after its last search start
    pos = start
    while (m := _QUOTE_OPEN.search(text, pos, end)) is not None:
        at, mark = m.start(), m.group()
        stop = stop_at.get(mark, -1)
        if stop <= at:
            found = _QUOTE_STOP[mark].search(text, at + 1, end)
            stop = stop_at[mark] = found.start() if found else end
        if stop < end and text[stop] != "\n" and stop - at - 1 >= 3:
            spans.append((at + 1, stop))
            pos = stop + 1
        else:
            pos = at + 1
    return spans


# --- attribution -----------------------------------------------------------------

#: Reporting cue words (folded, as regular expressions over one word) that credit a
#: source when they occur near its name: German, English and French verbs of saying and
#: reporting, prepositions of attribution, and nouns for media and information.
ATTRIBUTION_CUES: tuple[str, ...] = (
    r"laut", r"lt", r"gemass", r"zufolge", r"gegenuber", r"nach", r"unter", r"berufung", r"bericht\w*", r"meld\w*",
    r"schreib\w*", r"schrieb\w*", r"zitier\w*", r"angaben", r"informationen", r"recherche\w*", r"quelle\w*",
    r"portal\w*", r"onlineportal\w*", r"nachrichtenportal\w*", r"webseite", r"website", r"nachrichtenseite", r"medium",
    r"interview", r"erklart\w*", r"sagt\w*", r"bestatigt\w*", r"enthull\w*", r"veroffentlich\w*", r"material",
    r"according", r"told", r"tells", r"report\w*", r"said", r"says", r"cit\w*", r"per", r"via", r"wrote",
    r"writes", r"revealed", r"published", r"scoop", r"outlet", r"sources?",
    # French ("selon le site X", "d'après X", "a indiqué à X", "consulté par X"), Spanish and Italian prepositions
    r"selon", r"apres", r"indiqu\w*", r"declar\w*", r"confi\w*", r"rapport\w*", r"revel\w*", r"consult\w*", r"journal",
    r"quotidien", r"site", r"informations?", r"segun", r"secondo",
)
#: Cue words that credit the source when they follow its name ("Axios zufolge", "Axios reported").
ATTRIBUTION_CUES_AFTER: tuple[str, ...] = (
    r"zufolge", r"bericht\w*", r"meld\w*", r"schreib\w*", r"schrieb\w*", r"zitier\w*", r"informationen", r"angaben",
    r"recherche\w*", r"quelle\w*", r"enthull\w*", r"veroffentlich\w*", r"reported", r"reports", r"reporting", r"said",
    r"says", r"wrote", r"writes", r"revealed", r"published", r"first", r"sources?", r"berief\w*", r"beruft\w*",
    r"berufung", r"rapport\w*", r"revel\w*", r"indiqu\w*",
    # the outlet's name as the modifier of its report: "an Axios report", "the Axios report claims", "Axios's scoop"
    r"report", r"claim\w*", r"story", r"article", r"scoop",
)
#: German auxiliaries that open a verb bracket right after the name ("Axios hatte zuerst über den
#: Plan berichtet"): the participle that closes it may stand further away (``AnchorConfig.bracket_window``).
BRACKET_AUXILIARIES: tuple[str, ...] = ("hat", "hatte", "hatten", "haben", "habe", "ist", "war", "wurde")

_CUE = re.compile(r"(?:" + "|".join(ATTRIBUTION_CUES) + r")\Z")
_CUE_AFTER = re.compile(r"(?:" + "|".join(ATTRIBUTION_CUES_AFTER) + r")\Z")
_WORD = re.compile(r"\w+")
_SENT_STOP = re.compile(r"[.!?;]\s")
#: A source tag: the name alone in parentheses, as news credits an agency ("… 28 Punkte (Axios).").
_TAG_OPEN, _TAG_CLOSE = "(", ")"
#: A colon right after the name (or after its closing quotation mark), then the claim.
_HEADLINE_COLON = re.compile(r"[»«\"“”']?:\s")
#: What may stand before a name that opens a line: space and opening quotation marks.
_OPENERS = " \t\r\"'„“«»‚"


def _opens_line(text: str, pos: int) -> bool:
    """Whether only opening quotes and blanks stand between the start of ``pos``'s line and ``pos``
    (read backwards over them: slicing the line before each mention is quadratic on a long line)."""
    while pos > 0 and text[pos - 1] in _OPENERS:
        pos -= 1
    return pos == 0 or text[pos - 1] == "\n"


def attributions(text: str, source: str, config: AnchorConfig = DEFAULT_ANCHORS) -> list[tuple[int, int]]:
    """Spans of ``text`` that attribute content to the named ``source``.

    A mention of the name counts when a reporting cue word (``ATTRIBUTION_CUES``)
    stands within ``config.attribution_window`` words before or after it in the same sentence, when
    the name heads a compound with such a word ("Axios-Informationen"), or when
    it opens a line followed by a colon (the headline convention "Axios: …").

    Parameters
    ----------
    text : str
        The report text (or a masked copy; offsets are the same).
    source : str
        The source's name as given by the user ("Axios").
    config : AnchorConfig
        How far from the name a cue may stand.

    Returns
    -------
    list of (int, int)
        Sorted, disjoint spans from the cue to the name (or the name to the cue).
    """
    window = config.attribution_window
    target = [fold(w) for w in _WORD.findall(source)]
    if not target:  # a name without letters or digits ("—", ".*") cannot be read as a credit
        return []
    words = [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]
    n = len(target)
    spans: list[tuple[int, int]] = []
    for i in range(len(words) - n + 1):
        if [w[2] for w in words[i : i + n]] != target:
            continue
        name_start, name_end = words[i][0], words[i + n - 1][1]
        left: int | None = None
        right: int | None = None
        # compound "Axios-Informationen" / "«Axios»-Quellen"
        tail = text[name_end : name_end + 2]
        if (tail[:1] == "-" or tail in ("»-", "«-", "\"-", "“-")) and i + n < len(words) and _CUE_AFTER.match(words[i + n][2]):
            right = words[i + n][1]
        for j in range(i - 1, max(-1, i - 1 - window), -1):  # cue before the name
            if _SENT_STOP.search(text[words[j][1] : name_start]):
                break
            if _CUE.match(words[j][2]):
                left = words[j][0]
                break
        # a German verb bracket opened right after the name reaches to its clause's end
        bracket = i + n < len(words) and words[i + n][2] in BRACKET_AUXILIARIES
        for j in range(i + n, min(len(words), i + n + (config.bracket_window if bracket else window))):  # cue after the name
            gap = text[name_end : words[j][0]]
            if right is not None or _SENT_STOP.search(gap) or (bracket and j > i + n + window and "," in gap):
                break
            if _CUE_AFTER.match(words[j][2]):
                right = words[j][1]
        if text[name_start - 1 : name_start] == _TAG_OPEN and text[name_end : name_end + 1] == _TAG_CLOSE:
            left, right = name_start - 1, name_end + 1
        # headline convention "Axios: USA arbeiten an Plan": the name opens its line and a colon follows
        if left is None and right is None and _HEADLINE_COLON.match(text, name_end) and _opens_line(text, name_start):
            right = text.index(":", name_end) + 1
        found = (left if left is not None else name_start, right if right is not None else name_end) if left is not None or right is not None else None
        if found:
            spans.append(found)
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged
