"""Deterministic planted-reuse corpus: German-like news documents with known copied passages.

Every document is ~5 KB of German-like prose: real German function words plus
synthetic content words (German syllables, umlauts and ß), both drawn from
Zipf distributions, in sentences of 6-22 words grouped into paragraphs under a
title line.  A share of documents (``planted_share``, 10% by default) carries a
passage of 50-300 words copied from another document; half of those copies are
lightly edited (words dropped and neighbouring words swapped).  Sources and
targets are disjoint and every source is copied once, so the planted document
pairs are exactly the truth.

Stock phrases ("der ukrainische Präsident ...") recur across unrelated
documents, as they do in news on one topic; they are not reuse and must not be
reported.

Use as a module (:func:`generate`, :func:`write`) or as a script::

    python benchmarks/planted.py --docs 2000 --out /tmp/planted2k

which writes ``DIR/corpus.jsonl`` (``id``, ``text``, ``title``) and
``DIR/truth.jsonl`` (one planted pair per line with character offsets on both sides).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: Frequent German function words (their Zipf rank follows this order roughly).
FUNCTION_WORDS = ["der", "die", "und", "in", "den", "von", "zu", "das", "mit", "sich", "des", "auf", "für", "ist", "im", "dem", "nicht", "ein", "eine", "als", "auch", "es", "an", "werden", "aus", "er", "hat", "dass", "sie", "nach", "wird", "bei", "einer", "um", "am", "sind", "noch", "wie", "einem", "über", "einen", "so", "zum", "war", "haben", "nur", "oder", "aber", "vor", "zur", "bis", "mehr", "durch", "man", "sein", "wurde", "sei", "ihr", "wir", "kann", "gegen", "vom", "schon", "wenn", "habe", "seine", "ihre", "dann", "unter", "wird", "sehr", "selbst", "dieser", "diese", "dieses", "beim", "sollen", "müssen", "soll", "muss", "seit", "sowie", "jedoch", "zwischen", "während", "weil", "damit", "ohne", "bereits"]

#: Syllables of the synthetic content vocabulary (German orthography, with umlauts and ß).
SYLLABLES = ["ver", "ge", "be", "ent", "er", "zer", "an", "auf", "aus", "ein", "mit", "vor", "nach", "um", "ab", "bei", "la", "le", "li", "lo", "lu", "ra", "re", "ri", "ro", "ru", "ta", "te", "ti", "to", "na", "ne", "ni", "no", "ma", "me", "mi", "mo", "sa", "se", "si", "so", "ka", "ke", "ki", "ko", "ber", "ter", "der", "ner", "ler", "ser", "mer", "ger", "wer", "fer", "hal", "han", "hei", "kor", "kun", "lan", "mar", "mei", "pol", "reg", "sch", "schaft", "stra", "stei", "tag", "wal", "wan", "zei", "zug", "bau", "bild", "dienst", "feld", "frie", "grund", "haus", "heit", "keit", "lich", "ung", "ig", "isch", "än", "ör", "üb", "grö", "stä", "mü", "bä", "sü", "ße", "schlü", "fü", "wä", "lö"]

#: Stock phrases of news on one topic, 3-6 words (names with titles, attributions), shared by
#: unrelated documents; not reuse.  Seven or more shared words are treated as a passage by design.
STOCK_PHRASES = (
    "der ukrainische Präsident Wolodymyr Selenskyj",
    "nach Angaben des Weißen Hauses",
    "wie die Nachrichtenagentur dpa berichtet",
    "der russische Präsident Wladimir Putin",
    "in der kommenden Woche",
    "am Rande des Gipfels",
    "wie ein Sprecher sagte",
    "die Europäische Union",
    "in einer Erklärung hieß es",
    "der US-Sondergesandte Steve Witkoff",
    "sagte am Mittwoch in Berlin",
    "das Auswärtige Amt",
)


@dataclass(frozen=True)
class PlantedConfig:
    """Parameters of a planted corpus (all defaults follow the issue's description)."""

    docs: int = 2000
    seed: int = 7
    doc_chars: int = 5000
    """Approximate length of a document before planting (the issue's ~5 KB)."""
    planted_share: float = 0.10
    """Share of documents that receive a copied passage."""
    min_words: int = 50
    max_words: int = 300
    edited_share: float = 0.5
    """Share of planted passages that are lightly edited."""
    drop_rate: float = 0.04
    """Per-word probability that an edited copy drops the word."""
    swap_rate: float = 0.04
    """Per-word probability that an edited copy swaps the word with its right neighbour."""
    vocabulary: int = 40000
    """Synthetic content words; with Zipf exponent ``zipf`` this gives the long tail of news vocabulary."""
    zipf: float = 1.05
    function_share: float = 0.42
    """Share of running words that are function words (close to German news prose)."""
    stock_rate: float = 0.004
    """Chance per sentence word that the sentence holds a stock phrase (a few per document)."""
    background_sentences: int = 0
    """Size of a pool of background sentences (0: none).  As an agency's background paragraphs
    recur in every report on a war, a share of documents carries some of them, each copy
    reworded: the *background variant* of the corpus, whose recurring sentences are stock, not
    reuse between the documents that carry them."""
    background_share: float = 1 / 3
    """Share of documents carrying background sentences."""
    background_per_doc: tuple[int, int] = (1, 3)
    """How many background sentences such a document carries (inclusive range)."""
    background_words: tuple[int, int] = (15, 35)
    """Length of a background sentence in words (inclusive range)."""
    background_change: float = 0.5
    """Share of a background sentence's words replaced in each copy (one contiguous stretch at a
    random place, so copies share the rest in one or two pieces)."""


@dataclass(frozen=True)
class Planted:
    """One planted passage: ``target`` copies words of ``source``."""

    target: str
    source: str
    words: int
    edited: bool
    target_start: int
    target_end: int
    source_start: int
    source_end: int


def _vocabulary(rng: np.random.Generator, size: int) -> list[str]:
    seen: set[str] = set(FUNCTION_WORDS)
    out: list[str] = []
    syl = np.array(SYLLABLES)
    while len(out) < size:
        n = int(rng.integers(2, 5))
        w = "".join(syl[rng.integers(0, len(syl), n)])
        if len(w) >= 4 and w not in seen:
            seen.add(w)
            out.append(w)
    return out


def _zipf_cdf(n: int, s: float, shift: float) -> np.ndarray:
    """Cumulative Zipf-Mandelbrot distribution ``p(r) ~ 1 / (r + shift) ** s`` over ranks 1..n."""
    p = 1.0 / (np.arange(1, n + 1) + shift) ** s
    cdf = np.cumsum(p)
    return cdf / cdf[-1]


class _Writer:
    """Draws sentences of German-like words (each word a separate token string)."""

    def __init__(self, config: PlantedConfig, rng: np.random.Generator) -> None:
        self.c = config
        self.rng = rng
        self.vocab = _vocabulary(rng, config.vocabulary)
        # content words are capitalised like German nouns about a third of the time
        # content words start below the function words in rank (Zipf-Mandelbrot shift), as in real text
        self.c_vocab = _zipf_cdf(len(self.vocab), config.zipf, shift=len(FUNCTION_WORDS))
        self.c_func = _zipf_cdf(len(FUNCTION_WORDS), 0.9, shift=0.0)
        self.stock = [p.split() for p in STOCK_PHRASES]

    def words(self, n: int) -> list[str]:
        rng, c = self.rng, self.c
        is_func = rng.random(n) < c.function_share
        # German prose has no runs of three function words ("der der der"): cap runs at two
        is_func[2:] &= ~(is_func[1:-1] & is_func[:-2])
        # inverse-CDF sampling: rng.choice(p=...) rebuilds the CDF on every call
        fidx = np.minimum(np.searchsorted(self.c_func, rng.random(n)), len(FUNCTION_WORDS) - 1)
        vidx = np.minimum(np.searchsorted(self.c_vocab, rng.random(n)), len(self.vocab) - 1)
        cap = rng.random(n) < 0.35
        out: list[str] = []
        for f, fi, vi, up in zip(is_func.tolist(), fidx.tolist(), vidx.tolist(), cap.tolist(), strict=True):
            if f and not (out and out[-1] == FUNCTION_WORDS[fi]):  # and no immediate repeats ("die die")
                out.append(FUNCTION_WORDS[fi])
            else:
                w = self.vocab[vi]
                out.append(w[:1].upper() + w[1:] if up else w)
        return out

    def document(self, chars: int) -> tuple[list[str], list[int]]:
        """Words of one document (punctuation attached) and the word indices where sentences start."""
        rng, c = self.rng, self.c
        words: list[str] = []
        sentence_starts: list[int] = []
        size = 0
        while size < chars:
            n = int(rng.integers(6, 23))
            sent = self.words(n)
            if rng.random() < c.stock_rate * n:
                phrase = self.stock[int(rng.integers(0, len(self.stock)))]
                at = int(rng.integers(0, n))
                sent[at:at] = phrase
            sent[0] = sent[0][:1].upper() + sent[0][1:]
            if len(sent) > 8 and rng.random() < 0.5:
                k = int(rng.integers(3, len(sent) - 3))
                sent[k] += ","
            sent[-1] += "." if rng.random() < 0.9 else "?"
            sentence_starts.append(len(words))
            words.extend(sent)
            size += sum(len(w) + 1 for w in sent)
        return words, sentence_starts


def _edit(words: list[str], rng: np.random.Generator, drop: float, swap: float) -> list[str]:
    """Drop and swap words; the first and last word stay so the passage keeps its extent."""
    out = [words[0]] + [w for w in words[1:-1] if rng.random() >= drop] + [words[-1]]
    k = 1
    while k < len(out) - 2:
        if rng.random() < swap:
            out[k], out[k + 1] = out[k + 1], out[k]
            k += 2
        else:
            k += 1
    return out


def _render(title: str, words: list[str], sentence_starts: list[int], rng: np.random.Generator) -> tuple[str, list[int]]:
    """Join words into a text with a title line and paragraphs; return the text and each word's start offset."""
    para_breaks = {s for s in sentence_starts[1:] if rng.random() < 0.2}
    parts = [title, "\n\n"]
    pos = len(title) + 2
    starts = []
    for k, w in enumerate(words):
        if k:
            sep = "\n\n" if k in para_breaks else " "
            parts.append(sep)
            pos += len(sep)
        starts.append(pos)
        parts.append(w)
        pos += len(w)
    return "".join(parts), starts


@dataclass(frozen=True)
class Background:
    """One copy of a background sentence: document ``doc`` carries sentence ``sentence`` of the pool at ``start:end``."""

    doc: str
    sentence: int
    start: int
    end: int


def reworded(sentence: list[str], writer: _Writer, change: float, rng: np.random.Generator) -> list[str]:
    """A copy of a background sentence with a run of ``change`` of its words replaced, as a wire's
    background paragraph is edited in each report that carries it."""
    copy = list(sentence)
    n = round(change * len(copy))
    at = int(rng.integers(0, len(copy) - n + 1))
    copy[at : at + n] = writer.words(n)
    copy[0] = copy[0][:1].upper() + copy[0][1:]
    copy[-1] = copy[-1].rstrip(".,?") + "."
    return copy


def insert_sentence(words: list[str], starts: list[int], pos: int, sentence: list[str]) -> None:
    """Insert ``sentence`` at sentence start ``pos`` of a body, keeping its sentence starts (in place)."""
    words[pos:pos] = sentence
    starts[:] = sorted({x if x < pos else x + len(sentence) for x in starts} | {pos, pos + len(sentence)} - {len(words)})


def _background(writer: _Writer, bodies: list[tuple[list[str], list[int]]], config: PlantedConfig, rng: np.random.Generator) -> dict[int, list[tuple[int, int, int]]]:
    """Insert reworded background sentences into a share of the bodies (in place); per document, ``(sentence, first word, words)``."""
    lo, hi = config.background_words
    pool = []
    for _ in range(config.background_sentences):
        sent = writer.words(int(rng.integers(lo, hi + 1)))
        sent[0] = sent[0][:1].upper() + sent[0][1:]
        pool.append(sent)
    carriers = rng.permutation(len(bodies))[: round(config.background_share * len(bodies))]
    placed: dict[int, list[tuple[int, int, int]]] = {}
    for k in sorted(carriers.tolist()):
        words, starts = bodies[k]
        for _ in range(int(rng.integers(config.background_per_doc[0], config.background_per_doc[1] + 1))):
            b = int(rng.integers(0, len(pool)))
            copy = reworded(pool[b], writer, config.background_change, rng)
            pos = starts[int(rng.integers(0, len(starts)))]
            insert_sentence(words, starts, pos, copy)
            shifted = [(s, f if f < pos else f + len(copy), w) for s, f, w in placed.get(k, [])]
            placed[k] = [*shifted, (b, pos, len(copy))]
    return placed


def generate(config: PlantedConfig = PlantedConfig()) -> tuple[list[dict[str, str]], list[Planted]]:
    """Build a planted corpus.

    Parameters
    ----------
    config : PlantedConfig
        Size, seed and planting parameters.

    Returns
    -------
    records : list of dict
        ``{"id", "title", "text"}`` per document, ids ``d000000`` ... in order.
    truth : list of Planted
        The planted passages; ``(target, source)`` are the reused document pairs.
    """
    records, truth, _ = generate_with_background(config)
    return records, truth


def generate_with_background(config: PlantedConfig = PlantedConfig()) -> tuple[list[dict[str, str]], list[Planted], list[Background]]:
    """:func:`generate`, and every copy of a background sentence (empty without ``background_sentences``)."""
    rng = np.random.default_rng(config.seed)
    writer = _Writer(config, rng)
    n = config.docs
    width = max(6, len(str(n)))
    ids = [f"d{k:0{width}d}" for k in range(n)]
    bodies = [writer.document(config.doc_chars) for _ in range(n)]
    titles = [" ".join(writer.words(int(rng.integers(5, 11)))).capitalize() for _ in range(n)]
    # background sentences go in before planting: a planted copy may carry one, as real copies do
    background = _background(writer, bodies, config, np.random.default_rng([config.seed, 1])) if config.background_sentences else {}
    n_planted = round(config.planted_share * n) if n >= 2 else 0
    order = rng.permutation(n)
    targets, sources = order[:n_planted], order[n_planted : 2 * n_planted]
    if len(sources) < len(targets):  # tiny corpora: sources may repeat
        sources = rng.choice(order[n_planted:], size=n_planted) if n > n_planted else np.empty(0, dtype=np.int64)
        targets = targets[: len(sources)]
    source_text = {}
    for s in set(sources.tolist()):
        source_text[s] = _render(titles[s], bodies[s][0], bodies[s][1], np.random.default_rng([config.seed, s]))
    plan: dict[int, tuple[int, int, int, bool, int]] = {}
    for t, s in zip(targets.tolist(), sources.tolist(), strict=True):
        src_words = bodies[s][0]
        length = int(rng.integers(config.min_words, config.max_words + 1))
        length = min(length, len(src_words))
        start = int(rng.integers(0, len(src_words) - length + 1))
        edited = bool(rng.random() < config.edited_share)
        tgt_sent = bodies[t][1]
        at = int(tgt_sent[int(rng.integers(0, len(tgt_sent)))])
        plan[t] = (s, start, length, edited, at)
    records: list[dict[str, str]] = []
    truth: list[Planted] = []
    copies: list[Background] = []
    for k in range(n):
        words, sent = bodies[k]
        placed = background.get(k, [])
        if k in plan:
            s, start, length, edited, at = plan[k]
            copied = bodies[s][0][start : start + length]
            if edited:
                copied = _edit(copied, rng, config.drop_rate, config.swap_rate)
            words = words[:at] + copied + words[at:]
            shift = len(copied)
            sent = [x if x < at else x + shift for x in sent]
            placed = [(b, first if first < at else first + shift, w) for b, first, w in placed]
            if at not in sent:
                sent = sorted([*sent, at])
        text, starts = _render(titles[k], words, sent, np.random.default_rng([config.seed, k]))
        records.append({"id": ids[k], "title": titles[k], "text": text})
        for b, first, w in placed:
            copies.append(Background(doc=ids[k], sentence=b, start=starts[first], end=starts[first + w - 1] + len(words[first + w - 1])))
        if k in plan:
            s, start, length, edited, at = plan[k]
            _, s_starts = source_text[s]
            last = at + len(copied) - 1
            truth.append(
                Planted(
                    target=ids[k], source=ids[s], words=length, edited=edited,
                    target_start=starts[at], target_end=starts[last] + len(words[last]),
                    source_start=s_starts[start], source_end=s_starts[start + length - 1] + len(bodies[s][0][start + length - 1]),
                )
            )
    truth.sort(key=lambda p: (p.target, p.source))
    return records, truth, copies


def truth_pairs(truth: list[Planted]) -> set[tuple[str, str]]:
    """Planted document pairs, each as ``(smaller id, larger id)``."""
    return {tuple(sorted((p.target, p.source))) for p in truth}  # type: ignore[misc]


def write(out: Path | str, config: PlantedConfig = PlantedConfig()) -> tuple[Path, Path]:
    """Generate a corpus and write ``corpus.jsonl`` and ``truth.jsonl`` into ``out``; return both paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    records, truth, copies = generate_with_background(config)
    if copies:
        with (out / "background.jsonl").open("w", encoding="utf-8") as fh:
            for c in copies:
                fh.write(json.dumps(c.__dict__) + "\n")
    corpus, truth_path = out / "corpus.jsonl", out / "truth.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    with truth_path.open("w", encoding="utf-8") as fh:
        for p in truth:
            fh.write(json.dumps(p.__dict__, ensure_ascii=False) + "\n")
    return corpus, truth_path


def read_truth(path: Path | str) -> list[Planted]:
    """Read a ``truth.jsonl`` written by :func:`write`."""
    with Path(path).open(encoding="utf-8") as fh:
        return [Planted(**json.loads(line)) for line in fh if line.strip()]


def iter_records(path: Path | str) -> Iterator[dict[str, str]]:
    """Records of a ``corpus.jsonl``."""
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000, help="number of documents")
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--seed", type=int, default=PlantedConfig.seed)
    parser.add_argument("--background", type=int, default=0, metavar="N",
                        help="the background variant: a pool of N background sentences recurring, reworded, in a third of the documents")
    args = parser.parse_args(argv)
    corpus, truth = write(args.out, PlantedConfig(docs=args.docs, seed=args.seed, background_sentences=args.background))
    print(f"wrote {corpus} and {truth}")


if __name__ == "__main__":
    main()
