"""Reprint clusters: aligned spans of document pairs grouped into one record per reused text.

A text carried by ``k`` documents reaches this stage as about ``k`` aligned pairs (each
carrier against the first document of an LSH bucket or shingle posting: star pairs, see
:mod:`reuse.lsh`), and leaves it as one :class:`Cluster` of ``k`` members:

1. every aligned span is a node (a document and a character interval); the two sides of
   an alignment are one text, so they are joined;
2. within one document, two spans are the same text when each overlaps the other by at
   least ``ClusterConfig.min_overlap`` of its length (mutual overlap: a short background
   sentence inside a long syndicated passage stays a text of its own);
3. joined nodes form a cluster; a document's spans in it merge into its member spans;
4. the cluster's kind (:func:`classify`): syndication, stock or boilerplate, by length and
   spread;
5. its origin (:func:`origin_of`): the earliest dated member, or a member the others
   credit, or unknown with the reason;
6. its representative: the origin when known, else the member aligned with most others;
   every member's similarity is measured against it.

Families (:func:`families_of`) are the documents joined by syndication clusters only, and
pair rows (:func:`pairs_of`) are derived from clusters for users who want them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import median

import numpy as np

from reuse.align import Span, token_ratios
from reuse.anchors import quotes
from reuse.config import ClusterConfig
from reuse.text import Tokens

#: Cluster kinds, in the order clusters are listed.
KINDS = ("syndication", "stock", "boilerplate")


@dataclass(frozen=True)
class Carrier:
    """What the cluster stage needs to know of one analysed document.

    Attributes
    ----------
    id : str
        The document id.
    date : str or None
        Its date (``YYYY-MM-DD``), if known.
    source : str or None
        Its outlet (``source`` metadata), if known: a member crediting another's outlet names its origin.
    words : int
        Its number of word tokens.
    """

    id: str
    date: str | None
    source: str | None
    words: int


@dataclass(frozen=True)
class Member:
    """One document's copy of a cluster's text: ``text[start:end]`` of document ``id``.

    ``similarity`` is the word-level ratio (difflib's ``2 * matches / total``) of this span
    to the cluster's representative span (1.0 for the representative itself).
    """

    id: str
    start: int
    end: int
    words: int
    similarity: float


@dataclass(frozen=True)
class Origin:
    """Which member is the likely origin of a cluster's text, and on what grounds.

    ``basis`` is ``date`` (the earliest dated member), ``credit`` (the other earliest members
    credit its outlet) or ``unknown`` (``id`` is None; ``reason`` says why).
    """

    id: str | None
    basis: str
    reason: str


@dataclass(frozen=True)
class Cluster:
    """One reused text and every document that carries it.

    Attributes
    ----------
    id : str
        ``c1``, ``c2``, ... in the order clusters are listed (kind, then size, then length).
    kind : str
        ``syndication``, ``stock`` or ``boilerplate`` (:func:`classify`).
    reason : str
        Why the cluster has its kind, in words.
    size : int
        Number of distinct member documents.
    words : int
        Words of the representative text.
    representative : Member
        The member whose text stands for the cluster.
    text : str
        The representative's text.
    origin : Origin
        The likely origin.
    members : tuple of Member
        Every member span, sorted by document id and start.
    """

    id: str
    kind: str
    reason: str
    size: int
    words: int
    representative: Member
    text: str
    origin: Origin
    members: tuple[Member, ...]


@dataclass(frozen=True)
class Family:
    """Documents joined by syndication clusters (2+ documents), with the clusters that join them."""

    id: str
    documents: tuple[str, ...]
    clusters: tuple[str, ...]


@dataclass(frozen=True)
class Passage:
    """A pair row: the text of a syndication cluster as carried by two of its members (``a < b`` by id)."""

    cluster: str
    a: str
    a_start: int
    a_end: int
    b: str
    b_start: int
    b_end: int
    kind: str
    similarity: float
    text_a: str
    text_b: str


# --------------------------------------------------------------------------- linking


class _Links:
    """Union-find over span nodes (the only state of the stage)."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    def union(self, x: int, y: int) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            self.parent[max(rx, ry)] = min(rx, ry)


def link_spans(doc: np.ndarray, start: np.ndarray, end: np.ndarray, min_overlap: float) -> np.ndarray:
    """Component label of every span node, nodes ``2i`` and ``2i+1`` being the two sides of alignment ``i``.

    Parameters
    ----------
    doc, start, end : numpy.ndarray of int64
        Each node's document and character interval.
    min_overlap : float
        Spans of one document overlapping by at least this share of each are the same text.

    Returns
    -------
    numpy.ndarray of int64
        A label per node; nodes of one text share it (the smallest node index of the component).
    """
    n = len(doc)
    links = _Links(n)
    for i in range(0, n - 1, 2):
        links.union(i, i + 1)
    order = np.lexsort((end, start, doc))
    d, s, e = doc[order].tolist(), start[order].tolist(), end[order].tolist()
    nodes = order.tolist()
    k = 0
    while k < n:
        stop = k
        while stop < n and d[stop] == d[k]:
            stop += 1
        active: list[tuple[int, int, int]] = []  # (end, start, node) of this document's spans still open
        prev: tuple[int, int] | None = None
        for x in range(k, stop):
            if prev == (s[x], e[x]):  # an identical interval is the same text: one comparison serves both
                links.union(nodes[x], nodes[x - 1])
                continue
            prev = (s[x], e[x])
            active = [a for a in active if a[0] > s[x]]
            length = e[x] - s[x]
            for a_end, a_start, node in active:
                overlap = min(a_end, e[x]) - s[x]  # a_start <= s[x]
                if overlap >= min_overlap * length and overlap >= min_overlap * (a_end - a_start):
                    links.union(nodes[x], node)
            active.append((e[x], s[x], nodes[x]))
        k = stop
    return np.array([links.find(i) for i in range(n)], dtype=np.int64)


def _merged(intervals: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Overlapping ``(start, end, token_start, token_end)`` intervals of one document merged, sorted."""
    out: list[list[int]] = []
    for s, e, ts, te in sorted(intervals):
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
            out[-1][3] = max(out[-1][3], te)
        else:
            out.append([s, e, ts, te])
    return [(a, b, c, d) for a, b, c, d in out]


# --------------------------------------------------------------------------- kind and origin


def syndication_words(docs: int, config: ClusterConfig) -> int:
    """Fewest words a text carried by ``docs`` documents needs to count as syndication."""
    return math.ceil(config.syndication_min_words + config.words_per_doubling * math.log2(max(docs, 2) / 2))


def quotation_share(text: str, start: int, end: int) -> float:
    """Share of ``text[start:end]`` inside quotation marks (the quotations of its lines: :func:`reuse.anchors.quotes`)."""
    if end <= start:
        return 0.0
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    inside = 0
    for q in quotes(text, lo, len(text) if hi < 0 else hi):
        inside += max(0, min(end, q.end) - max(start, q.start))
    return inside / (end - start)


def classify(words: int, docs: int, n_docs: int, cover: float, config: ClusterConfig, quoted: float = 0.0) -> tuple[str, str]:
    """The kind of a cluster and why, from its length and spread.

    Parameters
    ----------
    words : int
        Words of the cluster's representative text.
    docs : int
        Independent documents carrying it (copies of one syndicated text count once).
    n_docs : int
        Analysed documents in the corpus.
    cover : float
        Median share of a carrier's words that the text takes.
    config : ClusterConfig
        The rule's constants (documented there).
    quoted : float
        Share of the text inside quotation marks (:func:`quotation_share`).

    Returns
    -------
    kind, reason : str
    """
    if docs >= config.boilerplate_min_docs and docs >= config.boilerplate_min_share * n_docs and cover <= config.boilerplate_max_cover:
        return "boilerplate", f"{docs} of {n_docs} documents carry it, {cover:.0%} of a typical one"
    need = syndication_words(docs, config)
    if quoted >= config.quotation_share:
        return "stock", f"a quotation ({quoted:.0%} of the text), {words} words: its carriers quote one speaker"
    if words < need:
        return "stock", f"{words} words, {docs} independent carriers; syndication needs {need} words"
    return "syndication", f"{words} words, {docs} independent carriers (syndication needs {need} words)"


def origin_of(
    members: Sequence[int], carriers: Sequence[Carrier], credits: Callable[[int, str], bool] | None = None
) -> tuple[int | None, Origin]:
    """The likely origin among the member documents (indices into ``carriers``), and the grounds.

    The earliest dated member; when several share the earliest date (or none is dated), the
    one whose outlet all the others' texts credit ("wie Reuters berichtet"), when exactly one
    is; else unknown, with the reason.  Undated members are never preferred to dated ones:
    nothing says when they appeared.
    """
    dated = sorted((carriers[m].date, carriers[m].id, m) for m in members if carriers[m].date)
    if dated:
        first = dated[0][0]
        tied = [m for date, _, m in dated if date == first]
        if len(tied) == 1:
            return tied[0], Origin(carriers[tied[0]].id, "date", f"the earliest date, {first}")
        why = f"{len(tied)} members share the earliest date, {first}"
    else:
        tied = sorted(members, key=lambda m: carriers[m].id)
        why = "no member is dated"
    if credits is not None:
        credited = [
            m for m in tied
            if carriers[m].source and all(credits(o, str(carriers[m].source)) for o in tied if o != m and carriers[o].source != carriers[m].source)
        ]
        if len(credited) == 1:
            m = credited[0]
            return m, Origin(carriers[m].id, "credit", f"the other members credit its outlet, {carriers[m].source}")
    return None, Origin(None, "unknown", f"{why}, and no credit decides")


# --------------------------------------------------------------------------- clusters


@dataclass(frozen=True)
class _Draft:
    """A cluster before its kind and id: member documents (indices) with their merged intervals."""

    spans: tuple[tuple[int, tuple[int, int, int, int]], ...]  # (document, (start, end, token_start, token_end)), by id then start
    docs: frozenset[int]
    origin: int
    found: Origin
    rep: tuple[int, int, int, int]
    similarity: tuple[float, ...]  # per span, to the representative

    def cover(self, carriers: Sequence[Carrier]) -> float:
        """Median share of a carrier's words inside its spans of this cluster."""
        words: dict[int, int] = {}
        for d, iv in self.spans:
            words[d] = words.get(d, 0) + iv[3] - iv[2]
        return float(median(w / max(carriers[d].words, 1) for d, w in words.items()))


def _drafts(
    spans: Sequence[tuple[int, int, Span]], carriers: Sequence[Carrier], tokens: Callable[[int], Tokens],
    config: ClusterConfig, credits: Callable[[int, str], bool] | None,
) -> list[_Draft]:
    """Linked spans grouped per text, each with its origin, representative and member similarities."""
    m = len(spans)
    table = np.array(
        [(a, s.a_start, s.a_end, *s.a_tokens, b, s.b_start, s.b_end, *s.b_tokens) for a, b, s in spans], dtype=np.int64
    ).reshape(m, 10)
    doc, start, end = table[:, [0, 5]].ravel(), table[:, [1, 6]].ravel(), table[:, [2, 7]].ravel()
    tok0, tok1 = table[:, [3, 8]].ravel(), table[:, [4, 9]].ravel()
    label = link_spans(doc, start, end, config.min_overlap)
    rank = np.empty(len(carriers), dtype=np.int64)
    rank[sorted(range(len(carriers)), key=lambda k: carriers[k].id)] = np.arange(len(carriers))
    # nodes by text, then member document (by id), then start: each (text, document) run's overlapping spans merge
    order = np.lexsort((start, rank[doc], label))
    lab, d, s, e, t0, t1 = label[order], doc[order], start[order], end[order], tok0[order], tok1[order]
    new_run = np.concatenate(([True], (lab[1:] != lab[:-1]) | (d[1:] != d[:-1])))
    run = np.cumsum(new_run) - 1
    degree = np.bincount(run)  # alignments each member document takes part in
    shift = run * (int(e.max()) + 1)  # a running maximum of ends that restarts with every run
    reach = np.maximum.accumulate(e + shift) - shift
    new_span = new_run | (s >= np.concatenate(([-1], reach[:-1])))
    first = np.flatnonzero(new_span)
    merged = np.column_stack([s[first], np.maximum.reduceat(e, first), t0[first], np.maximum.reduceat(t1, first)]).tolist()
    span_run = run[first]
    run_doc, run_label = d[new_run].tolist(), lab[new_run].tolist()
    span_first = [*np.searchsorted(span_run, np.arange(len(run_doc))).tolist(), len(merged)]
    parts = []
    rows: list[tuple[int, int, int, int, int, int]] = []  # every member span against its representative: one compiled call
    lo = 0
    while lo < len(run_doc):
        hi = lo
        while hi < len(run_doc) and run_label[hi] == run_label[lo]:
            hi += 1
        runs = range(lo, hi)  # this text's member documents, by id
        origin_run = None
        found_at, found = origin_of([run_doc[r] for r in runs], carriers, credits)
        if found_at is not None:
            origin_run = next(r for r in runs if run_doc[r] == found_at)
        else:  # the member aligned with most others (a star's centre), then the longest, then the first id
            origin_run = min(runs, key=lambda r: (-degree[r], -(merged[span_first[r]][3] - merged[span_first[r]][2]), r))
        origin, rep = run_doc[origin_run], tuple(merged[span_first[origin_run]])
        members = tuple((run_doc[r], tuple(merged[i])) for r in runs for i in range(span_first[r], span_first[r + 1]))
        rows.extend((md, iv[2], iv[3], origin, rep[2], rep[3]) for md, iv in members)
        parts.append((members, frozenset(run_doc[r] for r in runs), origin, found, rep))
        lo = hi
    ratios = token_ratios(tokens, rows).tolist()
    drafts, at = [], 0
    for members, docs, origin, found, rep in parts:
        drafts.append(_Draft(members, docs, origin, found, rep, tuple(ratios[at : at + len(members)])))  # type: ignore[arg-type]
        at += len(members)
    return drafts


def _spreads(drafts: Sequence[_Draft], syndication: Sequence[bool], config: ClusterConfig) -> list[int]:
    """Each cluster's independent carriers: its documents, where those whose span of it lies inside
    one *other* syndication cluster's span count once per such cluster (copies of one wire article
    carry its phrases as one carrier, however many copies there are)."""
    inside: dict[int, list[tuple[int, int, int, int]]] = {}  # document -> (start, end, words, cluster) of syndication spans
    for c, (draft, flag) in enumerate(zip(drafts, syndication, strict=True)):
        if flag:
            for d, iv in draft.spans:
                inside.setdefault(d, []).append((iv[0], iv[1], iv[3] - iv[2], c))
    out = []
    for c, draft in enumerate(drafts):
        carriers: set[tuple[str, int]] = set()
        for d, (s, e, _, _) in draft.spans:
            hosts = [(-w, h) for hs, he, w, h in inside.get(d, ()) if h != c and min(he, e) - max(hs, s) >= config.min_overlap * (e - s) and he - hs > e - s]
            carriers.add(("cluster", min(hosts)[1]) if hosts else ("document", d))
        out.append(len(carriers))
    return out


def build_clusters(
    spans: Sequence[tuple[int, int, Span]],
    carriers: Sequence[Carrier],
    tokens: Callable[[int], Tokens],
    text: Callable[[int], str],
    config: ClusterConfig = ClusterConfig(),
    credits: Callable[[int, str], bool] | None = None,
) -> tuple[Cluster, ...]:
    """Group aligned spans into reprint clusters.

    A cluster's spread is counted in *independent* carriers: where its span lies inside another
    syndication cluster's span, the copies of that text count once, so a phrase of a wire
    article carried by its 25 copies and by one other report has a spread of two, not 26.
    Kinds are therefore found in two passes: the length rule on raw counts marks the
    syndicated texts, then every cluster is classed on its independent carriers (:func:`classify`).

    Parameters
    ----------
    spans : sequence of (int, int, Span)
        Aligned passages ``(a, b, span)`` between documents ``a`` and ``b`` (indices into ``carriers``).
    carriers : sequence of Carrier
        The analysed documents.
    tokens : callable
        ``tokens(k)``: document ``k``'s tokens (for word counts and similarity to the representative).
    text : callable
        ``text(k)``: document ``k``'s text (the representative text is quoted from it).
    config : ClusterConfig
        Overlap and kind rule.
    credits : callable, optional
        ``credits(k, outlet)``: whether document ``k`` credits ``outlet`` as a source (origin by credit).

    Returns
    -------
    tuple of Cluster
        Sorted by kind (syndication, stock, boilerplate), then size and length (largest first),
        then the representative's id; ids ``c1``, ``c2``, ... in that order.
    """
    if not spans:
        return ()
    drafts = _drafts(spans, carriers, tokens, config, credits)
    words = [d.rep[3] - d.rep[2] for d in drafts]
    quoted = [quotation_share(text(d.origin), d.rep[0], d.rep[1]) for d in drafts]
    first = [w >= syndication_words(len(d.docs), config) and q < config.quotation_share for d, w, q in zip(drafts, words, quoted, strict=True)]
    out = []
    for draft, w, q, spread in zip(drafts, words, quoted, _spreads(drafts, first, config), strict=True):
        kind, reason = classify(w, spread, len(carriers), draft.cover(carriers), config, q)
        if spread < len(draft.docs):
            reason += f" ({len(draft.docs)} documents; copies of one syndicated text count once)"
        members = tuple(
            Member(id=carriers[d].id, start=iv[0], end=iv[1], words=iv[3] - iv[2], similarity=round(float(sim), 4))
            for (d, iv), sim in zip(draft.spans, draft.similarity, strict=True)
        )
        rep = members[draft.spans.index((draft.origin, draft.rep))]
        out.append((kind, reason, draft, rep, members, text(draft.origin)[draft.rep[0] : draft.rep[1]]))
    out.sort(key=lambda c: (KINDS.index(c[0]), -len(c[2].docs), -c[3].words, c[3].id, c[3].start))
    return tuple(
        Cluster(id=f"c{i}", kind=kind, reason=reason, size=len(draft.docs), words=rep.words, representative=rep, text=quoted,
                origin=draft.found, members=members)
        for i, (kind, reason, draft, rep, members, quoted) in enumerate(out, 1)
    )


def families_of(clusters: Sequence[Cluster]) -> tuple[Family, ...]:
    """Documents joined by syndication clusters: connected groups of 2+ documents, each with its clusters.

    Sorted by size (largest first), then first document id; ids ``f1``, ``f2``, ...
    """
    ids: dict[str, int] = {}
    pairs: list[tuple[int, int]] = []
    syndication = [c for c in clusters if c.kind == "syndication"]
    for c in syndication:
        docs = sorted({m.id for m in c.members})
        for name in docs:
            ids.setdefault(name, len(ids))
        pairs.extend((ids[docs[0]], ids[name]) for name in docs[1:])
    links = _Links(len(ids))
    for a, b in pairs:
        links.union(a, b)
    groups: dict[int, set[str]] = {}
    for name, k in ids.items():
        groups.setdefault(links.find(k), set()).add(name)
    of_cluster: dict[int, list[str]] = {}
    for c in syndication:
        of_cluster.setdefault(links.find(ids[c.members[0].id]), []).append(c.id)
    found = sorted(((tuple(sorted(g)), tuple(of_cluster[root])) for root, g in groups.items() if len(g) > 1), key=lambda f: (-len(f[0]), f[0]))
    return tuple(Family(id=f"f{i}", documents=docs, clusters=cl) for i, (docs, cl) in enumerate(found, 1))


def pairs_of(
    clusters: Sequence[Cluster], index: dict[str, int], tokens: Callable[[int], Tokens], text: Callable[[int], str]
) -> tuple[Passage, ...]:
    """Pair rows of the syndication clusters: every two member spans of different documents.

    Quadratic in a cluster's size by nature (what a pair-minded user asks for); stock and
    boilerplate clusters give none (their members are listed in the cluster).  ``index`` maps
    a document id to the index ``tokens`` and ``text`` take.
    """
    todo = []
    for c in clusters:
        if c.kind != "syndication":
            continue
        for i, x in enumerate(c.members):
            for y in c.members[i + 1 :]:
                if x.id != y.id:
                    a, b = (x, y) if x.id < y.id else (y, x)
                    todo.append((c.id, a, b))
    rows = []
    for _, a, b in todo:
        ta, tb = tokens(index[a.id]), tokens(index[b.id])
        rows.append((index[a.id], *_token_range(ta, a), index[b.id], *_token_range(tb, b)))
    ratios = token_ratios(tokens, rows)
    out = []
    for (cid, a, b), r in zip(todo, ratios, strict=True):
        same = r == 1.0 and a.words == b.words
        out.append(Passage(
            cluster=cid, a=a.id, a_start=a.start, a_end=a.end, b=b.id, b_start=b.start, b_end=b.end,
            kind="verbatim" if same else "near-verbatim", similarity=round(float(r), 4),
            text_a=text(index[a.id])[a.start : a.end], text_b=text(index[b.id])[b.start : b.end],
        ))
    out.sort(key=lambda p: (p.a, p.b, p.a_start, p.b_start))
    return tuple(out)


def _token_range(t: Tokens, m: Member) -> tuple[int, int]:
    """Token range ``[first, stop)`` of the tokens inside a member's character span."""
    return int(np.searchsorted(t.starts, m.start, side="left")), int(np.searchsorted(t.ends, m.end, side="right"))


__all__ = ["KINDS", "Carrier", "Cluster", "Family", "Member", "Origin", "Passage", "build_clusters", "classify", "families_of",
           "link_spans", "origin_of", "pairs_of", "quotation_share", "syndication_words"]
