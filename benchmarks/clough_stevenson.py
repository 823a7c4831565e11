"""Calibrate and check ``reuse derive`` on the Clough & Stevenson corpus of plagiarised short answers.

Reads ``../shared/data/clough-stevenson/`` relative to the repository root (the texts are never
copied into the project), runs the derivation model with ``--original orig_taskX.txt`` per task,
and prints

* the Spearman correlation of ``departure`` with the categories ordered cut < light < heavy < non;
* the accuracy of ``derived`` against derived (cut/light/heavy) vs non-derived;
* the same two figures for the baseline (word-3-gram containment, threshold 0.1).

Usage: ``python benchmarks/clough_stevenson.py [DATA_DIR] [--json] [--latent] [--set=FIELD=VALUE]...
[--loto=FIELD=V1,V2,...]`` (``--loto``: leave-one-task-out choice of one field, pooled held-out figures).
"""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

from reuse.config import DeriveConfig
from reuse.derive import derive_latent, derive_original
from reuse.io import load_paths
from reuse.shingle import shingles
from reuse.text import tokenize

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "clough-stevenson"
RANK = {"cut": 0, "light": 1, "heavy": 2, "non": 3}
#: Floors, not targets: the figures of ``reuse derive --original`` when the 0.88 Spearman target was
#: retired (its gap is label noise, README); a change to the model must not fall below them.
SPEARMAN_FLOOR = 0.873
ACCURACY_FLOOR = 0.979


def _parse_value(current: object, value: str) -> object:
    """Parse a ``--set`` value as the type of the field's current value (``bool("False")`` would be True)."""
    if isinstance(current, bool):
        if value.lower() not in ("true", "false", "1", "0"):
            raise SystemExit(f"--set: expected true or false, got {value!r}")
        return value.lower() in ("true", "1")
    return type(current)(value)


def load_labels(data: Path) -> list[tuple[str, str, str]]:
    """``(file, task, category)`` for every answer listed in ``file_information.csv``."""
    with open(data / "file_information.csv", encoding="utf-8", newline="") as fh:
        return [(row["File"], row["Task"], row["Category"]) for row in csv.DictReader(fh) if row["Category"] in RANK]


def _containment(answer: str, source: str, n: int = 3) -> float:
    a = set(shingles(tokenize(answer).ids, n).tolist())
    b = set(shingles(tokenize(source).ids, n).tolist())
    return len(a & b) / max(1, len(a))


def evaluate(data: Path = DEFAULT_DATA, config: DeriveConfig | None = None) -> dict[str, object]:
    """Run the model on every task; return the figures and per-answer rows."""
    config = config or DeriveConfig()
    labels = load_labels(data)
    rows = []
    for task in sorted({t for _, t, _ in labels}):
        original = load_paths([str(data / f"orig_task{task}.txt")])[0]
        files = [f for f, t, _ in labels if t == task]
        docs = load_paths([str(data / f) for f in files])
        result = derive_original(docs, original, config)
        cats = {f: c for f, t, c in labels if t == task}
        for doc, d in zip(docs, result.documents, strict=True):
            rows.append({"file": doc.origin.rsplit("/", 1)[-1], "task": task, "category": cats[doc.origin.rsplit("/", 1)[-1]],
                         "departure": d.departure, "derived": d.derived, "class": d.cls,
                         "baseline": _containment(doc.text, original.text)})
    truth = np.array([RANK[r["category"]] for r in rows])
    dep = np.array([r["departure"] for r in rows], dtype=float)
    derived = np.array([bool(r["derived"]) for r in rows])
    base = np.array([r["baseline"] for r in rows])
    return {
        "answers": len(rows),
        "spearman": float(spearmanr(dep, truth).statistic),
        "accuracy": float(np.mean(derived == (truth < 3))),
        "baseline_spearman": float(spearmanr(-base, truth).statistic),
        "baseline_accuracy": float(np.mean((base >= 0.1) == (truth < 3))),
        "mean_departure": {c: float(dep[truth == r].mean()) for c, r in RANK.items()},
        "rows": rows,
    }


