"""Loading and analysis for the App: files in batches, the NLP service, the views that follow both.

A mixin, so the App class itself only composes and routes messages.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual import work
from textual.worker import get_current_worker

from newsreader.runtime import heap
from newsreader.ingest.load import LoadWarning
from newsreader.ingest.parse import Article, iter_articles
from newsreader.ingest.sanitize import sanitize_line
from newsreader.ui.messages import BackgroundWarning, Enriched, LoadedBatch
from newsreader.ui.widgets.reader import ReaderPane
from newsreader.ui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from newsreader.nlp.service import EnrichmentService

BATCH_SIZE = 2000
BATCH_SECONDS = 0.1
FIRST_BATCH_SECONDS = 0.02
REFRESH_SECONDS = 1.0  # timeline, entity panel and progress follow the analysis once a second
QUIET_SECONDS = 0.3  # ... unless a key was pressed this recently


def _first_articles(items: Iterator[Article | LoadWarning]) -> list[Article | LoadWarning]:
    """Read on the UI thread, before the first frame, until an article is found or FIRST_BATCH_SECONDS pass:
    the first frame then already lists articles (a thread would get little time while the app mounts)."""
    first: list[Article | LoadWarning] = []
    deadline = time.monotonic() + FIRST_BATCH_SECONDS
    for item in items:
        first.append(item)
        if isinstance(item, Article) or time.monotonic() > deadline:
            break
    return first


class LoadingMixin:
    """Needs `self.store`, `self.paths`, `self.max_bytes`, `self.load_warnings`, `self.loading_done`,
    `self.enrichment_service`, `self._enrich`, `self._nlp_workers`, `self.last_key_at`, `self.archive_query` and the App's panes."""

    def start_loading(self) -> None:
        """The first article now, before the first frame; the rest on a thread; analysis after that frame."""
        self._enrichment_requested = False
        self._views_dirty = False
        self.set_interval(REFRESH_SECONDS, self._refresh_views)
        self.set_interval(REFRESH_SECONDS, heap.settle)  # also while typing: a pause of its own is 1-3 ms
        items = iter_articles(self.paths, max_bytes=self.max_bytes)
        self.add_loaded(_first_articles(items), done=False)
        self.load_corpus(items)

    @work(thread=True, exclusive=True, group="load")
    def load_corpus(self, items: Iterator[Article | LoadWarning]) -> None:
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
                    self.post_message(LoadedBatch(batch, done=False))
                    batch, last_post = [], time.monotonic()
        except Exception as error:  # a bug: keep what loaded, say why the rest did not
            self.post_message(BackgroundWarning("loading", f"loading stopped ({type(error).__name__}: {error})"))
        self.post_message(LoadedBatch(batch, done=True))

    @work(thread=True, exclusive=True, group="enrich")
    def start_enrichment(self) -> None:
        """Started once the first articles are on screen: the NLP imports and the cache are not needed for that."""
        try:
            from newsreader.nlp.service import EnrichmentService

            service = EnrichmentService(
                lambda article, enrichment: self.post_message(Enriched(article, enrichment)),
                workers=self._nlp_workers,
                on_warning=lambda text: self.post_message(BackgroundWarning("analysis", text)),
            )
        except Exception as error:  # no analysis is no reason to stop reading
            self.post_message(BackgroundWarning("analysis", f"analysis not started ({type(error).__name__}: {error})"))
            return
        self.call_from_thread(self._enrichment_started, service)

    def _enrichment_started(self, service: EnrichmentService) -> None:
        """Queue what loaded meanwhile, the open article first."""
        self.enrichment_service = service
        reader = self.query_one(ReaderPane)
        if reader.article is not None:
            service.submit([reader.article], urgent=True)
        service.submit(self.store.ordered(self.newest_first))
        self._show_progress()

    def on_loaded_batch(self, message: LoadedBatch) -> None:
        self.add_loaded(message.items, message.done)

    def add_loaded(self, items: list[Article | LoadWarning], done: bool) -> None:
        """Store new articles, keep their warnings, show them, and queue them for analysis."""
        added = []
        for item in items:
            if isinstance(item, Article):
                warning = self.store.add(item)
                if warning is None:
                    added.append(item)
                item = warning
            if item is not None:
                self.load_warnings.append(item)
        self.loading_done = done
        heap.settle()
        if self.archive_query is None:  # search results stay listed until the search is left
            self.show_articles()
        self.restore_last_position()
        if self.enrichment_service is not None:
            self.enrichment_service.submit(added)
        elif self._enrich and not self._enrichment_requested:
            self._enrichment_requested = True
            self.call_after_refresh(self.start_enrichment)
        self._show_progress()
        if done:
            self.start_search_index()
            if not len(self.store):
                self.query_one(ReaderPane).show_message("No articles could be read. Press w to see why.")

    def on_enriched(self, message: Enriched) -> None:
        self.store.set_enrichment(message.article.fingerprint, message.enrichment)
        reader = self.query_one(ReaderPane)
        if reader.article is not None and reader.article.fingerprint == message.article.fingerprint:
            reader.show(reader.article, message.enrichment, reader.mark)
        self._views_dirty = True

    def on_background_warning(self, message: BackgroundWarning) -> None:
        self.add_warning(message.source, message.text)

    def add_warning(self, source: str, text: str) -> None:
        """Into the warnings list (w), counted in the status bar."""
        self.load_warnings.append(LoadWarning(source, sanitize_line(text)))
        self._show_progress()

    def _refresh_views(self) -> None:
        """Throttled: the timeline, the entity panel and the progress follow the analysis once a second."""
        if not self._views_dirty or time.monotonic() - self.last_key_at < QUIET_SECONDS:
            return  # nothing new, or the user is typing: a key must not wait for this (it runs next second)
        self._views_dirty = False
        self.refresh_timeline()
        if hasattr(self.screen, "refresh_data"):  # the entity panel is open
            self.screen.refresh_data()
        self._show_progress()

    def _show_progress(self) -> None:
        service = self.enrichment_service
        self.query_one(StatusBar).show_progress(
            len(self.store), len(self.load_warnings), self.loading_done,
            enriched=self.store.enriched_count, to_enrich=service.submitted if service else 0,
        )
