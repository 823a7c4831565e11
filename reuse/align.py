"""Align two texts: chain exact seed matches into maximal passages with offsets on both sides.

Seeds are word n-grams (``AlignConfig.seed_size``) that both texts contain and
that are not stock phrases of the corpus.  Seed matches are chained while the
gaps between them stay small on both sides and the diagonal (the offset between
the texts) shifts little, so a passage survives dropped, inserted or swapped words.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from itertools import pairwise
from typing import Any

import numpy as np

from reuse.config import AlignConfig
from reuse.jit import compiler
from reuse.shingle import shingle_groups
from reuse.text import Tokens

#: Pairs per compiled call of :func:`align_many` (progress is reported after each).
_BLOCK = 4096


@dataclass(frozen=True)
class Span:
    """An aligned passage between texts ``a`` and ``b`` (offsets are characters, token ranges half-open)."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    a_tokens: tuple[int, int]
    b_tokens: tuple[int, int]
    kind: str
    similarity: float


def seed_matches(
    seeds_a: np.ndarray, seeds_b: np.ndarray, stock: np.ndarray | None = None, max_repeats: int = AlignConfig.max_seed_repeats
) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(i, j)`` where seed ``i`` of ``a`` equals seed ``j`` of ``b``, sorted by ``i`` then ``j``.

    Seeds in ``stock`` (a sorted array) and seeds repeated more than ``max_repeats``
    times in either text are ignored.
    """
    if len(seeds_a) == 0 or len(seeds_b) == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    order_b = np.argsort(seeds_b, kind="stable")
    sorted_b = seeds_b[order_b]
    lo = np.searchsorted(sorted_b, seeds_a, side="left")
    hi = np.searchsorted(sorted_b, seeds_a, side="right")
    count = hi - lo
    ok = (count >= 1) & (count <= max_repeats)
    if stock is not None and len(stock):
        pos = np.minimum(np.searchsorted(stock, seeds_a), len(stock) - 1)
        ok &= stock[pos] != seeds_a
    if ok.any():
        _, inv, rep_a = np.unique(seeds_a, return_inverse=True, return_counts=True)
        ok &= rep_a[inv] <= max_repeats
    i_idx = np.flatnonzero(ok)
    cnt = count[i_idx]
    i = np.repeat(i_idx, cnt)
    # for each i, the run lo[i] .. hi[i] in sorted_b
    first = np.repeat(lo[i_idx] - np.concatenate(([0], np.cumsum(cnt)))[:-1], cnt) + np.arange(cnt.sum())
    j = order_b[first]
    order = np.lexsort((j, i))
    return i[order].astype(np.int64), j[order].astype(np.int64)


def chain(i: np.ndarray, j: np.ndarray, n: int, config: AlignConfig) -> list[tuple[int, int, int, int, int, int]]:
    """Chain seed matches into passages.

    Returns
    -------
    list of tuple
        ``(a_first, a_end, b_first, b_end, covered_a, covered_b)`` in token positions
        (ends exclusive) with the number of tokens covered by seeds on each side.
    """
    active: list[list[int]] = []  # [a_first, b_first, a_last, b_last, cov_a, cov_b]
    done: list[list[int]] = []
    for x, y in zip(i.tolist(), j.tolist(), strict=True):
        best, best_gap = None, None
        still = []
        for c in active:
            if x - (c[2] + n) > config.max_gap:
                done.append(c)  # no later match can extend it (matches come in order of i)
                continue
            still.append(c)
            if x <= c[2] or y <= c[3]:
                continue
            gap_a, gap_b = x - (c[2] + n), y - (c[3] + n)
            if gap_b > config.max_gap or abs((y - x) - (c[3] - c[2])) > config.max_shift:
                continue
            gap = max(gap_a, gap_b)
            if best_gap is None or gap < best_gap:
                best, best_gap = c, gap
        active = still
        if best is None:
            active.append([x, y, x, y, n, n])
        else:
            best[4] += min(n, x + n - (best[2] + n))
            best[5] += min(n, y + n - (best[3] + n))
            best[2], best[3] = x, y
    done.extend(active)
    return [(c[0], c[2] + n, c[1], c[3] + n, c[4], c[5]) for c in done]


def _extend(a0: int, a1: int, b0: int, b1: int, ids_a: np.ndarray, ids_b: np.ndarray) -> tuple[int, int, int, int]:
    """Grow a passage over equal tokens on both ends.

    Stock seeds ("in der Ukraine") cannot anchor a passage, but a passage that is
    already long enough continues through them where both texts agree word for word.
    """
    while a0 > 0 and b0 > 0 and ids_a[a0 - 1] == ids_b[b0 - 1]:
        a0, b0 = a0 - 1, b0 - 1
    while a1 < len(ids_a) and b1 < len(ids_b) and ids_a[a1] == ids_b[b1]:
        a1, b1 = a1 + 1, b1 + 1
    return a0, a1, b0, b1


def _overlaps(r: tuple[int, int], s: tuple[int, int]) -> int:
    return max(0, min(r[1], s[1]) - max(r[0], s[0]))


def _sequence_ratio(first: np.ndarray, second: np.ndarray) -> float:
    """difflib's ``SequenceMatcher(None, first, second, autojunk=False).ratio()`` (reference path)."""
    return SequenceMatcher(None, first.tolist(), second.tolist(), autojunk=False).ratio()


