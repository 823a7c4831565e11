"""The public API: reuse.load / scan / derive / rows accept what users hold, refuse what they cannot read, and name the fix."""

from __future__ import annotations

import csv
import doctest
import io
import json
from pathlib import Path

import pytest

import reuse
import reuse.api
from reuse.report import render_derive, render_scan

SHARED = (  # two statements: a derivation takes at least two (DeriveConfig.min_source_units)
    "Die Delegation reiste am Dienstag nach Moskau, um mit dem Präsidenten über ein mögliches Ende des Krieges zu sprechen. "
    "Die Gespräche in Genf waren am Wochenende ohne greifbares Ergebnis geblieben, und beide Seiten hatten weitere Arbeit angemahnt."
)
TEXTS = {
    "a": f"Bericht A\n\nAm Morgen hieß es aus Kiew, man warte ab. {SHARED}",
    "b": f"Bericht B\n\n{SHARED} Ein Sprecher wollte sich nicht äußern.",
    "c": "Wetter\n\nIn London war es am Dienstag mild, und für das Wochenende wird Sonne im Süden erwartet.",
}


def test_the_forms_of_documents_give_the_same_scan(tmp_path: Path) -> None:
    for name, text in TEXTS.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    jsonl = tmp_path / "all.jsonl"
    jsonl.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in TEXTS.items()), encoding="utf-8")
    forms = [TEXTS, str(tmp_path), tmp_path, [str(tmp_path / f"{k}.txt") for k in TEXTS], jsonl, reuse.load(TEXTS)]
    reports = [render_scan(reuse.scan(form), "json") for form in forms]
    assert all(r == reports[0] for r in reports[1:])
    (cluster,) = reuse.scan(TEXTS).clusters
    assert cluster.kind == "syndication" and [m.id for m in cluster.members] == ["a", "b"]
    assert TEXTS["a"][cluster.members[0].start : cluster.members[0].end] == SHARED.rstrip(".")  # words, not the full stop


def test_load_keeps_error_documents_and_passes_documents_through() -> None:
    docs = reuse.load({"a": "Ein Satz.", "b": "   "})
    assert [(d.id, d.status) for d in docs] == [("a", "ok"), ("b", "error")]
    assert reuse.load(docs) == docs


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("Trump arbeitet an einem neuen Plan für die Ukraine.", r"is not an existing file or directory; to analyse texts rather than files, pass a mapping \{id: text\}"),
        (["Ein Text.", "Noch ein Text."], r"'Ein Text\.' is not an existing file or directory; to analyse texts rather than files"),
        (b"bytes", "not bytes; decode them"),
        (42, "not int"),
        ({"a": b"bytes"}, r"values must be texts \(str\); the value of 'a' is a bytes"),
        ([Path("seeds"), 3], "expected paths .* got a int"),
        ([reuse.Document(id="a", text="x"), "seeds"], "got a Document among paths"),
        ({}, "nothing to scan"),
    ],
)
def test_what_holds_no_documents_is_refused_with_the_fix(given: object, message: str) -> None:
    with pytest.raises(reuse.InputError, match=message):
        reuse.scan(given)  # type: ignore[arg-type]


def test_library_errors_are_reuse_errors_in_library_terms(tmp_path: Path) -> None:
    with pytest.raises(reuse.ReuseError) as err:
        reuse.derive(TEXTS, original="no such original.txt")
    assert "the original 'no such original.txt' is not an existing file" in str(err.value) and "--" not in str(err.value)
    with pytest.raises(reuse.InputError, match="the original must be one text"):
        reuse.derive(TEXTS, original={"x": "eins", "y": "zwei"})
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    with pytest.raises(reuse.InputError, match=r"cannot be used \(empty"):
        reuse.derive(TEXTS, original=tmp_path / "empty.txt")
    with pytest.raises(reuse.InputError, match="holds no letter or digit"):
        reuse.derive(TEXTS, source_name="—")
    with pytest.raises(reuse.InputError, match="rows expects a ScanResult or DeriveResult"):
        reuse.rows({"documents": []})  # type: ignore[arg-type]
    with pytest.raises(reuse.InputError, match="has no table 'passages'; choose one of documents, clusters, members, families, pairs"):
        reuse.rows(reuse.scan(TEXTS), "passages")


