"""The scan on Dask (``--engine dask``): a real LocalCluster of two worker processes, and once a real
``dask scheduler`` with two ``dask worker`` processes; the JSON must be the local engine's, byte for byte."""

from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from distributed import Client, LocalCluster, WorkerPlugin
from distributed.utils import key_split

from benchmarks.planted import PlantedConfig, generate
from reuse.cli import main
from reuse.config import DaskConfig, ScanConfig
from reuse.distributed import scan_dask, scan_dask_parts
from reuse.io import iter_paths, load_paths
from reuse.pipeline import scan
from reuse.report import scan_dict, to_json, to_jsonl
from reuse.stream import scan_stream

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def client():
    """Two single-threaded worker processes, as ``reuse scan --engine dask --jobs 2`` starts them."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


def _json(result) -> str:
    return to_json(scan_dict(result))


def _local(paths: list[str], config: ScanConfig) -> str:
    """The local engine's JSON, in memory and streamed (which must agree)."""
    memory = _json(scan(load_paths(paths), config))
    assert _json(scan_stream(iter_paths(paths), config)) == memory
    return memory


@pytest.fixture(scope="module")
def planted_jsonl(tmp_path_factory) -> Path:
    """A planted corpus of the background kind (recurring reworded sentences: stock clusters), with records
    that cannot be analysed, one without an id, and ids repeated far apart (in different partitions)."""
    records, _ = generate(PlantedConfig(docs=400, seed=11, background_sentences=40))
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines.insert(50, json.dumps({"id": "empty", "text": "   "}))
    lines.insert(120, "{not json")
    lines.insert(200, json.dumps({"text": records[7]["text"]}))  # no id: named by its line
    lines.insert(300, json.dumps({"id": records[3]["id"], "text": records[9]["text"]}))  # repeats an id of partition 0
    lines.insert(301, "")
    path = tmp_path_factory.mktemp("planted") / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_seeds_give_the_local_json(client, seeds_dir: Path) -> None:
    paths = [str(seeds_dir)]
    assert _json(scan_dask(paths, ScanConfig(), client=client)) == _local(paths, ScanConfig())


@pytest.mark.parametrize(
    ("candidates", "dask"),
    [
        ("lsh", DaskConfig()),  # one partition
        ("lsh", DaskConfig(partition_bytes=150_000, shuffle_partitions=5)),  # about 15 partitions, cuts inside lines
        ("exact", DaskConfig(partition_bytes=400_000, shuffle_partitions=2, shuffle_method="tasks")),
    ],
)
def test_planted_corpus_gives_the_local_json_whatever_the_partitions(client, planted_jsonl: Path, candidates: str, dask: DaskConfig) -> None:
    config = ScanConfig(candidates=candidates)
    local = _local([str(planted_jsonl)], config)
    report = json.loads(local)
    # the comparison is not vacuous: reuse, stock, repeated ids, a record named by its line
    assert {c["kind"] for c in report["clusters"]} >= {"syndication", "stock"}
    named = {d["id"]: d for d in report["documents"]}
    line = json.dumps({"text": json.loads(planted_jsonl.read_text(encoding="utf-8").splitlines()[7])["text"]})
    no_id = planted_jsonl.read_text(encoding="utf-8").split("\n").index(line) + 1
    assert named[f"corpus:{no_id}"]["status"] == "ok"
    assert any(d["reason"].startswith("duplicate id") for d in report["documents"])
    assert _json(scan_dask([str(planted_jsonl)], config, dask, client=client)) == local


def test_parquet_and_gzip_read_like_jsonl(client, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    records, _ = generate(PlantedConfig(docs=120, seed=5))
    records[4] = {**records[4], "text": ""}  # cannot be analysed: keeps its row and reason
    records[6] = {**records[6], "date": "2025-11-18", "source": "Agentur"}
    plain = tmp_path / "c.jsonl"
    plain.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    with gzip.open(tmp_path / "c.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(plain.read_text(encoding="utf-8"))
    table = pa.table({key: [r.get(key) for r in records] for key in ("id", "text", "title", "date", "source")})
    pq.write_table(table, tmp_path / "c.parquet", row_group_size=25)
    config = ScanConfig(candidates="lsh")
    local = _local([str(plain)], config)
    assert '"reason": "empty: the text has no content"' in local
    for name in ("c.jsonl.gz", "c.parquet"):
        # several row groups per partition and partitions of one row group: the same documents either way
        for dask in (DaskConfig(), DaskConfig(partition_bytes=1)):
            assert _json(scan_dask([str(tmp_path / name)], config, dask, client=client)) == local, name


def test_work_directory_is_removed(client, seeds_dir: Path, tmp_path: Path) -> None:
    scan_dask([str(seeds_dir)], ScanConfig(), client=client, workdir=str(tmp_path))
    assert list(tmp_path.iterdir()) == []


class KillOnce(WorkerPlugin):
    """Kill the worker process (SIGKILL) when the first task of ``prefix`` finishes on it, once per ``marker`` file."""

    def __init__(self, prefix: str, marker: str) -> None:
        self.prefix = prefix
        self.marker = marker

    def transition(self, key, start, finish, **kwargs) -> None:
        if finish == "memory" and key_split(key) == self.prefix and not os.path.exists(self.marker):
            Path(self.marker).write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.parametrize("stage", ["front_partition", "verify_align"])
def test_a_worker_killed_mid_run_does_not_change_the_result(planted_jsonl: Path, tmp_path: Path, stage: str) -> None:
    config = ScanConfig(candidates="lsh")
    marker = tmp_path / "killed"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as c:
        before = set(c.run(os.getpid).values())
        c.register_plugin(KillOnce(stage, str(marker)))
        found = _json(scan_dask([str(planted_jsonl)], config, DaskConfig(partition_bytes=150_000, shuffle_partitions=4), client=c))
    assert marker.exists() and int(marker.read_text()) in before  # a worker really died mid-run
    assert found == _local([str(planted_jsonl)], config)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_scheduler_is_a_one_line_error(seeds_dir: Path) -> None:
    address = f"tcp://127.0.0.1:{_free_port()}"
    result = CliRunner().invoke(main, ["scan", str(seeds_dir), "--scheduler", address])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"Error: cannot reach the Dask scheduler at {address} (Connection refused)"]
    result = CliRunner().invoke(main, ["scan", str(seeds_dir), "--engine", "dask", "--scheduler", "scheduler.example"])
    assert result.exit_code == 1 and "not a scheduler address" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--stream"], "--stream is the local engine's"),
        (["--format", "html"], "writes no HTML report"),
    ],
)
def test_dask_engine_refuses_what_it_cannot_do(seeds_dir: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["scan", str(seeds_dir), "--engine", "dask", *args])
    assert result.exit_code == 1 and message in result.output


