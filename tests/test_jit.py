"""reuse.jit.in_runs: items cut into runs on threads, results in item order."""

from __future__ import annotations

import threading

import pytest

from reuse.jit import in_runs


@pytest.mark.parametrize(("n", "jobs", "min_run", "runs"), [(0, 4, 10, 1), (9, 4, 10, 1), (25, 4, 10, 3), (10_000, 3, 10, 4), (10_000, 1, 10, 1)])
def test_in_runs_covers_every_item_once_in_order(n: int, jobs: int, min_run: int, runs: int) -> None:
    calls: list[tuple[int, int, bool]] = []

    def run(lo: int, hi: int) -> list[int]:
        calls.append((lo, hi, threading.current_thread() is threading.main_thread()))
        return list(range(lo, hi))

    out = in_runs(run, n, jobs, min_run)
    assert [x for part in out for x in part] == list(range(n))
    assert len(out) == runs  # the first item alone, then up to ``jobs`` runs of at least ``min_run`` items
    if runs > 1:
        assert calls[0] == (0, 1, True)  # loaded on the calling thread before any worker thread calls it
        assert all(hi - lo >= min_run - 1 for lo, hi, _ in calls[1:])  # n // min_run runs at most, over n - 1 items
