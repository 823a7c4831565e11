"""Bilingual lexicons: the words of a report language mapped to English stems.

English is the pivot: a content word of any supported language becomes the set of Snowball stems of
its English translations (its *concepts*), and an English word the set holding its own stem.  Two
sentences in different languages are compared in that concept space (:mod:`reuse.pairs`), and two
reports in German and French meet there through English, with no German–French dictionary.

Sources are the maintained dictionaries Debian ships (GPL; read where they are installed, never
copied into this package):

* **Ding** (``trans-de-en``, TU Chemnitz, ~200k German–English lines, ``/usr/share/trans/de-en``):
  ``German | German forms :: English | English forms``, alternatives parallel across `` | ``,
  synonyms separated by ``;``, annotations in ``{}``, ``[]``, ``()`` and ``<>``.  The de–en default:
  about 25 times FreeDict's German–English headwords of 2018 and inflected forms listed per entry.
* **FreeDict** dictd files (``dict-freedict-fra-eng``, ``-eng-fra``, ``-spa-eng``, ...):
  ``.index`` (headword, base64 offset and length) over a gzip-compatible ``.dict.dz`` of plain-text
  entries: a headword line (``mot /ipa/ <pos>``) and translation lines (``1. a, b``; ``see:``,
  ``Note:``, ``Synonyms:`` lines are skipped).  ``xxx-eng`` files map headword → translations; an
  ``eng-xxx`` file is read the other way round, which roughly doubles the small French and Spanish
  dictionaries.

Lexicon keys are Snowball stems of the folded single-word terms (a multi-word term counts when one
content word remains, "se battre" → "battre"), so inflected report words find their entry.  German
compounds the lexicon lacks are split into known parts (:func:`split_compound`).  Parsing Ding and
stemming both sides takes a few seconds, so the parsed table is cached as an SQLite file in the
user's cache directory (``$XDG_CACHE_HOME/reuse`` or ``~/.cache/reuse``), keyed by each source
file's path, modification time and size; a run reads only the stems its texts hold.  No pickle,
no network.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from reuse.config import LexiconConfig
from reuse.errors import LexiconError
from reuse.text import STOPWORDS, fold, stem

DEFAULT_LEXICON = LexiconConfig()

#: Bumped when parsing or stemming changes, so stale caches are rebuilt.
CACHE_VERSION = "3"

#: English words that fill dictionary phrasing rather than carry meaning: placeholders ("to talk
#: about sth."), the particles of phrasal verbs ("draw up", "work out") and light verbs ("take
#: place", "get going"), which would otherwise match almost any English sentence.
EN_FILLER = frozenset([
    "to", "sb", "sth", "sbs", "sths", "one", "ones", "oneself", "someone", "something", "somebody", "etc", "esp", "o", "s",
    "up", "out", "off", "down", "away", "back", "around", "along", "through", "together", "apart", "onto", "upon", "within",
    "make", "made", "take", "taken", "took", "get", "got", "go", "gone", "went", "do", "did", "done", "give", "given", "put", "set",
    "come", "came", "keep", "kept", "let", "thing", "things", "way", "well", "very", "much", "more", "most", "all", "any", "some",
    "no", "not", "only", "just", "even", "own", "such", "other", "same", "being", "having", "is", "are", "am", "be", "been",
])
#: Function words that fill a multi-word source term ("se battre", "sich einigen", "etw. tun").
_SOURCE_FILLER = frozenset(["etw", "jdn", "jdm", "jds", "jd", "sich", "se", "s", "l", "d", "qn", "qch", "qc", "algo", "alguien", "a"])
_ANNOTATION = re.compile(r"\{[^}]*\}|\[[^\]]*\]|\([^)]*\)|<[^>]*>|/[^/]*/")
_NUMBERED = re.compile(r"^\s*\d+\.\s*")
_WORD = re.compile(r"\w+")
_SKIP_LINE = re.compile(r"^\s*(see|note|synonyms?|antonyms?|examples?|usage|ex)\s*:", re.I)


@cache
def _function_words(lang: str) -> frozenset[str]:
    return STOPWORDS.get(lang, frozenset()) | (EN_FILLER if lang == "en" else _SOURCE_FILLER)


def term_words(term: str, lang: str) -> list[str]:
    """Folded content words of a dictionary term (annotations and function words dropped)."""
    words = _WORD.findall(fold(_ANNOTATION.sub(" ", term)))
    return [w for w in words if w not in _function_words(lang) and not w.isdigit()]


# --- reading the dictionary files ------------------------------------------------------------------


def read_ding(path: Path) -> Iterator[tuple[str, str]]:
    """``(source term, English term)`` pairs of a Ding file (``German | forms :: English | forms``)."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.startswith("#") or " :: " not in line:
                continue
            left, right = line.rstrip("\n").split(" :: ", 1)
            lalts, ralts = left.split(" | "), right.split(" | ")
            if len(lalts) != len(ralts):  # alternatives no longer parallel: keep the first (the entry's base form)
                lalts, ralts = lalts[:1], ralts[:1]
            for la, ra in zip(lalts, ralts, strict=True):
                for lt in la.split(";"):
                    for rt in ra.split(";"):
                        yield lt, rt


