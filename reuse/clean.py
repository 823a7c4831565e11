"""Find boilerplate spans: navigation, consent, paywall scripts, credits, teasers, template lines.

Cleaning never edits text: it returns the removed spans and a *masked* copy of
the text of the same length in which those spans are blanked, so every later
offset still indexes the original text.

Speed: the line patterns are full-line matches, and most lines of a news text
are prose that no pattern can match.  Instead of trying the whole pattern
alternation on every line (tens of microseconds for the ``.*\\b...`` patterns),
:func:`_rules` gives each pattern a prefilter:

* patterns that start with a long repeat (``.*``, ``[\\w .]{2,40}``) are gated
  by literals every match holds ("bild:", "/" and a news agency, ...), looked
  up in the ASCII-lowercased bytes of the document's short lines;
* the others are dispatched by the first three characters a match can start
  with (enumerated from the parsed pattern, the regex engine deciding case);
* a pattern fitting neither is tried by one anchored pass over the joined
  lines, or, failing that, on every line.

A line a prefilter admits is then tried with the pattern itself, so results are
those of trying every line; tests/test_clean_speed_equiv.py checks this against
the plain rule.
"""

from __future__ import annotations

import html as _html
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

try:  # Python >= 3.11
    from re import _compiler as _sre_compile
    from re import _constants as _sre_c
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_compile as _sre_compile  # type: ignore[no-redef]
    import sre_constants as _sre_c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

from reuse.config import TEASER_HEADINGS, CleanConfig
from reuse.io import Document

_NOT_EOL = re.compile(r"[^\r\n]")
#: A character reference of HTML ("&amp;", "&uuml;", "&#8222;", "&#x201E;").
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SOFT_HYPHEN = "\u00ad"
#: Elements masked with their content: code, comments, and the page furniture HTML marks as such
#: (site navigation, asides such as "more on this story", footers, buttons such as "Accept", photo
#: captions with their credits, which the line rules mask in plain text as the line before a credit).
_BLOCK_ELEMENTS = ("script", "style", "noscript", "template", "nav", "aside", "footer", "button", "figcaption")
#: Where a masked element or a comment opens; :func:`_elements` finds where it closes.
_HTML_BLOCK_OPEN = re.compile(r"<(?:(" + "|".join(_BLOCK_ELEMENTS) + r")\b|!--)", re.I)
_HTML_HEADER_OPEN = re.compile(r"<(header)\b", re.I)
_HTML_CLOSE = {name: re.compile(rf"</{name}\s*>", re.I) for name in (*_BLOCK_ELEMENTS, "header")}
_HTML_TAG = re.compile(r"</?[A-Za-z!][^<>]*>")
_H1 = re.compile(r"<h1\b", re.I)
#: Headings after which a list of short, unpunctuated lines is a source or link list.
_LIST_HEADING = re.compile(r"(quellen|sources|quelle|links|" + "|".join(TEASER_HEADINGS) + r")\b", re.I)
_SENTENCE_END = re.compile(r"[.!?\"“”»«…:]\s*$")
_CREDIT = re.compile(r"\s*©")
_BLOCK_TAG = re.compile(
    r"</?(p|div|br|hr|li|ul|ol|dl|dt|dd|h[1-6]|nav|header|footer|section|article|aside|main|figure|figcaption|blockquote|table|tr|td|th|title|form|button)\b[^<>]*>",
    re.I,
)
#: The only non-ASCII characters that the regex engine matches, case-insensitively,
#: to an ASCII pattern character (U+0130 and dotless i to "i", long s to "s",
#: Kelvin sign to "k").  Outside them, a line matching an ASCII literal
#: case-insensitively holds it in its ASCII-lowercased bytes, which is how the
#: literal gates test lines.  tests/test_clean_speed_equiv.py recomputes the set
#: from the running Python's regex engine.
ASCII_LOOKALIKES = frozenset("\u0130\u0131\u017f\u212a")


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
    """All patterns, one alternation (case-insensitive), as :class:`CleanConfig` defines them."""
    each: tuple[re.Pattern[str], ...]
    """Each pattern alone; a line fully matches ``full`` iff it fully matches one of them."""
    heads: dict[str, tuple[int, ...]]
    """Lowercased first three characters of an ASCII-led line -> the patterns a line so led may match."""
    headed: tuple[int, ...]
    """All patterns in ``heads``: tried on a line led by a non-ASCII character."""
    gated: tuple[tuple[int, tuple[frozenset[bytes], ...]], ...]
    """Pattern, and sets of lowercase ASCII literals a matching line holds one of each of."""
    first: tuple[bytes, ...]
    """The literals of every gated pattern's first set: a document holding none is spared the gates."""
    anchored: re.Pattern[str] | None
    """``\\n`` followed by (lookahead) one of the ``anchored_ids`` patterns; run over ``"\\n" + "\\n".join(lines)``."""
    anchored_ids: tuple[int, ...]
    always: tuple[int, ...]
    """Patterns no prefilter covers: tried on every short line."""
    exhaustive: bool
    """A pattern refers to a group by number or name: only ``full`` on every short line keeps its meaning."""


