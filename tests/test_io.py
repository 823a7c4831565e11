"""Loading: directories, JSONL, CSV, stdin, seeds' conventions and every kind of bad input."""

from __future__ import annotations

import codecs
import io
import json
import os
from pathlib import Path

import pytest

from reuse.config import LoadConfig
from reuse.errors import InputError
from reuse.io import decode, documents_from_texts, load_paths


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


# --- directories -------------------------------------------------------------------


def test_directory_is_recursive_sorted_with_relative_ids(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "Zweiter Text.\nMit Inhalt.")
    write(tmp_path / "a.txt", "Erster Text.")
    write(tmp_path / "sub" / "deep" / "c.txt", "Dritter Text.")
    write(tmp_path / "notes.md", "not a text file for the loader")
    docs = load_paths([str(tmp_path)])
    assert [d.id for d in docs] == ["a", "b", "sub/deep/c"]
    assert all(d.ok for d in docs)
    assert docs[1].text == "Zweiter Text.\nMit Inhalt."
    assert docs[1].title == "Zweiter Text."


def test_seed_date_prefix_gives_date_and_meta_end(seeds_dir: Path, seed_file) -> None:
    docs = {d.id[:3]: d for d in load_paths([str(seeds_dir)])}
    assert len(docs) == 5
    d1 = docs["001"]
    assert d1.date == "2025-11-19"
    assert d1.text[: d1.meta_end] == " date 2025-11-19 "
    assert d1.title is not None and d1.title.startswith("USA und Russland arbeiten an geheimen Friedensplan")
    d0 = docs["000"]
    assert d0.date is None and d0.meta_end == 0
    assert d0.title == seed_file("000").read_text(encoding="utf-8").splitlines()[0]
    # offsets index the decoded file content unchanged
    assert d0.text == seed_file("000").read_text(encoding="utf-8")


def test_title_is_first_nonblank_line(tmp_path: Path) -> None:
    write(tmp_path / "x.txt", "\n\n  Überschrift hier  \nText darunter.")
    (doc,) = load_paths([str(tmp_path / "x.txt")])
    assert doc.id == "x"
    assert doc.title == "Überschrift hier"


def test_empty_directory_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    write(tmp_path / "empty" / "readme.md", "no texts")
    with pytest.raises(InputError, match=r"no \.txt files"):
        load_paths([str(tmp_path / "empty")])


def test_missing_path_is_rejected_before_reading(tmp_path: Path) -> None:
    good = write(tmp_path / "a.txt", "Ein Text.")
    with pytest.raises(InputError, match="no such file or directory") as err:
        load_paths([str(good), str(tmp_path / "nope")])
    assert str(tmp_path / "nope") in str(err.value)


def test_bare_string_is_rejected_with_the_fix() -> None:
    with pytest.raises(InputError, match=r"load_paths\(\[path\]\)"):
        load_paths("seeds")  # type: ignore[arg-type]


def test_duplicate_ids_stay_in_output_as_errors(tmp_path: Path) -> None:
    one = write(tmp_path / "one" / "same.txt", "Der erste Text mit diesem Namen.")
    two = write(tmp_path / "two" / "same.txt", "Der zweite Text mit diesem Namen.")
    docs = load_paths([str(one), str(two)])
    assert len(docs) == 2
    assert docs[0].ok and docs[0].id == "same"
    assert docs[1].status == "error" and "duplicate id 'same'" in docs[1].reason
    assert docs[1].id != docs[0].id  # still unique, so it can be named in reports


