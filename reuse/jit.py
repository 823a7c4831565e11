"""The numba compiler, imported only when the first kernel is built (importing numba costs a
fraction of a second that a run without kernels need not pay).

Every compiled kernel keeps a numpy or Python reference path, used when numba cannot be imported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def compiler(nogil: bool = True) -> Callable[[Any], Any] | None:
    """``numba.njit`` with the kernels' options, or None when numba cannot be imported.

    ``cache=True`` keeps compiled kernels on disk between runs; ``nogil`` lets them run on
    several threads at once.
    """
    try:
        from numba import njit
    except ImportError:  # pragma: no cover - numba is a dependency
        return None
    return njit(cache=True, nogil=nogil)
