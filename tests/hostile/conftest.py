"""Helpers for the hostile-input suite: run the CLI (in process, or as a real process where stdin,
FIFOs or devices matter) and check the promises every run keeps.

The promises (README "Input", "Exit codes"): exit 0 when a document was analysed, 1 when none was
or an input was rejected, never a traceback; on failure one line on stderr; every input record in
the output, analysed or with a named reason; every passage quotes its texts by its offsets.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from reuse.cli import main

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Run:
    """One CLI run: exit code, stdout, stderr and the JSON report (``None`` unless one was written)."""

    code: int
    out: str
    err: str
    report: dict | None

    def ids(self) -> list[str]:
        assert self.report is not None, self.err
        return [d["id"] for d in self.report["documents"]]

    def doc(self, doc_id: str) -> dict:
        assert self.report is not None, self.err
        (found,) = [d for d in self.report["documents"] if d["id"] == doc_id]
        return found

    def statuses(self) -> list[tuple[str, str]]:
        assert self.report is not None, self.err
        return [(d["id"], d["status"]) for d in self.report["documents"]]


def _checked(code: int, out: str, err: str, report_path: Path | None) -> Run:
    assert "Traceback" not in out + err, out + err
    assert code in (0, 1), (code, out, err)
    if code == 1:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), err
    report = None
    if code == 0 and report_path is not None and report_path.exists():
        text = report_path.read_text(encoding="utf-8")  # valid UTF-8: nothing unencodable was written
        report = json.loads(text) if text.lstrip().startswith("{") else None
    return Run(code, out, err, report)


@pytest.fixture
def cli(tmp_path: Path) -> Callable[..., Run]:
    """``cli("scan", path, ...)``: the CLI in process (click's CliRunner), JSON report to a file."""

    def invoke(*args: str, stdin: str | bytes | None = None, fmt: str = "json") -> Run:
        out = tmp_path / f"report-{len(list(tmp_path.glob('report-*')))}.{fmt}"
        result = CliRunner().invoke(main, [*args, "--format", fmt, "-o", str(out), "-q"], input=stdin)
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        return _checked(result.exit_code, result.stdout, result.stderr, out if fmt == "json" else None)

    return invoke


@pytest.fixture
def proc(tmp_path: Path) -> Callable[..., Run]:
    """``proc("scan", path, ...)``: the CLI as a real process (real stdin, real terminal-less streams)."""

    def run(*args: str, stdin: bytes | None = None, timeout: float = 60, fmt: str = "json") -> Run:
        out = tmp_path / f"proc-{len(list(tmp_path.glob('proc-*')))}.{fmt}"
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        done = subprocess.run(
            [sys.executable, "-m", "reuse", *args, "--format", fmt, "-o", str(out), "-q"],
            input=stdin if stdin is not None else b"", capture_output=True, timeout=timeout, cwd=ROOT, env=env,
        )
        return _checked(done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace"), out if fmt == "json" else None)

    return run


@pytest.fixture
def quotes() -> Callable[[dict, dict[str, str]], None]:
    """``quotes(report, texts)``: every cluster's text is ``text[start:end]`` of its representative, every member span lies in its text."""

    def check(report: dict, texts: dict[str, str]) -> None:
        for c in report["clusters"]:
            rep = c["representative"]
            assert texts[rep["id"]][rep["start"] : rep["end"]] == c["text"]
            for m in c["members"]:
                assert 0 <= m["start"] < m["end"] <= len(texts[m["id"]])

    return check


@pytest.fixture
def linked() -> Callable[[dict], set[tuple[str, str]]]:
    """``linked(report)``: the pairs of documents (sorted ids) that share a cluster of any kind."""

    def pairs(report: dict) -> set[tuple[str, str]]:
        out = set()
        for c in report["clusters"]:
            ids = sorted({m["id"] for m in c["members"]})
            out.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
        return out

    return pairs
