"""Turn results into JSON, JSONL, CSV or a terminal table.

The JSON objects are the project's contract (documented in docs/reference/json.md):
reports are built as plain dicts first, and every format is a view of that dict.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import textwrap
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from reuse.cluster import KINDS, Cluster
from reuse.pipeline import DocumentSummary, ScanResult

if TYPE_CHECKING:
    from reuse.derive import DeriveResult

FORMATS = ("table", "json", "jsonl", "csv", "html")  # html: reuse.html.render_html (needs the texts, so the CLI renders it)


#: Version of the ``reuse scan`` JSON contract.  1: pair rows (``passages``) and families as id
#: lists; 2: reprint clusters (``clusters``), families with their clusters, pair rows on request.
SCAN_VERSION = 2


def cluster_dict(c: Cluster) -> dict[str, object]:
    """One cluster of the scan JSON: its kind, origin, representative text and members."""
    return {
        "id": c.id, "kind": c.kind, "reason": c.reason, "size": c.size, "words": c.words,
        "origin": asdict(c.origin),
        "representative": {"id": c.representative.id, "start": c.representative.start, "end": c.representative.end},
        "text": c.text,
        "members": [asdict(m) for m in c.members],
    }


def document_dict(d: DocumentSummary) -> dict[str, object]:
    """One ``documents`` row of the scan JSON."""
    return {
        "id": d.id, "status": d.status, "reason": d.reason, "title": d.title, "date": d.date,
        "language": d.language, "chars": d.chars, "boilerplate": [list(s) for s in d.boilerplate],
    }


def scan_dict(result: ScanResult, timings: bool = False) -> dict[str, object]:
    """The JSON contract of ``reuse scan`` (version :data:`SCAN_VERSION`): documents, clusters, families (and pairs when asked)."""
    out: dict[str, object] = {
        "version": SCAN_VERSION,
        "documents": [document_dict(d) for d in result.documents],
        "clusters": [cluster_dict(c) for c in result.clusters],
        "families": [{"id": f.id, "documents": list(f.documents), "clusters": list(f.clusters)} for f in result.families],
    }
    if result.pairs:
        out["pairs"] = [asdict(p) for p in result.pairs]
    if timings:
        out["timings"] = dict(result.timings)
    return out


def to_json(report: dict[str, object]) -> str:
    """The report as JSON: one top-level key per line, and one line per record of its lists.

    Readable (and greppable: one document, cluster or pair per line) while every record is
    encoded by the json module's C encoder; ``indent=`` would send the whole report through
    its pure-Python encoder, a second per 20,000 documents.
    """
    lines = ["{"]
    for i, (key, value) in enumerate(report.items()):
        comma = "," if i < len(report) - 1 else ""
        if isinstance(value, list) and value:
            lines.append(f"  {json.dumps(key)}: [")
            lines.append(",\n".join("    " + json.dumps(item, ensure_ascii=False) for item in value))
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


_SINGULAR = {"families": "family", "entries": "entry", "summaries": "summary"}


def to_jsonl(report: dict[str, object]) -> str:
    """One JSON object per line; each carries ``record`` naming its list (``document``, ``passage``, ...)."""
    return "\n".join(jsonl_lines(report)) + "\n"


def jsonl_lines(report: dict[str, object]) -> Iterator[str]:
    """The lines of :func:`to_jsonl` (without line breaks), one at a time."""
    for key, value in report.items():
        if isinstance(value, list):
            # "families" -> "family" (not "familie"), as docs/reference/json.md documents
            record = _SINGULAR.get(key, key[:-1] if key.endswith("s") else key)
            for item in value:
                row = {"record": record, **item} if isinstance(item, dict) else {"record": record, "members": item}
                yield json.dumps(row, ensure_ascii=False)
        else:
            yield json.dumps({"record": key, key: value}, ensure_ascii=False)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


#: A cell starting with one of these is read as a formula by spreadsheets (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: object) -> str:
    """A CSV cell; text that a spreadsheet would run as a formula gets a leading single quote, as OWASP
    recommends (numbers are written as they are: ours are never negative)."""
    cell = _cell(value)
    return "'" + cell if isinstance(value, str) and cell.startswith(FORMULA_STARTS) else cell


#: Terminal escape sequences (CSI, OSC, other ESC and C1 sequences) and the control and bidirectional
#: formatting characters a terminal acts on: ids and titles come from the input.
_ESCAPE_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -~]?|\x9b[0-?]*[ -/]*[@-~]?")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` for a terminal: escape sequences and control characters dropped, line breaks and tabs as spaces."""
    if text.isprintable():  # the common case, in C: no control character at all
        return text
    return _CONTROL.sub(lambda m: " " if m.group() in "\t\n\r\x0b\x0c\x85\u2028\u2029" else "", _ESCAPE_SEQUENCE.sub("", text))


