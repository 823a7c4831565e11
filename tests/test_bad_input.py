"""Input that scrapers really produce: every document appears with a status and reason, nothing is lost, no traceback.

Exit codes (docs/guide/errors.md): 0 when at least one document was analysed; 1
when none was, or an input was rejected up front; 2 for usage errors.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reuse.cli import main
from reuse.io import load_paths

#: Sentences shared by exactly two documents each (a phrase in three or more documents counts as stock).
SHARED = {
    "crlf": "Der Ausschuss hat nach langen Beratungen am Donnerstagabend beschlossen, die umstrittene Reform der Wasserversorgung zu verschieben.",
    "cp": "Nach Angaben der Feuerwehr brach das Feuer gegen drei Uhr morgens im Dachstuhl des alten Lagerhauses am Hafen aus und griff schnell über.",
    "html": "Die Forscherinnen konnten in der Studie zeigen, dass sich die Zugvögel bei ihrer Rückkehr vor allem am Magnetfeld der Erde orientieren.",
    "long": "Der Verband kündigte an, die Preise für Fahrkarten im Nahverkehr zum kommenden Jahr um durchschnittlich vier Prozent anzuheben und Abos zu vereinfachen.",
}


def run(args: list[str], stdin: str | None = None) -> Result:
    result = CliRunner().invoke(main, args, input=stdin)
    # never a traceback: either a clean exit or click's own usage/ClickException exit
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def scan_json(tmp_path: Path, *paths: str, extra: tuple[str, ...] = ()) -> tuple[Result, dict]:
    out = tmp_path / "report.json"
    result = run(["scan", *paths, "--format", "json", "-o", str(out), "-q", *extra])
    report = json.loads(out.read_text(encoding="utf-8")) if result.exit_code == 0 else {}
    return result, report


def by_id(report: dict) -> dict[str, dict]:
    return {d["id"]: d for d in report["documents"]}


def shared_by(report: dict, x: str, y: str) -> list[dict]:
    """Clusters (reused texts) carried by both ``x`` and ``y``."""
    return [c for c in report["clusters"] if {x, y} <= {m["id"] for m in c["members"]}]


def check_offsets(report: dict, texts: dict[str, str]) -> None:
    """Every cluster quotes its representative exactly, and every member span lies in its text."""
    for c in report["clusters"]:
        rep = c["representative"]
        assert texts[rep["id"]][rep["start"] : rep["end"]] == c["text"]
        for m in c["members"]:
            assert 0 <= m["start"] < m["end"] <= len(texts[m["id"]])


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A directory holding one file per kind of bad input (and partners for the passages)."""
    d = tmp_path / "corpus"
    d.mkdir()
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.txt").write_bytes(b"  \n\t \r\n  ")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (d / "controls.txt").write_bytes(bytes([1, 2, 3, 4, 5, 6, 0x1B, 0x41]) * 200)
    (d / "bad_utf8.txt").write_bytes("Überschrift\n\nEin Text mit Umlauten: Grüße aus Köln.".encode() + b"\xff\xfe\x81 kaputt")
    (d / "cp1252.txt").write_bytes(f"Brand im Hafen – „Großeinsatz“\n\n{SHARED['cp']}".encode("cp1252"))
    (d / "utf16.txt").write_bytes(f"Meldung der Feuerwehr\n\n{SHARED['cp']} Niemand wurde verletzt.".encode("utf-16"))
    (d / "crlf.txt").write_bytes(f"Reform vertagt\r\n\r\nErster Absatz.\r\n{SHARED['crlf']}\r\nSchluss.\r\n".encode())
    (d / "cr.txt").write_bytes(f"Wasser\r\rEin anderer Anfang.\r{SHARED['crlf']}\rEnde.".encode())
    (d / "long_line.txt").write_text(" ".join(f"wort{k % 997}" for k in range(60_000)) + " " + SHARED["long"], encoding="utf-8")
    (d / "partner_long.txt").write_text(f"Tarife\n\n{SHARED['long']} Der Fahrgastverband kritisierte das.", encoding="utf-8")
    (d / "partner_html.txt").write_text(f"Vogelzug\n\n{SHARED['html']} Weitere Studien folgen.", encoding="utf-8")
    (d / "one_word.txt").write_text("Hallo", encoding="utf-8")
    (d / "one_word_too.txt").write_text("Hallo\n", encoding="utf-8")
    return d


