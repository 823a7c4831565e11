"""CSV that breaks one row costs that row only; a CSV without a usable header is one short line."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(60)

A = "Die Stadtwerke kündigten am Montag an, das Netz der Ladesäulen bis zum Ende des Jahres deutlich auszubauen."
B = "Der Verein meldete für die kommende Saison einen neuen Rekord bei den Mitgliederzahlen und plant ein Fest."


def test_nul_in_one_cell_loses_only_that_row(tmp_path: Path, cli) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(f'id,text,title\n1,"{A}",eins\n2,"a\x00b",zwei\n3,"{B}","dr\x00ei"\n4,"{B} Noch ein Satz.",vier\n'.encode())
    run = cli("scan", str(path))
    assert run.code == 0
    assert run.statuses() == [("1", "ok"), ("2", "error"), ("3", "error"), ("4", "ok")]
    assert run.doc("2")["reason"] == run.doc("3")["reason"] == "binary: the row contains NUL characters"


def test_no_header_is_one_short_line(tmp_path: Path, cli) -> None:
    path = tmp_path / "h.csv"
    path.write_bytes(b'a,"x\ny"\n')
    run = cli("scan", str(path))
    assert run.code == 1 and "no 'text' column" in run.err and "'x y'" in run.err
    # a first row of long cells is named, not echoed
    long_row = ",".join(f'"{A} {k}\n{B}"' for k in range(20))
    path.write_text(long_row + "\n", encoding="utf-8")
    run = cli("scan", str(path))
    assert run.code == 1 and len(run.err) < 600 and "(20 columns)" in run.err


def test_empty_and_header_only_csv(tmp_path: Path, cli) -> None:
    good = tmp_path / "g.txt"
    good.write_text(A, encoding="utf-8")
    (tmp_path / "e.csv").write_bytes(b"")
    run = cli("scan", str(good), str(tmp_path / "e.csv"))
    assert run.statuses() == [("g", "ok"), ("e", "error")] and run.doc("e")["reason"].startswith("empty")
    (tmp_path / "h.csv").write_bytes(b"id,text\n")
    run = cli("scan", str(good), str(tmp_path / "h.csv"))
    assert run.statuses() == [("g", "ok")]  # a header without rows holds no record


def test_rows_with_missing_and_extra_cells(tmp_path: Path, cli) -> None:
    path = tmp_path / "t.csv"
    path.write_text(f'id,text\n1,"{A}"\n2\n3,"{B}",extra,cells\n', encoding="utf-8")
    run = cli("scan", str(path))
    assert run.statuses() == [("1", "ok"), ("2", "error"), ("3", "ok")]
    assert "text" in run.doc("2")["reason"]


def test_a_cell_larger_than_max_bytes_is_that_rows_error(tmp_path: Path, cli) -> None:
    path = tmp_path / "t.csv"
    path.write_text(f'id,text\n1,"{A}"\n2,"{"wort " * 400}"\n', encoding="utf-8")
    run = cli("scan", str(path), "--max-bytes", "1000")
    assert run.statuses() == [("1", "ok"), ("2", "error")] and run.doc("2")["reason"].startswith("too large")
