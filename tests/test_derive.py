"""The derivation model: modes, departure, drift, JSON contract, CLI, seeds facts."""

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from reuse.cli import main
from reuse.config import DeriveConfig
from reuse.derive import derive
from reuse.io import documents_from_texts, load_paths
from reuse.report import derive_dict, render_derive

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

ORIGINAL = (
    "The government is drafting a new peace plan with twenty-eight points. "
    "Envoy Steve Witkoff discussed the plan at length with Kirill Dmitriev during a visit to Miami from October 24 to 26. "
    "The plan covers security guarantees, security in Europe and future relations between the countries. "
    "Officials said the white house had started briefing european partners about the new plan. "
    "\"We know the Americans are working on something,\" a Ukrainian official said."
)
LIGHT = (
    "The government is drafting a new peace plan with twenty-eight points. "
    "Envoy Steve Whitcoff discussed the plan in depth with Kirill Dmitriev during a visit to Miami from October 24 to 26. "
    "The plan covers security guarantees, security in Europe and future relations between those countries. "
    "Officials said the white house had begun briefing european partners about the new plan."
)
ADDED = LIGHT + (
    " Meanwhile the football season opened with a surprising defeat for the champions at home. "
    "Fans blamed the coach, who had changed the whole defence before the match. "
    "The club announced a new stadium would be built near the river within five years. "
    "Ticket prices are expected to rise sharply when the new ground opens."
)
UNRELATED = (
    "The football season opened with a surprising defeat for the champions at home. "
    "Fans blamed the coach, who had changed the whole defence before the match. "
    "The club announced a new stadium would be built near the river within five years."
)
CONTRACT = {"id", "status", "reason", "derived", "class", "departure", "attributed", "attribution", "components", "drift", "parent", "evidence"}


def _run(texts: dict[str, str], **kw: object) -> dict[str, dict]:
    original = documents_from_texts({"orig": ORIGINAL})[0]
    result = derive(documents_from_texts(texts), original=original, **kw)  # type: ignore[arg-type]
    return {d["id"]: d for d in derive_dict(result)["documents"]}


def test_original_mode_orders_copy_edit_addition_unrelated() -> None:
    docs = _run({"copy": ORIGINAL, "light": LIGHT, "added": ADDED, "unrelated": UNRELATED})
    assert docs["copy"]["departure"] == 0.0 and docs["copy"]["class"] == "wholly"
    assert docs["copy"]["departure"] < docs["light"]["departure"] < docs["added"]["departure"] < docs["unrelated"]["departure"]
    assert docs["unrelated"]["class"] == "non" and not docs["unrelated"]["derived"]
    assert docs["light"]["derived"] and docs["light"]["parent"] == "source"
    assert docs["added"]["components"]["added"] > 0.3
    assert docs["light"]["components"]["omitted"] > 0.0


def test_json_contract_keys_and_evidence_offsets() -> None:
    docs = _run({"light": LIGHT})
    d = docs["light"]
    assert set(d) >= CONTRACT
    assert set(d["components"]) == {"verbatim", "near_verbatim", "paraphrase", "added", "omitted", "reorder"}
    for ev in d["evidence"]:
        assert {"label", "start", "end", "source_start", "source_end", "similarity"} <= set(ev)
        assert LIGHT[ev["start"] : ev["end"]].strip()
        assert ORIGINAL[ev["source_start"] : ev["source_end"]].strip()


def test_misspelled_name_is_a_variant_not_drift() -> None:
    d = _run({"light": LIGHT})["light"]
    assert not [x for x in d["drift"] if x["kind"] == "name"]


