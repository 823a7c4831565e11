"""The pipelines compared in the benchmarks: reuse and its peers, on the same planted corpus.

Peers sketch *whole documents* the way their documentation shows: lower-cased
``\\w+`` words, word 5-grams, 128 permutations, LSH at threshold 0.1 (the setting
that finds the most passage reuse at document level).  reuse sketches
overlapping windows with its own :class:`reuse.config.SketchConfig` and verifies
and aligns what it finds.  Found pairs of every method are scored against the
planted truth, so speed is never reported without quality.

Also runnable as ``python -m benchmarks.peers METHOD CORPUS.jsonl``: runs one
end-to-end method and prints its peak resident memory (used for the memory plot,
one fresh process per measurement).
"""

from __future__ import annotations

import json
import re
import resource
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from reuse.pipeline import ScanResult

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


# --- end to end --------------------------------------------------------------------


def _linked(result: ScanResult) -> set[tuple[str, str]]:
    """Document pairs linked by a passage, ``(a, b)`` with ``a < b``."""
    return {(p.a, p.b) if p.a < p.b else (p.b, p.a) for p in result.passages}


def reuse_pairs(records: Sequence[dict[str, str]], jobs: int = 1) -> set[tuple[str, str]]:
    """``reuse.scan`` with LSH candidates: document pairs linked by a passage."""
    from reuse.config import ScanConfig
    from reuse.io import documents_from_texts
    from reuse.pipeline import scan

    result = scan(documents_from_texts({r["id"]: r["text"] for r in records}), ScanConfig(candidates="lsh", jobs=jobs))
    return _linked(result)


def reuse_stream_pairs(records: Sequence[dict[str, str]]) -> set[tuple[str, str]]:
    """``reuse.stream.scan_stream`` (bounded batches, spilled to disk) with LSH candidates."""
    from reuse.config import ScanConfig
    from reuse.io import documents_from_texts
    from reuse.stream import scan_stream

    result = scan_stream(documents_from_texts({r["id"]: r["text"] for r in records}), ScanConfig(candidates="lsh"))
    return _linked(result)


def reuse_stream_file(path: str) -> set[tuple[str, str]]:
    """What ``reuse scan CORPUS.jsonl --stream`` does: the file read a line at a time, never held in memory."""
    from reuse.config import ScanConfig
    from reuse.io import iter_paths
    from reuse.stream import scan_stream

    result = scan_stream(iter_paths([path]), ScanConfig(candidates="lsh"))
    return _linked(result)


def _ids(records: Sequence[dict[str, str]], pairs: set[tuple[int, int]]) -> set[tuple[str, str]]:
    ids = [r["id"] for r in records]
    return {tuple(sorted((ids[a], ids[b]))) for a, b in pairs}  # type: ignore[misc]


def datasketch_pairs(records: Sequence[dict[str, str]]) -> set[tuple[str, str]]:
    """datasketch ``bulk`` + ``MinHashLSH`` at threshold 0.1."""
    return _ids(records, datasketch_lsh_pairs(datasketch_bulk([r["text"] for r in records])))


def rensa_pairs(records: Sequence[dict[str, str]]) -> set[tuple[str, str]]:
    """rensa ``from_token_sets`` + ``RMinHashLSH``."""
    return _ids(records, rensa_lsh_pairs(rensa_minhashes([r["text"] for r in records])))


END_TO_END: dict[str, Callable[[Sequence[dict[str, str]]], set[tuple[str, str]]]] = {
    "reuse": reuse_pairs,
    "reuse stream": reuse_stream_pairs,
    "datasketch": datasketch_pairs,
    "rensa": rensa_pairs,
}


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MiB.

    Reads ``VmHWM`` from ``/proc/self/status``: Linux's ``ru_maxrss`` of a child
    started by fork+exec starts at the parent's peak (the pytest process holding
    the corpora), which once made every method look alike.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:  # pragma: no cover - not Linux
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    method, path = args[0], args[1]
    if method == "reuse stream":
        # the streaming scan reads the file itself: the corpus is never in memory as a whole
        with open(path, encoding="utf-8") as fh:
            corpus_mb = sum(len(json.loads(line)["text"].encode("utf-8")) for line in fh) / 2**20
        before = peak_rss_mb()
        found = reuse_stream_file(path)
        print(json.dumps({"method": method, "pairs": len(found), "peak_rss_mb": peak_rss_mb(), "rss_after_load_mb": before, "corpus_mb": corpus_mb}))
        return
    with open(path, encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    before = peak_rss_mb()
    END_TO_END[method](records)
    print(json.dumps({"method": method, "docs": len(records), "peak_rss_mb": peak_rss_mb(), "rss_after_load_mb": before,
                      "corpus_mb": sum(len(r["text"].encode("utf-8")) for r in records) / 2**20}))


def recall_precision(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> tuple[float, float]:
    """Document-pair recall and precision."""
    tp = len(found & truth)
    return (tp / len(truth) if truth else 1.0), (tp / len(found) if found else 1.0)


__all__ = ["END_TO_END", "np", "peer_shingles", "recall_precision"]

if __name__ == "__main__":
    main()
