"""The planted corpus of :mod:`benchmarks.planted` for a million documents: written in shards, in bounded memory.

:func:`benchmarks.planted.generate` holds every document's words until the end (its
sources may be planted anywhere), about 30 KB a document: 30 GB at a million.  Here
every document draws from a random stream of its own (seeded by the corpus seed and its
number), so a source is drawn again when its copy is planted, and each shard of
documents is written on its own, by several processes.  The documents follow
:class:`benchmarks.planted.PlantedConfig` exactly as :mod:`benchmarks.planted` does (one
vocabulary, the same Zipf draws, stock phrases, background sentences, 10% planted copies
of 50-300 words, half of them edited); only which random numbers each document gets
differs, so the two generators give different corpora of the same kind.

    python benchmarks/planted_shards.py --docs 1000000 --out /data/planted-1m --jobs 2

writes ``DIR/corpus-000.jsonl`` ... (``id``, ``title``, ``text``; ids ``d0000000`` ... in
order, ``--shard-docs`` per file) and ``DIR/truth.jsonl`` (one planted pair per line).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.planted import PlantedConfig, _edit, _render, _Writer, insert_sentence, reworded

#: Stream tags: each document's draws come from ``default_rng([seed, TAG, k])``.
_BODY, _TITLE, _BACKGROUND, _PLAN, _RENDER = 2, 3, 4, 6, 7


class _Corpus:
    """Draws any document of the corpus on its own (the state: one vocabulary, the background pool, the plan)."""

    def __init__(self, config: PlantedConfig) -> None:
        self.c = config
        self.writer = _Writer(config, np.random.default_rng(config.seed))  # the vocabulary, as planted.py draws it
        n = config.docs
        self.width = max(6, len(str(n)))
        self.pool: list[list[str]] = []
        if config.background_sentences:
            self.writer.rng = np.random.default_rng([config.seed, 1])
            lo, hi = config.background_words
            for _ in range(config.background_sentences):
                sent = self.writer.words(int(self.writer.rng.integers(lo, hi + 1)))
                sent[0] = sent[0][:1].upper() + sent[0][1:]
                self.pool.append(sent)
        n_planted = round(config.planted_share * n) if n >= 2 else 0
        order = np.random.default_rng([config.seed, 5]).permutation(n)
        # target -> source; sources and targets are disjoint, every source copied once
        self.source_of = dict(zip(order[:n_planted].tolist(), order[n_planted : 2 * n_planted].tolist(), strict=True))

    def ident(self, k: int) -> str:
        return f"d{k:0{self.width}d}"

    def body(self, k: int) -> tuple[list[str], list[int]]:
        """Document ``k``'s words and sentence starts, background sentences included (before planting)."""
        c, w = self.c, self.writer
        w.rng = np.random.default_rng([c.seed, _BODY, k])
        words, starts = w.document(c.doc_chars)
        if not self.pool:
            return words, starts
        rng = w.rng = np.random.default_rng([c.seed, _BACKGROUND, k])
        if rng.random() >= c.background_share:
            return words, starts
        for _ in range(int(rng.integers(c.background_per_doc[0], c.background_per_doc[1] + 1))):
            copy = reworded(self.pool[int(rng.integers(0, len(self.pool)))], w, c.background_change, rng)
            insert_sentence(words, starts, starts[int(rng.integers(0, len(starts)))], copy)
        return words, starts

    def record(self, k: int) -> tuple[dict[str, str], dict[str, object] | None]:
        """Document ``k`` as a JSONL record, and its planted pair (or None)."""
        c, w = self.c, self.writer
        w.rng = np.random.default_rng([c.seed, _TITLE, k])
        title = " ".join(w.words(int(w.rng.integers(5, 11)))).capitalize()
        words, sent = self.body(k)
        truth = None
        s = self.source_of.get(k)
        if s is not None:
            rng = np.random.default_rng([c.seed, _PLAN, k])
            src = self.body(s)[0]
            length = min(int(rng.integers(c.min_words, c.max_words + 1)), len(src))
            start = int(rng.integers(0, len(src) - length + 1))
            edited = bool(rng.random() < c.edited_share)
            at = int(sent[int(rng.integers(0, len(sent)))])
            copied = src[start : start + length]
            if edited:
                copied = _edit(copied, rng, c.drop_rate, c.swap_rate)
            words = words[:at] + copied + words[at:]
            sent = sorted({x if x < at else x + len(copied) for x in sent} | {at})
            truth = {"target": self.ident(k), "source": self.ident(s), "words": length, "edited": edited}
        text, _ = _render(title, words, sent, np.random.default_rng([c.seed, _RENDER, k]))
        return {"id": self.ident(k), "title": title, "text": text}, truth


def _write_shard(config: PlantedConfig, first: int, stop: int, path: str) -> list[dict[str, object]]:
    corpus = _Corpus(config)
    truth = []
    tmp = Path(path + ".part")
    with tmp.open("w", encoding="utf-8") as fh:
        for k in range(first, stop):
            record, planted = corpus.record(k)
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            if planted is not None:
                truth.append(planted)
    tmp.replace(path)
    return truth


def write(out: Path | str, config: PlantedConfig, shard_docs: int = 100_000, jobs: int = 1) -> list[Path]:
    """Write the corpus in shards of ``shard_docs`` documents (on ``jobs`` processes) and ``truth.jsonl``; return the shard paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    width = max(3, len(str(max(0, (config.docs - 1) // shard_docs))))
    shards = [(lo, min(config.docs, lo + shard_docs), str(out / f"corpus-{i:0{width}d}.jsonl"))
              for i, lo in enumerate(range(0, config.docs, shard_docs))]
    with mp.get_context("fork").Pool(jobs) as pool:
        found = pool.starmap(_write_shard, [(config, lo, hi, p) for lo, hi, p in shards])
    with (out / "truth.jsonl").open("w", encoding="utf-8") as fh:
        for t in sorted((t for part in found for t in part), key=lambda t: (t["target"], t["source"])):
            fh.write(json.dumps(t) + "\n")
    return [Path(p) for _, _, p in shards]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=PlantedConfig.seed)
    parser.add_argument("--background", type=int, default=0, metavar="N", help="the background variant (see benchmarks/planted.py)")
    parser.add_argument("--shard-docs", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    paths = write(args.out, PlantedConfig(docs=args.docs, seed=args.seed, background_sentences=args.background), args.shard_docs, args.jobs)
    print(f"wrote {len(paths)} shards of {args.docs} documents to {args.out} in {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
