"""Clough–Stevenson calibration figures (skipped when ../shared data is absent)."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "clough-stevenson"


@pytest.mark.skipif(not (DATA / "file_information.csv").exists(), reason=f"Clough–Stevenson data not found at {DATA}")
def test_departure_beats_nothing_and_orders_categories() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from clough_stevenson import evaluate

    out = evaluate(DATA)
    assert out["answers"] == 95
    means = out["mean_departure"]
    assert means["cut"] < means["light"] < means["heavy"] < means["non"]
    # measured 0.873 / 0.979 (see README); the Spearman target (0.88) is not met yet
    assert out["spearman"] >= 0.865 and out["spearman"] > out["baseline_spearman"]
    assert out["accuracy"] >= 0.975
