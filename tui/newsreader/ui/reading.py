"""What the reader does with articles: open, read marks, unread navigation, entity filter, timeline scope.

A mixin for the App, so the App class itself only composes and routes messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from newsreader.ingest.parse import Article
from newsreader.userdata.state import ReadingState
from newsreader.store.corpus import ArticleView
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.reader import ReaderPane
from newsreader.ui.timeline.widget import Timeline
from newsreader.wording import plural

if TYPE_CHECKING:
    from newsreader.nlp.events import Event

TIMELINE_SCOPES = ("all", "article", "entity")
POSITION_SAVE_SECONDS = 2.0


class ReadingMixin:
    """Needs `self.store`, `self.add_warning`, `self.last_key_at` and the panes composed by the App."""

    def open_reading_state(self, state: ReadingState) -> None:
        self.reading_state = state
        self.report_state_warnings()
        self.read = state.read_fingerprints()
        self.newest_first = True
        self.filter_key: str | None = None
        self.timeline_scope = "all"
        self._undo_read: set[str] | None = None
        self._pending_restore = state.last_position()
        self._saved_position: tuple[str, float] | None = None
        self._opened_at = 0.0  # the stored scroll offset of the reader's article: no write while it is unchanged
        self._before_filter: Article | None = None
        article_list = self.query_one(ArticleList)
        article_list.is_read = lambda article: article.fingerprint in self.read
        # the first article loaded stays in the reader until the last one read arrives, not each newest in turn
        article_list.keeps_article = self._pending_restore is not None
        self.set_interval(POSITION_SAVE_SECONDS, self.remember_position)

    def report_state_warnings(self) -> None:
        """After opening and after each write: a state file failing mid-session says so once, when it happens."""
        while self.reading_state.warnings:
            self.add_warning("reading state", self.reading_state.warnings.pop(0))

    def close_reading_state(self) -> None:
        """At unmount the panes are gone: the position was saved on quit and every few seconds."""
        self.reading_state.close()

    async def action_quit(self) -> None:
        self.remember_position()
        await super().action_quit()

    # -- showing and opening -------------------------------------------------

    def current_view(self) -> ArticleView:
        if self.filter_key is not None:
            return self.store.articles_mentioning(self.filter_key, self.newest_first)
        return self.store.ordered(self.newest_first)

    def show_articles(self) -> None:
        article_list = self.query_one(ArticleList)
        article_list.show(self.current_view())
        info = self.store.entity(self.filter_key) if self.filter_key else None
        article_list.border_title = Content(f"Articles · {info.name}") if info else "Articles"  # a name from the text: no markup

    def show_in_reader(self, article: Article, event: Event | None = None) -> None:
        reader = self.query_one(ReaderPane)
        fresh = reader.article is not article
        if fresh and reader.article is not None and reader.reading_position != self._opened_at:
            self.remember_position()  # only a moved reader has a position worth a write on this key path
        mark = (event.sentence_start, event.sentence_end) if event else None
        enrichment = self.store.enrichment(article.id)
        reader.show(article, enrichment, mark)
        if fresh:
            self._opened_at = self.reading_state.scroll_position(article.fingerprint)
            if mark is None:
                reader.scroll_to_line(self._opened_at)
        if enrichment is None and self.enrichment_service is not None:
            self.enrichment_service.submit([article], urgent=True)
        if self.timeline_scope == "article":
            self.refresh_timeline()

    def open_article(self, article: Article, event: Event | None = None) -> None:
        """Read it: show it in the reader, focus the reader and mark it read."""
        self.show_in_reader(article, event)
        self.set_read([article], True)
        self.query_one(ReaderPane).focus()

    def open_article_by_id(self, article_id: str, event: Event | None = None) -> None:
        article = self.store.get(article_id)
        if article is None:
            return
        article_list = self.query_one(ArticleList)
        position = self.current_view().position(article_id)
        if position is None:
            self.filter_key = None
            self.show_articles()
            position = self.current_view().position(article_id)
        article_list.cursor = position
        self.open_article(article, event)

    def remember_position(self) -> None:
        """Save where the reader stands, unless that is what was saved last: this runs every few seconds."""
        reader = self.query_one(ReaderPane)
        if reader.article is not None and (reader.article.fingerprint, reader.reading_position) != self._saved_position:
            self._saved_position = (reader.article.fingerprint, reader.reading_position)
            self.reading_state.remember_position(*self._saved_position)
            self.report_state_warnings()

    def restore_last_position(self) -> None:
        """Once the last article of the previous run has loaded, go back to it and its scroll offset,
        unless the user has pressed a key meanwhile: what they turned to must not be taken from them."""
        if self._pending_restore is None:
            return
        if self.last_key_at:
            self._pending_restore = None
            return
        fingerprint, scroll_y = self._pending_restore
        article = self.store.by_fingerprint(fingerprint)
        if article is None:
            if self.loading_done:
                self._pending_restore = None
            return
        self._pending_restore = None
        position = self.current_view().position(article.id)
        if position is not None:
            self.query_one(ArticleList).cursor = position
            reader = self.query_one(ReaderPane)
            self.show_in_reader(article)
            reader.scroll_to_line(scroll_y)

    # -- read marks ----------------------------------------------------------

    def set_read(self, articles: list[Article], read: bool) -> None:
        fingerprints = {article.fingerprint for article in articles}
        if read:
            self.read |= fingerprints
        else:
            self.read -= fingerprints
        self.reading_state.mark(fingerprints, read)
        self.report_state_warnings()
        self.query_one(ArticleList).refresh_rows()

    def _step_unread(self, step: int) -> None:
        article_list = self.query_one(ArticleList)
        view = self.current_view()
        index = article_list.cursor + step
        while 0 <= index < len(view):
            if view[index].fingerprint not in self.read:
                article_list.cursor = index
                self.set_read([view[index]], True)
                return
            index += step
        self.notify("No more unread articles in this direction.")

    def action_next_unread(self) -> None:
        self._step_unread(1)

    def action_previous_unread(self) -> None:
        self._step_unread(-1)

    def action_toggle_read(self) -> None:
        article = self.query_one(ArticleList).article
        if article is not None:
            self.set_read([article], article.fingerprint not in self.read)

    def action_mark_all_read(self) -> None:
        view = self.current_view()
        unread = [article for article in view if article.fingerprint not in self.read]
        self._undo_read = {article.fingerprint for article in unread}
        self.set_read(unread, True)
        self.notify(f"Marked {plural(len(unread), 'article')} read. Press u to undo.")

    def action_undo(self) -> None:
        if not self._undo_read:
            self.notify("Nothing to undo.")
            return
        undo, self._undo_read = self._undo_read, None
        self.read -= undo
        self.reading_state.mark(undo, False)
        self.report_state_warnings()
        self.query_one(ArticleList).refresh_rows()
        self.notify(f"{plural(len(undo), 'article')} unread again.")

    # -- order, filter, back -------------------------------------------------

    def on_article_list_order_reversed(self) -> None:
        self.newest_first = not self.newest_first
        self.show_articles()
        self.notify("Newest first." if self.newest_first else "Oldest first.")

    def on_reader_pane_filter_requested(self, message: ReaderPane.FilterRequested) -> None:
        self.filter_by_entity(message.key)

    def filter_by_entity(self, key: str) -> None:
        self.filter_key = self.store.canonical_key(key)
        self._before_filter = self.query_one(ArticleList).article
        self.show_articles()
        self.query_one(ArticleList).cursor = 0
        self.query_one(ArticleList).focus()
        if self.timeline_scope != "article":
            self.timeline_scope = "entity"
        self.refresh_timeline()

    def action_clear_filter(self) -> None:
        if self.filter_key is None:
            return
        self.filter_key = None
        self.show_articles()
        previous = self._before_filter
        position = self.current_view().position(previous.id) if previous else None
        if position is not None:
            self.query_one(ArticleList).cursor = position
        if self.timeline_scope == "entity":
            self.timeline_scope = "all"
        self.refresh_timeline()

    def action_back(self) -> None:
        """Escape: from the reader or timeline to the list; in the list, drop the search, then the filter."""
        article_list = self.query_one(ArticleList)
        if self.focused is not article_list:
            article_list.focus()
        elif self.archive_query is not None:
            self.clear_archive_search()
        else:
            self.action_clear_filter()

    def action_focus_list_and(self, action: str) -> None:
        article_list = self.query_one(ArticleList)
        article_list.focus()
        article_list.run_action(action)

    # -- timeline and highlights ----------------------------------------------

    def refresh_timeline(self) -> None:
        timeline = self.query_one(Timeline)
        article = self.query_one(ReaderPane).article
        service = self.enrichment_service
        analysing = service is not None and not service.idle
        if self.timeline_scope == "article" and article is not None:
            timeline.show(self.store.article_events(article.id), "this article", analysing=analysing)
        elif self.timeline_scope == "entity" and self.filter_key is not None:
            info = self.store.entity(self.filter_key)
            name = info.name if info else self.filter_key
            timeline.show(self.store.events(self.filter_key), name, analysing=analysing)
        else:
            timeline.show(self.store.events(), "all articles", analysing=analysing)

    def action_cycle_timeline_scope(self) -> None:
        scopes = [scope for scope in TIMELINE_SCOPES if scope != "entity" or self.filter_key is not None]
        self.timeline_scope = scopes[(scopes.index(self.timeline_scope) + 1) % len(scopes)]
        self.refresh_timeline()

    def set_timeline_zoom(self, zoom: str) -> None:
        self.query_one(Timeline).zoom = zoom

    def toggle_highlight(self, kind: str) -> None:
        self.query_one(ReaderPane).action_toggle_kind(kind)
