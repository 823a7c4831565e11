"""Numbers behind the pictures, and matplotlib plots of a report (``--plot FILE.png``).

The matrix helpers are plain Python over the report dicts (``scan_dict`` and
``derive_dict``) so the HTML report can draw the same numbers as inline SVG
without matplotlib.  :func:`plot_report` imports matplotlib lazily with the
non-interactive Agg backend: it never opens a window and needs no display.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from reuse.errors import ReuseError

Report = Mapping[str, Any]


def _union_length(spans: Sequence[tuple[int, int]]) -> int:
    """Total length covered by possibly overlapping ``(start, end)`` spans."""
    total, cur_s, cur_e = 0, None, None
    for s, e in sorted(spans):
        if cur_e is None or s > cur_e:
            if cur_e is not None:
                total += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    if cur_e is not None:
        total += cur_e - cur_s
    return total


def shared_spans(scan: Report, ids: Sequence[str]) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """Spans of document ``x`` in clusters it shares with ``y``, per pair ``(x, y)`` of the given documents."""
    keep = set(ids)
    out: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for c in scan.get("clusters", []):
        members = [m for m in c.get("members", []) if m["id"] in keep]
        names = {m["id"] for m in members}
        if len(names) < 2:
            continue
        for m in members:
            for other in names - {m["id"]}:
                out.setdefault((m["id"], other), []).append((m["start"], m["end"]))
    return out


def coverage_matrix(scan: Report, ids: Sequence[str] | None = None) -> tuple[list[str], list[list[float]]]:
    """Share of each document's characters inside texts (reprint clusters) it shares with each other document.

    Parameters
    ----------
    scan : mapping
        A ``scan_dict`` report (``documents``, ``clusters``).
    ids : sequence of str, optional
        Which documents, in which order (default: every analysed document).

    Returns
    -------
    ids, matrix
        ``matrix[i][j]`` is the share (0..1) of document ``i``'s text inside
        clusters it shares with document ``j``; the diagonal is 1.  The matrix is
        not symmetric: a short report fully copied into a long one is 1.0 in its
        own row and small in the long one's.
    """
    docs = {d["id"]: d for d in scan.get("documents", [])}
    if ids is None:
        ids = [d["id"] for d in scan.get("documents", []) if d.get("status") == "ok"]
    index = {d: i for i, d in enumerate(ids)}
    n = len(ids)
    matrix = [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]
    for (x, y), s in shared_spans(scan, ids).items():
        chars = docs.get(x, {}).get("chars") or 0
        matrix[index[x]][index[y]] = min(1.0, _union_length(s) / chars) if chars else 0.0
    return list(ids), matrix


def matrix_ids(scan: Report, max_docs: int) -> list[str]:
    """The documents a heatmap shows: members of the largest clusters (syndication first), up to ``max_docs``, in input order.

    Ranking single documents would pick the top reusers without their partners (an
    empty matrix); taking whole clusters keeps every shown link visible.  Corpora
    small enough show every analysed document.
    """
    ok = [d["id"] for d in scan.get("documents", []) if d.get("status") == "ok"]
    if len(ok) <= max_docs:
        return ok
    keep: set[str] = set()
    for c in scan.get("clusters", []):  # listed syndication first, largest first
        names = {m["id"] for m in c.get("members", [])}
        if len(keep | names) > max_docs:
            continue
        keep |= names
    return [d for d in ok if d in keep]


def reused_share(scan: Report) -> dict[str, float]:
    """Share of each analysed document's characters inside any cluster's text."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for c in scan.get("clusters", []):
        for m in c.get("members", []):
            spans.setdefault(m["id"], []).append((m["start"], m["end"]))
    out = {}
    for d in scan.get("documents", []):
        if d.get("status") == "ok":
            chars = d.get("chars") or 0
            out[d["id"]] = min(1.0, _union_length(spans.get(d["id"], [])) / chars) if chars else 0.0
    return out


