"""A scan report too large for one file, written as a directory of parts.

``reuse scan ... --output-dir DIR --format jsonl`` writes ``DIR/part-00000.jsonl``,
``part-00001.jsonl``, ... of at most :data:`ROWS_PER_PART` lines each: read in name order,
they are the lines of ``--format jsonl`` (a ``version`` record, then ``document``,
``cluster``, ``family`` and, with ``--pairs``, ``pair`` records).

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

Both write ``DIR/manifest.json``: the contract ``version``, the format and, per table (or
record kind), its files and row count.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from reuse.errors import InputError
from reuse.report import SCAN_VERSION, jsonl_lines

#: Lines (JSONL) or rows (Parquet) per part file: a part stays a few hundred MB at most.
ROWS_PER_PART = 100_000
PART_FORMATS = ("jsonl", "parquet")


def _prepare(directory: str | Path) -> Path:
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


def write_jsonl_parts(report: dict[str, object], directory: str | Path, rows: int = ROWS_PER_PART) -> dict[str, object]:
    """Write the JSONL lines of ``report`` into parts of ``rows`` lines; returns the manifest."""
    out = _prepare(directory)
    files = []
    counts: dict[str, int] = {}
    for k, chunk in enumerate(_chunks(jsonl_lines(report), rows)):
        name = f"part-{k:05d}.jsonl"
        (out / name).write_text("\n".join(map(str, chunk)) + "\n", encoding="utf-8")
        files.append(name)
        for line in chunk:
            kind = json.loads(str(line))["record"]
            counts[kind] = counts.get(kind, 0) + 1
    return _manifest(out, "jsonl", {"lines": {"files": files, "records": counts}})


def _cluster_rows(report: dict[str, object]) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    heads, members = [], []
    for c in report["clusters"]:  # type: ignore[attr-defined]
        head = {k: v for k, v in c.items() if k not in ("members", "origin", "representative")}
        head.update({f"origin_{k}": v for k, v in c["origin"].items()})
        head.update({f"representative_{k}": v for k, v in c["representative"].items()})
        heads.append(head)
        members += [{"cluster": c["id"], **m} for m in c["members"]]
    return heads, members


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


def write_parquet_parts(report: dict[str, object], directory: str | Path, rows: int = ROWS_PER_PART) -> dict[str, object]:
    """Write ``report`` as Parquet tables of parts (documents, clusters, members, families, pairs); returns the manifest."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("Parquet output needs pyarrow: pip install 'reuse[dask]'") from None
    schemas = _schemas(pa)
    out = _prepare(directory)
    clusters, members = _cluster_rows(report)
    tables: dict[str, list[dict[str, object]]] = {
        "documents": report["documents"], "clusters": clusters, "members": members, "families": report["families"],  # type: ignore[dict-item]
    }
    if report.get("pairs"):
        tables["pairs"] = report["pairs"]  # type: ignore[assignment]
    listed: dict[str, object] = {}
    for name, table_rows in tables.items():
        (out / name).mkdir()
        files = []
        schema = schemas[name]
        for k, chunk in enumerate(_chunks(table_rows, rows)):
            if set(chunk[0]) != set(schema.names):  # type: ignore[attr-defined, call-overload]
                raise ValueError(f"the {name} rows have fields {sorted(chunk[0])}, the Parquet schema {schema.names}: update reuse.parts")  # type: ignore[attr-defined, call-overload]
            file = f"{name}/part-{k:05d}.parquet"
            pq.write_table(pa.Table.from_pylist(chunk, schema=schema), out / file)  # type: ignore[arg-type]
            files.append(file)
        listed[name] = {"files": files, "rows": len(table_rows)}
    return _manifest(out, "parquet", listed)


def _manifest(out: Path, fmt: str, tables: dict[str, object]) -> dict[str, object]:
    manifest = {"version": SCAN_VERSION, "format": fmt, "tables": tables}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def write_parts(report: dict[str, object], directory: str | Path, fmt: str, rows: int = ROWS_PER_PART) -> dict[str, object]:
    """Write a scan report (:func:`reuse.report.scan_dict`) into ``directory`` as ``jsonl`` or ``parquet`` parts."""
    if fmt == "jsonl":
        return write_jsonl_parts(report, directory, rows)
    if fmt == "parquet":
        return write_parquet_parts(report, directory, rows)
    raise InputError(f"a report is written in parts as {' or '.join(PART_FORMATS)}, not {fmt!r}")


__all__ = ["PART_FORMATS", "ROWS_PER_PART", "write_jsonl_parts", "write_parquet_parts", "write_parts"]
