"""Derive: drift, the anchors that changed between an aligned source unit and report sentence.

A changed date or number, a different name in the same slot ("Präsident X"; a spelling or
transliteration variant is not drift), a changed quotation.  Read off sentence pairs that align on
their own evidence (:mod:`reuse.scoring`).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from reuse.anchors import Anchor, dates, name_key, names, numbers, quotes, same_name
from reuse.config import DeriveConfig

DEFAULT_CONFIG = DeriveConfig()


@dataclass(frozen=True)
class Drift:
    """A fact that changed: ``original`` in the source became ``report`` at ``start:end`` of the report text.

    ``source_id`` names the report whose version of the unit differs (latent mode, where the
    original itself is absent); ``None`` otherwise.
    """

    kind: str
    original: str
    report: str
    start: int
    end: int
    source_id: str | None = None


def drift(report: str, r_start: int, r_end: int, source: str, s_start: int, s_end: int, config: DeriveConfig = DEFAULT_CONFIG) -> list[Drift]:
    """Anchors that changed between an aligned source unit and report sentence.

    Dates and numbers present on one side only are paired in order; names that
    differ beyond a spelling variant (:func:`reuse.anchors.same_name`) and stand
    next to the same word ("Präsident X") are a changed name; quotations that
    overlap but differ are a changed quote.

    Returns
    -------
    list of Drift
        Sorted by offset in the report text.
    """
    out: list[Drift] = []
    rd, sd = dates(report, r_start, r_end), dates(source, s_start, s_end)
    for kind, r_items, s_items in (
        ("date", rd, sd),
        ("number", numbers(report, r_start, r_end, rd), numbers(source, s_start, s_end, sd)),
    ):
        same = _same_date if kind == "date" else str.__eq__
        only_r = [a for a in r_items if not any(same(a.value, b.value) for b in s_items)]
        only_s = [a for a in s_items if not any(same(a.value, b.value) for b in r_items)]
        for ra, sa in zip(only_r, only_s, strict=False):
            out.append(Drift(kind, sa.surface, ra.surface, ra.start, ra.end))
    rn, sn = _surnames(names(report, r_start, r_end), report), _surnames(names(source, s_start, s_end), source)
    for ra in rn:
        if any(same_name(ra.value, sa.value, config.name_variant_distance) for sa in sn):
            continue
        for sa in sn:
            if any(same_name(ra.value, x.value, config.name_variant_distance) for x in sn if x is not sa) or any(
                same_name(sa.value, x.value, config.name_variant_distance) for x in rn
            ):
                continue
            if _neighbour(report, ra) & _neighbour(source, sa):
                out.append(Drift("name", sa.surface, ra.surface, ra.start, ra.end))
                break
    sq = quotes(source, s_start, s_end)
    for ra in quotes(report, r_start, r_end):
        rw = set(ra.value.split())
        best, best_j = None, 0.0
        for sa in sq:
            sw = set(sa.value.split())
            j = len(rw & sw) / max(1, len(rw | sw))
            if j > best_j:
                best, best_j = sa, j
        if best is not None and best.value != ra.value and best_j >= config.quote_drift_min:
            out.append(Drift("quote", best.surface, ra.surface, ra.start, ra.end))
    return sorted(out, key=lambda d: (d.start, d.kind))


def _same_date(a: str, b: str) -> bool:
    """Two normalised dates (``"d1-d2.m[.y]"``) name the same day when day and month agree and the
    years do too or one side gives none ("am 15. August" and "August 15, 2025")."""
    pa, pb = a.split("."), b.split(".")
    return pa[:2] == pb[:2] and (len(pa) < 3 or len(pb) < 3 or pa[2] == pb[2])


def _surnames(found: list[Anchor], text: str) -> list[Anchor]:
    """Capitalised words that end a run of two or more ("Kirill Dmitrijew", "Präsident Putin"): the
    slot where a changed name shows; the capitalised nouns of German stand alone or lead a run."""
    out = []
    # a capitalised word follows within two blanks: looked up by its start, not by a scan of every word (quadratic)
    starts = {x.start for x in found}
    for prev, cur in pairwise(found):
        gap = text[prev.end : cur.start]
        nxt_is_cap = any(s in starts and text[cur.end : s].strip() == "" for s in (cur.end + 1, cur.end + 2))
        if gap.strip() == "" and len(gap) <= 2 and not nxt_is_cap:
            out.append(cur)
    return out


def _neighbour(text: str, anchor: Anchor) -> set[str]:
    """Name keys of the words right before and after an anchor (context shared by a replaced name)."""
    before = text[max(0, anchor.start - 40) : anchor.start].split()
    after = text[anchor.end : anchor.end + 40].split()
    keys = set()
    # only a capitalised neighbour (first name, title) marks a name slot; "ukrainischer Beamter"/"ukrainischer Seite" is no name change
    if before and before[-1][:1].isupper():
        keys.add("<" + name_key(before[-1]))
    if after and after[0][:1].isupper():
        keys.add(">" + name_key(after[0]))
    return {k for k in keys if len(k) > 2}
