"""Enrichment off the caller's thread: a pool of processes, a priority queue, the disk cache.

One dispatcher thread owns the cache and the queue. The article the reader opens
jumps the queue; at most one task per worker is in flight, and while the reader is
opening articles one worker is kept free for them, so an opened article starts at
once. Results already in the cache come back without NLP.

A task is several articles (up to BATCH_CHARS characters), since a worker analyses
articles a third faster together than one by one (nlp/tagging.py). The open article
always goes alone. So that it never waits long for a worker either, one worker (the
only one, if there is one) takes short tasks (up to SHORT_CHARS; long articles are left
to the others) whenever no other worker is free or on a short task: when the reader
opens an article, a worker is free within one short task. The open article is analysed
at the app's own priority, the background at a low one (each worker keeps one thread
of each, `runtime.processes.background_pool`), and while it is analysed the other
workers pause (SIGSTOP, then SIGCONT): at the same niceness they shared its core, and
its analysis took twice as long.

The background queue is the callers' own sequences, read as workers free up: queueing a
million articles costs the caller nothing and holds no entry per article (it took 1-3 s
and 128 MiB on the UI thread). Only the open and next articles go through a heap.

The dispatcher never polls: it sleeps on one condition that `submit`, `close` and each
task's end notify, so a waiting app spends no CPU on it and a freed worker is given the
next articles at once.
"""

import datetime
import heapq
import itertools
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from newsreader.ingest.parse import Article
from newsreader.nlp.cache import EnrichmentCache
from newsreader.nlp.enrich import Enrichment, analysed_part, enrich_many, from_payload, to_payload
from newsreader.runtime.processes import (
    background_pool,
    in_background,
    others_paused,
    resume,
    stop_pool,
    wire_text,
    worker_pids,
)

URGENT, SOON, BACKGROUND = 0, 1, 2
RESERVE_SECONDS = 5.0  # after the reader opens an article, one worker waits for the next for this long
CACHE_WRITE_BATCH = 256
CACHE_WRITE_CHUNK = 32  # encoding 256 results held the dispatcher 30-60 ms, and an article opened then waited
BATCH_CHARS = 16_000  # a task's articles, together (docs/benchmarks.md, "Enrichment speed")
SHORT_CHARS = 4_000  # a short task's: ~25 ms of analysis
SET_ASIDE = 8  # long articles a short task passes over before it takes one after all
_recognizer = None


def _load_models() -> None:
    global _recognizer
    from newsreader.nlp.entities import EntityRecognizer

    _recognizer = EntityRecognizer()


def _enrich_in_worker(articles: list[tuple[bytes, datetime.date | None]]) -> list[list | str]:
    """The payload of each (UTF-8 text, published) of one background task, or what went wrong with it: at the
    pool's low priority."""
    return in_background(_analysed, articles)


def _analysed(articles: list[tuple[bytes, datetime.date | None]]) -> list[list | str]:
    recognizer = _recognizer
    if recognizer is None:
        raise RuntimeError("no models in this worker: its pool must start it with _load_models")
    return payloads(recognizer, articles)


def payloads(recognizer, articles: list[tuple[bytes, datetime.date | None]]) -> list[list | str]:
    """The payload of each (UTF-8 text, published), or what went wrong with it: any worker's (a dask one's too)."""
    texts = [(utf8.decode(), published) for utf8, published in articles]
    try:
        return [to_payload(enrichment) for enrichment in enrich_many(recognizer, texts)]
    except Exception:  # one article broke the task: alone, it fails; the others are analysed
        if len(texts) == 1:
            raise
    return [_one_in_worker(recognizer, text, published) for text, published in texts]


def _enrich_alone(articles: list[tuple[bytes, datetime.date | None]], others: list[int]) -> list[list | str]:
    """The open article, at the app's priority (the worker's front thread), with the workers in `others` paused
    meanwhile: sharing a core with a background task at the same niceness, its analysis took 27 ms (median)
    instead of 13 and up to 130 ms, and at niceness 10 beside any ordinary process 60-400 ms
    (docs/benchmarks.md, "Reading experience at 100k articles")."""
    with others_paused(others):
        return _analysed(articles)


