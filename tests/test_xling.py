"""Derive across languages: reports in German and French against English originals, through Debian's lexicons.

Corpora: the seeds against the English stand-in original (``corpora/axios_en_original.txt``), the
labelled sets ``corpora/xling`` (German) and ``corpora/xling_fr`` (French), and the later-event
controls ``corpora/later``: all written by the team, see their READMEs and TRUTH files.
"""

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from lexicons import require_lexicon

from reuse.cli import main
from reuse.config import LexiconConfig
from reuse.derive import derive
from reuse.errors import LexiconError
from reuse.io import documents_from_texts, load_paths

CORPORA = Path(__file__).resolve().parent / "corpora"
SEEDS = CORPORA.parent.parent / "seeds"
ORIGINAL = CORPORA / "axios_en_original.txt"
LATER = CORPORA / "later"
DERIVED_KINDS = ("translation", "partial", "rewrite")
#: The outlet each scoop of the labelled sets credits (their TRUTH.md files), as a user names it.
OUTLETS = {"ceasefire_talks": "Meridian Wire", "election_data": "The Meridian", "football_transfer": "The Touchline",
           "pharma_recall": "The Beacon", "port_strike": "Tidewater Times", "satellite_deal": "Orbital Wire"}


def _original() -> object:
    return load_paths([str(ORIGINAL)])[0]


@pytest.fixture(scope="module")
def seeds_from_english() -> dict:
    require_lexicon("de")
    docs = load_paths([str(SEEDS)]) + load_paths(sorted(str(p) for p in LATER.glob("de_*.txt")))
    return {d.id[:3] if d.id[0].isdigit() else d.id: d for d in derive(docs, original=_original(), source_name="Axios").documents}


def test_seeds_against_the_english_original(seeds_from_english: dict) -> None:
    rows = seeds_from_english
    assert all(rows[k].derived for k in ("000", "001", "002", "003")) and rows["004"].cls == "non"
    derived = {k: rows[k].departure for k in ("000", "001", "002", "003")}
    assert min(derived, key=derived.get) == "000"  # the near-translation departs least
    assert all(rows[k].language == "de" for k in ("000", "004"))
    # evidence carries offsets on both sides: report sentence and English unit
    original = _original()
    for ev in rows["000"].evidence:
        assert SEEDS.joinpath(next(p.name for p in SEEDS.iterdir() if p.name.startswith("000"))).read_text(encoding="utf-8")[ev.start : ev.end].strip()
        assert original.text[ev.source_start : ev.source_end].strip()
    assert [rows[k].attributed for k in ("000", "001", "002", "003")] == [True, True, False, True]


def test_later_german_items_are_not_derived_from_the_english_original(seeds_from_english: dict) -> None:
    for k in ("de_later1", "de_later2"):
        assert seeds_from_english[k].cls == "non" and not seeds_from_english[k].attributed, k


def test_source_names_the_lexicon(tmp_path: Path) -> None:
    require_lexicon("de")
    result = derive(load_paths([str(SEEDS)]), original=_original())
    assert result.source["language"] == "en"
    (lexicon,) = result.source["lexicons"]
    assert lexicon["pair"] == "de-en" and lexicon["entries"] > 100_000


@pytest.mark.parametrize(("corpus", "lang", "min_accuracy"), [("xling", "de", 0.9), ("xling_fr", "fr", 0.85)])
def test_labelled_cross_language_sets(corpus: str, lang: str, min_accuracy: float) -> None:
    require_lexicon(lang)
    right = total = 0
    for scoop in sorted(p for p in (CORPORA / corpus).iterdir() if p.is_dir()):
        original = load_paths([str(scoop / "en_original.txt")])[0]
        reports = load_paths(sorted(str(p) for p in scoop.glob(f"{lang}_*.txt")))
        rows = {d.id.split("_", 1)[1]: d for d in derive(reports, original=original, source_name=OUTLETS[scoop.name]).documents}
        assert all(d.language == lang for d in rows.values())
        # the translation and the partial report credit the outlet, the rewrite and the controls do not
        assert rows["partial"].attributed and not rows["same_names"].attributed
        assert "rewrite" not in rows or not rows["rewrite"].attributed
        assert not (rows["same_names"].derived or rows["unrelated"].derived), scoop.name  # no false accusation
        # a faithful translation is wholly derived and departs little (DeriveConfig.xling_similarity_scale)
        assert rows["translation"].derived and rows["translation"].departure < 0.3, scoop.name
        assert rows["unrelated"].cls == "non", scoop.name
        assert rows["translation"].departure < min(d.departure for k, d in rows.items() if k != "translation")
        for kind, d in rows.items():
            right += bool(d.derived) == (kind in DERIVED_KINDS)
            total += 1
    assert right / total >= min_accuracy


def test_german_later_same_people_stories_are_not_derived() -> None:
    require_lexicon("de")
    for scoop in sorted(p for p in (CORPORA / "xling").iterdir() if p.is_dir()):
        original = load_paths([str(scoop / "en_original.txt")])[0]
        rows = {d.id: d for d in derive(load_paths(sorted(str(p) for p in scoop.glob("de_*.txt"))), original=original).documents}
        assert rows["de_same_names"].cls == "non", scoop.name


def test_later_items_in_latent_mode_are_not_accused() -> None:
    require_lexicon("de")
    # German items with the seeds, English items with the English reports: they restate the story's
    # names and stock, not its statements (DeriveConfig.statement_facts)
    for docs in (load_paths([str(SEEDS)]) + load_paths(sorted(str(p) for p in LATER.glob("de_*.txt"))),
                 load_paths([str(CORPORA / "axios_en")]) + load_paths(sorted(str(p) for p in LATER.glob("en_*.txt")))):
        rows = {d.id: d for d in derive(docs, source_name="Axios").documents}
        for k, d in rows.items():
            if "later" in k:
                assert d.cls == "non", k
        assert sum(1 for d in rows.values() if d.derived and d.attributed) >= 2


