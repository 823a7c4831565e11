"""Source names without letters: rejected when the user gives one, harmless when the data holds one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reuse.anchors import attributions

pytestmark = pytest.mark.timeout(120)


@pytest.mark.parametrize("name", ["", "   ", ".*", "—", "()"])
def test_source_name_without_letters_is_one_line(seeds_dir: Path, cli, name: str) -> None:
    run = cli("derive", str(seeds_dir), "--source-name", name)
    assert run.code == 1 and "holds no letter or digit" in run.err


@pytest.mark.parametrize("name", ["", ".*", "—", "«»"])
def test_attributions_of_a_name_without_words(name: str) -> None:
    assert attributions("laut Axios — und «» sowie .* berichtete", name) == []


def test_source_field_without_letters_in_families_mode(tmp_path: Path, cli) -> None:
    shared = "Die Regierung hat am Abend ein neues Gesetz zum Schutz der Wälder beschlossen, wie ein Sprecher mitteilte."
    rows = [
        {"id": "a", "text": f"Wälder\n\n{shared} Mehr folgt.", "source": "—"},
        {"id": "b", "text": f"Gesetz\n\nWie — berichtet: {shared}", "source": ".*"},
    ]
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    run = cli("derive", str(path))
    assert run.code == 0 and [d["status"] for d in run.report["documents"]] == ["ok", "ok"]