def _compare(tok_a: Tokens, tok_b: Tokens, a0: int, a1: int, b0: int, b1: int) -> tuple[bool, float]:
    """Whether tokens ``a0:a1`` of ``a`` equal tokens ``b0:b1`` of ``b``, and their difflib ratio (reference path)."""
    ids_a, ids_b = tok_a.ids[a0:a1], tok_b.ids[b0:b1]
    if len(ids_a) == len(ids_b) and bool(np.all(ids_a == ids_b)):
        return True, 1.0
    # SequenceMatcher's greedy matching is not symmetric; a canonical argument order makes align(a, b) mirror align(b, a)
    first, second = (ids_b, ids_a) if ids_b.tolist() < ids_a.tolist() else (ids_a, ids_b)
    return False, _sequence_ratio(first, second)


def _passages(
    chains: list[tuple[int, int, int, int]], tok_a: Tokens, tok_b: Tokens,
    compare: Callable[[Tokens, Tokens, int, int, int, int], tuple[bool, float]] = _compare,
) -> list[Span]:
    """Spans of the extended chains of one pair: longest first, dropping chains mostly inside a kept one."""
    chains = sorted(chains, key=lambda c: (-(c[1] - c[0] + c[3] - c[2]), c))
    kept: list[tuple[int, int, int, int]] = []
    for c in chains:
        if any(
            _overlaps((c[0], c[1]), (k[0], k[1])) * 2 > c[1] - c[0] and _overlaps((c[2], c[3]), (k[2], k[3])) * 2 > c[3] - c[2]
            for k in kept
        ):
            continue
        kept.append(c)
    spans = []
    for a0, a1, b0, b1 in sorted(kept):
        same, sim = compare(tok_a, tok_b, a0, a1, b0, b1)
        spans.append(
            Span(
                a_start=int(tok_a.starts[a0]), a_end=int(tok_a.ends[a1 - 1]),
                b_start=int(tok_b.starts[b0]), b_end=int(tok_b.ends[b1 - 1]),
                a_tokens=(a0, a1), b_tokens=(b0, b1),
                kind="verbatim" if same else "near-verbatim", similarity=round(sim, 4),
            )
        )
    return spans


def align(tok_a: Tokens, tok_b: Tokens, seeds_a: np.ndarray, seeds_b: np.ndarray, config: AlignConfig = AlignConfig(), stock: np.ndarray | None = None) -> list[Span]:
    """Aligned passages of two texts.

    Parameters
    ----------
    tok_a, tok_b : Tokens
        Tokens of both texts.
    seeds_a, seeds_b : numpy.ndarray of uint64
        Their ``config.seed_size``-word shingles.
    config : AlignConfig
        Gap, shift, length and coverage limits.
    stock : numpy.ndarray of uint64, optional
        Sorted seeds to ignore (phrases frequent in the corpus).

    Returns
    -------
    list of Span
        Passages sorted by their start in ``a``; no two overlap by more than half on both sides.
    """
    n = config.seed_size
    i, j = seed_matches(seeds_a, seeds_b, stock, config.max_seed_repeats)
    if len(i) == 0:
        return []
    chains = []
    for a0, a1, b0, b1, cov_a, cov_b in chain(i, j, n, config):
        la, lb = a1 - a0, b1 - b0
        if min(la, lb) < config.min_passage_tokens:
            continue
        if cov_a < config.min_matched_share * la or cov_b < config.min_matched_share * lb:
            continue
        chains.append(_extend(a0, a1, b0, b1, tok_a.ids, tok_b.ids))
    return _passages(chains, tok_a, tok_b)


