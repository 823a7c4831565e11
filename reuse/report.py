"""Turn results into JSON, JSONL, CSV or a terminal table.

The JSON objects are the project's contract (documented in the README):
reports are built as plain dicts first, and every format is a view of that dict.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from typing import Any

from reuse.pipeline import ScanResult

FORMATS = ("table", "json", "jsonl", "csv", "html")  # html: reuse.html.render_html (needs the texts, so the CLI renders it)


def scan_dict(result: ScanResult, timings: bool = False) -> dict[str, object]:
    """The JSON contract of ``reuse scan``: ``documents``, ``passages``, ``families``."""
    out: dict[str, object] = {
        "documents": [
            {
                "id": d.id, "status": d.status, "reason": d.reason, "title": d.title, "date": d.date,
                "language": d.language, "chars": d.chars, "boilerplate": [list(s) for s in d.boilerplate],
            }
            for d in result.documents
        ],
        "passages": [asdict(p) for p in result.passages],
        "families": [list(f) for f in result.families],
    }
    if timings:
        out["timings"] = dict(result.timings)
    return out


def to_json(report: dict[str, object]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


_SINGULAR = {"families": "family", "entries": "entry", "summaries": "summary"}


def to_jsonl(report: dict[str, object]) -> str:
    """One JSON object per line; each carries ``record`` naming its list (``document``, ``passage``, ...)."""
    lines = []
    for key, value in report.items():
        if isinstance(value, list):
            # "families" -> "family" (not "familie"), as the README documents
            record = _SINGULAR.get(key, key[:-1] if key.endswith("s") else key)
            for item in value:
                row = {"record": record, **item} if isinstance(item, dict) else {"record": record, "members": item}
                lines.append(json.dumps(row, ensure_ascii=False))
        else:
            lines.append(json.dumps({"record": key, key: value}, ensure_ascii=False))
    return "\n".join(lines) + "\n"


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
    """Rows for the scan CSV: every document, then every passage, then families (``record`` says which)."""
    rows: list[dict[str, object]] = [{"record": "document", **d} for d in report["documents"]]  # type: ignore[union-attr]
    rows += [{"record": "passage", **p} for p in report["passages"]]  # type: ignore[union-attr]
    rows += [{"record": "family", "id": ";".join(f)} for f in report["families"]]  # type: ignore[union-attr]
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


def scan_table(result: ScanResult) -> str:
    """The terminal view of a scan: documents, then passages, then families."""
    family_of = {m: f"F{i + 1}" for i, fam in enumerate(result.families) for m in fam}
    docs = table(
        ["id", "status", "lang", "chars", "boilerplate", "family", "title / reason"],
        [
            [d.id, d.status, d.language or "", d.chars, len(d.boilerplate), family_of.get(d.id, ""), d.reason if d.status != "ok" else (d.title or "")]
            for d in result.documents
        ],
    )
    passages = table(
        ["a", "b", "kind", "sim", "a chars", "b chars", "passage"],
        [[p.a, p.b, p.kind, f"{p.similarity:.2f}", f"{p.a_start}-{p.a_end}", f"{p.b_start}-{p.b_end}", p.text_a] for p in result.passages],
    )
    fams = "\n".join(f"F{i + 1}: {printable(', '.join(f))}" for i, f in enumerate(result.families)) or "(none)"
    return f"Documents\n{docs}\nPassages\n{passages}\nFamilies\n{fams}\n"


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


# --- derive ------------------------------------------------------------------------------


def derive_dict(result: object) -> dict[str, object]:
    """The JSON contract of ``reuse derive``: ``source`` and one ``documents`` row per input document."""
    docs = []
    for d in result.documents:  # type: ignore[attr-defined]
        docs.append({
            "id": d.id, "status": d.status, "reason": d.reason, "derived": d.derived, "class": d.cls,
            "departure": d.departure, "attributed": d.attributed, "attribution": list(d.attribution),
            "components": dict(d.components), "drift": list(d.drift), "parent": d.parent, "evidence": list(d.evidence),
            "date": d.date, "title": d.title,
        })
    return {"source": dict(result.source), "documents": docs}  # type: ignore[attr-defined]


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
        rows.append([d["id"], d["class"], f"{d['departure']:.3f}", attributed, d["parent"] or "", _top_drift(d["drift"])])
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
