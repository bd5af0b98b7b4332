"""The newsreader App: composes the panes and routes their messages to the store and state."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Footer, Header
from textual.worker import get_current_worker

from newsreader import heap
from newsreader.keymap import load_keymap
from newsreader.load import DEFAULT_MAX_BYTES, LoadWarning
from newsreader.parse import Article, iter_articles
from newsreader.state import ReadingState
from newsreader.store import Store
from newsreader.ui.article_list import ArticleList
from newsreader.ui.commands import ReaderCommands
from newsreader.ui.help_screen import HelpScreen
from newsreader.ui.messages import Enriched, EnrichmentWarning, LoadedBatch
from newsreader.ui.reader import ReaderPane
from newsreader.ui.reading import ReadingMixin
from newsreader.ui.search_bar import SearchBar
from newsreader.ui.searching import SearchingMixin
from newsreader.ui.status_bar import StatusBar
from newsreader.ui.timeline import Timeline
from newsreader.ui.virtual_list import VirtualList
from newsreader.ui.warnings_screen import WarningsScreen

if TYPE_CHECKING:  # the entity panel is imported when first opened: the first paint does not need it
    from newsreader.nlp.service import EnrichmentService
    from newsreader.ui.entity_panel import FilterByEntity, OpenArticle

BATCH_SIZE = 2000
BATCH_SECONDS = 0.1
FIRST_BATCH_SECONDS = 0.02
REFRESH_SECONDS = 1.0  # timeline, entity panel and progress follow the analysis once a second
COMPACT_HEIGHT = 30
FOLLOW_SECONDS = 0.03
REPEAT_SECONDS = 0.15  # steps closer than this are a repeat: the reader waits for a pause


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


class NewsreaderApp(ReadingMixin, SearchingMixin, App):
    """Article list and reader side by side, the timeline below; loading and analysis run in the background."""

    CSS_PATH = ["app.tcss", "timeline.tcss", "entity_panel.tcss"]
    TITLE = "newsreader"
    COMMANDS = App.COMMANDS | {ReaderCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Keys", id="app.help"),
        Binding("w", "warnings", "Warnings", show=False, id="app.warnings"),
        Binding("n", "next_unread", "Next unread", id="app.next_unread"),
        Binding("p", "previous_unread", "Prev unread", show=False, id="app.previous_unread"),
        Binding("N", "toggle_read", "Read/unread", show=False, id="app.toggle_read"),
        Binding("A", "mark_all_read", "All read", show=False, id="app.mark_all_read"),
        Binding("u", "undo", "Undo", show=False, id="app.undo"),
        Binding("t", "cycle_timeline_scope", "Timeline scope", show=False, id="app.timeline_scope"),
        Binding("escape", "back", "Back", show=False, id="app.back"),
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
        self.enrichment_service: EnrichmentService | None = None
        self._enrichment_requested = False
        self._follow_timer: Timer | None = None
        self._last_step = 0.0
        self._views_dirty = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield ArticleList(id="articles")
            yield ReaderPane(id="reader")
        yield SearchBar(id="search")
        yield Timeline(self.store, id="timeline")
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        keymap, problems = load_keymap()
        self.set_keymap(keymap)
        self.load_warnings += [LoadWarning("keymap", problem) for problem in problems]
        self.open_reading_state(ReadingState())
        self.init_search()
        self.query_one(ArticleList).focus()
        self.query_one(ArticleList).follow = self._list_cursor_moved
        self.set_interval(REFRESH_SECONDS, self._refresh_views)
        items = iter_articles(self.paths, max_bytes=self.max_bytes)
        self.add_loaded(_first_articles(items), done=False)
        self.load_corpus(items)

    def on_resize(self) -> None:
        self.query_one(Timeline).compact = self.size.height < COMPACT_HEIGHT

    @work(thread=True, exclusive=True, group="load")
    def load_corpus(self, items: Iterator[Article | LoadWarning]) -> None:
        """Read the remaining files off the UI thread, posting batches so the list fills as it goes."""
        worker = get_current_worker()
        batch: list[Article | LoadWarning] = []
        last_post = time.monotonic()
        for item in items:
            if worker.is_cancelled:
                return
            batch.append(item)
            if len(batch) >= BATCH_SIZE or time.monotonic() - last_post >= BATCH_SECONDS:
                self.post_message(LoadedBatch(batch, done=False))
                batch, last_post = [], time.monotonic()
        self.post_message(LoadedBatch(batch, done=True))

    @work(thread=True, exclusive=True, group="enrich")
    def start_enrichment(self) -> None:
        """Started once the first articles are on screen: the NLP imports and the cache are not needed for that."""
        from newsreader.nlp.service import EnrichmentService

        service = EnrichmentService(
            lambda article, enrichment: self.post_message(Enriched(article, enrichment)),
            workers=self._nlp_workers,
            on_warning=lambda text: self.post_message(EnrichmentWarning(text)),
        )
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

    def on_enrichment_warning(self, message: EnrichmentWarning) -> None:
        self.load_warnings.append(LoadWarning("analysis", message.text))
        self._show_progress()

    def _refresh_views(self) -> None:
        """Throttled: the timeline, the entity panel and the progress follow the analysis once a second."""
        if not self._views_dirty:
            return
        self._views_dirty = False
        heap.settle()
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

    def _list_cursor_moved(self, stepped: bool) -> None:
        """A jump (g, G, a page, a click) shows its article at once. A step (j/k) shows it once the cursor
        rests: FOLLOW_SECONDS after a single step, and while steps repeat, half as long again as the gap
        between them. A key's own frame then redraws list rows only, and the reader is never drawn
        between two keys of a repeat, where the next key would wait for it."""
        if self._follow_timer is not None:
            self._follow_timer.stop()
            self._follow_timer = None
        if not stepped:
            self._follow_list()
            return
        now = time.monotonic()
        gap, self._last_step = now - self._last_step, now
        rest = max(FOLLOW_SECONDS, 1.5 * gap) if gap < REPEAT_SECONDS else FOLLOW_SECONDS
        self._follow_timer = self.set_timer(rest, self._follow_list)

    def _follow_list(self) -> None:
        self._follow_timer = None
        article = self.query_one(ArticleList).article
        if article is not None and article is not self.query_one(ReaderPane).article:
            self.show_in_reader(article)

    def on_virtual_list_selected(self, message: VirtualList.Selected) -> None:
        if isinstance(message.virtual_list, ArticleList) and message.virtual_list.article is not None:
            self.open_article(message.virtual_list.article)
            if self.archive_query is not None:
                self.carry_search_into_reader(message.virtual_list.article)

    def on_reader_pane_entity_chosen(self, message: ReaderPane.EntityChosen) -> None:
        if isinstance(message, ReaderPane.FilterRequested):
            self.filter_by_entity(message.key)
        else:
            from newsreader.ui.entity_panel import EntityPanel

            self.push_screen(EntityPanel(self.store, message.key), self._entity_panel_closed)

    def _entity_panel_closed(self, result: OpenArticle | FilterByEntity | None) -> None:
        from newsreader.ui.entity_panel import FilterByEntity, OpenArticle

        if isinstance(result, FilterByEntity):
            self.filter_by_entity(result.key)
        elif isinstance(result, OpenArticle):
            self.open_article_by_id(result.article_id, result.event)

    def on_timeline_event_chosen(self, message: Timeline.EventChosen) -> None:
        self.open_article_by_id(message.article_id, message.event)

    def action_help(self) -> None:
        focused = self.focused
        where = (focused.border_title or type(focused).__name__) if focused else "newsreader"
        self.push_screen(HelpScreen(self.active_bindings, str(where)))

    def action_warnings(self) -> None:
        self.push_screen(WarningsScreen(self.load_warnings))

    def on_unmount(self) -> None:
        self.close_reading_state()
        self.stop_search()
        if self.enrichment_service is not None:
            self.enrichment_service.close()
