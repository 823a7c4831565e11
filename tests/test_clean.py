"""Boilerplate removal on the real seeds and on constructed corpora."""

from __future__ import annotations

import pytest

from reuse.clean import clean, clean_corpus, template_lines
from reuse.config import CleanConfig
from reuse.io import Document, documents_from_texts


def covered(spans: tuple[tuple[int, int], ...], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside one boilerplate span."""
    return any(s <= start and end <= e for s, e in spans)


def overlaps(spans: tuple[tuple[int, int], ...], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


@pytest.fixture(scope="module")
def seeds_cleaned(seed_docs: list[Document]) -> dict[str, tuple[Document, object]]:
    return {d.id[:3]: (d, c) for d, c in zip(seed_docs, clean_corpus(seed_docs), strict=True)}


#: Sentences of article prose, one or more per seed (quoted from the files; facts about the texts).
PROSE = {
    "000": [
        "Wie US-amerikanische und russische Beamte gegenüber Axios berichteten",
        '"Wir wissen, dass die Amerikaner an etwas arbeiten", sagte der ukrainische Beamte.',
        "Ein US-Beamter bestätigte, dass das Weiße Haus begonnen habe",
    ],
    "001": [
        "Steve Witkoff ist Donald Trumps Mann für schwierige Missionen.",
        "Ein ukrainischer Beamter erklärte dem Portal: «Wir wissen, dass die Amerikaner da an etwas arbeiten».",
        "Laut «Axios» hätte der amerikanisch-russische 28-Punkte-Plan nichts mit Starmers Vorhaben zu tun.",
    ],
    "002": [
        "Die Regierung von Donald Trump arbeitet Berichten zufolge im Stillen an einem umfassenden 28-Punkte-Plan",
        "Die Geheimhaltung, die diese Initiative umgibt, unterstreicht die Brisanz der Lage.",
    ],
    "003": [
        "Dies geschehe unter Einbeziehung Russlands, berichtet die Webseite Axios",
        "Russische Vertreter nehmen nicht an den Gesprächen teil.",
    ],
    "004": [
        "Der Sondergesandte von US-Präsident Donald Trump, Steve Witkoff, und dessen Schwiegersohn Jared Kushner",
        "Es darf kein Spiel hinter dem Rücken der Ukraine gespielt werden.",
        "Weder die Ukraine noch Russland legen ihre Verluste offen.",
    ],
}


@pytest.mark.parametrize("prefix", sorted(PROSE))
def test_no_boilerplate_span_overlaps_article_prose(seeds_cleaned, prefix: str) -> None:
    doc, cleaned = seeds_cleaned[prefix]
    for sentence in PROSE[prefix]:
        start = doc.text.find(sentence)
        assert start >= 0, f"fixture sentence not in seed {prefix}: {sentence!r}"
        assert not overlaps(cleaned.boilerplate, start, start + len(sentence)), sentence
        assert cleaned.masked[start : start + len(sentence)] == sentence


@pytest.mark.parametrize("prefix", sorted(PROSE))
def test_most_of_each_seed_survives(seeds_cleaned, prefix: str) -> None:
    doc, cleaned = seeds_cleaned[prefix]
    removed = sum(e - s for s, e in cleaned.boilerplate)
    assert removed < 0.4 * len(doc.text)


@pytest.mark.parametrize(
    ("prefix", "needle"),
    [
        ("004", "Empfohlener redaktioneller Inhalt"),
        ("004", "An dieser Stelle finden Sie einen von unseren Redakteuren ausgewählten, externen Inhalt"),
        ("004", "Ich bin damit einverstanden, dass mir der externe Inhalt angezeigt wird."),
        ("004", "Datenschutz-Einstellungen"),
        ("004", "Zur Startseite"),
        ("004", "zum Hauptinhalt"),
        ("004", "showPaywall:"),
        ("004", "isSubscriber:"),
        ("004", 'console.debug({ userId: "", verifiedBot: "false", botCategory: "" })'),
        ("004", "© ARCHIVBILD/dpa/Gavriil Grigorov"),
        ("004", "© REUTERS/EVA MARIE UZCATEGUI"),
        ("000", "Mehr zum Thema\u00a0–\u00a0Uschakow: Vereinbarungen in Anchorage"),
        ("001", "Bild: EPA/SPUTNIK POOL"),
        ("001", "Bild: keystone"),
        ("001", "Peter Riesbeck / t-online"),
        ("002", "Haben Sie einen Fehler oder eine Ungenauigkeit festgestellt?"),
    ],
)
def test_known_boilerplate_of_the_seeds_is_removed(seeds_cleaned, prefix: str, needle: str) -> None:
    doc, cleaned = seeds_cleaned[prefix]
    start = doc.text.find(needle)
    assert start >= 0, f"fixture text not in seed {prefix}: {needle!r}"
    assert covered(cleaned.boilerplate, start, start + len(needle))
    assert cleaned.masked[start : start + len(needle)].strip() == ""


def test_seed_date_prefix_is_masked(seeds_cleaned) -> None:
    doc, cleaned = seeds_cleaned["001"]
    assert doc.meta_end > 0
    assert covered(cleaned.boilerplate, 0, doc.meta_end)
    assert "2025" not in cleaned.masked[: doc.meta_end]


def test_masked_text_has_same_length_and_keeps_the_rest(seeds_cleaned) -> None:
    for doc, cleaned in seeds_cleaned.values():
        assert len(cleaned.masked) == len(doc.text)
        inside = [False] * len(doc.text)
        for s, e in cleaned.boilerplate:
            inside[s:e] = [True] * (e - s)
        for k, (orig, masked) in enumerate(zip(doc.text, cleaned.masked, strict=True)):
            if inside[k]:
                # blanked, but line breaks survive so line structure does
                assert masked == (orig if orig in "\r\n" else " ")
            else:
                assert masked == orig
        assert list(cleaned.boilerplate) == sorted(cleaned.boilerplate)
        assert all(e1 < s2 for (_, e1), (s2, _) in zip(cleaned.boilerplate, cleaned.boilerplate[1:], strict=False))


def test_titles_skip_boilerplate(seeds_cleaned) -> None:
    # 004 starts with "zum Hauptinhalt" and a photo caption; its title is the headline
    _, cleaned = seeds_cleaned["004"]
    assert cleaned.title is not None
    assert "zum Hauptinhalt" not in cleaned.title


def test_photo_credits_and_captions_in_constructed_text() -> None:
    text = (
        "Überschrift des Artikels\n\n"
        "Der Minister sprach am Montag in Berlin über den Haushalt und die Folgen für die Länder.\n\n"
        "Foto: dpa/Kay Nietfeld\n"
        "Bild: Reuters\n"
        "(Archivbild)\n"
        "© AFP/John Doe\n\n"
        "Die Opposition kritisierte die Pläne scharf und kündigte Widerstand im Bundesrat an."
    )
    (doc,) = documents_from_texts({"x": text})
    cleaned = clean(doc)
    for line in ("Foto: dpa/Kay Nietfeld", "Bild: Reuters", "(Archivbild)", "© AFP/John Doe"):
        start = text.index(line)
        assert covered(cleaned.boilerplate, start, start + len(line)), line
    for prose in ("Der Minister sprach am Montag", "Die Opposition kritisierte die Pläne"):
        start = text.index(prose)
        assert not overlaps(cleaned.boilerplate, start, start + len(prose))


def test_prose_paragraph_starting_with_von_is_kept() -> None:
    text = "Titel\n\nVon Moskau aus reiste die Delegation weiter nach Minsk, wo neue Gespräche geplant sind."
    (doc,) = documents_from_texts({"x": text})
    cleaned = clean(doc)
    start = text.index("Von Moskau")
    assert not overlaps(cleaned.boilerplate, start, len(text))


def _corpus_with_template(n: int) -> dict[str, str]:
    words = ["Haus", "Baum", "Fluss", "Stadt", "Brücke", "Wald", "Feld", "Berg", "Straße", "Markt", "Hafen", "Turm"]
    texts = {}
    for k in range(n):
        prose = " ".join(words[(k + j) % len(words)] + str(k * 31 + j) for j in range(30)) + "."
        lines = [f"Bericht Nummer {k}", prose]
        if k < n // 2:
            lines.append("Alle Rechte vorbehalten, Beispielverlag Nachrichtendienst GmbH")
        if k in (1, 2):
            lines.append("Eine Zeile, die genau zwei Berichte miteinander teilen.")
        texts[f"d{k:02d}"] = "\n".join(lines)
    return texts


def test_corpus_frequent_lines_are_removed_but_a_line_shared_by_two_is_kept() -> None:
    texts = _corpus_with_template(20)
    docs = documents_from_texts(texts)
    templates = template_lines(docs)
    assert "alle rechte vorbehalten, beispielverlag nachrichtendienst gmbh" in templates
    cleaned = {c.id: c for c in clean_corpus(docs)}
    for doc_id in ("d00", "d05", "d09"):
        text = texts[doc_id]
        start = text.index("Alle Rechte vorbehalten")
        assert covered(cleaned[doc_id].boilerplate, start, len(text))
    for doc_id in ("d01", "d02"):
        text = texts[doc_id]
        start = text.index("Eine Zeile, die genau zwei")
        assert not overlaps(cleaned[doc_id].boilerplate, start, start + 20)
    # the prose line is untouched everywhere
    for doc_id, text in texts.items():
        prose_start = text.index("\n") + 1
        assert not overlaps(cleaned[doc_id].boilerplate, prose_start, prose_start + 40)


def test_template_threshold_is_configurable() -> None:
    docs = documents_from_texts(_corpus_with_template(20))
    strict = CleanConfig(corpus_line_min_docs=2, corpus_line_min_share=0.0)
    assert "eine zeile, die genau zwei berichte miteinander teilen." in template_lines(docs, strict)


def test_error_documents_clean_to_nothing() -> None:
    (doc,) = documents_from_texts({"e": "   "})
    cleaned = clean(doc)
    assert cleaned.masked == "" and cleaned.boilerplate == ()


def test_syndicated_paragraph_in_several_documents_is_not_a_template() -> None:
    # regression: a 30-word paragraph printed by 4 of 10 outlets was erased as a template line
    paragraph = (
        "Die Delegation reiste am Dienstag nach Moskau, um mit dem Präsidenten über ein mögliches Ende des Krieges "
        "zu sprechen, nachdem die Gespräche in Genf ohne Ergebnis geblieben waren."
    )
    texts = {}
    for k in range(10):
        lines = [f"Bericht {k}", " ".join(f"wort{k}x{j}" for j in range(40)) + "."]
        if k < 4:
            lines.append(paragraph)
        lines.append("Alle Rechte vorbehalten, Beispielverlag Nachrichtendienst GmbH")
        texts[f"d{k}"] = "\n".join(lines)
    docs = documents_from_texts(texts)
    templates = template_lines(docs)
    assert "alle rechte vorbehalten, beispielverlag nachrichtendienst gmbh" in templates
    assert all("delegation" not in t for t in templates)
    for cleaned in clean_corpus(docs)[:4]:
        text = texts[cleaned.id]
        start = text.index(paragraph)
        assert not overlaps(cleaned.boilerplate, start, start + len(paragraph))


def test_html_markup_is_masked_and_block_tags_end_lines() -> None:
    html = (
        "<html><head><title>Der Titel</title><script>var quote = 'Wir wissen';</script></head><body><!-- c -->"
        "<span class='x'>Ort</span><p>Wir wissen, dass die Amerikaner an etwas arbeiten, sagte er.</p>"
        "<nav>Zur Startseite</nav><figure><figcaption>Bild: dpa</figcaption></figure></body></html>"
    )
    doc = Document(id="h", text=html, html=True)
    cleaned = clean(doc)
    assert len(cleaned.masked) == len(html)
    prose = "Wir wissen, dass die Amerikaner an etwas arbeiten, sagte er."
    start = html.index(prose)
    assert cleaned.masked[start : start + len(prose)] == prose
    assert not overlaps(cleaned.boilerplate, start, start + len(prose))
    # script content, tags, navigation and the credit are all masked
    words = cleaned.masked.split()
    assert "quote" not in cleaned.masked and "<p>" not in cleaned.masked
    assert "Startseite" not in words and "dpa" not in words
    assert cleaned.title == "Der Titel"


def test_html_entities_are_decoded_in_place() -> None:
    """Character references become their characters without moving any offset: a letter entity stays
    inside its word, so "M&uuml;ller" matches a plain-text "Müller"."""
    from reuse.text import token_strings, tokenize

    html = "<h1>Gr&uuml;&szlig;e an M&uuml;ller</h1><p>Sie &amp; er sagten &#8222;Ja&#8220;, &nbsp;5&lt;6 &bogus;.</p>"
    cleaned = clean(Document(id="h", text=html, html=True))
    assert len(cleaned.masked) == len(html)
    words = token_strings(cleaned.masked, tokenize(cleaned.masked))
    plain = "Grüße an Müller Sie & er sagten „Ja“, 5<6 &bogus;."
    assert words == token_strings(plain, tokenize(plain))
    assert "uuml" not in words and "amp" not in words and "8222" not in words
    assert cleaned.title == "Grüße an Müller"


def test_entities_in_plain_text_are_left_alone() -> None:
    text = "AT&amp;T bleibt, wie es geschrieben steht."
    assert clean(Document(id="t", text=text)).masked == text


def test_html_page_furniture_is_masked_with_its_content() -> None:
    prose = "Die Regierung arbeitet an einem neuen Plan, sagte ein Sprecher am Dienstag."
    html = (
        "<html><body><nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/sport'>Sport</a></nav>"
        f"<article><h1>Neuer Plan</h1><p>{prose}</p></article>"
        "<aside><h3>Weitere Artikel</h3><ul><li>Axios: Plan mit 28 Punkten</li></ul></aside>"
        "<div class='cookie'>Cookies? <button>Alle akzeptieren</button></div>"
        "<figure><img src='p.jpg'><figcaption>Putin und Trump 2017 in Vietnam. Foto: EPA</figcaption></figure>"
        "<footer>Impressum Kontakt AGB</footer></body></html>"
    )
    cleaned = clean(Document(id="h", text=html, html=True))
    words = cleaned.masked.split()
    for furniture in ("World", "Sport", "Axios:", "akzeptieren", "Impressum", "Vietnam."):
        assert furniture not in words
    start = html.index(prose)
    assert cleaned.masked[start : start + len(prose)] == prose


@pytest.mark.parametrize("heading", ["More on this story", "Lesen Sie auch", "See also"])
def test_teaser_lists_after_a_teaser_heading_are_masked(heading: str) -> None:
    text = (
        "Die Regierung arbeitet an einem neuen Plan, sagte ein Sprecher am Dienstag.\n"
        f"{heading}\nAxios: USA und Russland verhandeln geheim\nSelenskyj reist in die Türkei\n"
    )
    cleaned = clean(Document(id="t", text=text))
    assert "Axios" not in cleaned.masked and "Türkei" not in cleaned.masked
    assert cleaned.masked.startswith("Die Regierung arbeitet")


def test_html_template_lines_are_counted_on_the_tag_masked_text() -> None:
    # the byline shares its raw line with other markup, so only the tag-masked lines show it recurring
    pages = [
        f"<html><body><h1>Titel {k}</h1><p class='byline'>Von unserer Redaktion in Berlin</p><p>{body}</p></body></html>"
        for k, body in enumerate(["Erster Bericht über das Wetter.", "Zweiter Bericht über den Verkehr.", "Dritter Bericht über die Bahn."])
    ]
    docs = [Document(id=str(k), text=page, html=True) for k, page in enumerate(pages)]
    assert "von unserer redaktion in berlin" in template_lines(docs)


def test_a_site_header_is_masked_an_article_header_is_not() -> None:
    html = (
        "<html><body><header class='site'><a href='/'>Nachrichtenportal</a><ul><li>Politik</li><li>Wirtschaft</li></ul></header>"
        "<article><header><h1>Neuer Plan für die Ukraine</h1><p>Die USA arbeiten an einem Plan.</p></header>"
        "<p>Die Regierung arbeitet an einem neuen Plan, sagte ein Sprecher am Dienstag.</p></article></body></html>"
    )
    words = clean(Document(id="h", text=html, html=True)).masked.split()
    assert "Nachrichtenportal" not in words and "Politik" not in words
    assert "Ukraine" in words and "Plan." in words


def test_a_text_without_a_title_line_gets_a_short_title() -> None:
    from reuse.clean import clean
    from reuse.io import documents_from_texts

    paragraph = " ".join(f"Wort{k}" for k in range(400))  # one line: the first line is the whole text
    (doc,) = documents_from_texts({"p": paragraph})
    title = clean(doc).title
    assert title is not None and title.endswith("…") and len(title) <= 121
    assert paragraph.startswith(title[:-1]) and title[-2] != " "  # cut at a word boundary
    (short,) = documents_from_texts({"s": "Kurzer Titel\n\nText darunter."})
    assert clean(short).title == "Kurzer Titel"