def test_latent_mode_attribution_and_unattributed_derivation() -> None:
    more = (" Der Plan sieht Sicherheitsgarantien für die Ukraine und eine neue Sicherheitsordnung in Europa vor."
            " Dmitrijew leitet den russischen Staatsfonds und führte die Gespräche drei Tage lang.")
    texts = {
        "a": "Laut Axios arbeitet die Regierung an einem neuen Friedensplan mit 28 Punkten. Witkoff traf Dmitrijew vom 24. bis 26. Oktober in Miami." + more,
        "b": "Wie Axios berichtet, arbeitet die Regierung heimlich an einem neuen Friedensplan mit 28 Punkten. Witkoff traf Dmitriev vom 24. bis 26. Oktober in Miami, heißt es." + more,
        "c": "Die Regierung arbeitet an einem neuen Friedensplan mit 28 Punkten. Whitcoff traf Dmitriev vom 24. bis 26. Oktober in Miami." + more,
        "d": "Der Fußballverein eröffnete die Saison mit einer Niederlage. Die Fans kritisierten den Trainer scharf.",
        # one sentence of the story's stock: too little evidence to accuse anyone of uncredited copying
        "e": "Die Regierung arbeitet an einem neuen Friedensplan mit 28 Punkten. Der Fußballverein verlor am Wochenende.",
    }
    result = derive(documents_from_texts(texts), source_name="Axios")
    docs = {d.id: d for d in result.documents}
    assert docs["a"].attributed and docs["b"].attributed and not docs["c"].attributed
    assert docs["c"].derived and not docs["c"].attributed  # derived but unattributed: a finding
    assert docs["d"].cls == "non"
    assert docs["d"].departure > docs["c"].departure
    assert docs["e"].cls == "non"  # DeriveConfig.min_source_units


LONG_OWN = (
    " The stadium will hold forty thousand spectators and include a museum about the club's history."
    " Local residents worry about traffic on match days and have started a petition against the plans."
    " The city council will debate the project in the spring after an independent study of the costs."
    " Supporters' groups welcomed the decision but asked the club to keep season tickets affordable for families."
    " The coach said his players would need a few weeks to adapt to the new system in defence."
    " Two young strikers from the academy are expected to start the next league match on Saturday."
    " The club's chairman promised further signings before the transfer window closes at the end of the month."
    " Ticket sales for the opening weekend have already passed last season's record."
    " A new training ground outside the city is due to open in the autumn, with six grass pitches."
    " The women's team will move there first and share the facilities with the youth academy."
)


def test_a_credit_decides_what_evidence_a_derivation_needs() -> None:
    # two of the source's statements in a long report of its own: the report that credits the source
    # is partially derived (its credit says where they came from); the same words without the credit
    # are a passing use, too small a share to accuse the outlet of uncredited copying
    taken = ("Envoy Steve Witkoff discussed the plan at length with Kirill Dmitriev during a visit to Miami. "
             "Officials said the white house had started briefing european partners about the new plan. ")
    docs = _run({"credited": taken.replace("Officials said", "Axios reported that") + UNRELATED + LONG_OWN,
                 "uncredited": taken + UNRELATED + LONG_OWN}, source_name="Axios")
    assert docs["credited"]["attributed"] and docs["credited"]["class"] == "partially"
    assert not docs["uncredited"]["attributed"] and docs["uncredited"]["class"] == "non"
    assert docs["uncredited"]["components"]["added"] > 1 - DeriveConfig().partial_min_share


def test_families_mode_names_a_parent() -> None:
    base = ORIGINAL + " " + UNRELATED
    texts = {"early": base, "late": base + " Dazu kommt ein ganz neuer Absatz über etwas anderes, das nur hier steht und sonst nirgends."}
    docs = documents_from_texts(texts)
    docs = [docs[0].__class__(**{**docs[0].__dict__, "date": "2025-01-01"}), docs[1].__class__(**{**docs[1].__dict__, "date": "2025-01-02"})]
    result = derive(docs)
    by = {d.id: d for d in result.documents}
    assert result.source["mode"] == "families"
    assert by["late"].parent == "early" and by["early"].parent is None


