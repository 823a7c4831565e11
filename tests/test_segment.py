"""Sentence units: offsets, abbreviations, German ordinal dates, wrapped lines, masked boilerplate."""

from reuse.segment import split


def _texts(text: str) -> list[str]:
    return [text[u.start : u.end] for u in split(text)]


def test_offsets_round_trip_and_basic_split() -> None:
    text = "Erster Satz. Zweiter Satz! Dritter?  Vierter"
    units = split(text)
    assert _texts(text) == ["Erster Satz.", "Zweiter Satz!", "Dritter?", "Vierter"]
    assert all(text[u.start : u.end].strip() == text[u.start : u.end] for u in units)


def test_abbreviations_and_ordinal_dates_do_not_split() -> None:
    text = "Er kam am 15. August 2025 an. Vom 24. bis 26. Oktober war Dr. Müller u.a. in Miami. Das ist z.B. gut."
    assert _texts(text) == ["Er kam am 15. August 2025 an.", "Vom 24. bis 26. Oktober war Dr. Müller u.a. in Miami.", "Das ist z.B. gut."]


def test_line_breaks_split_unless_text_is_hard_wrapped() -> None:
    news = "Titel ohne Punkt\nErster Absatz. Noch ein Satz.\nZweiter Absatz."
    assert _texts(news)[0] == "Titel ohne Punkt"
    wrapped = "This is a long\nsentence wrapped at\nfixed width and it\ncontinues here. Next one\nis also wrapped."
    assert _texts(wrapped) == ["This is a long\nsentence wrapped at\nfixed width and it\ncontinues here.", "Next one\nis also wrapped."]


def test_masked_text_never_yields_units() -> None:
    text = "Echter Satz.\n" + " " * 30 + "\nNoch einer."
    assert _texts(text) == ["Echter Satz.", "Noch einer."]
