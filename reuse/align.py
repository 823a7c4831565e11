"""Align two texts: chain exact seed matches into maximal passages with offsets on both sides.

Seeds are word n-grams (``AlignConfig.seed_size``) that both texts contain and
that are not stock phrases of the corpus.  Seed matches are chained while the
gaps between them stay small on both sides and the diagonal (the offset between
the texts) shifts little, so a passage survives dropped, inserted or swapped words.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from reuse.config import AlignConfig
from reuse.text import Tokens

#: A seed occurring more often than this within one text is a repeated phrase, not an anchor.
MAX_SEED_REPEATS = 4


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


def seed_matches(seeds_a: np.ndarray, seeds_b: np.ndarray, stock: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(i, j)`` where seed ``i`` of ``a`` equals seed ``j`` of ``b``, sorted by ``i`` then ``j``.

    Seeds in ``stock`` (a sorted array) and seeds repeated more than
    ``MAX_SEED_REPEATS`` times in either text are ignored.
    """
    if len(seeds_a) == 0 or len(seeds_b) == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    order_b = np.argsort(seeds_b, kind="stable")
    sorted_b = seeds_b[order_b]
    lo = np.searchsorted(sorted_b, seeds_a, side="left")
    hi = np.searchsorted(sorted_b, seeds_a, side="right")
    count = hi - lo
    ok = (count >= 1) & (count <= MAX_SEED_REPEATS)
    if stock is not None and len(stock):
        pos = np.minimum(np.searchsorted(stock, seeds_a), len(stock) - 1)
        ok &= stock[pos] != seeds_a
    if ok.any():
        _, inv, rep_a = np.unique(seeds_a, return_inverse=True, return_counts=True)
        ok &= rep_a[inv] <= MAX_SEED_REPEATS
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
    i, j = seed_matches(seeds_a, seeds_b, stock)
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
    chains.sort(key=lambda c: (-(c[1] - c[0] + c[3] - c[2]), c))
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
        ids_a, ids_b = tok_a.ids[a0:a1], tok_b.ids[b0:b1]
        same = len(ids_a) == len(ids_b) and bool(np.all(ids_a == ids_b))
        # SequenceMatcher's greedy matching is not symmetric; a canonical argument order makes align(a, b) mirror align(b, a)
        first, second = sorted((ids_a.tolist(), ids_b.tolist()))
        sim = 1.0 if same else SequenceMatcher(None, first, second, autojunk=False).ratio()
        spans.append(
            Span(
                a_start=int(tok_a.starts[a0]), a_end=int(tok_a.ends[a1 - 1]),
                b_start=int(tok_b.starts[b0]), b_end=int(tok_b.ends[b1 - 1]),
                a_tokens=(a0, a1), b_tokens=(b0, b1),
                kind="verbatim" if same else "near-verbatim", similarity=round(sim, 4),
            )
        )
    return spans
