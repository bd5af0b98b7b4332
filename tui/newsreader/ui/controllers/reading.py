"""What the reader does with articles: open, read marks, unread navigation, entity filter, timeline scope,
and the reader following the list cursor."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer

from newsreader import tracing
from newsreader.ingest.parse import Article
from newsreader.store.corpus import ArticleView, Store
from newsreader.ui.controllers.keys import KeyClock
from newsreader.ui.controllers.loading import LoadingController
from newsreader.ui.controllers.stories import CollapsedReady, StoriesController, date_order
from newsreader.ui.timeline.widget import Timeline
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.reader import ReaderPane
from newsreader.ui.widgets.story_reports import StoryReports
from newsreader.userdata.state import ReadingState
from newsreader.wording import plural

if TYPE_CHECKING:
    from newsreader.nlp.events import Event
    from newsreader.nlp.quotes import Quote

TIMELINE_SCOPES = ("all", "article", "entity")
POSITION_SAVE_SECONDS = 2.0
FOLLOW_SECONDS = 0.03
REPEAT_SECONDS = 0.15  # steps closer than this are a repeat: the reader waits for a pause
PREFETCH = 3  # articles after the one shown that are analysed next


class ReadingController:
    """Keeps the read marks and the reading position in `state`, and the list, reader and timeline in step."""

    def __init__(
        self,
        screen: Screen,
        store: Store,
        state: ReadingState,
        loading: LoadingController,
        keys: KeyClock,
        stories: StoriesController,
    ) -> None:
        self._screen = screen
        self._stories = stories
        self._store = store
        self._state = state
        self._loading = loading
        self._keys = keys
        self._read = state.read_fingerprints()
        self._filter_keys: tuple[str, ...] = ()  # the entities the list is narrowed to
        self._filter_every = True  # articles naming every one of them, or any
        self._timeline_scope = "all"
        self._undo_read: set[str] | None = None
        self._pending_restore = state.last_position()
        self._saved_position: tuple[str, float] | None = None
        self._opened_at = 0.0  # the stored scroll offset of the reader's article: no write while it is unchanged
        self._before_filter: Article | None = None
        self._follow_timer: Timer | None = None
        self._last_step = 0.0

    @property
    def read(self) -> frozenset[str]:
        """Fingerprints of the articles read."""
        return frozenset(self._read)

    @property
    def state(self) -> ReadingState:
        return self._state

    @property
    def filter_keys(self) -> tuple[str, ...]:
        """The entities the list is narrowed to."""
        return self._filter_keys

    @property
    def filter_label(self) -> str:
        """The filter's entities by name, joined as it combines them ("А & Б", "А or Б"); plain text, not markup."""
        return (" & " if self._filter_every else " or ").join(map(self._name, self._filter_keys))

    @property
    def timeline_scope(self) -> str:
        return self._timeline_scope

    def start(self) -> None:
        """Once the panes are mounted."""
        self.report_state_warnings()
        article_list = self._screen.query_one(ArticleList)
        article_list.show_read(self._read)
        # the first article loaded stays in the reader until the last one read arrives, not each newest in turn
        article_list.keeps_article = self._pending_restore is not None
        self._screen.set_interval(POSITION_SAVE_SECONDS, self.remember_position)

    def report_state_warnings(self) -> None:
        """After opening and after each write: a state file failing mid-session says so once, when it happens."""
        while self._state.warnings:
            self._loading.add_warning("reading state", self._state.warnings.pop(0))

    def close(self) -> None:
        """At unmount the panes are gone: the position was saved on quit and every few seconds."""
        self._state.close()

    # -- showing and opening -------------------------------------------------

    def current_view(self) -> ArticleView:
        """The list as it shows: filtered, and with a story in one row while stories are collapsed."""
        return self._stories.view(self.every_listed())

    def every_listed(self) -> ArticleView:
        """The articles the list holds, filtered, every article of a story included (for an export)."""
        newest_first = self._screen.query_one(ArticleList).newest_first
        if self._filter_keys:
            return self._store.articles_mentioning(self._filter_keys, newest_first, self._filter_every)
        return self._store.ordered(newest_first)

    def show_articles(self) -> None:
        article_list = self._screen.query_one(ArticleList)
        article_list.show(self.current_view())
        # names from the text: no markup
        article_list.border_title = Content(f"Articles · {self.filter_label}") if self._filter_keys else "Articles"

    def show_in_reader(self, article: Article, event: Event | Quote | None = None) -> None:
        enrichment = self._store.enrichment(article.id)
        if enrichment is None and self._loading.service is not None:  # first: it is analysed while the reader draws
            self._loading.service.submit([article], urgent=True)
        reader = self._screen.query_one(ReaderPane)
        fresh = reader.article is not article
        if fresh and reader.article is not None and reader.reading_position != self._opened_at:
            self.remember_position()  # only a moved reader has a position worth a write on this key path
        mark = (event.sentence_start, event.sentence_end) if event else None
        reader.show(article, enrichment, mark)
        self._screen.query_one(StoryReports).show_reports(self._stories.others(article), self._stories.any)
        if fresh:
            self._opened_at = self._state.scroll_position(article.fingerprint)
            if mark is None:
                reader.scroll_to_line(self._opened_at)
        if self._timeline_scope == "article":
            self.refresh_timeline()

    def open_article(self, article: Article, event: Event | Quote | None = None) -> None:
        """Read it: show it in the reader, focus the reader and mark it read."""
        self.show_in_reader(article, event)
        self.set_read([article], True)
        self._screen.query_one(ReaderPane).focus()

    def open_article_by_id(self, article_id: str, event: Event | Quote | None = None) -> None:
        article = self._store.get(article_id)
        if article is None:
            return
        position = self.current_view().position(article_id)
        if position is None:
            self._filter_keys = ()
            self.show_articles()
            position = self.current_view().position(article_id)
        if position is not None:
            self._screen.query_one(ArticleList).cursor = position
        self.open_article(article, event)

    def cursor_moved(self, stepped: bool) -> None:
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
        self._follow_timer = self._screen.set_timer(rest, self._follow_list)

    @tracing.span(tracing.READER_FOLLOWS_LIST)
    def _follow_list(self) -> None:
        self._follow_timer = None
        article_list = self._screen.query_one(ArticleList)
        article, shown = article_list.article, self._screen.query_one(ReaderPane).article
        if article is not None and article is not shown and not self._stories.one_row(article, shown):
            self.show_in_reader(article)
            self._analyse_next(article_list)

    def _analyse_next(self, article_list: ArticleList) -> None:
        """The next few articles in the list are analysed before the rest: j is the likeliest next key."""
        service, start = self._loading.service, article_list.cursor + 1
        if service is not None:
            end = min(start + PREFETCH, article_list.row_count)
            following = (article_list.article_at(i) for i in range(start, end))
            service.submit([each for each in following if not self._store.is_enriched(each.id)], soon=True)

    def remember_position(self) -> None:
        """Save where the reader stands, unless that is what was saved last: this runs every few seconds."""
        reader = self._screen.query_one(ReaderPane)
        if reader.article is not None and (reader.article.fingerprint, reader.reading_position) != self._saved_position:
            self._saved_position = (reader.article.fingerprint, reader.reading_position)
            self._state.remember_position(*self._saved_position)
            self.report_state_warnings()

    def restore_last_position(self) -> None:
        """Once the last article of the previous run has loaded, go back to it and its scroll offset,
        unless the user has pressed a key meanwhile: what they turned to must not be taken from them."""
        if self._pending_restore is None:
            return
        if self._keys.any_pressed:
            self._pending_restore = None
            return
        fingerprint, scroll_y = self._pending_restore
        article = self._store.by_fingerprint(fingerprint)
        if article is None:
            if self._loading.done:
                self._pending_restore = None
            return
        self._pending_restore = None
        position = self.current_view().position(article.id)
        if position is not None:
            self._screen.query_one(ArticleList).cursor = position
            self.show_in_reader(article)
            self._screen.query_one(ReaderPane).scroll_to_line(scroll_y)

    # -- read marks ----------------------------------------------------------

    def set_read(self, articles: list[Article], read: bool) -> None:
        self._mark({article.fingerprint for article in articles}, read)

    def _mark(self, fingerprints: set[str], read: bool) -> None:
        """In memory, in the state file and on the list's rows."""
        if read:
            self._read |= fingerprints
        else:
            self._read -= fingerprints
        self._state.mark(fingerprints, read)
        self.report_state_warnings()
        self._screen.query_one(ArticleList).refresh_rows()

    def step_unread(self, step: int) -> None:
        """To the next unread article in the direction of `step` (1 or -1), marking it read."""
        article_list = self._screen.query_one(ArticleList)
        view = self.current_view()
        index = article_list.cursor + step
        while 0 <= index < len(view):
            if view[index].fingerprint not in self._read:
                article_list.cursor = index
                self.set_read([view[index]], True)
                return
            index += step
        self._screen.notify("No more unread articles in this direction.")

    def toggle_read(self) -> None:
        article = self._screen.query_one(ArticleList).article
        if article is not None:
            self.set_read([article], article.fingerprint not in self._read)

    def mark_all_read(self) -> None:
        unread = [article for article in self.current_view() if article.fingerprint not in self._read]
        self._undo_read = {article.fingerprint for article in unread}
        self.set_read(unread, True)
        self._screen.notify(f"Marked {plural(len(unread), 'article')} read. Press u to undo.")

    def undo(self) -> None:
        if not self._undo_read:
            self._screen.notify("Nothing to undo.")
            return
        undo, self._undo_read = self._undo_read, None
        self._mark(undo, False)
        self._screen.notify(f"{plural(len(undo), 'article')} unread again.")

    # -- order and filter ----------------------------------------------------

    def order_reversed(self) -> None:
        self.show_articles()
        newest_first = self._screen.query_one(ArticleList).newest_first
        self._screen.notify("Newest first." if newest_first else "Oldest first.")

    def _name(self, key: str) -> str:
        info = self._store.entity(key)
        return info.name if info else key

    def filter_by_entity(self, key: str) -> None:
        self.filter_by_entities((key,))

    def filter_by_entities(self, keys: tuple[str, ...], every: bool = True) -> None:
        """List only the articles naming every one of `keys`, or (not `every`) any of them."""
        self._filter_keys = tuple(dict.fromkeys(map(self._store.canonical_key, keys)))
        self._filter_every = every
        article_list = self._screen.query_one(ArticleList)
        self._before_filter = article_list.article
        self.show_articles()
        article_list.cursor = 0
        article_list.focus()
        if self._timeline_scope != "article":
            self._timeline_scope = "entity"
        self.refresh_timeline()

    def clear_filter(self) -> None:
        if not self._filter_keys:
            return
        self._filter_keys = ()
        self.show_articles()
        previous = self._before_filter
        position = self.current_view().position(previous.id) if previous else None
        if position is not None:
            self._screen.query_one(ArticleList).cursor = position
        if self._timeline_scope == "entity":
            self._timeline_scope = "all"
        self.refresh_timeline()

    # -- stories across outlets ----------------------------------------------

    def stories_found(self) -> None:
        """The reader's "also reported by" follows the stories just found, and the list is collapsed by them on
        the stories thread (`collapsed_ready`)."""
        self._stories.prepare(self.every_listed())
        article = self._screen.query_one(ReaderPane).article
        if article is not None:
            self._screen.query_one(StoryReports).show_reports(self._stories.others(article), self._stories.any)

    def collapsed_ready(self, message: CollapsedReady) -> None:
        """A collapsed list shows the stories just found."""
        if self._stories.collapsed_ready(message):
            self.show_articles()

    def toggle_stories(self) -> None:
        """Each story in one row with its count, or every article again; the cursor stays on its article."""
        if self._stories.stories is None:
            self._screen.notify("Stories across outlets are still being found.")
            return
        self._stories.collapsed = not self._stories.collapsed
        self.show_articles()
        found = plural(len(self._stories.stories), "story", "stories")
        self._screen.notify(f"{found} in one row each." if self._stories.collapsed else "Every article listed.")

    def next_report(self) -> None:
        """Open the next article (by date, round again) that reports the story of the one under the cursor; from
        the report being read, so that `r` again steps on (a collapsed list's cursor stays on the story's row)."""
        article = self._screen.query_one(ArticleList).article
        read = self._screen.query_one(ReaderPane).article
        others = self._stories.others(article) if article is not None else []
        if read is not None and any(other.id == read.id for other in others):
            article, others = read, self._stories.others(read)
        if article is None or not others:
            self._screen.notify("No other outlet reports this story.")
            return
        story = sorted([article, *others], key=date_order)
        self.open_article_by_id(story[(story.index(article) + 1) % len(story)].id)

    # -- timeline and highlights ----------------------------------------------

    def refresh_timeline(self) -> None:
        timeline = self._screen.query_one(Timeline)
        article = self._screen.query_one(ReaderPane).article
        analysing = self._loading.analysing
        if self._timeline_scope == "article" and article is not None:
            timeline.show(self._store.article_events(article.id), "this article", analysing=analysing)
        elif self._timeline_scope == "entity" and self._filter_keys:
            events = self._store.events(self._filter_keys, self._filter_every)
            timeline.show(events, self.filter_label, analysing=analysing)
        else:
            timeline.show(self._store.events(), "all articles", analysing=analysing)

    def cycle_timeline_scope(self) -> None:
        scopes = [scope for scope in TIMELINE_SCOPES if scope != "entity" or self._filter_keys]
        self._timeline_scope = scopes[(scopes.index(self._timeline_scope) + 1) % len(scopes)]
        self.refresh_timeline()

    def set_timeline_zoom(self, zoom: str) -> None:
        self._screen.query_one(Timeline).zoom = zoom

    def toggle_highlight(self, kind: str) -> None:
        self._screen.query_one(ReaderPane).action_toggle_kind(kind)