def to_csv(rows: Sequence[dict[str, object]]) -> str:
    """A CSV table over the union of the rows' keys (in first-seen order); formula-like text cells are escaped."""
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    # csv quotes a cell holding the line terminator "\n" but not a lone "\r", which readers take as a
    # line end: a row with such a cell is written with every cell quoted
    quoting = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for row in rows:
        cells = {k: _csv_cell(row.get(k)) for k in columns}
        (quoting if any("\r" in c and "\n" not in c for c in cells.values()) else writer).writerow(cells)
    return buf.getvalue()


def scan_csv_rows(report: dict[str, object]) -> list[dict[str, object]]:
    """Rows for the scan CSV (``record`` says which): documents, then each cluster followed by its members, families, pairs."""
    rows: list[dict[str, object]] = [{"record": "document", **d} for d in report["documents"]]  # type: ignore[union-attr]
    for c in report["clusters"]:  # type: ignore[union-attr]
        head = {k: v for k, v in c.items() if k not in ("members", "origin", "representative")}
        rows.append({"record": "cluster", **head, "origin": c["origin"]["id"], "origin_basis": c["origin"]["basis"],
                     "origin_reason": c["origin"]["reason"], "representative": c["representative"]["id"]})
        rows += [{"record": "member", "cluster": c["id"], **m} for m in c["members"]]
    rows += [{"record": "family", "id": f["id"], "documents": ";".join(f["documents"]), "clusters": ";".join(f["clusters"])}  # type: ignore[union-attr]
             for f in report["families"]]  # type: ignore[union-attr]
    rows += [{"record": "pair", **p} for p in report.get("pairs", [])]  # type: ignore[union-attr]
    return rows


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], width: int | None = None) -> str:
    """A plain-text table; the last column is shortened to fit the terminal width, control characters dropped."""
    headers = [printable(h) for h in headers]
    rows = [[printable(_cell(c)) for c in r] for r in rows]
    width = width or shutil.get_terminal_size((120, 24)).columns
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    fixed = sum(widths[:-1]) + 2 * (len(headers) - 1)
    widths[-1] = max(len(headers[-1]), min(widths[-1], width - fixed))

    def line(cells: Sequence[str]) -> str:
        out = []
        for i, c in enumerate(cells):
            c = c.replace("\n", " ")
            if len(c) > widths[i]:
                c = textwrap.shorten(c, widths[i], placeholder="…") or c[: widths[i] - 1] + "…"
            out.append(c.ljust(widths[i]))
        return "  ".join(out).rstrip()

    sep = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), sep] + [line(r) for r in rows]) + "\n"


#: Stock and boilerplate clusters listed by the terminal table (each kind); the rest are counted.
TABLE_MINOR_CLUSTERS = 10


def scan_table(result: ScanResult) -> str:
    """The terminal view of a scan: documents, syndication clusters, the largest stock and boilerplate ones, families."""
    family_of = {m: f.id for f in result.families for m in f.documents}
    docs = table(
        ["id", "status", "lang", "chars", "boilerplate", "family", "title / reason"],
        [
            [d.id, d.status, d.language or "", d.chars, len(d.boilerplate), family_of.get(d.id, ""), d.reason if d.status != "ok" else (d.title or "")]
            for d in result.documents
        ],
    )
    parts = [f"Documents\n{docs}"]
    for kind in KINDS:
        found = [c for c in result.clusters if c.kind == kind]
        shown = found if kind == "syndication" else found[:TABLE_MINOR_CLUSTERS]
        rows = [[c.id, c.size, c.words, c.origin.id or "unknown", f"{min(m.similarity for m in c.members):.2f}", c.text] for c in shown]
        body = table(["cluster", "docs", "words", "origin", "min sim", "text"], rows) if rows else "(none)\n"
        more = f"... and {len(found) - len(shown)} more {kind} clusters (all are in the JSON, JSONL and CSV reports)\n" if len(found) > len(shown) else ""
        parts.append(f"{kind.capitalize()} clusters ({len(found)})\n{body}{more}")
    fams = "\n".join(f"{f.id}: {printable(', '.join(f.documents))} (clusters {', '.join(f.clusters)})" for f in result.families) or "(none)"
    parts.append(f"Families\n{fams}\n")
    return "\n".join(parts)


