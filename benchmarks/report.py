"""Turn saved pytest-benchmark JSON into a Markdown table (ratios vs each peer) and a PNG plot.

Usage::

    python benchmarks/report.py benchmarks/results/latest.json --out benchmarks/results

writes ``OUT/table.md`` and ``OUT/benchmarks.png`` (throughput and peak memory
of the whole processes, and signature throughput, against corpus size).
Throughput is documents per second of the fastest round (``stats.min``): on a
shared machine the minimum is the least disturbed measurement.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

#: The issue's targets: (group, reuse method, peer method, minimum ratio of throughputs, sizes judged).
#: End to end is defined at 20,000 documents; other sizes are shown for reference.  Candidates are judged at 100k.
TARGETS = (
    ("whole process", "reuse", "datasketch", 5.0, ("20k", "20k-bg", "100k", "100k-bg")),
    ("whole process", "reuse", "rensa", 1.5, ("20k", "20k-bg", "100k", "100k-bg")),
    ("signatures", "reuse", "rensa*", 3.0, ()),  # rensa's fastest path at that size; () = the largest size measured
    ("signatures", "reuse", "datasketch update", 20.0, ()),
    ("candidates (document signatures)", "reuse", "datasketch MinHashLSH", 40.0, ("100k",)),
)


def load(paths: list[Path]) -> list[dict]:
    """Benchmark rows from one or more pytest-benchmark JSON files (later files win on equal names)."""
    rows: dict[str, dict] = {}
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        for b in data["benchmarks"]:
            info = b.get("extra_info", {})
            group = b.get("group") or ""
            stage, _, size = group.rpartition(" ")
            rows[b["fullname"]] = {
                "stage": info.get("stage", stage), "size": size, "method": info.get("method", b["name"]),
                "docs": info.get("docs"), "seconds": b["stats"]["min"], "rounds": b["stats"]["rounds"],
                "recall": info.get("recall"), "precision": info.get("precision"),
                "peak_rss_mb": info.get("peak_rss_mb"), "corpus_mb": info.get("corpus_mb"),
            }
    for r in rows.values():
        r["docs_per_s"] = r["docs"] / r["seconds"] if r["docs"] and r["seconds"] else None
    return list(rows.values())


def _fmt(x: float | None, digits: int = 0) -> str:
    if x is None:
        return ""
    return f"{x:,.{digits}f}"


#: Corpus sizes by name (as in benchmarks/conftest.py; kept here so the script needs no pytest).
SCALES = {"tiny": 200, "2k": 2000, "10k": 10000, "20k": 20000, "100k": 100000}


def _size_key(size: str) -> float:
    base, _, kind = size.partition("-")
    return float(SCALES.get(base, 0)) + (0.5 if kind else 0.0)  # SIZE-bg (the background variant) right after SIZE


def table(rows: list[dict]) -> str:
    """Markdown: one table per stage; each row a method at a size, with ratios of reuse's throughput to it."""
    by_stage: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_stage[r["stage"]].append(r)
    out = []
    for stage in ("whole process", "signatures", "candidates (document signatures)", "candidates", "load+clean", "tokenise+shingle", "verification", "alignment", "derivation", "scan"):
        items = sorted(by_stage.get(stage, []), key=lambda r: (_size_key(r["size"]), r["method"] != "reuse", r["method"]))
        if not items:
            continue
        reuse = {r["size"]: r for r in items if r["method"] == "reuse"}
        out.append(f"### {stage}\n")
        out.append("| size | method | docs | seconds | docs/s | reuse speed-up | recall | precision | peak RSS MB |")
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for r in items:
            mine = reuse.get(r["size"])
            ratio = mine["docs_per_s"] / r["docs_per_s"] if mine and not r["method"].startswith("reuse") and r["docs_per_s"] and mine["docs_per_s"] else None
            out.append(
                f"| {r['size']} | {r['method']} | {_fmt(r['docs'])} | {r['seconds']:.3f} | {_fmt(r['docs_per_s'])} | "
                f"{'' if ratio is None else f'{ratio:.1f}x'} | {_fmt(r['recall'], 3)} | {_fmt(r['precision'], 3)} | {_fmt(r['peak_rss_mb'])} |"
            )
        out.append("")
    return "\n".join(out)