def test_english_later_items_against_the_english_original() -> None:
    rows = {d.id: d for d in derive(load_paths(sorted(str(p) for p in LATER.glob("en_*.txt"))), original=_original()).documents}
    assert rows["en_later1"].cls == "non" and rows["en_later2"].cls == "non"


@pytest.mark.parametrize("item", sorted(p.name for p in LATER.glob("*_later*.txt")))
def test_a_later_item_alone_is_judged_as_in_its_set(item: str) -> None:
    # the evidence is counted over the original alone, so a later item run by itself is not accused
    # either (the run's IDF used to call some of them derived when alone)
    if item.startswith("de_"):
        require_lexicon("de")
    (row,) = derive(load_paths([str(LATER / item)]), original=_original(), source_name="Axios").documents
    assert row.cls == "non" and not row.derived


def test_a_credit_lowers_the_evidence_a_derivation_needs() -> None:
    # the French partial report credits its outlet: with the outlet named it is derived (and attributed);
    # without a name the tool cannot see the credit, and the stricter evidence for uncredited reports holds
    require_lexicon("fr")
    scoop = CORPORA / "xling_fr" / "satellite_deal"
    original = load_paths([str(scoop / "en_original.txt")])[0]
    report = load_paths([str(scoop / "fr_partial.txt")])
    (named,) = derive(report, original=original, source_name="Orbital Wire").documents
    (unnamed,) = derive(report, original=original).documents
    assert named.derived and named.attributed and named.cls == "partially"
    assert not unnamed.derived and not unnamed.attributed


def test_a_latent_run_in_two_languages_keeps_each_languages_verdicts(tmp_path: Path) -> None:
    require_lexicon("de")
    for src in (SEEDS, CORPORA / "axios_en"):
        for f in src.iterdir():
            (tmp_path / f.name).write_bytes(f.read_bytes())
    mixed = {d.id: d for d in derive(load_paths([str(tmp_path)]), source_name="Axios").documents}
    assert mixed["004_80f1f16ae64ea3db"].cls == "non" and mixed["en4_later"].cls == "non"
    assert mixed["000_02de9a2a2afb9956"].cls == "wholly" and mixed["en1_wire"].cls == "wholly"


# --- missing lexicons ----------------------------------------------------------------------------


def _no_german(tmp_path: Path) -> LexiconConfig:
    return replace(LexiconConfig(), sources={**LexiconConfig().sources, "de": ((str(tmp_path / "absent-de-en"), "ding", False),)})


def test_missing_lexicon_is_an_error_naming_the_install_command(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="apt-get install trans-de-en"):
        derive(load_paths([str(SEEDS)]), original=_original(), lexicon_config=_no_german(tmp_path))


def test_cli_missing_lexicon_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reuse.cli

    monkeypatch.setattr(reuse.cli, "LexiconConfig", lambda: _no_german(tmp_path))
    res = CliRunner().invoke(main, ["derive", str(SEEDS), "--original", str(ORIGINAL), "-q"])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1 and "apt-get install trans-de-en" in res.output
    bad = CliRunner().invoke(main, ["derive", str(SEEDS), "--original", str(ORIGINAL), "--lexicon", f"de={tmp_path / 'none'}"])
    assert bad.exit_code == 1 and len(bad.output.strip().splitlines()) == 1 and "--lexicon" in bad.output


ITALIAN = ("Il governo italiano ha annunciato che il piano per la Ucraina sarà discusso la prossima settimana. Secondo il ministro, "
           "la proposta degli Stati Uniti non è ancora definitiva e deve essere migliorata con gli alleati europei.")


def test_a_report_language_without_a_lexicon_gets_a_reason(tmp_path: Path) -> None:
    require_lexicon("de")
    config = replace(LexiconConfig(), sources={k: v for k, v in LexiconConfig().sources.items() if k != "it"})
    docs = load_paths([str(next(SEEDS.glob("000*")))]) + documents_from_texts({"italiano": ITALIAN})
    result = derive(docs, original=_original(), lexicon_config=config)
    rows = {d.id: d for d in result.documents}
    assert rows["italiano"].language == "it" and rows["italiano"].derived is None and rows["italiano"].cls is None
    assert "no it-en lexicon" in rows["italiano"].reason
    assert rows["000_02de9a2a2afb9956"].derived
    assert len(result.notes) == 1 and "it" in result.notes[0]


def test_cli_a_report_language_without_a_lexicon_says_so_on_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_lexicon("de")
    import reuse.cli

    monkeypatch.setattr(reuse.cli, "LexiconConfig", lambda: replace(LexiconConfig(), sources={"de": LexiconConfig().sources["de"]}))
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "italiano.txt").write_text(ITALIAN, encoding="utf-8")
    (tmp_path / "r" / "000.txt").write_bytes(next(SEEDS.glob("000*")).read_bytes())
    res = CliRunner().invoke(main, ["derive", str(tmp_path / "r"), "--original", str(ORIGINAL), "--format", "json", "-q"])
    assert res.exit_code == 0, res.output
    notes = [line for line in res.stderr.splitlines() if line]
    assert len(notes) == 1 and "it-en" in notes[0]
    rows = {d["id"]: d for d in json.loads(res.stdout)["documents"]}
    assert rows["italiano"]["derived"] is None and "it-en" in rows["italiano"]["reason"] and rows["italiano"]["language"] == "it"
    table = CliRunner().invoke(main, ["derive", str(tmp_path / "r"), "--original", str(ORIGINAL), "-q"])
    assert table.exit_code == 0 and "n/a" in table.stdout
