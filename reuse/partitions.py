"""What a cluster reads: a scan's inputs cut into partitions that workers load on their own.

A partition is

* a byte range of a JSONL file, cut at line starts (:class:`JsonlRange`): a line belongs to
  the range its first byte lies in, so every line is read once whatever the cuts;
* a whole ``.jsonl.gz`` file (gzip cannot be entered part way: one partition per file);
* row groups of a Parquet file (:class:`ParquetRows`; columns ``id``, ``text`` and optionally
  ``date``, ``title``, ``source``, as in JSONL);
* a whole local path read by :func:`reuse.io.iter_path` (:class:`WholePath`): a directory of
  texts, a ``.txt``/``.html``/``.csv`` file, or JSONL with a UTF-16/32 byte order mark.

Paths are local paths or fsspec URLs (``file://``, ``s3://``, ...) that every worker can
read.  Records keep the ids, origins (``path:line``) and reasons the local readers give
them: a JSONL line is numbered in its whole file (:func:`newlines` counts the lines of the
ranges before it), a Parquet row by its position in the file.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from reuse.config import LoadConfig
from reuse.errors import InputError
from reuse.io import Document, display_path, from_record, iter_path, read_jsonl

#: Byte order marks of UTF-16/32: such JSONL is decoded as one text, so it is not cut.
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: Columns of a Parquet input that make a record (``text`` is required).
PARQUET_COLUMNS = ("id", "text", "date", "title", "source")
#: Bytes read at a time when a range's lines are counted.
_COUNT_CHUNK = 16 * 2**20


@dataclass(frozen=True)
class JsonlRange:
    """Lines of a JSONL file whose first byte lies in ``[start, stop)``; the whole (gzip) file when ``gzip``."""

    url: str
    name: str
    start: int
    stop: int
    gzip: bool = False

    def documents(self, config: LoadConfig, lines_before: int) -> Iterator[Document]:
        """The documents of the range; ``lines_before`` is the number of line breaks before ``start``."""
        import fsspec

        if self.gzip:
            with fsspec.open(self.url, "rb", compression="gzip") as fh:
                yield from read_jsonl(fh, self.name, config)
            return
        with fsspec.open(self.url, "rb") as fh:
            first = lines_before + 1
            if self.start > 0:
                fh.seek(self.start - 1)
                if fh.read(1) != b"\n":  # the range opens inside a line: it is the previous range's
                    fh.readline()
                    first += 1
            begin = fh.tell()
            if begin >= self.stop:
                return
            end = self.stop
            fh.seek(self.stop - 1)
            if fh.read(1) != b"\n":  # the last line starting in the range runs on past it
                fh.readline()
                end = fh.tell()
            fh.seek(begin)
            block = fh.read(end - begin)
        yield from read_jsonl(io.BufferedReader(io.BytesIO(block)), self.name, config, first_line=first)


@dataclass(frozen=True)
class ParquetRows:
    """Row groups ``groups`` of a Parquet file, whose first row is row ``first_row`` (from 0) of the file."""

    url: str
    name: str
    groups: tuple[int, ...]
    first_row: int
    columns: tuple[str, ...]

    def documents(self, config: LoadConfig, lines_before: int = 0) -> Iterator[Document]:
        import fsspec
        import pyarrow.parquet as pq

        stem = _stem(self.name)
        with fsspec.open(self.url, "rb") as fh:
            table = pq.ParquetFile(fh).read_row_groups(list(self.groups), columns=list(self.columns))
        for k, record in enumerate(table.to_pylist(), self.first_row + 1):
            yield from_record(record, f"{stem}:{k}", f"{self.name}:{k}", config)


@dataclass(frozen=True)
class WholePath:
    """A local path read whole by the local reader (:func:`reuse.io.iter_path`).

    Workers read ``path`` (absolute: their working directory is not the client's); the
    documents' origins name it as the user gave it (``name``), as the local engine does.
    """

    path: str
    name: str

    def documents(self, config: LoadConfig, lines_before: int = 0) -> Iterator[Document]:
        shown = display_path(self.path)
        for doc in iter_path(self.path, config):
            if self.name != shown and doc.origin.startswith(shown):
                doc = replace(doc, origin=self.name + doc.origin[len(shown) :])
            yield doc


Partition = JsonlRange | ParquetRows | WholePath


def _stem(name: str) -> str:
    return Path(name).stem


def _is_url(path: str) -> bool:
    return "://" in path


def _expand(path: str) -> list[str]:
    """A URL with a wildcard (``s3://news/2025-*.jsonl``) as its files in name order (a shell expands local ones)."""
    if not _is_url(path) or not any(c in path for c in "*?["):
        return [path]
    import fsspec

    fs, pattern = fsspec.core.url_to_fs(path)
    found = sorted(fs.glob(pattern))
    if not found:
        raise InputError(f"{path}: no file matches")
    scheme = path.split("://", 1)[0]
    return [f if "://" in f else f"{scheme}://{f}" for f in found]


def plan(paths: Sequence[str], partition_bytes: int) -> list[Partition]:
    """Cut the inputs into partitions of about ``partition_bytes`` of input each, in input order.

    Raises
    ------
    InputError
        A path does not exist, is standard input, is a URL of a kind only local paths may be
        (a directory, ``.txt``, ``.csv``), or is a Parquet file without a ``text`` column.
    """
    import fsspec

    if isinstance(paths, (str, bytes)):
        raise InputError("expected a list of paths, not a single string; wrap it: [path]")
    paths = [p for path in paths for p in _expand(path)]
    out: list[Partition] = []
    for path in paths:  # every path is checked before any is read, as the local reader does
        if path == "-":
            raise InputError("the dask engine reads files every worker can reach, not standard input; write the JSONL to a file")
        fs, local = fsspec.core.url_to_fs(path)
        if not (fs.exists(local) if _is_url(path) else os.path.lexists(path)):  # a dangling link is the reader's to report
            raise InputError(f"{display_path(path)}: no such file or directory")
    for path in paths:
        fs, local = fsspec.core.url_to_fs(path)
        url = path if _is_url(path) else os.path.abspath(path)
        name = display_path(path)  # as the local reader names it in ids and origins
        lower = local.lower()
        if lower.endswith(".jsonl"):
            size = fs.size(local)
            with fs.open(local, "rb") as fh:
                head = fh.read(4)
            # UTF-16/32 is decoded as one text: such a file is not cut
            step = size if any(head.startswith(b) for b in _WIDE_BOMS) else max(1, partition_bytes)
            out.extend(JsonlRange(url, name, lo, min(size, lo + step)) for lo in range(0, size, step))
        elif lower.endswith(".jsonl.gz"):
            out.append(JsonlRange(url, name, 0, -1, gzip=True))
        elif lower.endswith((".parquet", ".pq")):
            out.extend(_parquet_parts(fs, local, url, name, partition_bytes))
        elif _is_url(path):
            raise InputError(f"{path}: a URL must name a .jsonl, .jsonl.gz or .parquet file (directories and other files are read from local paths)")
        else:
            # the local reader's origins: a directory's files as joined paths, a file as given
            out.append(WholePath(os.path.abspath(path), display_path(str(Path(path)) if os.path.isdir(path) else path)))
    return out


def _parquet_parts(fs: object, local: str, url: str, name: str, partition_bytes: int) -> list[Partition]:
    import pyarrow.parquet as pq

    try:
        with fs.open(local, "rb") as fh:  # type: ignore[attr-defined]
            meta = pq.ParquetFile(fh).metadata
    except Exception as exc:  # pyarrow raises several types for a file that is not Parquet
        raise InputError(f"{name}: cannot read it as Parquet ({exc})") from None
    columns = [meta.schema.column(i).name for i in range(meta.num_columns)]
    if "text" not in columns:
        raise InputError(f"{name}: the Parquet file has no 'text' column (columns: {', '.join(columns) or 'none'}); rename the text column to 'text'")
    wanted = tuple(c for c in PARQUET_COLUMNS if c in columns)
    parts: list[Partition] = []
    groups: list[int] = []
    first = row = size = 0
    for g in range(meta.num_row_groups):
        rg = meta.row_group(g)
        if groups and size + rg.total_byte_size > partition_bytes:
            parts.append(ParquetRows(url, name, tuple(groups), first, wanted))
            groups, first, size = [], row, 0
        groups.append(g)
        size += rg.total_byte_size
        row += rg.num_rows
    if groups:
        parts.append(ParquetRows(url, name, tuple(groups), first, wanted))
    return parts


def newlines(part: Partition) -> int:
    """Line breaks in a JSONL range's bytes ``[start, stop)`` (0 for other partitions)."""
    if not isinstance(part, JsonlRange) or part.gzip:
        return 0
    import fsspec

    count = 0
    with fsspec.open(part.url, "rb") as fh:
        fh.seek(part.start)
        left = part.stop - part.start
        while left > 0:
            chunk = fh.read(min(left, _COUNT_CHUNK))
            if not chunk:
                break
            count += chunk.count(b"\n")
            left -= len(chunk)
    return count


def lines_before(parts: Sequence[Partition], counts: Sequence[int]) -> list[int]:
    """For each partition, the line breaks of its file before it (from each partition's :func:`newlines`)."""
    out = []
    running = 0
    for part, n in zip(parts, counts, strict=True):
        if not isinstance(part, JsonlRange) or part.start == 0:  # a file's first range
            running = 0
        out.append(running)
        running += n
    return out


__all__ = ["PARQUET_COLUMNS", "JsonlRange", "ParquetRows", "Partition", "WholePath", "lines_before", "newlines", "plan"]
