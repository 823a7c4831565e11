"""Document-pair recall and precision of ``reuse.scan`` on a planted-reuse corpus.

Run as ``python -m benchmarks.quality --docs 2000 20000`` (LSH candidates forced,
so the figures are those of the path large corpora take).  A found pair is a
pair of documents linked by at least one reported passage; the truth is the
planted (target, source) pairs of :mod:`benchmarks.planted`.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, replace

from benchmarks.planted import PlantedConfig, generate, truth_pairs
from reuse.config import ScanConfig
from reuse.io import documents_from_texts
from reuse.pipeline import ScanResult, scan


@dataclass(frozen=True)
class Quality:
    """Document-pair scores of one scan against the planted truth."""

    docs: int
    planted: int
    found: int
    true_positives: int
    recall: float
    precision: float
    seconds: float
    candidate_pairs: int
    missed: tuple[tuple[str, str], ...]
    spurious: tuple[tuple[str, str], ...]


def found_pairs(result: ScanResult) -> set[tuple[str, str]]:
    """Document pairs linked by at least one passage (ids sorted within a pair)."""
    return {(p.a, p.b) if p.a < p.b else (p.b, p.a) for p in result.passages}


def evaluate(docs: int, config: ScanConfig | None = None, seed: int = PlantedConfig.seed, jobs: int | None = None) -> Quality:
    """Generate a planted corpus of ``docs`` documents, scan it, and score the document pairs."""
    config = config or ScanConfig(candidates="lsh")
    if jobs is not None:
        config = replace(config, jobs=jobs)
    records, truth = generate(PlantedConfig(docs=docs, seed=seed))
    documents = documents_from_texts({r["id"]: r["text"] for r in records})
    t0 = time.perf_counter()
    result = scan(documents, config)
    seconds = time.perf_counter() - t0
    want, got = truth_pairs(truth), found_pairs(result)
    tp = len(want & got)
    return Quality(
        docs=docs, planted=len(want), found=len(got), true_positives=tp,
        recall=tp / len(want) if want else 1.0, precision=tp / len(got) if got else 1.0,
        seconds=seconds, candidate_pairs=result.candidate_pairs,
        missed=tuple(sorted(want - got)), spurious=tuple(sorted(got - want)),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--seed", type=int, default=PlantedConfig.seed)
    parser.add_argument("--candidates", choices=["lsh", "exact", "auto"], default="lsh")
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args(argv)
    print("| docs | planted pairs | found pairs | recall | precision | candidates | scan s |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n in args.docs:
        q = evaluate(n, ScanConfig(candidates=args.candidates), seed=args.seed, jobs=args.jobs)
        print(f"| {q.docs:,} | {q.planted} | {q.found} | {q.recall:.3f} | {q.precision:.3f} | {q.candidate_pairs:,} | {q.seconds:.1f} |", flush=True)
        if q.missed:
            print(f"  missed (first 5): {q.missed[:5]}")
        if q.spurious:
            print(f"  spurious (first 5): {q.spurious[:5]}")


if __name__ == "__main__":
    main()
