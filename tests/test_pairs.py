"""Derive stage 2: pair similarities, and the facts distinctive of the source (reuse.pairs.distinctive)."""

import numpy as np

from reuse.config import DeriveConfig
from reuse.derive import _front_config
from reuse.io import documents_from_texts
from reuse.pairs import distinctive, similarities
from reuse.pipeline import DEFAULT_SCAN, analyse
from reuse.units import build_units

SOURCE = (
    "The cable was damaged by a ship's anchor off the coast in March. "
    "Divers found the armour of the cable torn over fourteen metres. "
    "Engineers said the cable could fail and advised halving its load. "
    "The operator kept the cable running at full power through the spring."
)
REPORT = (
    "A repair ship reached the damaged cable on Wednesday. "
    "Divers had found its armour torn over fourteen metres, engineers said."
)
UNRELATED = "The football club opened its new stadium with a concert. Fans queued for hours in the rain."


def _pairs(texts: dict[str, str]) -> tuple[np.ndarray, np.ndarray, object]:
    config = DeriveConfig()
    an = analyse(documents_from_texts(texts), _front_config(config, DEFAULT_SCAN))
    units = build_units(an, sorted(an.tokens), config)
    rows, cols = np.flatnonzero(units.doc == 1), np.flatnonzero(units.doc == 0)
    return rows, cols, units


def test_recurring_words_are_not_distinctive() -> None:
    rows, cols, units = _pairs({"source": SOURCE, "report": REPORT})
    d = distinctive(units, rows, cols, np.zeros((len(rows), len(cols)), dtype=bool), DeriveConfig().distinct_max_share)
    # "cable" is in every source sentence, so it is no evidence: the report's background sentence
    # shares "ship" and "damaged" with the first unit (fewer than a statement needs), the rewritten
    # statement shares divers, found, armour, torn, fourteen, metres with the second
    assert d[0].tolist() == [2, 0, 0, 0]
    assert d[1, 1] == 6 and d[1].argmax() == 1
    assert d[0, 0] < DeriveConfig().statement_facts <= d[1, 1]
    # counting every shared fact, the recurring word counts too, in every unit
    everything = distinctive(units, rows, cols, np.zeros((len(rows), len(cols)), dtype=bool), 1.0)
    assert everything[0].tolist() == [3, 1, 1, 1]


def test_distinctive_facts_do_not_depend_on_the_rest_of_the_run() -> None:
    config = DeriveConfig()
    rows, cols, units = _pairs({"source": SOURCE, "report": REPORT})
    alone = similarities(units, rows, cols, config).distinct
    rows2, cols2, units2 = _pairs({"source": SOURCE, "report": REPORT, "other": UNRELATED, "more": SOURCE.replace("cable", "line")})
    crowded = similarities(units2, rows2, cols2, config).distinct
    assert np.array_equal(alone, crowded)
