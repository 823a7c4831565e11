"""Metadata sanitised where it enters; dates validated.

Lone surrogates (JSON ``"\\ud800"`` escapes; a file name's undecodable bytes) cannot be
written as UTF-8.  In record metadata they become U+FFFD with a note; in a file name the
undecodable bytes are shown as ``\\xNN`` (two such names stay apart).  The text keeps its
length, so offsets stay valid.  A date that is not a valid calendar date (optionally with
an ISO 8601 time) is not a date: ``date`` is null and ``reason`` names it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reuse.io import load_paths, valid_date

pytestmark = pytest.mark.timeout(60)

SHARED = "Der Stadtrat hat am Abend nach langer Debatte beschlossen, die alte Brücke über den Kanal bis zum Frühjahr zu sanieren."


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "table", "html"])
def test_lone_surrogates_in_every_metadata_field(tmp_path: Path, cli, fmt: str, quotes) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text(
        '{"id": "\\ud800x", "text": "hello world", "title": "T\\udfff", "date": "2025-11-18\\ud800", "source": "\\udc80AP"}\n'
        f'{{"id": "b", "text": "Titel\\n\\n{SHARED} \\ud83d"}}\n'
        f'{{"id": "c", "text": "Anderer Titel\\n\\n{SHARED}"}}\n',
        encoding="utf-8",
    )
    run = cli("scan", str(path), fmt=fmt)
    assert run.code == 0
    if fmt == "json":
        first = run.report["documents"][0]
        assert first["id"] == "\ufffdx" and first["title"] == "T\ufffd" and first["date"] is None
        assert "U+FFFD" in first["reason"] and "ignored date" in first["reason"]
        texts = {d.id: d.text for d in load_paths([str(path)])}
        assert len(texts["b"]) == len(f"Titel\n\n{SHARED} \ud83d")  # replaced one for one: offsets hold
        assert run.report["clusters"]
        quotes(run.report, texts)


@pytest.mark.skipif(os.name != "posix", reason="file names are bytes only on POSIX")
def test_undecodable_file_names(tmp_path: Path, cli, linked) -> None:
    d = tmp_path / "d"
    d.mkdir()
    for raw, body in ((b"caf\xff.txt", f"Eins\n\n{SHARED}"), (b"caf\xfe.txt", f"Zwei\n\n{SHARED}")):
        with open(os.path.join(os.fsencode(d), raw), "w", encoding="utf-8") as fh:
            fh.write(body)
    run = cli("scan", str(d))
    assert run.code == 0 and run.ids() == ["caf\\xfe", "caf\\xff"]
    assert linked(run.report) == {("caf\\xfe", "caf\\xff")}
    named = os.fsdecode(os.path.join(os.fsencode(d), b"caf\xff.txt"))
    assert cli("scan", named, fmt="html").code == 0
    run = cli("scan", named, os.fsdecode(os.path.join(os.fsencode(d), b"nope\xff.txt")))
    assert run.code == 1 and "nope\\xff.txt: no such file" in run.err


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2025-11-18", True), ("2025-11-18T10:00:00Z", True), ("2025-11-18T10:00:00+01:00", True), ("2025-11-18 10:00", True),
        ("2025-13-45", False), ("2025-02-30", False), ("2025-11-18T99:99 garbage", False), ("2025-11-18 garbage", False),
        ("gestern", False), (" 2025-11-18", False), ("20251118", False), ("2025-W47-2", False),
    ],
)
def test_valid_date(value: str, ok: bool) -> None:
    assert valid_date(value) is ok


def test_invalid_dates_are_reasons_not_dates(tmp_path: Path, cli) -> None:
    rows = [("a", "2025-13-45"), ("b", "2025-11-18T99:99 garbage"), ("c", "2025-11-18T08:30:00Z"), ("d", "2025-11-19")]
    path = tmp_path / "d.jsonl"
    path.write_text("".join(json.dumps({"id": k, "text": f"Text {k} mit Inhalt.", "date": v}) + "\n" for k, v in rows), encoding="utf-8")
    (tmp_path / "p.txt").write_text(" date 2025-02-30 Titel\n\nEin Text mit einem falschen Datum.", encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text('<meta name="date" content="2025-11-31"><meta property="og:site_name" content="Blatt"><p>Ein Text.</p>', encoding="utf-8")
    run = cli("scan", str(path), str(tmp_path / "p.txt"), str(page))
    dates = {d["id"]: (d["date"], d["reason"]) for d in run.report["documents"]}
    for k in ("a", "b", "p", "page.html"):
        assert dates[k][0] is None and "ignored date" in dates[k][1], k
    assert dates["c"] == ("2025-11-18T08:30:00Z", "") and dates["d"] == ("2025-11-19", "")
    # the invalid prefix is still the seeds' metadata line: masked, not the title
    assert run.doc("p")["title"] == "Titel" and run.doc("p")["boilerplate"][0][0] == 0


def test_invalid_html_date_gives_way_to_a_valid_one(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text('<meta name="date" content="2025-13-01"><script>{"datePublished": "2025-11-20T10:00:00Z"}</script><p>Ein Text.</p>', encoding="utf-8")
    (doc,) = load_paths([str(page)])
    assert doc.date == "2025-11-20" and doc.reason == ""
