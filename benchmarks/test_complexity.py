"""Smoke test of the complexity benchmark (benchmarks/complexity.py): every shape is made at the size
asked, and a tiny run gives one timing per shape, size and command with ratios to prose.  Structure
only: tests never assert times."""

from __future__ import annotations

import math

import pytest

from benchmarks.complexity import SHAPES, markdown, measure, summarise


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_shape_has_the_size_asked(shape: str) -> None:
    suffix, make = SHAPES[shape]
    text = make(5000)
    assert 4990 <= len(text.encode("utf-8")) <= 5000 and suffix in (".txt", ".html")


@pytest.mark.timeout(120)
def test_tiny_run_structure(tmp_path) -> None:
    timings = measure(["prose", "script"], [0.002, 0.004], ["scan"], timeout=100, workdir=tmp_path)
    assert [(t.shape, t.megabytes, t.command) for t in timings] == [
        ("prose", 0.002, "scan"), ("script", 0.002, "scan"), ("prose", 0.004, "scan"), ("script", 0.004, "scan")]
    assert all(t.exit_code == 0 and math.isfinite(t.seconds) and t.seconds > 0 for t in timings)  # both shapes are analysed
    rows = summarise(timings)
    assert len(rows) == 4
    script = [r for r in rows if r["shape"] == "script"]
    assert all(r["ratio_to_prose"] is not None for r in script)
    assert [r["growth_exponent"] is None for r in script] == [True, False]
    table = markdown(rows)
    assert "| scan | prose |" in table and "| scan | script |" in table
