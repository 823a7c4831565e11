"""The HTML report: escaping, offsets of highlighted passages, the CLI, and a real headless Chromium."""

from __future__ import annotations

import json
import struct
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser import alert_text, chromium, console_errors, full_page_png  # tests/browser.py (tests/ is on sys.path under pytest)
from click.testing import CliRunner

from reuse.cli import main
from reuse.html import Mark, highlight, render_html, texts_of
from reuse.io import documents_from_texts
from reuse.pipeline import scan
from reuse.report import scan_dict

HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = "<img src=x onerror=\"document.title='pwned';alert(2)\">"
#: A sentence long enough to be reported as a shared passage.
SHARED = "Die Regierung in Washington arbeitet nach übereinstimmenden Berichten seit Wochen an einem neuen Plan für die Region."


class _Docs(HTMLParser):
    """Collect, per ``<pre class="doc">``, its text and the ranges inside ``<mark data-label>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.docs: list[dict] = []
        self.depth = 0
        self.label: str | None = None
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "pre" and "doc" in (a.get("class") or "").split():
            self.docs.append({"doc": a.get("data-doc"), "side": a.get("data-side"), "text": "", "marks": []})
            self.depth = 1
        elif self.depth and tag == "mark":
            self.label = a.get("data-label")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self.depth = 0
        elif tag == "mark":
            self.label = None

    def handle_data(self, data: str) -> None:
        if self.depth:
            cur = self.docs[-1]
            if self.label:
                cur["marks"].append((len(cur["text"]), len(cur["text"]) + len(data), self.label))
            cur["text"] += data


def _covered(spans) -> set[int]:
    return {i for s, e, *_ in spans for i in range(s, e)}


def parse(page: str) -> _Docs:
    parser = _Docs()
    parser.feed(page)
    return parser


# --------------------------------------------------------------------------- highlight


def test_highlight_escapes_and_splits_overlapping_marks() -> None:
    text = "a <b> & c"
    out = highlight(text, [Mark(0, 5, "hl hl-verbatim", "one", "verbatim"), Mark(2, 9, "drift", "two")])
    assert "<b>" not in out and "&lt;b&gt;" in out and "&amp;" in out
    parsed = parse(f'<pre class="doc">{out}</pre>').docs[0]
    assert parsed["text"] == text
    assert _covered(parsed["marks"]) == set(range(0, 5))
    assert 'class="hl hl-verbatim drift"' in out and 'title="one | two"' in out


def test_highlight_clips_offsets_and_ignores_empty_marks() -> None:
    out = highlight("abc", [Mark(-5, 2, "hl", "", "verbatim"), Mark(2, 99, "hl", "", "added"), Mark(1, 1, "x")])
    parsed = parse(f'<pre class="doc">{out}</pre>').docs[0]
    assert parsed["text"] == "abc"
    assert [(s, e, lab) for s, e, lab in parsed["marks"]] == [(0, 2, "verbatim"), (2, 3, "added")]


def test_lone_surrogates_and_controls_do_not_break_the_page() -> None:
    out = highlight("x\ud800y\x01z", [])
    out.encode("utf-8")  # would raise on a lone surrogate
    assert len(parse(f'<pre class="doc">{out}</pre>').docs[0]["text"]) == 5


# --------------------------------------------------------------------------- scan report


@pytest.fixture(scope="module")
def seeds_report(seed_docs):
    # the seeds and a lightly edited copy of one: a syndication cluster (with a member that differs) beside the stock ones
    first = seed_docs[0]
    copy = replace(first, id="zz_copy", text=first.text.replace("Ukraine", "Ukraina", 3))
    docs = [*seed_docs, copy]
    return scan_dict(scan(docs)), texts_of(docs)


class _Clusters(HTMLParser):
    """Collect each ``<section class="cluster">``: its id and kind, its representative text, member rows and member texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.clusters: list[dict] = []
        self.field: str | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section" and a.get("class") == "cluster":
            self.clusters.append({"id": a["id"], "kind": a.get("data-kind"), "text": "", "rows": [], "texts": {}})
        elif self.clusters and tag == "pre":
            self.field = "text" if a.get("data-side") == "representative" else a.get("data-doc")
            if self.field != "text":
                self.clusters[-1]["texts"][self.field] = ""
        elif self.clusters and tag == "tr":
            self.cell = []
        elif self.cell is not None and tag == "td":
            self.cell.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self.field = None
        elif tag == "tr" and self.cell is not None:
            if self.cell:
                self.clusters[-1]["rows"].append(self.cell)
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.field == "text":
            self.clusters[-1]["text"] += data
        elif self.field:
            self.clusters[-1]["texts"][self.field] += data
        elif self.cell:
            self.cell[-1] += data


