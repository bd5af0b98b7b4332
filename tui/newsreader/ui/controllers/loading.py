"""Loading and analysis for the main screen: files in batches on a thread, then the NLP service.

A cold start reads every file and writes down what it found (`ingest.snapshot`); a warm start shows
the list from that snapshot, read on the loading thread, then checks every file for changes in the
background and takes in the new, changed and deleted ones. The screen routes the workers' messages
here and decides what the other panes do with new articles.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, get_current_worker

from newsreader.ingest.load import DEFAULT_MAX_BYTES, LoadWarning, display_path
from newsreader.ingest.parse import Article, iter_articles
from newsreader.ingest.sanitize import sanitize_line
from newsreader.ingest.snapshot import (
    Journal,
    Rescan,
    Row,
    Snapshot,
    SnapshotError,
    StorePlan,
    snapshot_path,
    write_snapshot,
)
from newsreader.runtime.heap import GcPolicy
from newsreader.runtime.processes import background_pool, stop_pool
from newsreader.store.corpus import Store, article_maps, duplicate_warning
from newsreader.ui.controllers.batches import BatchPacer
from newsreader.ui.controllers.keys import KeyClock
from newsreader.ui.messages import BackgroundWarning, Enriched, LoadedBatch
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.reader import ReaderPane
from newsreader.ui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from newsreader.nlp.enrich import Enrichment
    from newsreader.nlp.service import EnrichmentService

FIRST_BATCH_SECONDS = 0.02
REFRESH_SECONDS = 1.0  # timeline, entity panel and progress follow the analysis once a second
QUIET_SECONDS = 0.3  # ... unless a key was pressed this recently
HIGHLIGHTS_WAIT = 0.5  # ... or the open article's highlights arrived this recently and are not drawn yet
LOAD_WORKERS = 2  # processes reading a cold start's files (once ingest.parallel.POOL_AFTER are read here)


@dataclass(frozen=True)
class LoadOptions:
    """What to read and whether to analyse it, as given on the command line."""

    paths: Sequence[str]
    max_bytes: int = DEFAULT_MAX_BYTES
    enrich: bool = True
    workers: int | None = None
    snapshot: Path | None = None  # where this archive's snapshot is kept; by default in the user cache
    columns: Mapping[str, str] | None = None  # dumps' fields mapped to columns of other names (`--columns`)


class SnapshotRead(Message):
    """The whole list from the snapshot, in a store filled on the loading thread (its head first)."""

    def __init__(self, store: Store, warnings: list[LoadWarning], duplicates: list[tuple[str, LoadWarning]]) -> None:
        super().__init__()
        self.store = store
        self.warnings = warnings
        self.duplicates = duplicates  # (fingerprint, warning): the store's own, for a file that repeats another


@dataclass(frozen=True)
class Changes:
    """What the check for changes found since its last batch: the rows of files changed or deleted and the
    warnings that went with them, what was read (new and changed files), and at the end the unchanged files
    whose text repeats a removed article's (one of them may now be the article)."""

    removed: list[Row]
    gone: list[LoadWarning]
    items: list[Article | LoadWarning]
    candidates: list[Article]
    checked: int  # files checked so far
    done: bool


class ArchiveChanged(Message):
    def __init__(self, changes: Changes) -> None:
        super().__init__()
        self.changes = changes


class _Stopped(Exception):
    """The app is quitting: the check for changes stops where it is."""


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No automatic collection while a million rows become objects: each one would walk them all again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def first_articles(items: Iterator[Article | LoadWarning]) -> list[Article | LoadWarning]:
    """Read on the UI thread, before the first frame, until an article is found or FIRST_BATCH_SECONDS pass:
    the first frame then already lists articles (a thread would get little time while the app mounts)."""
    first: list[Article | LoadWarning] = []
    deadline = time.monotonic() + FIRST_BATCH_SECONDS
    for item in items:
        first.append(item)
        if isinstance(item, Article) or time.monotonic() > deadline:
            break
    return first


