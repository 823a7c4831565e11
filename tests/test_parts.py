"""A scan report written as a directory of parts (``--output-dir``): JSONL parts are the JSONL report, Parquet tables hold every record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reuse.cli import main
from reuse.config import ScanConfig
from reuse.errors import InputError
from reuse.io import Document
from reuse.parts import write_jsonl_parts, write_parquet_parts
from reuse.pipeline import scan
from reuse.report import scan_dict, to_jsonl


@pytest.fixture(scope="module")
def report(planted_docs: list[Document]) -> dict[str, object]:
    found = scan_dict(scan(planted_docs, ScanConfig(pairs=True)))
    assert found["clusters"] and found["pairs"]  # type: ignore[truthy-bool]
    return found


def test_jsonl_parts_in_name_order_are_the_jsonl_report(report: dict[str, object], tmp_path: Path) -> None:
    manifest = write_jsonl_parts(report, tmp_path / "out", rows=7)
    parts = sorted((tmp_path / "out").glob("*.jsonl"))
    assert len(parts) > 4 and all(len(p.read_text().splitlines()) <= 7 for p in parts)
    assert "".join(p.read_text(encoding="utf-8") for p in parts) == to_jsonl(report)
    assert [f for section in manifest["tables"].values() for f in section["files"]] == [p.name for p in parts]  # type: ignore[attr-defined]
    assert manifest["tables"]["documents"]["rows"] == len(report["documents"])  # type: ignore[index, arg-type]


def test_parquet_tables_hold_every_record(report: dict[str, object], tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    manifest = write_parquet_parts(report, tmp_path / "out", rows=5)
    assert json.loads((tmp_path / "out" / "manifest.json").read_text()) == manifest

    def table(name: str) -> list[dict[str, object]]:
        files = manifest["tables"][name]["files"]  # type: ignore[index]
        return [row for f in files for row in pq.read_table(tmp_path / "out" / f).to_pylist()]

    assert table("documents") == report["documents"]
    assert table("families") == report["families"]
    assert table("pairs") == report["pairs"]
    members = table("members")
    for c, row in zip(report["clusters"], table("clusters"), strict=True):  # type: ignore[call-overload]
        assert row["id"] == c["id"] and row["origin_id"] == c["origin"]["id"] and row["representative_end"] == c["representative"]["end"]
        assert [{k: v for k, v in m.items() if k != "cluster"} for m in members if m["cluster"] == c["id"]] == c["members"]


def test_output_directory_must_be_new_or_empty(report: dict[str, object], tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "other.txt").write_text("x")
    with pytest.raises(InputError, match="new or empty"):
        write_jsonl_parts(report, tmp_path / "out")


def test_cli_output_dir_needs_a_part_format(seeds_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    assert "add --output-dir" in runner.invoke(main, ["scan", str(seeds_dir), "--format", "parquet"]).output
    assert "not json" in runner.invoke(main, ["scan", str(seeds_dir), "--format", "json", "--output-dir", str(tmp_path / "x")]).output
    result = runner.invoke(main, ["scan", str(seeds_dir), "--format", "jsonl", "--output-dir", str(tmp_path / "y"), "-q"])
    assert result.exit_code == 0 and (tmp_path / "y" / "1-documents-000000.jsonl").exists()
