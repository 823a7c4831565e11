"""Clough–Stevenson calibration figures (skipped when ../shared data is absent)."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "clough-stevenson"
sys.path.insert(0, str(ROOT / "benchmarks"))
from clough_stevenson import ACCURACY_FLOOR, SPEARMAN_FLOOR  # noqa: E402


@pytest.mark.skipif(not (DATA / "file_information.csv").exists(), reason=f"Clough–Stevenson data not found at {DATA}")
def test_departure_beats_nothing_and_orders_categories() -> None:
    from clough_stevenson import evaluate

    out = evaluate(DATA)
    assert out["answers"] == 95
    means = out["mean_departure"]
    assert means["cut"] < means["light"] < means["heavy"] < means["non"]
    # floors: the figures measured when the 0.88 Spearman target was retired (docs/model/calibration.md)
    assert round(out["spearman"], 3) >= SPEARMAN_FLOOR and out["spearman"] > out["baseline_spearman"]
    assert round(out["accuracy"], 3) >= ACCURACY_FLOOR
