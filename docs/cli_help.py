"""Write docs/reference/cli.md: the help of every command, as ``reuse COMMAND --help`` prints it.

    python docs/cli_help.py

``tests/test_docs.py`` checks that the page shows the current help; run this after changing a
command's options or help text.  Not part of the site.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from reuse.cli import main

PAGE = Path(__file__).resolve().parent / "reference" / "cli.md"
#: Terminal width the help is wrapped to.
WIDTH = 100

INTRO = """# Command line

The help of each command, as `reuse COMMAND --help` prints it (the tests check that this page shows
the current help; `python docs/cli_help.py` rewrites it). The options are explained in
[Scanning a corpus](../guide/scan.md#options) and [Deriving reports](../guide/derive.md), the exit
codes in [Exit codes and reasons](../guide/errors.md).
"""


def help_text(*command: str) -> str:
    """``reuse COMMAND --help`` at :data:`WIDTH` columns, without trailing blanks."""
    result = CliRunner().invoke(main, [*command, "--help"], env={"COLUMNS": str(WIDTH)}, terminal_width=WIDTH, prog_name="reuse")
    if result.exit_code != 0:
        raise RuntimeError(result.output)
    return "\n".join(line.rstrip() for line in result.stdout.splitlines())


def render() -> str:
    """The page: the group's help, then each command's."""
    parts = [INTRO, f"## reuse\n\n```text\n{help_text()}\n```\n"]
    parts += [f"## reuse {name}\n\n```text\n{help_text(name)}\n```\n" for name in sorted(main.commands, key=["scan", "derive"].index)]
    return "\n".join(parts)


if __name__ == "__main__":
    PAGE.write_text(render(), encoding="utf-8")
    print(f"wrote {PAGE}")