def _dict_text(path: Path) -> str:
    """Text of a dictd ``.dict`` or ``.dict.dz`` file (dictzip is gzip-compatible)."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def _b64(value: str) -> int:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    n = 0
    for ch in value:
        n = n * 64 + alphabet.index(ch)
    return n


def freedict_entries(index: Path) -> Iterator[tuple[str, list[str]]]:
    """``(headword, translation terms)`` of each entry of a FreeDict dictd dictionary (``.index`` path)."""
    base = index.with_suffix("")
    dict_file = next((p for p in (base.with_suffix(".dict.dz"), base.with_suffix(".dict")) if p.exists()), None)
    if dict_file is None:
        raise LexiconError(f"{index}: the dictionary data ({base.name}.dict.dz) is missing beside its index")
    text = _dict_text(dict_file).encode("utf-8")  # offsets count bytes
    seen: set[int] = set()
    with open(index, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3 or parts[0].startswith("00database"):
                continue
            try:
                offset, length = _b64(parts[1]), _b64(parts[2])
            except ValueError:
                continue
            if offset in seen:  # several index keys may point at one entry
                continue
            seen.add(offset)
            lines = text[offset : offset + length].decode("utf-8", errors="replace").splitlines()
            if not lines:
                continue
            head = _ANNOTATION.sub(" ", lines[0]).strip()
            terms: list[str] = []
            for ln in lines[1:]:
                if not ln.strip() or _SKIP_LINE.match(ln):
                    continue
                terms.extend(t for t in re.split(r"[,;]", _NUMBERED.sub("", ln)) if t.strip())
            yield head, terms


@dataclass(frozen=True)
class LexiconFile:
    """One dictionary file and how to read it: ``ding`` or ``freedict`` (``reverse``: English → language)."""

    path: str
    format: str
    reverse: bool = False


def read_pairs(files: Sequence[LexiconFile]) -> Iterator[tuple[str, str]]:
    """``(term in the report language, English term)`` pairs of every file."""
    for f in files:
        path = Path(f.path)
        if f.format == "ding":
            yield from read_ding(path)
            continue
        for head, terms in freedict_entries(path):
            for t in terms:
                yield (t, head) if f.reverse else (head, t)


# --- the table: source stem -> English stems --------------------------------------------------------


def build_table(pairs: Iterable[tuple[str, str]], lang: str, config: LexiconConfig = DEFAULT_LEXICON) -> dict[str, list[str]]:
    """Lookup table from term pairs (single-content-word source terms).

    Keys are ``=form`` (the folded source word as the dictionary spells it) and ``~stem`` (its
    Snowball stem, for inflected forms the dictionary does not list); values are the English stems
    of its translations, the ``LexiconConfig.max_translations`` most frequent first (a word's main
    senses recur over many dictionary lines, rare senses and idioms once).
    """
    counts: dict[str, dict[str, int]] = {}
    for src, en in pairs:
        sw = term_words(src, lang)
        if len(sw) != 1:
            continue
        ew = term_words(en, "en")
        if not ew or len(ew) > config.max_target_words:
            continue
        targets = {stem(w, "en") for w in ew}
        for key in ("=" + sw[0], "~" + stem(sw[0], lang)):
            seen = counts.setdefault(key, {})
            for t in targets:
                seen[t] = seen.get(t, 0) + 1
    k = config.max_translations
    return {key: [t for t, _ in sorted(c.items(), key=lambda tc: (-tc[1], tc[0]))[:k]] for key, c in counts.items()}


def _cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "reuse"


def _cache_key(lang: str, files: Sequence[LexiconFile], config: LexiconConfig) -> str:
    h = hashlib.sha1(f"{CACHE_VERSION}|{lang}|{config.max_target_words}|{config.max_translations}".encode())
    for f in files:
        st = os.stat(f.path)
        h.update(f"|{os.path.abspath(f.path)}|{f.format}|{f.reverse}|{st.st_mtime_ns}|{st.st_size}".encode())
        if f.format == "freedict":
            data = Path(f.path).with_suffix("").with_suffix(".dict.dz")
            if data.exists():
                sd = os.stat(data)
                h.update(f"|{sd.st_mtime_ns}|{sd.st_size}".encode())
    return h.hexdigest()[:20]


def _write_cache(path: Path, table: Mapping[str, list[str]], entries: int) -> None:
    tmp = Path(tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")[1])
    try:
        con = sqlite3.connect(tmp)
        with con:
            con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
            con.execute("CREATE TABLE stems (stem TEXT PRIMARY KEY, concepts TEXT NOT NULL)")
            con.execute("INSERT INTO meta VALUES ('entries', ?)", (str(entries),))
            con.executemany("INSERT INTO stems VALUES (?, ?)", ((k, " ".join(v)) for k, v in table.items()))
        con.close()
        os.replace(tmp, path)  # atomic: a concurrent run sees the old file or the whole new one
    finally:
        tmp.unlink(missing_ok=True)


@dataclass
class Lexicon:
    """Stems of one report language mapped to English stems, read from an SQLite table or held in memory.

    A class for its state: the open table and the per-stem answers already looked up.
    """

    lang: str
    files: tuple[LexiconFile, ...]
    entries: int
    _db: sqlite3.Connection | None = None
    _table: dict[str, list[str]] | None = None
    _known: dict[str, frozenset[str]] = field(default_factory=dict)
    config: LexiconConfig = DEFAULT_LEXICON

    def describe(self) -> dict[str, object]:
        """The lexicon as the derive output names it: language pair, files, entries."""
        return {"pair": f"{self.lang}-en", "files": [f.path for f in self.files], "entries": self.entries}

    def lookup(self, keys: Iterable[str]) -> dict[str, frozenset[str]]:
        """English stems of each known key (``=form`` or ``~stem``; unknown keys are left out)."""
        keys = list(keys)
        want = [x for x in set(keys) if x not in self._known]
        if want:
            found: dict[str, frozenset[str]] = {}
            if self._table is not None:
                found = {x: frozenset(self._table[x]) for x in want if x in self._table}
            elif self._db is not None:
                for i in range(0, len(want), 500):
                    chunk = want[i : i + 500]
                    q = f"SELECT stem, concepts FROM stems WHERE stem IN ({','.join('?' * len(chunk))})"
                    found.update((x, frozenset(c.split())) for x, c in self._db.execute(q, chunk))
            for x in want:
                self._known[x] = found.get(x, frozenset())
        return {x: self._known[x] for x in keys if self._known.get(x)}

    def word(self, word: str) -> frozenset[str]:
        """English stems of one folded word: its own entry, else its stem's (empty when unknown)."""
        form, root = "=" + word, "~" + stem(word, self.lang)
        known = self.lookup([form, root])
        return known.get(form) or known.get(root) or frozenset()

    def concepts(self, words: Iterable[str]) -> dict[str, frozenset[str]]:
        """Concepts (English stems) of folded source-language words.

        A word the lexicon knows (as spelled, else by its stem) gets its translations; a compound of
        a language in ``LexiconConfig.compound_languages`` gets the translations of its parts; any
        other word passes through as its own English stem (names, acronyms and shared loanwords
        match themselves: "Gaza", "NATO").
        """
        words = list(dict.fromkeys(words))
        self.lookup([k for w in words for k in ("=" + w, "~" + stem(w, self.lang))])  # one query for the batch
        out: dict[str, frozenset[str]] = {}
        for w in words:
            c = self.word(w)
            if not c and self.lang in self.config.compound_languages:
                parts = split_compound(w, self, self.config)
                if parts:
                    c = frozenset().union(*(self.word(p) for p in parts))
            out[w] = c if c else frozenset([stem(w, "en")])
        return out