def test_seeds_report_shows_every_cluster_by_kind(seeds_report) -> None:
    report, texts = seeds_report
    assert {c["kind"] for c in report["clusters"]} == {"syndication", "stock"}
    page = render_html(texts, scan=report)
    parser = _Clusters()
    parser.feed(page)
    shown = {c["id"]: c for c in parser.clusters}
    assert list(shown) == [f"cluster-{c['id']}" for c in report["clusters"]]  # every cluster, syndication first
    for c in report["clusters"]:
        view = shown[f"cluster-{c['id']}"]
        assert view["kind"] == c["kind"] and view["text"] == c["text"]
        assert [(r[0], r[1]) for r in view["rows"]] == [(m["id"], f"{m['start']}–{m['end']}") for m in c["members"]]
        for m in c["members"]:  # a member that differs from the representative carries its own text, quoted from its document
            if m["id"] in view["texts"]:
                assert m["similarity"] < 1.0 and view["texts"][m["id"]] == texts[m["id"]][m["start"] : m["end"]]
    (syndication,) = [shown[f"cluster-{c['id']}"] for c in report["clusters"] if c["kind"] == "syndication"]
    assert list(syndication["texts"]) == ["zz_copy"] or list(syndication["texts"]) == [report["clusters"][0]["members"][0]["id"]]
    # every document is in the table, stock clusters are folded away, and the drawings are there
    for d in report["documents"]:
        assert f">{d['id']}<" in page
    assert '<details id="stock">' in page and '<h3 id="syndication">' in page
    assert '<svg xmlns="http://www.w3.org/2000/svg" id="heatmap"' in page and 'id="graph"' in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "") and "https://" not in page


def test_large_cluster_lists_stay_small(tmp_path: Path) -> None:
    # 400 copies of one article and 400 short texts sharing a stock phrase: the page lists members, not 400 texts
    article = " ".join(f"wort{k % 97} satz{k // 7}" for k in range(300)) + "."
    texts = {f"copy{k:03d}": f"Titel {k}\n\n{article}" for k in range(400)}
    page = render_html(texts, scan=scan_dict(scan(documents_from_texts(texts))))
    parser = _Clusters()
    parser.feed(page)
    (c,) = parser.clusters
    assert len(c["rows"]) == 400 and c["texts"] == {}  # identical copies: one text, 400 member rows
    assert len(page.encode("utf-8")) < 200_000


def _hostile_docs():
    shared = f"{SHARED} {HOSTILE_SCRIPT} {SHARED} {HOSTILE_IMG} {SHARED}"
    return documents_from_texts(
        {
            "hostile": f"Erste Zeile {HOSTILE_SCRIPT}\n{shared} Und dann am Ende.",
            HOSTILE_IMG: f"Ein anderer Anfang.\n{shared.replace('Wochen', 'Monaten')} Weitere Sätze folgen hier ohne Bezug.",
        }
    )


