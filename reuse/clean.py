"""Find boilerplate spans: navigation, consent, paywall scripts, credits, teasers, template lines.

Cleaning never edits text: it returns the removed spans and a *masked* copy of
the text of the same length in which those spans are blanked, so every later
offset still indexes the original text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from reuse.config import CleanConfig
from reuse.io import Document

_LINE = re.compile(r"[^\r\n]+")
_SPACE = re.compile(r"\s+")
_HTML_BLOCK = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_HTML_TAG = re.compile(r"</?[A-Za-z!][^<>]*>")
#: Headings after which a list of short, unpunctuated lines is a source or link list.
_LIST_HEADING = re.compile(r"(quellen|sources|quelle|weitere nachrichten|mehr zum thema|related|links)\b", re.I)
_SENTENCE_END = re.compile(r"[.!?\"“”»«…:]\s*$")
_CREDIT = re.compile(r"\s*©")
_BLOCK_TAG = re.compile(
    r"</?(p|div|br|hr|li|ul|ol|dl|dt|dd|h[1-6]|nav|header|footer|section|article|aside|main|figure|figcaption|blockquote|table|tr|td|th|title|form|button)\b[^<>]*>",
    re.I,
)


@dataclass(frozen=True)
class CleanText:
    """A document's boilerplate spans and the masked text later stages read.

    Attributes
    ----------
    id : str
        The document id.
    masked : str
        ``Document.text`` with boilerplate (and HTML markup) replaced by spaces; same length.
    boilerplate : tuple of (int, int)
        Removed spans as ``(start, end)`` offsets into the document text, sorted, disjoint.
    title : str or None
        The document's title: its record title, else its first line that is not boilerplate.
    """

    id: str
    masked: str
    boilerplate: tuple[tuple[int, int], ...]
    title: str | None


@lru_cache(maxsize=8)
def _compile(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


def _line_key(line: str) -> str:
    return _SPACE.sub(" ", line.strip().casefold())


def _may_be_template(line: str, config: CleanConfig) -> bool:
    # long recurring lines are syndicated prose (what the scan reports), not templates
    return len(line) >= config.corpus_line_min_chars and len(line.split()) <= config.corpus_line_max_words


def _lines(text: str) -> list[tuple[int, int, str]]:
    """Return ``(start, end, stripped)`` for each non-blank line; offsets exclude outer whitespace."""
    out = []
    for m in _LINE.finditer(text):
        raw = m.group()
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append((m.start() + lead, m.start() + lead + len(stripped), stripped))
    return out


def _merge(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return tuple(merged)


def html_spans(text: str) -> list[tuple[int, int]]:
    """Spans of HTML markup (script/style blocks, comments, tags) to mask."""
    return [m.span() for m in _HTML_BLOCK.finditer(text)] + [m.span() for m in _HTML_TAG.finditer(text)]


def template_lines(docs: Sequence[Document], config: CleanConfig = CleanConfig()) -> frozenset[str]:
    """Lines that recur in many documents of the corpus (site templates).

    Parameters
    ----------
    docs : sequence of Document
        The corpus; error documents are ignored.
    config : CleanConfig
        ``corpus_line_min_docs``, ``corpus_line_min_share``, ``corpus_line_min_chars`` and ``corpus_line_max_words``.

    Returns
    -------
    frozenset of str
        Normalised (casefolded, whitespace-collapsed) line keys.
    """
    ok = [d for d in docs if d.ok]
    need = max(config.corpus_line_min_docs, config.corpus_line_min_share * len(ok))
    counts: Counter[str] = Counter()
    for doc in ok:
        counts.update({_line_key(s) for _, _, s in _lines(doc.text) if _may_be_template(s, config)})
    return frozenset(k for k, c in counts.items() if c >= need)


def clean(doc: Document, config: CleanConfig = CleanConfig(), templates: frozenset[str] = frozenset()) -> CleanText:
    """Find the boilerplate of one document.

    Parameters
    ----------
    doc : Document
        The document (error documents give an empty result).
    config : CleanConfig
        Line patterns and limits.
    templates : frozenset of str
        Corpus-frequent line keys from :func:`template_lines`.

    Returns
    -------
    CleanText
    """
    text = doc.text
    spans: list[tuple[int, int]] = []
    if doc.meta_end:
        spans.append((0, doc.meta_end))
    if doc.html:
        spans.extend(html_spans(text))
    masked = _mask(text, _merge(spans), doc.html) if spans else text
    pattern = _compile(config.line_patterns)
    lines = _lines(masked)
    flags = []
    for _, _, line in lines:
        by_rule = len(line) <= config.max_pattern_line_chars and pattern.fullmatch(line) is not None
        flags.append(by_rule or (bool(templates) and _may_be_template(line, config) and _line_key(line) in templates))
    # A source or link list: a heading, then short lines without sentence punctuation.
    in_list = False
    for i, (_, _, line) in enumerate(lines):
        if in_list and len(line) <= config.max_pattern_line_chars // 3 and not _SENTENCE_END.search(line):
            flags[i] = True
            continue
        in_list = flags[i] and _LIST_HEADING.match(line) is not None
    # A photo caption: the line right before a credit line.
    for i in range(1, len(lines)):
        if _CREDIT.match(lines[i][2]) and flags[i] and len(lines[i - 1][2]) <= config.max_pattern_line_chars:
            flags[i - 1] = True
    spans.extend((s, e) for (s, e, _), flag in zip(lines, flags, strict=True) if flag)
    merged = _merge(spans)
    title = doc.title
    if title is None or (lines and flags[0] and title == lines[0][2]):
        title = next((line for (_, _, line), flag in zip(lines, flags, strict=True) if not flag), doc.title)
    return CleanText(id=doc.id, masked=_mask(text, merged, doc.html) if merged else text, boilerplate=merged, title=title)


def _mask(text: str, spans: Sequence[tuple[int, int]], html: bool = False) -> str:
    parts = []
    pos = 0
    for s, e in spans:
        parts.append(text[pos:s])
        # keep line breaks so line structure (and sentence splitting) survives masking
        blank = re.sub(r"[^\r\n]", " ", text[s:e])
        if html:
            # a block-level tag ends a line, so the line rules see "<nav>Zur Startseite</nav>" as a line of its own
            cut = [m.start() - s for m in _BLOCK_TAG.finditer(text, s, e)]
            if cut:
                chars = list(blank)
                for k in cut:
                    chars[k] = "\n"
                blank = "".join(chars)
        parts.append(blank)
        pos = e
    parts.append(text[pos:])
    return "".join(parts)


def clean_corpus(docs: Sequence[Document], config: CleanConfig = CleanConfig()) -> list[CleanText]:
    """Clean every document, with corpus-frequent template lines found first."""
    templates = template_lines(docs, config)
    return [clean(doc, config, templates) for doc in docs]
