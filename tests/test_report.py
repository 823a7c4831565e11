"""Report formats: the JSON contract's keys, JSONL and CSV carry every document, the table."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest

from reuse.config import ScanConfig
from reuse.io import documents_from_texts
from reuse.pipeline import ScanResult, scan
from reuse.report import SCAN_VERSION, render_scan, scan_csv_rows, scan_dict, table, to_csv, to_json, to_jsonl

DOCUMENT_KEYS = ["id", "status", "reason", "title", "date", "language", "chars", "boilerplate"]
CLUSTER_KEYS = ["id", "kind", "reason", "size", "words", "origin", "representative", "text", "members"]
MEMBER_KEYS = ["id", "start", "end", "words", "similarity"]
PAIR_KEYS = ["cluster", "a", "a_start", "a_end", "b", "b_start", "b_end", "kind", "similarity", "text_a", "text_b"]


@pytest.fixture(scope="module")
def result(seed_docs) -> ScanResult:
    # the seeds, a copy of one (a syndication cluster and a family) and an error document: every format must carry all kinds
    copy = replace(seed_docs[0], id="zz_copy")
    return scan([*seed_docs, copy, *documents_from_texts({"leer": ""})], ScanConfig(pairs=True))


def test_json_contract_keys(result: ScanResult) -> None:
    report = json.loads(to_json(scan_dict(result)))
    assert list(report) == ["version", "documents", "clusters", "families", "pairs"] and report["version"] == SCAN_VERSION == 2
    assert len(report["documents"]) == 7
    for row in report["documents"]:
        assert list(row) == DOCUMENT_KEYS
        assert row["status"] in ("ok", "error")
        assert all(isinstance(s, list) and len(s) == 2 for s in row["boilerplate"])
    kinds = {c["kind"] for c in report["clusters"]}
    assert kinds == {"syndication", "stock"}
    for row in report["clusters"]:
        assert list(row) == CLUSTER_KEYS and row["size"] >= 2 and isinstance(row["text"], str)
        assert list(row["origin"]) == ["id", "basis", "reason"] and list(row["representative"]) == ["id", "start", "end"]
        assert all(list(m) == MEMBER_KEYS and isinstance(m["similarity"], float) for m in row["members"])
    (fam,) = report["families"]
    assert list(fam) == ["id", "documents", "clusters"] and fam["documents"] == [result.documents[0].id, "zz_copy"]
    assert report["pairs"] and all(list(p) == PAIR_KEYS for p in report["pairs"])
    assert "pairs" not in scan_dict(replace(result, pairs=()))  # pair rows only when asked for
    assert report["documents"][-1] == {
        "id": "leer", "status": "error", "reason": report["documents"][-1]["reason"], "title": None, "date": None,
        "language": None, "chars": 0, "boilerplate": [],
    }
    assert report["documents"][-1]["reason"].startswith("empty")


def test_timings_only_on_request(result: ScanResult) -> None:
    assert "timings" not in scan_dict(result)
    assert set(scan_dict(result, timings=True)["timings"]) >= {"clean", "tokens", "align"}


def test_json_keeps_unicode_readable(result: ScanResult) -> None:
    text = render_scan(result, "json")
    assert "Präsident" in text or "ä" in text
    assert "\\u00e4" not in text


def test_jsonl_carries_every_document_and_cluster(result: ScanResult) -> None:
    rows = [json.loads(line) for line in render_scan(result, "jsonl").splitlines()]
    assert rows[0] == {"record": "version", "version": SCAN_VERSION}
    docs = [r for r in rows if r["record"] == "document"]
    assert [d["id"] for d in docs] == [d.id for d in result.documents]
    assert all(set(DOCUMENT_KEYS) <= set(d) for d in docs)
    clusters = [r for r in rows if r["record"] == "cluster"]
    assert [c["id"] for c in clusters] == [c.id for c in result.clusters]
    assert all(list(c)[1:] == CLUSTER_KEYS for c in clusters)
    families = [r["documents"] for r in rows if r["record"] == "family"]
    assert families == [list(f.documents) for f in result.families]
    assert len([r for r in rows if r["record"] == "pair"]) == len(result.pairs)


def test_csv_carries_every_document_and_round_trips_text(result: ScanResult) -> None:
    rows = list(csv.DictReader(io.StringIO(render_scan(result, "csv"))))
    docs = [r for r in rows if r["record"] == "document"]
    assert [d["id"] for d in docs] == [d.id for d in result.documents]
    assert docs[-1]["status"] == "error" and docs[-1]["reason"].startswith("empty")
    clusters = [r for r in rows if r["record"] == "cluster"]
    assert [c["text"] for c in clusters] == [c.text for c in result.clusters]
    members = [r for r in rows if r["record"] == "member"]
    assert [(m["cluster"], m["id"], int(m["start"])) for m in members] == [(c.id, m.id, m.start) for c in result.clusters for m in c.members]
    pairs = [r for r in rows if r["record"] == "pair"]
    assert [p["text_a"] for p in pairs] == [p.text_a for p in result.pairs]
    ok = next(d for d in docs if d["status"] == "ok")
    assert json.loads(ok["boilerplate"]) == [list(s) for s in result.documents[0].boilerplate]


def test_csv_quotes_awkward_cells() -> None:
    rows = [{"id": "x", "text": 'Komma, "Zitat"\nneue Zeile'}, {"id": "y", "extra": None}]
    back = list(csv.DictReader(io.StringIO(to_csv(rows))))
    assert back[0]["text"] == 'Komma, "Zitat"\nneue Zeile'
    assert back[1]["extra"] == "" and list(back[0]) == ["id", "text", "extra"]


def test_scan_csv_rows_order(result: ScanResult) -> None:
    rows = scan_csv_rows(scan_dict(result))
    kinds = [r["record"] for r in rows]
    clusters = [k for c in result.clusters for k in ["cluster"] + ["member"] * len(c.members)]
    assert kinds == ["document"] * 7 + clusters + ["family"] * len(result.families) + ["pair"] * len(result.pairs)


def test_jsonl_of_plain_values() -> None:
    lines = to_jsonl({"documents": [{"id": "a"}], "version": 1}).splitlines()
    assert [json.loads(x) for x in lines] == [{"record": "document", "id": "a"}, {"record": "version", "version": 1}]


def test_table_lists_every_document_and_fits_the_width(result: ScanResult) -> None:
    text = render_scan(result, "table")
    for d in result.documents:
        assert d.id in text
    assert "Documents" in text and "Syndication clusters (1)" in text and "Stock clusters" in text and "Families" in text
    assert "f1: " + result.documents[0].id + ", zz_copy (clusters c1)" in text
    narrow = table(["id", "text"], [["a", "wort " * 100]], width=40)
    assert all(len(line) <= 40 for line in narrow.splitlines())
    assert "…" in narrow


def test_unknown_format_is_rejected(result: ScanResult) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render_scan(result, "xml")


def test_html_through_render_scan_names_the_right_function(result: ScanResult) -> None:
    with pytest.raises(ValueError, match="render_html"):
        render_scan(result, "html")


def test_empty_scan_renders_in_every_format() -> None:
    empty = scan(documents_from_texts({"a": "Nur ein einziger Text ohne Partner."}))
    assert "(none)" in render_scan(empty, "table")
    assert json.loads(render_scan(empty, "json"))["clusters"] == []
    assert len(render_scan(empty, "jsonl").splitlines()) == 2  # the version and the document
    assert len(list(csv.DictReader(io.StringIO(render_scan(empty, "csv"))))) == 1
