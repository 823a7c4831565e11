"""Scale benchmark of ``reuse scan --engine dask`` on a LocalCluster of this machine, beside the local ``--stream``.

Each run is a whole process, as a user starts it (``reuse scan FILES ... --format json -o OUT -q``),
with the memory of its process tree sampled (psutil, every 0.2 s): the client (the ``reuse``
process, which also hosts the LocalCluster's scheduler) and each Dask worker process apart.  The two
engines' JSON reports are compared byte for byte.  Results are merged into a JSON file (one record
per engine, corpus and partition size) and plotted.

    python benchmarks/planted_shards.py --docs 100000 --out /data/p100k --jobs 2
    python benchmarks/planted_shards.py --docs 1000000 --out /data/p1m --jobs 2
    nohup python benchmarks/dask_scale.py /data/p100k /data/p1m --out benchmarks/results/dask_scale.json &

Runs one corpus after the other; a corpus is a directory of ``corpus-*.jsonl`` shards (or a file).
``--partition-mib 16 64`` adds runs of the dask engine at other partition sizes (memory model).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil


@dataclass
class Run:
    """One whole-process run and what it cost."""

    engine: str
    corpus: str
    documents: int
    input_bytes: int
    partition_mib: int | None
    workers: int
    seconds: float = 0.0
    seconds_per_100k: float = 0.0
    client_peak_mb: float = 0.0
    worker_peak_mb: list[float] = field(default_factory=list)
    tree_peak_mb: float = 0.0
    load_before: list[float] = field(default_factory=list)
    load_after: list[float] = field(default_factory=list)
    identical_to_stream: bool | None = None
    returncode: int = 0
    summary: str = ""
    when: str = ""


def _sample(proc: psutil.Process, stop: threading.Event, run: Run) -> None:
    """Peak resident memory of the process and of each child (Dask workers), every 0.2 s."""
    peaks: dict[int, float] = {}
    client = 0.0
    tree = 0.0
    while not stop.is_set():
        try:
            total = proc.memory_info().rss
            client = max(client, total)
            for child in proc.children(recursive=True):
                try:
                    rss = child.memory_info().rss
                except psutil.Error:
                    continue
                peaks[child.pid] = max(peaks.get(child.pid, 0.0), rss)
                total += rss
            tree = max(tree, total)
        except psutil.Error:
            break
        stop.wait(0.2)
    mb = 2**20
    run.client_peak_mb = round(client / mb, 1)
    # children that never grew past an interpreter (a resource tracker) are not workers
    run.worker_peak_mb = sorted((round(v / mb, 1) for v in peaks.values() if v > 150 * mb), reverse=True)
    run.tree_peak_mb = round(tree / mb, 1)


def _files(corpus: Path) -> list[str]:
    return sorted(str(p) for p in corpus.glob("corpus*.jsonl")) if corpus.is_dir() else [str(corpus)]


def _count(files: list[str]) -> int:
    n = 0
    for f in files:
        with open(f, "rb") as fh:
            n += sum(chunk.count(b"\n") for chunk in iter(lambda fh=fh: fh.read(1 << 24), b""))
    return n


def measure(engine: str, corpus: Path, out: Path, partition_mib: int | None, workers: int, workdir: str | None) -> Run:
    files = _files(corpus)
    run = Run(engine=engine, corpus=str(corpus), documents=_count(files), input_bytes=sum(os.path.getsize(f) for f in files),
              partition_mib=partition_mib, workers=workers, when=time.strftime("%Y-%m-%d %H:%M"))
    cmd = [sys.executable, "-m", "reuse", "scan", *files, "--format", "json", "-o", str(out), "--jobs", str(workers)]
    if engine == "dask":
        cmd += ["--engine", "dask", "--partition-size", str(partition_mib)]
        if workdir:
            cmd += ["--workdir", workdir]
    else:
        cmd += ["--stream"]
    run.load_before = [round(x, 2) for x in os.getloadavg()]
    stop = threading.Event()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sampler = threading.Thread(target=_sample, args=(psutil.Process(proc.pid), stop, run))
    sampler.start()
    _, err = proc.communicate()
    run.seconds = round(time.perf_counter() - t0, 2)
    stop.set()
    sampler.join()
    run.load_after = [round(x, 2) for x in os.getloadavg()]
    run.returncode = proc.returncode
    run.summary = err.strip().splitlines()[-1] if err.strip() else ""
    run.seconds_per_100k = round(run.seconds * 100_000 / max(run.documents, 1), 2)
    return run


def _save(path: Path, runs: list[Run]) -> None:
    old = json.loads(path.read_text()) if path.exists() else {"runs": []}
    keep = [r for r in old["runs"] if not any(r["engine"] == n.engine and r["corpus"] == n.corpus and r["partition_mib"] == n.partition_mib for n in runs)]
    path.write_text(json.dumps({"machine": {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1)},
                                "runs": keep + [asdict(r) for r in runs]}, indent=2) + "\n")


def plot(results: Path, png: Path) -> None:
    """Seconds per 100,000 documents and peak memory per worker against the corpus size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = [r for r in json.loads(results.read_text())["runs"] if r["returncode"] == 0]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for engine, style in (("dask", "o-"), ("stream", "s--")):
        mine = sorted((r for r in runs if r["engine"] == engine and r["partition_mib"] in (None, 32)), key=lambda r: r["documents"])
        if not mine:
            continue
        docs = [r["documents"] for r in mine]
        label = "--engine dask (2 workers)" if engine == "dask" else "local --stream"
        left.plot(docs, [r["seconds_per_100k"] for r in mine], style, label=label)
        if engine == "dask":
            right.plot(docs, [max(r["worker_peak_mb"] or [0]) for r in mine], style, label="dask: largest worker, 32 MiB partitions")
            right.plot(docs, [r["client_peak_mb"] for r in mine], "o:", label="dask: client (with the scheduler)")
            for mib, marker in ((16, "v"), (64, "^")):
                other = [r for r in runs if r["engine"] == "dask" and r["partition_mib"] == mib]
                if other:
                    right.plot([r["documents"] for r in other], [max(r["worker_peak_mb"]) for r in other], marker, color="C0",
                               label=f"dask: largest worker, {mib} MiB partitions")
        else:
            # the main process: its forked front workers share most of their pages with it
            right.plot(docs, [r["client_peak_mb"] for r in mine], style, label="local --stream (main process)")
    for ax in (left, right):
        ax.set_xscale("log")
        ax.set_xlabel("documents")
        ax.legend(fontsize=8)
        ax.grid(alpha=0.3)
    left.set_ylabel("seconds per 100,000 documents")
    left.set_ylim(bottom=0)
    right.set_ylabel("peak resident memory (MB)")
    right.set_ylim(bottom=0)
    fig.suptitle("reuse scan on planted corpora, 2-core machine (whole processes)")
    fig.tight_layout()
    fig.savefig(png, dpi=110)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="+", type=Path, help="corpus directories (corpus-*.jsonl shards) or files")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/dask_scale.json"))
    parser.add_argument("--partition-mib", type=int, nargs="*", default=[], help="extra dask runs at these partition sizes (MiB)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--workdir", default=None, help="the dask engine's --workdir (default: the temporary directory)")
    parser.add_argument("--no-stream", action="store_true", help="skip the local --stream runs")
    args = parser.parse_args(argv)
    for corpus in args.corpora:
        with tempfile.TemporaryDirectory(prefix="reuse-bench-") as tmp:
            dask_out, stream_out = Path(tmp) / "dask.json", Path(tmp) / "stream.json"
            runs = [measure("dask", corpus, dask_out, 32, args.workers, args.workdir)]
            print(json.dumps(asdict(runs[-1])), flush=True)
            if not args.no_stream:
                runs.append(measure("stream", corpus, stream_out, None, args.workers, None))
                print(json.dumps(asdict(runs[-1])), flush=True)
                same = runs[0].returncode == 0 and runs[1].returncode == 0 and filecmp.cmp(dask_out, stream_out, shallow=False)
                runs[0].identical_to_stream = same
            for mib in args.partition_mib:
                runs.append(measure("dask", corpus, dask_out, mib, args.workers, args.workdir))
                if not args.no_stream:
                    runs[-1].identical_to_stream = runs[-1].returncode == 0 and filecmp.cmp(dask_out, stream_out, shallow=False)
                print(json.dumps(asdict(runs[-1])), flush=True)
        _save(args.out, runs)
        plot(args.out, args.out.with_suffix(".png"))


if __name__ == "__main__":
    main()
