"""The numba compiler, imported only when the first kernel is built (importing numba costs a
fraction of a second that a run without kernels need not pay).

Every compiled kernel keeps a numpy or Python reference path, used when numba cannot be imported.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


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


def in_runs(run: Callable[[int, int], T], n: int, jobs: int, min_run: int) -> list[T]:
    """``run(lo, hi)`` over items ``0..n-1`` cut into consecutive runs, on up to ``jobs`` threads; results in item order.

    A run holds at least ``min_run`` items (fewer are not worth a thread).  With more than one
    run, item 0 runs alone on the calling thread first: a compiled kernel is loaded there once,
    where threads calling an unloaded kernel each load it.  ``run`` must give the same results
    however the items are cut (each run writes its own stretch, or the results are joined).
    """
    parts = max(1, min(jobs, n // max(1, min_run)))
    if parts == 1:
        return [run(0, n)]
    head = run(0, 1)
    cuts = [1 + (n - 1) * k // parts for k in range(parts + 1)]
    with ThreadPoolExecutor(max_workers=parts) as pool:
        return [head, *pool.map(run, cuts[:-1], cuts[1:])]


__all__ = ["compiler", "in_runs"]
