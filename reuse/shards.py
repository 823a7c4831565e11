"""The texts and tokens of a partition's analysed documents, spilled to a directory every worker shares.

A worker that cleans and tokenises a partition writes its analysed documents once, as
NumPy ``.npy`` arrays (read back with ``allow_pickle=False``; no pickle anywhere):

===========================  ===================================================================
``p00012.text.npy``          uint8: the texts' UTF-8 bytes (lone surrogates kept), one after another
``p00012.chars.npy``         int64, documents + 1: where each text starts in ``text`` (and the end)
``p00012.ids.npy``           uint64: token ids (:class:`reuse.text.Tokens`), one document after another
``p00012.starts.npy``        uint32: token start offsets (characters)
``p00012.ends.npy``          uint32: token end offsets
``p00012.tokens.npy``        int64, documents + 1: where each document's tokens start (and the end)
``p00012.carriers.npy``      uint8: each document's ``[id, date, source, words]`` as a JSON array (UTF-8)
``p00012.carrier_at.npy``    int64, documents + 1: where each document's carrier starts (and the end)
``where.npy``                int64, one per analysed document of the corpus by id rank:
                             ``partition << 32 | position`` of its record
===========================  ===================================================================

Later stages (verification and alignment of a partition of candidate pairs, the reprint
clusters) read a document's tokens or text by its rank (:class:`ShardReader`), a few bytes
at a time with ``os.pread``, holding only the small offset arrays of the shards they touch.
A file is written under a temporary name and renamed, so a task run twice (a retry after
a worker died) leaves whole, identical files.
"""

from __future__ import annotations

import json
import os
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from reuse.cluster import Carrier
from reuse.text import Tokens

#: Open files a reader keeps (least recently used closed first): a scan has hundreds of shards.
MAX_OPEN = 64


def _save(path: Path, values: np.ndarray) -> None:
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        np.save(fh, values, allow_pickle=False)
    os.replace(tmp, path)


def _name(part: int, column: str) -> str:
    return f"p{part:05d}.{column}.npy"


def _save_bytes(root: Path, part: int, column: str, index: str, data: list[bytes]) -> None:
    _save(root / _name(part, column), np.frombuffer(b"".join(data), dtype=np.uint8))
    _save(root / _name(part, index), np.concatenate(([0], np.cumsum([len(d) for d in data], dtype=np.int64))).astype(np.int64))


def write_shard(root: str | Path, part: int, texts: Sequence[str], tokens: Sequence[Tokens], carriers: Sequence[Carrier] = ()) -> None:
    """Write partition ``part``'s analysed documents (texts, tokens and carriers, in partition order) under ``root``.

    ``tokens`` may be anything with ``ids``, ``starts`` and ``ends`` arrays (offsets of any integer type).
    """
    root = Path(root)
    _save_bytes(root, part, "text", "chars", [t.encode("utf-8", "surrogatepass") for t in texts])
    rows = [json.dumps([c.id, c.date, c.source, c.words], ensure_ascii=False).encode("utf-8", "surrogatepass") for c in carriers]
    _save_bytes(root, part, "carriers", "carrier_at", rows)
    lengths = np.array([len(t.ids) for t in tokens], dtype=np.int64)
    _save(root / _name(part, "tokens"), np.concatenate(([0], np.cumsum(lengths))).astype(np.int64))
    for column, dtype in (("ids", np.uint64), ("starts", np.uint32), ("ends", np.uint32)):
        arrays = [np.asarray(getattr(t, column)) for t in tokens]
        _save(root / _name(part, column), np.concatenate(arrays, dtype=dtype, casting="unsafe") if arrays else np.empty(0, dtype=dtype))


def write_where(root: str | Path, where: np.ndarray) -> None:
    """Write the rank -> ``partition << 32 | position`` index of the analysed documents."""
    _save(Path(root) / "where.npy", np.asarray(where, dtype=np.int64))


class _Column:
    """One ``.npy`` file read by element ranges (its header is parsed once)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with open(path, "rb") as fh:
            version = np.lib.format.read_magic(fh)
            header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            _, _, dtype = header(fh)
            self.offset = fh.tell()
        self.dtype = np.dtype(dtype)


class ShardReader:
    """Tokens and texts of analysed documents by id rank, read from the shards under ``root``.

    Reads offsets as it reads data (two numbers a document), so its memory does not grow with
    the shards it touches; keeps at most :data:`MAX_OPEN` files open.
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.where = np.load(self.root / "where.npy", mmap_mode="r", allow_pickle=False)  # pages read as touched
        self._columns: dict[tuple[int, str], _Column] = {}
        self._open: OrderedDict[Path, int] = OrderedDict()

    def close(self) -> None:
        while self._open:
            os.close(self._open.popitem()[1])

    def __enter__(self) -> ShardReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _fd(self, path: Path) -> int:
        fd = self._open.pop(path, None)
        if fd is None:
            fd = os.open(path, os.O_RDONLY)
            if len(self._open) >= MAX_OPEN:
                os.close(self._open.popitem(last=False)[1])
        self._open[path] = fd
        return fd

    def _read(self, part: int, column: str, lo: int, hi: int) -> np.ndarray:
        key = (part, column)
        col = self._columns.get(key)
        if col is None:
            col = self._columns[key] = _Column(self.root / _name(part, column))
        size = col.dtype.itemsize
        data = os.pread(self._fd(col.path), (hi - lo) * size, col.offset + lo * size)
        return np.frombuffer(data, dtype=col.dtype)

    def _locate(self, rank: int) -> tuple[int, int]:
        w = int(self.where[rank])
        return w >> 32, w & 0xFFFFFFFF

    def tokens(self, rank: int) -> Tokens:
        """Tokens of the document of id rank ``rank``."""
        part, pos = self._locate(rank)
        lo, hi = self._read(part, "tokens", pos, pos + 2).tolist()
        return Tokens(
            ids=self._read(part, "ids", lo, hi),
            starts=self._read(part, "starts", lo, hi).astype(np.int64),
            ends=self._read(part, "ends", lo, hi).astype(np.int64),
        )

    def carrier(self, rank: int) -> Carrier:
        """What the cluster stage knows of the document of id rank ``rank``."""
        part, pos = self._locate(rank)
        lo, hi = self._read(part, "carrier_at", pos, pos + 2).tolist()
        return Carrier(*json.loads(self._read(part, "carriers", lo, hi).tobytes().decode("utf-8", "surrogatepass")))

    def text(self, rank: int) -> str:
        """Text of the document of id rank ``rank``."""
        part, pos = self._locate(rank)
        lo, hi = self._read(part, "chars", pos, pos + 2).tolist()
        return self._read(part, "text", lo, hi).tobytes().decode("utf-8", "surrogatepass")


__all__ = ["MAX_OPEN", "ShardReader", "write_shard", "write_where"]