def align_many(
    tokens: Sequence[Tokens],
    pairs: np.ndarray,
    config: AlignConfig = AlignConfig(),
    stock: np.ndarray | None = None,
    seeds: tuple[np.ndarray, np.ndarray] | None = None,
    compiled: bool = True,
    progress: Callable[[int, int], None] | None = None,
    jobs: int = 1,
) -> list[tuple[Span, ...]]:
    """Aligned passages of many pairs of texts: ``align(tokens[a], tokens[b], ...)`` for every row ``(a, b)`` of ``pairs``.

    Parameters
    ----------
    tokens : sequence of Tokens
        The texts.
    pairs : numpy.ndarray of int, shape (m, 2)
        Indices into ``tokens``; ``a`` of a row is the ``a`` side of its spans.
    config : AlignConfig
        Gap, shift, length and coverage limits.
    stock : numpy.ndarray of uint64, optional
        Sorted seeds to ignore (phrases frequent in the corpus).
    seeds : tuple of numpy.ndarray, optional
        ``(hashes, offsets)`` of the texts' ``config.seed_size``-word shingles as from
        :func:`reuse.shingle.shingle_groups`; made here when not given.
    compiled : bool
        Use the numba kernels (default): seeds are sorted once per text instead of once per
        pair, and matching, chaining and extension run compiled.  ``False`` calls
        :func:`align` per pair (the reference); both give the same spans.
    progress : callable, optional
        Called as ``progress(done, total)`` after each block of pairs.
    jobs : int
        Threads matching and chaining blocks of pairs (the compiled kernels release the GIL);
        the spans are the same, in the same order.

    Returns
    -------
    list of tuple of Span
        One tuple per row of ``pairs``: the spans :func:`align` returns, in its order.
    """
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    lengths = np.array([len(t.ids) for t in tokens], dtype=np.int64)
    toffs = np.concatenate(([0], np.cumsum(lengths)))
    ids = np.concatenate([t.ids for t in tokens]).astype(np.uint64, copy=False) if toffs[-1] else np.zeros(1, dtype=np.uint64)
    if seeds is None:
        seeds = shingle_groups([ids[u:v] for u, v in pairwise(toffs.tolist())], config.seed_size)  # views of one buffer: one call
    hashes, offsets = seeds
    kernels = _kernels() if compiled else None
    out: list[tuple[Span, ...]] = []
    if kernels is None:
        for a, b in pairs.tolist():
            out.append(tuple(align(tokens[a], tokens[b], hashes[offsets[a] : offsets[a + 1]], hashes[offsets[b] : offsets[b + 1]], config, stock)))
            if progress and (len(out) % 256 == 0 or len(out) == len(pairs)):
                progress(len(out), len(pairs))
        return out
    selection, chains_of, compare_rows = kernels
    stock = np.empty(0, dtype=np.uint64) if stock is None else np.asarray(stock, dtype=np.uint64)
    vals, pos, eoffs = _eligible(selection, np.ascontiguousarray(hashes, dtype=np.uint64), np.asarray(offsets, dtype=np.int64), stock, config.max_seed_repeats, jobs)

    def chains(part: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # compiled, GIL released
        found = chains_of(
            vals, pos, eoffs, ids, toffs, part, config.seed_size, config.max_gap, config.max_shift,
            config.min_passage_tokens, float(config.min_matched_share),
        )
        same, matched = compare_rows(found, ids, toffs, part)
        return found, same, matched

    blocks = [pairs[block : block + _BLOCK] for block in range(0, len(pairs), _BLOCK)]
    done = [chains(blocks[0])] if blocks else []  # here first: threads calling unloaded kernels each load them
    pool = ThreadPoolExecutor(max_workers=jobs) if jobs > 1 and len(blocks) > 1 else None
    pending = pool.map(chains, blocks[1:]) if pool is not None else (chains(b) for b in blocks[1:])
    try:
        for part, (found, same, matched) in zip(blocks, itertools.chain(done, pending), strict=True):
            # one shared empty tuple for the many pairs without a passage (no allocation per pair)
            res: list[tuple[Span, ...]] = [()] * len(part)
            rows, same_of, matched_of, ends = found.tolist(), same.tolist(), matched.tolist(), part.tolist()
            # SequenceMatcher.ratio()'s formula on the compiled match count: the same float
            sims = [(bool(e), 1.0 if e else 2.0 * m / (r[2] - r[1] + r[4] - r[3])) for r, e, m in zip(rows, same_of, matched_of, strict=True)]
            start = 0
            while start < len(rows):
                p = rows[start][0]
                stop = start + 1
                while stop < len(rows) and rows[stop][0] == p:
                    stop += 1
                ta, tb = tokens[ends[p][0]], tokens[ends[p][1]]
                if stop - start == 1:  # most pairs: one chain, kept as it is (what _passages gives for one)
                    _, a0, a1, b0, b1 = rows[start]
                    same_words, sim = sims[start]
                    res[p] = (Span(a_start=int(ta.starts[a0]), a_end=int(ta.ends[a1 - 1]), b_start=int(tb.starts[b0]), b_end=int(tb.ends[b1 - 1]),
                                   a_tokens=(a0, a1), b_tokens=(b0, b1), kind="verbatim" if same_words else "near-verbatim", similarity=round(sim, 4)),)
                else:
                    table = {tuple(rows[k][1:]): sims[k] for k in range(start, stop)}
                    res[p] = tuple(_passages([tuple(r[1:]) for r in rows[start:stop]], ta, tb, lambda _a, _b, *c, table=table: table[c]))  # type: ignore[misc]
                start = stop
            out.extend(res)
            if progress:
                progress(len(out), len(pairs))
    finally:
        if pool is not None:
            pool.shutdown()
    return out


def token_ratios(tokens: Callable[[int], Tokens], rows: Sequence[tuple[int, int, int, int, int, int]], chunk: int = 1024) -> np.ndarray:
    """difflib ratios of token ranges: for each row ``(x, x0, x1, y, y0, y1)``, tokens ``x0:x1`` of text ``x`` against ``y0:y1`` of ``y``.

    The ratio is ``SequenceMatcher(None, first, second, autojunk=False).ratio()`` with the
    lexicographically smaller range first (as :func:`align` compares spans), from the compiled
    match count: 1.0 for equal ranges (and for two empty ones).  Rows are taken ``chunk`` at a
    time, holding the tokens of that chunk's texts only.
    """
    table = np.asarray(rows, dtype=np.int64).reshape(-1, 6)
    out = np.empty(len(table))
    kernels = _kernels()
    for lo in range(0, len(table), chunk):
        part = table[lo : lo + chunk]
        involved, local = np.unique(part[:, [0, 3]], return_inverse=True)
        local = local.reshape(-1, 2)
        toks = [tokens(int(k)) for k in involved.tolist()]
        total = (part[:, 2] - part[:, 1]) + (part[:, 5] - part[:, 4])
        if kernels is None:  # pragma: no cover - numba is a dependency
            for r, (_, x0, x1, _, y0, y1) in enumerate(part.tolist()):
                out[lo + r] = _compare(toks[local[r, 0]], toks[local[r, 1]], x0, x1, y0, y1)[1] if total[r] else 1.0
            continue
        lengths = np.array([len(t.ids) for t in toks], dtype=np.int64)
        toffs = np.concatenate(([0], np.cumsum(lengths)))
        ids = np.concatenate([t.ids for t in toks]).astype(np.uint64, copy=False) if toffs[-1] else np.zeros(1, dtype=np.uint64)
        ranges = np.column_stack([np.arange(len(part)), part[:, 1], part[:, 2], part[:, 4], part[:, 5]])
        same, matched = kernels[2](ranges, ids, toffs, local)
        out[lo : lo + len(part)] = np.where(same | (total == 0), 1.0, 2.0 * matched / np.maximum(total, 1))
    return out


def _eligible(selection: tuple[Any, Any], hashes: np.ndarray, offsets: np.ndarray, stock: np.ndarray, max_repeats: int, jobs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every text's eligible seeds (values, positions) and their offsets, texts split into ``jobs`` runs of about equal seeds on threads."""
    seen_twice, eligible = selection
    twice, shift = seen_twice(hashes)
    n = len(offsets) - 1
    eligible(hashes, offsets, twice, shift, stock, max_repeats, 0, 0)  # loaded here once: threads calling an unloaded kernel each load it
    # text boundaries nearest to equal shares of the seeds (the work of a text grows with its seeds)
    cuts = np.unique(np.searchsorted(offsets, np.linspace(0, offsets[-1], max(1, jobs) + 1)).clip(0, n))
    cuts[0], cuts[-1] = 0, n
    runs = [(int(u), int(v)) for u, v in pairwise(cuts.tolist()) if v > u] or [(0, n)]
    if len(runs) == 1:
        parts = [eligible(hashes, offsets, twice, shift, stock, max_repeats, *runs[0])]
    else:
        with ThreadPoolExecutor(max_workers=len(runs)) as pool:
            parts = list(pool.map(lambda r: eligible(hashes, offsets, twice, shift, stock, max_repeats, *r), runs))
    counts = np.concatenate([c for _, _, c in parts])
    return np.concatenate([v for v, _, _ in parts]), np.concatenate([p for _, p, _ in parts]), np.concatenate(([0], np.cumsum(counts)))


@cache
def _kernels():  # returns three numba dispatchers, or None
    """Compiled seed selection, chaining, range comparison and difflib match count for :func:`align_many`."""
    jit = compiler()
    if jit is None:  # pragma: no cover - numba is a dependency; align() stays as reference
        return None

    @jit
    def seen_twice(hashes):  # pragma: no cover - compiled
        # a bitmap of the hash buckets seen at least twice among all texts' seeds: a seed held by one text
        # only cannot match at all, and the bitmap drops most of those (a superset of the shared seeds
        # survives, so no match is lost)
        total = hashes.shape[0]
        bits = 10
        while (1 << bits) < 16 * total and bits < 25:  # two 4 MB tables at most: cache misses cost more than extra survivors
            bits += 1
        seen = np.zeros(1 << (bits - 6), dtype=np.uint64)
        twice = np.zeros(1 << (bits - 6), dtype=np.uint64)
        shift = np.uint64(64 - bits)
        for t in range(total):
            bucket = hashes[t] >> shift
            word = np.int64(bucket >> np.uint64(6))
            bit = np.uint64(1) << (bucket & np.uint64(63))
            if seen[word] & bit:
                twice[word] |= bit
            else:
                seen[word] |= bit
        return twice, shift

    @jit
    def eligible(hashes, offsets, twice, shift, stock, max_repeats, first, last):  # pragma: no cover - compiled
        # per text of first..last-1: its seeds sorted by (value, position) keeping those seed_matches would
        # use: in a bucket seen twice, not stock and at most max_repeats times in the text (a match needs
        # both sides eligible); returns the seeds and each text's count
        total = offsets[last] - offsets[first]
        vals = np.empty(total, dtype=np.uint64)
        pos = np.empty(total, dtype=np.int64)
        counts = np.zeros(last - first, dtype=np.int64)
        longest = 0
        for d in range(first, last):
            longest = max(longest, offsets[d + 1] - offsets[d])
        seg = np.empty(longest, dtype=np.uint64)
        at = np.empty(longest, dtype=np.int64)
        w = 0
        for d in range(first, last):
            lo, hi = offsets[d], offsets[d + 1]
            m = 0
            for t in range(lo, hi):
                bucket = hashes[t] >> shift
                if twice[np.int64(bucket >> np.uint64(6))] & (np.uint64(1) << (bucket & np.uint64(63))):
                    seg[m] = hashes[t]
                    at[m] = t - lo
                    m += 1
            order = np.argsort(seg[:m], kind="mergesort")  # stable: equal seeds keep position order
            r = 0
            start = w
            while r < m:
                v = seg[order[r]]
                e = r + 1
                while e < m and seg[order[e]] == v:
                    e += 1
                ok = e - r <= max_repeats
                if ok and stock.shape[0] > 0:
                    k = np.searchsorted(stock, v)
                    ok = not (k < stock.shape[0] and stock[k] == v)
                if ok:
                    for t in range(r, e):
                        vals[w] = v
                        pos[w] = at[order[t]]
                        w += 1
                r = e
            counts[d - first] = w - start
        return vals[:w], pos[:w], counts

    @jit
    def chains_of(vals, pos, eoffs, ids, toffs, pairs, n, max_gap, max_shift, min_tokens, min_share):  # pragma: no cover - compiled
        # rows (pair, a0, a1, b0, b1): the chains align() keeps, already extended; see chain() and align()
        longest = 1
        for d in range(eoffs.shape[0] - 1):
            longest = max(longest, eoffs[d + 1] - eoffs[d])
        cap = longest * 4  # a seed value repeats at most 4 times per text, so matches <= 4 * eligible seeds of a
        mi = np.empty(cap, dtype=np.int64)
        mj = np.empty(cap, dtype=np.int64)
        key = np.empty(cap, dtype=np.int64)
        act = np.empty((cap, 6), dtype=np.int64)  # a_first, b_first, a_last, b_last, cov_a, cov_b
        out = np.empty((64, 5), dtype=np.int64)
        w = 0
        for p in range(pairs.shape[0]):
            a, b = pairs[p, 0], pairs[p, 1]
            ia, ea, ib, eb = eoffs[a], eoffs[a + 1], eoffs[b], eoffs[b + 1]
            m = 0
            while ia < ea and ib < eb:
                va, vb = vals[ia], vals[ib]
                if va < vb:
                    ia += 1
                elif vb < va:
                    ib += 1
                else:
                    ra = ia
                    while ra < ea and vals[ra] == va:
                        ra += 1
                    rb = ib
                    while rb < eb and vals[rb] == va:
                        rb += 1
                    for x in range(ia, ra):
                        for y in range(ib, rb):
                            mi[m] = pos[x]
                            mj[m] = pos[y]
                            m += 1
                    ia, ib = ra, rb
            if m == 0:
                continue
            span_b = eoffs[b + 1] - eoffs[b] + toffs[b + 1] - toffs[b] + 1  # > any position in b
            for t in range(m):
                key[t] = mi[t] * span_b + mj[t]
            order = np.argsort(key[:m])  # keys are distinct: order by i, then j, as seed_matches
            na = 0
            x = y = 0
            for t in range(m + 1):
                if t < m:
                    x, y = mi[order[t]], mj[order[t]]
                best, best_gap = -1, 0
                keep = 0
                for c in range(na):
                    if t < m and x - (act[c, 2] + n) <= max_gap:
                        # still active (chain(): matches come in order of i)
                        if c != keep:
                            act[keep, :] = act[c, :]
                        if x > act[keep, 2] and y > act[keep, 3]:
                            gap_a, gap_b = x - (act[keep, 2] + n), y - (act[keep, 3] + n)
                            if gap_b <= max_gap and abs((y - x) - (act[keep, 3] - act[keep, 2])) <= max_shift:
                                gap = max(gap_a, gap_b)
                                if best < 0 or gap < best_gap:
                                    best, best_gap = keep, gap
                        keep += 1
                        continue
                    # done: the length and coverage tests of align(), then _extend()
                    a0, a1, b0, b1 = act[c, 0], act[c, 2] + n, act[c, 1], act[c, 3] + n
                    la, lb = a1 - a0, b1 - b0
                    if min(la, lb) < min_tokens or act[c, 4] < min_share * la or act[c, 5] < min_share * lb:
                        continue
                    oa, ob = toffs[a], toffs[b]
                    lena, lenb = toffs[a + 1] - oa, toffs[b + 1] - ob
                    while a0 > 0 and b0 > 0 and ids[oa + a0 - 1] == ids[ob + b0 - 1]:
                        a0 -= 1
                        b0 -= 1
                    while a1 < lena and b1 < lenb and ids[oa + a1] == ids[ob + b1]:
                        a1 += 1
                        b1 += 1
                    if w == out.shape[0]:
                        grown = np.empty((2 * w, 5), dtype=np.int64)
                        grown[:w] = out
                        out = grown
                    out[w, 0], out[w, 1], out[w, 2], out[w, 3], out[w, 4] = p, a0, a1, b0, b1
                    w += 1
                na = keep
                if t == m:
                    break
                if best < 0:
                    act[na, 0], act[na, 1], act[na, 2], act[na, 3], act[na, 4], act[na, 5] = x, y, x, y, n, n
                    na += 1
                else:
                    act[best, 4] += min(n, x - act[best, 2])
                    act[best, 5] += min(n, y - act[best, 3])
                    act[best, 2], act[best, 3] = x, y
        return out[:w]

    @jit
    def compare_rows(rows, ids, toffs, pairs):  # pragma: no cover - compiled
        # per chain row (pair, a0, a1, b0, b1): whether both token ranges are equal, else the
        # difflib match count with the lexicographically smaller range first (as _compare does)

        def matched(a, b):  # an inner function: a cached kernel calling another dispatcher is recompiled in every process
            # sum of difflib's get_matching_blocks() sizes, no junk: recursive longest match, ties to the
            # earliest start in a then in b (the junk and popular extensions of find_longest_match are then no-ops)
            la, lb = a.shape[0], b.shape[0]
            order = np.argsort(b, kind="mergesort")
            sb = b[order]
            prev = np.zeros(lb + 1, dtype=np.int64)  # prev[j + 1]: match length ending at (i - 1, j)
            cur = np.zeros(lb + 1, dtype=np.int64)
            prev_t = np.empty(lb + 1, dtype=np.int64)
            cur_t = np.empty(lb + 1, dtype=np.int64)
            stack = np.empty((la + lb + 2, 4), dtype=np.int64)
            stack[0, 0], stack[0, 1], stack[0, 2], stack[0, 3] = 0, la, 0, lb
            top = 1
            total = 0
            while top > 0:
                top -= 1
                alo, ahi, blo, bhi = stack[top, 0], stack[top, 1], stack[top, 2], stack[top, 3]
                besti, bestj, bestsize = alo, blo, 0
                n_prev = 0
                for i in range(alo, ahi):
                    lo = np.searchsorted(sb, a[i], side="left")
                    hi = np.searchsorted(sb, a[i], side="right")
                    n_cur = 0
                    for t in range(lo, hi):
                        j = order[t]
                        if j < blo:
                            continue
                        if j >= bhi:
                            break
                        k = prev[j] + 1
                        cur[j + 1] = k
                        cur_t[n_cur] = j + 1
                        n_cur += 1
                        if k > bestsize:
                            besti, bestj, bestsize = i - k + 1, j - k + 1, k
                    for t in range(n_prev):
                        prev[prev_t[t]] = 0
                    prev, cur = cur, prev
                    prev_t, cur_t = cur_t, prev_t
                    n_prev = n_cur
                for t in range(n_prev):
                    prev[prev_t[t]] = 0
                if bestsize:
                    total += bestsize
                    if alo < besti and blo < bestj:
                        stack[top, 0], stack[top, 1], stack[top, 2], stack[top, 3] = alo, besti, blo, bestj
                        top += 1
                    if besti + bestsize < ahi and bestj + bestsize < bhi:
                        stack[top, 0], stack[top, 1], stack[top, 2], stack[top, 3] = besti + bestsize, ahi, bestj + bestsize, bhi
                        top += 1
            return total

        same = np.zeros(rows.shape[0], dtype=np.bool_)
        count = np.zeros(rows.shape[0], dtype=np.int64)
        for r in range(rows.shape[0]):
            oa, ob = toffs[pairs[rows[r, 0], 0]], toffs[pairs[rows[r, 0], 1]]
            x = ids[oa + rows[r, 1] : oa + rows[r, 2]]
            y = ids[ob + rows[r, 3] : ob + rows[r, 4]]
            k = 0
            while k < x.shape[0] and k < y.shape[0] and x[k] == y[k]:
                k += 1
            if k == x.shape[0] and k == y.shape[0]:
                same[r] = True
            elif k == y.shape[0] or (k < x.shape[0] and y[k] < x[k]):  # y sorts first as a list
                count[r] = matched(y, x)
            else:
                count[r] = matched(x, y)
        return same, count

    return (seen_twice, eligible), chains_of, compare_rows