# --- bad files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\t\n  ", "empty"),
        ("binary.txt", bytes(range(256)) * 4, "binary"),
        ("controls.txt", b"\x01\x02\x03\x04\x05\x06abc" * 50, "binary"),
        ("punctuation.txt", "!!! ??? ...\n--- *** „“ —\n".encode(), "empty: the text has no letters or digits"),
    ],
)
def test_bad_files_are_error_documents(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    write(tmp_path / "good.txt", "Ein ganz normaler Text.")
    write(tmp_path / name, data)
    docs = load_paths([str(tmp_path)])
    assert len(docs) == 2
    bad = next(d for d in docs if d.id == name[:-4])
    assert bad.status == "error"
    assert bad.reason.startswith(reason)
    assert bad.text == ""


def test_invalid_utf8_falls_back_to_cp1252_and_says_so(tmp_path: Path) -> None:
    write(tmp_path / "latin.txt", "Gespräche über die Straße – „gut“".encode("cp1252"))
    (doc,) = load_paths([str(tmp_path / "latin.txt")])
    assert doc.ok
    assert doc.text == "Gespräche über die Straße – „gut“"
    assert "CP1252" in doc.reason


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    text = "Überschrift\nWir wissen, dass die Amerikaner an etwas arbeiten."
    write(tmp_path / "u16.txt", codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    (doc,) = load_paths([str(tmp_path / "u16.txt")])
    assert doc.ok and doc.text == text and doc.title == "Überschrift"
    assert "UTF-16" in doc.reason


def test_utf8_bom_is_stripped_without_note(tmp_path: Path) -> None:
    write(tmp_path / "bom.txt", codecs.BOM_UTF8 + b"Text mit BOM.")
    (doc,) = load_paths([str(tmp_path / "bom.txt")])
    assert doc.ok and doc.text == "Text mit BOM." and doc.reason == ""


def test_too_large_file_is_an_error_not_a_crash(tmp_path: Path) -> None:
    write(tmp_path / "big.txt", "wort " * 1000)
    write(tmp_path / "small.txt", "kurz")
    docs = load_paths([str(tmp_path)], LoadConfig(max_bytes=1000))
    big = next(d for d in docs if d.id == "big")
    assert big.status == "error" and big.reason.startswith("too large") and "--max-bytes" in big.reason
    assert next(d for d in docs if d.id == "small").ok


def test_decode_limits_directly() -> None:
    assert decode(b"")[0] is None
    text, note = decode("naïve".encode())
    assert text == "naïve" and note == ""
    assert decode(b"abc\x00def")[1].startswith("binary")


# --- JSONL --------------------------------------------------------------------------------


def test_jsonl_records_with_metadata_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "r1", "text": "Erster Bericht.\nMehr Text.", "date": "2025-11-19", "title": "T1", "source": "dpa"}),
        "{not json",
        json.dumps({"id": "r3", "title": "ohne Text"}),
        "",
        json.dumps({"text": "Ohne id.", "date": "gestern"}),
        json.dumps(["a", "list"]),
    ]
    path = write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    docs = load_paths([str(path)])
    assert len(docs) == 5  # the blank line is not a record
    r1 = docs[0]
    assert (r1.id, r1.date, r1.title, r1.source, r1.status) == ("r1", "2025-11-19", "T1", "dpa", "ok")
    assert docs[1].status == "error" and docs[1].reason.startswith("malformed JSON line") and docs[1].id == "feed:2"
    assert docs[2].status == "error" and docs[2].id == "r3" and "'text'" in docs[2].reason
    assert docs[3].ok and docs[3].id == "feed:5" and docs[3].date is None and "gestern" in docs[3].reason
    assert docs[4].status == "error" and "JSON object" in docs[4].reason


def test_jsonl_title_defaults_to_first_line(tmp_path: Path) -> None:
    path = write(tmp_path / "f.jsonl", json.dumps({"id": "x", "text": "Titelzeile\nRest."}) + "\n")
    (doc,) = load_paths([str(path)])
    assert doc.title == "Titelzeile"


def test_stdin_dash_reads_jsonl() -> None:
    stream = io.StringIO(json.dumps({"id": "s1", "text": "Von der Standardeingabe."}) + "\n{bad\n")
    docs = load_paths(["-"], stdin=stream)
    assert [d.id for d in docs] == ["s1", "stdin:2"]
    assert docs[0].ok and docs[1].status == "error"


# --- CSV ------------------------------------------------------------------------------------


def test_csv_with_and_without_id(tmp_path: Path) -> None:
    with_id = write(tmp_path / "a.csv", 'id,text,date\nx1,"Ein Text, mit Komma.",2025-11-19\nx2,,\n')
    docs = load_paths([str(with_id)])
    assert [d.id for d in docs] == ["x1", "x2"]
    assert docs[0].text == "Ein Text, mit Komma." and docs[0].date == "2025-11-19"
    assert docs[1].status == "error" and docs[1].reason.startswith("empty")
    no_id = write(tmp_path / "b.csv", "text\nErster.\nZweiter.\n")
    assert [d.id for d in load_paths([str(no_id)])] == ["b:2", "b:3"]


def test_csv_without_text_column_names_the_fix(tmp_path: Path) -> None:
    path = write(tmp_path / "c.csv", "id,body\n1,Ein Text\n")
    with pytest.raises(InputError) as err:
        load_paths([str(path)])
    message = str(err.value)
    assert "'text' column" in message and "body" in message and "rename" in message
    assert "\n" not in message


# --- library helpers -----------------------------------------------------------------------


def test_documents_from_texts_keeps_every_input() -> None:
    docs = documents_from_texts([("a", "Ein Text."), ("b", "   "), ("a", "Noch einer.")])
    assert [d.status for d in docs] == ["ok", "error", "error"]
    assert docs[1].reason.startswith("empty")
    assert "duplicate id" in docs[2].reason
    with pytest.raises(InputError):
        documents_from_texts("ein string")  # type: ignore[arg-type]


def test_jsonl_invalid_utf8_falls_back_to_cp1252_on_every_record(tmp_path: Path) -> None:
    # regression: JSONL was read with errors="replace", silently turning "ä" into U+FFFD
    lines = [json.dumps({"id": k, "text": t}, ensure_ascii=False) for k, t in (("a", "Gespräche über"), ("b", "Straße"))]
    path = write(tmp_path / "latin.jsonl", ("\n".join(lines) + "\n").encode("cp1252"))
    docs = load_paths([str(path)])
    assert [d.text for d in docs] == ["Gespräche über", "Straße"]
    assert all(d.ok and "CP1252" in d.reason for d in docs)


