"""Linear-time scanners agree with the patterns they replace, and finish on the shapes that made those quadratic.

Each replaced regular expression (or slice-per-break loop) is kept here as the
reference: on random text over an alphabet of the characters that matter, the
new scanner gives exactly its matches.  Then each pathological shape runs
through the real stage at a size where the quadratic version took minutes; the
``timeout`` marker (pytest-timeout) turns a regression into a failure instead of
a hang.  Times are never asserted (benchmarks/complexity.py measures them).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reuse import anchors, clean, io, segment

# --- the replaced patterns, as they were ---------------------------------------------------------

OLD_HTML_BLOCK = re.compile(r"<(script|style|noscript|template|nav|aside|footer|button|figcaption)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
OLD_HTML_HEADER = re.compile(r"<header\b.*?</header\s*>", re.S | re.I)
OLD_HTML_DATE = re.compile(
    r"""<meta\s[^>]*?(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|date|pubdate|publishdate|datePublished|dc\.date)["'][^>]*>"""
    r"""|"datePublished"\s*:\s*"(?P<ld>\d{4}-\d{2}-\d{2})""", re.IGNORECASE)
OLD_HTML_SITE = re.compile(r"""<meta\s[^>]*?property\s*=\s*["']og:site_name["'][^>]*>""", re.IGNORECASE)
OLD_END = re.compile(r"([.!?…]+)([\"'”“»«’‘)\]]*)(\s+)(?=[\"'„“«»‚‘(\[]?[A-ZÄÖÜÀ-Þ0-9])")
OLD_TERMINAL = re.compile(r"[.!?…:;][\"'”“»«’)\]]*$")
OLD_QUOTE = re.compile(r"„([^“”\"\n]{3,}?)[“”\"]|«([^»\n]{3,}?)»|»([^«\n]{3,}?)«|“([^”\n]{3,}?)”|\"([^\"\n]{3,}?)\"|‚([^‘\n]{3,}?)‘")

HTML_PIECES = ["<script>", "</script>", "</SCRIPT >", "<nav", "</nav>", "<header>", "</header>", "<h1>", "<!--", "-->", "<scripts>",
               "<meta ", 'name="date" ', "content='2025-11-19' ", 'property="og:site_name" content="Blatt"', ">", "<", "x", " ", "\n",
               '"datePublished": "2025-11-20"', "<button>", "</button>", "<MeTa\t", "-", "!"]
TEXT_PIECES = [".", "!", "?", "…", ":", ";", '"', "'", "”", "»", "«", ")", "]", " ", "\n", "\r\n", "\t", "A", "a", "Ä", "1", "15", "z.B",
               "August", "am", "„", "“", "‚", "‘", "x", "wort"]


