"""A griffe extension for the API reference: Sphinx roles in docstrings (``:class:`~reuse.io.Document```,
``:func:`load```) are shown as code (``Document``, ``load``), as a reader of the source sees them.

Loaded by mkdocs.yml (mkdocstrings' ``extensions``); not part of the site.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

#: ``:role:`target``` or ``:role:`~dotted.target``` (the tilde shows the last part only).
_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|data|attr|obj|exc):`(~?)([^`]+)`")


def plain(text: str) -> str:
    """``text`` with every Sphinx role turned into a code span."""
    return _ROLE.sub(lambda m: f"`{m.group(2).rsplit('.', 1)[-1] if m.group(1) else m.group(2)}`", text)


class SphinxRoles(griffe.Extension):
    """Rewrite the docstring of every object griffe loads."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = plain(obj.docstring.value)
