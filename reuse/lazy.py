"""scipy.sparse, imported when first used: a scan never needs it (its sparse products are the reference
paths of compiled kernels), and importing it costs a tenth of a second at every start."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class _Lazy:
    """A module imported on first attribute access."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attr)


#: ``scipy.sparse`` (use as ``from reuse.lazy import sparse as sp``).
sparse: Any = _Lazy("scipy.sparse")

__all__ = ["sparse"]