def evaluate_latent(data: Path = DEFAULT_DATA, config: DeriveConfig | None = None,
                    standins: tuple[str, ...] = ("heavy",)) -> dict[str, object]:
    """Latent-original simulation: the source text is hidden.

    Per task, every answer is scored against the sentences of the *other* derived answers
    (cut/light/heavy stand for the reports that credit the source), leave-one-out, as
    ``reuse derive --source-name`` does; this calibrates the latent-mode thresholds.

    ``standins`` are the categories whose answers stand in for the hidden source (the reports that
    credit it).  Heavy revisions by default: news reports of a foreign-language scoop are
    translations, reworded throughout, not copies of each other.
    """
    config = config or DeriveConfig()
    labels = load_labels(data)
    rows = []
    for task in sorted({t for _, t, _ in labels}):
        files = [f for f, t, _ in labels if t == task]
        cats = {f: c for f, t, c in labels if t == task}
        docs = load_paths([str(data / f) for f in files])
        derived_ids = {d.id for d, f in zip(docs, files, strict=True) if cats[f] in standins}
        result = derive_latent(docs, "source", config, attributing_ids=derived_ids)
        for f, d in zip(files, result.documents, strict=True):
            rows.append({"file": f, "task": task, "category": cats[f], "departure": d.departure, "derived": d.derived})
    truth = np.array([RANK[r["category"]] for r in rows])
    dep = np.array([r["departure"] for r in rows], dtype=float)
    derived = np.array([bool(r["derived"]) for r in rows])
    return {
        "answers": len(rows),
        "spearman": float(spearmanr(dep, truth).statistic),
        "accuracy": float(np.mean(derived == (truth < 3))),
        "mean_departure": {c: float(dep[truth == r].mean()) for c, r in RANK.items()},
        "rows": rows,
    }


def _spearman(rows: list[dict[str, object]]) -> float:
    return float(spearmanr([r["departure"] for r in rows], [RANK[str(r["category"])] for r in rows]).statistic)


def leave_one_task_out(data: Path, config: DeriveConfig, field: str, values: list[str]) -> dict[str, object]:
    """Leave-one-task-out check of one config field: for each task, the value of ``field`` with the best
    Spearman on the other four tasks scores the held-out task; the held-out departures of all five
    tasks are pooled into one Spearman (an honest estimate of the calibrated figure on unseen sources)."""
    runs = {v: evaluate(data, replace(config, **{field: _parse_value(getattr(config, field), v)}))["rows"] for v in values}
    held: list[dict[str, object]] = []
    chosen = {}
    for task in sorted({str(r["task"]) for r in runs[values[0]]}):  # type: ignore[index]
        best = max(values, key=lambda v: _spearman([r for r in runs[v] if r["task"] != task]))  # type: ignore[union-attr]
        chosen[task] = best
        held += [r for r in runs[best] if r["task"] == task]  # type: ignore[union-attr]
    return {"field": field, "chosen": chosen, "spearman": _spearman(held),
            "accuracy": float(np.mean([bool(r["derived"]) == (r["category"] != "non") for r in held]))}


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    data = Path(args[0]) if args else DEFAULT_DATA
    if not (data / "file_information.csv").exists():
        print(f"Clough–Stevenson data not found at {data}", file=sys.stderr)
        return 2
    config = DeriveConfig()
    for a in argv:
        if a.startswith("--set="):  # --set=field=value, for calibration sweeps
            name, value = a[len("--set="):].split("=", 1)
            config = replace(config, **{name: _parse_value(getattr(config, name), value)})
    for a in argv:
        if a.startswith("--loto="):  # --loto=field=v1,v2,...: leave-one-task-out choice of that field
            name, values = a[len("--loto="):].split("=", 1)
            res = leave_one_task_out(data, config, name, values.split(","))
            print(f"leave-one-task-out over {name} in {values}: chosen per held-out task {res['chosen']}")
            print(f"pooled held-out Spearman {res['spearman']:.3f}, accuracy {res['accuracy']:.3f}")
            return 0
    out = evaluate_latent(data, config) if "--latent" in argv else evaluate(data, config)
    if "--latent" in argv:
        print("latent-original simulation (source hidden; heavy revisions stand in for it, every answer scored leave-one-out)")
    if "--json" in argv:
        print(json.dumps({k: v for k, v in out.items() if k != "rows"}, indent=2))
        return 0
    print(f"answers: {out['answers']}")
    base = "baseline_spearman" in out
    print(f"departure vs cut<light<heavy<non  Spearman {out['spearman']:.3f}" + (f"   (baseline 3-gram containment {out['baseline_spearman']:.3f})" if base else ""))
    print(f"derived vs non-derived            accuracy {out['accuracy']:.3f}" + (f"   (baseline {out['baseline_accuracy']:.3f})" if base else ""))
    if base:
        ok = round(out["spearman"], 3) >= SPEARMAN_FLOOR and round(out["accuracy"], 3) >= ACCURACY_FLOOR
        print(f"floors Spearman {SPEARMAN_FLOOR} / accuracy {ACCURACY_FLOOR}: {'kept' if ok else 'NOT KEPT'}")
    print("mean departure: " + ", ".join(f"{c} {v:.3f}" for c, v in out["mean_departure"].items()))  # type: ignore[union-attr]
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
