"""The README, the docs site and the command line's help stay in step with the code.

* the README's quick start is one block of two commands, and CI runs its test command verbatim;
* every ``python``/``pycon`` block of the README and of ``docs/`` runs (doctest for ``pycon``), and
  every ``console`` block's output lines appear, in order, in a real run of its command;
* the JSON contracts page names every key the reports write;
* every command and option has help, every command's help ends with examples that parse, and the
  CLI reference page shows the current help;
* every page is in the site's navigation, every relative link and image resolves, every config
  field has a docstring.
"""

from __future__ import annotations

import ast
import doctest
import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from reuse.cli import main
from reuse.config import ScanConfig
from reuse.derive import derive
from reuse.io import documents_from_texts
from reuse.pipeline import scan
from reuse.report import derive_dict, scan_dict

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
#: Every page whose examples run: the README and the site's pages.
EXAMPLE_PAGES = [ROOT / "README.md", *PAGES]
#: Terminal width for the console examples (the tables fit it; the README's outputs were made with it).
COLUMNS = "100"


def page_id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def section(text: str, heading: str) -> str:
    """The text under a ``#... heading`` up to the next heading of the same or a higher level."""
    m = re.search(rf"^(#+) {re.escape(heading)}\s*$", text, re.M)
    assert m, f"no {heading!r} heading"
    level = len(m.group(1))
    rest = text[m.end() :]
    nxt = re.search(rf"^#{{1,{level}}} ", rest, re.M)
    return rest[: nxt.start()] if nxt else rest


def fenced(text: str) -> list[tuple[str, str, int]]:
    """``(language, body, line number)`` of every fenced block (``` at the start of a line)."""
    return [(m.group(1), m.group(2), text[: m.start()].count("\n") + 2)
            for m in re.finditer(r"^```(\w*)[^\n]*\n(.*?)^```", text, re.M | re.S)]


# --- README and CI ------------------------------------------------------------------------------


def quick_start_commands() -> list[str]:
    body = section(README, "Quick start")
    blocks = fenced(body)
    assert len(blocks) == 1, "the Quick start section must hold exactly one fenced block"
    assert body.lstrip().startswith("```"), "the block is the first thing after the heading"
    return [line for line in blocks[0][1].splitlines() if line.strip()]


def test_quick_start_is_one_block_of_two_commands() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    first, second = commands
    assert "pip install" in first and "reuse derive seeds" in first
    assert "pip install" in second and "pytest" in second
    assert not any(c.lstrip().startswith("#") for c in commands)


def test_ci_runs_the_readme_test_command_verbatim_and_builds_the_docs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    second = quick_start_commands()[1]
    assert second in ci.splitlines()
    # pytest's "no tests collected" (exit 5) must fail CI
    assert re.search(r'if \[ "\$rc" -eq 5 \]; then\n[^\n]*\n\s*rc=1\n', ci) and ci.rstrip().endswith('exit "$rc"')
    assert "mkdocs build --strict" in ci and "'.[docs]'" in ci


def test_readme_is_short_and_links_into_the_docs() -> None:
    assert len(README.splitlines()) <= 250
    links = re.findall(r"\]\((docs/[^)#]+)", README)
    assert len(links) >= 5 and all((ROOT / link).exists() for link in links), links


def test_seeds_in_repository_match_the_readme() -> None:
    assert len(list((ROOT / "seeds").glob("*.txt"))) == 5
    assert "five German reports" in README


# --- examples run ---------------------------------------------------------------------------------


def python_blocks(page: Path) -> list[tuple[str, str, int]]:
    return [(lang, body, line) for lang, body, line in fenced(page.read_text(encoding="utf-8")) if lang in ("python", "pycon")]


def test_examples_are_found() -> None:
    # the runners below are parametrised by the pages that hold examples: make sure they still find some
    assert {page_id(p) for p in EXAMPLE_PAGES if python_blocks(p)} >= {"README.md", "docs/guide/python.md", "docs/guide/scan.md"}
    assert {page_id(p) for p in EXAMPLE_PAGES if console_examples(p.read_text(encoding="utf-8"))} >= {"README.md", "docs/guide/scan.md"}


