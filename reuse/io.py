"""Load documents from directories, text files, JSONL, CSV or stdin.

Every input record becomes exactly one :class:`Document`: analysable ones with
``status="ok"``, the rest with ``status="error"`` and a named reason.  Offsets
everywhere in the project index ``Document.text``, the decoded file content.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import heapq
import io
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from reuse.config import LoadConfig
from reuse.errors import InputError

#: The seeds' convention: an optional leading `` date YYYY-MM-DD `` prefix.
_DATE_PREFIX = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\s+")
_DATE_VALUE = re.compile(r"\A\d{4}-\d{2}-\d{2}")
#: Lone surrogates (JSON "\ud800" escapes) cannot be written as UTF-8; replaced one for one so offsets hold.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
#: The JSON escapes that can make a control character, NUL or lone surrogate (one regex pass: four
#: times faster than two substring tests on a long line)
_ESCAPE_UB = re.compile(r"\\[ub]")
#: Control characters that mark binary data (not tab, line feed, form feed or carriage return).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
#: A line between the breaks ``str.splitlines`` knows.
_LINE_PIECE = re.compile("[^\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class Document:
    """One input record.

    Attributes
    ----------
    id : str
        Unique id (file path relative to its directory without ``.txt``, or the record's ``id``).
    text : str
        The decoded text; ``""`` for documents that could not be read.
    status : str
        ``"ok"`` or ``"error"``.
    reason : str
        Why a document is an error, or a note on an ``ok`` one (e.g. an encoding fallback).
    date, title, source : str or None
        Metadata from the record or from the seeds' conventions.
    origin : str
        Where the record came from (``path`` or ``path:line``), for messages.
    meta_end : int
        Length of the metadata prefix (`` date YYYY-MM-DD ``) at the start of ``text``.
    html : bool
        Whether ``text`` is HTML markup (tags are masked by the clean stage).
    """

    id: str
    text: str
    status: str = "ok"
    reason: str = ""
    date: str | None = None
    title: str | None = None
    source: str | None = None
    origin: str = ""
    meta_end: int = 0
    html: bool = False

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def failed(doc_id: str, reason: str, origin: str = "") -> Document:
    """Return an error document that keeps its place in the output."""
    doc_id, origin = meta_text(doc_id), meta_text(origin)
    return Document(id=doc_id, text="", status="error", reason=meta_text(reason), origin=origin or doc_id)


def meta_text(value: str) -> str:
    """``value`` with lone surrogates (a JSON ``"\\ud800"`` escape) replaced by U+FFFD: they cannot be
    written as UTF-8, so a report holding one would fail to encode."""
    return value if _SURROGATE.search(value) is None else _SURROGATE.sub("\ufffd", value)


def display_path(path: str) -> str:
    """A path as ids and messages show it: the bytes of a file name that are not UTF-8 (which
    :func:`os.fsdecode` holds as lone surrogates U+DC80..U+DCFF) as ``\\xNN``, like ``ls -b``.
    Unlike U+FFFD this keeps two such names apart."""
    if _SURROGATE.search(path) is None:
        return path
    return _SURROGATE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}" if "\udc80" <= m.group() <= "\udcff" else "\ufffd", path)


def valid_date(value: str) -> bool:
    """Whether ``value`` is a calendar date ``YYYY-MM-DD``, optionally followed by an ISO 8601 time
    (``2025-11-18T10:00:00Z``); ``2025-13-45`` and ``2025-11-18T99:99 garbage`` are not."""
    if _DATE_VALUE.match(value) is None:
        return False
    try:
        datetime.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _date_note(value: str) -> str:
    return f"ignored date {shown(value)!r} (expected a valid date YYYY-MM-DD, optionally with an ISO 8601 time)"


def decode(data: bytes, config: LoadConfig = LoadConfig()) -> tuple[str | None, str]:
    """Decode file bytes; return ``(text, note)`` or ``(None, error reason)``.

    UTF-8 first (with or without BOM), UTF-16/32 when a BOM says so, otherwise a
    CP1252 fallback that is named in the note.  NUL bytes or a high share of
    control characters mean binary data.
    """
    if not data:
        return None, "empty: the file has no content"
    if len(data) > config.max_bytes:
        return None, f"too large: {len(data)} bytes exceeds the limit of {config.max_bytes} (raise --max-bytes)"
    if not any(data.startswith(bom) for bom, _ in _BOMS) and b"\x00" in data:
        return None, "binary: the file contains NUL bytes (not a text file)"
    text, note = decode_bytes(data)
    if text is None:
        return None, note
    return check_text(text, config, note)


def decode_bytes(data: bytes) -> tuple[str | None, str]:
    """Decode bytes by their byte order mark, else as UTF-8, else as CP1252: ``(text, note)`` or ``(None, reason)``."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                return None, f"undecodable: {encoding} byte order mark but invalid data at byte {exc.start}"
            return text, f"decoded as {encoding.upper()} (byte order mark)" if encoding != "utf-8-sig" else ""
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "decoded as CP1252: the file is not valid UTF-8"


def check_text(text: str, config: LoadConfig = LoadConfig(), note: str = "", plain: bool = False) -> tuple[str | None, str]:
    """Return ``(text, note)`` for analysable text or ``(None, reason)``.

    ``plain`` says the caller knows the text holds no control character, NUL or lone surrogate
    and fits ``max_bytes`` (a JSON string without ``\\u`` or ``\\b`` escapes cannot hold them):
    the byte-level checks are skipped.
    """
    if not text or text.isspace():  # isspace stops at the first visible character; strip() would copy the text
        return None, "empty: the text is only whitespace" if text else "empty: the text has no content"
    if plain:
        return (text, note) if _LETTER_OR_DIGIT.search(text) is not None else (None, "empty: the text has no letters or digits")
    try:
        data = text.encode("utf-8")  # one C pass: finds lone surrogates and gives the size and the bytes to count
    except UnicodeEncodeError:
        text = _SURROGATE.sub("\ufffd", text)
        note = (note + "; " if note else "") + "lone surrogate code points replaced by U+FFFD"
        data = text.encode("utf-8")
    if b"\x00" in data:
        return None, "binary: the text contains NUL characters"
    # the control characters are ASCII, and UTF-8 never uses ASCII bytes inside a multi-byte character
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > config.binary_control_share * len(text):
        return None, f"binary: {controls} of {len(text)} characters are control characters"
    if len(data) > config.max_bytes:
        return None, f"too large: the text exceeds the limit of {config.max_bytes} bytes (raise --max-bytes)"
    if _LETTER_OR_DIGIT.search(text) is None:  # stops at the first letter: one step for any real text
        return None, "empty: the text has no letters or digits"
    return text, note


#: An HTML page's publication date and outlet, as news sites state them for search engines and
#: link previews: Open Graph / article meta tags, and JSON-LD.  The tag attribute that marks each:
_DATE_ATTR = re.compile(
    r"""(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|date|pubdate|publishdate|datePublished|dc\.date)["']""", re.IGNORECASE)
_SITE_ATTR = re.compile(r"""property\s*=\s*["']og:site_name["']""", re.IGNORECASE)
_META_OPEN = re.compile(r"<meta\s", re.IGNORECASE)
_LD_DATE = re.compile(r""""datePublished"\s*:\s*"(\d{4}-\d{2}-\d{2})""", re.IGNORECASE)
_CONTENT = re.compile(r"""\bcontent\s*=\s*(["'])(?P<v>[^"'<>]*)\1""", re.IGNORECASE)


def _meta_tags(text: str, attr: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    """Spans of the ``<meta ...>`` tags holding ``attr``, in text order, in linear time.

    The tags the pattern ``<meta\\s[^>]*?ATTR[^>]*>`` finds, without its retries: as a
    regular expression every ``<meta`` of an unclosed tag scans to the end of the text
    (quadratic on ``"<meta " * n``).  Here an unclosed tag ends the search (no later tag
    closes either), and a tag without ``attr`` is passed whole (a ``<meta`` inside it
    would search the same attributes up to the same ``>``).
    """
    pos = 0
    while (m := _META_OPEN.search(text, pos)) is not None:
        gt = text.find(">", m.end())
        if gt < 0:
            return
        if attr.search(text, m.end(), gt) is not None:
            yield m.start(), gt + 1
        pos = gt + 1


def _date_values(text: str) -> Iterator[str]:
    """The date values of a page in text order: ``content`` of date meta tags, JSON-LD ``datePublished`` days."""
    metas = ((s, e, "") for s, e in _meta_tags(text, _DATE_ATTR))
    lds = ((m.start(), m.end(), m.group(1)) for m in _LD_DATE.finditer(text))
    end = 0
    for start, stop, day in heapq.merge(metas, lds):
        if start < end:  # JSON-LD quoted inside a date tag already read
            continue
        end = stop
        yield day or next((c.group("v") for c in _CONTENT.finditer(text, start, stop)), "")


def html_meta(text: str) -> tuple[str | None, str | None, str]:
    """``(date, source, note)`` of an HTML page: the publication day (``YYYY-MM-DD``) and the site's
    name, from its ``article:published_time`` / ``date`` meta tags or JSON-LD ``datePublished``, and
    ``og:site_name``; ``None`` where the page does not say.  ``note`` names a stated date that is
    not a valid one (``2025-13-45``) when no valid one follows."""
    date = source = None
    invalid = None
    for value in _date_values(text):
        value = value.strip()
        if _DATE_VALUE.match(value) is None:  # some other convention ("Tue, 18 Nov 2025"): not read
            continue
        if valid_date(value):
            date = value[:10]
            break
        invalid = invalid or value
    site = next(_meta_tags(text, _SITE_ATTR), None)
    c = _CONTENT.search(text, *site) if site else None
    if c and c.group("v").strip():
        source = " ".join(c.group("v").split())
    return date, source, _date_note(invalid) if date is None and invalid else ""


def header(text: str, date: str | None = None, title: str | None = None, html: bool = False) -> tuple[str | None, str | None, int, str]:
    """Return ``(date, title, meta_end, note)`` from the seeds' text conventions (see :func:`parse_header`);
    ``note`` names a date prefix that is not a valid date (the prefix is still metadata)."""
    meta_end = 0
    note = ""
    m = _DATE_PREFIX.match(text)
    if m:
        meta_end = m.end()
        if valid_date(m.group(1)):
            date = date or m.group(1)
        else:
            note = _date_note(m.group(1))
    if title is None and not html:  # an HTML file's first line is markup: clean finds its title
        # the first non-blank line, with str.splitlines' line breaks, without splitting the whole text
        for line in _LINE_PIECE.finditer(text, meta_end):
            stripped = line.group().strip()
            if stripped:
                title = stripped
                break
    return date, title, meta_end, note


def parse_header(doc: Document) -> Document:
    """Fill ``date``, ``title`` and ``meta_end`` from the seeds' text conventions.

    A leading `` date YYYY-MM-DD `` prefix gives the date; the first non-empty
    line after it gives the title (unless the record named them already).
    """
    if not doc.ok:
        return doc
    date, title, meta_end, note = header(doc.text, doc.date, doc.title, doc.html)
    return replace(doc, date=date, title=title, meta_end=meta_end, reason="; ".join(r for r in (doc.reason, note) if r))


#: What a path that is not a regular file is, for the reason of its error document.
_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"))


def _not_regular(mode: int) -> str:
    kind = next((name for test, name in _KINDS if test(mode)), "a special file")
    return f"not a regular file: {kind}"


def open_regular(path: str | Path) -> tuple[BinaryIO | None, str]:
    """Open a regular file for reading: ``(file, "")``, or ``(None, reason)`` for anything else.

    FIFOs, devices and sockets are refused without reading them: opening a FIFO
    waits for a writer that may never come, and a device may never end
    (``/dev/zero``).  The file is opened without blocking and checked again
    after opening, so a path swapped for a FIFO in between is refused too.
    """
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            return None, _not_regular(mode)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return None, f"unreadable: {exc.strerror or exc}"
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        return None, _not_regular(mode)
    return os.fdopen(fd, "rb"), ""


def read_bounded(path: str | Path, limit: int | None) -> tuple[bytes | None, str]:
    """The bytes of a regular file, at most ``limit``: ``(data, "")`` or ``(None, reason)``.

    The size the file system states is not trusted (``/proc`` files state 0, a
    file may grow while it is read): at most ``limit + 1`` bytes are read, and
    more than ``limit`` is ``too large``.  ``limit=None`` reads to the end (a
    regular file ends).
    """
    fh, reason = open_regular(path)
    if fh is None:
        return None, reason
    try:
        with fh:
            size = os.fstat(fh.fileno()).st_size
            if limit is not None and size > limit:
                return None, f"too large: {size} bytes exceeds the limit of {limit} (raise --max-bytes)"
            data = fh.read() if limit is None else fh.read(limit + 1)
    except OSError as exc:
        return None, f"unreadable: {exc.strerror or exc}"
    if limit is not None and len(data) > limit:
        return None, f"too large: more than {limit} bytes, the limit (raise --max-bytes)"
    return data, ""


def _read_file(path: Path, doc_id: str, config: LoadConfig, origin: str) -> Document:
    data, reason = read_bounded(path, config.max_bytes)
    if data is None:
        return failed(doc_id, reason, origin)
    text, note = decode(data, config)
    if text is None:
        return failed(doc_id, note, origin)
    html = path.suffix.lower() in HTML_SUFFIXES
    date, source, date_note = html_meta(text) if html else (None, None, "")
    note = "; ".join(r for r in (note, date_note) if r)
    return parse_header(Document(id=doc_id, text=text, reason=note, origin=origin, html=html, date=date, source=source))


def _walk_texts(root: Path) -> Iterator[tuple[Path, str]]:
    """Yield ``(path, error)`` for the ``*.txt`` files below ``root`` in sorted order, following
    directory links once; ``error`` is empty, or says why a subdirectory could not be listed
    (its path is then yielded so the loss shows in the output as an error document)."""
    seen: set[str] = set()
    stack = [root]
    found: list[tuple[Path, str]] = []
    while stack:
        directory = stack.pop()
        real = os.path.realpath(directory)
        if real in seen:  # a symlink loop or a second link to the same directory
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            if directory == root:
                raise InputError(f"{display_path(str(root))}: cannot read the directory: {exc.strerror or exc}") from None
            found.append((directory, f"unreadable: cannot list the directory: {exc.strerror or exc}"))
            continue
        subdirs = []
        for entry in entries:
            p = Path(entry.path)
            try:
                if entry.is_dir():
                    subdirs.append(p)
                elif entry.name.lower().endswith(TEXT_SUFFIXES):
                    found.append((p, ""))
            except OSError:
                found.append((p, ""))  # reported as unreadable by _read_file
        # visit subdirectories in name order: of two paths to one directory the first by name gives the ids
        stack.extend(reversed(subdirs))
    yield from sorted(found)


def _from_record(record: object, fallback_id: str, origin: str, config: LoadConfig, plain: bool = False) -> Document:
    if not isinstance(record, dict):
        return failed(fallback_id, "malformed record: expected a JSON object with 'id' and 'text'", origin)
    try:
        doc_id = record.get("id")
        doc_id = fallback_id if doc_id is None or doc_id == "" else str(doc_id)
        text = record.get("text")
        if not isinstance(text, str):
            return failed(doc_id, "malformed record: no 'text' string", origin)
        checked, note = check_text(text, config, plain=plain)
        if checked is None:
            return failed(doc_id, note, origin)
        fields = {key: None if (v := record.get(key)) is None or v == "" else str(v) for key in ("date", "title", "source")}
    except RecursionError:  # str() of a value nested nearly as deep as the parser allows
        return failed(fallback_id, "malformed record: a value is nested too deeply", origin)
    # metadata is sanitised where it enters: lone surrogates cannot be written as UTF-8
    clean = {key: None if v is None else meta_text(v) for key, v in fields.items()}
    safe_id = meta_text(doc_id)
    if safe_id != doc_id or clean != fields:
        note = (note + "; " if note else "") + "lone surrogate code points in metadata replaced by U+FFFD"
    date = clean["date"]
    if date is not None and not valid_date(date):
        note = (note + "; " if note else "") + _date_note(date)
        date = None
    date, title, meta_end, date_note = header(checked, date, clean["title"])
    note = "; ".join(r for r in (note, date_note) if r)
    return Document(id=safe_id, text=checked, reason=note, date=date, title=title, source=clean["source"], origin=meta_text(origin), meta_end=meta_end)


def from_record(record: object, fallback_id: str, origin: str, config: LoadConfig = LoadConfig()) -> Document:
    """One record (a JSON object, a Parquet row as a dict with ``id``, ``text`` and optional
    ``date``, ``title``, ``source``) as a document; ``fallback_id`` names it when it has no id."""
    return _from_record(record, fallback_id, origin, config)


def _line_record(line: str, note: str, lineno: int, name: str, stem: str, config: LoadConfig) -> Document | None:
    """The document of one JSONL line (``None`` for a blank line): every failure is this record's error."""
    if not line or line.isspace():
        return None
    origin, fallback = f"{name}:{lineno}", f"{stem}:{lineno}"
    # JSON strings cannot hold raw control characters: only \u and \b escapes make them (and NUL, and lone
    # surrogates); without those, and small enough even at 4 bytes a character, the text needs no byte-level check
    plain = _ESCAPE_UB.search(line) is None and 4 * len(line) <= config.max_bytes
    try:
        doc = _from_record(json.loads(line), fallback, origin, config, plain)
    except json.JSONDecodeError as exc:
        if "\x00" in line:  # a raw NUL is never JSON: it makes the record binary, not the file
            return failed(_record_id(line) or fallback, "binary: the line contains NUL bytes", origin)
        return failed(fallback, f"malformed JSON line: {exc.msg} at column {exc.colno}", origin)
    except RecursionError:
        return failed(fallback, "malformed JSON line: nested too deeply", origin)
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        return failed(fallback, "malformed JSON line: " + " ".join(str(exc).split(";")[0].split()), origin)
    return replace(doc, reason="; ".join(r for r in (note, doc.reason) if r)) if note and doc.ok else doc


def _record_id(line: str) -> str | None:
    """The ``id`` of a JSON line read leniently (control characters allowed in strings), if it has one."""
    try:
        record = json.loads(line, strict=False)
    except (ValueError, RecursionError):
        return None
    doc_id = record.get("id") if isinstance(record, dict) else None
    return None if doc_id is None or doc_id == "" else str(doc_id)


#: Byte order marks that make a JSONL input one text to decode as a whole (UTF-16/32 lines are not byte lines).
_WIDE_BOMS = tuple((bom, enc) for bom, enc in _BOMS if enc != "utf-8-sig")


def read_jsonl(fh: BinaryIO, name: str, config: LoadConfig = LoadConfig(), first_line: int = 1) -> Iterator[Document]:
    """Parse JSONL from a binary stream, a line at a time (memory bounded by the longest line).

    The one reader of JSONL files and stdin, in memory and streamed.  Each
    line is decoded on its own: UTF-8 (a leading UTF-8 byte order mark
    skipped), else CP1252 with a note on that record.  A line longer than
    ``max_bytes * line_bytes_factor`` is a ``too large`` record (it is skipped
    without being held), a line with a NUL byte is ``binary``, one that is not
    JSON is ``malformed JSON line``: every non-blank line is one document.  A
    UTF-16/32 byte order mark needs the whole input: it is decoded at once
    and then split into lines.

    ``fh`` may start at line ``first_line`` of the file ``name`` (a byte range of
    it that a worker reads, see :mod:`reuse.partitions`): its lines are numbered
    from there, and byte order marks are looked for only at the file's start.
    """
    stem = Path(name).stem if name != "-" else "stdin"
    limit = config.max_bytes * config.line_bytes_factor
    first = fh.readline(limit + 1)
    # FF FE 00 00 opens UTF-32-LE, or UTF-16-LE text whose first character is NUL: each is tried
    wides = [enc for bom, enc in _WIDE_BOMS if first.startswith(bom)] if first_line == 1 else []
    if wides:
        data = first + fh.read()
        errors = []
        for wide in wides:
            try:
                text = data.decode(wide)
                break
            except UnicodeDecodeError as exc:
                errors.append(f"undecodable: {wide} byte order mark but invalid data at byte {exc.start}")
        else:
            yield failed(stem, errors[0], name)
            return
        note = f"decoded as {wide.upper()} (byte order mark)"
        for lineno, line in enumerate(text.split("\n"), 1):
            too_long = len(line) > limit
            doc = failed(f"{stem}:{lineno}", f"too large: the line exceeds {limit} bytes", f"{name}:{lineno}") if too_long else _line_record(line, note, lineno, name, stem, config)
            if doc is not None:
                yield doc
        return
    if first_line == 1 and first.startswith(codecs.BOM_UTF8):
        first = first[len(codecs.BOM_UTF8) :]
        if len(first) == limit + 1 - len(codecs.BOM_UTF8) and not first.endswith(b"\n"):  # the mark took part of the read
            first += fh.readline(len(codecs.BOM_UTF8))
    raw: bytes | None = first
    lineno = first_line - 1
    while raw:
        lineno += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line, a piece at a time
                raw = fh.readline(1 << 20)
            yield failed(f"{stem}:{lineno}", f"too large: the line exceeds {limit} bytes", f"{name}:{lineno}")
        else:
            raw = raw.removesuffix(b"\n")
            try:
                line, note = raw.decode("utf-8"), ""
            except UnicodeDecodeError:
                line, note = raw.decode("cp1252", errors="replace"), "decoded as CP1252: the line is not valid UTF-8"
            doc = _line_record(line, note, lineno, name, stem, config)
            if doc is not None:
                yield doc
        raw = fh.readline(limit + 1)


def _binary_stdin(stream: object) -> BinaryIO:
    """The byte stream under a text stream (``sys.stdin``, click's), or its text encoded as UTF-8."""
    raw = getattr(stream, "buffer", None)
    if raw is not None:
        return raw  # type: ignore[no-any-return]
    if isinstance(stream, (io.RawIOBase, io.BufferedIOBase)):
        return stream  # type: ignore[return-value]
    return io.BytesIO(stream.read().encode("utf-8", "surrogatepass"))  # type: ignore[attr-defined]


def shown(value: str, width: int = 40) -> str:
    """``value`` for a one-line message: whitespace runs as one space, control characters dropped, shortened to ``width``."""
    value = " ".join(value[: width * 4].split())
    value = "".join(c for c in value if c.isprintable())
    return value if len(value) <= width else value[: width - 1] + "…"


def _read_csv(path: Path, config: LoadConfig, name: str) -> Iterator[Document]:
    """One document per CSV row; a row that cannot be used is that row's error, not the file's.

    ``name`` is the path as ids and messages show it (:func:`display_path`).
    """
    stem = Path(name).stem
    data, reason = read_bounded(path, None)
    if data is None:
        yield failed(stem, reason, name)
        return
    if not data:
        yield failed(stem, "empty: the file has no content", name)
        return
    text, note = decode_bytes(data)
    if text is None:
        yield failed(stem, note, name)
        return
    reader = csv.DictReader(io.StringIO(text, newline=""))
    old_limit = csv.field_size_limit()
    # no field can be longer than the file; a text over max_bytes is that row's `too large`
    csv.field_size_limit(max(old_limit, len(text) + 1))
    try:
        columns = reader.fieldnames or []
        if "text" not in columns:
            listed = ", ".join(repr(shown(c, 30)) for c in columns[:8]) + (f", … ({len(columns)} columns)" if len(columns) > 8 else "")
            raise InputError(f"{name}: CSV has no 'text' column (columns: {listed or 'none'}); rename the text column to 'text'")
        rowno = 1
        try:
            for rowno, row in enumerate(reader, 2):
                yield _csv_record(row, f"{stem}:{rowno}", f"{name}:{rowno}", config, note)
        except csv.Error as exc:
            yield failed(f"{stem}:{rowno + 1}", f"malformed CSV: {shown(str(exc), 80)}; the rows after {rowno} were not read", f"{name}:{rowno + 1}")
    finally:
        csv.field_size_limit(old_limit)


def _csv_record(row: dict[str | None, object], fallback_id: str, origin: str, config: LoadConfig, note: str) -> Document:
    cells = [v for v in row.values() if isinstance(v, str)] + [c for v in row.values() if isinstance(v, list) for c in v]
    if any("\x00" in c for c in cells):  # a NUL byte makes the row binary, not the file
        doc_id = row.get("id")
        return failed(doc_id if isinstance(doc_id, str) and doc_id and "\x00" not in doc_id else fallback_id, "binary: the row contains NUL characters", origin)
    doc = _from_record(row, fallback_id, origin, config)
    return replace(doc, reason="; ".join(r for r in (note, doc.reason) if r)) if note and doc.ok else doc


def iter_path(path: str, config: LoadConfig = LoadConfig(), stdin: io.TextIOBase | None = None) -> Iterator[Document]:
    """Yield the documents of one input path (``-`` reads JSONL from stdin).

    JSONL is read a line at a time (:func:`read_jsonl`), so memory does not grow with the file.
    """
    if path == "-":
        yield from read_jsonl(_binary_stdin(stdin if stdin is not None else sys.stdin), "-", config)
        return
    p = Path(path)
    shown_path = display_path(path)  # ids and messages: a file name's undecodable bytes as \\xNN
    if not os.path.lexists(p):
        raise InputError(f"{shown_path}: no such file or directory")
    if p.is_dir():
        files = list(_walk_texts(p))
        if not files:
            raise InputError(f"{shown_path}: the directory holds no .txt files")
        for f, error in files:
            rel, origin = display_path(f.relative_to(p).as_posix()), display_path(str(f))
            if error:
                yield failed(rel + "/", error, origin)
                continue
            yield _read_file(f, rel[: -len(".txt")] if rel.lower().endswith(".txt") else rel, config, origin)
        return
    suffix = p.suffix.lower()
    stem = Path(shown_path).stem
    if suffix == ".jsonl":
        fh, reason = open_regular(p)
        if fh is None:
            yield failed(stem, reason, shown_path)
            return
        with fh:
            try:
                yield from read_jsonl(fh, shown_path, config)
            except OSError as exc:  # a read error part way: the records before it are kept
                yield failed(stem, f"unreadable: {exc.strerror or exc}", shown_path)
    elif suffix == ".csv":
        yield from _read_csv(p, config, shown_path)
    else:
        # a link that cannot be followed (a loop, a dangling target) is reported as unreadable
        yield _read_file(p, stem if suffix in TEXT_SUFFIXES else Path(shown_path).name, config, shown_path)


def dedupe_ids(docs: Iterable[Document]) -> Iterator[Document]:
    """Mark documents whose id was already used; they stay in the output as errors."""
    seen: dict[str, str] = {}
    for doc in docs:
        if doc.id in seen:
            yield failed(f"{doc.id}#{doc.origin}", f"duplicate id {doc.id!r}: already used by {seen[doc.id]}", doc.origin)
            continue
        seen[doc.id] = doc.origin or doc.id
        yield doc


def iter_paths(paths: Iterable[str], config: LoadConfig = LoadConfig(), stdin: io.TextIOBase | None = None) -> Iterator[Document]:
    """Yield the documents of several paths, with unique ids."""
    paths = list(paths)
    for path in paths:  # reject missing paths before reading anything
        if path != "-" and not os.path.lexists(path):
            raise InputError(f"{display_path(path)}: no such file or directory")
    yield from dedupe_ids(doc for path in paths for doc in iter_path(path, config, stdin))


def load_paths(paths: Iterable[str] | str, config: LoadConfig = LoadConfig(), stdin: io.TextIOBase | None = None) -> list[Document]:
    """Load every document of ``paths``.

    Parameters
    ----------
    paths : iterable of str
        Directories, ``.txt``/``.html`` files, ``.jsonl`` or ``.csv`` files, or ``-`` for JSONL on stdin.
    config : LoadConfig
        Size limits and binary detection.

    Returns
    -------
    list of Document
        One per input record, in input order; unreadable ones have ``status="error"``.

    Raises
    ------
    InputError
        A path does not exist, a directory holds no texts, or a CSV has no ``text`` column.
    """
    if isinstance(paths, (str, os.PathLike)):
        raise InputError("load_paths expects a list of paths, not a single string; wrap it: load_paths([path])")
    return list(iter_paths([str(p) for p in paths], config, stdin))


def documents_from_texts(texts: dict[str, str] | Iterable[tuple[str, str]], config: LoadConfig = LoadConfig()) -> list[Document]:
    """Build documents from ``{id: text}`` (for library use and tests)."""
    items = texts.items() if isinstance(texts, dict) else texts
    if isinstance(items, str):
        raise InputError("expected a mapping of id to text, not a single string")
    docs = (_from_record({"id": i, "text": t}, str(i), str(i), config) for i, t in items)
    return list(dedupe_ids(docs))