def test_families_mode_undated_credit_decides_the_parent() -> None:
    # the wire text is the shorter one, so containment asymmetry alone would name it the copy
    wire = ORIGINAL
    paper = ("Die Zeitung fasst zusammen, was die Agentur Reuters am Morgen meldete. " + ORIGINAL + " " + UNRELATED
             + " Dazu kommt ein ganz neuer Absatz über etwas anderes, das nur hier steht und sonst nirgends.")
    plain = {d.id: d for d in derive(documents_from_texts({"wire": wire, "paper": paper})).documents}
    # undated and without outlets, nothing says which came first: no parent is named, and the reason says why
    assert plain["wire"].parent is None and plain["paper"].parent is None
    assert "parent unknown: no member is dated" in plain["wire"].reason and "parent unknown" in plain["paper"].reason
    # ... yet both are reported as derived within their family, each compared with the other
    assert plain["wire"].derived and plain["paper"].derived
    assert "compared with paper" in plain["wire"].reason and "compared with wire" in plain["paper"].reason
    docs = [replace(d, source={"wire": "Reuters", "paper": "Tagesblatt"}[d.id]) for d in documents_from_texts({"wire": wire, "paper": paper})]
    by = {d.id: d for d in derive(docs).documents}
    assert by["paper"].parent == "wire" and by["wire"].parent is None
    assert by["paper"].derived


def test_cli_families_mode_reads_saved_pages_outlets(tmp_path: Path) -> None:
    # two saved news pages, published the same day; the longer one credits the other's outlet
    def page(site: str, body: str) -> str:
        return (f'<html><head><meta property="og:site_name" content="{site}">'
                f'<meta property="article:published_time" content="2025-11-19T09:00:00Z"></head><body><p>{body}</p></body></html>')

    (tmp_path / "wire.html").write_text(page("Reuters", ORIGINAL), encoding="utf-8")
    paper = "Die Zeitung fasst zusammen, was die Agentur Reuters am Morgen meldete. " + ORIGINAL + " " + UNRELATED
    (tmp_path / "paper.html").write_text(page("Tagesblatt", paper), encoding="utf-8")
    res = CliRunner().invoke(main, ["derive", str(tmp_path / "wire.html"), str(tmp_path / "paper.html"), "--format", "json", "-q"])
    assert res.exit_code == 0, res.output
    rows = {d["id"]: d for d in json.loads(res.output)["documents"]}
    assert rows["paper.html"]["parent"] == "wire.html" and rows["wire.html"]["parent"] is None
    assert rows["paper.html"]["date"] == "2025-11-19"


def test_boilerplate_only_report_is_not_derived() -> None:
    original = documents_from_texts({"o": ORIGINAL})[0]
    rows = {d.id: d for d in derive(documents_from_texts({"nav": "Zur Startseite", "light": LIGHT}), original=original).documents}
    assert rows["nav"].status == "ok" and rows["nav"].cls == "non" and rows["nav"].departure == 1.0
    assert rows["light"].derived


def test_latent_mode_in_english() -> None:
    more = (" The plan covers security guarantees for Ukraine and security in Europe."
            " Dmitriev, who runs Russia's sovereign wealth fund, spent three days with the U.S. team.")
    texts = {
        "a": "According to Axios, the White House drafted a 28-point plan with Russia. Envoy Steve Witkoff met Kirill Dmitriev in Miami from October 24 to 26." + more,
        "b": "The White House has drafted a 28-point peace plan together with Russia, Axios reported. Witkoff met Dmitriev in Miami on October 24-26, officials told Axios." + more,
        "c": "The White House quietly drafted a 28-point plan with Russia. Steve Whitcoff met Kirill Dmitriev in Miami from October 24 to 26." + more,
        "d": "The football club lost its opening match at home. Fans blamed the coach for the defeat.",
    }
    rows = {d.id: d for d in derive(documents_from_texts(texts), source_name="Axios").documents}
    assert [rows[k].attributed for k in "abcd"] == [True, True, False, False]
    assert rows["c"].derived and rows["d"].cls == "non"


def test_error_documents_are_listed() -> None:
    docs = documents_from_texts({"ok": LIGHT, "empty": "   "})
    original = documents_from_texts({"o": ORIGINAL})[0]
    rows = {d.id: d for d in derive(docs, original=original).documents}
    assert rows["empty"].status == "error" and rows["empty"].reason
    assert rows["ok"].status == "ok"


