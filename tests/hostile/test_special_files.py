"""Paths that are not regular files, and files the system refuses to read.

A FIFO, a device or a socket is never opened for reading (a FIFO would wait for
a writer, /dev/zero never ends): it becomes an error document ``not a regular
file: ...``.  A file that cannot be read, named directly or found in a
directory, becomes an ``unreadable`` document; it does not end the run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(60)

TEXT = "Die Kommission legte am Dienstag einen Bericht über die Lage der Häfen an der Nordsee vor."

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")


@needs_fifo
def test_fifo_in_a_directory_is_a_named_error(tmp_path: Path, proc) -> None:
    d = tmp_path / "d"
    d.mkdir()
    (d / "a.txt").write_text(TEXT, encoding="utf-8")
    os.mkfifo(d / "p.txt")  # nobody ever writes to it: reading it would block forever
    run = proc("scan", str(d), timeout=30)
    assert run.code == 0
    assert run.statuses() == [("a", "ok"), ("p", "error")]
    assert run.doc("p")["reason"] == "not a regular file: a FIFO"


@needs_fifo
def test_fifo_as_a_path_and_as_the_original(tmp_path: Path, proc) -> None:
    fifo = tmp_path / "p.txt"
    os.mkfifo(fifo)
    for name in ("p.txt", "p.jsonl", "p.csv", "p.html"):
        if name != "p.txt":
            os.mkfifo(tmp_path / name)
        run = proc("scan", str(tmp_path / name), timeout=30)
        assert run.code == 1 and "not a regular file: a FIFO" in run.err, (name, run.err)
    good = tmp_path / "r.txt"
    good.write_text(TEXT, encoding="utf-8")
    run = proc("derive", str(good), "--original", str(fifo), timeout=30)
    assert run.code == 1 and "--original" in run.err and "not a regular file" in run.err


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_endless_device_is_not_read(tmp_path: Path, cli) -> None:
    run = cli("scan", "/dev/zero")
    assert run.code == 1 and "not a regular file: a character device" in run.err
    # a link to it inside a directory is followed, found to be a device, and named
    d = tmp_path / "d"
    d.mkdir()
    (d / "a.txt").write_text(TEXT, encoding="utf-8")
    os.symlink("/dev/zero", d / "zero.txt")
    run = cli("scan", str(d))
    assert run.code == 0 and run.statuses() == [("a", "ok"), ("zero", "error")]
    assert run.doc("zero")["reason"] == "not a regular file: a character device"


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="no /proc/self/mem")
def test_unreadable_file_named_directly_is_a_document(tmp_path: Path, cli) -> None:
    # /proc/self/mem is a regular file that no one, root included, can read from offset 0 (EIO)
    good = tmp_path / "a.txt"
    good.write_text(TEXT, encoding="utf-8")
    run = cli("scan", str(good), "/proc/self/mem")
    assert run.code == 0
    assert run.statuses() == [("a", "ok"), ("mem", "error")]
    assert run.doc("mem")["reason"].startswith("unreadable: ")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files without read permission")
def test_permission_denied_file_named_directly(tmp_path: Path, cli) -> None:
    good, locked = tmp_path / "a.txt", tmp_path / "locked.txt"
    good.write_text(TEXT, encoding="utf-8")
    locked.write_text(TEXT, encoding="utf-8")
    locked.chmod(0)
    try:
        run = cli("scan", str(good), str(locked))
    finally:
        locked.chmod(0o600)
    assert run.code == 0 and run.doc("locked")["reason"].startswith("unreadable: ")


def test_links_that_cannot_be_followed_named_directly(tmp_path: Path, cli) -> None:
    good = tmp_path / "a.txt"
    good.write_text(TEXT, encoding="utf-8")
    os.symlink("loop2.txt", tmp_path / "loop1.txt")
    os.symlink("loop1.txt", tmp_path / "loop2.txt")
    os.symlink("nowhere.txt", tmp_path / "dangling.txt")
    run = cli("scan", str(good), str(tmp_path / "loop1.txt"), str(tmp_path / "dangling.txt"))
    assert run.code == 0
    assert run.statuses() == [("a", "ok"), ("loop1", "error"), ("dangling", "error")]
    assert all(run.doc(k)["reason"].startswith("unreadable: ") for k in ("loop1", "dangling"))
    # a path that is not there at all is still a one-line rejection up front
    run = cli("scan", str(good), str(tmp_path / "missing.txt"))
    assert run.code == 1 and "missing.txt: no such file or directory" in run.err


def test_unreadable_jsonl_and_csv_are_documents(tmp_path: Path, cli) -> None:
    good = tmp_path / "a.txt"
    good.write_text(TEXT, encoding="utf-8")
    os.symlink("x.jsonl", tmp_path / "loop.jsonl")
    os.symlink("loop.jsonl", tmp_path / "x.jsonl")
    os.symlink("y.csv", tmp_path / "cloop.csv")
    os.symlink("cloop.csv", tmp_path / "y.csv")
    run = cli("scan", str(good), str(tmp_path / "loop.jsonl"), str(tmp_path / "cloop.csv"))
    assert run.code == 0 and run.statuses() == [("a", "ok"), ("loop", "error"), ("cloop", "error")]
    assert all(run.doc(k)["reason"].startswith("unreadable: ") for k in ("loop", "cloop"))


def test_a_file_larger_than_it_says_is_read_only_to_the_limit(tmp_path: Path) -> None:
    from reuse.io import read_bounded

    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 1000)
    assert read_bounded(path, 1000) == (b"x" * 1000, "")
    data, reason = read_bounded(path, 999)
    assert data is None and reason.startswith("too large")
    # /proc files state a size of 0 and hold more: the limit holds on what is read, not on the size
    if Path("/proc/self/status").exists():
        data, reason = read_bounded("/proc/self/status", 10)
        assert data is None and reason.startswith("too large: more than 10 bytes")