_SCAN_RENDERERS = {
    "table": scan_table,
    "json": lambda r: to_json(scan_dict(r)),
    "jsonl": lambda r: to_jsonl(scan_dict(r)),
    "csv": lambda r: to_csv(scan_csv_rows(scan_dict(r))),
}


def _render(renderers: dict[str, Callable[[Any], str]], result: object, fmt: str) -> str:
    try:
        renderer = renderers[fmt]
    except KeyError:
        if fmt == "html":  # listed in FORMATS, but the side-by-side view needs the texts a result does not hold
            raise ValueError("format 'html' needs the document texts: use reuse.html.render_html(texts, ...)") from None
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
    return renderer(result)


def render_scan(result: ScanResult, fmt: str) -> str:
    """Render a scan in one of ``FORMATS`` (except ``html``, which needs the texts: see :mod:`reuse.html`)."""
    return _render(_SCAN_RENDERERS, result, fmt)


# --- flat rows (reuse.rows) ---------------------------------------------------------------

#: The tables :func:`scan_rows` and :func:`derive_rows` offer, in the order the docs list them.
SCAN_TABLES = ("documents", "clusters", "members", "families", "pairs")
DERIVE_TABLES = ("documents", "evidence", "drift", "attribution")


def _table(table: str, tables: tuple[str, ...], what: str) -> None:
    if table not in tables:
        from reuse.errors import InputError

        raise InputError(f"a {what} has no table {table!r}; choose one of {', '.join(tables)}")


def scan_rows(result: ScanResult, table: str = "documents") -> list[dict[str, object]]:
    """One flat dict per row of a scan's ``table`` (see :data:`SCAN_TABLES`; ``reuse.rows`` documents the columns)."""
    _table(table, SCAN_TABLES, "ScanResult")
    if table == "documents":
        family_of = {m: f.id for f in result.families for m in f.documents}
        return [
            {"id": d.id, "status": d.status, "reason": d.reason, "title": d.title, "date": d.date, "language": d.language, "chars": d.chars,
             "boilerplate_spans": len(d.boilerplate), "boilerplate_chars": sum(e - s for s, e in d.boilerplate), "family": family_of.get(d.id)}
            for d in result.documents
        ]
    if table == "clusters":
        return [
            {"cluster": c.id, "kind": c.kind, "reason": c.reason, "size": c.size, "words": c.words, "origin": c.origin.id,
             "origin_basis": c.origin.basis, "origin_reason": c.origin.reason, "representative": c.representative.id,
             "representative_start": c.representative.start, "representative_end": c.representative.end, "text": c.text}
            for c in result.clusters
        ]
    if table == "members":
        return [
            {"cluster": c.id, "kind": c.kind, "id": m.id, "start": m.start, "end": m.end, "words": m.words, "similarity": m.similarity,
             "representative": m == c.representative}
            for c in result.clusters for m in c.members
        ]
    if table == "families":
        return [{"family": f.id, "size": len(f.documents), "documents": ";".join(f.documents), "clusters": ";".join(f.clusters)}
                for f in result.families]
    return [asdict(p) for p in result.pairs]


def derive_rows(result: DeriveResult, table: str = "documents") -> list[dict[str, object]]:
    """One flat dict per row of a derivation's ``table`` (see :data:`DERIVE_TABLES`; ``reuse.rows`` documents the columns)."""
    _table(table, DERIVE_TABLES, "DeriveResult")
    if table == "documents":
        out: list[dict[str, object]] = []
        for d in result.documents:
            c = d.components
            out.append({
                "id": d.id, "status": d.status, "reason": d.reason, "language": d.language, "date": d.date, "title": d.title,
                "derived": d.derived, "class": d.cls, "departure": d.departure, "attributed": d.attributed, "parent": d.parent,
                **{k: (getattr(c, k) if c is not None else None) for k in ("verbatim", "near_verbatim", "paraphrase", "added", "omitted", "reorder")},
                "attribution_count": len(d.attribution), "drift_count": len(d.drift), "evidence_count": len(d.evidence),
            })
        return out
    if table == "evidence":
        return [{"id": d.id, "label": e.label, "start": e.start, "end": e.end, "source_id": e.source_id, "source_start": e.source_start,
                 "source_end": e.source_end, "similarity": e.similarity} for d in result.documents for e in d.evidence]
    if table == "drift":
        return [{"id": d.id, "kind": x.kind, "original": x.original, "report": x.report, "start": x.start, "end": x.end, "source_id": x.source_id}
                for d in result.documents for x in d.drift]
    return [{"id": d.id, "start": a.start, "end": a.end, "text": a.text} for d in result.documents for a in d.attribution]


