"""The newsreader App: composes the panes and routes their messages to the store and state."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Footer, Header

from newsreader.userdata.keymap import keymap_path, load_keymap
from newsreader.ingest.load import DEFAULT_MAX_BYTES, LoadWarning
from newsreader.runtime.processes import exit_code_for
from newsreader.userdata.state import ReadingState
from newsreader.store.corpus import Store
from newsreader.ui.binding_ids import declared_binding_ids
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.commands import ReaderCommands
from newsreader.ui.screens.help import HelpScreen
from newsreader.ui.loading import LoadingMixin
from newsreader.ui.widgets.reader import ReaderPane
from newsreader.ui.reading import ReadingMixin
from newsreader.ui.widgets.search_bar import SearchBar
from newsreader.ui.searching import SearchingMixin
from newsreader.ui.widgets.status_bar import StatusBar
from newsreader.ui.stopping import StopSignals
from newsreader.ui.timeline.widget import Timeline
from newsreader.ui.widgets.virtual_list import VirtualList
from newsreader.ui.screens.warnings import WarningsScreen

if TYPE_CHECKING:  # the entity panel is imported when first opened: the first paint does not need it
    from newsreader.nlp.service import EnrichmentService
    from newsreader.ui.screens.entity_panel import FilterByEntity, OpenArticle

COMPACT_HEIGHT = 30
FOLLOW_SECONDS = 0.03
REPEAT_SECONDS = 0.15  # steps closer than this are a repeat: the reader waits for a pause
PREFETCH = 3  # articles after the one shown that are analysed next


class NewsreaderApp(LoadingMixin, ReadingMixin, SearchingMixin, App):
    """Article list and reader side by side, the timeline below; loading and analysis run in the background."""

    CSS_PATH = ["app.tcss", "timeline/timeline.tcss", "screens/entity_panel.tcss"]
    TITLE = "newsreader"
    COMMANDS = App.COMMANDS | {ReaderCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, id="app.interrupt"),  # copies instead where text is selected
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
        self.load_warnings: list[LoadWarning] = []  # keymap and state warnings arrive before loading starts
        self.loading_done = False
        self.enrichment_service: EnrichmentService | None = None
        self._enrich = enrich
        self._nlp_workers = workers
        self._follow_timer: Timer | None = None
        self._last_step = 0.0
        self.last_key_at = 0.0

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
        # the ids are collected (importing and reading UI modules) only when there is a keymap to check
        keymap, problems = load_keymap(known_ids=declared_binding_ids() if keymap_path().exists() else None)
        self.set_keymap(keymap)
        self.load_warnings += [LoadWarning("keymap", problem) for problem in problems]
        self.open_reading_state(ReadingState())
        self.init_search()
        self.query_one(ArticleList).focus()
        self.query_one(ArticleList).follow = self._list_cursor_moved
        self._stop_signals = StopSignals(lambda signum: self.call_later(self._stop_by_signal, signum),
                                         owns_process=not self.is_headless)
        self._stop_signals.install()
        self.start_loading()

    def _stop_by_signal(self, signum: int) -> None:
        """Quit as q does, so the reading position is saved and the workers stop; exit with the shell's code."""
        self.remember_position()
        self.exit(return_code=exit_code_for(signum))

    async def on_event(self, event: events.Event) -> None:
        """Note when the user last pressed a key: background refreshes wait for a pause in typing."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            self.last_key_at = time.monotonic()
        await super().on_event(event)

    def on_resize(self) -> None:
        self.query_one(Timeline).compact = self.size.height < COMPACT_HEIGHT

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
        article_list = self.query_one(ArticleList)
        article = article_list.article
        if article is not None and article is not self.query_one(ReaderPane).article:
            self.show_in_reader(article)
            self._analyse_next(article_list)

    def _analyse_next(self, article_list: ArticleList) -> None:
        """The next few articles in the list are analysed before the rest: j is the likeliest next key."""
        service, start = self.enrichment_service, article_list.cursor + 1
        if service is not None:
            following = (article_list.article_at(i) for i in range(start, min(start + PREFETCH, article_list.row_count)))
            service.submit([each for each in following if not self.store.is_enriched(each.id)], soon=True)

    def on_virtual_list_selected(self, message: VirtualList.Selected) -> None:
        if isinstance(message.virtual_list, ArticleList) and message.virtual_list.article is not None:
            self.open_article(message.virtual_list.article)
            if self.archive_query is not None:
                self.carry_search_into_reader(message.virtual_list.article)

    def on_reader_pane_entity_chosen(self, message: ReaderPane.EntityChosen) -> None:
        from newsreader.ui.screens.entity_panel import EntityPanel

        self.push_screen(EntityPanel(self.store, message.key), self._entity_panel_closed)

    def _entity_panel_closed(self, result: OpenArticle | FilterByEntity | None) -> None:
        from newsreader.ui.screens.entity_panel import FilterByEntity, OpenArticle

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
        self._stop_signals.restore()
        self.close_reading_state()
        self.stop_search()
        if self.enrichment_service is not None:
            self.enrichment_service.close()
