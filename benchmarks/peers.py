"""The pipelines compared in the benchmarks: reuse and its peers, on the same planted corpus.

Peers sketch *whole documents* the way their documentation shows: lower-cased
``\\w+`` words, word 5-grams, 128 permutations, LSH at threshold 0.1 (the setting
that finds the most passage reuse at document level).  reuse sketches
overlapping windows with its own :class:`reuse.config.SketchConfig` and verifies
and aligns what it finds.  Found pairs of every method are scored against the
planted truth, so speed is never reported without quality.

Also runnable as ``python -m benchmarks.peers METHOD CORPUS.jsonl OUT.json``: a
peer's whole pipeline as one process (read, sketch, index, query, write), the way
the whole-process benchmark times it beside ``reuse scan CORPUS.jsonl -o OUT.json``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Sequence

PEER_PERM = 128
PEER_SHINGLE = 5
PEER_THRESHOLD = 0.1
PEER_SEED = 42
_WORD = re.compile(r"\w+")


def peer_shingles(text: str, n: int = PEER_SHINGLE) -> list[str]:
    """Word n-grams of lower-cased ``\\w+`` tokens (the peers' tokenisation)."""
    words = _WORD.findall(text.lower())
    return [" ".join(words[i : i + n]) for i in range(max(1, len(words) - n + 1))]


# --- datasketch ------------------------------------------------------------------


def datasketch_update(texts: Sequence[str]) -> list:
    """One ``MinHash`` per document, fed shingle by shingle with ``update``."""
    from datasketch import MinHash

    out = []
    for text in texts:
        m = MinHash(num_perm=PEER_PERM, seed=PEER_SEED)
        for s in peer_shingles(text):
            m.update(s.encode("utf-8"))
        out.append(m)
    return out


def datasketch_bulk(texts: Sequence[str]) -> list:
    """``MinHash.bulk``: all documents' shingles hashed in one call."""
    from datasketch import MinHash

    return MinHash.bulk([[s.encode("utf-8") for s in peer_shingles(t)] for t in texts], num_perm=PEER_PERM, seed=PEER_SEED)


def datasketch_lsh_pairs(minhashes: Sequence) -> set[tuple[int, int]]:
    """``MinHashLSH`` insert of every document, then a query per document."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=PEER_THRESHOLD, num_perm=PEER_PERM)
    for k, m in enumerate(minhashes):
        lsh.insert(k, m)
    pairs = set()
    for k, m in enumerate(minhashes):
        for j in lsh.query(m):
            if j != k:
                pairs.add((min(j, k), max(j, k)))
    return pairs


# --- rensa -----------------------------------------------------------------------


def rensa_minhashes(texts: Sequence[str]) -> list:
    """``RMinHash.from_token_sets``: rensa's batch path (one Rust call for all documents)."""
    from rensa import RMinHash

    return RMinHash.from_token_sets([peer_shingles(t) for t in texts], num_perm=PEER_PERM, seed=PEER_SEED)


def rensa_update(texts: Sequence[str]) -> list:
    """``RMinHash.update`` once per document with its shingle list."""
    from rensa import RMinHash

    out = []
    for text in texts:
        m = RMinHash(num_perm=PEER_PERM, seed=PEER_SEED)
        m.update(peer_shingles(text))
        out.append(m)
    return out


def rensa_bands() -> int:
    """Bands for rensa's LSH: datasketch's optimum at the peers' threshold (rensa takes bands, not a threshold)."""
    from reuse.lsh import optimal_bands

    return optimal_bands(PEER_THRESHOLD, PEER_PERM)[0]


def rensa_lsh_pairs(minhashes: Sequence) -> set[tuple[int, int]]:
    """``RMinHashLSH.insert_many`` then ``query_all``."""
    from rensa import RMinHashLSH

    lsh = RMinHashLSH(threshold=PEER_THRESHOLD, num_perm=PEER_PERM, num_bands=rensa_bands())
    lsh.insert_many(minhashes, 0)
    pairs = set()
    for k, found in enumerate(lsh.query_all(minhashes)):
        for j in found:
            if j != k:
                pairs.add((min(j, k), max(j, k)))
    return pairs


# --- whole processes -------------------------------------------------------------------


def datasketch_pairs(records: Sequence[dict[str, str]]) -> set[tuple[str, str]]:
    """datasketch ``bulk`` + ``MinHashLSH`` at threshold 0.1."""
    return _ids(records, datasketch_lsh_pairs(datasketch_bulk([r["text"] for r in records])))


def rensa_pairs(records: Sequence[dict[str, str]]) -> set[tuple[str, str]]:
    """rensa ``from_token_sets`` + ``RMinHashLSH``."""
    return _ids(records, rensa_lsh_pairs(rensa_minhashes([r["text"] for r in records])))


def _ids(records: Sequence[dict[str, str]], pairs: set[tuple[int, int]]) -> set[tuple[str, str]]:
    ids = [r["id"] for r in records]
    return {tuple(sorted((ids[a], ids[b]))) for a, b in pairs}  # type: ignore[misc]


#: The peers' whole pipelines, run by ``python -m benchmarks.peers METHOD CORPUS.jsonl OUT.json``.
PEERS: dict[str, Callable[[Sequence[dict[str, str]]], set[tuple[str, str]]]] = {"datasketch": datasketch_pairs, "rensa": rensa_pairs}


def command(method: str, corpus: str, out: str) -> list[str]:
    """The command line a user runs for ``method`` on ``corpus``, writing its result to ``out`` (whole process)."""
    if method in PEERS:
        return [sys.executable, "-m", "benchmarks.peers", method, corpus, out]
    stream = ["--stream"] if method == "reuse stream" else ["--no-stream"]
    return [sys.executable, "-m", "reuse", "scan", corpus, "--format", "json", "-o", out, "-q", *stream]


def found_in(method: str, out: str) -> set[tuple[str, str]]:
    """The document pairs a finished run wrote (reuse: pairs of documents sharing a syndication cluster)."""
    with open(out, encoding="utf-8") as fh:
        data = json.load(fh)
    if method in PEERS:
        return {(a, b) for a, b in data["pairs"]}
    out_pairs = set()
    for c in data["clusters"]:
        if c["kind"] == "syndication":
            ids = sorted({m["id"] for m in c["members"]})
            out_pairs.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    return out_pairs


def main(argv: list[str] | None = None) -> None:
    """A peer's whole pipeline as a user would script it: read the JSONL, find pairs, write them as JSON."""
    args = sys.argv[1:] if argv is None else argv
    method, path, out = args[0], args[1], args[2]
    with open(path, encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    found = PEERS[method](records)
    with open(out, "w", encoding="utf-8") as fh:
        json.dump({"method": method, "documents": len(records), "pairs": sorted(found)}, fh)


def recall_precision(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> tuple[float, float]:
    """Document-pair recall and precision."""
    tp = len(found & truth)
    return (tp / len(truth) if truth else 1.0), (tp / len(found) if found else 1.0)


__all__ = ["PEERS", "command", "found_in", "peer_shingles", "recall_precision"]

if __name__ == "__main__":
    main()
