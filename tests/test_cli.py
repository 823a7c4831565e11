"""The command line through click's CliRunner (and one real subprocess for ``python -m reuse``)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from reuse.cli import main


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str, input: str | None = None) -> Result:
    return runner.invoke(main, list(args), input=input)


def one_line_error(result: Result) -> str:
    """The error message of a failed run, checked to be one line without a traceback."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


def test_scan_seeds_table(runner: CliRunner, seeds_dir: Path, seed_ids) -> None:
    result = invoke(runner, "scan", str(seeds_dir))
    assert result.exit_code == 0, result.output
    for doc_id in seed_ids.values():
        assert doc_id in result.stdout
    assert "Stock clusters" in result.stdout and "Syndication clusters (0)" in result.stdout
    assert "reuse scan: 5 documents (0 not analysed)" in result.stderr


def test_scan_seeds_json(runner: CliRunner, seeds_dir: Path, seed_ids) -> None:
    result = invoke(runner, "scan", str(seeds_dir), "--format", "json", "-q")
    assert result.exit_code == 0
    assert result.stderr == ""
    report = json.loads(result.stdout)
    assert [d["id"] for d in report["documents"]] == sorted(seed_ids.values())
    assert all(d["status"] == "ok" and d["language"] == "de" for d in report["documents"])
    assert report["version"] == 2
    texts = {p.stem: p.read_text(encoding="utf-8") for p in seeds_dir.glob("*.txt")}
    quote = [c for c in report["clusters"] if "Wir wissen" in c["text"]]
    assert len(quote) == 1
    spans = {m["id"]: texts[m["id"]][m["start"] : m["end"]] for m in quote[0]["members"]}
    assert "Wir wissen, dass die Amerikaner an etwas arbeiten" in spans[seed_ids["000"]]
    assert "Wir wissen, dass die Amerikaner da an etwas arbeiten" in spans[seed_ids["001"]]


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv"])
def test_reports_end_with_a_line_break(runner: CliRunner, seeds_dir: Path, fmt: str) -> None:
    """The summary on stderr (and the shell prompt) must not continue the report's last line."""
    for command in (["scan"], ["derive", "--source-name", "Axios"]):
        result = invoke(runner, *command, str(seeds_dir), "--format", fmt, "-q")
        assert result.exit_code == 0, result.output
        assert result.stdout.endswith("\n") and not result.stdout.endswith("\n\n"), (command, fmt, result.stdout[-80:])


def test_scan_seeds_jsonl_and_csv(runner: CliRunner, seeds_dir: Path) -> None:
    jsonl = invoke(runner, "scan", str(seeds_dir), "--format", "jsonl", "-q")
    assert jsonl.exit_code == 0
    rows = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert sum(r["record"] == "document" for r in rows) == 5
    assert any(r["record"] == "cluster" for r in rows) and rows[0] == {"record": "version", "version": 2}
    as_csv = invoke(runner, "scan", str(seeds_dir), "--format", "csv", "-q")
    assert as_csv.exit_code == 0
    table = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert sum(r["record"] == "document" for r in table) == 5
    clusters = [r for r in table if r["record"] == "cluster"]
    members = [r for r in table if r["record"] == "member"]
    assert clusters and {r["cluster"] for r in members} == {r["id"] for r in clusters}


