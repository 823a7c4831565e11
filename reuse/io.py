"""Load documents from directories, text files, JSONL, CSV or stdin.

Every input record becomes exactly one :class:`Document`: analysable ones with
``status="ok"``, the rest with ``status="error"`` and a named reason.  Offsets
everywhere in the project index ``Document.text``, the decoded file content.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
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
    extra: dict[str, object] = field(default_factory=dict, compare=False)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def failed(doc_id: str, reason: str, origin: str = "") -> Document:
    """Return an error document that keeps its place in the output."""
    return Document(id=doc_id, text="", status="error", reason=reason, origin=origin or doc_id)


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
    note = ""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                return None, f"undecodable: {encoding} byte order mark but invalid data at byte {exc.start}"
            note = f"decoded as {encoding.upper()} (byte order mark)" if encoding != "utf-8-sig" else ""
            break
    else:
        if b"\x00" in data:
            return None, "binary: the file contains NUL bytes (not a text file)"
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            note = "decoded as CP1252: the file is not valid UTF-8"
    return check_text(text, config, note)


def check_text(text: str, config: LoadConfig = LoadConfig(), note: str = "") -> tuple[str | None, str]:
    """Return ``(text, note)`` for analysable text or ``(None, reason)``."""
    if not text or text.isspace():  # isspace stops at the first visible character; strip() would copy the text
        return None, "empty: the text is only whitespace" if text else "empty: the text has no content"
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
#: link previews: Open Graph / article meta tags, and JSON-LD.
_HTML_DATE = re.compile(
    r"""<meta\s[^>]*?(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|date|pubdate|publishdate|datePublished|dc\.date)["'][^>]*>"""
    r"""|"datePublished"\s*:\s*"(?P<ld>\d{4}-\d{2}-\d{2})""", re.IGNORECASE)
_HTML_SITE = re.compile(r"""<meta\s[^>]*?property\s*=\s*["']og:site_name["'][^>]*>""", re.IGNORECASE)
_CONTENT = re.compile(r"""\bcontent\s*=\s*(["'])(?P<v>[^"'<>]*)\1""", re.IGNORECASE)


def html_meta(text: str) -> tuple[str | None, str | None]:
    """``(date, source)`` of an HTML page: the publication day (``YYYY-MM-DD``) and the site's name,
    from its ``article:published_time`` / ``date`` meta tags or JSON-LD ``datePublished``, and
    ``og:site_name``; ``None`` where the page does not say."""
    date = source = None
    for m in _HTML_DATE.finditer(text):
        value = m.group("ld") or next((c.group("v") for c in _CONTENT.finditer(m.group())), "")
        day = _DATE_VALUE.match(value.strip())
        if day:
            date = day.group()
            break
    m = _HTML_SITE.search(text)
    c = _CONTENT.search(m.group()) if m else None
    if c and c.group("v").strip():
        source = " ".join(c.group("v").split())
    return date, source


def header(text: str, date: str | None = None, title: str | None = None, html: bool = False) -> tuple[str | None, str | None, int]:
    """Return ``(date, title, meta_end)`` from the seeds' text conventions (see :func:`parse_header`)."""
    meta_end = 0
    m = _DATE_PREFIX.match(text)
    if m:
        meta_end = m.end()
        date = date or m.group(1)
    if title is None and not html:  # an HTML file's first line is markup: clean finds its title
        # the first non-blank line, with str.splitlines' line breaks, without splitting the whole text
        for line in _LINE_PIECE.finditer(text, meta_end):
            stripped = line.group().strip()
            if stripped:
                title = stripped
                break
    return date, title, meta_end


def parse_header(doc: Document) -> Document:
    """Fill ``date``, ``title`` and ``meta_end`` from the seeds' text conventions.

    A leading `` date YYYY-MM-DD `` prefix gives the date; the first non-empty
    line after it gives the title (unless the record named them already).
    """
    if not doc.ok:
        return doc
    date, title, meta_end = header(doc.text, doc.date, doc.title, doc.html)
    return replace(doc, date=date, title=title, meta_end=meta_end)


