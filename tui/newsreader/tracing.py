"""Named spans of the app's busiest work, for whoever wants to time it: a documented hook for benchmarks and tools.

Why: bench/bench_ui.py reports where the UI thread's time goes (storing a loaded batch, storing an analysis
result, the once-a-second views refresh, the reader following the list cursor) and when a result arrived.
It used to wrap private methods from outside, which broke whenever the code moved. Now the app names
these moments itself, and anyone may listen.

Cost when nobody listens: one test of a module-level tuple per span, no clock read, nothing recorded; with
the wrapper's own call, about 0.1 µs a call of a decorated function and 0.2 µs a `with` (CPython 3.11).
The app's spans run at most about a hundred times a second.

A listener is called synchronously, on the thread that ran the span (the UI thread for the spans below),
right after the span ends, so it should be quick. A listener that raises is detached and
its error logged (logger "newsreader.tracing"); the traced code never sees it.

How to listen:

    from newsreader import tracing

    spans = []
    detach = tracing.listen(lambda name, start, end: spans.append((name, end - start)))
    ...  # run the app
    detach()  # or tracing.stop_listening(the same callback)

How to trace: `with tracing.span("name"): ...`, or `@tracing.span("name")` on a function (not a coroutine
function: only its call would be timed, not its work). Times are `time.monotonic()` seconds.

The spans the app emits are the constants below; their names are a contract (benchmarks key on them).
"""

from __future__ import annotations

import functools
import inspect
import logging
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import ParamSpec, TypeVar

MAIN_SCREEN_MOUNT = "main screen mount"
"""The main screen mounts: the first articles are read and listed before the first frame, loading starts."""
ARTICLES_STORED = "articles stored"
"""A batch of loaded articles is stored, listed and queued for analysis (the first one inside the mount)."""
ANALYSIS_STORED = "analysis stored"
"""One article's analysis result reached the UI and was stored (and shown, if the reader has the article)."""
VIEWS_REFRESH = "views refresh"
"""The once-a-second timer: the timeline, entity panel and progress follow the analysis, unless typing."""
READER_FOLLOWS_LIST = "reader follows list"
"""The reader shows the article under the list cursor once it rests."""

Listener = Callable[[str, float, float], None]
"""Called with (name, start, end) of each span that ends, start and end on `time.monotonic()`."""

P = ParamSpec("P")
R = TypeVar("R")

_listeners: tuple[Listener, ...] = ()  # replaced, never mutated: a span reads it without a lock
_changing = threading.Lock()
_log = logging.getLogger(__name__)


def listen(listener: Listener) -> Callable[[], None]:
    """Call `listener` for every span from now on; returns a function that stops it (calling it twice is fine)."""
    global _listeners
    with _changing:
        _listeners = (*_listeners, listener)
    return functools.partial(stop_listening, listener)


def stop_listening(listener: Listener) -> None:
    """No more spans for `listener` (nothing happens if it was not listening)."""
    global _listeners
    with _changing:
        _listeners = tuple(each for each in _listeners if each != listener)  # equal: a bound method made anew


def _report(name: str, start: float, end: float) -> None:
    for listener in _listeners:
        try:
            listener(name, start, end)
        except Exception:  # a broken listener must not break what was traced
            stop_listening(listener)
            _log.exception("tracing listener %r raised on span %r and was detached", listener, name)


class span:  # lower case: used like a function, `with span(...)` and `@span(...)`
    """A named stretch of work, reported to the listeners when it ends (also when it raises).

    As a decorator it serves every call, from any thread; as a context manager, one `with` at a time.
    """

    __slots__ = ("name", "_start")

    def __init__(self, name: str) -> None:
        self.name = name
        self._start: float | None = None

    def __enter__(self) -> span:
        self._start = time.monotonic() if _listeners else None
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._start is not None:
            _report(self.name, self._start, time.monotonic())
            self._start = None

    def __call__(self, function: Callable[P, R]) -> Callable[P, R]:
        if inspect.iscoroutinefunction(function):
            raise TypeError(f"{function.__qualname__} is a coroutine function: trace the work inside it with `with`")
        name = self.name

        @functools.wraps(function)
        def traced(*args: P.args, **kwargs: P.kwargs) -> R:
            if not _listeners:
                return function(*args, **kwargs)
            start = time.monotonic()
            try:
                return function(*args, **kwargs)
            finally:
                _report(name, start, time.monotonic())

        return traced
