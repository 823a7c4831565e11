"""glibc's allocator and Python's cycle collector, told how this workload uses memory.

A scan allocates many arrays of tens to hundreds of megabytes (tokens, shingles, signatures,
band keys), frees them and allocates the next ones.  By default glibc serves each large array
with a fresh ``mmap`` and unmaps it on free, so every array's pages are faulted in anew: on
20,000 documents a third of the run was system time (1.9 s of 6.5 s CPU).  Served from the
heap and kept there, the pages are reused (0.7 s).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
#: Arrays up to glibc's largest mmap threshold (32 MiB on 64-bit) come from the heap ...
MMAP_THRESHOLD = 32 * 2**20
#: ... and up to this much freed memory stays with the process instead of being returned at once.
TRIM_THRESHOLD = 2**30


def _libc() -> ctypes.CDLL | None:
    with contextlib.suppress(OSError, AttributeError):
        return ctypes.CDLL("libc.so.6")
    return None


def keep_freed_memory() -> bool:
    """Serve large arrays from the heap and keep freed memory for the next ones; True where glibc did so."""
    libc = _libc()
    if libc is None or not hasattr(libc, "mallopt"):
        return False
    return bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(libc.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))


#: Allocations between two young-generation collections: the cycle collector's default (700) ran full
#: passes over a scan's hundreds of thousands of long-lived objects (documents, spans, clusters) again and
#: again, for cycles the scan hardly makes: 0.2-0.3 s of 20,000 documents.
GC_THRESHOLD = (100_000, 50, 100)


def collect_rarely() -> None:
    """Run Python's cycle collector far less often (:data:`GC_THRESHOLD`); memory is still freed by reference counts."""
    gc.set_threshold(*GC_THRESHOLD)


def release_freed_memory() -> None:
    """Hand freed heap memory back to the system now (``malloc_trim``).

    Long-lived per-document records are allocated between each batch's large transient
    texts and arrays; glibc keeps the freed holes mapped, so without this the resident size
    of a streamed scan grows with the corpus although the live memory does not.
    """
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


__all__ = ["GC_THRESHOLD", "collect_rarely", "keep_freed_memory", "release_freed_memory"]