def split_compound(word: str, lexicon: Lexicon, config: LexiconConfig = DEFAULT_LEXICON) -> list[str]:
    """Parts of a compound the lexicon lacks ("sicherheitsgarantien" → "sicherheit", "garantien").

    The head (the right-most part, which carries the meaning in German) is the longest known suffix
    of at least ``compound_min_part`` letters; the rest is a known word, possibly after a linking
    element ("Friedens-", "Regierungs-"), or is split again.  Returns ``[]`` when no split works.
    """
    n, m = len(word), config.compound_min_part
    for i in range(m, n - m + 1):  # longest head first
        head = word[i:]
        if not lexicon.word(head):
            continue
        left = word[:i]
        for link in ("", *config.linking_elements):
            if link and not left.endswith(link):
                continue
            mod = left[: len(left) - len(link)] if link else left
            if len(mod) >= m and lexicon.word(mod):
                return [mod, head]
        if len(left) >= 2 * m:
            rest = split_compound(left, lexicon, config)
            if rest:
                return [*rest, head]
    return []


# --- finding and opening lexicons -------------------------------------------------------------------


def default_files(lang: str, config: LexiconConfig = DEFAULT_LEXICON) -> tuple[LexiconFile, ...]:
    """The installed files of ``lang``'s default lexicon (``LexiconConfig.sources``), in order."""
    found = []
    for path, fmt, reverse in config.sources.get(lang, ()):
        if Path(path).exists():
            found.append(LexiconFile(path, fmt, reverse))
    return tuple(found)