def _one_in_worker(recognizer, text: str, published: datetime.date | None) -> list | str:
    try:
        return to_payload(enrich_many(recognizer, [(text, published)])[0])
    except Exception as error:
        return f"{type(error).__name__}: {error}"


def part_to_analyse(article: Article, text: str, on_warning: Callable[[str], None]) -> str:
    """The part of the article's text to analyse; a warning when that is not all of it."""
    part = analysed_part(text)
    if len(part) < len(text):
        on_warning(
            f"{article.path}: only the first {len(part):,} of {len(text):,} characters "
            "analysed (a worker's memory is bounded); the article is shown in full"
        )
    return part


def enrichment_or_warning(
    article: Article, text: str, result: list | str, on_warning: Callable[[str], None]
) -> Enrichment | None:
    """A worker's result for the analysed `text` of an article, or None with a warning if it failed."""
    try:
        if isinstance(result, str):
            raise RuntimeError(result)
        return from_payload(result, text)
    except Exception as error:
        on_warning(f"{article.path}: enrichment failed ({type(error).__name__}: {error})")
        return None


ResultCallback = Callable[[Article, Enrichment], None]


@dataclass(frozen=True, slots=True)
class _Task:
    articles: list[tuple[Article, str]]  # each with the part of its text analysed
    short: bool
    urgent: bool = False  # the open article, alone