def _read_file(path: Path, doc_id: str, config: LoadConfig) -> Document:
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > config.max_bytes:
            return failed(doc_id, f"too large: {size} bytes exceeds the limit of {config.max_bytes} (raise --max-bytes)", origin)
        data = path.read_bytes()
    except OSError as exc:
        return failed(doc_id, f"unreadable: {exc.strerror or exc}", origin)
    text, note = decode(data, config)
    if text is None:
        return failed(doc_id, note, origin)
    html = path.suffix.lower() in HTML_SUFFIXES
    date, source = html_meta(text) if html else (None, None)
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
                raise InputError(f"{root}: cannot read the directory: {exc.strerror or exc}") from None
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


def _from_record(record: object, fallback_id: str, origin: str, config: LoadConfig) -> Document:
    if not isinstance(record, dict):
        return failed(fallback_id, "malformed record: expected a JSON object with 'id' and 'text'", origin)
    doc_id = record.get("id")
    doc_id = fallback_id if doc_id is None or doc_id == "" else str(doc_id)
    text = record.get("text")
    if not isinstance(text, str):
        return failed(doc_id, "malformed record: no 'text' string", origin)
    checked, note = check_text(text, config)
    if checked is None:
        return failed(doc_id, note, origin)

    def meta(key: str) -> str | None:
        value = record.get(key)
        return None if value is None or value == "" else str(value)

    date = meta("date")
    if date is not None and not _DATE_VALUE.match(date):
        note = (note + "; " if note else "") + f"ignored date {date!r} (expected YYYY-MM-DD)"
        date = None
    date, title, meta_end = header(checked, date, meta("title"))
    return Document(id=doc_id, text=checked, reason=note, date=date, title=title, source=meta("source"), origin=origin, meta_end=meta_end)


def from_record(record: object, fallback_id: str, origin: str, config: LoadConfig = LoadConfig()) -> Document:
    """One record (a JSON object, a CSV or Parquet row as a dict with ``id``, ``text`` and optional
    ``date``, ``title``, ``source``) as a document; ``fallback_id`` names it when it has no id."""
    return _from_record(record, fallback_id, origin, config)


def _read_jsonl(lines: Iterable[tuple[str, str]], name: str, config: LoadConfig, first_line: int = 1) -> Iterator[Document]:
    """Parse ``(line, decoding note)`` pairs numbered from ``first_line``; the note is added to the reason of each analysable record."""
    stem = Path(name).stem if name != "-" else "stdin"
    for lineno, (line, note) in enumerate(lines, first_line):
        if not line.strip():
            continue
        origin = f"{name}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield failed(f"{stem}:{lineno}", f"malformed JSON line: {exc.msg} at column {exc.colno}", origin)
            continue
        doc = _from_record(record, f"{stem}:{lineno}", origin, config)
        yield replace(doc, reason="; ".join(r for r in (note, doc.reason) if r)) if note and doc.ok else doc


def _jsonl_bytes(data: bytes, name: str, config: LoadConfig) -> Iterator[Document]:
    """Decode a whole JSONL input like a text file (BOMs, CP1252 fallback noted on every record), then parse it."""
    stem = Path(name).stem if name != "-" else "stdin"
    if not data.strip():
        return  # no records: nothing to report (an empty stdin or file)
    # the size limit applies per record, not to the file as a whole
    text, note = decode(data, replace(config, max_bytes=max(config.max_bytes, len(data))))
    if text is None:
        yield failed(stem, f"unreadable JSONL: {note}", name)
        return
    # split on "\n" only: JSON strings may hold U+2028 or other characters str.splitlines() breaks at
    yield from _read_jsonl(((line, note) for line in text.split("\n")), name, config)


def read_jsonl(fh: BinaryIO, name: str, config: LoadConfig = LoadConfig(), first_line: int = 1) -> Iterator[Document]:
    """Parse JSONL a line at a time (memory bounded by the longest line).

    Each line is decoded on its own: UTF-8, else CP1252 with a note on that record
    (the whole-file reader notes every record of a file that is not valid UTF-8).
    A UTF-16/32 byte order mark needs the whole file: it is read by the whole-file reader.
    ``fh`` may start at line ``first_line`` of the file ``name`` (a part of it that a
    worker reads, see :mod:`reuse.partitions`): lines are numbered from there, and only
    the file's first line may carry a byte order mark.
    """

    def lines() -> Iterator[tuple[str, str]]:
        for k, raw in enumerate(fh):
            if k == 0 and first_line == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                yield raw.decode("utf-8").removesuffix("\n"), ""
            except UnicodeDecodeError:
                yield raw.decode("cp1252", errors="replace").removesuffix("\n"), "decoded as CP1252: the line is not valid UTF-8"

    head = fh.peek(4)[:4] if hasattr(fh, "peek") and first_line == 1 else b""
    if any(head.startswith(bom) for bom, enc in _BOMS if enc != "utf-8-sig"):
        yield from _jsonl_bytes(fh.read(), name, config)
        return
    yield from _read_jsonl(lines(), name, config, first_line)