def test_output_file(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = invoke(runner, "scan", str(seeds_dir), "--format", "json", "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert len(json.loads(out.read_text(encoding="utf-8"))["documents"]) == 5


def test_unwritable_output_is_one_line_error(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    result = invoke(runner, "scan", str(seeds_dir), "-o", str(tmp_path / "no" / "such" / "dir" / "r.json"))
    assert "cannot write" in one_line_error(result)


def test_every_command_has_help(runner: CliRunner) -> None:
    assert main.help
    assert main.commands
    for name, command in main.commands.items():
        assert command.help and command.help.strip(), name
        result = invoke(runner, name, "--help")
        assert result.exit_code == 0, name
        assert "Usage:" in result.stdout
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert param.help, f"{name} {param.opts} has no help text"
    assert invoke(runner, "--help").exit_code == 0


def test_missing_path_is_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    message = one_line_error(invoke(runner, "scan", str(tmp_path / "nope")))
    assert "no such file or directory" in message


def test_empty_directory_is_one_line_error(runner: CliRunner, tmp_path: Path) -> None:
    assert "no .txt files" in one_line_error(invoke(runner, "scan", str(tmp_path)))


def test_no_analysable_document_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "nul.txt").write_bytes(b"\x00\x01\x02" * 10)
    message = one_line_error(invoke(runner, "scan", str(tmp_path)))
    assert "no document could be analysed" in message
    assert "empty" in message and "binary" in message


def test_csv_without_text_column_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id,body\n1,Text\n", encoding="utf-8")
    assert "'text' column" in one_line_error(invoke(runner, "scan", str(path)))


def test_bad_documents_are_listed_and_exit_0(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "latin.txt").write_bytes("Gespräch über die Lage in der Ukraine.".encode("cp1252"))
    result = invoke(runner, "scan", str(seeds_dir), str(tmp_path), "--format", "json", "-q")
    assert result.exit_code == 0
    docs = {d["id"]: d for d in json.loads(result.stdout)["documents"]}
    assert len(docs) == 7
    assert docs["empty"]["status"] == "error" and docs["empty"]["reason"].startswith("empty")
    assert docs["latin"]["status"] == "ok" and "CP1252" in docs["latin"]["reason"]


def test_stdin_dash(runner: CliRunner, seed_file) -> None:
    lines = [
        json.dumps({"id": "a", "text": seed_file("000").read_text(encoding="utf-8")}),
        json.dumps({"id": "b", "text": seed_file("001").read_text(encoding="utf-8"), "date": "2025-11-19"}),
        "{broken",
    ]
    result = invoke(runner, "scan", "-", "--format", "json", "-q", input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [d["id"] for d in report["documents"]] == ["a", "b", "stdin:3"]
    assert report["documents"][2]["status"] == "error"
    assert report["documents"][1]["date"] == "2025-11-19"
    assert any({m["id"] for m in c["members"]} == {"a", "b"} for c in report["clusters"])


def test_candidates_and_min_words_options(runner: CliRunner, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reuse.pipeline

    seen: list[str] = []  # the configuration each run reaches the library with
    real_scan = reuse.pipeline.scan
    monkeypatch.setattr(reuse.pipeline, "scan", lambda docs, config, **kw: seen.append(config.candidates) or real_scan(docs, config, **kw))
    lsh = json.loads(invoke(runner, "scan", str(seeds_dir), "--format", "json", "-q", "--candidates", "lsh").stdout)
    exact = json.loads(invoke(runner, "scan", str(seeds_dir), "--format", "json", "-q", "--candidates", "exact").stdout)
    assert seen == ["lsh", "exact"]
    # exact finds every shared phrase; LSH, sketched for passages of 50+ words, some of the seeds' short ones
    assert any("Wir wissen" in c["text"] for c in exact["clusters"]) and 0 < len(lsh["clusters"]) <= len(exact["clusters"])
    long_only = json.loads(invoke(runner, "scan", str(seeds_dir), "--format", "json", "-q", "--min-words", "50").stdout)
    assert long_only["clusters"] == [] and long_only["documents"] == exact["documents"]


def test_usage_errors_exit_2(runner: CliRunner, seeds_dir: Path) -> None:
    assert invoke(runner, "scan").exit_code == 2
    assert invoke(runner, "scan", str(seeds_dir), "--format", "xml").exit_code == 2


def test_python_dash_m_reuse_help() -> None:
    proc = subprocess.run([sys.executable, "-m", "reuse", "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "scan" in proc.stdout and "Usage:" in proc.stdout


def test_stdin_with_invalid_utf8_bytes_is_no_traceback(runner: CliRunner) -> None:
    raw = (json.dumps({"id": "s", "text": "Gespräch über die Lage"}, ensure_ascii=False) + "\n").encode("cp1252")
    result = runner.invoke(main, ["scan", "-", "--format", "json", "-q"], input=raw)
    assert result.exit_code == 0, result.output
    (doc,) = json.loads(result.stdout)["documents"]
    assert doc["status"] == "ok" and "CP1252" in doc["reason"]


def test_empty_stdin_exits_1(runner: CliRunner) -> None:
    assert "no documents" in one_line_error(invoke(runner, "scan", "-", input=""))


def test_max_bytes_option_marks_larger_files(runner: CliRunner, seeds_dir: Path) -> None:
    sizes = {p.stem: p.stat().st_size for p in seeds_dir.glob("*.txt")}
    limit = sorted(sizes.values())[1]  # the two smallest seeds fit
    result = invoke(runner, "scan", str(seeds_dir), "--max-bytes", str(limit), "--format", "json", "-q")
    assert result.exit_code == 0
    status = {d["id"]: d["status"] for d in json.loads(result.stdout)["documents"]}
    assert status == {k: "ok" if v <= limit else "error" for k, v in sizes.items()}


def test_single_file_without_partner_has_no_clusters(runner: CliRunner, seed_file) -> None:
    result = invoke(runner, "scan", str(seed_file("003")), "--format", "json", "-q")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert len(report["documents"]) == 1 and report["clusters"] == [] and report["families"] == []
    table = invoke(runner, "scan", str(seed_file("003")), "-q")
    assert "(none)" in table.stdout
