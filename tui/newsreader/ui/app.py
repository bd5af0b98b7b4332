"""The newsreader App: composes the panes and feeds them from the store."""

import time
from collections.abc import Sequence

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Footer, Header
from textual.worker import get_current_worker

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


class NewsreaderApp(App):
    """Article list and reader side by side; loading runs in a thread worker."""

    CSS_PATH = "app.tcss"
    TITLE = "newsreader"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("w", "warnings", "Warnings", id="app.warnings"),
        Binding("escape", "focus_list", "Back", show=False, id="app.back"),
    ]

    def __init__(self, paths: Sequence[str], max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        super().__init__()
        self.paths = list(paths)
        self.max_bytes = max_bytes
        self.store = Store()
        self.load_warnings: list[LoadWarning] = []
        self.loading_done = False

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
        for item in message.items:
            if isinstance(item, Article):
                item = self.store.add(item)
            if item is not None:
                self.load_warnings.append(item)
        self.loading_done = message.done
        article_list = self.query_one(ArticleList)
        article_list.show(self.store.ordered())
        self.query_one(StatusBar).show_progress(len(self.store), len(self.load_warnings), message.done)
        if message.done and not len(self.store):
            self.query_one(ReaderPane).show_message("No articles could be read. Press w to see why.")

    def on_virtual_list_highlighted(self, message: VirtualList.Highlighted) -> None:
        if isinstance(message.virtual_list, ArticleList):
            article = message.virtual_list.article
            if article is not None:
                self.query_one(ReaderPane).show(article)

    def on_virtual_list_selected(self, message: VirtualList.Selected) -> None:
        if isinstance(message.virtual_list, ArticleList):
            self.query_one(ReaderPane).focus()

    def action_warnings(self) -> None:
        self.push_screen(WarningsScreen(self.load_warnings))

    def action_focus_list(self) -> None:
        self.query_one(ArticleList).focus()
