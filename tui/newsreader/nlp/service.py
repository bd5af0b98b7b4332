"""Enrichment off the caller's thread: a pool of processes, a priority queue, the disk cache.

One dispatcher thread owns the cache and the queue. The article the reader opens
jumps the queue; at most one task per worker is in flight, and while the reader is
opening articles one worker is kept free for them, so an opened article starts at
once. Results already in the cache come back without NLP.

The dispatcher never polls: it sleeps on one condition that `submit`, `close` and each
task's end notify, so a waiting app spends no CPU on it and a freed worker is given the
next article at once.
"""

import heapq
import itertools
import os
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from newsreader.ingest.parse import Article
from newsreader.nlp.cache import EnrichmentCache
from newsreader.nlp.enrich import Enrichment, analysed_part, enrich, from_payload, to_payload
from newsreader.runtime.processes import background_pool, stop_pool, wire_text

URGENT, SOON, BACKGROUND = 0, 1, 2
RESERVE_SECONDS = 5.0  # after the reader opens an article, one worker waits for the next for this long
CACHE_WRITE_BATCH = 256
_recognizer = None


def _load_models() -> None:
    global _recognizer
    from newsreader.nlp.entities import EntityRecognizer

    _recognizer = EntityRecognizer()


def _enrich_in_worker(utf8: bytes, published) -> list:
    if _recognizer is None:
        raise RuntimeError("no models in this worker: its pool must start it with _load_models")
    return to_payload(enrich(_recognizer, utf8.decode(), published))


ResultCallback = Callable[[Article, Enrichment], None]