def _read_csv(path: Path, config: LoadConfig) -> Iterator[Document]:
    data = path.read_bytes()
    text, note = decode(data, replace(config, max_bytes=max(config.max_bytes, len(data))))
    if text is None:
        raise InputError(f"{path}: cannot read CSV ({note})")
    csv.field_size_limit(max(config.max_bytes, 1 << 20))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = reader.fieldnames or []
    if "text" not in columns:
        raise InputError(f"{path}: CSV has no 'text' column (columns: {', '.join(columns) or 'none'}); rename the text column to 'text'")
    try:
        for rowno, row in enumerate(reader, 2):
            yield _from_record(row, f"{path.stem}:{rowno}", f"{path}:{rowno}", config)
    except csv.Error as exc:
        raise InputError(f"{path}: malformed CSV: {exc}") from exc


def iter_path(path: str, config: LoadConfig = LoadConfig(), stdin: io.TextIOBase | None = None, stream_jsonl: bool = False) -> Iterator[Document]:
    """Yield the documents of one input path (``-`` reads JSONL from stdin).

    With ``stream_jsonl`` JSONL is read a line at a time (see :func:`read_jsonl`)
    instead of decoded as a whole, so memory does not grow with the file.
    """
    if path == "-":
        stream = stdin if stdin is not None else sys.stdin
        raw = getattr(stream, "buffer", None)
        if raw is not None:  # read bytes: invalid UTF-8 on stdin must not end in a traceback
            yield from read_jsonl(raw, "-", config) if stream_jsonl else _jsonl_bytes(raw.read(), "-", config)
        else:
            yield from _read_jsonl(((line, "") for line in stream), "-", config)
        return
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file or directory")
    if p.is_dir():
        files = list(_walk_texts(p))
        if not files:
            raise InputError(f"{path}: the directory holds no .txt files")
        for f, error in files:
            rel = f.relative_to(p).as_posix()
            if error:
                yield failed(rel + "/", error, str(f))
                continue
            yield _read_file(f, rel[: -len(".txt")] if rel.lower().endswith(".txt") else rel, config)
        return
    suffix = p.suffix.lower()
    if suffix == ".jsonl":
        try:
            if stream_jsonl:
                with p.open("rb") as fh:
                    yield from read_jsonl(fh, str(p), config)
                return
            data = p.read_bytes()
        except OSError as exc:
            yield failed(p.stem, f"unreadable: {exc.strerror or exc}", str(p))
            return
        yield from _jsonl_bytes(data, str(p), config)
    elif suffix == ".csv":
        yield from _read_csv(p, config)
    else:
        yield _read_file(p, p.stem if suffix in TEXT_SUFFIXES else p.name, config)


def dedupe_ids(docs: Iterable[Document]) -> Iterator[Document]:
    """Mark documents whose id was already used; they stay in the output as errors."""
    seen: dict[str, str] = {}
    for doc in docs:
        if doc.id in seen:
            yield failed(f"{doc.id}#{doc.origin}", f"duplicate id {doc.id!r}: already used by {seen[doc.id]}", doc.origin)
            continue
        seen[doc.id] = doc.origin or doc.id
        yield doc


def iter_paths(paths: Iterable[str], config: LoadConfig = LoadConfig(), stdin: io.TextIOBase | None = None, stream_jsonl: bool = False) -> Iterator[Document]:
    """Yield the documents of several paths, with unique ids (``stream_jsonl``: see :func:`iter_path`)."""
    paths = list(paths)
    for path in paths:  # reject missing paths before reading anything
        if path != "-" and not Path(path).exists():
            raise InputError(f"{path}: no such file or directory")
    yield from dedupe_ids(doc for path in paths for doc in iter_path(path, config, stdin, stream_jsonl))


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
