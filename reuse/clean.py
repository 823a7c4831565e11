"""Find boilerplate spans: navigation, consent, paywall scripts, credits, teasers, template lines.

Cleaning never edits text: it returns the removed spans and a *masked* copy of
the text of the same length in which those spans are blanked, so every later
offset still indexes the original text.

Speed: the line patterns are full-line matches, and most lines of a news text
are prose that no pattern can match.  Instead of trying the whole pattern
alternation on every line (tens of microseconds for the ``.*\\b...`` patterns),
:func:`_rules` splits the patterns into

* patterns anchored at the line start, tried on all short lines of a document
  in one regex pass over the lines joined by ``\\n`` (a necessary condition),
* ``.*``-led patterns, which can only match a line holding one of their
  leading literals; a substring test on the lowercased lines finds those,
* anything else (look-arounds, ``\\A``, atomic groups, ...), tried on every line.

Only the lines these prefilters admit are tried with the exact full-line
match, so results are those of trying every line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

try:  # Python >= 3.11
    from re import _constants as _sre_c
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre_c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

from reuse.config import CleanConfig
from reuse.io import Document

_SPACE = re.compile(r"\s+")
_NOT_EOL = re.compile(r"[^\r\n]")
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
#: Characters for which ``str.lower`` and the regex engine's case-insensitive
#: matching disagree: full lowercase differing from the simple one (U+0130,
#: final sigma) and the engine's extra case equivalences (``re._casefix``,
#: e.g. dotless i and long s match "i" and "s").  A line holding one of them
#: skips the literal prefilter.  tests/test_clean_speed_equiv.py recomputes
#: this set from the running Python's Unicode tables.
CASE_EXCEPTIONS = frozenset(
    "\u00b5\u0130\u0131\u017f\u0345\u0390\u0392\u0395\u0398\u0399\u039a\u039c\u03a0\u03a1\u03a3\u03a6\u03b0\u03b2"
    "\u03b5\u03b8\u03b9\u03ba\u03bc\u03c0\u03c1\u03c2\u03c3\u03c6\u03d0\u03d1\u03d5\u03d6\u03f0\u03f1\u03f4\u03f5"
    "\u0412\u0414\u041e\u0421\u0422\u042a\u0432\u0434\u043e\u0441\u0442\u044a\u0462\u0463\u1c80\u1c81\u1c82\u1c83"
    "\u1c84\u1c85\u1c86\u1c87\u1c88\u1e60\u1e61\u1e9b\u1fbe\u1fd3\u1fe3\ua64a\ua64b\ufb05\ufb06"
)
_CASE_EXCEPTION = re.compile("[" + re.escape("".join(sorted(CASE_EXCEPTIONS))) + "]")
_LATIN1_EXCEPTIONS = tuple(c for c in sorted(CASE_EXCEPTIONS) if ord(c) < 256)


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


@dataclass(frozen=True)
class _Rules:
    """The compiled line patterns and the prefilters that spare most lines the full match."""

    full: re.Pattern[str]
    """All patterns, one alternation; ``fullmatch`` decides (case-insensitive)."""
    anchored: re.Pattern[str] | None
    """``\\n`` followed by (lookahead) any line-start pattern; run over ``"\\n" + "\\n".join(lines)``."""
    gated: tuple[tuple[frozenset[str], ...], ...]
    """Per scanning pattern, sets of lowercased literals a matching line holds one of each of."""
    always: bool
    """Some pattern fits neither prefilter: every short line gets the full match."""


@lru_cache(maxsize=8)
def _compile(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


#: Zero-width assertions whose truth at a line edge is the same whether the line
#: stands alone or sits between ``\n`` separators (with ``re.M`` for ``^``/``$``).
_LINE_SAFE_AT = {_sre_c.AT_BOUNDARY, _sre_c.AT_NON_BOUNDARY, _sre_c.AT_BEGINNING, _sre_c.AT_END}
_LINE_SAFE_OPS = {_sre_c.LITERAL, _sre_c.NOT_LITERAL, _sre_c.ANY, _sre_c.IN}


def _line_safe(items: object) -> bool:
    """Whether a full match of a line also matches at the line's start inside the joined lines.

    True only for literals, classes, repeats, groups without flag changes,
    alternations and edge-independent anchors (a full match of a line then uses
    the same path inside the joined text); look-arounds, ``\\A``/``\\Z``, atomic
    groups, possessive repeats and back-references are refused.
    """
    for op, av in items:  # type: ignore[attr-defined]
        if op in _LINE_SAFE_OPS:
            continue
        if op is _sre_c.AT:
            if av not in _LINE_SAFE_AT:
                return False
        elif op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT):
            if not _line_safe(av[2]):
                return False
        elif op is _sre_c.SUBPATTERN:
            if av[1] or av[2] or not _line_safe(av[3]):
                return False
        elif op is _sre_c.BRANCH:
            if not all(_line_safe(alt) for alt in av[1]):
                return False
        else:
            return False
    return True


def _required_sets(items: object) -> list[frozenset[str]]:
    """Sets of lowercased literals such that every match of ``items`` holds one literal of each set.

    A literal run of the sequence is one such set, a group contributes its
    own, an alternation contributes the union of one set of each alternative
    (when every alternative has one), a repeat of at least one its body's.
    Literal characters of :data:`CASE_EXCEPTIONS` end a run (the lowercase
    test could miss them).
    """
    sets: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:  # type: ignore[attr-defined]
        if op is _sre_c.LITERAL and chr(av) not in CASE_EXCEPTIONS and len(chr(av).lower()) == 1:
            run.append(chr(av))
            continue
        if run:
            sets.append(frozenset({"".join(run).lower()}))
            run = []
        if op is _sre_c.SUBPATTERN:
            sets += _required_sets(av[3])
        elif op is _sre_c.BRANCH:
            alts = [_required_sets(alt) for alt in av[1]]
            if all(alts):
                sets.append(frozenset().union(*(max(alt, key=_selectivity) for alt in alts)))
        elif op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT) and av[0] >= 1:
            sets += _required_sets(av[2])
    if run:
        sets.append(frozenset({"".join(run).lower()}))
    return sets


def _selectivity(lits: frozenset[str]) -> tuple[int, int]:
    # few, long literals reject more lines per test
    return min(map(len, lits)), -len(lits)


def _scans(parsed: list[tuple[object, object]]) -> bool:
    """Whether a pattern may read far into a line before failing (a leading unbounded or long repeat)."""
    head = next(((op, av) for op, av in parsed if op is not _sre_c.AT), None)
    return head is not None and head[0] in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT) and head[1][1] > 3  # type: ignore[index]


@lru_cache(maxsize=8)
def _rules(patterns: tuple[str, ...]) -> _Rules:
    anchored: list[str] = []
    gated: list[tuple[frozenset[str], ...]] = []
    always = False
    for p in patterns:
        parsed = list(_sre_parse.parse(p, re.I))
        sets = _required_sets(parsed)
        if sets and (_scans(parsed) or not _line_safe(parsed)):
            # a line that may match holds one literal of each set; fewest literals tested first
            gated.append(tuple(sorted(sets, key=len)))
        elif _line_safe(parsed):
            anchored.append(p)
        else:
            always = True
    ahead = re.compile("\n(?=" + "|".join(f"(?:{p})" for p in anchored) + ")", re.I | re.M) if anchored else None
    return _Rules(_compile(patterns), ahead, tuple(gated), always)


def _has_case_exception(text: str) -> bool:
    if text.isascii():
        return False
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return _CASE_EXCEPTION.search(text) is not None
    return any(c in text for c in _LATIN1_EXCEPTIONS)


def _holds(text: str, sets: tuple[frozenset[str], ...]) -> bool:
    return all(any(lit in text for lit in lits) for lits in sets)


def _pattern_candidates(lines: list[str], short: list[int], rules: _Rules) -> list[int]:
    """Indices (into ``lines``) of the short lines that may fully match a line pattern."""
    if rules.always:
        return short
    joined = "\n".join([lines[k] for k in short])
    found: set[int] = set()
    if rules.anchored is not None:
        head = "\n" + joined
        # the match sits on the separator before line j, and j separators precede it
        found.update(short[head.count("\n", 0, m.start())] for m in rules.anchored.finditer(head))
    if rules.gated:
        low = joined.lower()
        if len(low) != len(joined) or _has_case_exception(joined):
            return short
        gates = [sets for sets in rules.gated if _holds(low, sets)]
        if gates:
            for j, line in enumerate(low.split("\n")):
                if any(_holds(line, sets) for sets in gates):
                    found.add(short[j])
    return sorted(found)


def _line_key(line: str) -> str:
    return _SPACE.sub(" ", line.strip().casefold())


def _may_be_template(line: str, config: CleanConfig) -> bool:
    # long recurring lines are syndicated prose (what the scan reports), not templates;
    # split(None, m) stops after m + 1 words, so a long paragraph is not split whole
    return len(line) >= config.corpus_line_min_chars and len(line.split(None, config.corpus_line_max_words)) <= config.corpus_line_max_words


def _split(text: str) -> tuple[list[str], list[str]]:
    """Return the raw pieces of ``text`` between line breaks (``\\r`` or ``\\n``) and each stripped."""
    raws = (text.replace("\r", "\n") if "\r" in text else text).split("\n")
    return raws, [r.strip() for r in raws]


def _lines(text: str) -> list[tuple[int, int, str]]:
    """Return ``(start, end, stripped)`` for each non-blank line; offsets exclude outer whitespace."""
    raws, stripped = _split(text)
    return _offsets(raws, stripped, range(len(raws)))


def _offsets(raws: list[str], stripped: list[str], which: Sequence[int]) -> list[tuple[int, int, str]]:
    starts = [0, *accumulate(len(r) + 1 for r in raws)]
    out = []
    for i in which:
        s = stripped[i]
        if s:
            start = starts[i] + len(raws[i]) - len(raws[i].lstrip())
            out.append((start, start + len(s), s))
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


def _template_keys(stripped: list[str], config: CleanConfig) -> set[str]:
    return {_line_key(s) for s in stripped if s and _may_be_template(s, config)}


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
    return _template_lines(docs, config, {})


def _template_lines(docs: Sequence[Document], config: CleanConfig, splits: dict[int, tuple[list[str], list[str]]]) -> frozenset[str]:
    # splits: filled with each ok document's line split (by position in docs) for clean_corpus to reuse
    ok = [(i, d) for i, d in enumerate(docs) if d.ok]
    need = max(config.corpus_line_min_docs, config.corpus_line_min_share * len(ok))
    counts: Counter[str] = Counter()
    for i, doc in ok:
        split = splits[i] = _split(doc.text)
        counts.update(_template_keys(split[1], config))
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
    return _clean(doc, config, templates, None)


def _flags(lines: list[str], config: CleanConfig, templates: frozenset[str]) -> list[bool] | None:
    """Which lines are boilerplate by pattern or template; None when none is."""
    maxc = config.max_pattern_line_chars
    short = [k for k, line in enumerate(lines) if len(line) <= maxc]
    rules = _rules(config.line_patterns)
    full = rules.full
    hit = [k for k in _pattern_candidates(lines, short, rules) if full.fullmatch(lines[k]) is not None] if short else []
    if templates:
        hit += [k for k, line in enumerate(lines) if _may_be_template(line, config) and _line_key(line) in templates]
    if not hit:
        return None
    flags = [False] * len(lines)
    for k in hit:
        flags[k] = True
    return flags


def _clean(doc: Document, config: CleanConfig, templates: frozenset[str], split: tuple[list[str], list[str]] | None) -> CleanText:
    text = doc.text
    spans: list[tuple[int, int]] = []
    if doc.meta_end:
        spans.append((0, doc.meta_end))
    if doc.html:
        spans.extend(html_spans(text))
    masked = _mask(text, _merge(spans), doc.html) if spans else text
    raws, stripped = split if split is not None and not spans else _split(masked)
    lines = [s for s in stripped if s]
    flags = _flags(lines, config, templates)
    title = doc.title
    if flags is None:
        # nothing flagged: the list and caption rules need a flagged line, so they cannot fire
        if title is None and lines:
            title = lines[0]
        return CleanText(id=doc.id, masked=masked, boilerplate=_merge(spans), title=title)
    # A source or link list: a heading, then short lines without sentence punctuation.
    in_list = False
    for i, line in enumerate(lines):
        if in_list and len(line) <= config.max_pattern_line_chars // 3 and not _SENTENCE_END.search(line):
            flags[i] = True
            continue
        in_list = flags[i] and _LIST_HEADING.match(line) is not None
    # A photo caption: the line right before a credit line.
    for i in range(1, len(lines)):
        if flags[i] and _CREDIT.match(lines[i]) and len(lines[i - 1]) <= config.max_pattern_line_chars:
            flags[i - 1] = True
    nonblank = [i for i, s in enumerate(stripped) if s]
    flagged = [i for i, flag in zip(nonblank, flags, strict=True) if flag]
    spans.extend((s, e) for s, e, _ in _offsets(raws, stripped, flagged))
    merged = _merge(spans)
    if title is None or (flags[0] and title == lines[0]):
        title = next((line for line, flag in zip(lines, flags, strict=True) if not flag), doc.title)
    return CleanText(id=doc.id, masked=_mask(text, merged, doc.html) if merged else text, boilerplate=merged, title=title)


def _mask(text: str, spans: Sequence[tuple[int, int]], html: bool = False) -> str:
    parts = []
    pos = 0
    for s, e in spans:
        parts.append(text[pos:s])
        # keep line breaks so line structure (and sentence splitting) survives masking
        seg = text[s:e]
        blank = _NOT_EOL.sub(" ", seg) if "\n" in seg or "\r" in seg else " " * len(seg)
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
    splits: dict[int, tuple[list[str], list[str]]] = {}
    templates = _template_lines(docs, config, splits)
    return [_clean(doc, config, templates, splits.get(i)) for i, doc in enumerate(docs)]
