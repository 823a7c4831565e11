"""Partitions a cluster reads (:mod:`reuse.partitions`) and the shards it spills (:mod:`reuse.shards`)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reuse.config import LoadConfig
from reuse.errors import InputError
from reuse.io import iter_path
from reuse.partitions import JsonlRange, lines_before, newlines, plan
from reuse.shards import ShardReader, write_shard, write_where
from reuse.text import tokenize_batch

_LINE = st.one_of(
    st.builds(lambda i, t: json.dumps({"id": i, "text": t}, ensure_ascii=False), st.text("abc", min_size=1, max_size=3), st.text("Wort ärger\u2028.", min_size=1, max_size=30)),
    st.builds(lambda t: json.dumps({"text": t}), st.text("xyz ", min_size=1, max_size=20)),  # no id: named by its line
    st.sampled_from(["", "   ", "{not json", "\r"]),
)


def _read(parts) -> list:
    counts = [newlines(p) for p in parts]
    return [d for p, b in zip(parts, lines_before(parts, counts), strict=True) for d in p.documents(LoadConfig(), b)]


@settings(max_examples=60, deadline=None)
@given(st.lists(_LINE, max_size=25), st.integers(1, 200), st.booleans())
def test_jsonl_ranges_read_every_line_once_with_its_number(tmp_path_factory, lines: list[str], size: int, final_newline: bool) -> None:
    path = tmp_path_factory.mktemp("jsonl") / "c.jsonl"
    path.write_bytes(("\n".join(lines) + ("\n" if final_newline else "")).encode("utf-8"))
    parts = plan([str(path)], size)
    assert all(isinstance(p, JsonlRange) for p in parts)
    # the same documents, ids, origins and reasons as the local streaming reader, however the file is cut
    assert _read(parts) == list(iter_path(str(path)))


def test_plan_rejects_what_workers_cannot_read(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        plan([str(tmp_path / "missing.jsonl")], 100)
    with pytest.raises(InputError, match="not standard input"):
        plan(["-"], 100)
    with pytest.raises(InputError, match="single string"):
        plan(str(tmp_path), 100)  # type: ignore[arg-type]
    bad = tmp_path / "x.parquet"
    bad.write_bytes(b"not parquet")
    with pytest.raises(InputError, match="cannot read it as Parquet"):
        plan([str(bad)], 100)


def test_parquet_without_text_column_is_rejected(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": ["a"], "body": ["x"]}), tmp_path / "x.parquet")
    with pytest.raises(InputError, match=r"no 'text' column .*body"):
        plan([str(tmp_path / "x.parquet")], 100)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.text(min_size=0, max_size=40), max_size=6), min_size=1, max_size=4))
def test_shards_give_back_every_text_and_its_tokens_by_rank(tmp_path_factory, partitions: list[list[str]]) -> None:
    root = tmp_path_factory.mktemp("shards")
    where = []
    for p, texts in enumerate(partitions):
        write_shard(root, p, texts, tokenize_batch(texts))
        where += [p << 32 | k for k in range(len(texts))]
    order = np.random.default_rng(len(where)).permutation(len(where))  # ranks need not follow partitions
    write_where(root, np.array(where, dtype=np.int64)[order])
    flat = [t for texts in partitions for t in texts]
    with ShardReader(root) as reader:
        for rank, k in enumerate(order.tolist()):
            assert reader.text(rank) == flat[k]
            want, got = tokenize_batch([flat[k]])[0], reader.tokens(rank)
            assert got.ids.tolist() == want.ids.tolist() and got.starts.tolist() == want.starts.tolist() and got.ends.tolist() == want.ends.tolist()


def test_url_wildcards_expand_to_files_in_name_order(tmp_path: Path) -> None:
    for name in ("b.jsonl", "a.jsonl", "c.txt"):
        (tmp_path / name).write_text(json.dumps({"id": name, "text": "Ein Text."}) + "\n", encoding="utf-8")
    parts = plan([f"file://{tmp_path}/*.jsonl"], 100)
    assert [p.name for p in parts] == [f"file://{tmp_path}/a.jsonl", f"file://{tmp_path}/b.jsonl"]
    assert [d.id for d in _read(parts)] == ["a.jsonl", "b.jsonl"]
    with pytest.raises(InputError, match="no file matches"):
        plan([f"file://{tmp_path}/*.parquet"], 100)