# --- derive ------------------------------------------------------------------------------


def _plain(item: object) -> dict[str, object]:
    """A record dataclass as a dict, without the ``source_id`` that only latent mode sets."""
    out = asdict(item)  # type: ignore[call-overload]
    if out.get("source_id", "") is None:
        del out["source_id"]
    return out


def derive_dict(result: DeriveResult) -> dict[str, object]:
    """The JSON contract of ``reuse derive``: ``source`` and one ``documents`` row per input document."""
    docs = []
    for d in result.documents:
        docs.append({
            "id": d.id, "status": d.status, "reason": d.reason, "derived": d.derived, "class": d.cls,
            "departure": d.departure, "attributed": d.attributed, "attribution": [_plain(a) for a in d.attribution],
            "components": asdict(d.components) if d.components is not None else {}, "drift": [_plain(x) for x in d.drift],
            "parent": d.parent, "evidence": [_plain(e) for e in d.evidence], "date": d.date, "title": d.title,
            "language": d.language,
        })
    return {"source": dict(result.source), "documents": docs}


def _top_drift(drift: list[dict[str, object]]) -> str:
    if not drift:
        return ""
    first = drift[0]
    more = f" (+{len(drift) - 1})" if len(drift) > 1 else ""
    return f"{first['kind']}: {first['original']} → {first['report']}{more}"


def derive_table(result: object) -> str:
    """The terminal view of ``reuse derive``: one row per report (class, departure, attribution, parent, top drift)."""
    report = derive_dict(result)
    rows = []
    for d in report["documents"]:  # type: ignore[union-attr]
        if d["status"] != "ok":
            rows.append([d["id"], "error", "", "", "", d["reason"]])
            continue
        named = bool(report["source"].get("name"))  # type: ignore[union-attr]
        # without --source-name attribution was not looked for; "NO" flags derived but unattributed
        attributed = ("yes" if d["attributed"] else "NO" if d["derived"] else "no") if named else ""
        if d["derived"] is None:  # not compared (e.g. no lexicon for its language): the reason instead of a verdict
            rows.append([d["id"], "n/a", "", attributed, "", d["reason"]])
            continue
        # families mode: a copy whose order in its family nothing decides has no parent, only a reason
        parent = d["parent"] or ("unknown" if d["derived"] and report["source"].get("mode") == "families" else "")  # type: ignore[union-attr]
        rows.append([d["id"], d["class"], f"{d['departure']:.3f}", attributed, parent, _top_drift(d["drift"])])
    src = report["source"]
    head = ", ".join(f"{k}={v}" for k, v in src.items() if k in ("mode", "name", "id", "units") and v is not None)  # type: ignore[union-attr]
    return f"Source: {printable(head)}\n" + table(["id", "class", "departure", "attributed", "parent", "top drift"], rows)


def derive_csv_rows(report: dict[str, object]) -> list[dict[str, object]]:
    """One CSV row per document; components flattened into columns, lists as JSON cells."""
    rows = []
    for d in report["documents"]:  # type: ignore[union-attr]
        row = {k: v for k, v in d.items() if k != "components"}
        row.update({f"components.{k}": v for k, v in d["components"].items()})
        rows.append(row)
    return rows


_DERIVE_RENDERERS = {
    "table": derive_table,
    "json": lambda r: to_json(derive_dict(r)),
    "jsonl": lambda r: to_jsonl(derive_dict(r)),
    "csv": lambda r: to_csv(derive_csv_rows(derive_dict(r))),
}


def render_derive(result: object, fmt: str) -> str:
    """Render a :class:`reuse.derive.DeriveResult` in one of ``FORMATS`` (except ``html``: see :mod:`reuse.html`)."""
    return _render(_DERIVE_RENDERERS, result, fmt)
