"""The main screen: article list and reader side by side, the search bar, timeline and status line below.

It composes the panes and routes their messages, and the workers', to the controllers that do the work.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Footer, Header

from newsreader import tracing
from newsreader.ingest.load import LoadWarning
from newsreader.ingest.parse import Article
from newsreader.runtime.heap import GcPolicy
from newsreader.store.corpus import Store
from newsreader.ui.controllers.batch_search import BatchSearchController
from newsreader.ui.controllers.exporting import ExportingController
from newsreader.ui.controllers.keys import KeyClock
from newsreader.ui.controllers.loading import (
    REFRESH_SECONDS,
    ArchiveChanged,
    LoadingController,
    LoadOptions,
    SnapshotRead,
)
from newsreader.ui.controllers.marking import MarkingController
from newsreader.ui.controllers.reading import ReadingController
from newsreader.ui.controllers.search_index import ArchiveIndex
from newsreader.ui.controllers.searching import ArchiveSearchDone, SearchingController
from newsreader.ui.controllers.stories import CollapsedReady, StoriesController, StoriesFound, StoriesProgress
from newsreader.ui.messages import BackgroundWarning, Enriched, LoadedBatch
from newsreader.ui.timeline.widget import Timeline
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.reader import ReaderPane
from newsreader.ui.widgets.search_bar import SearchBar
from newsreader.ui.widgets.status_bar import StatusBar
from newsreader.ui.widgets.story_reports import StoryReports
from newsreader.ui.widgets.virtual_list import VirtualList
from newsreader.userdata.state import ReadingState

UI = Path(__file__).parent.parent

# The App declares these: the footer and help then list them after the focused pane's keys, as before, and
# keymap.toml names them app.…; their actions are this screen's.
READING_BINDINGS = [
    Binding("n", "screen.next_unread", "Next unread", id="app.next_unread", tooltip="Next unread article, marked read"),
    Binding(
        "p",
        "screen.previous_unread",
        "Prev unread",
        show=False,
        id="app.previous_unread",
        tooltip="Previous unread article, marked read",
    ),
    Binding(
        "N",
        "screen.toggle_read",
        "Read/unread",
        show=False,
        id="app.toggle_read",
        tooltip="Mark the article under the cursor read or unread",
    ),
    Binding(
        "A",
        "screen.mark_all_read",
        "All read",
        show=False,
        id="app.mark_all_read",
        tooltip="Mark every listed article read (u undoes it)",
    ),
    Binding("u", "screen.undo", "Undo", show=False, id="app.undo", tooltip="Unread again what A marked read"),
    Binding(
        "e",
        "screen.entities",
        "Entities",
        id="app.entities",
        tooltip="Browse every person, organisation and place, with counts; filter the list by them",
    ),
    Binding(
        "t",
        "screen.cycle_timeline_scope",
        "Timeline scope",
        show=False,
        id="app.timeline_scope",
        tooltip="Timeline of all articles, the open one, or the filtered entity",
    ),
    Binding(
        "asterisk",
        "screen.toggle_star",
        "Star",
        show=False,
        id="app.star",
        tooltip="Star or unstar the article (is:starred finds the starred)",
    ),
    Binding(
        "number_sign",
        "screen.edit_tags",
        "Tags",
        show=False,
        id="app.tags",
        tooltip="Tag the article: comma-separated tags (tag:NAME finds them)",
    ),
    Binding(
        "m",
        "screen.edit_note",
        "Note",
        show=False,
        id="app.note",
        tooltip="Write a note on the article (note:WORD searches the notes)",
    ),
    Binding(
        "escape",
        "screen.step_back",
        "Back",
        show=False,
        id="app.back",
        tooltip="Back to the list; there, leave the search, then the filter",
    ),
]

if TYPE_CHECKING:  # the entity panel is imported when first opened: the first paint does not need it
    from newsreader.ui.screens.entity_browser import FilterByEntities
    from newsreader.ui.screens.entity_panel import FilterByEntity, OpenArticle


class MainScreen(Screen[None]):
    """Loading and analysis run in the background; `corpus_updated` is published when they added data."""

    # The App reads these: Textual reads the CSS_PATH of pushed screens only, and this is the default screen.
    CSS_PATH = [
        UI / "screens/main.tcss",
        UI / "widgets/article_list.tcss",
        UI / "widgets/reader.tcss",
        UI / "widgets/status_bar.tcss",
        UI / "widgets/search_bar.tcss",
        UI / "timeline/timeline.tcss",
        UI / "widgets/story_reports.tcss",
    ]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]  # a short terminal keeps one line of timeline

    def __init__(
        self,
        store: Store,
        state: ReadingState,
        warnings: list[LoadWarning],
        keys: KeyClock,
        gc_policy: GcPolicy,
        options: LoadOptions,
    ) -> None:
        super().__init__()
        self.store = store
        self.corpus_updated: Signal[None] = Signal(self, "corpus_updated")
        self.loader = LoadingController(self, store, warnings, gc_policy, keys, options)
        self.stories = StoriesController(self, store, options.paths)
        self.reading = ReadingController(self, store, state, self.loader, keys, self.stories)
        self.marking = MarkingController(self, self.reading)
        self.archive_index = ArchiveIndex(self, store)
        self.searching = SearchingController(self, store, self.reading, self.archive_index, self.marking)
        self.exporting = ExportingController(self, store, self.reading, self.searching, self.stories)
        self.batch_search = BatchSearchController(self, self.searching, self.marking)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield ArticleList(id="articles")
            with Vertical(id="reading"):
                yield ReaderPane(id="reader")
                yield StoryReports(id="reports")
        yield SearchBar(id="search")
        yield Timeline(self.store, id="timeline")
        yield StatusBar(id="status")
        yield Footer()

    @tracing.span(tracing.MAIN_SCREEN_MOUNT)
    def on_mount(self) -> None:
        """The first article now, before the first frame; the rest on a thread; analysis after that frame."""
        self.reading.start()
        self.marking.start()
        article_list = self.query_one(ArticleList)
        article_list.cursor_moved.subscribe(self, self._follow_cursor, immediate=True)
        article_list.focus()
        self.set_interval(REFRESH_SECONDS, self.refresh_views)
        self.add_loaded(self.loader.start(), done=False)
        self.loader.load_rest()

    @tracing.span(tracing.ARTICLES_STORED)
    def add_loaded(self, items: list[Article | LoadWarning], done: bool) -> None:
        """Store new articles, show them, and queue them for analysis; index the archive once all are read."""
        self._show_added(self.loader.store_items(items, done), index=done)

    def _show_added(self, added: list[Article], index: bool) -> None:
        """Show the list as it now is and queue the new articles for analysis; with `index`, the list is whole:
        index what is new in it."""
        if self.searching.archive_query is None:  # search results stay listed until the search is left
            self.reading.show_articles()
        self.reading.restore_last_position()
        self.loader.analyse(added)
        self.loader.show_progress()
        if index:  # after the frame that shows the whole list: queueing a million articles' chunks takes 0.1-0.3 s
            self.call_after_refresh(self._archive_whole)
            if not len(self.store):
                self.query_one(ReaderPane).show_message("No articles could be read. Press w to see why.")

    def _archive_whole(self) -> None:
        """Index what is new in the whole list and seek its stories, then freeze what the archive holds (its date
        orders made)."""
        self.archive_index.build()
        self.stories.find()
        self.loader.archive_whole()

    @tracing.span(tracing.VIEWS_REFRESH)
    def refresh_views(self) -> None:
        """Throttled: the timeline, the entity panel and the progress follow the analysis once a second."""
        if self.loader.views_due():
            self.reading.refresh_timeline()
            self.corpus_updated.publish(None)
            self.loader.show_progress()

    def stop_background(self) -> None:
        """At unmount the panes are gone: the position was saved on quit and every few seconds."""
        self.reading.close()
        self.archive_index.stop()
        self.stories.stop()
        self.loader.close()

    # -- from the workers -------------------------------------------------------

    def on_loaded_batch(self, message: LoadedBatch) -> None:
        self.add_loaded(message.items, message.done)

    @tracing.span(tracing.ARTICLES_STORED)
    def on_snapshot_read(self, message: SnapshotRead) -> None:
        self.loader.snapshot_read(message)
        self._show_added([], index=True)

    @tracing.span(tracing.ARTICLES_STORED)
    def on_archive_changed(self, message: ArchiveChanged) -> None:
        """New, changed and deleted files; the reader shows the new version of its article if there is one."""
        added = self.loader.archive_changed(message.changes)
        reader = self.query_one(ReaderPane)
        shown = reader.article
        if shown is not None and self.store.by_fingerprint(shown.fingerprint) is None:
            replacement = self.store.get(shown.id)
            if replacement is not None:
                self.reading.show_in_reader(replacement)
        self._show_added(added, index=message.changes.done and bool(added))

    @tracing.span(tracing.ANALYSIS_STORED)
    def on_enriched(self, message: Enriched) -> None:
        self.loader.enriched(message.article, message.enrichment)

    def on_background_warning(self, message: BackgroundWarning) -> None:
        self.loader.add_warning(message.source, message.text)

    def on_archive_search_done(self, message: ArchiveSearchDone) -> None:
        self.searching.show_results(message)

    def on_stories_progress(self, message: StoriesProgress) -> None:
        self.query_one(StatusBar).stories = (message.hashed, message.to_hash)
        self.loader.show_progress()

    def on_stories_found(self, message: StoriesFound) -> None:
        self.stories.found(message)
        self.query_one(StatusBar).stories = len(message.stories)
        self.loader.show_progress()
        self.reading.stories_found()

    def on_collapsed_ready(self, message: CollapsedReady) -> None:
        self.reading.collapsed_ready(message)

    # -- from the panes ---------------------------------------------------------

    def _follow_cursor(self, stepped: bool) -> None:
        """The reader follows the list's cursor, told within the key's frame: a jump (g, G, a click) shows its
        article in that frame. Textual only logs an exception a Signal's subscriber raises, so one is raised
        again from the screen's queue, where it is handled as any handler's would be."""
        try:
            self.reading.cursor_moved(stepped)
        except Exception as error:
            self.call_next(_raise, error)

    @on(VirtualList.Selected, "ArticleList")
    def _open_chosen(self, message: VirtualList.Selected) -> None:
        """A chosen article is opened (and shows the search's matches)."""
        article = message.virtual_list.article if isinstance(message.virtual_list, ArticleList) else None
        if article is not None:
            self.reading.open_article(article)
            self.searching.carry_search_into_reader(article)

    @on(ArticleList.OrderReversed)
    def _reverse_order(self) -> None:
        self.reading.order_reversed()

    @on(ReaderPane.FilterRequested)
    def _filter(self, message: ReaderPane.FilterRequested) -> None:
        self.reading.filter_by_entity(message.key)

    @on(ReaderPane.EntityChosen)
    def _entity_chosen(self, message: ReaderPane.EntityChosen) -> None:
        self.open_entity_panel(message.key)

    def open_entity_panel(self, key: str) -> None:
        from newsreader.ui.screens.entity_panel import EntityPanel

        self.app.push_screen(EntityPanel(self.store, key, self.corpus_updated), self._entity_panel_closed)

    def _entity_panel_closed(self, result: OpenArticle | FilterByEntity | None) -> None:
        from newsreader.ui.screens.entity_panel import FilterByEntity, OpenArticle

        if isinstance(result, FilterByEntity):
            self.reading.filter_by_entity(result.key)
        elif isinstance(result, OpenArticle):
            self.reading.open_article_by_id(result.article_id, result.event)

    def action_entities(self) -> None:
        """The entity browser (imported when first opened, as the panel is)."""
        from newsreader.ui.screens.entity_browser import EntityBrowser

        self.app.push_screen(EntityBrowser(self.store, self.corpus_updated), self._entity_browser_closed)

    def _entity_browser_closed(self, result: FilterByEntities | FilterByEntity | OpenArticle | None) -> None:
        """What the user chose in the browser, or in an entity panel opened from it."""
        from newsreader.ui.screens.entity_browser import FilterByEntities

        if isinstance(result, FilterByEntities):
            self.reading.filter_by_entities(result.keys, result.every)
        else:
            self._entity_panel_closed(result)

    @on(StoryReports.Chosen)
    def _open_report(self, message: StoryReports.Chosen) -> None:
        self.reading.open_article_by_id(message.article_id)

    @on(Timeline.EventChosen)
    def _open_event(self, message: Timeline.EventChosen) -> None:
        self.reading.open_article_by_id(message.article_id, message.event)

    @on(SearchBar.Changed)  # and its subclass Submitted: enter searches, then leaves the bar
    def _search_changed(self, message: SearchBar.Changed) -> None:
        self.searching.changed(message)
        if isinstance(message, SearchBar.Submitted):
            self.searching.submitted(message)

    @on(SearchBar.Closed)
    def _search_closed(self, message: SearchBar.Closed) -> None:
        self.searching.closed(message)

    # -- actions: the App's bindings name them `screen.…`, so the footer and keymap ids stay the App's ---------

    def action_next_unread(self) -> None:
        self.reading.step_unread(1)

    def action_previous_unread(self) -> None:
        self.reading.step_unread(-1)

    def action_toggle_read(self) -> None:
        self.reading.toggle_read()

    def action_mark_all_read(self) -> None:
        self.reading.mark_all_read()

    def action_undo(self) -> None:
        self.reading.undo()

    def action_toggle_star(self) -> None:
        self.marking.toggle_star()

    def action_edit_tags(self) -> None:
        self.marking.edit_tags()

    def action_edit_note(self) -> None:
        self.marking.edit_note()

    def action_cycle_timeline_scope(self) -> None:
        self.reading.cycle_timeline_scope()

    def action_toggle_stories(self) -> None:
        """Stories collapse the archive's list; a search's results stay as they are, ranked, until it is left."""
        if self.searching.archive_query is not None:
            self.notify("Search results are listed by rank, each article once: Escape leaves the search, then c.")
            return
        self.reading.toggle_stories()

    def action_next_report(self) -> None:
        self.reading.next_report()

    def action_search(self, scope: str) -> None:
        self.searching.open_bar(scope)

    def action_step_back(self) -> None:
        """Escape: from the reader or timeline to the list; in the list, drop the search, then the filter."""
        article_list = self.query_one(ArticleList)
        if self.focused is not article_list:
            article_list.focus()
        elif self.searching.archive_query is not None:
            self.searching.clear_archive_search()
        else:
            self.reading.clear_filter()

    async def action_focus_list_and(self, action: str) -> None:
        article_list = self.query_one(ArticleList)
        article_list.focus()
        await article_list.run_action(action)


def _raise(error: Exception) -> None:
    raise error