def test_hostile_text_and_ids_are_escaped() -> None:
    docs = _hostile_docs()
    report = scan_dict(scan(docs))
    assert report["clusters"], "the hostile documents share a text, so it is shown with its members"
    page = render_html(texts_of(docs), scan=report)
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    parsed = parse(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    parser = _Clusters()
    parser.feed(page)
    (c,) = parser.clusters
    assert HOSTILE_SCRIPT in c["text"] and HOSTILE_IMG in c["text"]
    assert {r[0] for r in c["rows"]} == {"hostile", HOSTILE_IMG}


# --------------------------------------------------------------------------- derive-shaped report


def _derive_case():
    original = "Axios reported the plan. The plan has 28 points. Witkoff met Dmitriev in Miami. Europe was not consulted."
    report = "Laut Axios hat der Plan 28 Punkte. Whitcoff traf Dmitrijew in Miami. Neu ist: Kiew protestiert."

    def at(text: str, piece: str) -> tuple[int, int]:
        s = text.index(piece)
        return s, s + len(piece)

    def ev(label: str, rep: str | None, orig: str | None, sim: float) -> dict:
        rs, re_ = at(report, rep) if rep else (None, None)
        os_, oe = at(original, orig) if orig else (None, None)
        return {"label": label, "start": rs, "end": re_, "source_start": os_, "source_end": oe, "similarity": sim}

    ws, we = at(report, "Whitcoff")
    a_s, a_e = at(report, "Laut Axios")
    derive = {
        "source": {"id": "orig", "kind": "original"},
        "documents": [
            {
                "id": "rep", "status": "ok", "reason": "", "derived": True, "class": "partially", "departure": 0.55,
                "attributed": True, "attribution": [{"start": a_s, "end": a_e, "text": "Laut Axios"}],
                "components": {}, "parent": "source",
                "drift": [{"kind": "name", "original": "Witkoff", "report": "Whitcoff", "start": ws, "end": we}],
                "evidence": [
                    ev("paraphrase", "hat der Plan 28 Punkte.", "The plan has 28 points.", 0.4),
                    ev("near_verbatim", "Whitcoff traf Dmitrijew in Miami.", "Witkoff met Dmitriev in Miami.", 0.7),
                    ev("added", "Neu ist: Kiew protestiert.", None, 0.0),
                    ev("omitted", None, "Europe was not consulted.", 0.0),
                ],
            },
            {"id": "bad", "status": "error", "reason": "empty: the file has no content"},
        ],
    }
    return original, report, derive


def test_derive_view_labels_drift_attribution_and_omitted() -> None:
    original, report, derive = _derive_case()
    page = render_html({"orig": original, "rep": report}, derive=derive)
    parsed = parse(page)
    (src,) = [d for d in parsed.docs if d["side"] == "source"]
    (rep,) = [d for d in parsed.docs if d["side"] == "report"]
    assert src["text"] == original and rep["text"] == report
    spans: dict[str, list[tuple[int, int]]] = {}
    for s, e, lab in rep["marks"]:  # a drift inside a passage splits it into segments
        spans.setdefault(lab, []).append((s, e))
    labels = {lab: report[min(s for s, _ in v) : max(e for _, e in v)] for lab, v in spans.items()}
    assert labels["paraphrase"] == "hat der Plan 28 Punkte."
    assert labels["near-verbatim"] == "Whitcoff traf Dmitrijew in Miami."
    assert labels["added"] == "Neu ist: Kiew protestiert."
    assert 'class="omitted"' in page and "Europe was not consulted." in page
    assert "drift" in page and "original Witkoff → report Whitcoff" in page
    assert 'class="attr"' in page
    assert "partially derived" in page and ">bad<" in page and "empty: the file has no content" in page
    assert 'id="bars"' in page


def test_render_needs_a_report() -> None:
    with pytest.raises(ValueError, match="needs a scan report"):
        render_html({})


# --------------------------------------------------------------------------- CLI


def test_cli_scan_writes_html(seeds_dir, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["scan", str(seeds_dir), "--format", "html", "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<section class="cluster"' in page
    assert len(parse(page).docs) >= 2


# --------------------------------------------------------------------------- real browser

#: Walk each ``pre.doc`` in the page and return its text and the ranges inside highlighted marks.
_DOM_MARKS = """
const out = [];
for (const pre of document.querySelectorAll('pre.doc')) {
  let pos = 0; const spans = [];
  const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const m = node.parentElement.closest('mark[data-label]');
    if (m && pre.contains(m)) spans.push([pos, pos + node.data.length, m.dataset.label, m.title]);
    pos += node.data.length;
  }
  out.push({doc: pre.dataset.doc, side: pre.dataset.side, text: pre.textContent, spans: spans});
}
return out;
"""


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_browser_renders_seeds_report(seeds_report, tmp_path: Path) -> None:
    report, texts = seeds_report
    page = tmp_path / "seeds.html"
    page.write_text(render_html(texts, scan=report, title="seeds"), encoding="utf-8")
    with chromium() as driver:
        driver.get(page.as_uri())
        assert driver.title == "seeds"
        shown = driver.execute_script(
            "return [...document.querySelectorAll('section.cluster')].map(s => [s.id, s.dataset.kind, s.querySelector('pre[data-side=representative]').textContent,"
            " s.querySelectorAll('tbody tr').length, s.checkVisibility()])"
        )
        # stock clusters are folded away until asked for; a member's own text opens on demand
        hidden_stock = driver.execute_script("return document.getElementById('stock').open")
        driver.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
        member_texts = driver.execute_script(
            "return [...document.querySelectorAll('section.cluster pre[data-doc]')].map(p => [p.dataset.doc, p.textContent, p.checkVisibility()])"
        )
        png = full_page_png(driver, str(tmp_path / "seeds.png"))
        errors = console_errors(driver)
    assert errors == []
    width, height = _png_size(png)
    assert width >= 800 and height >= 600 and len(png) > 20_000
    assert [row[:4] for row in shown] == [[f"cluster-{c['id']}", c["kind"], c["text"], len(c["members"])] for c in report["clusters"]]
    assert [row[4] for row in shown] == [c["kind"] == "syndication" for c in report["clusters"]]
    assert hidden_stock is False
    spans = {(m["id"], texts[m["id"]][m["start"] : m["end"]]) for c in report["clusters"] for m in c["members"]}
    assert member_texts and all((doc, text) in spans and visible for doc, text, visible in member_texts)


def test_browser_hostile_document_executes_nothing(tmp_path: Path) -> None:
    docs = _hostile_docs()
    page = tmp_path / "hostile.html"
    page.write_text(render_html(texts_of(docs), scan=scan_dict(scan(docs)), title="hostile"), encoding="utf-8")
    with chromium() as driver:
        driver.get(page.as_uri())
        assert alert_text(driver) is None
        assert driver.title == "hostile"  # the onerror handler would have renamed it
        counts = driver.execute_script(
            "return [document.scripts.length, document.images.length, document.querySelectorAll('[onerror]').length]"
        )
        body = driver.execute_script("return document.body.textContent")
        errors = console_errors(driver)
    assert counts == [0, 0, 0]
    assert HOSTILE_SCRIPT in body and HOSTILE_IMG in body
    assert errors == []


@pytest.mark.parametrize("mode", ["original", "latent"])
def test_cli_derive_writes_html_with_the_evidence(seeds_dir, seed_file, tmp_path: Path, mode: str) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    for prefix in ("001", "002", "003", "004"):
        (reports / seed_file(prefix).name).write_bytes(seed_file(prefix).read_bytes())
    if mode == "original":
        args = ["derive", str(reports), "--original", str(seed_file("000"))]
    else:
        args = ["derive", str(seeds_dir), "--source-name", "Axios"]
    page_file, json_file, png = tmp_path / "d.html", tmp_path / "d.json", tmp_path / "d.png"
    result = CliRunner().invoke(main, [*args, "--format", "html", "-o", str(page_file), "--plot", str(png), "-q"])
    assert result.exit_code == 0, result.output
    assert CliRunner().invoke(main, [*args, "--format", "json", "-o", str(json_file), "-q"]).exit_code == 0
    derive = json.loads(json_file.read_text(encoding="utf-8"))
    page = page_file.read_text(encoding="utf-8")
    parsed = parse(page)
    shown = {d["doc"]: d for d in parsed.docs if d["side"] == "report"}
    for d in derive["documents"]:
        assert f">{d['id']}<" in page
        if d["status"] != "ok":
            continue
        view = shown[d["id"]]
        assert view["text"] == Path(next(reports.glob(d["id"] + ".txt")) if mode == "original" else seeds_dir / (d["id"] + ".txt")).read_text(encoding="utf-8")
        # every evidence passage is highlighted at its offsets (sentences aligned with nothing are "added")
        evidence = _covered([(e["start"], e["end"]) for e in d["evidence"] if e["label"] not in ("added", "omitted")])
        assert _covered([m for m in view["marks"] if m[2] != "added"]) == evidence
    if mode == "original":
        assert any(d["side"] == "source" for d in parsed.docs)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_browser_renders_derive_report_against_the_original(seed_file, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    for prefix in ("001", "002", "003"):
        (reports / seed_file(prefix).name).write_bytes(seed_file(prefix).read_bytes())
    page = tmp_path / "derive.html"
    result = CliRunner().invoke(main, ["derive", str(reports), "--original", str(seed_file("000")), "--format", "html", "-o", str(page), "-q"])
    assert result.exit_code == 0, result.output
    with chromium() as driver:
        driver.get(page.as_uri())
        dom = driver.execute_script(_DOM_MARKS)
        errors = console_errors(driver)
        omitted = driver.execute_script("return document.querySelectorAll('pre[data-side=source] .omitted').length")
    assert errors == []
    original_text = seed_file("000").read_text(encoding="utf-8")
    sources = [d for d in dom if d["side"] == "source"]
    assert sources and all(d["text"] == original_text for d in sources)
    reports_shown = {d["doc"] for d in dom if d["side"] == "report"}
    assert reports_shown == {p.stem for p in reports.iterdir()}
    labels = {s[2] for d in dom for s in d["spans"]}
    assert labels and labels <= {"verbatim", "near-verbatim", "paraphrase", "added"}
    if any(d["spans"] for d in sources):  # something aligned, so the rest of the original is omitted
        assert omitted > 0


def test_hostile_derive_fields_are_escaped() -> None:
    _, report, derive = _derive_case()
    bad = HOSTILE_IMG
    derive["source"] = {"mode": "latent", "name": HOSTILE_SCRIPT, "units": 3}
    row = derive["documents"][0]
    row.update(id=bad, parent=None, title=HOSTILE_SCRIPT, reason=HOSTILE_SCRIPT, **{"class": HOSTILE_SCRIPT})
    row["drift"][0].update(original=HOSTILE_SCRIPT, report=bad)
    page = render_html({bad: report}, derive=derive, title=HOSTILE_SCRIPT)
    assert "<script" not in page.lower() and "<img" not in page.lower()
    parsed = parse(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert [d["text"] for d in parsed.docs if d["side"] == "report"] == [report]