def targets(rows: list[dict]) -> str:
    """The issue's ratio targets against what was measured (largest size measured for each)."""
    out = ["| target | size | measured | met |", "|---|---|---:|---|"]
    for stage, mine, peer, want, judged in TARGETS:
        sizes = sorted({r["size"] for r in rows if r["stage"] == stage}, key=_size_key)
        for size in [s for s in judged if s in sizes] or sizes[-1:]:
            a = next((r for r in rows if r["stage"] == stage and r["size"] == size and r["method"] == mine), None)
            if peer.endswith("*"):  # the fastest of the peer's methods
                same = [r for r in rows if r["stage"] == stage and r["size"] == size and r["method"].startswith(peer[:-1]) and r["docs_per_s"]]
                b = max(same, key=lambda r: r["docs_per_s"], default=None)
            else:
                b = next((r for r in rows if r["stage"] == stage and r["size"] == size and r["method"] == peer), None)
            if a and b and a["docs_per_s"] and b["docs_per_s"]:
                ratio = a["docs_per_s"] / b["docs_per_s"]
                out.append(f"| {stage}: reuse ≥ {want:g}x {b['method']} | {size} | {ratio:.1f}x | {'yes' if ratio >= want else 'no'} |")
    for method in ("reuse", "reuse stream"):
        runs = [r for r in rows if r["stage"] == "whole process" and r["method"] == method]
        for kind in ("", "-bg"):
            by_size = {r["size"]: r for r in runs}
            small, large = by_size.get("10k" + kind), by_size.get("100k" + kind)
            if small and large:  # the scaling target
                growth = large["seconds"] / small["seconds"]
                out.append(f"| scaling ({method}): time(100k) / time(10k) ≤ 11 | 10k{kind}→100k{kind} | {growth:.1f} | {'yes' if growth <= 11 else 'no'} |")
        if method != "reuse stream":
            continue
        for r in sorted(runs, key=lambda r: _size_key(r["size"])):
            if r["peak_rss_mb"] and r["corpus_mb"]:
                share = r["peak_rss_mb"] / r["corpus_mb"]
                out.append(
                    f"| peak RSS ({method}) ≤ 1.5x corpus text | {r['size']} | {share:.1f}x ({r['peak_rss_mb']:.0f} MB for {r['corpus_mb']:.0f} MB) "
                    f"| {'yes' if share <= 1.5 else 'no'} |"
                )
    return "\n".join(out)


def plot(rows: list[dict], path: Path) -> None:
    """Throughput and peak memory of the whole processes, and signature throughput, vs corpus size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    panels = (("whole process", "docs_per_s", "whole process: documents / s"), ("whole process", "peak_rss_mb", "whole process: peak RSS (MB)"),
              ("signatures", "docs_per_s", "signatures from raw text: documents / s"))
    for ax, (stage, key, title) in zip(axes, panels, strict=True):
        # one line per method and corpus kind (planted, background ``-bg``): sizes of one kind only
        lines = sorted({(r["method"], r["size"].endswith("-bg")) for r in rows if r["stage"] == stage})
        colours: dict[str, str] = {}
        for m, bg in lines:
            pts = sorted(((_size_key(r["size"]), r[key]) for r in rows
                          if r["stage"] == stage and r["method"] == m and r["size"].endswith("-bg") == bg and r[key]), key=lambda p: p[0])
            if pts:
                colour = colours.setdefault(m, f"C{len(colours)}")
                ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="s" if bg else "o", linestyle="--" if bg else "-",
                        color=colour, label=f"{m} (background)" if bg else m)
        if key == "peak_rss_mb":
            pts = sorted({(_size_key(r["size"]), r["corpus_mb"]) for r in rows
                          if r["stage"] == stage and r.get("corpus_mb") and not r["size"].endswith("-bg")})
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], "k:", label="corpus text size")
        if not ax.lines:
            ax.set_axis_off()
            continue
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("documents in corpus")
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", nargs="+", type=Path, help="pytest-benchmark JSON file(s)")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    args = parser.parse_args(argv)
    rows = load(args.json)
    args.out.mkdir(parents=True, exist_ok=True)
    text = "## Targets\n\n" + targets(rows) + "\n\n## Stages\n\n" + table(rows)
    (args.out / "table.md").write_text(text + "\n", encoding="utf-8")
    plot(rows, args.out / "benchmarks.png")
    print(text)


if __name__ == "__main__":
    main()
