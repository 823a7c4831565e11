"""Normalised word tokens with character offsets, a whole batch of texts at a time.

A token is a maximal run of word characters whose folded form is not empty (a
run of only soft hyphens, zero-width joiners or combining marks standing alone
between non-word characters is no token).  Each token gets a 64-bit id that
is the hash of its *folded* form: Unicode NFKC, casefold, diacritics stripped
(ä→a, é→e), ß→ss, typographic quotes and dashes mapped to ASCII.  Folding is
applied per code point through lookup tables (filled on first sight of each
code point), so offsets stay indices into the original text.  A numba kernel
tokenises and hashes a batch in one pass over its code units (one byte per
character for Latin-1 text); the array-operation numpy path is kept as the
reference (``compiled=False``) and gives the same tokens.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise

import numpy as np

from reuse.config import LanguageConfig
from reuse.jit import compiler

_U64 = np.uint64
_BASE = _U64(0x100000001B3)  # FNV prime: odd, so invertible modulo 2**64
_BASE_INV = _U64(pow(0x100000001B3, -1, 1 << 64))
_SEP = "\n"
#: Language detection thresholds (``reuse.config.LanguageConfig``).
LANGUAGE = LanguageConfig()

#: Characters that fold to nothing but stand inside words and must not split them: soft hyphens
#: (also the padding of decoded HTML character references in masked text, "M&uuml;ller" ->
#: "Mü\xad\xad\xad\xad\xadller") and joiners.
JOINERS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_JOINERS = frozenset(map(ord, JOINERS))
#: ``str.translate`` table that drops them.
DROP_JOINERS = dict.fromkeys(_JOINERS)


@dataclass(frozen=True)
class Tokens:
    """The tokens of one text.

    Attributes
    ----------
    ids : numpy.ndarray of uint64
        Hash of each token's folded form; equal folded forms have equal ids.
    starts, ends : numpy.ndarray of int64 or uint32
        Character offsets into the text: ``text[starts[i]:ends[i]]`` is token ``i`` (uint32 where the
        tokens came back from a worker process or a spill file: the same values in half the bytes).
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


_N_CP = 0x110000
#: Serialises table filling (kernels run on threads; readers check ``filled`` last-written).
_FILL_LOCK = threading.Lock()


@cache
def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[int, np.ndarray], np.ndarray]:
    """Lookup tables over all code points, filled on first sight of each code point.

    Returns ``(is_word, first, count, tails, filled)``: whether a code point is
    part of a word, the first folded code point, how many folded code points it
    yields, the remaining folded code points of multi-character folds, and
    which code points are filled so far.  Filling all of the BMP up front took
    a second per process (``unicodedata`` per code point); a corpus uses a few
    hundred code points.
    """
    is_word = np.zeros(_N_CP, dtype=bool)
    first = np.arange(_N_CP, dtype=np.uint64)
    count = np.ones(_N_CP, dtype=np.int64)
    tails: dict[int, np.ndarray] = {}
    return is_word, first, count, tails, np.zeros(_N_CP, dtype=bool)


def _code_units_of(texts: Sequence[str]) -> np.ndarray:
    """One code unit per character of the concatenated texts, in the narrowest dtype that holds them all,
    without building the concatenated ``str``.

    Latin-1 text becomes one byte per character and other BMP text two, so the kernel reads 4x or
    2x less memory than from UTF-32 and its tables stay in cache; offsets are unchanged because
    each character is exactly one unit.  Each text is encoded on its own (small, cache-resident copies) and only
    the bytes are joined: one large buffer instead of two (str, then bytes).
    """
    try:
        return np.frombuffer(b"".join([t.encode("latin-1") for t in texts]), dtype=np.uint8)
    except UnicodeEncodeError:
        pass
    try:
        data = b"".join([t.encode("utf-16-le") for t in texts])  # lone surrogates raise: UTF-32 path
        if len(data) == 2 * sum(len(t) for t in texts):  # no characters beyond the BMP
            return np.frombuffer(data, dtype=np.uint16)
    except UnicodeEncodeError:
        pass
    return codepoints("".join(texts))