def test_derive_modes_from_the_api() -> None:
    original = {"orig": TEXTS["a"]}
    by_original = reuse.derive({"b": TEXTS["b"], "c": TEXTS["c"]}, original=original)
    assert by_original.source["mode"] == "original"
    rows = {d.id: d for d in by_original.documents}
    assert rows["b"].derived and rows["b"].parent == "source" and not rows["c"].derived
    assert reuse.derive(TEXTS).source["mode"] == "families"
    # the same original as a Document or a path gives the same result
    assert reuse.derive({"b": TEXTS["b"], "c": TEXTS["c"]}, original=reuse.load(original)[0]) == by_original


def test_scan_rows_are_flat_and_join(seed_docs) -> None:
    result = reuse.scan(seed_docs + reuse.load({"zz_copy": seed_docs[0].text}), reuse.ScanConfig(pairs=True))
    tables = {t: reuse.rows(result, t) for t in ("documents", "clusters", "members", "families", "pairs")}
    assert reuse.rows(result) == tables["documents"]
    for name, table in tables.items():
        assert table, name
        assert all(isinstance(v, (str, int, float, bool, type(None))) for row in table for v in row.values()), name
        assert len({tuple(row) for row in table}) == 1, f"{name}: every row has the same columns"
    docs = {r["id"]: r for r in tables["documents"]}
    assert list(docs) == [d.id for d in result.documents]
    clusters = {r["cluster"]: r for r in tables["clusters"]}
    assert {m["cluster"] for m in tables["members"]} == set(clusters) and all(m["id"] in docs for m in tables["members"])
    assert sum(m["representative"] for m in tables["members"]) == len(clusters)
    for c in result.clusters:
        assert clusters[c.id]["text"] == c.text and clusters[c.id]["size"] == c.size
    (family,) = tables["families"]
    assert family["documents"] == f"{seed_docs[0].id};zz_copy" and docs["zz_copy"]["family"] == family["family"]
    assert docs[seed_docs[0].id]["boilerplate_chars"] == sum(e - s for s, e in result.documents[0].boilerplate) > 0
    assert len(tables["pairs"]) == len(result.pairs) == 1
    # the rows write as CSV as they are
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(tables["members"][0]))
    writer.writeheader()
    writer.writerows(tables["members"])
    assert len(buf.getvalue().splitlines()) == len(tables["members"]) + 1


def test_derive_rows_match_the_json_contract(seeds_dir: Path) -> None:
    result = reuse.derive(seeds_dir, source_name="Axios")
    report = json.loads(render_derive(result, "json"))
    docs = reuse.rows(result, "documents")
    assert [r["id"] for r in docs] == [d["id"] for d in report["documents"]]
    for row, d in zip(docs, report["documents"], strict=True):
        assert (row["class"], row["departure"], row["attributed"], row["derived"]) == (d["class"], d["departure"], d["attributed"], d["derived"])
        assert {k: row[k] for k in d["components"]} == d["components"]
        assert (row["evidence_count"], row["drift_count"], row["attribution_count"]) == (len(d["evidence"]), len(d["drift"]), len(d["attribution"]))
    evidence = reuse.rows(result, "evidence")
    assert len(evidence) == sum(len(d["evidence"]) for d in report["documents"]) > 0
    assert [r["text"] for r in reuse.rows(result, "attribution")] == [a["text"] for d in report["documents"] for a in d["attribution"]]
    assert len(reuse.rows(result, "drift")) == sum(len(d["drift"]) for d in report["documents"])


def test_the_package_name_derive_stays_the_function() -> None:
    # the submodule of the same name, imported later, must not replace the API function
    from reuse.derive import derive_latent  # noqa: F401

    assert callable(reuse.derive) and reuse.derive is reuse.api.derive


def test_api_docstring_examples(seeds_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(seeds_dir.parent)  # the examples name "seeds" as a user in the project's root does
    failed, tried = doctest.testmod(reuse.api, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert tried >= 8 and failed == 0