class EnrichmentService:
    """Call `submit` with articles; `on_result` is called (from the dispatcher thread) for each."""

    def __init__(
        self,
        on_result: ResultCallback,
        cache_path: Path | None = None,
        workers: int | None = None,
        on_warning: Callable[[str], None] = lambda message: None,
    ) -> None:
        self._on_result = on_result
        self._on_warning = on_warning
        self._cache_path = cache_path
        self._workers = workers or os.cpu_count() or 1
        self._queue: list[tuple[int, int, Article]] = []
        self._order = itertools.count()
        self._known: set[str] = set()
        self._wake = threading.Condition()  # guards the queue, the ended tasks and the flags below
        self._ended: list[Future] = []
        self._stopping = False
        self._reserved_until = 0.0
        self.done = 0
        self.submitted = 0
        self.from_cache = 0
        self._thread = threading.Thread(target=self._run, name="enrichment", daemon=True)
        self._thread.start()

    def submit(self, articles: Iterable[Article], urgent: bool = False, soon: bool = False) -> None:
        """Queue articles not seen before. Urgent ones (the open article) go first even if queued, and keep a
        worker free for the next; soon ones (the next in the list) go before the background queue."""
        priority = URGENT if urgent else SOON if soon else BACKGROUND
        with self._wake:
            for article in articles:
                if article.fingerprint in self._known and priority == BACKGROUND:
                    continue
                if article.fingerprint not in self._known:
                    self.submitted += 1
                self._known.add(article.fingerprint)
                heapq.heappush(self._queue, (priority, next(self._order), article))
            if urgent:
                self._reserved_until = time.monotonic() + RESERVE_SECONDS
            self._wake.notify()

    @property
    def running(self) -> bool:
        """False once the dispatcher has ended: closed, or stopped by an error it reported."""
        return self._thread.is_alive()

    def close(self) -> None:
        """Stop now: queued work is dropped and the workers of the tasks in flight are terminated, so quitting
        never waits for an article's analysis. Results already delivered still reach the cache."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self._thread.join(timeout=30)

    def _task_ended(self, future: Future) -> None:
        """Called by the pool's thread as a task ends (or at once if it already has): wakes the dispatcher."""
        with self._wake:
            self._ended.append(future)
            self._wake.notify()

    def _may_start(self, busy: int) -> bool:
        """Whether the next queued article may go to a worker while `busy` workers are busy."""
        if not self._queue or busy >= self._workers:
            return False
        return self._queue[0][0] == URGENT or busy < self._background_slots()

    def _wait_for_work(self, busy: int) -> None:
        """With the lock held: sleep until a task ends, an article may start, or `close()` is called.

        The state is checked under the same lock that every change to it notifies under, so no
        wake-up is lost between the check and the wait. Only the reserve lapses by itself: while
        it alone keeps a queued article from a free worker, the wait ends when it does."""
        while not (self._stopping or self._ended or self._may_start(busy)):
            reserve_left = self._reserved_until - time.monotonic() if self._queue and busy < self._workers else None
            self._wake.wait(reserve_left)

    def _background_slots(self) -> int:
        """Workers the background queue may use: all but one while the reader is opening articles, so the
        next one opened starts at once instead of waiting for an article in flight to finish."""
        reserving = self._workers > 1 and time.monotonic() < self._reserved_until
        return self._workers - 1 if reserving else self._workers

    @property
    def idle(self) -> bool:
        return self.done >= self.submitted

    def _run(self) -> None:
        try:
            self._dispatch()
        except Exception as error:  # report, never die silently
            self._on_warning(f"enrichment stopped: {type(error).__name__}: {error}")

    def _new_pool(self) -> ProcessPoolExecutor:
        return background_pool(self._workers, then=_load_models)

    def _dispatch(self) -> None:
        cache = EnrichmentCache(self._cache_path)
        self._report(cache)
        finished: set[str] = set()
        in_flight: dict[Future, Article] = {}
        pending_writes: list[tuple[str, Enrichment]] = []
        pool = None
        try:
            while True:
                with self._wake:
                    if not self._queue and not in_flight:
                        cache.put_many(pending_writes)
                        pending_writes.clear()
                    self._wait_for_work(len(in_flight))
                    if self._stopping:
                        return
                    ended, self._ended = self._ended, []
                    busy = len(in_flight) - len(ended)  # the workers of ended tasks are free: fill them first
                    ready: list[Article] = []
                    while self._may_start(busy + len(ready)):
                        _, _, article = heapq.heappop(self._queue)
                        if article.fingerprint not in finished:
                            finished.add(article.fingerprint)
                            ready.append(article)
                for article in ready:
                    cached = cache.get(article.fingerprint, article.text)
                    self._report(cache)
                    if cached is not None:
                        self.from_cache += 1
                        self._deliver(article, cached)
                        continue
                    text = self._analysed_part(article)
                    pool = pool or self._new_pool()
                    try:
                        future = pool.submit(_enrich_in_worker, wire_text(text), article.date)
                    except BrokenProcessPool:  # a worker died: start a fresh pool
                        stop_pool(pool)
                        pool = self._new_pool()
                        future = pool.submit(_enrich_in_worker, wire_text(text), article.date)
                    in_flight[future] = article
                    future.add_done_callback(self._task_ended)
                for future in ended:
                    article = in_flight.pop(future)
                    try:
                        enrichment = from_payload(future.result(), article.text)
                    except Exception as error:  # a worker crash must not stop the others
                        self._on_warning(f"{article.path}: enrichment failed ({type(error).__name__}: {error})")
                        enrichment = Enrichment((), (), ())
                    else:
                        pending_writes.append((article.fingerprint, enrichment))
                    self._deliver(article, enrichment)
                if len(pending_writes) >= CACHE_WRITE_BATCH:
                    cache.put_many(pending_writes)
                    pending_writes.clear()
        finally:
            if pool is not None:
                stop_pool(pool)
            cache.put_many(pending_writes)
            cache.close()

    def _analysed_part(self, article: Article) -> str:
        text = analysed_part(article.text)
        if len(text) < len(article.text):
            self._on_warning(
                f"{article.path}: only the first {len(text):,} of {len(article.text):,} characters "
                "analysed (a worker's memory is bounded); the article is shown in full"
            )
        return text

    def _deliver(self, article: Article, enrichment: Enrichment) -> None:
        self.done += 1
        self._on_result(article, enrichment)

    def _report(self, cache: EnrichmentCache) -> None:
        while cache.warnings:
            self._on_warning(cache.warnings.pop(0))
