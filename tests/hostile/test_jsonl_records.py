"""JSONL that breaks one record must cost that record only, in memory and streamed alike.

One line reader serves files and stdin, with and without ``--stream``: a line
that is not JSON for any reason (syntax, nesting, a number Python will not
convert), holds a NUL byte, or exceeds the line limit is that line's error
document; the other lines are analysed.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(60)

A = "Die Stadtwerke kündigten am Montag an, das Netz der Ladesäulen bis zum Ende des Jahres deutlich auszubauen."
B = "Der Verein meldete für die kommende Saison einen neuen Rekord bei den Mitgliederzahlen und plant ein Fest."


def line(doc_id: str, text: str) -> bytes:
    return json.dumps({"id": doc_id, "text": text}, ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize("mode", ["--stream", "--no-stream"])
def test_stdin_is_read_as_jsonl(proc, mode: str) -> None:
    # a real process: click's stdin wrapper is not iterable, which ended every `reuse scan -` in a TypeError
    run = proc("scan", "-", mode, stdin=line("a", A) + b"\n" + line("b", B) + b"\n{broken\n")
    assert run.code == 0
    assert run.statuses() == [("a", "ok"), ("b", "ok"), ("stdin:3", "error")]
    assert run.doc("stdin:3")["reason"].startswith("malformed JSON line")


def test_empty_stdin_is_one_line(proc) -> None:
    run = proc("scan", "-", stdin=b"")
    assert run.code == 1 and "no documents found" in run.err


BAD_LINES = {
    "deep": (b"[" * 100_000, "malformed JSON line: nested too deeply"),
    "deep_object": (b'{"id": "x", "text": ' + b'{"a": ' * 50_000, "malformed JSON line: nested too deeply"),
    "huge_int": (b'{"id": "x", "text": "a b", "n": ' + b"7" * 5000 + b"}", "malformed JSON line: Exceeds the limit"),
    "syntax": (b'{"id": "x", "text": ', "malformed JSON line: Expecting value"),
    "nul": (b'{"id": "n", "text": "a\x00b"}', "binary: the line contains NUL bytes"),
    "nul_outside": (b'{"id": "m",\x00 "text": "ab"}', "binary: the line contains NUL bytes"),
    "not_object": (b'["a", "list"]', "malformed record"),
}


@pytest.mark.parametrize("mode", ["--stream", "--no-stream"])
@pytest.mark.parametrize("kind", sorted(BAD_LINES))
def test_one_bad_line_costs_one_record(tmp_path: Path, cli, kind: str, mode: str) -> None:
    bad, reason = BAD_LINES[kind]
    path = tmp_path / "c.jsonl"
    path.write_bytes(line("a", A) + b"\n" + bad + b"\n" + line("b", B) + b"\n")
    run = cli("scan", str(path), mode)
    assert run.code == 0
    rows = run.report["documents"]
    assert [d["status"] for d in rows] == ["ok", "error", "ok"]
    assert [rows[0]["id"], rows[2]["id"]] == ["a", "b"]
    assert rows[1]["reason"].startswith(reason), rows[1]["reason"]
    assert "\n" not in rows[1]["reason"]
    # a NUL line keeps its own id where the line can be read leniently
    if kind == "nul":
        assert rows[1]["id"] == "n"


def test_stream_and_memory_readers_agree_on_every_bad_line(tmp_path: Path, cli) -> None:
    path = tmp_path / "all.jsonl"
    body = [line("a", A)] + [bad for bad, _ in BAD_LINES.values()] + [b"", b"   ", line("b", B)]
    path.write_bytes(b"\n".join(body) + b"\n")
    streamed, in_memory = cli("scan", str(path), "--stream"), cli("scan", str(path), "--no-stream")
    assert streamed.report == in_memory.report
    assert len(streamed.report["documents"]) == 2 + len(BAD_LINES)  # blank lines are not records


def test_overlong_line_is_skipped_unread(tmp_path: Path, cli) -> None:
    # --max-bytes 100 and LoadConfig.line_bytes_factor 8: a line over 800 bytes is not parsed
    path = tmp_path / "c.jsonl"
    path.write_bytes(line("a", A) + b"\n" + line("long", "x " * 2000) + b"\n" + line("b", B))  # no final newline
    run = cli("scan", str(path), "--max-bytes", "200")
    assert run.statuses() == [("a", "ok"), ("c:2", "error"), ("b", "ok")]
    assert run.doc("c:2")["reason"] == "too large: the line exceeds 1600 bytes"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_wide_byte_order_marks(tmp_path: Path, cli, encoding: str) -> None:
    path = tmp_path / "c.jsonl"
    text = "\r\n".join(json.dumps({"id": k, "text": t}, ensure_ascii=False) for k, t in (("a", A), ("b", B))) + "\r\n"
    path.write_bytes(text.encode(encoding))  # Python writes the byte order mark
    run = cli("scan", str(path))
    assert run.statuses() == [("a", "ok"), ("b", "ok")]
    assert encoding.upper() in run.doc("a")["reason"]


def test_utf8_bom_cp1252_line_and_crlf(tmp_path: Path, cli) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(codecs.BOM_UTF8 + line("a", A) + b"\r\n" + line("c", "Gr\u00fc\u00dfe aus K\u00f6ln, sagte er.").decode().encode("cp1252") + b"\r\n" + line("b", B))
    run = cli("scan", str(path))
    assert run.statuses() == [("a", "ok"), ("c", "ok"), ("b", "ok")]
    assert run.doc("a")["reason"] == "" and "CP1252" in run.doc("c")["reason"]


def test_undecodable_wide_file_is_named(tmp_path: Path, cli) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(codecs.BOM_UTF16_LE + b"{\x00\x00\xd8")  # a lone high surrogate, then the end
    good = tmp_path / "g.txt"
    good.write_text(A, encoding="utf-8")
    run = cli("scan", str(good), str(path))
    assert run.statuses() == [("g", "ok"), ("c", "error")] and run.doc("c")["reason"].startswith("undecodable")


def test_utf16_text_opening_with_nul_is_not_taken_for_utf32(tmp_path: Path, cli) -> None:
    # UTF-16-LE "\x00..." starts FF FE 00 00, the UTF-32-LE byte order mark; found by the fuzz test
    path = tmp_path / "c.jsonl"
    text = "\x00\n" + json.dumps({"id": "a", "text": A}, ensure_ascii=False) + "\n"
    path.write_bytes(text.encode("utf-16"))
    run = cli("scan", str(path))
    assert run.statuses() == [("c:1", "error"), ("a", "ok")] and run.doc("c:1")["reason"].startswith("binary")