def test_cli_derive_formats_and_bad_original(tmp_path: Path) -> None:
    (tmp_path / "orig.txt").write_text(ORIGINAL, encoding="utf-8")
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "light.txt").write_text(LIGHT, encoding="utf-8")
    (tmp_path / "r" / "other.txt").write_text(UNRELATED, encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(main, ["derive", str(tmp_path / "r"), "--original", str(tmp_path / "orig.txt"), "--format", "json", "-q"])
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    assert {d["id"] for d in report["documents"]} == {"light", "other"}
    assert report["source"]["mode"] == "original"
    table = runner.invoke(main, ["derive", str(tmp_path / "r"), "--original", str(tmp_path / "orig.txt"), "-q"])
    assert table.exit_code == 0 and "departure" in table.output and "light" in table.output
    for fmt in ("jsonl", "csv"):
        out = runner.invoke(main, ["derive", str(tmp_path / "r"), "--original", str(tmp_path / "orig.txt"), "--format", fmt, "-q"])
        assert out.exit_code == 0 and "light" in out.output
    bad = runner.invoke(main, ["derive", str(tmp_path / "r"), "--original", str(tmp_path / "missing.txt")])
    assert bad.exit_code == 1 and "Traceback" not in bad.output and len(bad.output.strip().splitlines()) == 1


def test_config_rejects_weights_not_summing_to_one() -> None:
    from reuse.errors import ConfigError

    with pytest.raises(ConfigError, match="sum to 1"):
        DeriveConfig(weight_verbatim=0.9)


@pytest.fixture(scope="module")
def seeds() -> dict:
    result = derive(load_paths([str(SEEDS)]), source_name="Axios")
    return {d.id[:3]: d for d in result.documents}


def test_seeds_attribution_and_departure_order(seeds: dict) -> None:
    assert [seeds[k].attributed for k in ("000", "001", "002", "003")] == [True, True, False, True]
    deps = {k: d.departure for k, d in seeds.items()}
    assert min(deps, key=deps.get) == "000"
    assert max(deps, key=deps.get) == "004"
    assert seeds["004"].cls == "non"


def test_seeds_partial_and_unattributed(seeds: dict) -> None:
    assert seeds["001"].cls == "partially" and seeds["003"].cls == "partially"
    assert seeds["002"].cls == "partially" and seeds["002"].derived and not seeds["002"].attributed
    assert seeds["004"].cls == "non"


def test_seeds_wholly(seeds: dict) -> None:
    # the near-translation's reported speech lies in the scope of its attributions to Axios
    assert seeds["000"].cls == "wholly"


def test_departure_rewards_long_verbatim_runs() -> None:
    # same words, same sentences: the one that keeps long runs departs less than the one that breaks them every few words
    kept = ("The government is drafting a new peace plan with twenty-eight points. "
            "Envoy Steve Witkoff discussed the plan at length with Kirill Dmitriev during a visit to Miami.")
    broken = ("The government is now drafting a new peace plan that has twenty-eight points. "
              "Envoy Steve Witkoff then discussed the plan at length together with Kirill Dmitriev during a recent visit to Miami.")
    docs = _run({"kept": kept, "broken": broken})
    assert docs["kept"]["departure"] < docs["broken"]["departure"] < 1.0
    assert docs["kept"]["derived"] and docs["broken"]["derived"]


def test_departure_grows_with_added_material_but_less_than_rewording() -> None:
    # verbatim copies of source sentences plus own sentences: departure grows with the added share,
    # as 1 - sqrt(taken) for a verbatim part (DeriveConfig.added_exponent 0.5), and stays below 1
    copied = ORIGINAL.split(". ")
    own = ("Meanwhile the football season opened with a surprising defeat for the champions at home. "
           "Fans blamed the coach, who had changed the whole defence before the match. "
           "The club announced a new stadium would be built near the river within five years.")
    texts = {"some": ". ".join(copied[:4]) + ". " + own.split(". ")[0] + ".",
             "more": ". ".join(copied[:2]) + ". " + own}
    docs = _run(texts)
    some, more = docs["some"], docs["more"]
    assert 0.0 < some["components"]["added"] < more["components"]["added"]
    assert 0.0 < some["departure"] < more["departure"] < 1.0
    for d in (some, more):
        assert d["derived"] and d["components"]["verbatim"] + d["components"]["added"] > 0.99
        assert abs(d["departure"] - (1.0 - (1.0 - d["components"]["added"]) ** 0.5)) < 0.02
    # the plain word-weighted mean (exponent 1) counts an added word as a fully reworded one
    plain = _run(texts, config=DeriveConfig(added_exponent=1.0))
    assert abs(plain["more"]["departure"] - plain["more"]["components"]["added"]) < 0.02


# --- English reports of the seeds' story (tests/corpora/README.md: written by us, not tuned on) ---
AXIOS_EN = Path(__file__).resolve().parent / "corpora" / "axios_en"
AXIOS_EN_ORIGINAL = AXIOS_EN.parent / "axios_en_original.txt"


@pytest.fixture(scope="module")
def english_latent() -> dict:
    return {d.id: d for d in derive(load_paths([str(AXIOS_EN)]), source_name="Axios").documents}


def test_english_reports_latent_mode(english_latent: dict) -> None:
    rows = english_latent
    assert [rows[k].attributed for k in ("en1_wire", "en2_paper", "en3_unattributed", "en4_later", "en5_other")] == [True, True, False, False, False]
    assert rows["en1_wire"].cls == "wholly" and rows["en2_paper"].cls == "partially"
    assert rows["en1_wire"].departure < rows["en2_paper"].departure
    # a later event that names the plan in passing, and other news, take nothing from the scoop
    assert rows["en4_later"].cls == "non" and rows["en5_other"].cls == "non"
    assert rows["en4_later"].departure == rows["en5_other"].departure == 1.0


@pytest.mark.xfail(strict=True, reason="known limit: a heavy rewrite that never names the source shares too few "
                   "sentences with the two crediting reports to pass the latent thresholds (docs/model/calibration.md, limits)")
def test_english_heavy_unattributed_rewrite_latent(english_latent: dict) -> None:
    assert english_latent["en3_unattributed"].derived and not english_latent["en3_unattributed"].attributed


def test_english_reports_against_a_given_original() -> None:
    original = load_paths([str(AXIOS_EN_ORIGINAL)])[0]
    rows = {d.id: d for d in derive(load_paths([str(AXIOS_EN)]), original=original).documents}
    assert rows["en1_wire"].cls == "wholly"
    assert min(rows, key=lambda k: rows[k].departure) == "en1_wire"
    # the heavy rewrite's content words come from the original, so it derives even where sentences do not align
    assert rows["en2_paper"].cls == "partially" and rows["en3_unattributed"].cls == "partially"
    assert rows["en4_later"].cls == "non" and rows["en5_other"].cls == "non"
    for k in ("en1_wire", "en2_paper", "en3_unattributed"):
        ev = rows[k].evidence
        assert ev and all(e.source_start is None or e.source_end <= len(original.text) for e in ev)


def test_german_and_english_reports_in_one_latent_run(tmp_path: Path, english_latent: dict, seeds: dict) -> None:
    # reports of both languages contribute units; mixing them changes no verdict but one: the heavy
    # English rewrite that the two English crediting reports alone cannot show (the xfail above) is
    # found derived, and unattributed, through the German reports' units (reuse.pairs, across languages)
    for src in (SEEDS, AXIOS_EN):
        for f in src.iterdir():
            (tmp_path / f.name).write_bytes(f.read_bytes())
    mixed = {d.id: d for d in derive(load_paths([str(tmp_path)]), source_name="Axios").documents}
    alone = {**{d.id: d for d in seeds.values()}, **english_latent}
    assert set(mixed) == set(alone)
    for k, d in alone.items():
        if k != "en3_unattributed":
            assert (mixed[k].cls, mixed[k].attributed) == (d.cls, d.attributed), k
    assert mixed["en3_unattributed"].derived and not mixed["en3_unattributed"].attributed
    assert any(e.source_id and e.source_id[:3].isdigit() for e in mixed["en3_unattributed"].evidence)


def test_html_report_is_read_through_its_masked_text(tmp_path: Path) -> None:
    # anchors, drift and attribution read the masked text: tags blanked, character references decoded
    original = documents_from_texts({"o": (
        "Die Regierung arbeitet an einem neuen Plan mit 28 Punkten. "
        "Der Gesandte Steve Witkoff traf Kirill Dmitrijew vom 24. bis 26. Oktober in Miami. "
        "„Wir glauben, dass die russische Position wirklich gehört wird“, sagte Dmitrijew. "
        "Präsident Wolodymyr Selenskyj reist am Mittwoch in die Türkei."
    )})[0]
    html = (
        "<html><head><title>Plan</title></head><body>"
        "<p>Die Regierung arbeitet an einem neuen Plan mit 28 Punkten, wie die Webseite Axios berichtet.</p>"
        "<p>Der Gesandte Steve <b>Witkoff</b> traf Kirill Dmitrijew vom 23. bis 26. Oktober in Miami.</p>"
        "<p>&bdquo;Wir glauben, dass die russische Position endlich geh&ouml;rt wird&ldquo;, sagte Dmitrijew.</p>"
        "<p>Pr&auml;sident Wolodymyr Selenskyj reist am Mittwoch in die T&uuml;rkei.</p>"
        "</body></html>"
    )
    (tmp_path / "report.html").write_text(html, encoding="utf-8")
    row = derive(load_paths([str(tmp_path / "report.html")]), original=original, source_name="Axios").documents[0]
    assert row.derived and row.cls == "wholly"
    kinds = {d.kind: d for d in row.drift}
    assert kinds["date"].original == "24. bis 26. Oktober" and kinds["date"].report == "23. bis 26. Oktober"
    # the quotation in entity quotes is found, its changed word is drift, its decoded "ö" reads clean
    assert kinds["quote"].report == "Wir glauben, dass die russische Position endlich gehört wird"
    assert "&" not in kinds["quote"].report and "\xad" not in kinds["quote"].report
    # "Pr&auml;sident" and "T&uuml;rkei" are the original's words, not changed names
    assert set(kinds) == {"date", "quote"}
    assert [a.text for a in row.attribution] == ["Webseite Axios berichtet"]


def test_a_reworded_sentence_between_aligned_neighbours_is_aligned() -> None:
    from dataclasses import replace

    first = "The city council approved a new budget for public schools on Monday evening."
    middle = "Teachers will receive higher salaries and classrooms will get new computers next year."
    last = "The mayor said the plan would be paid for by a small increase in property taxes."
    reworded = "Teachers get better pay, and pupils can expect fresh equipment in classrooms from next year."
    original = documents_from_texts({"o": f"{first} {middle} {last}"})[0]
    in_order = documents_from_texts({"r": f"{first} {reworded} {last}"})
    alone = documents_from_texts({"r": f"{reworded} {UNRELATED}"})

    def added(docs: list, weight: float) -> float:
        return derive(docs, original=original, config=replace(DeriveConfig(), context_weight=weight)).documents[0].components.added

    # on its own evidence the sentence is too reworded to align; its aligned neighbours lift it
    assert added(in_order, 0.0) > 0.3 and added(in_order, DeriveConfig().context_weight) == 0.0
    # without aligned neighbours the same sentence gets no lift
    assert added(alone, DeriveConfig().context_weight) == added(alone, 0.0) == 1.0


@pytest.mark.parametrize("left_out", ["000", "001", "003", "004"])
def test_seeds_unattributed_rewrite_is_found_with_any_one_report_left_out(tmp_path: Path, left_out: str) -> None:
    for f in SEEDS.iterdir():
        if not f.name.startswith(left_out):
            (tmp_path / f.name).write_bytes(f.read_bytes())
    rows = {d.id[:3]: d for d in derive(load_paths([str(tmp_path)]), source_name="Axios").documents}
    assert rows["002"].cls == "partially" and not rows["002"].attributed
    assert all(rows[k].cls == "partially" and rows[k].attributed for k in ("001", "003") if k in rows)
    assert "004" not in rows or rows["004"].cls == "non"


def test_a_shared_site_template_is_not_reuse(tmp_path: Path, english_latent: dict) -> None:
    # the English reports as pages of one site: navigation, cookie buttons, a byline, a teaser list
    # naming Axios, a paywall line and a footer, the same on every page
    import html

    head = ("<html><head><title>{title} | The Daily Ledger</title></head><body><nav><a href='/'>Home</a> "
            "<a href='/world'>World</a> <a href='/sport'>Sport</a></nav><div class='cookie'>We use cookies to "
            "analyse our traffic. <button>Accept</button></div><article><h1>{title}</h1>"
            "<p class='byline'>By Staff Reporter &middot; Updated 19 November 2025</p>\n")
    foot = ("</article><aside><h3>More on this story</h3><ul><li><a href='/a'>Axios: US and Russia draft secret plan "
            "for Ukraine</a></li><li><a href='/b'>Zelensky arrives in Turkey</a></li></ul></aside>"
            "<p>Subscribe to read unlimited articles. Already a subscriber? Log in.</p>"
            "<footer>&copy; 2025 The Daily Ledger. Photo: Reuters</footer></body></html>")
    for f in AXIOS_EN.glob("*.txt"):
        title, *paragraphs = f.read_text(encoding="utf-8").strip().split("\n\n")
        body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
        (tmp_path / f"{f.stem}.html").write_text(head.format(title=html.escape(title)) + body + foot, encoding="utf-8")
    pages = {d.id.removesuffix(".html"): d for d in derive(load_paths(sorted(str(p) for p in tmp_path.iterdir())), source_name="Axios").documents}
    assert set(pages) == set(english_latent)
    for k, d in english_latent.items():
        assert (pages[k].cls, pages[k].attributed) == (d.cls, d.attributed), k


def test_derive_masks_short_lines_most_reports_share_but_keeps_a_copied_wire_paragraph() -> None:
    from reuse.derive import _front_config
    from reuse.pipeline import DEFAULT_SCAN, analyse

    wire = "Witkoff und Dmitrijew haben den Plan mit 28 Punkten laut Axios vom 24. bis 26. Oktober in Miami besprochen."
    promo = "Abonnieren Sie unseren Newsletter und verpassen Sie nichts mehr."
    own = ["Die Lage an der Front bleibt angespannt.", "Der Kreml äußerte sich zunächst nicht.",
           "In Kiew wurde der Bericht mit Skepsis aufgenommen.", "Auch in Brüssel gab es keine Reaktion."]
    texts = {f"r{k}": f"{line}\n{wire}\n{promo}\n" for k, line in enumerate(own)}
    an = analyse(documents_from_texts(texts), _front_config(DeriveConfig(), DEFAULT_SCAN))
    for cleaned in an.cleaned:
        assert wire in cleaned.masked and promo not in cleaned.masked


def test_families_mode_copies_of_unknown_order_are_derived_with_parent_unknown(seed_file) -> None:
    text = seed_file("000").read_text(encoding="utf-8")
    docs = documents_from_texts({"copy_a": text, "copy_b": text, "copy_c": text, "other": seed_file("004").read_text(encoding="utf-8")})
    result = derive(docs)
    rows = {d.id: d for d in result.documents}
    assert result.source["families"] == [["copy_a", "copy_b", "copy_c"]]
    for name in ("copy_a", "copy_b", "copy_c"):
        assert rows[name].derived and rows[name].cls == "wholly" and rows[name].departure < 0.05
        assert rows[name].parent is None and rows[name].reason.startswith("parent unknown: no member is dated")
    assert not rows["other"].derived
    table = render_derive(result, "table")
    assert table.count("unknown") == 3