@cache
def _steps() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per code point: one Horner step of the token hash, for the batch kernel (``mul, add, lens``).

    Appending the folded code points ``f_1 .. f_k`` of a character to a hash
    ``h`` gives ``h * B**k + sum((f_i + 1) * B**(k - i))`` modulo 2**64, so each
    character becomes one multiply-add with ``mul = B**k`` and ``add`` that sum
    (``mul = 1, add = 0`` for joiners that fold to nothing), whatever its fold
    length: the same hash as the per-code-point loop, without branches.
    ``mul = 0`` marks a non-word (or not yet filled) code point (``B**k`` is
    odd, never 0); ``lens`` is ``k``.  Kept in step with :func:`_tables` by
    :func:`_fill_new`.
    """
    return np.zeros(_N_CP, dtype=np.uint64), np.zeros(_N_CP, dtype=np.uint64), np.zeros(_N_CP, dtype=np.int64)


def _fill_new(cps: np.ndarray) -> None:
    """Fill the tables (and the kernel's steps) for the distinct code points ``cps`` not filled yet."""
    is_word, first, count, tails, filled = _tables()
    cps = np.asarray(cps, dtype=np.int64)
    if not len(cps) or filled[cps].all():
        return
    with _FILL_LOCK:
        new = cps[~filled[cps]].tolist()
        _fill(new, is_word, first, count, tails)
        mul, add, lens = _steps()
        mask = (1 << 64) - 1
        for cp in new:
            if not is_word[cp]:
                continue
            k = int(count[cp])
            h, m = 0, 1
            for c in ([int(first[cp])] + [int(t) for t in tails.get(cp, ())])[:k]:
                h = (h * int(_BASE) + c + 1) & mask
                m = (m * int(_BASE)) & mask
            mul[cp], add[cp], lens[cp] = m, h, k
        filled[new] = True  # last: a reader that sees the flag sees the data


def _tables_for(cps: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[int, np.ndarray]]:
    is_word, first, count, tails, _ = _tables()
    if len(cps):
        _fill_new(np.unique(cps))
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


def _scan_words(cps: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Word runs of a code-point array: ``(starts, ends, ids)`` (the numpy reference of :func:`_batch_kernel`)."""
    is_word, _, count, _ = _tables_for(cps)
    word = is_word[cps]
    edges = np.diff(np.concatenate(([False], word, [False])).astype(np.int8))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    if len(starts):
        # a run that folds to nothing (stray soft hyphens, a lone combining mark) is no token:
        # otherwise all such runs would share one empty token across documents
        pos = np.concatenate(([0], np.cumsum(count[cps])))
        keep = pos[ends] > pos[starts]
        starts, ends = starts[keep], ends[keep]
    ids = _hash_runs(cps, starts, ends) if len(starts) else np.empty(0, dtype=np.uint64)
    return starts, ends, ids


@cache
def _batch_kernel():  # returns a numba dispatcher, or None
    """Compiled tokenise-and-hash over a whole batch of texts given as one code-unit array.

    Same hash as :func:`_hash_runs` (Horner's rule over the folded code points, then
    fmix64), one table multiply-add per character (see :func:`_steps`);
    offsets come out relative to each text and the number of tokens per text is
    returned, so per-text results are plain slices.  A run whose folded length is
    0 gives no token (as in :func:`_scan_words`).  Returns the number of
    tokens, or -1 on meeting a code point whose tables are not filled yet.
    """
    jit = compiler()
    if jit is None:  # pragma: no cover - numba is a dependency; the numpy path stays as reference
        return None

    @jit
    def run(units, bounds, mul, add, lens, filled, ids, starts, ends, counts):  # pragma: no cover - compiled
        ndoc = bounds.shape[0] - 1
        golden = np.uint64(0x9E3779B97F4A7C15)
        zero = np.uint64(0)
        m = 0
        for d in range(ndoc):
            lo = bounds[d]
            hi = bounds[d + 1]
            m0 = m
            i = lo
            while i < hi:
                c = units[i]
                mc = mul[c]
                if mc == zero:
                    if not filled[c]:  # only non-word (or unknown) characters get here
                        return -1
                    i += 1
                    continue
                s = i
                h = add[c]
                length = lens[c]
                i += 1
                while i < hi:
                    c = units[i]
                    mc = mul[c]
                    if mc == zero:
                        break
                    h = h * mc + add[c]
                    length += lens[c]
                    i += 1
                h = h + np.uint64(length) * golden
                h ^= h >> np.uint64(33)
                h *= np.uint64(0xFF51AFD7ED558CCD)
                h ^= h >> np.uint64(33)
                h *= np.uint64(0xC4CEB9FE1A85EC53)
                h ^= h >> np.uint64(33)
                starts[m] = s - lo
                ends[m] = i - lo
                ids[m] = h
                # a run that folds to nothing (stray joiners, lone combining marks) is no token: its slot
                # is overwritten by the next token (branch-free, so the loop measured no slower)
                m += np.int64(length != 0)
            counts[d] = m - m0
        return m

    return run


@cache
def nrt_empty():  # returns numba dispatchers, or None
    """``(empty_u64(n), empty_i64(n), empty_u32(rows, cols))``: uninitialised arrays from numba's allocator.

    Large outputs of the kernels are allocated here rather than by numpy: numpy
    asks the kernel for transparent huge pages, which measured 2-3x slower to
    fault in on the development machine.  Pages never written (the slack of a
    worst-case capacity) never take memory.  Separate from the kernels because
    numba does not cache a compiled function that calls another one from a closure.
    """
    jit = compiler(nogil=False)
    if jit is None:  # pragma: no cover - numba is a dependency
        return None

    @jit
    def empty_u64(n):  # pragma: no cover - compiled
        return np.empty(n, dtype=np.uint64)

    @jit
    def empty_i64(n):  # pragma: no cover - compiled
        return np.empty(n, dtype=np.int64)

    @jit
    def empty_u32(rows, cols):  # pragma: no cover - compiled
        return np.empty((rows, cols), dtype=np.uint32)

    return empty_u64, empty_i64, empty_u32


@dataclass(frozen=True)
class TokenBatch:
    """Tokens of many texts in flat arrays (what the batch kernel returns).

    Attributes
    ----------
    ids : numpy.ndarray of uint64
    starts, ends : numpy.ndarray of int64
        Character offsets into each token's own text.
    offsets : numpy.ndarray of int64
        Text ``k`` owns tokens ``offsets[k]:offsets[k+1]``.
    """

    ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    offsets: np.ndarray

    def split(self) -> list[Tokens]:
        """Per-text :class:`Tokens` as views of the flat arrays (no copies)."""
        cut = self.offsets.tolist()
        ids, starts, ends = self.ids, self.starts, self.ends
        return [Tokens(ids=ids[a:b], starts=starts[a:b], ends=ends[a:b]) for a, b in pairwise(cut)]


def tokenize_flat(texts: Sequence[str]) -> TokenBatch:
    """Tokenise many texts into one :class:`TokenBatch` with the compiled kernel (same tokens as :func:`tokenize_batch`)."""
    run = _batch_kernel()
    if run is None:  # pragma: no cover - numba is a dependency
        toks = tokenize_batch(texts, compiled=False)
        return _flatten(toks)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    bounds = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=bounds[1:])
    units = _code_units_of(texts)
    mul, add, lens = _steps()
    filled = _tables()[4]
    # worst case one token per two characters; the unwritten tail never takes memory, so views, no copies
    cap = len(units) // 2 + len(texts) + 1
    empty_u64, empty_i64, _ = nrt_empty()
    ids, starts, ends = empty_u64(cap), empty_i64(cap), empty_i64(cap)
    counts = np.zeros(len(texts), dtype=np.int64)
    if units.dtype == np.uint8 and not filled[:256].all():
        _fill_new(np.arange(256))  # all of Latin-1 at once (a few ms): byte text never needs a second run
    m = run(units, bounds, mul, add, lens, filled, ids, starts, ends, counts)
    if m < 0:  # code points seen for the first time: fill their tables, then run again
        _fill_new(np.unique(units[~filled[units]]))
        m = run(units, bounds, mul, add, lens, filled, ids, starts, ends, counts)
    ids, starts, ends = ids[:m], starts[:m], ends[:m]
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return TokenBatch(ids=ids, starts=starts, ends=ends, offsets=offsets)


def _flatten(toks: Sequence[Tokens]) -> TokenBatch:
    offsets = np.zeros(len(toks) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in toks], out=offsets[1:])

    def cat(arrays: list[np.ndarray], dtype: type) -> np.ndarray:
        return np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.empty(0, dtype=dtype)

    return TokenBatch(
        ids=cat([t.ids for t in toks], np.uint64),
        starts=cat([t.starts for t in toks], np.int64),
        ends=cat([t.ends for t in toks], np.int64),
        offsets=offsets,
    )


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
        One per text, offsets into that text.  With ``compiled`` the arrays are
        views of one flat batch (see :func:`tokenize_flat`).
    """
    if not texts:
        return []
    if compiled and _batch_kernel() is not None:
        return tokenize_flat(texts).split()
    joined = _SEP.join(texts)
    cps = codepoints(joined)
    starts, ends, ids = _scan_words(cps)
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

#: Function words that are frequent in one language and rare in the others
#: (closed-class words, folded).  Enough to tell the languages apart in a few sentences; a word can
#: belong to several lists ("de", "la", "que" in French and Spanish, "il" in French and Italian).
#: The German and English lists are also the stop words of derive's content channel for every text
#: (``reuse.units``), as calibrated; other languages add their own list there.
STOPWORDS: dict[str, frozenset[str]] = {
    "de": frozenset(
        ["der", "die", "das", "und", "ist", "nicht", "ein", "eine", "einen", "einem", "einer", "des", "den", "dem", "mit", "von", "zu", "auf", "fur", "sich", "auch", "im", "in", "als", "wie", "bei", "nach", "aus", "uber", "wird", "wurde", "werden", "hat", "haben", "sind", "war", "sie", "er", "es", "wir", "ihr", "noch", "nur", "aber", "oder", "wenn", "dass", "so", "um", "am", "vom", "zum", "zur", "dies", "diese", "dieser", "sein", "seine", "kann", "man"]
    ),
    "en": frozenset(
        ["the", "and", "is", "not", "a", "an", "of", "to", "in", "on", "for", "with", "as", "at", "by", "from", "that", "this", "these", "those", "it", "its", "was", "were", "be", "been", "has", "have", "had", "he", "she", "they", "we", "you", "his", "her", "their", "but", "or", "if", "so", "than", "then", "there", "which", "who", "will", "would", "can", "could", "should", "said", "about", "into", "after", "over"]
    ),
    "fr": frozenset(
        ["le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "et", "est", "sont", "ont", "dans", "pour", "qui", "que", "qu", "sur", "au", "aux", "ce", "cette", "ces", "il", "ils", "elle", "elles", "pas", "ne", "se", "avec", "ete", "mais", "ou", "leur", "leurs", "ses", "sa", "nous", "vous", "lui", "par", "plus", "selon", "apres", "avant", "depuis", "entre", "tres", "etait", "avait", "sans", "sous", "dont", "aussi", "deja"]
    ),
    "es": frozenset(
        ["el", "la", "los", "las", "un", "una", "unos", "de", "del", "y", "en", "que", "por", "con", "para", "se", "al", "lo", "su", "sus", "como", "mas", "pero", "ha", "han", "fue", "este", "esta", "estos", "tambien", "segun", "sobre", "desde", "muy", "sin", "ya", "hasta", "donde", "cuando", "porque", "sido", "ser", "hay", "entre", "tras", "durante"]
    ),
    "it": frozenset(
        ["il", "lo", "gli", "della", "delle", "degli", "dei", "di", "che", "per", "non", "nel", "nella", "nei", "alla", "alle", "dal", "dalla", "sono", "anche", "come", "piu", "ma", "stato", "stata", "essere", "questo", "questa", "dopo", "secondo", "tra", "gia", "ed", "ai", "agli", "sul", "sulla", "un", "una", "e"]
    ),
}

#: The languages whose function words are derive's stop words for every text (see ``STOPWORDS``).
BASE_STOP_LANGUAGES = ("de", "en")


def stopwords_for(lang: str) -> frozenset[str]:
    """Stop words of derive's content channel for a text in ``lang``: German and English function
    words (as calibrated on the German and English texts), plus ``lang``'s own list."""
    return _stopwords_for(lang)


@cache
def _stopwords_for(lang: str) -> frozenset[str]:
    base = frozenset().union(*(STOPWORDS[x] for x in BASE_STOP_LANGUAGES))
    return base | STOPWORDS.get(lang, frozenset())


def detect_language(words: Sequence[str]) -> str:
    """Guess the language of folded words: a key of ``STOPWORDS`` or ``"und"`` (undetermined).

    Counts hits in small function-word lists; the language with the most hits
    wins when it has at least ``LanguageConfig.min_evidence`` of them and
    ``LanguageConfig.min_lead`` times the runner-up's.
    """
    return _decide_language({lang: sum(1 for w in words if w in sw) for lang, sw in STOPWORDS.items()})


def _decide_language(scores: dict[str, int]) -> str:
    # the most hits wins with enough evidence and a clear lead over the runner-up
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    if top >= LANGUAGE.min_evidence and top >= LANGUAGE.min_lead * second:
        return best
    return "und"


def _decide_languages(langs: list[str], hits: np.ndarray) -> list[str]:
    """:func:`_decide_language` for a ``(texts, languages)`` array of hit counts at once (same rule, same ties)."""
    if len(langs) < 2 or not len(hits):
        return [_decide_language(dict(zip(langs, row, strict=True))) for row in hits.tolist()]
    best = hits.argmax(axis=1)  # the first of equal counts, as the stable sort in _decide_language
    ranked = np.sort(hits, axis=1)
    top, second = ranked[:, -1], ranked[:, -2]
    decided = (top >= LANGUAGE.min_evidence) & (top >= LANGUAGE.min_lead * second)
    names = np.array([*langs, "und"], dtype=object)
    return names[np.where(decided, best, len(langs))].tolist()


_SNOWBALL = {"de": "german", "en": "english", "fr": "french", "es": "spanish", "it": "italian"}


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
    """Folded words of a text without offsets (for language detection and small helpers); a soft
    hyphen or joiner inside a word keeps it one word, as in :func:`tokenize`."""
    return _WORDS.findall(fold(text).translate(DROP_JOINERS))


@cache
def _stopword_ids() -> dict[str, np.ndarray]:
    return {lang: np.unique(tokenize(" ".join(sorted(words))).ids) for lang, words in STOPWORDS.items()}


def detect_language_ids(ids: np.ndarray) -> str:
    """:func:`detect_language` on token ids (no strings needed): ``"de"``, ``"en"`` or ``"und"``."""
    return _decide_language({lang: int(np.isin(ids, sw).sum()) for lang, sw in _stopword_ids().items()})


def flat_groups(arrays: Sequence[np.ndarray], dtype: type = np.uint64) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """Cover ``arrays`` with flat arrays without copying where they already are consecutive views of one buffer.

    Returns ``(first, flat, bounds)`` triples: ``arrays[first + j]`` equals
    ``flat[bounds[j]:bounds[j + 1]]``.  Token ids from :func:`tokenize_batch`
    are views of one flat array per batch, so a whole batch is one group and
    nothing is concatenated; other arrays are concatenated group by group.
    """
    groups: list[tuple[int, np.ndarray, np.ndarray]] = []
    k, n = 0, len(arrays)
    while k < n:
        a = np.asarray(arrays[k])
        base = a.base
        j = k + 1
        if isinstance(base, np.ndarray) and base.ndim == 1 and base.dtype == dtype and a.dtype == dtype and base.flags.c_contiguous:
            ptr0 = base.__array_interface__["data"][0]
            delta = a.__array_interface__["data"][0] - ptr0
            pos = delta // base.itemsize if len(a) and delta % base.itemsize == 0 else None
            if pos is not None and a.flags.c_contiguous:
                lens = [len(a)]
                end = pos + len(a)
                while j < n:
                    b = arrays[j]
                    if getattr(b, "base", None) is not base:
                        break
                    face = b.__array_interface__  # one dict per array: data pointer, and strides None when contiguous
                    if len(b) and (face["data"][0] - ptr0 != end * base.itemsize or (face["strides"] is not None and len(b) > 1)):
                        break
                    lens.append(len(b))
                    end += len(b)
                    j += 1
                bounds = np.zeros(len(lens) + 1, dtype=np.int64)
                np.cumsum(lens, out=bounds[1:])
                groups.append((k, base[pos:end], bounds))
                k = j
                continue
        # not a view: gather until the next view of a flat buffer (or the end) and concatenate
        while j < n and not (isinstance(arrays[j], np.ndarray) and isinstance(arrays[j].base, np.ndarray) and len(arrays[j])):
            j += 1
        part = [np.asarray(x, dtype=dtype) for x in arrays[k:j]]
        bounds = np.zeros(len(part) + 1, dtype=np.int64)
        np.cumsum([len(x) for x in part], out=bounds[1:])
        flat = np.concatenate(part) if bounds[-1] else np.empty(0, dtype=dtype)
        groups.append((k, flat, bounds))
        k = j
    return groups


def detect_language_batch(id_arrays: Sequence[np.ndarray], compiled: bool = True) -> list[str]:
    """:func:`detect_language_ids` for many token arrays at once (same answers).

    ``compiled`` (default) counts stop-word hits per text in one numba pass with
    a small open-addressing table of the stop-word ids; ``False`` runs one
    ``numpy.isin`` per language over all texts.
    """
    if not id_arrays:
        return []
    langs = list(_stopword_ids())
    kernel = _stopword_kernel() if compiled else None
    if kernel is not None:
        keys, used, lang_of = _stopword_table()
        parts = [kernel(flat, bounds, keys, used, lang_of, len(langs)) for _, flat, bounds in flat_groups(id_arrays)]
        return _decide_languages(langs, np.concatenate(parts))
    lengths = np.array([len(a) for a in id_arrays], dtype=np.int64)
    joined = np.concatenate(id_arrays) if lengths.sum() else np.empty(0, dtype=np.uint64)
    bounds = np.concatenate(([0], np.cumsum(lengths)))
    counts = {}
    for lang, sw in _stopword_ids().items():
        hits = np.concatenate(([0], np.cumsum(np.isin(joined, sw))))
        counts[lang] = (hits[bounds[1:]] - hits[bounds[:-1]]).tolist()
    return [_decide_language({lang: counts[lang][k] for lang in langs}) for k in range(len(id_arrays))]


#: Slots of the stop-word lookup table (a power of two, well above the ~120 stop words).
_SW_SLOTS = 1024


@cache
def _stopword_table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Open-addressing table of stop-word ids: ``(keys, used, lang_bits)`` indexed by the id's low bits."""
    keys = np.zeros(_SW_SLOTS, dtype=np.uint64)
    used = np.zeros(_SW_SLOTS, dtype=np.bool_)
    lang_bits = np.zeros(_SW_SLOTS, dtype=np.int64)
    for li, sw in enumerate(_stopword_ids().values()):
        for x in sw.tolist():
            slot = x & (_SW_SLOTS - 1)
            while used[slot] and int(keys[slot]) != x:
                slot = (slot + 1) & (_SW_SLOTS - 1)
            keys[slot], used[slot] = x, True
            lang_bits[slot] |= 1 << li  # one word can be a stop word of both languages ("so", "in")
    return keys, used, lang_bits


@cache
def _stopword_kernel():  # returns a numba dispatcher, or None
    """Compiled per-text stop-word hits per language (the counts of :func:`detect_language_batch`)."""
    jit = compiler()
    if jit is None:  # pragma: no cover - numba is a dependency; the numpy path stays as reference
        return None

    @jit
    def run(ids, bounds, keys, used, lang_bits, nlang):  # pragma: no cover - compiled
        ndoc = bounds.shape[0] - 1
        mask = np.uint64(keys.shape[0] - 1)
        out = np.zeros((ndoc, nlang), dtype=np.int64)
        for d in range(ndoc):
            for i in range(bounds[d], bounds[d + 1]):
                x = ids[i]
                slot = x & mask
                while used[slot]:
                    if keys[slot] == x:
                        bits = lang_bits[slot]
                        for li in range(nlang):
                            if (bits >> li) & 1:
                                out[d, li] += 1
                        break
                    slot = (slot + np.uint64(1)) & mask
        return out

    return run
