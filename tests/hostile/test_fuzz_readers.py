"""Fuzz the JSONL, CSV and HTML readers with arbitrary bytes: no exception escapes, every line or row is accounted for."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reuse.config import LoadConfig
from reuse.errors import InputError
from reuse.io import decode_bytes, iter_paths, load_paths
from reuse.pipeline import scan

pytestmark = pytest.mark.timeout(120)

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SMALL = LoadConfig(max_bytes=64)  # small enough that the fuzzer meets the line limit (64 * 8 bytes)

#: Byte pieces that steer the readers into their branches, mixed with arbitrary bytes.
PIECES = [b"\n", b"\r\n", b"{", b"}", b"[", b"]", b'"id": ', b'"text": ', b'"x y z"', b'"a\\ud800"', b",", b"\x00", b"\xff", b"\xc3\xa4",
          b"\xef\xbb\xbf", b" ", b"1" * 40, b'{"id": "k", "text": "ein Text"}', b"\x85", b"\xe2\x80\xa8", b"x" * 300]
fuzz_bytes = st.lists(st.one_of(st.sampled_from(PIECES), st.binary(max_size=12)), max_size=40).map(b"".join)


def expected_jsonl_lines(data: bytes, limit: int) -> list[int]:
    """Line numbers the JSONL reader must account for: every line that is not blank once decoded."""
    out = []
    for k, raw in enumerate(data.split(b"\n"), 1):
        if k == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        if len(raw) > limit:
            out.append(k)
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = raw.decode("cp1252", errors="replace")
        if line and not line.isspace():
            out.append(k)
    return out


@FUZZ
@given(fuzz_bytes)
def test_jsonl_reader_accounts_for_every_line(tmp_path: Path, data: bytes) -> None:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # a wide byte order mark: decoded whole (own test)
        data = b" " + data
    path = tmp_path / "f.jsonl"
    path.write_bytes(data)
    docs = list(iter_paths([str(path)], SMALL))
    lines = [int(d.origin.rsplit(":", 1)[1]) for d in docs]
    assert lines == expected_jsonl_lines(data, SMALL.max_bytes * SMALL.line_bytes_factor)
    assert all(d.reason for d in docs if not d.ok)
    for d in docs:  # everything a report writes can be encoded
        (d.id + d.reason + d.text + (d.title or "") + (d.date or "") + (d.source or "")).encode("utf-8")
    # stdin is read by the same reader
    from_stdin = load_paths(["-"], SMALL, stdin=io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    # the same records; a repeated id's reason names where the id was first used: "-:LINE" on stdin
    assert [(d.text, d.status, d.reason) for d in from_stdin] == [(d.text, d.status, d.reason.replace(str(path), "-")) for d in docs]


@FUZZ
@given(st.sampled_from(["utf-16", "utf-32"]), st.text(alphabet=st.sampled_from(list('{}"idtex: ,\n\r\ud7ffä€𝄞\x00')), max_size=60))
def test_jsonl_reader_wide_encodings(tmp_path: Path, encoding: str, text: str) -> None:
    if encoding == "utf-16" and text.startswith("\x00"):
        # FF FE 00 00 is also the UTF-32-LE byte order mark; the reader tries UTF-32 first, then UTF-16,
        # so only a text that is valid both ways (a lone NUL, NUL + one character) is read as UTF-32
        text = " " + text
    path = tmp_path / "f.jsonl"
    path.write_bytes(text.encode(encoding))
    docs = list(iter_paths([str(path)], SMALL))
    assert len(docs) == sum(1 for line in text.split("\n") if line and not line.isspace())


@FUZZ
@given(st.booleans(), fuzz_bytes)
def test_csv_reader_accounts_for_every_row(tmp_path: Path, with_header: bool, data: bytes) -> None:
    if with_header:
        data = b"id,text,date\n" + data
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    try:
        docs = list(iter_paths([str(path)], SMALL))
    except InputError as exc:  # no 'text' column: one line naming the columns
        assert "\n" not in str(exc) and "no 'text' column" in str(exc) and len(str(exc)) < 600
        return
    if not data:
        assert [d.reason.split(":")[0] for d in docs] == ["empty"]
        return
    text, note = decode_bytes(data)
    if text is None:  # a byte order mark, then bytes it cannot decode: the file is one error record
        assert [(d.status, d.reason) for d in docs] == [("error", note)]
        return
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(docs) == len(rows)
    assert all(d.reason for d in docs if not d.ok)


HTML_PIECES = ["<script>", "</script>", "<!--", "-->", "<header>", "</header>", "<h1>", "<nav>", "</nav>", "<meta ", 'name="date" ',
               'content="2025-11-19"', 'content="2025-13-45"', ">", "<", "&amp;", "&uuml;", "&#8222;", "&#xZZ;", "\n", "\r", " ", "Wort",
               "Satz. ", "Der Rat hat beschlossen", "\ud800", "\x00", "\x1b[31m"]


@FUZZ
@given(st.lists(st.sampled_from(HTML_PIECES), max_size=60).map("".join), st.lists(st.sampled_from(HTML_PIECES), max_size=60).map("".join))
def test_html_reader_and_scan(tmp_path: Path, page: str, other: str) -> None:
    paths = []
    for name, body in (("a.html", page), ("b.html", other + page)):
        (tmp_path / name).write_bytes(body.encode("utf-8", "surrogatepass"))
        paths.append(str(tmp_path / name))
    docs = load_paths(paths)
    assert [d.id for d in docs] == ["a.html", "b.html"]
    result = scan(docs)
    assert len(result.documents) == 2
    texts = {d.id: d.text for d in docs}
    for d in result.documents:
        assert all(0 <= s < e <= d.chars for s, e in d.boilerplate)
    for c in result.clusters:
        rep = c.representative
        assert texts[rep.id][rep.start : rep.end] == c.text and all(0 <= m.start < m.end <= len(texts[m.id]) for m in c.members)


@pytest.mark.parametrize("extra", [-3, -2, 0, 1, 5])
def test_a_byte_order_mark_does_not_split_a_line_at_the_limit(tmp_path: Path, extra: int) -> None:
    # found by the fuzz test: the mark took three bytes of the first read, so a line just under the limit came out as two
    limit = SMALL.max_bytes * SMALL.line_bytes_factor
    line = b'{"id": "a", "text": "' + b"x" * (limit - 22 + extra) + b'"}'
    path = tmp_path / "f.jsonl"
    path.write_bytes(codecs.BOM_UTF8 + line + b"\n" + b'{"id": "b", "text": "zwei Worte"}\n')
    docs = list(iter_paths([str(path)], SMALL))
    assert [int(d.origin.rsplit(":", 1)[1]) for d in docs] == [1, 2] == expected_jsonl_lines(path.read_bytes(), limit)
    assert docs[0].reason.startswith("too large: the line exceeds") == (len(line) > limit)  # else its text is read (and is too large itself)