class LoadingController:
    """Stores what the loading worker reads, keeps the archive's snapshot, owns the analysis service and the
    progress line."""

    def __init__(
        self,
        screen: Screen,
        store: Store,
        warnings: list[LoadWarning],
        gc_policy: GcPolicy,
        keys: KeyClock,
        options: LoadOptions,
    ) -> None:
        self._screen = screen
        self._store = store
        self._warnings = warnings  # the App's list: keymap and state warnings arrive before loading starts
        self._gc_policy = gc_policy
        self._keys = keys
        self._options = options
        self._done = False
        self._analysis_requested = False
        self._views_stale = False
        self.service: EnrichmentService | None = None  # until analysis starts, or when it is off or failed
        self._snapshot_path = options.snapshot or snapshot_path(options.paths, options.max_bytes)
        self._snapshot: Snapshot | None = None  # a warm start's
        self._reading_snapshot = False  # until its rows are in the store (or it failed): analysis waits
        self._head: list[Article] = []  # the snapshot's top of the list, shown in the first frame
        self._items: Iterator[Article | LoadWarning] | None = None  # a cold start's files, as read
        self._load_pool: ProcessPoolExecutor | None = None  # where they are read, past the first few thousand
        self._journal = Journal()  # a cold start's record of what it read
        self._rescan: Rescan | None = None
        self._rescan_lock = threading.Lock()  # the check's state, between its thread and a quit
        self._stopping = False
        self._checked: tuple[int, int] | None = None  # (files checked, files known) while checking for changes
        self._duplicates: dict[str, list[LoadWarning]] = {}  # fingerprint -> the duplicate warnings about it
        self._freed: set[str] = set()  # fingerprints whose article went in this check: their duplicates may stay
        self._save_lock = threading.Lock()
        self._saved = False
        self._list_shown = threading.Event()  # a warm start's whole list has been drawn
        self._highlights_at = 0.0  # when the open article's result last arrived

    @property
    def done(self) -> bool:
        """Every file has been read, or the whole list came from the snapshot."""
        return self._done

    @property
    def checking(self) -> bool:
        """The files are being checked for changes since the snapshot."""
        return self._checked is not None

    @property
    def views_stale(self) -> bool:
        """Analysis added data that the timeline, entity panel and progress do not show yet."""
        return self._views_stale

    @property
    def analysing(self) -> bool:
        return self.service is not None and not self.service.idle

    def start(self) -> list[Article | LoadWarning]:
        """What the first frame shows: the top of the list from the snapshot (stored here), or the first files
        read. From now on the heap's full collections run each second, in a pause of the keys."""
        self._gc_policy.take_full_collections()
        self._screen.set_interval(REFRESH_SECONDS, self._collect_garbage)
        try:
            snapshot = Snapshot(self._snapshot_path, self._options.paths, self._options.max_bytes)
            self._head = snapshot.head()
        except FileNotFoundError:
            pass
        except SnapshotError as error:
            self._warnings.append(self._unusable(error))
        else:
            self._snapshot, self._reading_snapshot = snapshot, True
            self._store.add_many(self._head)  # its duplicates' warnings come with the rest
            return []
        self._items = self._read_files()
        return first_articles(self._items)

    def _collect_garbage(self) -> None:
        """A full collection each second, unless the user is waiting for a frame (a collection landing in an
        opened article's wait for its highlights delayed them by 50-100 ms)."""
        self._gc_policy.collect(resting=not self._user_waiting())

    def _user_waiting(self) -> bool:
        """A key was just pressed, or the open article's highlights are on their way."""
        return self._keys.pressed_within(QUIET_SECONDS) or self._highlights_awaited()

    def _highlights_awaited(self) -> bool:
        """The open article is being analysed, or its result has arrived and the reader has not drawn it yet
        (HIGHLIGHTS_WAIT at most: a reader under another screen draws nothing).

        Asked of the reader, not of a callback after the next refresh: the screen runs those as soon as it is
        idle, and it can be idle before the reader has even asked for its repaint, so a collection due then
        landed between the result and its frame (44-93 ms, 1 open in 25-40)."""
        reader, service = self._screen.query_one(ReaderPane), self.service
        if reader.article is None:
            return False
        if reader.enrichment is None:
            return service is not None and service.running
        return not reader.drawn and time.monotonic() - self._highlights_at < HIGHLIGHTS_WAIT

    def archive_whole(self) -> None:
        """The whole list is in and drawn: what the archive holds now goes out of the collector's sight."""
        self._gc_policy.settle(len(self._store), whole=True)

    def _read_files(self) -> Iterator[Article | LoadWarning]:
        """Every file, read and recorded; the journal's callback stats each for the record (none is known).

        A big archive is read in worker processes: the loading thread then holds the GIL ~10 us a file
        instead of ~50, so keys stay quick during a cold load (docs/benchmarks.md, "Loading")."""
        if self._load_pool is None and (os.cpu_count() or 1) > 1:
            self._load_pool = background_pool(LOAD_WORKERS)  # no process starts before it is given work
        paths, max_bytes = self._options.paths, self._options.max_bytes
        articles = iter_articles(
            paths,
            max_bytes=max_bytes,
            unchanged=self._journal.file_met,
            keep_text=False,
            pool=self._load_pool,
            columns=self._options.columns,
        )
        return self._journal.recorded(articles)

    def _stop_load_pool(self) -> None:
        if self._load_pool is not None:
            stop_pool(self._load_pool)

    def _unusable(self, error: SnapshotError) -> LoadWarning:
        return LoadWarning(display_path(self._snapshot_path), f"snapshot {error}; every file is read again")

    def load_rest(self) -> None:
        """The loading thread. A warm start's waits for the first frame: turning the snapshot into objects holds
        the GIL, and the frame would wait for it."""
        if self._snapshot is not None:
            self._screen.call_after_refresh(self._run_loader, self._read_snapshot)
        else:
            self._run_loader(self._read_in_batches)

    def _run_loader(self, work: Callable[[], None]) -> None:
        self._screen.run_worker(work, thread=True, exclusive=True, group="load")

    def _read_in_batches(self) -> None:
        """Read the remaining files off the UI thread, posting batches so the list fills as it goes; then write
        the snapshot."""
        worker = get_current_worker()
        assert self._items is not None, "a cold start"
        batch: list[Article | LoadWarning] = []
        pacer = BatchPacer(len(self._head))
        try:
            for item in self._items:
                if worker.is_cancelled:
                    return
                batch.append(item)
                if pacer.due(len(batch)):
                    self._screen.post_message(LoadedBatch(batch, done=False))
                    pacer.posted(len(batch))
                    batch = []
        except Exception as error:  # a bug: keep what loaded, say why the rest did not
            self._warn("loading", f"loading stopped ({type(error).__name__}: {error})")
        finally:
            self._stop_load_pool()
        self._screen.post_message(LoadedBatch(batch, done=True))
        self._save(self._journal)

    def _read_snapshot(self) -> None:
        """A warm start: the snapshot's rows into a store of their own (posted whole), then the check for changes."""
        worker = get_current_worker()
        assert self._snapshot is not None, "a warm start"

        def freeze() -> None:
            """What was just made lives as long as the app: out of the collector's sight, chunk by chunk, so a settle
            on the UI thread meanwhile does not walk it (no young garbage is collected first: what was made and
            dropped had no cycles)."""
            if not worker.is_cancelled:
                gc.freeze()

        try:
            with _collector_paused():
                journal = self._snapshot.journal(self._head, cancelled=lambda: worker.is_cancelled, made=freeze)
                if journal is None:
                    return
                message = _replay(journal, self._snapshot.plan())
                freeze()
        except SnapshotError as error:  # the head is shown already: it goes, and every file is read
            self._screen.post_message(
                ArchiveChanged(Changes(list(self._head), [], [self._unusable(error)], [], 0, False))
            )
            self._items = self._read_files()
            self._read_in_batches()
            return
        unmapped = message.store.unmapped
        self._screen.post_message(message)
        if unmapped is not None:  # the list is whole: now the lookup maps, handed over when built
            while not self._list_shown.wait(0.05):  # each C call building them holds the GIL: after that frame
                if worker.is_cancelled:
                    return
            with _collector_paused():
                maps = article_maps(unmapped)
                freeze()
            self._screen.call_later(self._store.map_with, unmapped, maps)
        self._check_for_changes(journal, worker)

    def _check_for_changes(self, journal: Journal, worker: Worker) -> None:
        """Stat every file; read the new and changed ones; the files not met were deleted. Posts what changed
        in batches, and writes the snapshot again if anything did."""
        with _collector_paused():
            rescan = Rescan(journal)
        with self._rescan_lock:
            self._rescan = rescan
        batch: list[Article | LoadWarning] = []
        pacer = BatchPacer(len(journal))

        def post(done: bool, candidates: Sequence[Article] = ()) -> None:
            nonlocal batch
            with self._rescan_lock:
                removed, gone = rescan.take_changes()
                checked = rescan.checked
            self._screen.post_message(ArchiveChanged(Changes(removed, gone, batch, list(candidates), checked, done)))
            pacer.posted(len(batch))
            batch = []

        def unchanged(source: str, size: int, mtime_ns: int) -> bool:
            with self._rescan_lock:
                if self._stopping or worker.is_cancelled:
                    raise _Stopped
                answer = rescan.unchanged(source, size, mtime_ns)
            if pacer.old():
                post(False)
            return answer

        options = self._options
        try:
            items = iter_articles(
                options.paths,
                max_bytes=options.max_bytes,
                unchanged=unchanged,
                keep_text=False,
                columns=options.columns,
            )
            for item in items:
                with self._rescan_lock:
                    if self._stopping:
                        return
                    kept = rescan.item(item)
                if kept is not None:
                    batch.append(kept)
                if pacer.due(len(batch)):
                    post(False)
            with self._rescan_lock:
                rescan.finish()
        except _Stopped:
            return
        except Exception as error:  # a bug: what was found stays, nothing is taken for deleted
            self._warn("loading", f"checking for changes stopped ({type(error).__name__}: {error})")
            post(True)
            return
        post(True, rescan.candidates())
        if rescan.changed:
            self._save(rescan.journal)
        with self._rescan_lock:
            self._rescan = None  # its old and new journals: no longer needed

    def _save(self, journal: Journal) -> None:
        """Write the snapshot, once (at the end of loading, or at a quit before); a failure is one warning, and
        the next start reads every file."""
        with self._save_lock:
            if self._saved:
                return
            self._saved = True
            try:
                write_snapshot(self._snapshot_path, journal, self._options.paths, self._options.max_bytes)
            except OSError as error:
                where = display_path(self._snapshot_path)
                self._warn(
                    "snapshot", f"{where}: not saved ({error.strerror or error}); the next start reads every file"
                )

    def snapshot_read(self, message: SnapshotRead) -> None:
        """The whole list: the loading thread's store becomes this one (the head is already here)."""
        if not self._store.absorb(message.store):  # only if this store changed meanwhile: add the rest here
            self._store.add_many([article for article in message.store if self._store.get(article.id) is None])
        self._warnings += message.warnings
        for fingerprint, warning in message.duplicates:
            self._duplicates.setdefault(fingerprint, []).append(warning)
        self._reading_snapshot = False
        self._done = True
        self._checked = (0, len(self._store))
        self._screen.call_after_refresh(self._list_shown.set)

    def archive_changed(self, message: Changes) -> list[Article]:
        """Take out what changed or went, put in what is new; returns the articles added."""
        self._reading_snapshot = False  # (this is also how a snapshot that failed midway says so)
        removed = self._store.remove([row for row in message.removed if isinstance(row, Article)])
        gone = list(message.gone)
        for article in removed:
            self._freed.add(article.fingerprint)
            gone += self._duplicates.pop(article.fingerprint, [])
        if gone:
            self._drop_warnings(gone)
        candidates = [article for article in message.candidates if article.fingerprint in self._freed]
        added = self.store_items([*message.items, *candidates], self._done or message.done)
        if message.done:
            self._checked, self._freed = None, set()
        elif self._checked is not None:
            self._checked = (message.checked, self._checked[1])
        return added

    def _drop_warnings(self, gone: list[LoadWarning]) -> None:
        """Each warning in `gone` leaves the list once."""
        counts = Counter(gone)
        kept = []
        for warning in self._warnings:
            if counts[warning] > 0:
                counts[warning] -= 1
            else:
                kept.append(warning)
        self._warnings[:] = kept

    def store_items(self, items: list[Article | LoadWarning], done: bool) -> list[Article]:
        """Store new articles and keep their warnings; returns the articles that were new. The batch goes in with
        one `add_many` (one re-sort of the date order); its articles hold no text, as the analysis queue may hold
        the whole archive."""
        articles = [item.released() for item in items if isinstance(item, Article)]
        duplicates = dict(self._store.add_many(articles))
        added = []
        number = 0
        for item in items:
            if isinstance(item, Article):
                article, warning = articles[number], duplicates.get(number)
                number += 1
                if warning is None:
                    added.append(article)
                    continue
                self._duplicates.setdefault(article.fingerprint, []).append(warning)
            else:
                warning = item
            self._warnings.append(warning)
        self._done = done
        self._gc_policy.settle(len(self._store))
        return added

    def analyse(self, articles: list[Article]) -> None:
        """Queue new articles; the first call starts the service once the frame with the first articles is drawn
        (on a warm start, once the whole list is in)."""
        if self.service is not None:
            self.service.submit(articles)
        elif self._options.enrich and not self._analysis_requested and not self._reading_snapshot:
            self._analysis_requested = True
            self._screen.call_after_refresh(self._start_analysis)

    def _start_analysis(self) -> None:
        work = partial(self._create_service, self._screen.app)
        self._screen.run_worker(work, thread=True, exclusive=True, group="enrich")

    def _create_service(self, app: App) -> None:
        """On a thread: the NLP imports and the cache are not needed for the first frame."""
        try:
            from newsreader.nlp.cache import caches_beside
            from newsreader.nlp.service import EnrichmentService

            service = EnrichmentService(
                self._post_enriched,
                workers=self._options.workers,
                on_warning=lambda text: self._warn("analysis", text),
                also_read=caches_beside(self._options.paths),  # an analysis copied next to the archive
            )
        except Exception as error:  # no analysis is no reason to stop reading
            self._warn("analysis", f"analysis not started ({type(error).__name__}: {error})")
            return
        app.call_from_thread(self._analysis_started, service)

    def _analysis_started(self, service: EnrichmentService) -> None:
        """Queue what loaded meanwhile, the open article first, the rest in the list's order."""
        self.service = service
        reader = self._screen.query_one(ReaderPane)
        if reader.article is not None:
            service.submit([reader.article], urgent=True)
        service.submit(self._store.ordered(self._screen.query_one(ArticleList).newest_first))
        self.show_progress()

    def _post_enriched(self, article: Article, enrichment: Enrichment) -> None:
        self._screen.post_message(Enriched(article, enrichment))

    def _warn(self, source: str, text: str) -> None:
        """From a worker thread: the warning reaches the list on the UI thread."""
        self._screen.post_message(BackgroundWarning(source, text))

    def enriched(self, article: Article, enrichment: Enrichment) -> None:
        self._store.set_enrichment(article.fingerprint, enrichment)
        if problem := self._store.take_shelf_problem():
            self.add_warning("analysis results", problem)
        reader = self._screen.query_one(ReaderPane)
        if reader.article is not None and reader.article.fingerprint == article.fingerprint:
            reader.show(reader.article, enrichment, reader.mark)
            self._highlights_at = time.monotonic()
        self._views_stale = True
        if self.service is not None and self.service.idle:
            self._gc_policy.trim()  # the analysis is done: the memory it freed goes back to the system

    def add_warning(self, source: str, text: str) -> None:
        """Into the warnings list (w), counted in the status bar."""
        self._warnings.append(LoadWarning(source, sanitize_line(text)))
        self.show_progress()

    def views_due(self) -> bool:
        """True once per change that analysis made, unless the user is waiting for a frame: a key or an opened
        article's highlights must not wait for the timeline or the entity panel (the views are then due at the
        next call)."""
        if not self._views_stale or self._user_waiting():
            return False
        self._views_stale = False
        return True

    def show_progress(self) -> None:
        service = self.service
        self._screen.query_one(StatusBar).show_progress(
            len(self._store),
            len(self._warnings),
            self._done,
            enriched=self._store.enriched_count,
            to_enrich=service.submitted if service else 0,
            checked=self._checked,
        )

    def close(self) -> None:
        """Stop the check for changes and the analysis; what was read and not yet written down is, so the next
        start keeps it."""
        with self._rescan_lock:
            self._stopping = True
            rescan = self._rescan
            merged = rescan.merged() if rescan is not None and rescan.changed else None
        if self.service is not None:
            self.service.close()
        if merged is not None:
            self._save(merged)
        elif rescan is None and self._items is not None:
            self._save(self._journal)
        self._stop_load_pool()  # after the save, so what the reading thread says of the closed pool is not kept


