"""The streaming scan: same result as the in-memory scan, bounded batches, every document kept."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from reuse.cli import main
from reuse.config import ScanConfig
from reuse.io import Document, documents_from_texts, iter_paths, load_paths
from reuse.pipeline import scan
from reuse.stream import Spill, scan_stream


def _same(a, b) -> None:
    assert a.documents == b.documents
    assert a.clusters == b.clusters
    assert a.families == b.families
    assert a.pairs == b.pairs
    assert a.candidate_pairs == b.candidate_pairs


@pytest.mark.parametrize("candidates", ["lsh", "exact"])
def test_stream_equals_scan_on_planted_corpus_in_small_batches(planted_docs: list[Document], candidates: str) -> None:
    # batches far smaller than the corpus: every cross-batch pair must still be found and aligned
    config = ScanConfig(candidates=candidates, batch_docs=7)
    streamed = scan_stream(iter(planted_docs), config)
    _same(streamed, scan(planted_docs, replace(config, batch_docs=2000)))
    assert streamed.families  # the planted corpus has reuse: the comparison is not vacuous


def test_stream_keeps_error_documents_in_place(planted_docs: list[Document]) -> None:
    bad = documents_from_texts({"empty": "   ", "nul": "a\x00b"})
    docs = planted_docs[:10] + bad + planted_docs[10:]
    streamed = scan_stream(docs, ScanConfig(candidates="lsh", batch_docs=5))
    assert [d.id for d in streamed.documents] == [d.id for d in docs]
    assert [d.status for d in streamed.documents if d.id in ("empty", "nul")] == ["error", "error"]
    _same(streamed, scan(docs, ScanConfig(candidates="lsh")))


def test_stream_equals_scan_on_seeds(seed_docs: list[Document]) -> None:
    streamed = scan_stream(seed_docs, ScanConfig(batch_docs=2))
    _same(streamed, scan(seed_docs))
    assert streamed.clusters  # the seeds share quotations and phrases: the comparison is not vacuous


def test_stream_spill_files_are_removed(tmp_path: Path, planted_docs: list[Document]) -> None:
    during: list[int] = []  # files under the work directory while the scan aligns (after the spills are written)
    scan_stream(planted_docs, ScanConfig(candidates="lsh"), workdir=str(tmp_path),
                progress=lambda stage, done, total: during.append(sum(1 for p in tmp_path.rglob("*") if p.is_file())) if stage == "align" else None)
    assert during and min(during) > 0, "the scan spilled nothing to its work directory"
    assert list(tmp_path.iterdir()) == []


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.integers(0, 2**64 - 1), max_size=20), min_size=1, max_size=12))
def test_spill_round_trips_records(tmp_path_factory, records: list[list[int]]) -> None:
    spill = Spill(tmp_path_factory.mktemp("spill") / "s", np.uint64)
    try:
        for r in records:
            spill.append(np.array(r, dtype=np.uint64))
        assert len(spill) == len(records)
        for k in reversed(range(len(records))):  # read in any order
            assert spill[k].tolist() == records[k]
    finally:
        spill.close()


def test_jsonl_reader_reads_a_file_and_stdin_alike(tmp_path: Path) -> None:
    # one line reader for files and stdin, in memory and streamed: a BOM skipped, U+2028 inside a string kept
    path = tmp_path / "c.jsonl"
    lines = [json.dumps({"id": "a", "text": "Ein Text\u2028mit Trenner."}), "", "{not json", json.dumps({"id": "b", "text": ""})]
    data = b"\xef\xbb\xbf" + "\n".join(lines).encode("utf-8") + b"\n"
    path.write_bytes(data)
    from_file = list(iter_paths([str(path)]))
    from_stdin = load_paths(["-"], stdin=io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    assert [(d.id, d.status) for d in from_file] == [("a", "ok"), ("c:3", "error"), ("b", "error")]
    assert [(d.text, d.status, d.reason) for d in from_file] == [(d.text, d.status, d.reason) for d in from_stdin]
    assert from_file[0].text == "Ein Text\u2028mit Trenner." and from_file[1].reason.startswith("malformed JSON line")


def test_streamed_jsonl_reader_notes_a_cp1252_line(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'{"id": "a", "text": "Gr\xfc\xdfe aus K\xf6ln"}\n{"id": "b", "text": "fine"}\n')
    docs = list(iter_paths([str(path)]))
    assert docs[0].text == "Grüße aus Köln" and "CP1252" in docs[0].reason
    assert docs[1].reason == ""


def test_cli_stream_gives_the_same_json(tmp_path: Path, planted_docs: list[Document]) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps({"id": d.id, "text": d.text}) + "\n" for d in planted_docs), encoding="utf-8")
    runner = CliRunner()
    common = ["scan", str(path), "--format", "json", "-q", "--candidates", "lsh", "--jobs", "1"]
    streamed = runner.invoke(main, [*common, "--stream"])
    in_memory = runner.invoke(main, [*common, "--no-stream"])
    assert streamed.exit_code == 0, streamed.output
    assert streamed.output == in_memory.output
    assert json.loads(streamed.output)["clusters"]


def test_cli_stream_refuses_html(tmp_path: Path, planted_docs: list[Document]) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "x y z"}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["scan", str(path), "--stream", "--format", "html", "-q"])
    assert result.exit_code == 1
    assert "--stream" in result.output and "Traceback" not in result.output


def test_stream_equals_scan_with_copies_stock_and_pairs(planted_docs: list[Document]) -> None:
    # a phrase in every document (stock), one text copied into eight (syndication, a family), pair rows asked for:
    # every cluster and pair row must come out of the spilled batches as from memory
    docs = [replace(d, text=d.text.replace(". ", ". Das teilte die Nachrichtenagentur am Abend in Berlin mit. ", 1)) for d in planted_docs]
    docs += [replace(planted_docs[0], id=f"zz{k}") for k in range(8)]
    config = ScanConfig(candidates="lsh", batch_docs=6, pairs=True)
    streamed = scan_stream(docs, config)
    _same(streamed, scan(docs, replace(config, batch_docs=2000)))
    assert {c.kind for c in streamed.clusters} == {"syndication", "stock"} and streamed.pairs
    (family,) = [f for f in streamed.families if "zz0" in f.documents]
    assert {f"zz{k}" for k in range(8)} | {planted_docs[0].id} <= set(family.documents)