@pytest.mark.parametrize("page", [p for p in EXAMPLE_PAGES if python_blocks(p)], ids=page_id)
def test_python_examples_run(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ``python`` block is executed and every ``pycon`` block doctested, in page order, in one namespace."""
    monkeypatch.chdir(ROOT)  # examples name "seeds" and "tests/corpora/..." as a user in the project's root does
    blocks = python_blocks(page)
    globs: dict[str, object] = {"__name__": "__docs__"}
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for lang, body, line in blocks:
        where = f"{page_id(page)}:{line}"
        if lang == "python":
            exec(compile(body, where, "exec"), globs)
            continue
        test = parser.get_doctest(body, globs, where, str(page), line)
        result = runner.run(test, clear_globs=False)
        globs.update(test.globs)  # a DocTest runs in a copy of the namespace it is given
        assert result.failed == 0, f"{where}: {result.failed} of {result.attempted} examples failed (see the output above)"


def console_examples(text: str) -> list[tuple[str, list[str], int]]:
    """``(command, shown output lines, line)`` for each ``$ reuse ...`` line of a ``console`` block that shows output."""
    out = []
    for lang, body, line in fenced(text):
        if lang != "console":
            continue
        current: tuple[str, list[str], int] | None = None
        for k, row in enumerate(body.splitlines()):
            if row.startswith("$ "):
                if current and current[1]:
                    out.append(current)
                current = (row[2:], [], line + k)
            elif current is not None:
                current[1].append(row)
        if current and current[1]:
            out.append(current)
    return out


def _matches(shown: str, actual: str) -> bool:
    # a shown line ending in "…" may be cut: it matches an actual line starting with it
    return actual == shown or (shown.endswith("…") and actual.startswith(shown[:-1]))


@pytest.mark.parametrize("page", [p for p in EXAMPLE_PAGES if console_examples(p.read_text(encoding="utf-8"))], ids=page_id)
def test_console_examples_show_real_output(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each shown output line of a ``$ reuse ...`` example appears, in order, in the command's standard output."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", COLUMNS)
    for command, shown, line in console_examples(page.read_text(encoding="utf-8")):
        args = shlex.split(command)
        assert args[0] == "reuse", f"{page_id(page)}:{line}: only reuse commands are run ({command})"
        result = CliRunner().invoke(main, args[1:])
        assert result.exit_code == 0, result.output
        actual = [x.rstrip() for x in result.stdout.splitlines()]
        pos = 0
        for want in (x.rstrip() for x in shown):
            if want in ("", "...", "…"):
                continue
            while pos < len(actual) and not _matches(want, actual[pos]):
                pos += 1
            assert pos < len(actual), (f"{page_id(page)}:{line}: `{command}` no longer prints {want!r} (in this order); "
                                       f"it prints (COLUMNS={COLUMNS}):\n" + result.stdout)
            pos += 1


# --- the JSON contracts ---------------------------------------------------------------------------


def json_keys_documented() -> set[str]:
    """Keys named in the contracts page's fenced ``json`` blocks and in its tables' first column."""
    text = (DOCS / "reference" / "json.md").read_text(encoding="utf-8")
    keys = {k for lang, body, _ in fenced(text) if lang == "json" for k in re.findall(r'"(\w+)"\s*:', body)}
    keys |= {k for cell in re.findall(r"^\| ([^|]+) \|", text, re.M) for k in re.findall(r"`(\w+)`", cell)}
    return keys


def _keys(value: object) -> set[str]:
    """Every key of every object nested in ``value``."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


SHARED = " ".join(f"Satz {k} über den Plan der Regierung, den die Agentur am Morgen meldete." for k in range(4))


def test_contracts_page_documents_every_scan_key() -> None:
    docs = documents_from_texts({"a": f"Titel A\n\n{SHARED}", "b": f"Titel B\n\nEin Beamter sagte: {SHARED}", "c": ""})
    report = scan_dict(scan(docs, ScanConfig(pairs=True)))
    assert report["clusters"] and report["families"] and report["pairs"], "the contract sample needs every record"
    keys = _keys(report)
    assert keys == {
        "version", "documents", "clusters", "families", "pairs",
        "id", "status", "reason", "title", "date", "language", "chars", "boilerplate",
        "kind", "size", "words", "origin", "basis", "representative", "text", "members", "start", "end", "similarity",
        "cluster", "a", "a_start", "a_end", "b", "b_start", "b_end", "text_a", "text_b",
    }
    assert keys <= json_keys_documented(), sorted(keys - json_keys_documented())


def test_contracts_page_documents_every_derive_key() -> None:
    original = "Die Regierung hat am Montag in Genf einen Plan mit 28 Punkten vorgelegt. „Wir wissen, dass das ein guter Anfang ist“, sagte Witkoff."
    reports = {
        "a": "Laut Axios hat die Regierung am Dienstag in Genf einen Plan mit 28 Punkten vorgelegt. „Wir wissen, dass das ein guter Anfang war“, sagte Witkoff.",
        "b": "Wie Axios berichtet, hat die Regierung in Genf einen Plan mit 28 Punkten vorgelegt. Witkoff nannte ihn einen Anfang.",
        "c": "Die Regierung hat einen Plan mit 28 Punkten vorgelegt, in Genf, am Montag. Ein Anfang, sagte Witkoff.",
        "x": "",
    }
    docs = documents_from_texts(reports)
    keys: set[str] = set()
    for kwargs in ({"original": documents_from_texts({"orig": original})[0], "source_name": "Axios"}, {"source_name": "Axios"}, {}):
        keys |= _keys(derive_dict(derive(docs, **kwargs)))
    keys.discard("lexicons")  # listed, with its entries' keys, in the table (only a cross-language run fills it)
    documented = json_keys_documented()
    assert {"drift", "evidence", "attribution", "source_id", "attributing", "families"} <= keys
    assert keys <= documented, sorted(keys - documented)
    assert {"lexicons", "pair", "files", "entries"} <= documented


# --- command-line help ----------------------------------------------------------------------------


def _commands() -> list[tuple[str, click.Command]]:
    return [("", main), *sorted(main.commands.items())]


def _help(name: str) -> str:
    result = CliRunner().invoke(main, [*([name] if name else []), "--help"], env={"COLUMNS": "100"}, terminal_width=100, prog_name="reuse")
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(("name", "command"), _commands(), ids=lambda x: x if isinstance(x, str) else "")
def test_every_command_and_option_has_help(name: str, command: click.Command) -> None:
    assert command.help and command.help.strip(), name or "reuse"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help and len(param.help) > 10, f"reuse {name} {'/'.join(param.opts)} has no help text"


@pytest.mark.parametrize(("name", "command"), _commands(), ids=lambda x: x if isinstance(x, str) else "")
def test_every_help_ends_with_examples_that_parse(name: str, command: click.Command) -> None:
    text = _help(name)
    _, sep, tail = text.rpartition("Examples:")
    assert sep, f"reuse {name} --help has no Examples section"
    examples = [line.split("#")[0].strip() for line in tail.strip().splitlines()]
    assert 2 <= len(examples) <= 3 and all(e.startswith(f"reuse {name}".strip() + " ") for e in examples), examples
    for example in examples:  # each example is a valid invocation (parsed, not run)
        _, sub, *args = shlex.split(example)
        parent = main.make_context("reuse", [sub, *args])  # the group's settings (-h) reach the command, as in a real run
        main.commands[sub].make_context(sub, args, parent=parent)


def test_cli_reference_page_shows_the_current_help() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("cli_help", DOCS / "cli_help.py")
    assert spec is not None and spec.loader is not None
    cli_help = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cli_help)
    assert (DOCS / "reference" / "cli.md").read_text(encoding="utf-8") == cli_help.render(), (
        "docs/reference/cli.md does not show the current --help of every command: run python docs/cli_help.py")


# --- the site -------------------------------------------------------------------------------------


def test_every_page_is_in_the_navigation() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    listed = set(re.findall(r":\s*([\w/.-]+\.md)\s*$", config, re.M))
    assert listed == {str(p.relative_to(DOCS)) for p in PAGES}


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_relative_links_and_images_resolve(page: Path) -> None:
    text = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.M | re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        path = target.split("#")[0]
        assert (page.parent / path).resolve().exists(), f"{page_id(page)}: broken link {target}"


def test_every_config_field_has_a_docstring() -> None:
    """Each field of each config dataclass is followed by its docstring (the Configuration page is built from them)."""
    tree = ast.parse((ROOT / "reuse" / "config.py").read_text(encoding="utf-8"))
    missing = []
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        body = cls.body
        for k, node in enumerate(body):
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                nxt = body[k + 1] if k + 1 < len(body) else None
                if not (isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant) and isinstance(nxt.value.value, str)):
                    missing.append(f"{cls.name}.{node.target.id}")
    assert not missing, missing
