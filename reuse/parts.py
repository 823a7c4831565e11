"""A scan report too large for one file, written as a directory of parts.

``reuse scan ... --output-dir DIR --format jsonl`` writes the lines of ``--format jsonl`` into
files named by section, so that read in name order they are that report:
``0-version.jsonl``, ``1-documents-000000.jsonl``, ``1-documents-000001.jsonl``, ...,
``2-clusters-000000.jsonl``, ..., ``3-families-000000.jsonl``, ... and, with ``--pairs``,
``4-pairs-000000.jsonl``, ...  The local engine cuts each section every :data:`ROWS_PER_PART`
lines; on Dask each input partition's worker writes that partition's document rows (so the
client never holds them) and the client the rest.

``--format parquet`` writes one Parquet table per kind of record, each as parts
``DIR/TABLE/part-00000.parquet``, ...:

==============  =============================================================================
``documents``   the ``documents`` rows of the JSON (``boilerplate`` a list of ``[start, end]``)
``clusters``    one row per cluster: its fields, ``origin`` and ``representative`` flattened
                (``origin_id``, ``origin_basis``, ``origin_reason``, ``representative_id``,
                ``representative_start``, ``representative_end``), without its members
``members``     one row per member span: ``cluster`` and the member's fields
``families``    ``id``, ``documents`` and ``clusters`` (lists of ids)
``pairs``       the pair rows, with ``--pairs``
==============  =============================================================================

Both write ``DIR/manifest.json``: the contract ``version``, the format and, per section (or
table), its files in order and row count.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from reuse.errors import InputError
from reuse.pipeline import DocumentSummary
from reuse.report import SCAN_VERSION, document_dict, jsonl_lines

#: Lines (JSONL) or rows (Parquet) per part file: a part stays a few hundred MB at most.
ROWS_PER_PART = 100_000
PART_FORMATS = ("jsonl", "parquet")
#: The sections of a JSONL report, in its order (the number that starts their files' names).
SECTIONS = ("version", "documents", "clusters", "families", "pairs")


def prepare(directory: str | Path) -> Path:
    """Make ``directory`` for a report's parts: it must be new or empty."""
    out = Path(directory)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError(f"{out}: the output directory must be new or empty (the parts of a report would mix with other files)")
    out.mkdir(parents=True, exist_ok=True)
    return out


def _chunks(rows: Iterable[object], size: int) -> Iterator[list[object]]:
    chunk: list[object] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def jsonl_name(section: str, k: int = 0) -> str:
    """The file name of part ``k`` of a JSONL section."""
    number = SECTIONS.index(section)
    return f"{number}-{section}.jsonl" if section == "version" else f"{number}-{section}-{k:06d}.jsonl"


def parquet_name(table: str, k: int) -> str:
    return f"{table}/part-{k:05d}.parquet"


def _write_lines(path: Path, lines: Iterable[str]) -> int:
    text = "\n".join(lines)
    path.write_text(text + "\n" if text else "", encoding="utf-8")
    return text.count("\n") + 1 if text else 0


def write_jsonl_parts(
    report: dict[str, object], directory: str | Path, rows: int = ROWS_PER_PART, documents: Sequence[str] | None = None,
) -> dict[str, object]:
    """Write the JSONL lines of ``report`` into section parts of ``rows`` lines; returns the manifest.

    ``documents``: the document parts, already written into ``directory`` (by Dask workers, see
    :func:`write_document_part`), when ``report`` holds no document rows; ``directory`` must then exist.
    """
    out = Path(directory) if documents is not None else prepare(directory)
    sections: dict[str, object] = {}
    for section, value in report.items():
        if section == "documents" and documents is not None:
            files = list(documents)
            sections[section] = {"files": files, "rows": sum(1 for f in files for _ in (out / f).open(encoding="utf-8"))}
            continue
        files, count = [], 0
        for k, chunk in enumerate(_chunks(jsonl_lines({section: value}), rows)):
            files.append(jsonl_name(section, k))
            count += _write_lines(out / files[-1], map(str, chunk))
        sections[section] = {"files": files, "rows": count}
    return _manifest(out, "jsonl", sections)


def _cluster_rows(report: dict[str, object]) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    heads, members = [], []
    for c in report["clusters"]:  # type: ignore[attr-defined]
        head = {k: v for k, v in c.items() if k not in ("members", "origin", "representative")}
        head.update({f"origin_{k}": v for k, v in c["origin"].items()})
        head.update({f"representative_{k}": v for k, v in c["representative"].items()})
        heads.append(head)
        members += [{"cluster": c["id"], **m} for m in c["members"]]
    return heads, members


def _pyarrow() -> tuple[object, object]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("Parquet output needs pyarrow: pip install 'reuse[dask]'") from None
    return pa, pq