def departures(derive: Report) -> dict[str, float]:
    """``{id: departure}`` of the analysed documents of a ``derive_dict`` report."""
    return {
        d["id"]: float(d["departure"])
        for d in derive.get("documents", [])
        if d.get("status", "ok") == "ok" and isinstance(d.get("departure"), (int, float))
    }


def plot_report(path: str | Path, scan: Report | None = None, derive: Report | None = None, max_docs: int = 60) -> Path:
    """Write a PNG: the document-by-document heatmap and a bar per report.

    Parameters
    ----------
    path : str or Path
        The PNG file to write.
    scan : mapping, optional
        A ``scan_dict`` report; gives the heatmap (and the bars when ``derive`` is absent:
        the share of each document inside reused passages).
    derive : mapping, optional
        A ``derive_dict`` report; gives the departure bars.
    max_docs : int
        The heatmap and the bars show at most this many documents (those with the most
        reuse, or the highest departure), so large corpora stay legible.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ReuseError
        matplotlib is not installed, or the file cannot be written.
    """
    if scan is None and derive is None:
        raise ReuseError("plot_report needs a scan or a derive report")
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display needed, never opens a window
        import matplotlib.pyplot as plt
    except ImportError:
        raise ReuseError("--plot needs matplotlib: pip install 'reuse[plot]'") from None

    if derive is not None:
        bars = departures(derive)
        bar_title, bar_label = "Departure from the source per report (0 = copy, 1 = independent)", "departure"
    else:
        bars = reused_share(scan or {})
        bar_title, bar_label = "Share of each document inside reused texts (clusters)", "share reused"
    if len(bars) > max_docs:  # a bar per document stops being readable (and slows matplotlib) on large corpora
        top = sorted(bars, key=lambda k: (-bars[k], k))[:max_docs]
        bars = {k: bars[k] for k in bars if k in set(top)}
        bar_title += f" (top {max_docs})"
    ids: list[str] = []
    matrix: list[list[float]] = []
    if scan is not None:
        ids, matrix = coverage_matrix(scan, matrix_ids(scan, max_docs))

    panels = (1 if ids else 0) + 1
    fig, axes = plt.subplots(1, panels, figsize=(6.5 * panels, 5.5), squeeze=False)
    ax_i = 0
    if ids:
        ax = axes[0][0]
        # the diagonal (a document with itself) would swamp the small off-diagonal shares: mask it
        off = [[v if i != j else float("nan") for j, v in enumerate(row)] for i, row in enumerate(matrix)]
        top = max([v for row in off for v in row if v == v] + [0.0]) or 1.0
        cmap = plt.get_cmap("magma_r").with_extremes(bad="#dddddd")
        image = ax.imshow(off, vmin=0.0, vmax=top, cmap=cmap)
        labels = [_short(i) for i in ids]
        size = max(4.0, min(8.0, 360 / len(ids)))
        ax.set_xticks(range(len(ids)), labels, rotation=60, ha="right", fontsize=size)
        ax.set_yticks(range(len(ids)), labels, fontsize=size)
        ax.set_title("Share of row document in texts shared with column", fontsize=9)
        fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
        ax_i = 1
    ax = axes[0][ax_i]
    names = list(bars)
    ax.barh(range(len(names)), [bars[k] for k in names], color="#c0504d")
    ax.set_yticks(range(len(names)), [_short(k) for k in names], fontsize=max(4.0, min(8.0, 360 / max(1, len(names)))))
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel(bar_label)
    ax.set_title(bar_title, fontsize=9)
    fig.tight_layout()
    out = Path(path)
    try:
        fig.savefig(out, format="png", dpi=110)
    except OSError as exc:
        raise ReuseError(f"{out}: cannot write the plot ({exc.strerror or exc})") from None
    finally:
        plt.close(fig)
    return out


def _short(doc_id: str, width: int = 24) -> str:
    return doc_id if len(doc_id) <= width else doc_id[: width - 1] + "…"


__all__ = ["coverage_matrix", "departures", "matrix_ids", "plot_report", "reused_share", "shared_spans"]
