"""Complexity benchmark: scan and derive time on hostile input shapes against normal prose of the same size.

Each shape is one file of 0.1, 1 and 4 MB (``--sizes``) that once made a stage
quadratic (issue 13): unclosed ``<script>``/comment/``<header>``/``<meta>`` tags
(regular expressions that retried to the end of the text from every opening),
short lines (the sentence splitter copied the text before each line break), one
long word (character n-grams rebuilt the word per n-gram), a long run of end
marks, and derive's anchors: many dates, unclosed quotation marks, a name before
a colon over and over.  Each is timed as a whole process, ``reuse scan FILE --format json -o
OUT`` and ``reuse derive FILE --format json -o OUT``, like a user runs it, next
to prose of the same size (the planted corpus generator's German-like text).

Reported per shape, size and command: seconds, the ratio to prose of the same
size (target: at most 3) and the growth from the middle to the largest size as
an exponent (``log(t_large / t_mid) / log(size_large / size_mid)``; 1 is
linear, 2 quadratic; target: at most 1, with a margin for timing noise).

    python benchmarks/complexity.py                                  # 0.1, 1, 4 MB
    python benchmarks/complexity.py --sizes 0.1,1 --shapes prose,lines --commands derive
    python benchmarks/complexity.py --json benchmarks/results/complexity.json --markdown benchmarks/results/complexity.md

Tests never assert times (DEVELOPERS.md): ``benchmarks/test_complexity.py`` runs
this at a tiny size and checks the structure of the result only.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

COMMANDS = ("scan", "derive")
MB = 1_000_000


def _repeat(piece: str, lead: str = "") -> Callable[[int], str]:
    def make(n: int) -> str:
        body = lead + piece * (n // len(piece.encode("utf-8")) + 1)
        return _cut(body, n)

    return make


def _cut(text: str, n: int) -> str:
    """``text`` cut to at most ``n`` UTF-8 bytes, on a character boundary."""
    return text.encode("utf-8")[:n].decode("utf-8", "ignore")


def _prose(n: int) -> str:
    """German-like news prose (paragraphs of the planted corpus generator), ``n`` bytes."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from planted import PlantedConfig, generate

    docs = max(1, n // 5000 + 1)
    records, _ = generate(PlantedConfig(docs=docs, seed=11))
    return _cut("\n\n".join(r["text"] for r in records), n)


#: Shape name -> (file suffix, generator of ``n`` bytes of that shape).
SHAPES: dict[str, tuple[str, Callable[[int], str]]] = {
    "prose": (".txt", _prose),
    "script": (".html", _repeat("<script>x ", "<p>x</p>")),
    "comment": (".html", _repeat("<!-- x ", "<p>x</p>")),
    "header": (".html", _repeat("<header x ", "<p>x</p>")),
    "meta": (".html", _repeat("<meta name=x ", "<p>x</p>")),
    "lines": (".txt", _repeat("alpha beta gamma\n")),
    "long_word": (".txt", _repeat("a")),
    "end_marks": (".txt", _repeat(".", "Ende")),
    "dates": (".txt", _repeat("24. Oktober ")),
    "quotes": (".txt", _repeat("„x ")),
    "headline_credit": (".txt", _repeat("Axios: ")),
}


@dataclass(frozen=True)
class Timing:
    """One whole-process run."""

    shape: str
    megabytes: float
    command: str
    seconds: float
    exit_code: int


def run_once(command: str, path: Path, out: Path, timeout: float) -> tuple[float, int]:
    """Seconds and exit code of ``reuse COMMAND PATH --format json -o OUT`` (``timeout`` seconds at most, then ``inf``)."""
    args = [sys.executable, "-m", "reuse", command, str(path), "--format", "json", "-o", str(out), "-q"]
    t0 = time.perf_counter()
    try:
        done = subprocess.run(args, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return math.inf, -1
    return time.perf_counter() - t0, done.returncode


def measure(shapes: Sequence[str], sizes: Sequence[float], commands: Sequence[str] = COMMANDS, timeout: float = 300,
            workdir: Path | None = None, progress: Callable[[Timing], None] | None = None) -> list[Timing]:
    """Time every command on every shape at every size (megabytes), one process at a time."""
    timings = []
    with tempfile.TemporaryDirectory(prefix="reuse-complexity-", dir=workdir) as tmp:
        root = Path(tmp)
        for size in sizes:
            for shape in shapes:
                suffix, make = SHAPES[shape]
                path = root / f"{shape}{suffix}"
                path.write_text(make(int(size * MB)), encoding="utf-8")
                for command in commands:
                    seconds, code = run_once(command, path, root / "out.json", timeout)
                    timing = Timing(shape, size, command, seconds, code)
                    timings.append(timing)
                    if progress:
                        progress(timing)
                path.unlink()
    return timings


def summarise(timings: Sequence[Timing]) -> list[dict[str, object]]:
    """Per shape, size and command: seconds, ratio to prose of the same size, growth exponent to this size."""
    by = {(t.shape, t.megabytes, t.command): t for t in timings}
    sizes = sorted({t.megabytes for t in timings})
    rows = []
    for (shape, size, command), t in sorted(by.items(), key=lambda kv: (kv[0][2], kv[0][0], kv[0][1])):
        prose = by.get(("prose", size, command))
        k = sizes.index(size)
        prev = by.get((shape, sizes[k - 1], command)) if k > 0 else None
        growth = None
        if prev is not None and math.isfinite(t.seconds) and prev.seconds > 0:
            growth = math.log(t.seconds / prev.seconds) / math.log(size / prev.megabytes)
        rows.append({
            "shape": shape, "megabytes": size, "command": command, "seconds": round(t.seconds, 3), "exit_code": t.exit_code,
            "ratio_to_prose": round(t.seconds / prose.seconds, 2) if prose and prose.seconds > 0 and math.isfinite(t.seconds) else None,
            "growth_exponent": round(growth, 2) if growth is not None else None,
        })
    return rows


def markdown(rows: Sequence[dict[str, object]]) -> str:
    """The summary as a markdown table: one row per shape and command, one column group per size."""
    sizes = sorted({r["megabytes"] for r in rows})  # type: ignore[type-var]
    head = "| command | shape | " + " | ".join(f"{s:g} MB s (× prose)" for s in sizes) + " | growth exponent |"
    lines = [head, "|" + "---|" * (3 + len(sizes))]
    keys = sorted({(r["command"], r["shape"]) for r in rows}, key=lambda k: (k[0], k[1] != "prose", k[1]))  # type: ignore[arg-type]
    for command, shape in keys:
        cells = []
        growth = ""
        for s in sizes:
            r = next((r for r in rows if (r["command"], r["shape"], r["megabytes"]) == (command, shape, s)), None)
            if r is None:
                cells.append("")
                continue
            ratio = "" if shape == "prose" or r["ratio_to_prose"] is None else f" ({r['ratio_to_prose']}×)"
            cells.append(f"{r['seconds']}{ratio}" + ("" if r["exit_code"] in (0, 1) else f" exit {r['exit_code']}"))
            if r["growth_exponent"] is not None:
                growth = str(r["growth_exponent"])
        lines.append(f"| {command} | {shape} | " + " | ".join(cells) + f" | {growth} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="0.1,1,4", help="file sizes in MB, comma-separated (default 0.1,1,4)")
    parser.add_argument("--shapes", default=",".join(SHAPES), help=f"comma-separated: {', '.join(SHAPES)}")
    parser.add_argument("--commands", default=",".join(COMMANDS), help="scan, derive or both")
    parser.add_argument("--timeout", type=float, default=300, help="seconds before a run counts as infinite")
    parser.add_argument("--json", dest="json_out", default=None, help="write the timings and summary as JSON here")
    parser.add_argument("--markdown", default=None, help="write the summary table as markdown here")
    args = parser.parse_args(argv)
    shapes = [s for s in args.shapes.split(",") if s]
    if "prose" not in shapes:
        shapes.insert(0, "prose")
    sizes = [float(s) for s in args.sizes.split(",")]
    commands = [c for c in args.commands.split(",") if c]

    def show(t: Timing) -> None:
        print(f"{t.command:6s} {t.shape:10s} {t.megabytes:5g} MB  {t.seconds:8.2f} s  exit {t.exit_code}", file=sys.stderr, flush=True)

    timings = measure(shapes, sizes, commands, args.timeout, progress=show)
    rows = summarise(timings)
    table = markdown(rows)
    print(table)
    if args.json_out:
        meta = {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(), "date": time.strftime("%Y-%m-%d")}
        Path(args.json_out).write_text(json.dumps({"meta": meta, "timings": [asdict(t) for t in timings], "summary": rows}, indent=1) + "\n", encoding="utf-8")
    if args.markdown:
        Path(args.markdown).write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