def test_dask_engine_does_not_read_stdin() -> None:
    result = CliRunner().invoke(main, ["scan", "-", "--engine", "dask"], input='{"id": "a", "text": "x"}\n')
    assert result.exit_code == 1 and "not standard input" in result.output


def _start(args: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", *args], stdout=log.open("wb"), stderr=subprocess.STDOUT, cwd=str(log.parent))


def test_real_scheduler_and_worker_processes_give_the_local_json(tmp_path: Path, seeds_dir: Path, planted_jsonl: Path) -> None:
    """``dask scheduler`` and two ``dask worker`` processes on localhost; ``reuse scan --scheduler`` in a process of its own."""
    file = tmp_path / "scheduler.json"
    procs = [_start(["distributed.cli.dask_scheduler", "--scheduler-file", str(file), "--host", "127.0.0.1", "--port", "0", "--no-dashboard"], tmp_path / "scheduler.log")]
    try:
        deadline = time.monotonic() + 60
        while not file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        procs += [
            _start(["distributed.cli.dask_worker", "--scheduler-file", str(file), "--nthreads", "1", "--no-dashboard"], tmp_path / f"worker{k}.log")
            for k in range(2)
        ]
        address = json.loads(file.read_text())["address"]
        with Client(address, timeout=60) as c:
            c.wait_for_workers(2, timeout=60)
        for paths in ([str(seeds_dir)], [str(planted_jsonl)]):
            run = subprocess.run(
                [sys.executable, "-m", "reuse", "scan", *paths, "--scheduler", address, "--format", "json", "--partition-size", "1", "-q"],
                capture_output=True, text=True, timeout=300, cwd=str(ROOT),
            )
            assert run.returncode == 0, run.stderr
            local = subprocess.run([sys.executable, "-m", "reuse", "scan", *paths, "--format", "json", "-q"], capture_output=True, text=True, timeout=300, cwd=str(ROOT))
            assert run.stdout == local.stdout and json.loads(run.stdout)["documents"]
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in reversed(procs):
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


def test_workers_write_the_document_parts_of_the_local_report(client, planted_jsonl: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    config, dask = ScanConfig(candidates="lsh"), DaskConfig(partition_bytes=300_000)
    written = scan_dask_parts([str(planted_jsonl)], str(tmp_path / "jsonl"), "jsonl", config, dask, client=client)
    local = scan(load_paths([str(planted_jsonl)]), config)
    assert written.result.documents == () and written.documents == len(local.documents)  # the client held no row
    assert written.analysed == sum(d.status == "ok" for d in local.documents)
    assert len(written.manifest["tables"]["documents"]["files"]) > 2  # type: ignore[index]
    # the parts, read in name order, are the local engine's JSONL report
    assert "".join(p.read_text(encoding="utf-8") for p in sorted((tmp_path / "jsonl").glob("*.jsonl"))) == to_jsonl(scan_dict(local))
    written = scan_dask_parts([str(planted_jsonl)], str(tmp_path / "parquet"), "parquet", config, dask, client=client)
    files = written.manifest["tables"]["documents"]["files"]  # type: ignore[index]
    assert [r for f in files for r in pq.read_table(tmp_path / "parquet" / f).to_pylist()] == scan_dict(local)["documents"]


def test_cli_dask_engine_writes_parquet_parts(tmp_path: Path, seeds_dir: Path) -> None:
    import pyarrow.parquet as pq

    result = CliRunner().invoke(main, ["scan", str(seeds_dir), "--engine", "dask", "--jobs", "2", "--format", "parquet", "--output-dir", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "reuse scan: 5 documents (0 not analysed)" in result.output
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    rows = pq.read_table(tmp_path / "out" / manifest["tables"]["documents"]["files"][0]).to_pylist()
    assert [r["id"] for r in rows] == [d["id"] for d in json.loads(_local([str(seeds_dir)], ScanConfig()))["documents"]]
