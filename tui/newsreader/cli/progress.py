"""A progress line on stderr: one bar redrawn in place on a terminal, a plain line now and then otherwise.

Drawn with plain characters, not rich: only ui/ may draw with rich (tests/test_architecture.py), and a
bar needs no more than a carriage return. Warnings from the analysis thread are written above the bar.
"""

import shutil
import threading
import time
from collections.abc import Callable
from typing import TextIO

from newsreader.analysis.progress import Progress

REDRAW_SECONDS = 0.1  # on a terminal
LOG_SECONDS = 10.0  # to a file or a pipe: a line every so often, and the last
CLEAR_LINE = "\r\x1b[K"


class ProgressLine:
    def __init__(self, stream: TextIO, interactive: bool | None = None, clock: Callable[[], float] = time.monotonic):
        self._stream = stream
        self._interactive = stream.isatty() if interactive is None else interactive
        self._clock = clock
        self._started = clock()
        self._lock = threading.Lock()  # warnings come from the analysis thread
        self._shown = ""
        self._shown_at: float | None = None
        self._complete_phase: str | None = None

    def show(self, progress: Progress) -> None:
        now = self._clock()
        complete = _phase_done(progress) >= progress.total
        every = REDRAW_SECONDS if self._interactive else LOG_SECONDS
        if not complete and self._shown_at is not None and now - self._shown_at < every:
            return
        phase = "indexing" if progress.indexed is not None else "analysing"
        if complete and self._complete_phase == phase:  # said already
            return
        self._complete_phase = phase if complete else None
        line = describe(progress, now - self._started)
        with self._lock:
            self._shown, self._shown_at = line, now
            if self._interactive:
                width = shutil.get_terminal_size().columns - 1
                self._stream.write(CLEAR_LINE + line[:width])
            else:
                self._stream.write(line + "\n")
            self._stream.flush()

    def warn(self, message: str) -> None:
        with self._lock:
            if self._interactive and self._shown:
                self._stream.write(CLEAR_LINE + message + "\n" + self._shown)
            else:
                self._stream.write(message + "\n")
            self._stream.flush()

    def close(self) -> None:
        """End the bar's line, so what is printed next starts on its own."""
        with self._lock:
            if self._interactive and self._shown:
                self._stream.write("\n")
                self._stream.flush()
            self._shown = ""


def _phase_done(progress: Progress) -> int:
    return progress.done if progress.indexed is None else progress.indexed


def describe(progress: Progress, elapsed: float, width: int = 24) -> str:
    """`analysing [#####-----]  45%  450/1,000 · 48.2/s · 0:00:12 left · 300 analysed, 150 cached, 0 failed`."""
    done, total = _phase_done(progress), max(progress.total, 1)
    filled = width * min(done, total) // total
    bar = f"[{'#' * filled}{'-' * (width - filled)}] {100 * done // total:3d}%  {done:,}/{progress.total:,}"
    if progress.indexed is not None:
        return f"indexing  {bar}"
    line = f"analysing {bar}"
    if progress.analysed and elapsed > 0:  # first: a narrow terminal cuts the end
        rate = progress.analysed / elapsed
        left = int((progress.total - done) / rate)
        line += f" · {rate:.1f}/s · {left // 3600}:{left // 60 % 60:02d}:{left % 60:02d} left"
    return f"{line} · {progress.analysed:,} analysed, {progress.cached:,} cached, {progress.failed:,} failed"
