"""Anchors (names, dates, numbers, quotes) and attribution phrases in German and English."""

import pytest

from reuse.anchors import attributions, dates, name_key, numbers, quotes, same_name


@pytest.mark.parametrize(("a", "b"), [("Witkoff", "Whitcoff"), ("Dmitrijew", "Dmitriev"), ("Selenskyj", "Zelensky"),
                                      ("Selenskij", "Zelenskyy"), ("Umerow", "Umerov")])
def test_transliteration_variants_share_a_name(a: str, b: str) -> None:
    assert same_name(name_key(a), name_key(b))


@pytest.mark.parametrize(("a", "b"), [("Putin", "Peskow"), ("Witkoff", "Kushner"), ("Trump", "Rubio")])
def test_different_names_differ(a: str, b: str) -> None:
    assert not same_name(name_key(a), name_key(b))


def test_dates_numbers_quotes() -> None:
    text = "Vom 24. bis 26. Oktober, am 15. August 2025 und on October 24-26 ging es um 1,2 Millionen und den 28-Punkte-Plan."
    assert [d.value for d in dates(text)] == ["24-26.10", "15.8.2025", "24-26.10"]
    assert [n.value for n in numbers(text, exclude=dates(text))] == ["1.2", "28"]
    # a digit hyphenated to a word is part of a name, not a figure; a range of digits is two numbers
    assert [n.value for n in numbers("Das Kabel NordLink-2 und COVID-19, vom 24-26 und 14 Meter")] == ["24", "26", "14"]
    q = quotes("Er sagte: „Wir wissen, dass die Amerikaner an etwas arbeiten“ und «nein».")
    assert [x.surface for x in q] == ["Wir wissen, dass die Amerikaner an etwas arbeiten"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Wie Beamte gegenüber Axios berichteten, kam es anders.", "gegenüber Axios berichteten"),
        ("Nach «Axios»-Informationen geht es um einen Plan.", "Nach «Axios»-Informationen"),
        ("Axios zufolge ist der Plan fertig.", "Axios zufolge"),
        ("Dies geschehe, berichtet die Webseite Axios unter Berufung auf Insider.", "Webseite Axios unter Berufung"),
        ("Laut Axios soll es bald Gespräche geben.", "Laut Axios"),
        ("According to Axios, the plan exists.", "According to Axios"),
        ("A US official told Axios on Monday.", "told Axios"),
        ("Axios reported that the talks had stalled.", "Axios reported"),
        ("Axios: USA arbeiten an geheimem Friedensplan", "Axios:"),
        ("Ein Bericht.\n«Axios»: USA und Russland verhandeln", "Axios»:"),
        # a verb bracket: the participle closes the clause beyond the five-word window
        ("Axios hatte am Dienstag zuerst über den Plan berichtet.", "Axios hatte am Dienstag zuerst über den Plan berichtet"),
        ("Das Portal Axios berief sich auf zwei Beamte.", "Portal Axios berief"),
        ("Der Plan hat 28 Punkte (Axios).", "(Axios)"),
        ("Mit Material von Axios und dpa.", "Material von Axios"),
    ],
)
def test_attribution_phrases(sentence: str, expected: str) -> None:
    spans = attributions(sentence, "Axios")
    assert [sentence[s:e] for s, e in spans] == [expected]


@pytest.mark.parametrize("sentence", ["Trump fuhr nach Hause. Axios war nicht dabei.", "The weather in Axios is fine.",
                                      "Laut Reuters ist der Plan fertig.", "Er las Axios: kein Wort zum Plan.",
                                      "Axios hat eine neue Chefin, die zuvor bei Reuters berichtete."])
def test_no_attribution_without_a_cue_or_the_name(sentence: str) -> None:
    assert attributions(sentence, "Axios") == []


def test_french_credit_forms() -> None:
    for credited in ("Selon le site spécialisé Axios, l'agence négocie.", "D'après Axios, le plan compte 28 points.",
                     "un projet de contrat consulté par Axios", "a-t-il déclaré à Axios lundi", "Axios révèle que le plan existe.",
                     "ont indiqué au site Axios trois personnes"):
        assert attributions(credited, "Axios"), credited
    for not_credited in ("Axios est un média américain.", "Il lit Axios chaque matin."):
        assert not attributions(not_credited, "Axios"), not_credited


def test_english_credit_forms_with_the_outlet_as_modifier() -> None:
    from reuse.anchors import attributions

    for credited in ("The plan was revealed in an Axios report on Tuesday.", "The Axios report claims the plan has 28 points.",
                     "The plan was first reported by Axios.", "According to Axios's reporting, the plan has 28 points.",
                     "The plan, as an Axios report put it, has 28 points.", "Axios’s reporting was confirmed by officials."):
        assert attributions(credited, "Axios"), credited
    for not_credited in ("Axios is a news site.", "He read Axios every morning.", "Axios reporters were not at the summit."):
        assert not attributions(not_credited, "Axios"), not_credited


def test_anchor_config_sets_the_windows_and_the_shortest_quote() -> None:
    from reuse.config import AnchorConfig
    from reuse.errors import ConfigError

    bracket = "Axios hatte am Dienstag zuerst über den Plan berichtet."  # the participle is the 8th word after the name
    assert attributions(bracket, "Axios") and not attributions(bracket, "Axios", AnchorConfig(bracket_window=6))
    far = "According to two officials and Axios, the plan exists."  # the cue is the 5th word before the name
    assert [far[s:e] for s, e in attributions(far, "Axios")] == ["According to two officials and Axios"]
    assert attributions(far, "Axios", AnchorConfig(attribution_window=4)) == []
    said = "Er sagte: „Wir wissen es nicht“."
    assert [q.surface for q in quotes(said)] == ["Wir wissen es nicht"]
    assert quotes(said, config=AnchorConfig(min_quote_words=5)) == []
    with pytest.raises(ConfigError, match="bracket_window must be at least attribution_window"):
        AnchorConfig(attribution_window=8, bracket_window=6)
