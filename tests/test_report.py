"""Report formats: the JSON contract's keys, JSONL and CSV carry every document, the table."""

from __future__ import annotations

import csv
import io
import json

import pytest

from reuse.io import documents_from_texts
from reuse.pipeline import ScanResult, scan
from reuse.report import render_scan, scan_csv_rows, scan_dict, table, to_csv, to_json, to_jsonl

DOCUMENT_KEYS = ["id", "status", "reason", "title", "date", "language", "chars", "boilerplate"]
PASSAGE_KEYS = ["a", "a_start", "a_end", "b", "b_start", "b_end", "kind", "similarity", "text_a", "text_b"]


@pytest.fixture(scope="module")
def result(seed_docs) -> ScanResult:
    # the seeds plus an error document, so every format must carry both kinds
    return scan([*seed_docs, *documents_from_texts({"leer": ""})])


def test_json_contract_keys(result: ScanResult) -> None:
    report = json.loads(to_json(scan_dict(result)))
    assert list(report) == ["documents", "passages", "families"]
    assert len(report["documents"]) == 6
    for row in report["documents"]:
        assert list(row) == DOCUMENT_KEYS
        assert row["status"] in ("ok", "error")
        assert all(isinstance(s, list) and len(s) == 2 for s in row["boilerplate"])
    assert report["passages"]
    for row in report["passages"]:
        assert list(row) == PASSAGE_KEYS
        assert isinstance(row["a_start"], int) and isinstance(row["similarity"], float)
    assert all(isinstance(f, list) and all(isinstance(m, str) for m in f) for f in report["families"])
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


def test_jsonl_carries_every_document_and_passage(result: ScanResult) -> None:
    rows = [json.loads(line) for line in render_scan(result, "jsonl").splitlines()]
    docs = [r for r in rows if r["record"] == "document"]
    assert [d["id"] for d in docs] == [d.id for d in result.documents]
    assert all(set(DOCUMENT_KEYS) <= set(d) for d in docs)
    passages = [r for r in rows if r["record"] == "passage"]
    assert len(passages) == len(result.passages)
    assert all(set(PASSAGE_KEYS) <= set(p) for p in passages)
    families = [r["members"] for r in rows if r["record"] == "family"]
    assert families == [list(f) for f in result.families]


def test_csv_carries_every_document_and_round_trips_text(result: ScanResult) -> None:
    rows = list(csv.DictReader(io.StringIO(render_scan(result, "csv"))))
    docs = [r for r in rows if r["record"] == "document"]
    assert [d["id"] for d in docs] == [d.id for d in result.documents]
    assert docs[-1]["status"] == "error" and docs[-1]["reason"].startswith("empty")
    passages = [r for r in rows if r["record"] == "passage"]
    assert [p["text_a"] for p in passages] == [p.text_a for p in result.passages]
    assert [int(p["a_start"]) for p in passages] == [p.a_start for p in result.passages]
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
    assert kinds == ["document"] * 6 + ["passage"] * len(result.passages) + ["family"] * len(result.families)


def test_jsonl_of_plain_values() -> None:
    lines = to_jsonl({"documents": [{"id": "a"}], "version": 1}).splitlines()
    assert [json.loads(x) for x in lines] == [{"record": "document", "id": "a"}, {"record": "version", "version": 1}]


def test_table_lists_every_document_and_fits_the_width(result: ScanResult) -> None:
    text = render_scan(result, "table")
    for d in result.documents:
        assert d.id in text
    assert "Documents" in text and "Passages" in text and "Families" in text
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
    assert json.loads(render_scan(empty, "json"))["passages"] == []
    assert len(render_scan(empty, "jsonl").splitlines()) == 1
    assert len(list(csv.DictReader(io.StringIO(render_scan(empty, "csv"))))) == 1
