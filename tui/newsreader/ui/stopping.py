"""Stop signals: SIGTERM, SIGHUP (the terminal closed) and SIGINT quit the app as q does.

Python runs the handler in the main thread as soon as a signal arrives, even while the event loop
is busy, and the handler only hands the quit to the loop. An app on a real terminal owns its
process, so the handler also makes sure that the process ends:
- after a hangup the terminal is gone, and a write to it fails and ends Textual's output thread,
  whose queue then fills and blocks the exit for good: the standard streams go to /dev/null;
- should the quit still not be over within GRACE_SECONDS, the process ends all the same. Read
  marks are committed as they are made, the reading position every few seconds, and the worker
  processes end with this one.
"""

import asyncio
import os
import signal
import threading
from collections.abc import Callable
from types import FrameType

from newsreader.runtime.processes import exit_code_for, stop_signals

GRACE_SECONDS = 3.0


class StopSignals:
    """Handles the stop signals between `install` and `restore`, calling `quit(signum)` on the event loop."""

    def __init__(self, quit: Callable[[int], object]) -> None:
        self._quit = quit
        self._owns_process = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._previous: dict[int, signal._HANDLER] = {}

    def install(self, owns_process: bool) -> None:
        """Call on the event loop, in the main thread; an app on a real terminal `owns_process`."""
        self._owns_process = owns_process
        self._loop = asyncio.get_running_loop()
        self._previous = {signum: signal.signal(signum, self._received) for signum in stop_signals()}

    def restore(self) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous = {}

    def _received(self, signum: int, frame: FrameType | None) -> None:
        if self._owns_process:
            if signum == signal.SIGHUP:
                _detach_from_terminal()
            deadline = threading.Timer(GRACE_SECONDS, os._exit, (exit_code_for(signum),))
            deadline.daemon = True  # a quit that finishes in time ends the process without waiting for it
            deadline.start()
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._quit, signum)


def _detach_from_terminal() -> None:
    devnull = os.open(os.devnull, os.O_RDWR)
    for descriptor in (0, 1, 2):
        os.dup2(devnull, descriptor)
    os.close(devnull)