class EnrichmentService:
    """Call `submit` with articles; `on_result` is called (from the dispatcher thread) for each."""

    def __init__(
        self,
        on_result: ResultCallback,
        cache_path: Path | None = None,
        workers: int | None = None,
        on_warning: Callable[[str], None] = lambda message: None,
        also_read: Sequence[Path] = (),
    ) -> None:
        """`also_read`: read-only caches read before `cache_path` (see `EnrichmentCache`)."""
        self._on_result = on_result
        self._on_warning = on_warning
        self._cache_path = cache_path
        self._also_read = also_read
        self._workers = workers or os.cpu_count() or 1
        self._queue: list[tuple[int, int, Article]] = []  # the open and next articles, and those passed over
        self._background: deque[Iterator[Article]] = deque()  # the rest, unread: see `_pull`
        self._background_left = 0  # articles in `_background` not read yet
        self._counted_there: set[str] = set()  # opened articles taken to be in `_background` too, counted there
        self._opened_first: set[str] = set()  # opened before the background queue came (the last one read, restored)
        self._order = itertools.count()
        self._known: set[str] = set()
        self._wake = threading.Condition()  # guards the queue, the ended tasks and the flags below
        self._ended: list[Future] = []
        self._stopping = False
        self._reserved_until = 0.0
        self.done = 0
        self.from_cache = 0
        self.failed = 0  # delivered empty, with a warning, and not cached
        self._thread = threading.Thread(target=self._run, name="enrichment", daemon=True)
        self._thread.start()

    def submit(self, articles: Collection[Article], urgent: bool = False, soon: bool = False) -> None:
        """Queue articles not seen before. Urgent ones (the open article) go first even if queued, and keep a
        worker free for the next; soon ones (the next in the list) go before the background queue, which
        keeps `articles` itself (so it must not change) and reads it as workers free up."""
        with self._wake:
            if urgent or soon:
                for article in articles:
                    if article.fingerprint not in self._known:  # the app opens what it queues, or will queue
                        (self._counted_there if self._background_left else self._opened_first).add(article.fingerprint)
                    self._known.add(article.fingerprint)
                    heapq.heappush(self._queue, (URGENT if urgent else SOON, next(self._order), article))
            elif articles:
                self._background.append(iter(articles))
                self._background_left += len(articles)
                self._counted_there |= self._opened_first
                self._opened_first.clear()
            if urgent:
                self._reserved_until = time.monotonic() + RESERVE_SECONDS
            self._wake.notify()

    @property
    def submitted(self) -> int:
        """Articles queued so far, each once. The background queue's unread articles are counted as they stand;
        an article opened meanwhile is taken to be among them (if it was not, it is counted once they are read)."""
        return len(self._known) - len(self._counted_there) + self._background_left

    def _has_work(self) -> bool:
        return bool(self._queue or self._background_left)

    def _pull(self) -> tuple[int, int, Article] | None:
        """With the lock held: the next entry, the heap's before the background queue's (what the heap holds at
        background priority was passed over, so came first); articles already known are skipped."""
        if self._queue:
            return heapq.heappop(self._queue)
        while self._background:
            for article in self._background[0]:
                self._background_left -= 1
                if article.fingerprint not in self._known:
                    self._known.add(article.fingerprint)
                    return (BACKGROUND, next(self._order), article)
                self._counted_there.discard(article.fingerprint)
            self._background.popleft()
        self._counted_there.clear()  # all read: an opened article not met there counts as itself
        return None

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
        if not self._has_work() or busy >= self._workers:
            return False
        return (bool(self._queue) and self._queue[0][0] == URGENT) or busy < self._background_slots()

    def _wait_for_work(self, busy: int) -> None:
        """With the lock held: sleep until a task ends, an article may start, or `close()` is called.

        The state is checked under the same lock that every change to it notifies under, so no
        wake-up is lost between the check and the wait. Only the reserve lapses by itself: while
        it alone keeps a queued article from a free worker, the wait ends when it does."""
        while not (self._stopping or self._ended or self._may_start(busy)):
            reserve_left = (
                self._reserved_until - time.monotonic() if self._has_work() and busy < self._workers else None
            )
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
        return background_pool(self._workers, then=_load_models, front=True)

    def _dispatch(self) -> None:
        cache = EnrichmentCache(self._cache_path, also_read=self._also_read)
        self._report(cache)
        finished: set[str] = set()
        in_flight: dict[Future, _Task] = {}
        pending_writes: list[tuple[str, Enrichment]] = []
        pool = None
        try:
            while True:
                with self._wake:
                    if not self._has_work() and not in_flight:
                        cache.put_many(pending_writes)
                        pending_writes.clear()
                    self._wait_for_work(len(in_flight))
                    if self._stopping:
                        return
                    ended, self._ended = self._ended, []
                for future in ended:  # their workers are free: deliver, then fill them
                    pending_writes += self._results(in_flight.pop(future), future)
                pool = self._fill(pool, cache, finished, in_flight)
                if len(pending_writes) >= CACHE_WRITE_BATCH:
                    for start in range(0, len(pending_writes), CACHE_WRITE_CHUNK):
                        cache.put_many(pending_writes[start : start + CACHE_WRITE_CHUNK])
                        pool = self._fill(pool, cache, finished, in_flight)  # an article opened meanwhile
                    pending_writes.clear()
        finally:
            if pool is not None:
                stop_pool(pool)
            cache.put_many(pending_writes)
            cache.close()

    def _fill(
        self,
        pool: ProcessPoolExecutor | None,
        cache: EnrichmentCache,
        finished: set[str],
        in_flight: dict[Future, "_Task"],
    ) -> ProcessPoolExecutor | None:
        """Give the free workers their next tasks (the pool starts with the first); returns the pool."""
        while task := self._next_task(cache, finished, in_flight):
            pool = pool or self._new_pool()
            try:
                future = self._start(pool, task, in_flight)
            except BrokenProcessPool:  # a worker died: start a fresh pool
                stop_pool(pool)
                pool = self._new_pool()
                future = self._start(pool, task, in_flight)
            in_flight[future] = task
            future.add_done_callback(self._task_ended)
        return pool

    def _start(self, pool: ProcessPoolExecutor, task: "_Task", in_flight: dict[Future, "_Task"]) -> Future:
        """Hand a task to the pool. The open article pauses the other workers while it is analysed, unless another
        open article is in flight (two would pause each other); if its worker dies, they are resumed here."""
        wired = [(wire_text(text), article.date) for article, text in task.articles]
        if not task.urgent or any(other.urgent for other in in_flight.values()):
            return pool.submit(_enrich_in_worker, wired)
        others = worker_pids(pool)
        future = pool.submit(_enrich_alone, wired, others)
        future.add_done_callback(lambda _: resume(others))  # before a broken pool terminates its workers
        return future

    def _next_task(
        self, cache: EnrichmentCache, finished: set[str], in_flight: dict[Future, "_Task"]
    ) -> "_Task | None":
        """The next articles for a free worker, in queue order, or None if none may start now.

        Articles found in the cache are delivered on the way. The open article goes alone. Other
        articles go together up to BATCH_CHARS, or SHORT_CHARS when this task is to be short:
        then up to SET_ASIDE longer ones are passed over, left in the queue for the other workers,
        and the first of them is taken only if the queue holds nothing else."""
        with self._wake:
            if not self._may_start(len(in_flight)):
                return None
            slots = self._background_slots()
        only_urgent = len(in_flight) >= slots  # the worker kept free for the reader: the open article only
        short = slots == self._workers and not any(task.short for task in in_flight.values())
        budget = SHORT_CHARS if short else BATCH_CHARS
        chosen: list[tuple[Article, str]] = []
        urgent = False
        passed: list[tuple[tuple[int, int, Article], str]] = []
        while True:
            with self._wake:
                if chosen and self._queue and self._queue[0][0] == URGENT:
                    break
                entry = self._pull()
            if entry is None:
                break
            priority, _, article = entry
            if only_urgent and priority != URGENT:
                passed.append((entry, ""))
                break
            if article.fingerprint in finished:
                continue
            text = self._text_to_analyse(article, cache, finished)
            if text is None:
                continue
            if short and priority != URGENT and len(text) > SHORT_CHARS and len(passed) < SET_ASIDE:
                passed.append((entry, text))
                continue
            if chosen and sum(len(part) for _, part in chosen) + len(text) > budget:
                passed.append((entry, text))
                break
            chosen.append((article, text))
            if priority == URGENT:
                urgent = True
                break
        if not chosen and passed and not only_urgent:
            (_, _, article), text = passed.pop(0)
            chosen.append((article, text))
        with self._wake:
            for entry, _ in passed:
                heapq.heappush(self._queue, entry)
        finished.update(article.fingerprint for article, _ in chosen)
        if not chosen:
            return None
        return _Task(chosen, sum(len(text) for _, text in chosen) <= SHORT_CHARS, urgent)

    def _text_to_analyse(self, article: Article, cache: EnrichmentCache, finished: set[str]) -> str | None:
        """The part of the article's text to analyse, or None when the cache had it and it is delivered."""
        text = article.text  # read once: it may come from the file
        cached = cache.get(article.fingerprint, text)
        self._report(cache)
        if cached is not None:
            finished.add(article.fingerprint)
            self.from_cache += 1
            self._deliver(article, cached)
            return None
        return part_to_analyse(article, text, self._on_warning)

    def _results(self, task: "_Task", future: Future) -> list[tuple[str, Enrichment]]:
        """Deliver a finished task's articles; returns those to cache."""
        try:
            results = future.result()
        except Exception as error:  # a worker crash must not stop the others
            results = [f"{type(error).__name__}: {error}"] * len(task.articles)
        to_cache = []
        for (article, text), result in zip(task.articles, results, strict=True):
            enrichment = enrichment_or_warning(article, text, result, self._on_warning)
            if enrichment is None:
                self.failed += 1
                enrichment = Enrichment((), (), ())
            else:
                to_cache.append((article.fingerprint, enrichment))
            self._deliver(article, enrichment)
        return to_cache

    def _deliver(self, article: Article, enrichment: Enrichment) -> None:
        self.done += 1
        self._on_result(article, enrichment)

    def _report(self, cache: EnrichmentCache) -> None:
        while cache.warnings:
            self._on_warning(cache.warnings.pop(0))
