"""The newsreader App: composes the panes and feeds them from the store."""

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Footer, Header
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from newsreader.nlp.enrich import Enrichment
    from newsreader.nlp.service import EnrichmentService

from newsreader.load import DEFAULT_MAX_BYTES, LoadWarning
from newsreader.parse import Article, iter_articles
from newsreader.store import Store
from newsreader.ui.article_list import ArticleList
from newsreader.ui.reader import ReaderPane
from newsreader.ui.status_bar import StatusBar
from newsreader.ui.virtual_list import VirtualList
from newsreader.ui.warnings_screen import WarningsScreen

BATCH_SIZE = 2000
BATCH_SECONDS = 0.1


class LoadedBatch(Message):
    """Articles and warnings read by the loading worker since its last batch."""

    def __init__(self, items: list[Article | LoadWarning], done: bool) -> None:
        super().__init__()
        self.items = items
        self.done = done


class Enriched(Message):
    """An article's entities, dates and events are known."""

    def __init__(self, article: Article, enrichment: "Enrichment") -> None:
        super().__init__()
        self.article = article
        self.enrichment = enrichment


class EnrichmentWarning(Message):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class NewsreaderApp(App):
    """Article list and reader side by side; loading runs in a thread worker."""

    CSS_PATH = "app.tcss"
    TITLE = "newsreader"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("w", "warnings", "Warnings", id="app.warnings"),
        Binding("escape", "focus_list", "Back", show=False, id="app.back"),
    ]

    def __init__(
        self, paths: Sequence[str], max_bytes: int = DEFAULT_MAX_BYTES, enrich: bool = True, workers: int | None = None
    ) -> None:
        super().__init__()
        self.paths = list(paths)
        self.max_bytes = max_bytes
        self.store = Store()
        self.load_warnings: list[LoadWarning] = []
        self.loading_done = False
        self._enrich = enrich
        self._nlp_workers = workers
        self.enrichment_service: "EnrichmentService | None" = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield ArticleList(id="articles")
            yield ReaderPane(id="reader")
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ArticleList).focus()
        self.load_corpus()

    @work(thread=True, exclusive=True, group="load")
    def load_corpus(self) -> None:
        """Read every file off the UI thread, posting batches so the list fills as it goes."""
        worker = get_current_worker()
        if self._enrich:  # imported here, off the UI thread: the NLP modules are heavy
            from newsreader.nlp.service import EnrichmentService

            self.enrichment_service = EnrichmentService(
                lambda article, enrichment: self.post_message(Enriched(article, enrichment)),
                workers=self._nlp_workers,
                on_warning=lambda text: self.post_message(EnrichmentWarning(text)),
            )
        batch: list[Article | LoadWarning] = []
        last_post = time.monotonic() - BATCH_SECONDS  # the first article is posted at once
        for item in iter_articles(self.paths, max_bytes=self.max_bytes):
            if worker.is_cancelled:
                return
            batch.append(item)
            if len(batch) >= BATCH_SIZE or time.monotonic() - last_post >= BATCH_SECONDS:
                self.post_message(LoadedBatch(batch, done=False))
                batch, last_post = [], time.monotonic()
        self.post_message(LoadedBatch(batch, done=True))

    def on_loaded_batch(self, message: LoadedBatch) -> None:
        added = []
        for item in message.items:
            if isinstance(item, Article):
                warning = self.store.add(item)
                if warning is None:
                    added.append(item)
                item = warning
            if item is not None:
                self.load_warnings.append(item)
        self.loading_done = message.done
        self.query_one(ArticleList).show(self.store.ordered())
        if self.enrichment_service is not None:
            self.enrichment_service.submit(added)
        self._show_progress()
        if message.done and not len(self.store):
            self.query_one(ReaderPane).show_message("No articles could be read. Press w to see why.")

    def on_enriched(self, message: Enriched) -> None:
        self.store.set_enrichment(message.article.fingerprint, message.enrichment)
        reader = self.query_one(ReaderPane)
        if reader.article is not None and reader.article.fingerprint == message.article.fingerprint:
            reader.show(reader.article, message.enrichment)
        self._show_progress()

    def on_enrichment_warning(self, message: EnrichmentWarning) -> None:
        self.load_warnings.append(LoadWarning("enrichment", message.text))
        self._show_progress()

    def _show_progress(self) -> None:
        service = self.enrichment_service
        self.query_one(StatusBar).show_progress(
            len(self.store), len(self.load_warnings), self.loading_done,
            enriched=self.store.enriched_count, to_enrich=service.submitted if service else 0,
        )

    def on_virtual_list_highlighted(self, message: VirtualList.Highlighted) -> None:
        if isinstance(message.virtual_list, ArticleList):
            article = message.virtual_list.article
            if article is not None:
                self.query_one(ReaderPane).show(article, self.store.enrichment(article.id))
                if self.enrichment_service is not None and self.store.enrichment(article.id) is None:
                    self.enrichment_service.submit([article], urgent=True)

    def on_unmount(self) -> None:
        if self.enrichment_service is not None:
            self.enrichment_service.close()

    def on_virtual_list_selected(self, message: VirtualList.Selected) -> None:
        if isinstance(message.virtual_list, ArticleList):
            self.query_one(ReaderPane).focus()

    def action_warnings(self) -> None:
        self.push_screen(WarningsScreen(self.load_warnings))

    def action_focus_list(self) -> None:
        self.query_one(ArticleList).focus()
