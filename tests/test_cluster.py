"""Reprint clusters: linking spans, the kind rule, origins, families, pair rows, and k-copy corpora end to end."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from reuse.cli import main
from reuse.cluster import Carrier, classify, link_spans, origin_of, quotation_share, syndication_words
from reuse.config import ClusterConfig, ScanConfig
from reuse.errors import ConfigError
from reuse.io import Document, documents_from_texts
from reuse.pipeline import scan
from reuse.report import render_scan

CONFIG = ClusterConfig()

# --------------------------------------------------------------------------- linking spans


def labels(nodes: list[tuple[int, int, int]]) -> list[int]:
    doc, start, end = (np.array(x, dtype=np.int64) for x in zip(*nodes, strict=True))
    return link_spans(doc, start, end, CONFIG.min_overlap).tolist()


def test_alignment_sides_are_one_text_and_overlapping_spans_of_a_document_join() -> None:
    # alignment 0: doc 0 [0, 100) ~ doc 1 [0, 100); alignment 1: doc 1 [10, 105) ~ doc 2 [0, 95): the same text
    got = labels([(0, 0, 100), (1, 0, 100), (1, 10, 105), (2, 0, 95)])
    assert len(set(got)) == 1


def test_a_short_span_inside_a_long_one_stays_its_own_text() -> None:
    # doc 1 carries a 200-character passage (shared with doc 0) and, inside it, a 20-character sentence shared with doc 2
    got = labels([(0, 0, 200), (1, 0, 200), (1, 50, 70), (2, 300, 320)])
    assert got[0] == got[1] and got[2] == got[3] and got[0] != got[2]


def test_spans_of_different_documents_never_join_by_offsets() -> None:
    got = labels([(0, 0, 100), (1, 0, 100), (2, 0, 100), (3, 0, 100)])
    assert got[0] == got[1] and got[2] == got[3] and got[0] != got[2]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 300), st.integers(1, 120)), min_size=2, max_size=40).filter(lambda x: len(x) % 2 == 0))
def test_linking_is_independent_of_order(raw: list[tuple[int, int, int]]) -> None:
    nodes = [(d, s, s + n) for d, s, n in raw]
    first = labels(nodes)
    # reverse the alignments (keeping each one's two sides together): the same grouping
    pairs = [nodes[i : i + 2] for i in range(0, len(nodes), 2)][::-1]
    again = labels([n for p in pairs for n in p])
    k = len(pairs)
    remap = {2 * i + j: 2 * (k - 1 - i) + j for i in range(k) for j in (0, 1)}
    same = {(a, b) for a in range(len(nodes)) for b in range(len(nodes)) if first[a] == first[b]}
    assert same == {(a, b) for a in range(len(nodes)) for b in range(len(nodes)) if again[remap[a]] == again[remap[b]]}


# --------------------------------------------------------------------------- the kind rule


@pytest.mark.parametrize(
    ("words", "docs", "n_docs", "cover", "kind"),
    [
        (300, 25, 25, 0.95, "syndication"),  # a wire article in 25 of 25 documents
        (9, 400, 20_000, 0.02, "stock"),  # a 9-word phrase in 400 of 20,000
        (12, 3, 40, 0.05, "stock"),  # a short topic phrase in a few documents: weak evidence
        (60, 2, 5, 0.2, "syndication"),  # a paragraph two reports share
        (40, 400, 2_000, 0.05, "stock"),  # a background paragraph in 400 reports
        (60, 30, 30, 0.24, "boilerplate"),  # a paragraph every document carries as a small part
        (60, 14, 30, 0.24, "syndication"),  # ... carried by fewer than half: syndicated to many
    ],
)
def test_classify(words: int, docs: int, n_docs: int, cover: float, kind: str) -> None:
    got, reason = classify(words, docs, n_docs, cover, CONFIG)
    assert got == kind and reason


def test_syndication_needs_more_words_the_more_documents_carry_a_text() -> None:
    need = [syndication_words(k, CONFIG) for k in (1, 2, 4, 25, 500, 20_000)]
    assert need[0] == need[1] == CONFIG.syndication_min_words
    assert need == sorted(need) and need[2] == CONFIG.syndication_min_words + CONFIG.words_per_doubling
    assert syndication_words(500, replace(CONFIG, words_per_doubling=0)) == CONFIG.syndication_min_words


def test_cluster_config_is_validated() -> None:
    with pytest.raises(ConfigError, match="min_overlap"):
        ClusterConfig(min_overlap=0)
    with pytest.raises(ConfigError, match="words_per_doubling"):
        ClusterConfig(words_per_doubling=-1)
    with pytest.raises(ConfigError, match="boilerplate_min_share"):
        ClusterConfig(boilerplate_min_share=1.5)


# --------------------------------------------------------------------------- origin


def carriers(*rows: tuple[str, str | None, str | None]) -> list[Carrier]:
    return [Carrier(id=i, date=d, source=s, words=100) for i, d, s in rows]


def test_origin_is_the_earliest_dated_member() -> None:
    c = carriers(("a", "2025-11-19", None), ("b", "2025-11-18", None), ("c", None, None))
    k, origin = origin_of([0, 1, 2], c)
    assert k == 1 and origin.id == "b" and origin.basis == "date" and "2025-11-18" in origin.reason


def test_origin_unknown_without_dates_or_with_a_tie_and_no_credit() -> None:
    k, origin = origin_of([0, 1], carriers(("a", None, None), ("b", None, None)))
    assert k is None and origin.id is None and origin.basis == "unknown" and "no member is dated" in origin.reason
    k, origin = origin_of([0, 1], carriers(("a", "2025-11-18", None), ("b", "2025-11-18", None)))
    assert k is None and "2 members share the earliest date" in origin.reason


def test_a_credit_decides_between_undated_members() -> None:
    c = carriers(("wire", None, "Reuters"), ("paper", None, "Tagesblatt"), ("blog", None, "Blog"))
    texts = {0: "Reuters meldet.", 1: "Wie Reuters berichtet, ...", 2: "Laut Reuters ..."}
    k, origin = origin_of([0, 1, 2], c, lambda x, outlet: outlet == "Reuters" and x in (1, 2) and bool(texts[x]))
    assert k == 0 and origin.basis == "credit" and "Reuters" in origin.reason
    # a credit by only some of the others decides nothing
    k, origin = origin_of([0, 1, 2], c, lambda x, outlet: outlet == "Reuters" and x == 1)
    assert k is None and origin.basis == "unknown"


# --------------------------------------------------------------------------- k copies, end to end


def k_copies(seed_file, k: int, others: bool = True) -> list[Document]:
    """``k`` identical copies of seed 000 (a real article), beside the other four seeds."""
    text = seed_file("000").read_text(encoding="utf-8")
    docs = documents_from_texts({f"copy{i:03d}": text for i in range(k)})
    if others:
        docs += documents_from_texts({p: seed_file(p).read_text(encoding="utf-8") for p in ("001", "002", "003", "004")})
    return docs


@pytest.mark.parametrize("k", [3, 25, 120])
def test_k_copies_are_one_cluster_and_one_family(seed_file, k: int) -> None:
    result = scan(k_copies(seed_file, k))
    copies = tuple(f"copy{i:03d}" for i in range(k))
    syndication = [c for c in result.clusters if c.kind == "syndication"]
    (c,) = syndication
    assert c.id == "c1" and c.size == k and tuple(m.id for m in c.members) == copies
    assert {m.similarity for m in c.members} == {1.0} and c.words > 300
    assert c.origin.basis == "unknown"  # identical undated copies: nothing says which came first
    (family,) = result.families
    assert family.documents == copies and family.clusters == ("c1",)
    # the seeds' shared phrases stay stock, counted once for all copies of the article
    assert all(x.kind == "stock" for x in result.clusters[1:])
    assert all("copies of one syndicated text count once" in x.reason for x in result.clusters[1:] if x.size > 3)
    # star pairs: each copy with the first copy, and with each other seed sharing a phrase with it (4): O(k), not k*(k-1)/2
    assert result.candidate_pairs <= 5 * k + 10


def test_k_copies_without_any_other_document(seed_file) -> None:
    # every document is a copy: still syndication (the 25 of 25), not boilerplate
    result = scan(k_copies(seed_file, 25, others=False))
    (c,) = [x for x in result.clusters if x.size == 25 and x.words > 300]
    assert c.kind == "syndication" and result.families[0].documents == tuple(f"copy{i:03d}" for i in range(25))


def test_json_grows_linearly_with_the_number_of_copies(seed_file, tmp_path: Path) -> None:
    sizes = {}
    for k in (10, 40, 160):
        folder = tmp_path / f"k{k}"
        folder.mkdir()
        for doc in k_copies(seed_file, k):
            (folder / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
        result = CliRunner().invoke(main, ["scan", str(folder), "--format", "json", "-q"])
        assert result.exit_code == 0, result.output
        report = json.loads(result.output)
        assert [f["documents"][:1] for f in report["families"]] == [["copy000"]] and len(report["families"][0]["documents"]) == k
        sizes[k] = len(result.output)
    per_copy = [(sizes[40] - sizes[10]) / 30, (sizes[160] - sizes[40]) / 120]
    assert per_copy[1] == pytest.approx(per_copy[0], rel=0.05)  # each copy adds the same bytes: linear, not quadratic


def test_pair_rows_are_every_two_members_of_a_syndication_cluster(seed_file) -> None:
    docs = k_copies(seed_file, 6)
    result = scan(docs, ScanConfig(pairs=True))
    (c,) = [x for x in result.clusters if x.kind == "syndication"]
    assert len(result.pairs) == 6 * 5 // 2 and {p.cluster for p in result.pairs} == {c.id}
    texts = {d.id: d.text for d in docs}
    for p in result.pairs:
        assert p.a < p.b and p.kind == "verbatim" and p.similarity == 1.0
        assert p.text_a == texts[p.a][p.a_start : p.a_end] and p.text_b == texts[p.b][p.b_start : p.b_end]
    assert scan(docs).pairs == ()


def test_cli_pairs_option(seed_file, tmp_path: Path) -> None:
    for doc in k_copies(seed_file, 4):
        (tmp_path / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
    plain = json.loads(CliRunner().invoke(main, ["scan", str(tmp_path), "--format", "json", "-q"]).output)
    with_pairs = json.loads(CliRunner().invoke(main, ["scan", str(tmp_path), "--format", "json", "-q", "--pairs"]).output)
    assert "pairs" not in plain and len(with_pairs["pairs"]) == 6
    assert with_pairs["clusters"] == plain["clusters"]


# --------------------------------------------------------------------------- constructed texts: stock or syndication


def _words(rng: random.Random, n: int) -> str:
    return " ".join(f"w{rng.randrange(10**6)}" for _ in range(n))


def corpus_with(shared: str, carriers_: int, n_docs: int, seed: int = 5) -> list[Document]:
    """``n_docs`` unrelated documents of ~200 words; the first ``carriers_`` carry ``shared`` as a sentence of their own."""
    rng = random.Random(seed)
    texts = {}
    for k in range(n_docs):
        body = [_words(rng, 12) + "." for _ in range(16)]
        if k < carriers_:
            body.insert(rng.randrange(2, 14), shared)
        texts[f"d{k:03d}"] = f"Titel {k}\n\n" + " ".join(body)
    return documents_from_texts(texts)


@pytest.mark.parametrize(
    ("words", "carriers_", "n_docs", "kind", "families"),
    [
        (30, 2, 40, "syndication", 1),  # a 30-word passage two reports share: copying
        (12, 2, 40, "stock", 0),  # a 12-word phrase two reports share: weak evidence, no family
        (9, 60, 200, "stock", 0),  # a 9-word phrase in 60 of 200
        (30, 60, 200, "stock", 0),  # a 30-word sentence in 60 of 200: a recurring background sentence
        (120, 60, 200, "syndication", 1),  # 120 words in 60 of 200: a syndicated text
    ],
)
def test_stock_or_syndication_on_constructed_texts(words: int, carriers_: int, n_docs: int, kind: str, families: int) -> None:
    shared = _words(random.Random(99), words) + "."
    result = scan(corpus_with(shared, carriers_, n_docs))
    (c,) = result.clusters
    assert c.kind == kind and c.size == carriers_ and c.words == words, c.reason
    assert len(result.families) == families


def test_a_long_shared_quotation_is_stock() -> None:
    # two reports quote one speaker at length: a common source, not copying between them
    quote = _words(random.Random(7), 40)
    shared = f"Der Minister sagte: „{quote}“"
    result = scan(corpus_with(shared, 2, 30))
    (c,) = result.clusters
    assert c.kind == "stock" and "quotation" in c.reason and c.words >= 40 and result.families == ()
    assert quotation_share(f"x „{quote}“ y", 0, len(quote) + 6) > 0.9 and quotation_share("no quotes here", 0, 14) == 0.0


def test_table_summarises_clusters(seed_file) -> None:
    rng = random.Random(1)
    phrases = [_words(rng, 10) + "." for _ in range(14)]
    texts = {f"d{k:02d}": f"Titel {k}\n\n{_words(rng, 40)}. {phrases[k % 14]} {_words(rng, 40)}. {phrases[(k + 1) % 14]} {_words(rng, 30)}."
             for k in range(28)}
    result = scan(documents_from_texts(texts))
    stock = [c for c in result.clusters if c.kind == "stock"]
    assert len(stock) == 14
    table = render_scan(result, "table")
    assert "Stock clusters (14)" in table and "... and 4 more stock clusters" in table
    assert all(d in table for d in texts)
