"""Drive a real headless Chromium (Debian's ``chromium`` + ``chromium-driver``) through selenium.

In CI (env ``CI`` set) a missing browser is a failure: ``.ci/run`` installs it.
Elsewhere the browser tests skip with a reason that says how to install it.
The browser starts with no network services, no sync and a fresh profile, so a
test sees only the local file it opens.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

INSTALL_HINT = "apt-get install -y chromium chromium-driver && pip install selenium"
FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--disable-extensions", "--hide-scrollbars",
)


def _find(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name) or (name if os.path.isabs(name) and os.access(name, os.X_OK) else None)
        if found:
            return found
    return None


def require_browser() -> tuple[str, str]:
    """Paths of chromium and chromedriver; fail in CI or skip elsewhere when either (or selenium) is missing."""
    chromium = _find("chromium", "/usr/bin/chromium", "chromium-browser")
    driver = _find("chromedriver", "/usr/bin/chromedriver")
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing = "the selenium package"
    else:
        missing = "" if chromium and driver else "chromium and chromedriver"
    if missing:
        message = f"browser tests need {missing}: {INSTALL_HINT}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must install them; see .ci/run)")
        pytest.skip(message)
    assert chromium is not None and driver is not None
    return chromium, driver


@contextmanager
def chromium(width: int = 1400, height: int = 1000) -> Iterator[Any]:
    """A selenium WebDriver for headless Chromium with a fresh profile; quits on exit."""
    binary, driver_path = require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="reuse-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def console_errors(driver: Any) -> list[dict[str, Any]]:
    """Browser console entries of level SEVERE (errors, CSP violations, failed loads)."""
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def alert_text(driver: Any) -> str | None:
    """The text of an open JavaScript alert, or ``None`` when none is open."""
    from selenium.common.exceptions import NoAlertPresentException

    try:
        return driver.switch_to.alert.text
    except NoAlertPresentException:
        return None


def full_page_png(driver: Any, path: str) -> bytes:
    """Resize the window to the page height (bounded) and save a screenshot."""
    height = int(driver.execute_script("return Math.min(document.documentElement.scrollHeight, 12000)"))
    width = int(driver.execute_script("return window.outerWidth"))
    driver.set_window_size(width, max(600, height))
    driver.save_screenshot(path)
    with open(path, "rb") as fh:
        return fh.read()