def test_jsonl_utf16_bom_and_line_separator_inside_a_string(tmp_path: Path) -> None:
    text = "Erste Zeile\u2028noch dieselbe Zeile\u0085und diese"
    record = json.dumps({"id": "u", "text": text}, ensure_ascii=False)
    path = write(tmp_path / "u16.jsonl", codecs.BOM_UTF16_LE + (record + "\r\n").encode("utf-16-le"))
    (doc,) = load_paths([str(path)])
    assert doc.ok and doc.text == text


def test_binary_jsonl_is_named_not_dropped(tmp_path: Path) -> None:
    # a NUL byte makes its line (here the only one) binary, not the whole file
    path = write(tmp_path / "blob.jsonl", b"\x00\x01\x02garbage" * 20)
    (doc,) = load_paths([str(path)])
    assert doc.status == "error" and doc.id == "blob:1" and "binary" in doc.reason


def test_stdin_bytes_with_invalid_utf8() -> None:
    # a real stdin is a text wrapper over bytes; invalid UTF-8 must not raise UnicodeDecodeError
    raw = (json.dumps({"id": "s", "text": "Gespräch"}, ensure_ascii=False) + "\n").encode("cp1252")
    stream = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    (doc,) = load_paths(["-"], stdin=stream)
    assert doc.ok and doc.text == "Gespräch" and "CP1252" in doc.reason


def test_fifty_megabyte_file_is_too_large_by_default(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:  # sparse: no 50 MB written to disk
        fh.truncate(50 * 1024 * 1024)
    write(tmp_path / "ok.txt", "Ein normaler Text.")
    docs = {d.id: d for d in load_paths([str(tmp_path)])}
    assert docs["big"].status == "error" and docs["big"].reason.startswith("too large")
    assert docs["ok"].ok


def test_symlink_loop_and_second_link_are_walked_once(tmp_path: Path) -> None:
    write(tmp_path / "root" / "a" / "x.txt", "Ein Text.")
    (tmp_path / "root" / "a" / "loop").symlink_to(tmp_path / "root", target_is_directory=True)
    (tmp_path / "root" / "b").symlink_to(tmp_path / "root" / "a", target_is_directory=True)
    docs = load_paths([str(tmp_path / "root")])
    # the loop does not hang; the file is reached through one directory link only
    assert [d.id for d in docs] == ["a/x"]


def test_uppercase_suffix_and_single_file_ids(tmp_path: Path) -> None:
    write(tmp_path / "d" / "Bericht.TXT", "Großbuchstaben im Namen.")
    assert [d.id for d in load_paths([str(tmp_path / "d")])] == ["Bericht"]
    single = write(tmp_path / "one.txt", "Eine Datei.")
    assert [d.id for d in load_paths([str(single)])] == ["one"]


def test_unreadable_subdirectory_is_an_error_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The operating system refuses to list one subdirectory: its loss is named in the output."""
    write(tmp_path / "a.txt", "Ein ganz normaler Text.")
    write(tmp_path / "locked" / "b.txt", "Noch ein Text.")
    real_scandir = os.scandir

    def refusing(path):  # the OS's answer for a directory without read permission
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    docs = load_paths([str(tmp_path)])
    assert [d.id for d in docs] == ["a", "locked/"]
    assert docs[1].status == "error" and docs[1].reason == "unreadable: cannot list the directory: Permission denied"


def test_unreadable_root_directory_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "a.txt", "Ein ganz normaler Text.")

    def refusing(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(os, "scandir", refusing)
    with pytest.raises(InputError, match="cannot read the directory: Permission denied"):
        load_paths([str(tmp_path)])


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads a directory without read permission")
def test_directory_without_read_permission_is_an_error_document(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Ein ganz normaler Text.")
    locked = tmp_path / "locked"
    write(locked / "b.txt", "Noch ein Text.")
    locked.chmod(0)
    try:
        docs = load_paths([str(tmp_path)])
    finally:
        locked.chmod(0o755)
    assert [(d.id, d.status) for d in docs] == [("a", "ok"), ("locked/", "error")]


def test_html_page_states_its_date_and_outlet(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text('<html><head><meta property="og:site_name" content="Tagesblatt">'
                    '<meta property="article:published_time" content="2025-11-19T08:12:00+01:00"></head>'
                    "<body><p>Die USA arbeiten an einem Plan.</p></body></html>", encoding="utf-8")
    ld = tmp_path / "ld.html"
    ld.write_text('<script type="application/ld+json">{"datePublished": "2025-11-20T10:00:00Z"}</script><p>Ein Text.</p>', encoding="utf-8")
    bare = tmp_path / "bare.html"
    bare.write_text("<p>Ein Text ohne Angaben.</p>", encoding="utf-8")
    docs = {d.id: d for d in load_paths([str(page), str(ld), str(bare)])}
    assert (docs["page.html"].date, docs["page.html"].source) == ("2025-11-19", "Tagesblatt")
    assert (docs["ld.html"].date, docs["ld.html"].source) == ("2025-11-20", None)
    assert (docs["bare.html"].date, docs["bare.html"].source) == (None, None)