def file_for(path: str) -> LexiconFile:
    """A user-given lexicon file: Ding text, or a FreeDict ``.index`` (or its ``.dict.dz``) file."""
    p = Path(path)
    if not p.exists():
        raise LexiconError(f"lexicon file {path} does not exist")
    name = p.name
    if name.endswith(".dict.dz") or name.endswith(".dict"):
        p = p.with_name(name.rsplit(".dict", 1)[0] + ".index")
        name = p.name
    if name.endswith(".index"):
        stem_name = name.removesuffix(".index")
        reverse = bool(re.search(r"eng-[a-z]{3}$", stem_name))
        return LexiconFile(str(p), "freedict", reverse)
    with open(p, encoding="utf-8", errors="replace") as fh:
        head = fh.read(65536)
    if " :: " not in head:
        raise LexiconError(f"{path}: not a Ding dictionary (no 'term :: translation' lines) nor a FreeDict .index file")
    return LexiconFile(str(p), "ding", False)


#: ISO 639-3 codes of FreeDict file names, by the ISO 639-1 codes language detection gives.
_ISO3 = {"deu": "de", "fra": "fr", "spa": "es", "ita": "it", "rus": "ru", "por": "pt", "nld": "nl", "pol": "pl"}


def language_of(path: str) -> str:
    """The report language of a lexicon file, from its name: ``de-en`` (Ding), ``freedict-fra-eng.index``
    or ``freedict-eng-fra.index`` (read the other way round); ``""`` when the name does not say."""
    name = Path(path).name.lower()
    m = re.search(r"(?:^|[^a-z])([a-z]{3})-eng(?:[^a-z]|$)", name) or re.search(r"(?:^|[^a-z])eng-([a-z]{3})(?:[^a-z]|$)", name)
    if m:
        return _ISO3.get(m.group(1), "")
    m = re.search(r"(?:^|[^a-z])([a-z]{2})-en(?:[^a-z]|$)", name)
    return m.group(1) if m else ""


def install_hint(lang: str, config: LexiconConfig = DEFAULT_LEXICON) -> str:
    """The command that installs ``lang``'s default lexicon."""
    packages = config.packages.get(lang)
    return f"apt-get install {' '.join(packages)}" if packages else "no Debian package is known; pass a Ding or FreeDict file"


def open_lexicon(lang: str, files: Sequence[LexiconFile] | None = None, config: LexiconConfig = DEFAULT_LEXICON,
                 cache_dir: Path | None = None) -> Lexicon:
    """Open the lexicon that maps ``lang`` to English.

    Parameters
    ----------
    lang : str
        Report language (ISO 639-1: ``de``, ``fr``, ``es``, ...).
    files : sequence of LexiconFile, optional
        The dictionary files; by default the installed files of ``LexiconConfig.sources``.
    cache_dir : Path, optional
        Where the parsed table is cached (default: the user's cache directory).

    Raises
    ------
    LexiconError
        No lexicon file is installed for ``lang`` (the message names the install command).
    """
    chosen = tuple(files) if files else default_files(lang, config)
    if not chosen:
        if lang not in config.sources:
            raise LexiconError(f"no {lang}-en lexicon is configured: give a Ding or FreeDict file for {lang}")
        raise LexiconError(f"no {lang}-en lexicon installed: {install_hint(lang, config)}")
    _check_readable(chosen)
    directory = cache_dir or _cache_dir()
    path = directory / f"lexicon-{lang}-en-{_cache_key(lang, chosen, config)}.sqlite"
    if not path.exists():
        table = build_table(read_pairs(chosen), lang, config)
        entries = sum(1 for key in table if key.startswith("="))
        try:
            directory.mkdir(parents=True, exist_ok=True)
            for stale in directory.glob(f"lexicon-{lang}-en-*.sqlite"):  # an older build of this language's lexicon
                stale.unlink(missing_ok=True)
            _write_cache(path, table, entries)
        except OSError:  # no writable cache: keep the table in memory for this run
            return Lexicon(lang, chosen, entries, _table=table, config=config)
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        entries = int(db.execute("SELECT value FROM meta WHERE key = 'entries'").fetchone()[0])
    except (sqlite3.Error, TypeError, ValueError):  # damaged cache: rebuild in memory
        table = build_table(read_pairs(chosen), lang, config)
        return Lexicon(lang, chosen, sum(1 for key in table if key.startswith("=")), _table=table, config=config)
    return Lexicon(lang, chosen, entries, _db=db, config=config)


def _check_readable(files: Sequence[LexiconFile]) -> None:
    for f in files:
        if not os.access(f.path, os.R_OK):
            raise LexiconError(f"lexicon file {f.path} cannot be read")
