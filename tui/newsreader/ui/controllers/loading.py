"""Loading and analysis for the main screen: files in batches on a thread, then the NLP service.

The screen routes the workers' messages here and decides what the other panes do with new articles.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.app import App
from textual.screen import Screen
from textual.worker import get_current_worker

from newsreader.ingest.load import DEFAULT_MAX_BYTES, LoadWarning
from newsreader.ingest.parse import Article, iter_articles
from newsreader.ingest.sanitize import sanitize_line
from newsreader.runtime.heap import GcPolicy
from newsreader.store.corpus import Store
from newsreader.ui.controllers.keys import KeyClock
from newsreader.ui.messages import BackgroundWarning, Enriched, LoadedBatch
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.reader import ReaderPane
from newsreader.ui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from newsreader.nlp.enrich import Enrichment
    from newsreader.nlp.service import EnrichmentService

BATCH_SIZE = 2000
BATCH_SECONDS = 0.1
FIRST_BATCH_SECONDS = 0.02
REFRESH_SECONDS = 1.0  # timeline, entity panel and progress follow the analysis once a second
QUIET_SECONDS = 0.3  # ... unless a key was pressed this recently


@dataclass(frozen=True)
class LoadOptions:
    """What to read and whether to analyse it, as given on the command line."""

    paths: Sequence[str]
    max_bytes: int = DEFAULT_MAX_BYTES
    enrich: bool = True
    workers: int | None = None


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
    """Stores what the loading worker reads, owns the analysis service and the progress line."""

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

    @property
    def done(self) -> bool:
        """Every file has been read."""
        return self._done

    @property
    def views_stale(self) -> bool:
        """Analysis added data that the timeline, entity panel and progress do not show yet."""
        return self._views_stale

    @property
    def analysing(self) -> bool:
        return self.service is not None and not self.service.idle

    def start(self) -> Iterator[Article | LoadWarning]:
        """The archive's articles, none read yet; the heap is settled every REFRESH_SECONDS from now on."""
        self._screen.set_interval(REFRESH_SECONDS, self._gc_policy.settle)  # also while typing: a pause is 1-3 ms
        return iter_articles(self._options.paths, max_bytes=self._options.max_bytes)

    def load_rest(self, items: Iterator[Article | LoadWarning]) -> None:
        self._screen.run_worker(partial(self._read_in_batches, items), thread=True, exclusive=True, group="load")

    def _read_in_batches(self, items: Iterator[Article | LoadWarning]) -> None:
        """Read the remaining files off the UI thread, posting batches so the list fills as it goes."""
        worker = get_current_worker()
        batch: list[Article | LoadWarning] = []
        last_post = time.monotonic()
        try:
            for item in items:
                if worker.is_cancelled:
                    return
                batch.append(item)
                if len(batch) >= BATCH_SIZE or time.monotonic() - last_post >= BATCH_SECONDS:
                    self._screen.post_message(LoadedBatch(batch, done=False))
                    batch, last_post = [], time.monotonic()
        except Exception as error:  # a bug: keep what loaded, say why the rest did not
            self._warn("loading", f"loading stopped ({type(error).__name__}: {error})")
        self._screen.post_message(LoadedBatch(batch, done=True))

    def store_items(self, items: list[Article | LoadWarning], done: bool) -> list[Article]:
        """Store new articles and keep their warnings; returns the articles that were new."""
        added = []
        for item in items:
            if isinstance(item, Article):
                item = item.released()  # the analysis queue may hold the whole archive: no texts in it
                warning = self._store.add(item)
                if warning is None:
                    added.append(item)
            else:
                warning = item
            if warning is not None:
                self._warnings.append(warning)
        self._done = done
        self._gc_policy.settle()
        return added

    def analyse(self, articles: list[Article]) -> None:
        """Queue new articles; the first call starts the service once the frame with the first articles is drawn."""
        if self.service is not None:
            self.service.submit(articles)
        elif self._options.enrich and not self._analysis_requested:
            self._analysis_requested = True
            self._screen.call_after_refresh(self._start_analysis)

    def _start_analysis(self) -> None:
        work = partial(self._create_service, self._screen.app)
        self._screen.run_worker(work, thread=True, exclusive=True, group="enrich")

    def _create_service(self, app: App) -> None:
        """On a thread: the NLP imports and the cache are not needed for the first frame."""
        try:
            from newsreader.nlp.service import EnrichmentService

            service = EnrichmentService(
                self._post_enriched,
                workers=self._options.workers,
                on_warning=lambda text: self._warn("analysis", text),
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
        reader = self._screen.query_one(ReaderPane)
        if reader.article is not None and reader.article.fingerprint == article.fingerprint:
            reader.show(reader.article, enrichment, reader.mark)
        self._views_stale = True

    def add_warning(self, source: str, text: str) -> None:
        """Into the warnings list (w), counted in the status bar."""
        self._warnings.append(LoadWarning(source, sanitize_line(text)))
        self.show_progress()

    def views_due(self) -> bool:
        """True once per change that analysis made, unless a key was just pressed: a key must not wait for
        the timeline or the entity panel (the views are then due at the next call)."""
        if not self._views_stale or self._keys.pressed_within(QUIET_SECONDS):
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
        )

    def close(self) -> None:
        if self.service is not None:
            self.service.close()