@lru_cache(maxsize=8)
def _compile(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


#: Zero-width assertions whose truth at a line edge is the same whether the line
#: stands alone or sits between ``\n`` separators (with ``re.M`` for ``^``/``$``).
_LINE_SAFE_AT = {_sre_c.AT_BOUNDARY, _sre_c.AT_NON_BOUNDARY, _sre_c.AT_BEGINNING, _sre_c.AT_END}
_CHAR_OPS = {_sre_c.LITERAL, _sre_c.NOT_LITERAL, _sre_c.ANY, _sre_c.IN}
_REPEATS = {_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT}


def _ops(items: object) -> set[object]:
    """Every opcode in a parsed pattern, nested ones included."""
    out: set[object] = set()
    for op, av in items:  # type: ignore[attr-defined]
        out.add(op)
        if op is _sre_c.SUBPATTERN:
            out |= _ops(av[3])
        elif op in _REPEATS:
            out |= _ops(av[2])
        elif op is _sre_c.BRANCH:
            for alt in av[1]:
                out |= _ops(alt)
        elif op in (_sre_c.ASSERT, _sre_c.ASSERT_NOT):
            out |= _ops(av[1])
    return out


def _line_safe(items: object) -> bool:
    """Whether a full match of a line also matches at the line's start inside the joined lines.

    True only for literals, classes, repeats, groups without flag changes,
    alternations and edge-independent anchors (a full match of a line then uses
    the same path inside the joined text); look-arounds, ``\\A``/``\\Z``, atomic
    groups, possessive repeats and back-references are refused.
    """
    for op, av in items:  # type: ignore[attr-defined]
        if op in _CHAR_OPS:
            continue
        if op is _sre_c.AT:
            if av not in _LINE_SAFE_AT:
                return False
        elif op in _REPEATS:
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


class _UnboundedError(Exception):
    """A pattern's line heads cannot be listed (too many, or an opcode the walk does not follow)."""


def _heads(parsed: _sre_parse.SubPattern, k: int = 3, limit: int = 4000) -> set[str]:
    """Every lowercased ASCII string of up to ``k`` characters a full match of ``parsed`` can begin with.

    A match shorter than ``k`` characters contributes itself.  The characters a
    one-character item (literal, class, ``.``) matches among the 128 ASCII
    characters are found by compiling the item alone with ``re.I``, so the
    engine's own case rules decide (a non-ASCII pattern character such as the
    Kelvin sign matching "k" included).  Zero-width assertions are skipped,
    which only admits more heads.

    Raises
    ------
    _UnboundedError
        More than ``limit`` heads, or an opcode outside the walk (back-references,
        atomic groups, groups that change flags).
    """
    out: set[str] = set()
    chars: dict[str, str] = {}

    def ascii_chars(item: tuple[object, object]) -> str:
        key = repr(item)
        if key not in chars:
            pat = _sre_compile.compile(_sre_parse.SubPattern(parsed.state, [item]), re.I)
            chars[key] = "".join(sorted({c.lower() for c in map(chr, range(128)) if pat.fullmatch(c)}))
        return chars[key]

    def walk(stack: list[list[tuple[object, object]]], prefix: str, depth: int) -> None:
        if depth > 100 or len(out) > limit:
            raise _UnboundedError
        while stack and not stack[-1]:
            stack = stack[:-1]
        if len(prefix) >= k or not stack:
            out.add(prefix)
            return
        (op, av), rest = stack[-1][0], [*stack[:-1], stack[-1][1:]]
        if op in _CHAR_OPS:
            for c in ascii_chars((op, av)):
                walk(rest, prefix + c, depth + 1)
        elif op in (_sre_c.AT, _sre_c.ASSERT, _sre_c.ASSERT_NOT):
            walk(rest, prefix, depth + 1)
        elif op is _sre_c.SUBPATTERN and not av[1] and not av[2]:  # type: ignore[index]
            walk([*rest, list(av[3])], prefix, depth + 1)  # type: ignore[index]
        elif op is _sre_c.BRANCH:
            for alt in av[1]:  # type: ignore[index]
                walk([*rest, list(alt)], prefix, depth + 1)
        elif op in _REPEATS:
            lo, hi, body = av  # type: ignore[misc]
            if lo == 0:
                walk(rest, prefix, depth + 1)
            if hi != 0:
                again = (op, (max(lo - 1, 0), hi if hi == _sre_c.MAXREPEAT else hi - 1, body))
                walk([*rest, [again], list(body)], prefix, depth + 1)
        else:
            raise _UnboundedError

    walk([list(parsed)], "", 0)
    return out


def _required_sets(items: object) -> list[frozenset[bytes]]:
    """Sets of lowercase ASCII literals such that every match of ``items`` holds one literal of each set.

    A literal run of the sequence gives one such set (its longest ASCII piece),
    a group its own sets, an alternation the union of one set of each
    alternative (when every alternative has one), a repeat of at least once
    its body's.
    """
    sets: list[frozenset[bytes]] = []
    run: list[str] = []

    def flush() -> None:
        piece = max("".join(run).split("\x80"), key=len)
        if piece:
            sets.append(frozenset({piece.lower().encode("ascii")}))
        run.clear()

    for op, av in items:  # type: ignore[attr-defined]
        if op is _sre_c.LITERAL:
            # a non-ASCII character splits the run: only ASCII is lowered in bytes
            run.append(chr(av) if av < 128 else "\x80")
            continue
        if run:
            flush()
        if op is _sre_c.SUBPATTERN:
            sets += _required_sets(av[3])
        elif op is _sre_c.BRANCH:
            alts = [_required_sets(alt) for alt in av[1]]
            if all(alts):
                sets.append(frozenset().union(*(max(alt, key=_selectivity) for alt in alts)))
        elif op in _REPEATS and av[0] >= 1:
            sets += _required_sets(av[2])
    if run:
        flush()
    return sets


def _selectivity(lits: frozenset[bytes]) -> tuple[int, int]:
    # few literals cost few substring tests; long ones reject more lines
    return -len(lits), min(map(len, lits))


def _scans(parsed: list[tuple[object, object]]) -> bool:
    """Whether a pattern may read far into a line before failing (it starts with a long repeat)."""
    head = next(((op, av) for op, av in parsed if op is not _sre_c.AT), None)
    return head is not None and head[0] in _REPEATS and head[1][1] > 3  # type: ignore[index]


@lru_cache(maxsize=8)
def _rules(patterns: tuple[str, ...]) -> _Rules:
    heads: dict[str, list[int]] = {}
    headed: list[int] = []
    gated: list[tuple[int, tuple[frozenset[bytes], ...]]] = []
    anchored: list[int] = []
    always: list[int] = []
    exhaustive = False
    for i, p in enumerate(patterns):
        parsed = _sre_parse.parse(p, re.I)
        items = list(parsed)
        ops = _ops(items)
        exhaustive |= bool(ops & {_sre_c.GROUPREF, _sre_c.GROUPREF_EXISTS})
        sets = _required_sets(items)
        if sets and _scans(items):
            # a line that may match holds one literal of each set; the most selective set is tested first
            gated.append((i, tuple(sorted(set(sets), key=_selectivity, reverse=True))))
            continue
        try:
            for h in _heads(parsed):
                heads.setdefault(h, []).append(i)
            headed.append(i)
        except _UnboundedError:
            if sets:
                gated.append((i, tuple(sorted(set(sets), key=_selectivity, reverse=True))))
            elif _line_safe(items):
                anchored.append(i)
            else:
                always.append(i)
    ahead = "|".join(f"(?:{patterns[i]})" for i in anchored)
    return _Rules(
        full=_compile(patterns),
        each=tuple(re.compile(p, re.I) for p in patterns),
        heads={h: tuple(ids) for h, ids in heads.items()},
        headed=tuple(headed),
        gated=tuple(gated),
        first=tuple(sorted(frozenset().union(*(sets[0] for _, sets in gated)))),
        anchored=re.compile(f"\n(?={ahead})", re.I | re.M) if anchored else None,
        anchored_ids=tuple(anchored),
        always=tuple(always),
        exhaustive=exhaustive,
    )


def _holds(text: bytes, sets: tuple[frozenset[bytes], ...]) -> bool:
    return all(any(lit in text for lit in lits) for lits in sets)


def _pattern_hits(lines: list[str], short: list[int], rules: _Rules) -> list[int]:
    """Indices (into ``lines``) of the short lines that fully match a line pattern."""
    if rules.exhaustive:
        return [k for k in short if rules.full.fullmatch(lines[k]) is not None]
    each = rules.each
    hits: set[int] = set()

    def check(k: int, ids: Iterable[int]) -> None:
        if k not in hits and any(each[i].fullmatch(lines[k]) is not None for i in ids):
            hits.add(k)

    if rules.headed:
        heads, headed = rules.heads, rules.headed
        for k in short:
            h = lines[k][:3]
            ids = heads.get(h.lower()) if h.isascii() else headed
            if ids:
                check(k, ids)
    for k in short if rules.always else ():
        check(k, rules.always)
    if rules.anchored is not None or rules.gated:
        joined = "\n".join([lines[k] for k in short])
        if rules.anchored is not None:
            head = "\n" + joined
            # the match sits on the separator before line j, and j separators precede it
            for m in rules.anchored.finditer(head):
                check(short[head.count("\n", 0, m.start())], rules.anchored_ids)
        if rules.gated:
            for j, ids in _gate(joined, rules):
                check(short[j], ids)
    return sorted(hits)


def _gate(joined: str, rules: _Rules) -> list[tuple[int, list[int]]]:
    """``(j, patterns)`` for each of the ``\\n``-joined lines holding the literals of some gated patterns."""
    everything = [i for i, _ in rules.gated]
    try:
        raw = joined.encode("latin-1")  # no ASCII look-alike fits in Latin-1
    except UnicodeEncodeError:
        if any(c in joined for c in ASCII_LOOKALIKES):
            return [(j, everything) for j in range(joined.count("\n") + 1)]
        raw = joined.encode("utf-8", "surrogatepass")  # multi-byte sequences hold no ASCII byte
    low = raw.lower()  # lowers ASCII letters only
    present = {lit for lit in rules.first if lit in low}
    if not present:
        return []
    gates = [(i, sets) for i, sets in rules.gated if not sets[0].isdisjoint(present) and _holds(low, sets[1:])]
    out = []
    for j, line in enumerate(low.split(b"\n") if gates else ()):
        ids = [i for i, sets in gates if _holds(line, sets)]
        if ids:
            out.append((j, ids))
    return out


def _line_key(line: str) -> str:
    # casefold never yields whitespace (tests/test_clean_speed_equiv.py checks every
    # code point), so split/join collapses whitespace runs and strips as a regex would
    return " ".join(line.casefold().split())


def _may_be_template(line: str, config: CleanConfig) -> bool:
    # long recurring lines are syndicated prose (what the scan reports), not templates;
    # split(None, m) stops after m + 1 words, so a long paragraph is not split whole
    return len(line) >= config.corpus_line_min_chars and len(line.split(None, config.corpus_line_max_words)) <= config.corpus_line_max_words


def _split(text: str) -> tuple[list[str], list[str]]:
    """Return the raw pieces of ``text`` between line breaks (``\\r`` or ``\\n``) and each stripped."""
    raws = (text.replace("\r", "\n") if "\r" in text else text).split("\n")
    return raws, [r.strip() for r in raws]


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


def _elements(text: str, opener: re.Pattern[str]) -> list[tuple[int, int]]:
    """Spans of the elements ``opener`` opens, each to its first closing tag, and of comments.

    The spans the lazy pattern ``<(name)\\b.*?</\\1\\s*>|<!--.*?-->`` (``re.S | re.I``) finds,
    in linear time: as a regular expression every opening tag without a closing one
    scans to the end of the text (``"<script>x " * n`` took 30 s for 200 KB).  Here a
    search for a closing tag that fails is not repeated: no later opening tag of that
    element can close either.
    """
    spans: list[tuple[int, int]] = []
    unclosed: set[str] = set()
    pos = 0
    while (m := opener.search(text, pos)) is not None:
        name = m.group(1)
        key = name.lower() if name else "--"
        end = -1
        if key not in unclosed:
            if name:
                close = _HTML_CLOSE[key].search(text, m.end())
                end = close.end() if close else -1
            else:
                end = text.find("-->", m.end())
                end = end + 3 if end >= 0 else -1
        if end < 0:
            unclosed.add(key)
            pos = m.start() + 1
            continue
        spans.append((m.start(), end))
        pos = end
    return spans


def html_spans(text: str) -> list[tuple[int, int]]:
    """Spans of HTML markup (script/style blocks, comments, page furniture, tags) to mask."""
    # a <header> without a headline is the site's (logo, menu); an article's own header holds its <h1>
    headers = [(s, e) for s, e in _elements(text, _HTML_HEADER_OPEN) if not _H1.search(text, s, e)]
    return _elements(text, _HTML_BLOCK_OPEN) + headers + [m.span() for m in _HTML_TAG.finditer(text)]


def _template_keys(stripped: list[str], config: CleanConfig) -> set[str]:
    minc, maxw = config.corpus_line_min_chars, config.corpus_line_max_words
    # _line_key and _may_be_template inlined (this runs on every line of the corpus)
    # split(None, maxw) stops after maxw + 1 words; a candidate's pieces are its words (casefold commutes, see _line_key)
    return {" ".join(w).casefold() for s in stripped if len(s) >= minc and len(w := s.split(None, maxw)) <= maxw}


def template_counts(docs: Sequence[Document], config: CleanConfig = CleanConfig()) -> Counter[str]:
    """In how many of the ok documents each candidate template line key occurs.

    Counts of batches of a corpus add up to the corpus's counts; pass the sum to
    :func:`select_templates`.
    """
    return _template_counts(docs, config, {})


def select_templates(counts: Counter[str], n_ok: int, config: CleanConfig = CleanConfig()) -> frozenset[str]:
    """The line keys of ``counts`` frequent enough among ``n_ok`` documents to be templates."""
    need = max(config.corpus_line_min_docs, config.corpus_line_min_share * n_ok)
    return frozenset(k for k, c in counts.items() if c >= need)


#: A document with its record header and HTML markup masked: those spans, the masked text, its line split.
_Front = tuple[list[tuple[int, int]], str, tuple[list[str], list[str]]]


def _template_counts(docs: Sequence[Document], config: CleanConfig, fronts: dict[int, _Front]) -> Counter[str]:
    # fronts: filled with each ok document's markup-masked text and its lines (by position in docs)
    # for clean_corpus to reuse
    counts: Counter[str] = Counter()
    for i, doc in enumerate(docs):
        if doc.ok:
            front = fronts[i] = _front(doc)
            counts.update(_template_keys(front[2][1], config))
    return counts


def _front(doc: Document) -> _Front:
    """Mask what is masked before any line rule (the record header, HTML markup) and split the lines.

    An HTML page's lines are those of its tag-masked text, for the template count as for the line
    rules: a raw line mixes markup with the text ("<p class=byline>By Staff ...</p><p>First ...").
    """
    spans = [(0, doc.meta_end)] if doc.meta_end else []
    if doc.html:
        spans.extend(html_spans(doc.text))
    masked = _mask(doc.text, _merge(spans), doc.html) if spans else doc.text
    return spans, masked, _split(masked)


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
    return select_templates(template_counts(docs, config), sum(d.ok for d in docs), config)


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
    hit = _pattern_hits(lines, short, rules) if short else []
    if templates:
        hit += [k for k, line in enumerate(lines) if _may_be_template(line, config) and _line_key(line) in templates]
    if not hit:
        return None
    flags = [False] * len(lines)
    for k in hit:
        flags[k] = True
    return flags


def _clean(doc: Document, config: CleanConfig, templates: frozenset[str], front: _Front | None) -> CleanText:
    text = doc.text
    spans, masked, (raws, stripped) = front if front is not None else _front(doc)
    spans = list(spans)  # extended below with the flagged lines; the front may be a caller's
    lines = [s for s in stripped if s]
    flags = _flags(lines, config, templates)
    title = doc.title
    if flags is None:
        # nothing flagged: the list and caption rules need a flagged line, so they cannot fire
        if title is None and lines:
            title = lines[0]
        return CleanText(id=doc.id, masked=masked, boilerplate=_merge(spans), title=_plain(title, doc.html, config.title_max_chars))
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
    return CleanText(id=doc.id, masked=_mask(text, merged, doc.html) if merged else text, boilerplate=merged, title=_plain(title, doc.html, config.title_max_chars))


def _plain(title: str | None, html: bool, max_chars: int) -> str | None:
    """A title read off the masked text, without the soft hyphens that pad decoded HTML entities,
    cut after at most ``max_chars`` characters at a word boundary (a text without a title line
    would otherwise be its own title)."""
    if html and title:
        title = title.replace(_SOFT_HYPHEN, "")
    if title is None or len(title) <= max_chars:
        return title
    head = title[:max_chars]
    if not title[max_chars].isspace() and " " in head:  # do not cut a word
        head = head.rsplit(None, 1)[0]
    return head.rstrip(" ,;:-–—") + "…"


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
    out = "".join(parts)
    return _ENTITY.sub(_decode_entity, out) if html and "&" in out else out


def _decode_entity(m: re.Match[str]) -> str:
    """An HTML character reference decoded in place, padded to its own length (offsets must not move):
    after a letter with soft hyphens, which the tokeniser keeps inside the word ("M&uuml;ller" is one
    word), else with spaces ("&nbsp;", "&amp;")."""
    ref = m.group()
    char = _html.unescape(ref)
    if char == ref or len(char) > len(ref):
        return ref
    pad = _SOFT_HYPHEN if char.isalnum() else " "
    return char + pad * (len(ref) - len(char))


def masked_text(doc: Document, boilerplate: Sequence[tuple[int, int]]) -> str:
    """``clean(doc).masked`` rebuilt from its ``boilerplate`` spans (the mask depends on nothing else)."""
    return _mask(doc.text, boilerplate, doc.html) if boilerplate else doc.text


def clean_corpus(docs: Sequence[Document], config: CleanConfig = CleanConfig()) -> list[CleanText]:
    """Clean every document, with corpus-frequent template lines found first."""
    fronts: dict[int, _Front] = {}
    templates = select_templates(_template_counts(docs, config, fronts), sum(d.ok for d in docs), config)
    return [_clean(doc, config, templates, fronts.get(i)) for i, doc in enumerate(docs)]
