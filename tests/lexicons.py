"""Debian's bilingual lexicons for the cross-language tests (``trans-de-en``, ``dict-freedict-fra-eng``/``-eng-fra``).

In CI (env ``CI`` set) a missing lexicon is a failure: ``.ci/run`` installs the packages. Elsewhere
the tests that need one skip with the install command.
"""

from __future__ import annotations

import os

import pytest

from reuse.lexicon import default_files, install_hint


def require_lexicon(lang: str) -> None:
    """Fail in CI, skip elsewhere, when ``lang``'s default lexicon is not installed."""
    if default_files(lang):
        return
    message = f"the {lang}-en lexicon is not installed: {install_hint(lang)}"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must install it; see .ci/run)")
    pytest.skip(message)
