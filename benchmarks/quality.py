"""How well ``reuse.scan`` recovers the planted reuse of a planted corpus, as reprint clusters.

Run as ``python -m benchmarks.quality --docs 2000 20000 [--background 300]`` (LSH
candidates forced, so the figures are those of the path large corpora take).  Scores:

* **pair recall / precision**: a planted (target, source) pair is found when one
  syndication cluster holds both documents; a found pair is any two documents of one
  syndication cluster;
* **family purity**: the share of documents in families that take part in planted reuse
  (a planted target or source);
* **background**: in the background variant, the share of background-sentence copies
  that lie in a stock cluster, and the syndication clusters made of background text only
  (documents that share nothing planted but a reworded background sentence).
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, replace

from benchmarks.planted import Background, PlantedConfig, generate_with_background, truth_pairs
from reuse.config import ScanConfig
from reuse.io import documents_from_texts
from reuse.pipeline import ScanResult, scan


@dataclass(frozen=True)
class Quality:
    """Scores of one scan against the planted truth."""

    docs: int
    planted: int
    found: int
    true_positives: int
    recall: float
    precision: float
    family_docs: int
    family_purity: float
    largest_family: int
    clusters: dict[str, int]
    background_copies: int
    background_in_stock: float
    background_syndication: int
    seconds: float
    candidate_pairs: int
    missed: tuple[tuple[str, str], ...]


def found_pairs(result: ScanResult) -> set[tuple[str, str]]:
    """Document pairs sharing a syndication cluster (ids sorted within a pair)."""
    out = set()
    for c in result.clusters:
        if c.kind == "syndication":
            ids = sorted({m.id for m in c.members})
            out.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    return out


def _overlaps(s: int, e: int, spans: list[tuple[int, int]]) -> bool:
    return any(min(e, y) > max(s, x) for x, y in spans)


def score(result: ScanResult, truth: list, background: list[Background], seconds: float = 0.0) -> Quality:
    """Score a scan of a planted corpus (see the module docstring)."""
    want, got = truth_pairs(truth), found_pairs(result)
    tp = len(want & got)
    planted_docs = {d for pair in want for d in pair}
    in_families = [d for f in result.families for d in f.documents]
    planted_spans: dict[str, list[tuple[int, int]]] = {}
    for p in truth:
        planted_spans.setdefault(p.target, []).append((p.target_start, p.target_end))
        planted_spans.setdefault(p.source, []).append((p.source_start, p.source_end))
    stock: dict[str, list[tuple[int, int]]] = {}
    for c in result.clusters:
        if c.kind == "stock":
            for m in c.members:
                stock.setdefault(m.id, []).append((m.start, m.end))
    copies: dict[str, list[tuple[int, int]]] = {}
    for b in background:
        copies.setdefault(b.doc, []).append((b.start, b.end))
    in_stock = sum(1 for b in background if _overlaps(b.start, b.end, stock.get(b.doc, [])))
    only_background = sum(
        1 for c in result.clusters
        if c.kind == "syndication"
        and all(_overlaps(m.start, m.end, copies.get(m.id, [])) and not _overlaps(m.start, m.end, planted_spans.get(m.id, [])) for m in c.members)
    )
    kinds: dict[str, int] = {}
    for c in result.clusters:
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
    return Quality(
        docs=len(result.documents), planted=len(want), found=len(got), true_positives=tp,
        recall=tp / len(want) if want else 1.0, precision=tp / len(got) if got else 1.0,
        family_docs=len(in_families), family_purity=sum(d in planted_docs for d in in_families) / len(in_families) if in_families else 1.0,
        largest_family=max((len(f.documents) for f in result.families), default=0), clusters=kinds,
        background_copies=len(background), background_in_stock=in_stock / len(background) if background else 1.0,
        background_syndication=only_background, seconds=seconds, candidate_pairs=result.candidate_pairs, missed=tuple(sorted(want - got)),
    )


def evaluate(docs: int, config: ScanConfig | None = None, seed: int = PlantedConfig.seed, jobs: int | None = None, background: int = 0) -> Quality:
    """Generate a planted corpus of ``docs`` documents (with ``background`` pool sentences), scan it, and score it."""
    config = config or ScanConfig(candidates="lsh")
    if jobs is not None:
        config = replace(config, jobs=jobs)
    records, truth, copies = generate_with_background(PlantedConfig(docs=docs, seed=seed, background_sentences=background))
    documents = documents_from_texts({r["id"]: r["text"] for r in records})
    t0 = time.perf_counter()
    result = scan(documents, config)
    return score(result, truth, copies, time.perf_counter() - t0)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--seed", type=int, default=PlantedConfig.seed)
    parser.add_argument("--background", type=int, default=0, metavar="N", help="background variant with a pool of N sentences")
    parser.add_argument("--candidates", choices=["lsh", "exact", "auto"], default="lsh")
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args(argv)
    print("| docs | planted pairs | recall | precision | docs in families | family purity | largest family | clusters | background in stock | background-only syndication | candidates | scan s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|")
    for n in args.docs:
        q = evaluate(n, ScanConfig(candidates=args.candidates), seed=args.seed, jobs=args.jobs, background=args.background)
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(q.clusters.items()))
        print(f"| {q.docs:,} | {q.planted} | {q.recall:.3f} | {q.precision:.3f} | {q.family_docs} | {q.family_purity:.3f} | {q.largest_family} | {kinds} | "
              f"{q.background_in_stock:.3f} | {q.background_syndication} | {q.candidate_pairs:,} | {q.seconds:.1f} |", flush=True)
        if q.missed:
            print(f"  missed (first 5): {q.missed[:5]}")


if __name__ == "__main__":
    main()