def _replay(journal: Journal, plan: StorePlan) -> SnapshotRead:
    """The store and warnings a cold load of the journal's files would give, sorted here, off the UI thread: in bulk
    from the plan the snapshot was written with (what `Store.add_many` would check and sort was worked out then),
    or one article at a time when ids collide. The head's articles are in it as the same objects."""
    rows = journal.rows
    if plan.bulk:
        try:
            store = Store.filled(plan.articles(rows), plan.newest, plan.oldest, mapped=False)
        except ValueError as error:
            raise SnapshotError(f"damaged ({error})") from None
        duplicates = [
            (number, duplicate_warning(_article(rows[number]), _article(rows[first])))
            for number, first in plan.duplicates
        ]
    else:
        store = Store()
        numbers = [number for number, row in enumerate(rows) if isinstance(row, Article)]
        added = store.add_many([_article(rows[number]) for number in numbers])
        duplicates = [(numbers[index], warning) for index, warning in added]
        store.ordered(True)
        store.ordered(False)
    placed = sorted(
        [(position, 0, warning) for position, _, warning in journal.warnings]
        + [(number, 1, warning) for number, warning in duplicates],
        key=lambda each: each[:2],
    )
    by_fingerprint = [(_fingerprint(rows[number]), warning) for number, warning in duplicates]
    return SnapshotRead(store, [warning for *_, warning in placed], by_fingerprint)


def _fingerprint(row: Row) -> str:
    return _article(row).fingerprint


def _article(row: Row) -> Article:
    assert isinstance(row, Article), "a row that gave an article"
    return row