def test_directory_of_bad_files(corpus: Path, tmp_path: Path) -> None:
    result, report = scan_json(tmp_path, str(corpus))
    assert result.exit_code == 0
    docs = by_id(report)
    expected = {p.name[: -len(".txt")] for p in corpus.iterdir()}
    assert set(docs) == expected and len(report["documents"]) == len(expected)  # nothing lost, nothing doubled
    reasons = {k: d["reason"] for k, d in docs.items()}
    for k in ("empty", "blank", "binary", "controls"):
        assert docs[k]["status"] == "error", k
    assert reasons["empty"].startswith("empty") and reasons["blank"].startswith("empty")
    assert reasons["binary"].startswith("binary") and reasons["controls"].startswith("binary")
    for k in ("bad_utf8", "cp1252", "utf16", "crlf", "cr", "long_line", "one_word", "one_word_too"):
        assert docs[k]["status"] == "ok", (k, reasons[k])
    assert all(d["reason"] for d in report["documents"] if d["status"] == "error")
    assert "CP1252" in reasons["bad_utf8"] and "CP1252" in reasons["cp1252"]
    assert "UTF-16" in reasons["utf16"]
    # passages survive every encoding and line-end convention, with offsets into the decoded text
    texts = {d.id: d.text for d in load_paths([str(corpus)])}
    check_offsets(report, texts)
    assert shared_by(report, "cp1252", "utf16")
    assert shared_by(report, "crlf", "cr")
    assert shared_by(report, "long_line", "partner_long")
    assert not [c for c in report["clusters"] if any("one_word" in m["id"] for m in c["members"])]


def test_decoding_keeps_the_characters(corpus: Path) -> None:
    texts = {d.id: d for d in load_paths([str(corpus)])}
    assert texts["cp1252"].text.startswith("Brand im Hafen – „Großeinsatz“")
    assert texts["utf16"].text.startswith("Meldung der Feuerwehr") and "\ufeff" not in texts["utf16"].text
    assert "\r\n" in texts["crlf"].text and "\r" in texts["cr"].text  # line ends are not rewritten: offsets hold
    assert texts["bad_utf8"].text.endswith("kaputt")


