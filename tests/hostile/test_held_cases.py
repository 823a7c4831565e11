"""The cases the first hostile campaign found handled, kept so they stay handled: encodings, byte
order marks, line ends, Unicode edge cases, symlink loops, deep trees.  Each run: exit code, no
traceback, every file in the output, clusters that quote their texts by their offsets."""

from __future__ import annotations

import codecs
import os
import random
from pathlib import Path

import pytest

from reuse.io import load_paths

pytestmark = pytest.mark.timeout(120)

SHARED = "Die Forscher zeigten in ihrer Studie, dass sich die Zugvögel bei der Rückkehr vor allem am Magnetfeld der Erde orientieren."


def body(title: str, sep: str = "\n", shared: str = SHARED) -> str:
    return f"{title}{sep}{sep}Ein eigener Anfang des Textes.{sep}{shared}{sep}Ein eigener Schluss."


def sentence(key: str) -> str:
    """A sentence of made-up words only ``key``'s pair shares (a sentence in three or more documents is stock)."""
    rng = random.Random(key)
    words = ["".join(rng.choice(["ka", "lo", "mi", "ner", "sto", "bü", "rä", "zel", "wo", "pan", "tis", "gu"]) for _ in range(3)) for _ in range(14)]
    return " ".join(words).capitalize() + "."


#: name -> bytes of the file (each carries SHARED, so every pair shares a passage)
FILES = {
    "utf8": body("Utf8").encode("utf-8"),
    "utf8_bom": codecs.BOM_UTF8 + body("Bom").encode("utf-8"),
    "utf16_le": body("Sechzehn").encode("utf-16"),
    "utf16_be": codecs.BOM_UTF16_BE + body("Big").encode("utf-16-be"),
    "utf32": body("Zweiunddreissig").encode("utf-32"),
    "cp1252": body("Windows – „Zitat“").encode("cp1252"),
    "bad_utf8": body("Kaputt").encode("utf-8") + b" \xff\xfe\x80",
    "crlf": body("Crlf", "\r\n").encode("utf-8"),
    "cr": body("Cr", "\r").encode("utf-8"),
    "nel_ls": body("Trenner", "\u2028").replace("\u2028\u2028", "\u0085\u2029").encode("utf-8"),
    "combining": body("Cafe\u0301 Zu\u0308gvo\u0308gel").encode("utf-8"),
    "astral": body("Emoji 👩‍👩‍👧 𝄞 𝕬").encode("utf-8"),
    "rtl": body("עברית العربية \u202e").encode("utf-8"),
    "compat": body("ﬁnal Ｆｕｌｌ ① ½").encode("utf-8"),
    "zero_width": body("Null\u200bbreite\ufeffmitten").encode("utf-8"),
    "tabs_ff": body("Tab\tund\x0cSeite").encode("utf-8"),
}


def test_encodings_line_ends_and_unicode(tmp_path: Path, cli, quotes, linked) -> None:
    d = tmp_path / "c"
    d.mkdir()
    for name, data in FILES.items():
        # each file with its own sentence in place of SHARED, and a plain UTF-8 partner that carries it too
        encoding = {"utf16_le": "utf-16", "utf32": "utf-32", "cp1252": "cp1252"}.get(name, "utf-8")
        raw = data.decode({"utf16_be": "utf-16"}.get(name, encoding), errors="surrogateescape") if name != "utf8_bom" else data.decode("utf-8-sig")
        mine = raw.replace(SHARED, sentence(name))
        enc = {"utf16_be": "utf-16-be"}.get(name, encoding)
        prefix = codecs.BOM_UTF16_BE if name == "utf16_be" else codecs.BOM_UTF8 if name == "utf8_bom" else b""
        (d / f"{name}.txt").write_bytes(prefix + mine.encode(enc, errors="surrogateescape"))
        (d / f"partner_{name}.txt").write_text(body(f"Partner {name}", shared=sentence(name)), encoding="utf-8")
    run = cli("scan", str(d))
    assert run.code == 0
    assert sorted(run.ids()) == sorted([*FILES, *(f"partner_{n}" for n in FILES)])
    assert all(status == "ok" for _, status in run.statuses()), run.report["documents"]
    texts = {doc.id: doc.text for doc in load_paths([str(d)])}
    quotes(run.report, texts)
    pairs = linked(run.report)
    missing = [n for n in FILES if tuple(sorted((n, f"partner_{n}"))) not in pairs]
    assert not missing, missing  # each pair's sentence is found in every encoding, line end and script
    reasons = {doc["id"]: doc["reason"] for doc in run.report["documents"]}
    assert "UTF-16" in reasons["utf16_le"] and "UTF-32" in reasons["utf32"] and "CP1252" in reasons["bad_utf8"]


def test_symlink_loops_and_deep_trees(tmp_path: Path, cli, linked) -> None:
    d = tmp_path / "tree"
    d.mkdir()
    deep = d
    for k in range(120):  # deeper than a recursive walk's comfort, shallower than PATH_MAX
        deep = deep / f"{k % 10}"
    deep.mkdir(parents=True)
    (deep / "bottom.txt").write_text(body("Unten"), encoding="utf-8")
    (d / "top.txt").write_text(body("Oben"), encoding="utf-8")
    os.symlink("..", deep / "up")  # a loop back to the parent
    os.symlink(str(d), d / "self")  # and to the root
    os.symlink("b.txt", d / "a.txt")
    os.symlink("a.txt", d / "b.txt")
    run = cli("scan", str(d))
    assert run.code == 0
    ids = run.ids()
    bottom = "/".join(f"{k % 10}" for k in range(120)) + "/bottom"
    assert sorted(ids) == sorted(["top", bottom, "a", "b"])  # each file once, loops walked once
    assert run.doc("a")["reason"].startswith("unreadable") and run.doc(bottom)["status"] == "ok"
    assert linked(run.report) == {tuple(sorted([bottom, "top"]))}


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root lists directories without read permission")
def test_unlistable_subdirectory(tmp_path: Path, cli) -> None:
    d = tmp_path / "c"
    (d / "locked").mkdir(parents=True)
    (d / "a.txt").write_text(body("A"), encoding="utf-8")
    (d / "locked").chmod(0)
    try:
        run = cli("scan", str(d))
    finally:
        (d / "locked").chmod(0o700)
    assert run.code == 0 and run.doc("locked/")["reason"].startswith("unreadable")


@pytest.mark.parametrize("name", ["empty", "blank", "nul", "controls", "no_letters"])
def test_unusable_files_are_named(tmp_path: Path, cli, name: str) -> None:
    data = {"empty": b"", "blank": b" \r\n\t ", "nul": b"Text\x00mit NUL", "controls": bytes(range(1, 9)) * 50, "no_letters": "— … !!! ???".encode()}[name]
    (tmp_path / "good.txt").write_text(body("Gut"), encoding="utf-8")
    (tmp_path / f"{name}.txt").write_bytes(data)
    run = cli("scan", str(tmp_path / "good.txt"), str(tmp_path / f"{name}.txt"))
    assert run.code == 0 and run.statuses() == [("good", "ok"), (name, "error")]
    assert run.doc(name)["reason"].split(":")[0] in ("empty", "binary")
