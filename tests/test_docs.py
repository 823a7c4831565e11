"""The README's quick start, CI script and JSON contract stay in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reuse.config import ScanConfig
from reuse.io import documents_from_texts
from reuse.pipeline import scan
from reuse.report import scan_dict

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(heading: str) -> str:
    """The text under a ``## heading`` up to the next heading of the same or a higher level."""
    m = re.search(rf"^(#+) {re.escape(heading)}\s*$", README, re.M)
    assert m, f"README has no {heading!r} heading"
    level = len(m.group(1))
    rest = README[m.end() :]
    nxt = re.search(rf"^#{{1,{level}}} ", rest, re.M)
    return rest[: nxt.start()] if nxt else rest


def quick_start_commands() -> list[str]:
    body = section("Quick start")
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", body, re.M | re.S)
    assert len(blocks) == 1, "the Quick start section must hold exactly one fenced block"
    # the block is the first thing after the heading
    assert body.lstrip().startswith("```")
    return [line for line in blocks[0].splitlines() if line.strip()]


def test_quick_start_is_one_block_of_two_commands() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    first, second = commands
    assert "pip install" in first and "reuse derive seeds" in first
    assert "pip install" in second and "pytest" in second
    assert not any(c.lstrip().startswith("#") for c in commands)


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    second = quick_start_commands()[1]
    assert second in ci.splitlines()
    # pytest's "no tests collected" (exit 5) must fail CI
    assert re.search(r"-eq 5", ci) and "exit 1" in ci


def json_keys_in_readme() -> set[str]:
    """Keys named in the README's fenced ``json`` blocks (the documented schema)."""
    blocks = re.findall(r"^```json\n(.*?)^```", README, re.M | re.S)
    assert blocks, "README has no ```json block documenting the scan output"
    return {key for block in blocks for key in re.findall(r'"(\w+)"\s*:', block)}


def _keys(value: object) -> set[str]:
    """Every key of every object nested in ``value``."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


@pytest.fixture(scope="module")
def contract_keys() -> set[str]:
    shared = " ".join(f"Satz {k} über den Plan der Regierung, den die Agentur am Morgen meldete." for k in range(4))
    docs = documents_from_texts({"a": f"Titel A\n\n{shared}", "b": f"Titel B\n\nEin Beamter sagte: {shared}", "c": ""})
    report = scan_dict(scan(docs, ScanConfig(pairs=True)))
    assert report["clusters"] and report["families"] and report["pairs"], "the contract sample needs every record"
    return _keys(report)


def test_readme_documents_every_json_key(contract_keys: set[str]) -> None:
    documented = json_keys_in_readme()
    assert contract_keys == {
        "version", "documents", "clusters", "families", "pairs",
        "id", "status", "reason", "title", "date", "language", "chars", "boilerplate",
        "kind", "size", "words", "origin", "basis", "representative", "text", "members", "start", "end", "similarity",
        "cluster", "a", "a_start", "a_end", "b", "b_start", "b_end", "text_a", "text_b",
    }
    assert contract_keys <= documented, sorted(contract_keys - documented)


def test_seeds_in_repository_match_the_readme() -> None:
    assert len(list((ROOT / "seeds").glob("*.txt"))) == 5
    assert "seeds/" in README
