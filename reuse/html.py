"""A self-contained HTML report: document table, side-by-side views, graph, heatmap.

Rendered from the plain report dicts (``scan_dict`` and ``derive_dict``) plus
the document texts, so the HTML is one more view of the JSON contract.  The
file needs no network and runs no script: CSS, SVG and numbers are inline, a
Content-Security-Policy forbids scripts and remote loads, and every piece of
document text, id, title or reason is HTML-escaped (a document containing
``<script>`` shows that text and runs nothing).
"""

from __future__ import annotations

import html
import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reuse.plots import coverage_matrix, matrix_ids, shared_spans

Report = Mapping[str, Any]

#: Passage labels, strongest first; the CSS class of a label is ``hl-<label>``.
LABELS = ("verbatim", "near-verbatim", "paraphrase", "added")
_RANK = {label: i for i, label in enumerate(LABELS)}
#: Presentation limits (not model constants: they change what the page draws, never a result; every
#: document, cluster and member is in the JSON, JSONL and CSV reports).
#: Larger corpora are summarised: at most this many documents in the graph and heatmap.
MAX_MATRIX_DOCS = 60
#: ... and at most this many side-by-side views (the rest are listed, not drawn).
MAX_VIEWS = 200
#: Clusters drawn with their texts, per kind (largest first); the rest are listed in a table.  Stock and
#: boilerplate clusters are not reuse between documents: fewer are drawn, without their members' texts.
MAX_CLUSTER_VIEWS = {"syndication": 300, "stock": 50, "boilerplate": 50}
_UNSAFE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1500px;padding:0 1.2em 3em;color:#222;background:#fff}
h1{font-size:1.5em;margin:.8em 0 .2em}h2{font-size:1.2em;margin:1.6em 0 .4em;border-bottom:1px solid #ddd}h3{font-size:1em;margin:1.2em 0 .3em}
table.docs{border-collapse:collapse;width:100%;font-size:13px}table.docs th,table.docs td{border-bottom:1px solid #e4e4e4;padding:3px 6px;text-align:left;vertical-align:top}
table.docs th{background:#f4f4f4}td.num,#documents td:nth-child(6){text-align:right;font-variant-numeric:tabular-nums}tr.error td{color:#a00}
section.cluster{border-top:1px solid #eee;margin-top:.8em}section.cluster h4{margin:.6em 0 .2em}table.members{font-size:12px}
.legend span{display:inline-block;margin-right:1em}.sw{display:inline-block;width:1em;height:1em;vertical-align:-2px;margin-right:.3em;border:1px solid #999}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1em}.pair>div{min-width:0}
.doc{white-space:pre-wrap;overflow-wrap:anywhere;font:13px/1.5 Georgia,serif;border:1px solid #ddd;padding:.6em;background:#fcfcfc;margin:0}
.cap{font-size:12px;color:#555;margin:.2em 0}
mark.hl{color:inherit;border-radius:2px}
.hl-verbatim{background:#f4a6a6}.hl-near-verbatim{background:#f8cf9c}.hl-paraphrase{background:#fff0a0}.hl-added{background:#cde8cd}
.omitted{color:#aaa;background:#f0f0f0}.bp{color:#b5b5b5;text-decoration:line-through #ddd}
.drift{text-decoration:underline wavy #c00;text-decoration-thickness:1.5px;text-underline-offset:3px}
.attr{outline:2px solid #4a7bd0;outline-offset:0}
.note{color:#666;font-size:12px}svg text{font:11px system-ui,sans-serif}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def esc(value: object) -> str:
    """HTML-escape any value for text or attribute context (lone surrogates and control characters become U+FFFD)."""
    return html.escape(_UNSAFE.sub("\ufffd", "" if value is None else str(value)), quote=True)


@dataclass(frozen=True)
class Mark:
    """One annotation of a text: ``text[start:end]`` gets CSS ``classes`` and a hover ``title``.

    ``label`` is one of :data:`LABELS` for passages (drawn as ``<mark>``), or empty
    for other annotations (omitted units, boilerplate, drift, attribution).
    """

    start: int
    end: int
    classes: str
    title: str = ""
    label: str = ""


def norm_label(label: object) -> str:
    """``near_verbatim`` and ``near-verbatim`` are the same label."""
    return str(label or "").strip().lower().replace("_", "-").replace(" ", "-")


def highlight(text: str, marks: Iterable[Mark]) -> str:
    """Escape ``text`` and wrap the marked stretches; overlapping marks split into elementary segments.

    Each segment carries the classes of every mark over it; a segment inside a
    passage is a ``<mark data-label=...>`` whose label is the strongest one present.
    Offsets are clipped to the text; empty marks are ignored.
    """
    n = len(text)
    clipped = [Mark(max(0, m.start), min(n, m.end), m.classes, m.title, m.label) for m in marks]
    clipped = [m for m in clipped if m.start < m.end]
    if not clipped:
        return esc(text)
    cuts = sorted({0, n, *(m.start for m in clipped), *(m.end for m in clipped)})
    by_start: dict[int, list[Mark]] = {}
    for m in clipped:
        by_start.setdefault(m.start, []).append(m)
    active: list[Mark] = []
    out: list[str] = []
    for x, y in itertools.pairwise(cuts):
        active = [m for m in active if m.end > x] + by_start.get(x, [])
        piece = esc(text[x:y])
        if not active:
            out.append(piece)
            continue
        classes = " ".join(dict.fromkeys(c for m in active for c in m.classes.split()))
        title = " | ".join(dict.fromkeys(m.title for m in active if m.title))
        labels = sorted((m.label for m in active if m.label in _RANK), key=_RANK.__getitem__)
        attrs = f' class="{esc(classes)}"' + (f' title="{esc(title)}"' if title else "")
        if labels:
            out.append(f'<mark data-label="{labels[0]}"{attrs}>{piece}</mark>')
        else:
            out.append(f"<span{attrs}>{piece}</span>")
    return "".join(out)


def _passage_mark(label: str, similarity: object, where: str) -> Mark:
    label = norm_label(label)
    sim = f", similarity {float(similarity):.2f}" if isinstance(similarity, (int, float)) else ""
    return Mark(0, 0, f"hl hl-{label}" if label in _RANK else "hl", f"{label}{sim}{where}", label)


def _at(m: Mark, start: object, end: object) -> Mark | None:
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    return Mark(start, end, m.classes, m.title, m.label)


def _boilerplate_marks(doc: Mapping[str, Any] | None) -> list[Mark]:
    if not doc:
        return []
    return [Mark(int(s), int(e), "bp", "boilerplate (not analysed)") for s, e in doc.get("boilerplate") or []]


def _doc_block(caption: str, text: str, marks: Iterable[Mark], side: str, doc_id: str) -> str:
    return f'<div><p class="cap">{caption}</p><pre class="doc" data-side="{side}" data-doc="{esc(doc_id)}">{highlight(text, marks)}</pre></div>'


def _legend() -> str:
    items = [(f"hl-{lab}", lab) for lab in LABELS] + [("omitted", "omitted (in the original only)"), ("bp", "boilerplate")]
    parts = [f'<span><i class="sw {c}"></i>{esc(t)}</span>' for c, t in items]
    parts.append('<span><i class="drift">Witkoff</i> drifted fact</span><span><i class="attr">laut X</i> attribution</span>')
    return f'<p class="legend">{"".join(parts)} <span class="note">Hover a passage for its label and similarity.</span></p>'


# --------------------------------------------------------------------------- table


def _documents(scan: Report | None, derive: Report | None) -> list[dict[str, Any]]:
    """One merged row per document id, in input order (scan first, then derive-only ids)."""
    rows: dict[str, dict[str, Any]] = {}
    for report in (scan, derive):
        for d in (report or {}).get("documents", []):
            rows.setdefault(str(d.get("id")), {}).update({k: v for k, v in d.items() if v is not None or k not in rows.get(str(d.get("id")), {})})
    return list(rows.values())


def _family_names(scan: Report | None) -> dict[str, str]:
    return {str(m): str(fam["id"]) for fam in (scan or {}).get("families", []) for m in fam["documents"]}


def _table(rows: list[dict[str, Any]], families: dict[str, str], anchors: dict[str, str], with_derive: bool) -> str:
    """The documents table, in input order: one lean row each (20,000 documents stay a few MB)."""
    head = ["id", "status", "title / reason", "date", "lang", "chars"]
    if with_derive:
        head += ["class", "departure", "attributed", "parent"]
    head += ["family"]
    body = []
    for d in rows:
        doc_id = str(d.get("id"))
        ok = d.get("status", "ok") == "ok"
        link = f'<a href="#{anchors[doc_id]}">{esc(doc_id)}</a>' if doc_id in anchors else esc(doc_id)
        info = d.get("title") if ok else d.get("reason")
        note = f' <span class="note">({esc(d.get("reason"))})</span>' if ok and d.get("reason") else ""
        cells = [link, esc(d.get("status", "")), f"{esc(info or '')}{note}", esc(d.get("date") or ""), esc(d.get("language") or ""), esc(d.get("chars", ""))]
        if with_derive:
            dep = d.get("departure")
            attributed = d.get("attributed")
            cells += [esc(d.get("class") or ""), f"{dep:.2f}" if isinstance(dep, (int, float)) else "",
                      "" if attributed is None else ("yes" if attributed else "no"), esc(d.get("parent") or "")]
        cells.append(esc(families.get(doc_id, "")))
        row = "</td><td>".join(cells)
        body.append(f"<tr><td>{row}</td></tr>" if ok else f'<tr class="error"><td>{row}</td></tr>')
    header = "".join(f"<th>{h}</th>" for h in head)
    return f'<table class="docs" id="documents"><thead><tr>{header}</tr></thead><tbody>{"".join(body)}</tbody></table>'


# --------------------------------------------------------------------------- views


def _cluster_view(c: Mapping[str, Any], texts: Mapping[str, str], anchors: dict[str, str]) -> str:
    """One reprint cluster: its kind, origin and representative text beside its members (each member's text on demand).

    Only a syndication cluster's members carry their own texts (where they differ from the representative).
    """
    reused = c.get("kind") == "syndication"
    cid = str(c.get("id"))
    anchor = f"cluster-{cid}"
    origin = c.get("origin") or {}
    rep = c.get("representative") or {}
    rep_text = str(c.get("text") or "")
    rows = []
    for m in c.get("members", []):
        mid = str(m.get("id"))
        anchors.setdefault(mid, anchor)
        sim = m.get("similarity")
        is_rep = mid == rep.get("id") and m.get("start") == rep.get("start")
        if is_rep:
            shown = '<span class="note">representative</span>'
        elif isinstance(sim, (int, float)) and sim >= 1.0:
            shown = '<span class="note">same words as the representative</span>'
        elif reused and mid in texts:  # only the copies that differ carry their text: the page stays small for large clusters
            body = texts[mid][int(m["start"]) : int(m["end"])]
            shown = f'<details><summary>its text</summary><pre class="doc" data-doc="{esc(mid)}">{esc(body)}</pre></details>'
        else:
            shown = ""
        rows.append(
            f'<tr><td>{esc(mid)}</td><td class="num">{esc(m.get("start"))}–{esc(m.get("end"))}</td><td class="num">{esc(m.get("words"))}</td>'
            f'<td class="num">{f"{sim:.2f}" if isinstance(sim, (int, float)) else ""}</td><td>{shown}</td></tr>'
        )
    who = f"origin {esc(origin.get('id'))}" if origin.get("id") else "origin unknown"
    members = (
        '<table class="docs members"><thead><tr><th>document</th><th>span</th><th>words</th><th>similarity</th><th>text</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table>'
    )
    return (
        f'<section class="cluster" id="{anchor}" data-kind="{esc(c.get("kind"))}" data-size="{esc(c.get("size"))}">'
        f'<h4>{esc(cid)} · {esc(c.get("kind"))} · {esc(c.get("size"))} documents · {esc(c.get("words"))} words · {who}</h4>'
        f'<p class="note">{esc(c.get("reason"))}. Origin: {esc(origin.get("reason"))}.</p>'
        f'<div class="pair"><div><p class="cap">representative: {esc(rep.get("id"))} {esc(rep.get("start"))}–{esc(rep.get("end"))}</p>'
        f'<pre class="doc" data-side="representative">{esc(rep_text)}</pre></div>'
        f'<div><details{" open" if len(rows) <= 12 else ""}><summary>{len(rows)} member spans</summary>{members}</details></div></div></section>'
    )


def _cluster_views(scan: Report, texts: Mapping[str, str], anchors: dict[str, str]) -> list[str]:
    """The clusters by kind (stock and boilerplate folded away), the largest first, up to :data:`MAX_CLUSTER_VIEWS` drawn per kind."""
    from reuse.cluster import KINDS

    out = []
    for kind in KINDS:
        found = [c for c in scan.get("clusters", []) if c.get("kind") == kind]
        if not found:
            continue
        limit = MAX_CLUSTER_VIEWS[kind]
        body = "".join(_cluster_view(c, texts, anchors) for c in found[:limit])
        if len(found) > limit:
            rest = found[limit:]
            listed = "".join(
                f'<tr><td>{esc(c.get("id"))}</td><td class="num">{esc(c.get("size"))}</td><td class="num">{esc(c.get("words"))}</td>'
                f'<td>{esc((c.get("origin") or {}).get("id") or "unknown")}</td><td>{esc(str(c.get("text") or "")[:120])}</td></tr>'
                for c in rest
            )
            body += (
                f'<p class="note">{len(rest)} more {kind} clusters, smaller ones (their members are in the JSON report):</p>'
                f'<table class="docs"><thead><tr><th>cluster</th><th>documents</th><th>words</th><th>origin</th><th>text</th></tr></thead><tbody>{listed}</tbody></table>'
            )
        heading = f"{kind.capitalize()} clusters ({len(found)})"
        if kind == "syndication":
            out.append(f'<h3 id="{kind}">{heading}</h3>{body}')
        else:
            out.append(f'<details id="{kind}"><summary><b>{heading}</b> <span class="note">not reuse between documents</span></summary>{body}</details>')
    return out


def _source_info(derive: Report, texts: Mapping[str, str]) -> tuple[str, str | None]:
    """The source's display name and its text when it is a file (else ``None``: a latent original)."""
    source = derive.get("source") or {}
    if not isinstance(source, Mapping):
        return str(source), None
    name = next((str(source[k]) for k in ("id", "name", "path") if source.get(k)), "source")
    text = source.get("text") if isinstance(source.get("text"), str) else None
    for k in ("id", "path", "name"):
        if text is None and source.get(k) in texts:
            text = texts[source[k]]
    return name, text


def _latent_units(derive: Report) -> str:
    source = derive.get("source") or {}
    units = source.get("units") if isinstance(source, Mapping) else None
    if not isinstance(units, list) or not units:
        count = f" ({units} content units)" if isinstance(units, int) else ""
        return f'<p class="note">The source is not in the corpus; its content{count} is inferred from the reports that share it (evidence highlighted on the right).</p>'
    items = []
    for u in units[:200]:
        text = u.get("text") if isinstance(u, Mapping) else u
        items.append(f"<li>{esc(text)}</li>")
    return f'<p class="note">Latent original: content units attested by the reports.</p><ol class="doc">{"".join(items)}</ol>'


def _unaligned(text: str, covered: Sequence[tuple[int, int]], skip: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence units of ``text`` that overlap no ``covered`` span and lie outside ``skip`` (boilerplate)."""
    from reuse.segment import split

    out = []
    for u in split(text):
        if any(s < u.end and u.start < e for s, e in covered) or any(s <= u.start and u.end <= e for s, e in skip):
            continue
        if text[u.start : u.end].strip():
            out.append((u.start, u.end))
    return out


def _spans(items: Iterable[Mapping[str, Any]], start: str, end: str) -> list[tuple[int, int]]:
    return [(int(x[start]), int(x[end])) for x in items if isinstance(x.get(start), int) and isinstance(x.get(end), int)]


def _reference(d: Mapping[str, Any], source_name: str, source_text: str | None, texts: Mapping[str, str]) -> tuple[str, str]:
    """What a report is shown beside: ``("source", name)``, ``("doc", id)`` or ``("latent", name)``."""
    parent = d.get("parent")
    if isinstance(parent, str) and parent in texts and parent != source_name:
        return "doc", parent
    if source_text is not None:
        return "source", source_name
    # latent original: show the report whose units this report's evidence matches most often
    cited: dict[str, int] = {}
    for ev in d.get("evidence") or []:
        sid = ev.get("source_id")
        if isinstance(sid, str) and sid in texts and sid != d.get("id"):
            cited[sid] = cited.get(sid, 0) + 1
    if cited:
        return "doc", max(sorted(cited), key=cited.__getitem__)
    return "latent", source_name


def _derive_views(derive: Report, scan: Report | None, texts: Mapping[str, str], anchors: dict[str, str], start: int) -> tuple[list[str], int]:
    """One view per report: the reference (original, parent, the report it shares units with, or the latent source) beside it.

    Report passages are labelled from the evidence; report sentences aligned with
    nothing are *added*, and (against an original file) original sentences aligned
    with nothing are *omitted* — unless the evidence labels those itself.
    """
    source_name, source_text = _source_info(derive, texts)
    scan_docs = {str(d["id"]): d for d in (scan or {}).get("documents", [])}
    views, k = [], start
    for d in derive.get("documents", []):
        doc_id = str(d.get("id"))
        if d.get("status", "ok") != "ok" or doc_id not in texts or doc_id == source_name:
            continue
        if k - start >= MAX_VIEWS:
            views.append('<p class="note">More reports follow in the JSON report.</p>')
            break
        anchor = f"view-{k}"
        anchors[doc_id] = anchor
        kind, ref_id = _reference(d, source_name, source_text, texts)
        evidence = list(d.get("evidence") or [])
        labels = {norm_label(ev.get("label")) for ev in evidence}
        bp = _boilerplate_marks(scan_docs.get(doc_id))
        marks, ref_marks = list(bp), []
        for ev in evidence:
            label = norm_label(ev.get("label"))
            sid = ev.get("source_id")
            # evidence offsets index the original, the report named by source_id, or (families mode) the parent
            on_ref = (kind == "source" and sid in (None, source_name)) or (kind == "doc" and (sid or d.get("parent")) == ref_id)
            if label == "omitted":
                if kind == "source":
                    m = _at(Mark(0, 0, "omitted", "omitted: in the original, not in the report"), ev.get("source_start"), ev.get("source_end"))
                    ref_marks += [m] if m else []
                continue
            where = f" — {sid or 'source'} {ev.get('source_start')}–{ev.get('source_end')}" if isinstance(ev.get("source_start"), int) else ""
            marks += [m for m in [_at(_passage_mark(label, ev.get("similarity"), where), ev.get("start"), ev.get("end"))] if m]
            if on_ref and label != "added":
                back = _passage_mark(label, ev.get("similarity"), f" — {doc_id} {ev.get('start')}–{ev.get('end')}")
                ref_marks += [m for m in [_at(back, ev.get("source_start"), ev.get("source_end"))] if m]
        aligned = [e for e in evidence if norm_label(e.get("label")) not in ("added", "omitted")]
        if aligned and "added" not in labels:
            skip = [(m.start, m.end) for m in bp]
            added = _unaligned(texts[doc_id], _spans(aligned, "start", "end"), skip)
            marks += [Mark(s, e, "hl hl-added", "added: aligned with nothing in the source", "added") for s, e in added]
        if kind == "source" and aligned and "omitted" not in labels:
            assert source_text is not None
            gone = _unaligned(source_text, _spans(aligned, "source_start", "source_end"), [])
            ref_marks += [Mark(s, e, "omitted", "omitted: in the original, not in the report") for s, e in gone]
        for dr in d.get("drift") or []:
            title = f"drifted {dr.get('kind', 'fact')}: original {dr.get('original')!s} → report {dr.get('report')!s}"
            m = _at(Mark(0, 0, "drift", title), dr.get("start"), dr.get("end"))
            marks += [m] if m else []
        for at in d.get("attribution") or []:
            m = _at(Mark(0, 0, "attr", "attribution of the source"), at.get("start"), at.get("end"))
            marks += [m] if m else []
        if kind == "source":
            assert source_text is not None
            ref_html = _doc_block(f"original: {esc(source_name)}", source_text, ref_marks, "source", source_name)
        elif kind == "doc":
            role = "parent" if d.get("parent") == ref_id else "shares source units with"
            pmarks = _boilerplate_marks(scan_docs.get(ref_id)) + ref_marks
            for s, e in shared_spans(scan or {}, [doc_id, ref_id]).get((ref_id, doc_id), []):
                pmarks.append(Mark(s, e, "hl hl-near-verbatim", f"shared with {doc_id} (scan cluster)", "near-verbatim"))
            ref_html = _doc_block(f"{role}: {esc(ref_id)}", texts[ref_id], pmarks, "parent", ref_id)
        else:
            ref_html = f'<div><p class="cap">source: {esc(source_name)}</p>{_latent_units(derive)}</div>'
        dep = d.get("departure")
        summary = ", ".join(
            x for x in (
                esc({"wholly": "wholly derived", "partially": "partially derived", "non": "non-derived"}.get(str(d.get("class")), d.get("class") or "")),
                f"departure {dep:.2f}" if isinstance(dep, (int, float)) else "",
                "" if d.get("attributed") is None else ("attributed" if d.get("attributed") else "not attributed"),
                f"{len(d.get('drift') or [])} drifted fact(s)" if d.get("drift") else "",
            ) if x
        )
        views.append(
            f'<section class="view" id="{anchor}"><h3>{esc(doc_id)} <span class="note">{summary}</span></h3>'
            f'<div class="pair">{ref_html}{_doc_block(f"report: {esc(doc_id)}", texts[doc_id], marks, "report", doc_id)}</div></section>'
        )
        k += 1
    return views, k


# --------------------------------------------------------------------------- drawings


def _colour(value: float) -> str:
    """White (0) to dark red (1)."""
    v = max(0.0, min(1.0, value))
    r, g, b = (255 - 75 * v, 255 - 215 * v, 255 - 205 * v)
    return f"rgb({r:.0f},{g:.0f},{b:.0f})"


def _matrix_ids(scan: Report) -> list[str]:
    return matrix_ids(scan, MAX_MATRIX_DOCS)


def heatmap_svg(scan: Report) -> str:
    """The document-by-document coverage matrix as an inline SVG (hover a cell for its value)."""
    ids, matrix = coverage_matrix(scan, _matrix_ids(scan))
    if not ids:
        return '<p class="note">No analysed documents.</p>'
    # colours scale to the largest off-diagonal value (shown in the caption): shares are often small
    top = max([matrix[i][j] for i in range(len(ids)) for j in range(len(ids)) if i != j] + [0.0]) or 1.0
    cell, label_w = max(10, min(40, 600 // len(ids))), 170
    size = label_w + cell * len(ids)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" id="heatmap" width="{size + 130}" height="{size + 10}" viewBox="0 0 {size + 130} {size + 10}" style="max-width:100%;height:auto" role="img" aria-label="similarity heatmap">']
    for i, row_id in enumerate(ids):
        y = label_w + i * cell
        parts.append(f'<text x="{label_w - 4}" y="{y + cell * 0.65:.1f}" text-anchor="end">{esc(_short(row_id))}</text>')
        parts.append(f'<text transform="translate({label_w + i * cell + cell * 0.65:.1f},{label_w - 4}) rotate(-60)">{esc(_short(row_id))}</text>')
        for j, col_id in enumerate(ids):
            v = matrix[i][j]
            tip = f"{row_id} ← {col_id}: {v:.0%} of {row_id} in shared passages" if i != j else str(row_id)
            fill = _colour(v / top) if i != j else "#eee"
            parts.append(
                f'<rect x="{label_w + j * cell}" y="{y}" width="{cell}" height="{cell}" fill="{fill}" '
                f'stroke="#ddd" data-value="{v:.4f}"><title>{esc(tip)}</title></rect>'
            )
    parts.append("</svg>")
    return "".join(parts) + f'<p class="note">Darkest cell = {top:.0%}; the diagonal is grey.</p>'


def graph_svg(scan: Report | None, derive: Report | None) -> str:
    """Families (scan) or derivations (derive: parent → report arrows) drawn on a circle."""
    families = _family_names(scan)
    classes = {str(d["id"]): d.get("class") for d in (derive or {}).get("documents", [])}
    edges: dict[tuple[str, str], float] = {}
    directed = False
    if derive is not None and any(d.get("parent") for d in derive.get("documents", [])):
        directed = True
        source_name = _source_info(derive, {})[0]
        for d in derive.get("documents", []):
            parent = d.get("parent")
            if parent:
                edges[(source_name if parent == "source" else str(parent), str(d["id"]))] = 1.0
    elif scan is not None:
        ids, matrix = coverage_matrix(scan, _matrix_ids(scan))
        for i, a in enumerate(ids):
            for j in range(i + 1, len(ids)):
                w = max(matrix[i][j], matrix[j][i])
                if w > 0:
                    edges[(a, ids[j])] = w
    nodes = list(dict.fromkeys([n for e in edges for n in e]))
    if not nodes:
        return '<p class="note">No document shares passages with another.</p>'
    nodes = nodes[:MAX_MATRIX_DOCS]
    n, radius = len(nodes), min(60 + 18 * len(nodes), 420)  # large corpora: nodes get closer, the drawing stays on screen
    width = 2 * radius + 360
    cx, cy = width / 2, radius + 40
    pos = {v: (cx + radius * math.cos(2 * math.pi * k / n - math.pi / 2), cy + radius * math.sin(2 * math.pi * k / n - math.pi / 2)) for k, v in enumerate(nodes)}
    palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"]
    class_fill = {"wholly": "#c0392b", "partially": "#e67e22", "non": "#95a5a6"}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" id="graph" width="{width:.0f}" height="{2 * radius + 80:.0f}" viewBox="0 0 {width:.0f} {2 * radius + 80:.0f}" style="max-width:100%;height:auto" role="img" aria-label="document graph">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="19" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
             '<path d="M0,0L10,5L0,10z" fill="#666"/></marker></defs>']
    for (a, b), w in edges.items():
        if a in pos and b in pos:
            (x1, y1), (x2, y2) = pos[a], pos[b]
            marker = ' marker-end="url(#arrow)"' if directed else ""
            tip = f"{a} → {b}" if directed else f"{a} ↔ {b}: up to {w:.0%} of a document in shared passages"
            parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#888" stroke-width="{1 + 6 * w:.1f}"{marker}>'
                         f"<title>{esc(tip)}</title></line>")
    for v, (x, y) in pos.items():
        fam = families.get(v, "")
        fill = class_fill.get(str(classes.get(v)), palette[(int(fam[1:]) - 1) % len(palette)] if fam else "#444")
        anchor = "start" if x >= cx else "end"
        dx = 12 if x >= cx else -12
        tip = " ".join(x for x in (v, fam and f"family {fam}", classes.get(v) and f"class {classes.get(v)}") if x)
        parts.append(f'<g><circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="{fill}" stroke="#fff"><title>{esc(tip)}</title></circle>'
                     f'<text x="{x + dx:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}">{esc(_short(v, 30))}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def bars_svg(values: Mapping[str, float], label: str) -> str:
    """Horizontal bars in [0, 1], one per document."""
    if not values:
        return ""
    row, label_w, bar_w = 18, 200, 400
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" id="bars" width="{label_w + bar_w + 60}" height="{row * len(values) + 24}" role="img" aria-label="{esc(label)}">']
    for k, (doc_id, v) in enumerate(values.items()):
        y = k * row + 4
        parts.append(f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">{esc(_short(doc_id, 30))}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{bar_w * max(0.0, min(1.0, v)):.1f}" height="{row - 4}" fill="#c0504d"><title>{esc(doc_id)}: {label} {v:.2f}</title></rect>'
                     f'<text x="{label_w + bar_w * max(0.0, min(1.0, v)) + 4:.1f}" y="{y + 12}">{v:.2f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _short(doc_id: str, width: int = 24) -> str:
    doc_id = str(doc_id)
    return doc_id if len(doc_id) <= width else doc_id[: width - 1] + "…"


# --------------------------------------------------------------------------- page


def render_html(texts: Mapping[str, str], scan: Report | None = None, derive: Report | None = None, title: str = "reuse report") -> str:
    """Render a scan and/or derive report as one self-contained HTML page.

    Parameters
    ----------
    texts : mapping of str to str
        ``{document id: text}`` as loaded (offsets in the reports index these
        texts); may also hold the original under the source's id.
    scan : mapping, optional
        ``reuse.report.scan_dict(result)``: clusters, families, boilerplate, heatmap.
    derive : mapping, optional
        The ``derive`` report dict: class, departure, attribution, parent, evidence, drift.
    title : str
        Page title.

    Returns
    -------
    str
        The HTML document (UTF-8 safe: lone surrogates are replaced).

    Raises
    ------
    ValueError
        Neither report was given.
    """
    if scan is None and derive is None:
        raise ValueError("render_html needs a scan report, a derive report, or both")
    anchors: dict[str, str] = {}
    views: list[str] = []
    k = 0
    if derive is not None:
        dviews, k = _derive_views(derive, scan, texts, anchors, k)
        views += dviews
    clusters: list[str] = []
    if scan is not None:
        clusters = _cluster_views(scan, texts, anchors)
        if derive is not None and clusters:
            clusters = [f"<details><summary>Texts shared between the reports ({len(scan.get('clusters', []))} clusters)</summary>{''.join(clusters)}</details>"]
    rows = _documents(scan, derive)
    errors = sum(1 for d in rows if d.get("status", "ok") != "ok")
    counts = [f"{len(rows)} documents ({errors} not analysed)"]
    if scan is not None:
        kinds = [c.get("kind") for c in scan.get("clusters", [])]
        counts += [f"{len(kinds)} clusters ({kinds.count('syndication')} syndication)", f"{len(scan.get('families', []))} families"]
    sections = [
        f"<h1>{esc(title)}</h1><p>{esc(', '.join(counts))}</p>",
        "<h2>Documents</h2>",
        _table(rows, _family_names(scan), anchors, derive is not None),
    ]
    if derive is not None:
        sections += ['<h2 id="views">Side by side</h2>', _legend(), "".join(views) or '<p class="note">No report was analysed.</p>']
    if scan is not None:
        sections += ['<h2 id="clusters">Reused texts</h2>', "".join(clusters) or '<p class="note">No text is shared between documents.</p>']
    sections += [
        '<h2 id="graph-h">Families and derivations</h2>',
        graph_svg(scan, derive),
    ]
    if scan is not None:
        sections += ['<h2 id="heatmap-h">Similarity heatmap</h2>',
                     '<p class="note">Cell (row, column): share of the row document inside texts (clusters) it shares with the column document.</p>',
                     heatmap_svg(scan)]
    if derive is not None:
        from reuse.plots import departures

        sections += ['<h2 id="bars-h">Departure per report</h2>', bars_svg(departures(derive), "departure")]
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{esc(title)}</title><style>{_CSS}</style></head>'
        f"<body>{''.join(sections)}</body></html>\n"
    )


def scan_html(scan: Report, texts: Mapping[str, str], title: str = "reuse scan") -> str:
    """Shortcut: the HTML view of a ``scan_dict`` report."""
    return render_html(texts, scan=scan, title=title)


def texts_of(documents: Sequence[Any]) -> dict[str, str]:
    """``{id: text}`` of loaded :class:`reuse.io.Document` objects (error documents have empty text)."""
    return {d.id: d.text for d in documents}


__all__ = ["LABELS", "Mark", "bars_svg", "esc", "graph_svg", "heatmap_svg", "highlight", "render_html", "scan_html", "texts_of"]
