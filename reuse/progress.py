"""Progress bars on stderr for long work, shown only when stderr is a terminal.

The pipeline reports progress through a plain callback ``progress(stage, done,
total)``; :func:`progress_bar` returns such a callback, or ``None`` when nothing
should be drawn (``--quiet``, or stderr redirected to a file or pipe, where bars
would only litter logs).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

Progress = Callable[[str, int, int], None]

#: Redraw at most this often (seconds): drawing is cheap but terminals are not.
MIN_REDRAW_SECONDS = 0.1
BAR_WIDTH = 30


class ProgressBar:
    """A one-line bar per stage, redrawn in place with ``\\r``; call :meth:`close` when done.

    Parameters
    ----------
    stream : text stream
        Where to draw (stderr).
    clock : callable
        Seconds, for rate limiting (``time.monotonic``).
    """

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.stage: str | None = None
        self.last = float("-inf")
        self.width = 0
        self.pending: tuple[str, int, int] | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self.clock()
        finished = total > 0 and done >= total
        if stage == self.stage and not finished and now - self.last < MIN_REDRAW_SECONDS:
            self.pending = (stage, done, total)  # drawn before the line is left, so the last count shows
            return
        if self.stage is not None and stage != self.stage:
            self._flush_pending()
            self.stream.write("\n")  # keep the finished stage's last line
            self.width = 0
        self.pending = None
        self._draw(stage, done, total, now)

    def _flush_pending(self) -> None:
        if self.pending is not None:
            self._draw(*self.pending, self.clock())
            self.pending = None

    def _draw(self, stage: str, done: int, total: int, now: float) -> None:
        self.stage, self.last = stage, now
        if total > 0:
            share = min(1.0, max(0.0, done / total))
            filled = round(share * BAR_WIDTH)
            line = f"{stage:<10} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}"
        else:
            line = f"{stage:<10} {done}"
        self.stream.write("\r" + line.ljust(self.width))
        self.width = len(line)
        self.stream.flush()

    def close(self) -> None:
        """End the current line so later messages start on a fresh one."""
        if self.stage is not None:
            self._flush_pending()
            self.stream.write("\n")
            self.stream.flush()
            self.stage = None


def progress_bar(quiet: bool = False, stream: TextIO | None = None) -> ProgressBar | None:
    """A progress callback for the pipeline, or ``None`` when quiet or ``stream`` is not a terminal.

    Parameters
    ----------
    quiet : bool
        ``--quiet``: never draw.
    stream : text stream, optional
        Defaults to ``sys.stderr``.

    Returns
    -------
    ProgressBar or None
    """
    stream = stream if stream is not None else sys.stderr
    if quiet:
        return None
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real stream
        tty = False
    return ProgressBar(stream) if tty else None


__all__ = ["ProgressBar", "progress_bar"]
