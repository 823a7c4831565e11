"""Drift: the anchors that changed between an aligned source unit and report sentence."""

from reuse.drift import drift


def test_drift_on_constructed_pairs() -> None:
    src = "Dmitrijew besuchte vom 24. bis 26. Oktober Miami und traf Präsident Wladimir Putin. „Wir wissen, dass die Amerikaner an etwas arbeiten“, sagte er."
    rep = "Dmitriev besuchte vom 25. bis 27. Oktober Miami und traf Präsident Wladimir Selenskyj. „Wir wissen, dass die Amerikaner da an etwas arbeiten“, sagte er."
    found = drift(rep, 0, len(rep), src, 0, len(src))
    kinds = {(x.kind, x.original, x.report) for x in found}
    assert ("date", "24. bis 26. Oktober", "25. bis 27. Oktober") in kinds
    assert ("name", "Putin", "Selenskyj") in kinds
    assert any(k == "quote" for k, _, _ in kinds)
    assert not any(k == "name" and o == "Dmitrijew" for k, o, _ in kinds)  # a spelling variant, not drift
    for x in found:
        assert rep[x.start : x.end] == x.report


def test_a_date_without_its_year_is_no_drift() -> None:
    report = "Trump und Putin trafen sich am 15. August 2025 in Alaska."
    source = "Trump und Putin trafen sich am 15. August in Alaska."
    assert drift(report, 0, len(report), source, 0, len(source)) == []
    moved = "Trump und Putin trafen sich am 16. August 2025 in Alaska."
    assert [d.kind for d in drift(moved, 0, len(moved), source, 0, len(source))] == ["date"]
    other_year = "Trump und Putin trafen sich am 15. August 2024 in Alaska."
    assert [d.kind for d in drift(other_year, 0, len(other_year), report, 0, len(report))] == ["date"]