def _schemas(pa: object) -> dict[str, object]:
    """The column types of each table (a part without a date in any row still has a string column)."""
    s, i, f = pa.string(), pa.int64(), pa.float64()  # type: ignore[attr-defined]

    def schema(*cols: tuple[str, object]) -> object:
        return pa.schema(list(cols))  # type: ignore[attr-defined]

    return {
        "documents": schema(("id", s), ("status", s), ("reason", s), ("title", s), ("date", s), ("language", s), ("chars", i),
                            ("boilerplate", pa.list_(pa.list_(i)))),  # type: ignore[attr-defined]
        "clusters": schema(("id", s), ("kind", s), ("reason", s), ("size", i), ("words", i), ("text", s), ("origin_id", s),
                           ("origin_basis", s), ("origin_reason", s), ("representative_id", s), ("representative_start", i), ("representative_end", i)),
        "members": schema(("cluster", s), ("id", s), ("start", i), ("end", i), ("words", i), ("similarity", f)),
        "families": schema(("id", s), ("documents", pa.list_(s)), ("clusters", pa.list_(s))),  # type: ignore[attr-defined]
        "pairs": schema(("cluster", s), ("a", s), ("a_start", i), ("a_end", i), ("b", s), ("b_start", i), ("b_end", i), ("kind", s),
                        ("similarity", f), ("text_a", s), ("text_b", s)),
    }


def _write_table(out: Path, name: str, k: int, chunk: list[dict[str, object]]) -> str:
    pa, pq = _pyarrow()
    schema = _schemas(pa)[name]
    if chunk and set(chunk[0]) != set(schema.names):  # type: ignore[attr-defined, call-overload]
        raise ValueError(f"the {name} rows have fields {sorted(chunk[0])}, the Parquet schema {schema.names}: update reuse.parts")  # type: ignore[attr-defined, call-overload]
    file = parquet_name(name, k)
    (out / name).mkdir(exist_ok=True)
    pq.write_table(pa.Table.from_pylist(chunk, schema=schema), out / file)  # type: ignore[attr-defined]
    return file


def write_parquet_parts(
    report: dict[str, object], directory: str | Path, rows: int = ROWS_PER_PART, documents: Sequence[str] | None = None,
) -> dict[str, object]:
    """Write ``report`` as Parquet tables of parts (documents, clusters, members, families, pairs); returns the manifest.

    ``documents``: the ``documents`` table's parts, already written (see :func:`write_jsonl_parts`).
    """
    _pyarrow()
    out = Path(directory) if documents is not None else prepare(directory)
    clusters, members = _cluster_rows(report)
    tables: dict[str, list[dict[str, object]]] = {"documents": report["documents"], "clusters": clusters, "members": members,  # type: ignore[dict-item]
                                                  "families": report["families"]}  # type: ignore[dict-item]
    if report.get("pairs"):
        tables["pairs"] = report["pairs"]  # type: ignore[assignment]
    listed: dict[str, object] = {}
    for name, table_rows in tables.items():
        if name == "documents" and documents is not None:
            _, pq = _pyarrow()
            listed[name] = {"files": list(documents), "rows": sum(pq.read_metadata(out / f).num_rows for f in documents)}  # type: ignore[attr-defined]
            continue
        files = [_write_table(out, name, k, chunk) for k, chunk in enumerate(_chunks(table_rows, rows))]  # type: ignore[arg-type]
        listed[name] = {"files": files, "rows": len(table_rows)}
    return _manifest(out, "parquet", listed)


def write_document_part(summaries: Sequence[DocumentSummary], directory: str | Path, fmt: str, k: int) -> str | None:
    """Write the document rows of input partition ``k`` (a Dask worker does) as its part; the file's name, or None without rows."""
    if not summaries:
        return None
    out = Path(directory)
    rows = [document_dict(d) for d in summaries]
    if fmt == "parquet":
        return _write_table(out, "documents", k, rows)
    name = jsonl_name("documents", k)
    _write_lines(out / name, jsonl_lines({"documents": rows}))
    return name


def _manifest(out: Path, fmt: str, tables: dict[str, object]) -> dict[str, object]:
    manifest = {"version": SCAN_VERSION, "format": fmt, "tables": tables}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def write_parts(
    report: dict[str, object], directory: str | Path, fmt: str, rows: int = ROWS_PER_PART, documents: Sequence[str] | None = None,
) -> dict[str, object]:
    """Write a scan report (:func:`reuse.report.scan_dict`) into ``directory`` as ``jsonl`` or ``parquet`` parts.

    ``documents``: the names of document parts already written into ``directory`` (by
    :func:`write_document_part`), when ``report`` holds none.
    """
    if fmt == "jsonl":
        return write_jsonl_parts(report, directory, rows, documents)
    if fmt == "parquet":
        return write_parquet_parts(report, directory, rows, documents)
    raise InputError(f"a report is written in parts as {' or '.join(PART_FORMATS)}, not {fmt!r}")


__all__ = ["PART_FORMATS", "ROWS_PER_PART", "SECTIONS", "prepare", "write_document_part", "write_jsonl_parts", "write_parquet_parts", "write_parts"]
