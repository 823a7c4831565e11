"""What people open: CSV cells a spreadsheet would run as formulas are escaped; the terminal table
drops escape sequences and control characters from ids and titles (JSON keeps them exactly)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from reuse.report import printable, to_csv

pytestmark = pytest.mark.timeout(60)

SHARED = "Der Stadtrat hat am Abend nach langer Debatte beschlossen, die alte Brücke über den Kanal bis zum Frühjahr zu sanieren."
HOSTILE_IDS = ['=HYPERLINK("http://x.example","click")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


def test_csv_escapes_formula_cells_as_owasp_recommends() -> None:
    rows = [{"id": v, "chars": 5, "title": v} for v in HOSTILE_IDS] + [{"id": "plain", "chars": 7, "title": "Ein = Zeichen"}]
    read = list(csv.DictReader(io.StringIO(to_csv(rows), newline="")))
    for row, value in zip(read, HOSTILE_IDS, strict=False):
        assert row["id"] == "'" + value and row["title"] == "'" + value
    assert read[-1]["id"] == "plain" and read[-1]["title"] == "Ein = Zeichen" and read[-1]["chars"] == "7"


@pytest.mark.parametrize("command", ["scan", "derive"])
def test_csv_report_of_hostile_ids(tmp_path: Path, cli, command: str) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps({"id": v, "title": v, "text": f"Titel {k}\n\n{SHARED}"}) + "\n" for k, v in enumerate(HOSTILE_IDS)), encoding="utf-8")
    run = cli(command, str(path), fmt="csv")
    assert run.code == 0
    out = sorted(tmp_path.glob("report-*.csv"))[-1]
    cells = [c for row in csv.reader(io.StringIO(out.read_bytes().decode("utf-8"), newline="")) for c in row]
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    for v in HOSTILE_IDS:
        assert "'" + v in cells


def test_table_drops_escape_sequences_json_keeps_them(tmp_path: Path, cli) -> None:
    ids = ["a\x1b[31mred\x1b[0m", "b\x1b]0;owned\x07", "c\u202egnp.exe", "d\x9b2J"]
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps({"id": i, "title": f"T\x1b[2J{i}", "text": f"Titel\n\n{SHARED}"}) + "\n" for i in ids), encoding="utf-8")
    run = cli("scan", str(path), fmt="table")
    table = sorted(tmp_path.glob("report-*.table"))[-1].read_text(encoding="utf-8")
    assert run.code == 0
    assert not any(c in table for c in "\x1b\x07\x9b\u202e")
    assert "ared" in table and "gnp.exe" in table
    run = cli("scan", str(path))
    assert run.ids() == ids  # JSON keeps every character (escaped by the encoder)


def test_printable() -> None:
    assert printable("Straße\u00a0Nr. 5 – „gut“") == "Straße\u00a0Nr. 5 – „gut“"  # printable text as it is
    assert printable("a\tb\nc\r\nd\u2028e") == "a b c  d e"
    assert printable("x\x1b[1;31my\x1b[0mz\x00") == "xyz"
