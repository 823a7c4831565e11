"""Normalised word tokens with character offsets, batch-vectorised in numpy.

A token is a maximal run of word characters.  Each token gets a 64-bit id that
is the hash of its *folded* form: Unicode NFKC, casefold, diacritics stripped
(ä→a, é→e), ß→ss, typographic quotes and dashes mapped to ASCII.  Folding is
applied per code point through lookup tables, so the whole batch is hashed
with array operations and offsets stay indices into the original text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

_U64 = np.uint64
_BASE = _U64(0x100000001B3)  # FNV prime: odd, so invertible modulo 2**64
_BASE_INV = _U64(pow(0x100000001B3, -1, 1 << 64))
_SEP = "\n"

#: Word characters that fold to nothing but must not split a word (soft hyphen, joiners).
_JOINERS = {0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF}


@dataclass(frozen=True)
class Tokens:
    """The tokens of one text.

    Attributes
    ----------
    ids : numpy.ndarray of uint64
        Hash of each token's folded form; equal folded forms have equal ids.
    starts, ends : numpy.ndarray of int64
        Character offsets into the text: ``text[starts[i]:ends[i]]`` is token ``i``.
    """

    ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


def fold_char(ch: str) -> str:
    """Fold one character: NFKC, casefold, strip diacritics, ASCII quotes and dashes."""
    s = unicodedata.normalize("NFKC", ch).casefold()
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.translate(_PUNCT_FOLD)


_PUNCT_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2039": "'", "\u203a": "'", "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    }
)


def fold(text: str) -> str:
    """Fold a string character by character (see :func:`fold_char`)."""
    return "".join(_fold_cached(c) for c in text)


@lru_cache(maxsize=1 << 16)
def _fold_cached(ch: str) -> str:
    return fold_char(ch)


def _fill(cps: range | list[int], is_word: np.ndarray, first: np.ndarray, count: np.ndarray, tails: dict[int, np.ndarray]) -> None:
    for cp in cps:
        if 0xD800 <= cp < 0xE000:
            continue
        ch = chr(cp)
        f = fold_char(ch) if cp >= 0x80 else ch.lower()
        word = any(c.isalnum() for c in f) or unicodedata.combining(ch) > 0 or cp in _JOINERS
        is_word[cp] = word
        if not word:
            continue
        f = "".join(c for c in f if c.isalnum())
        count[cp] = len(f)
        if f:
            first[cp] = ord(f[0])
            if len(f) > 1:
                tails[cp] = np.array([ord(c) for c in f[1:]], dtype=np.uint64)


@cache
def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[int, np.ndarray], set[int]]:
    """Lookup tables over all code points.

    Returns ``(is_word, first, count, tails, filled)``: whether a code point is
    part of a word, the first folded code point, how many folded code points it
    yields, the remaining folded code points of multi-character folds, and the
    code points beyond the BMP filled so far (they are filled on first sight).
    """
    n = 0x110000
    is_word = np.zeros(n, dtype=bool)
    first = np.arange(n, dtype=np.uint64)
    count = np.ones(n, dtype=np.int64)
    tails: dict[int, np.ndarray] = {}
    _fill(range(0x10000), is_word, first, count, tails)
    return is_word, first, count, tails, set()


def _tables_for(cps: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[int, np.ndarray]]:
    is_word, first, count, tails, filled = _tables()
    if len(cps) and int(cps.max()) >= 0x10000:
        new = [int(c) for c in np.unique(cps[cps >= 0x10000]) if int(c) not in filled]
        _fill(new, is_word, first, count, tails)
        filled.update(new)
    return is_word, first, count, tails


def codepoints(text: str) -> np.ndarray:
    """Return the code points of ``text`` as a uint32 array (one per Python character)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def fmix64(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser, element-wise (mixes the weak low bits of polynomial hashes)."""
    h = h ^ (h >> _U64(33))
    h = h * _U64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> _U64(33))
    h = h * _U64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> _U64(33))


def _hash_runs(cps: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Polynomial hash of the folded code points of each run ``cps[starts:ends]``."""
    _, first, count, tails = _tables_for(cps)
    cnt = count[cps]
    folded = np.repeat(first[cps], cnt)
    pos = np.concatenate(([0], np.cumsum(cnt)))
    if tails:
        # multi-character folds (ß→ss, ﬁ→fi) are rare: patch their tails in a Python loop
        for i in np.flatnonzero(cnt > 1):
            tail = tails[int(cps[i])]
            folded[pos[i] + 1 : pos[i] + 1 + len(tail)] = tail
    # prefix hashes: P[i] = sum_j c_j * B^(i-1-j) computed as B^i * cumsum(c_j * B^-(j+1)), wrapping mod 2^64
    m = len(folded)
    with np.errstate(over="ignore"):
        pw = np.empty(m + 1, dtype=np.uint64)
        pw[0] = 1
        np.cumprod(np.full(m, _BASE, dtype=np.uint64), out=pw[1:])
        inv = np.empty(m + 1, dtype=np.uint64)
        inv[0] = 1
        np.cumprod(np.full(m, _BASE_INV, dtype=np.uint64), out=inv[1:])
        acc = np.zeros(m + 1, dtype=np.uint64)
        np.cumsum((folded + _U64(1)) * inv[1:], out=acc[1:])
        s, e = pos[starts], pos[ends]
        # hash of run = (acc[e] - acc[s]) * B^e  ==  sum_{j in run} c_j * B^(e-1-j)
        h = (acc[e] - acc[s]) * pw[e]
        h = h + (e - s).astype(np.uint64) * _U64(0x9E3779B97F4A7C15)
    return fmix64(h)


@cache
def _tail_arrays(n_tails: int) -> tuple[np.ndarray, np.ndarray]:
    """Multi-character folds as CSR arrays for the compiled kernel (rebuilt when new ones are filled)."""
    tails = _tables()[3]
    tail_start = np.zeros(0x110000, dtype=np.int64)
    flat: list[int] = [0]
    for cp, tail in sorted(tails.items()):
        tail_start[cp] = len(flat)
        flat.extend(int(t) for t in tail)
    return tail_start, np.array(flat, dtype=np.uint64)


@cache
def _kernel():  # returns a numba dispatcher, or None
    """The compiled tokenise-and-hash kernel, or None when numba is not installed.

    One pass over the code points finds word runs and hashes their folded code
    points by Horner's rule: the same polynomial hash as :func:`_hash_runs`
    (whose prefix-sum form needs eight temporary arrays as long as the text),
    without temporaries.  Compiled once and cached on disk by numba.
    """
    try:
        from numba import njit
    except ImportError:  # pragma: no cover - numba is a dependency; the numpy path stays as reference
        return None

    @njit(cache=True, nogil=True)
    def run(cps, is_word, first, count, tail_start, tail_flat, base, golden):  # pragma: no cover - compiled
        n = cps.shape[0]
        starts = np.empty(n // 2 + 1, dtype=np.int64)
        ends = np.empty(n // 2 + 1, dtype=np.int64)
        ids = np.empty(n // 2 + 1, dtype=np.uint64)
        m = 0
        i = 0
        one = np.uint64(1)
        while i < n:
            if not is_word[cps[i]]:
                i += 1
                continue
            s = i
            h = np.uint64(0)
            length = np.uint64(0)
            while i < n and is_word[cps[i]]:
                c = cps[i]
                k = count[c]
                if k > 0:  # joiners (soft hyphen) fold to nothing
                    h = h * base + (first[c] + one)
                if k > 1:
                    t = tail_start[c]
                    for q in range(k - 1):
                        h = h * base + (tail_flat[t + q] + one)
                length += np.uint64(k)
                i += 1
            h = h + length * golden
            h ^= h >> np.uint64(33)
            h *= np.uint64(0xFF51AFD7ED558CCD)
            h ^= h >> np.uint64(33)
            h *= np.uint64(0xC4CEB9FE1A85EC53)
            h ^= h >> np.uint64(33)
            starts[m] = s
            ends[m] = i
            ids[m] = h
            m += 1
        return starts[:m].copy(), ends[:m].copy(), ids[:m].copy()

    return run


def _scan_words(cps: np.ndarray, compiled: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Word runs of a code-point array: ``(starts, ends, ids)``; compiled kernel or the numpy reference."""
    is_word, first, count, tails = _tables_for(cps)
    run = _kernel() if compiled else None
    if run is not None:
        tail_start, tail_flat = _tail_arrays(len(tails))
        return run(cps, is_word, first, count, tail_start, tail_flat, _BASE, _U64(0x9E3779B97F4A7C15))
    word = is_word[cps]
    edges = np.diff(np.concatenate(([False], word, [False])).astype(np.int8))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    ids = _hash_runs(cps, starts, ends) if len(starts) else np.empty(0, dtype=np.uint64)
    return starts, ends, ids


def tokenize_batch(texts: Sequence[str], compiled: bool = True) -> list[Tokens]:
    """Tokenise many texts at once.

    Parameters
    ----------
    texts : sequence of str
        Texts (typically masked by the clean stage).
    compiled : bool
        Use the numba kernel (default); ``False`` runs the pure-numpy reference, same results.

    Returns
    -------
    list of Tokens
        One per text, offsets into that text.
    """
    if not texts:
        return []
    joined = _SEP.join(texts)
    cps = codepoints(joined)
    starts, ends, ids = _scan_words(cps, compiled)
    # split back per text
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    offsets = np.concatenate(([0], np.cumsum(lengths + 1)))
    cut = np.searchsorted(starts, offsets)
    out = []
    for k in range(len(texts)):
        a, b = cut[k], cut[k + 1]
        base = offsets[k]
        out.append(Tokens(ids=ids[a:b], starts=starts[a:b] - base, ends=ends[a:b] - base))
    return out


def tokenize(text: str) -> Tokens:
    """Tokenise one text (see :func:`tokenize_batch`)."""
    return tokenize_batch([text])[0]


def token_strings(text: str, tokens: Tokens) -> list[str]:
    """Folded string of each token (for reporting and stemming; not on the hot path)."""
    return ["".join(c for c in fold(text[s:e]) if c.isalnum()) for s, e in zip(tokens.starts.tolist(), tokens.ends.tolist(), strict=True)]


# --- language ----------------------------------------------------------------

#: Function words that are frequent in one language and rare in the other
#: (closed-class words, folded).  Enough to tell German from English in a few sentences.
STOPWORDS: dict[str, frozenset[str]] = {
    "de": frozenset(
        ["der", "die", "das", "und", "ist", "nicht", "ein", "eine", "einen", "einem", "einer", "des", "den", "dem", "mit", "von", "zu", "auf", "fur", "sich", "auch", "im", "in", "als", "wie", "bei", "nach", "aus", "uber", "wird", "wurde", "werden", "hat", "haben", "sind", "war", "sie", "er", "es", "wir", "ihr", "noch", "nur", "aber", "oder", "wenn", "dass", "so", "um", "am", "vom", "zum", "zur", "dies", "diese", "dieser", "sein", "seine", "kann", "man"]
    ),
    "en": frozenset(
        ["the", "and", "is", "not", "a", "an", "of", "to", "in", "on", "for", "with", "as", "at", "by", "from", "that", "this", "these", "those", "it", "its", "was", "were", "be", "been", "has", "have", "had", "he", "she", "they", "we", "you", "his", "her", "their", "but", "or", "if", "so", "than", "then", "there", "which", "who", "will", "would", "can", "could", "should", "said", "about", "into", "after", "over"]
    ),
}

#: Fewer stop-word hits than this leave the language undetermined ("und").
MIN_LANGUAGE_EVIDENCE = 3


def detect_language(words: Sequence[str]) -> str:
    """Guess the language of folded words: ``"de"``, ``"en"`` or ``"und"`` (undetermined).

    Counts hits in small function-word lists; the language with the most hits
    wins when it has at least ``MIN_LANGUAGE_EVIDENCE`` of them and 1.5x the
    runner-up.
    """
    return _decide_language({lang: sum(1 for w in words if w in sw) for lang, sw in STOPWORDS.items()})


def _decide_language(scores: dict[str, int]) -> str:
    # the most hits wins with enough evidence and a clear lead over the runner-up
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    if top >= MIN_LANGUAGE_EVIDENCE and top >= 1.5 * second:
        return best
    return "und"


_SNOWBALL = {"de": "german", "en": "english"}


@cache
def _stemmer(language: str):
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer(_SNOWBALL.get(language, "german"))


@lru_cache(maxsize=1 << 18)
def stem(word: str, language: str = "de") -> str:
    """Snowball stem of a folded word (cached per type; no nltk download needed)."""
    return _stemmer(language).stem(word)


_WORDS = re.compile(r"\w+")


def quick_words(text: str) -> list[str]:
    """Folded words of a text without offsets (for language detection and small helpers)."""
    return _WORDS.findall(fold(text))


@cache
def _stopword_ids() -> dict[str, np.ndarray]:
    return {lang: np.unique(tokenize(" ".join(sorted(words))).ids) for lang, words in STOPWORDS.items()}


def detect_language_ids(ids: np.ndarray) -> str:
    """:func:`detect_language` on token ids (no strings needed): ``"de"``, ``"en"`` or ``"und"``."""
    return _decide_language({lang: int(np.isin(ids, sw).sum()) for lang, sw in _stopword_ids().items()})


def detect_language_batch(id_arrays: Sequence[np.ndarray]) -> list[str]:
    """:func:`detect_language_ids` for many token arrays at once (one ``isin`` per language, same answers)."""
    if not id_arrays:
        return []
    lengths = np.array([len(a) for a in id_arrays], dtype=np.int64)
    joined = np.concatenate(id_arrays) if lengths.sum() else np.empty(0, dtype=np.uint64)
    bounds = np.concatenate(([0], np.cumsum(lengths)))
    counts = {}
    for lang, sw in _stopword_ids().items():
        hits = np.concatenate(([0], np.cumsum(np.isin(joined, sw))))
        counts[lang] = (hits[bounds[1:]] - hits[bounds[:-1]]).tolist()
    return [_decide_language({lang: c[k] for lang, c in counts.items()}) for k in range(len(id_arrays))]
