"""Regenerate docs/seeds-report.png: the HTML report of ``reuse scan seeds`` in headless Chromium.

    python docs/screenshot.py            # needs chromium, chromedriver and selenium (the test extra)

The page is opened with its folded sections (stock clusters) open, so the picture shows the
document table, a reprint cluster with its members, and the drawings.  Not part of the site.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import chromium  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from reuse.cli import main  # noqa: E402


def screenshot(out: Path, width: int = 1300, height: int = 1400) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "seeds.html"
        os.chdir(ROOT)  # the page's title names the path as given: "seeds", as the README runs it
        result = CliRunner().invoke(main, ["scan", "seeds", "--format", "html", "-o", str(page), "-q"])
        if result.exit_code != 0:
            raise SystemExit(result.output)
        with chromium(width, height) as driver:
            driver.get(page.as_uri())
            driver.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
            driver.save_screenshot(str(out))


if __name__ == "__main__":
    screenshot(ROOT / "docs" / "seeds-report.png")
    print("wrote docs/seeds-report.png")