def test_html_input_tags_masked_offsets_into_markup(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    body = SHARED["html"].replace("Zugvögel", "<b>Zugvögel</b>")
    page.write_text(f"<html><head><title>t</title><script>var a = 1;</script></head>\n<body><p>{body}</p>\n</body></html>", encoding="utf-8")
    partner = tmp_path / "partner.txt"
    partner.write_text(f"Vogelzug\n\n{SHARED['html']} Weitere Studien folgen.", encoding="utf-8")
    result, report = scan_json(tmp_path, str(page), str(partner))
    assert result.exit_code == 0
    docs = by_id(report)
    html_doc = docs["page.html"]
    raw = page.read_text(encoding="utf-8")
    assert html_doc["status"] == "ok" and "<" not in (html_doc["title"] or "")
    spans = [tuple(s) for s in html_doc["boilerplate"]]
    script = raw.index("<script>")
    assert any(s <= script < e for s, e in spans), "script block masked"
    (c,) = shared_by(report, "page.html", "partner")
    (m,) = [m for m in c["members"] if m["id"] == "page.html"]
    quoted = raw[m["start"] : m["end"]]
    assert "Magnetfeld der Erde" in quoted
    assert "<script>" not in quoted


def test_size_limit_is_configurable(corpus: Path, tmp_path: Path) -> None:
    limit = 4000
    result, report = scan_json(tmp_path, str(corpus), extra=("--max-bytes", str(limit)))
    assert result.exit_code == 0
    docs = by_id(report)
    assert docs["long_line"]["status"] == "error" and docs["long_line"]["reason"].startswith("too large")
    assert "--max-bytes" in docs["long_line"]["reason"]
    assert docs["crlf"]["status"] == "ok"


def test_jsonl_malformed_line_and_duplicate_ids(tmp_path: Path) -> None:
    f = tmp_path / "recs.jsonl"
    f.write_text(
        '{"id": "a", "text": "Ein kurzer Text."}\n'
        "{not json at all\n"
        '["a list", "not an object"]\n'
        '{"id": "a", "text": "Derselbe Name noch einmal."}\n'
        '{"id": "b"}\n'
        '{"id": "c", "text": "Ende \\ud800 mit kaputtem Zeichen."}\n',
        encoding="utf-8",
    )
    result, report = scan_json(tmp_path, str(f))
    assert result.exit_code == 0
    rows = report["documents"]
    assert len(rows) == 6  # one row per non-blank line
    status = [(d["id"], d["status"]) for d in rows]
    assert status[0] == ("a", "ok") and status[1][1] == "error" and status[2][1] == "error"
    assert rows[1]["reason"].startswith("malformed JSON line")
    assert rows[3]["status"] == "error" and rows[3]["reason"].startswith("duplicate id 'a'")
    assert rows[4]["status"] == "error" and "text" in rows[4]["reason"]
    assert rows[5]["status"] == "ok" and "U+FFFD" in rows[5]["reason"]


def test_stdin_jsonl(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    result = run(["scan", "-", "--format", "json", "-o", str(out), "-q"], stdin='{"id": "x", "text": "Hallo Welt"}\n{broken\n')
    assert result.exit_code == 0
    assert [d["status"] for d in json.loads(out.read_text(encoding="utf-8"))["documents"]] == ["ok", "error"]


def test_duplicate_ids_across_inputs(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one" / "same.txt").write_text("Erster Text über etwas.", encoding="utf-8")
    (tmp_path / "two" / "same.txt").write_text("Zweiter Text über etwas anderes.", encoding="utf-8")
    result, report = scan_json(tmp_path, str(tmp_path / "one"), str(tmp_path / "two"))
    assert result.exit_code == 0
    assert [d["status"] for d in report["documents"]] == ["ok", "error"]
    assert "duplicate id 'same'" in report["documents"][1]["reason"]


def test_csv_without_text_column_is_rejected_in_one_line(tmp_path: Path) -> None:
    f = tmp_path / "table.csv"
    f.write_text("id,body\n1,Hallo\n", encoding="utf-8")
    result = run(["scan", str(f)])
    assert result.exit_code == 1
    assert "no 'text' column" in result.output and "body" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_csv_with_text_column(tmp_path: Path) -> None:
    f = tmp_path / "table.csv"
    f.write_text('id,text\n1,"Hallo, Welt\r\nmit Zeilenumbruch"\n2,\n', encoding="utf-8")
    result, report = scan_json(tmp_path, str(f))
    assert result.exit_code == 0
    assert [(d["id"], d["status"]) for d in report["documents"]] == [("1", "ok"), ("2", "error")]


@pytest.mark.parametrize("make", ["missing", "empty_dir", "dir_without_txt"])
def test_paths_without_texts_are_rejected(tmp_path: Path, make: str) -> None:
    target = tmp_path / make
    if make != "missing":
        target.mkdir()
    if make == "dir_without_txt":
        (target / "notes.md").write_text("# not a text", encoding="utf-8")
    result = run(["scan", str(target)])
    assert result.exit_code == 1
    assert str(target) in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_missing_path_is_named_even_beside_good_ones(corpus: Path, tmp_path: Path) -> None:
    result = run(["scan", str(corpus), str(tmp_path / "nope.txt")])
    assert result.exit_code == 1 and "nope.txt: no such file or directory" in result.output


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks on this platform")
def test_symlink_loops(tmp_path: Path) -> None:
    d = tmp_path / "loops"
    d.mkdir()
    (d / "real.txt").write_text("Ein echter Text mit ein paar Wörtern.", encoding="utf-8")
    os.symlink(".", d / "again")  # a directory that contains itself
    os.symlink("b.txt", d / "a.txt")  # two file links that point at each other
    os.symlink("a.txt", d / "b.txt")
    result, report = scan_json(tmp_path, str(d))
    assert result.exit_code == 0
    docs = by_id(report)
    assert set(docs) == {"real", "a", "b"}, "the directory loop is walked once"
    assert docs["real"]["status"] == "ok"
    assert docs["a"]["status"] == docs["b"]["status"] == "error"
    assert docs["a"]["reason"].startswith("unreadable")


def test_nothing_analysable_exits_1_and_names_every_document(corpus: Path) -> None:
    result = run(["scan", str(corpus / "empty.txt"), str(corpus / "binary.txt")])
    assert result.exit_code == 1
    assert "empty" in result.output and "binary" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_one_word_texts_exit_0_without_passages(corpus: Path, tmp_path: Path) -> None:
    result, report = scan_json(tmp_path, str(corpus / "one_word.txt"), str(corpus / "one_word_too.txt"))
    assert result.exit_code == 0
    assert [d["status"] for d in report["documents"]] == ["ok", "ok"] and report["clusters"] == []


@pytest.mark.parametrize("args", [["scan"], ["scan", "x", "--max-bytes", "0"], ["scan", "x", "--format", "pdf"], ["scan", "x", "--bogus"], ["nosuchcommand"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert run(args).exit_code == 2


@pytest.mark.parametrize("fmt", ["table", "jsonl", "csv", "html"])
def test_every_format_lists_every_document(corpus: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"r.{fmt}"
    result = run(["scan", str(corpus), "--format", fmt, "-o", str(out), "-q"])
    assert result.exit_code == 0
    written = out.read_text(encoding="utf-8")
    for p in corpus.iterdir():
        assert p.name[: -len(".txt")] in written, (fmt, p.name)
