"""One worker thread whose every task is checked: what the search index and the stories run on."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from typing import Any


class CheckedThread:
    """Tasks run in order on one thread. A task that fails is handed to `failed` (from the thread that ran it); one
    stopped on the way out (cancelled, or raising CancelledError) is not a failure."""

    def __init__(self, name: str, failed: Callable[[BaseException], None]) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._failed = failed
        self._tasks: list[Future] = []

    @property
    def started(self) -> bool:
        return bool(self._tasks)

    def submit(self, task: Callable[..., Any], *args: object) -> Future:
        future = self._executor.submit(task, *args)
        future.add_done_callback(self.check)
        self._tasks.append(future)
        return future

    def call(self, task: Callable[..., Any], *args: object) -> Any:
        """Run `task` after those queued and wait for its result (its exception is the caller's)."""
        return self._executor.submit(task, *args).result()

    def check(self, future: Future) -> None:
        if future.cancelled() or isinstance(future.exception(), CancelledError):
            return
        error = future.exception()
        if error is not None:
            self._failed(error)

    def stop(self, last: Callable[[], None] | None = None) -> None:
        """Drop the queued tasks, run `last` (checked) after the one running, and let the thread end."""
        for future in self._tasks:
            future.cancel()
        if last is not None:
            self._executor.submit(last).add_done_callback(self.check)
        self._executor.shutdown(wait=False)
