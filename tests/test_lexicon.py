"""Bilingual lexicons: Ding and FreeDict readers, stems on both sides, compounds, the on-disk cache."""

import gzip
import sqlite3
from pathlib import Path

import pytest
from lexicons import require_lexicon

from reuse.config import LexiconConfig
from reuse.errors import LexiconError
from reuse.lexicon import LexiconFile, file_for, language_of, open_lexicon, split_compound
from reuse.text import stem

DING = """# Version :: test
Plan {m}; Entwurf {m} | Pläne {pl}; Entwürfe {pl} :: plan; draft | plans; drafts
Frieden {m} :: peace
Waffenruhe {f} :: ceasefire; truce
verhandeln {vi} | verhandelnd | verhandelt :: to negotiate | negotiating | negotiated
Sicherheit {f} :: security; safety
Garantie {f} | Garantien {pl} :: guarantee | guarantees
etw. besprechen {vt} :: to discuss sth.
"""


def _ding(tmp_path: Path) -> LexiconFile:
    path = tmp_path / "de-en"
    path.write_text(DING, encoding="utf-8")
    return LexiconFile(str(path), "ding")


def _b64(n: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    out = ""
    while True:
        out = alphabet[n % 64] + out
        n //= 64
        if not n:
            return out


def _freedict(tmp_path: Path, name: str, entries: list[tuple[str, str]]) -> LexiconFile:
    """A dictd pair (``.index`` + gzip ``.dict.dz``) of ``(headword line, body)`` entries."""
    data, index = b"", []
    for head, body in entries:
        chunk = f"{head}\n{body}\n".encode()
        index.append(f"{head.split(' /')[0]}\t{_b64(len(data))}\t{_b64(len(chunk))}")
        data += chunk
    (tmp_path / f"{name}.dict.dz").write_bytes(gzip.compress(data))
    (tmp_path / f"{name}.index").write_text("\n".join(index) + "\n", encoding="utf-8")
    return file_for(str(tmp_path / f"{name}.index"))


def test_ding_words_map_to_english_stems_through_their_stems(tmp_path: Path) -> None:
    lx = open_lexicon("de", [_ding(tmp_path)], cache_dir=tmp_path / "cache")
    found = lx.concepts(["plane", "verhandelten", "waffenruhe", "besprechen", "witkoff"])
    assert {"plan", "draft"} <= found["plane"]  # an inflected form finds its entry by its stem
    assert stem("negotiated", "en") in found["verhandelten"]
    assert found["waffenruhe"] == {stem("ceasefire", "en"), stem("truce", "en")}
    assert found["besprechen"] == {stem("discuss", "en")}  # "etw." and "sth." are placeholders
    assert found["witkoff"] == {"witkoff"}  # unknown words (names) pass through as themselves


def test_german_compounds_split_into_known_parts(tmp_path: Path) -> None:
    lx = open_lexicon("de", [_ding(tmp_path)], cache_dir=tmp_path / "cache")
    assert split_compound("friedensplan", lx)[-1] == "plan"  # the head is the longest known suffix
    assert split_compound("sicherheitsgarantien", lx)[-1] == "garantien"
    found = lx.concepts(["friedensplan", "sicherheitsgarantien"])
    assert {"peac", "plan"} <= found["friedensplan"] and {"secur", "guarante"} <= found["sicherheitsgarantien"]
    assert split_compound("xyzabcdefg", lx) == []


def test_freedict_both_directions(tmp_path: Path) -> None:
    fra = _freedict(tmp_path, "freedict-fra-eng", [("négociation /neɡɔsjasjɔ̃/ <n, fem>", "1. negotiation, bargaining"),
                                                   ("cessez-le-feu /sesel(ə)fø/ <n>", "ceasefire")])
    eng = _freedict(tmp_path, "freedict-eng-fra", [("truce /truːs/", "trêve"), ("see also /x/", " see: {x}")])
    assert not fra.reverse and eng.reverse
    lx = open_lexicon("fr", [fra, eng], cache_dir=tmp_path / "cache")
    found = lx.concepts(["negociations", "treve"])
    assert stem("negotiation", "en") in found["negociations"] and "bargain" in found["negociations"]
    assert found["treve"] == {"truce"}  # read from the English-French file the other way round
    assert lx.entries == 2  # French stems with a translation: négociation, trêve ("cessez-le-feu" is not one word)


def test_cache_is_sqlite_keyed_by_the_file(tmp_path: Path) -> None:
    f = _ding(tmp_path)
    cache = tmp_path / "cache"
    open_lexicon("de", [f], cache_dir=cache)
    (built,) = cache.glob("lexicon-de-en-*.sqlite")
    with sqlite3.connect(built) as con:
        assert con.execute("SELECT concepts FROM stems WHERE stem = '=frieden'").fetchone() == ("peac",)
    Path(f.path).write_text(DING + "Krieg {m} :: war\n", encoding="utf-8")  # a changed file is read again
    lx = open_lexicon("de", [f], cache_dir=cache)
    assert lx.concepts(["krieg"])["krieg"] == {"war"}
    assert len(list(cache.glob("lexicon-de-en-*.sqlite"))) == 1  # the stale build is gone


def test_missing_and_unreadable_lexicons(tmp_path: Path) -> None:
    config = LexiconConfig(sources={"de": ((str(tmp_path / "nope"), "ding", False),)})
    with pytest.raises(LexiconError, match="apt-get install trans-de-en"):
        open_lexicon("de", config=config)
    with pytest.raises(LexiconError, match="does not exist"):
        file_for(str(tmp_path / "nope"))
    (tmp_path / "notes.txt").write_text("just text\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="not a Ding dictionary"):
        file_for(str(tmp_path / "notes.txt"))


def test_language_of_lexicon_file_names() -> None:
    assert language_of("/usr/share/trans/de-en") == "de"
    assert language_of("freedict-fra-eng.index") == "fr"
    assert language_of("/x/freedict-eng-spa.index") == "es"
    assert language_of("words.txt") == ""


def test_installed_lexicons_load_from_the_cache_quickly() -> None:
    require_lexicon("de")
    lx = open_lexicon("de")
    assert lx.entries > 100_000
    found = lx.concepts(["verhandlungen", "sicherheitsgarantien", "staatsfonds"])
    assert "negoti" in found["verhandlungen"] and "guarante" in found["sicherheitsgarantien"] and "fund" in found["staatsfonds"]