def texts(pieces: list[str], max_size: int = 60) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=max_size).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts(HTML_PIECES))
def test_html_elements_are_the_patterns_matches(text: str) -> None:
    assert clean._elements(text, clean._HTML_BLOCK_OPEN) == [m.span() for m in OLD_HTML_BLOCK.finditer(text)]
    assert clean._elements(text, clean._HTML_HEADER_OPEN) == [m.span() for m in OLD_HTML_HEADER.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(texts(HTML_PIECES))
def test_html_meta_tags_are_the_patterns_matches(text: str) -> None:
    old_dates = []
    for m in OLD_HTML_DATE.finditer(text):
        old_dates.append(m.group("ld") or next((c.group("v") for c in io._CONTENT.finditer(m.group())), ""))
    assert list(io._date_values(text)) == old_dates
    site = OLD_HTML_SITE.search(text)
    assert next(io._meta_tags(text, io._SITE_ATTR), None) == (site.span() if site else None)


def old_ends_sentence(text: str, end: int) -> bool:
    return OLD_TERMINAL.search(text[:end].rstrip()) is not None


@settings(max_examples=300, deadline=None)
@given(texts(TEXT_PIECES))
def test_sentence_scanners_are_the_patterns_matches(text: str) -> None:
    assert [(m.span(), m.span(1), m.span(2)) for m in segment._END.finditer(text)] == [(m.span(), m.span(1), m.span(2)) for m in OLD_END.finditer(text)]
    for m in segment._SINGLE_NL.finditer(text):
        assert segment._ends_sentence(text, m.start()) == old_ends_sentence(text, m.start())


@settings(max_examples=300, deadline=None)
@given(texts(TEXT_PIECES))
def test_quotes_are_the_patterns_matches(text: str) -> None:
    old = []
    for m in OLD_QUOTE.finditer(text):
        gi = next(i for i in range(1, 7) if m.group(i) is not None)
        old.append(m.span(gi))
    assert anchors._quote_spans(text, 0, len(text)) == old
    # and within a window, as derive reads a sentence
    a, b = len(text) // 4, len(text) - len(text) // 4
    assert anchors._quote_spans(text, a, b) == [m.span(next(i for i in range(1, 7) if m.group(i) is not None)) for m in OLD_QUOTE.finditer(text, a, b)]


def old_dates(text: str) -> list[tuple[int, int, str]]:
    """anchors.dates with its overlap test as a scan of every span taken (the quadratic reference)."""
    out, taken = [], []
    for pattern in anchors._DATE_PATTERNS:
        for m in pattern.finditer(text):
            g = m.groupdict()
            if "month" in g and g.get("month") is not None:
                month = anchors._MONTHS.get(anchors.fold(g["month"]).rstrip("."))
                if month is None:
                    continue
            else:
                month = int(g["m"])
            if not 1 <= month <= 12 or not 1 <= int(g["d1"]) <= 31:
                continue
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append(m.span())
            out.append(m.span())
    return sorted(out)


DATE_PIECES = ["24", "26", "1", "2025", "11", ".", "-", " ", "bis", "und", "Oktober", "Okt.", "November", "18th", "to", ",", "2025-11-18", "x"]


@settings(max_examples=300, deadline=None)
@given(texts(DATE_PIECES, 40))
def test_dates_and_numbers_are_the_scans_results(text: str) -> None:
    found = anchors.dates(text)
    assert [(a.start, a.end) for a in found] == old_dates(text)
    kept = anchors.numbers(text, exclude=found)
    spans = [(a.start, a.end) for a in found]
    assert [(a.start, a.end) for a in kept] == [m.span() for m in anchors._NUMBER.finditer(text) if not any(s <= m.start() < e for s, e in spans)]


# --- the shapes, through the real stages ---------------------------------------------------------

N = 400_000  # characters: the quadratic versions took from tens of seconds to minutes here

SHAPES = {
    "script": ("s.html", "<p>x</p>" + "<script>x " * (N // 10)),
    "comment": ("c.html", "<p>x</p>" + "<!-- x " * (N // 7)),
    "header": ("h.html", "<p>x</p>" + "<header x " * (N // 10)),
    "meta": ("m.html", "<p>x</p>" + "<meta name=x " * (N // 13)),
    "lines": ("l.txt", "alpha beta gamma\n" * (N // 17)),
    "long_word": ("w.txt", "a" * N),
    "end_marks": ("e.txt", "Ende" + "." * N),
    "dates": ("d.txt", "24. Oktober " * (N // 12)),
    "quotes": ("q.txt", "„x " * (N // 3)),
    "headline_credit": ("a.txt", "Axios: " * (N // 7)),
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_pathological_shape_is_analysed(tmp_path: Path, cli, shape: str) -> None:
    name, body = SHAPES[shape]
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    # the same text twice: derive then aligns them and reads drift (quotes, dates) on the pairs
    twin = tmp_path / ("twin" + path.suffix)
    twin.write_text(body, encoding="utf-8")
    run = cli("derive", str(path), str(twin), "--source-name", "Axios")
    assert run.code == 0 and [d["status"] for d in run.report["documents"]] == ["ok", "ok"]
    run = cli("scan", str(path))
    assert run.code == 0 and run.statuses() == [(path.stem if path.suffix == ".txt" else path.name, "ok")]
