"""Search for the main screen: in the open article (per keystroke) and across the archive (the index, or a scan)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from types import MappingProxyType
from typing import TYPE_CHECKING

from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input

from newsreader.ingest.parse import Article
from newsreader.ingest.sanitize import sanitize_line
from newsreader.store.corpus import ArticleView, Store
from newsreader.ui.controllers.marking import MarkingController
from newsreader.ui.controllers.reading import ReadingController
from newsreader.ui.controllers.search_index import ArchiveIndex
from newsreader.ui.messages import BackgroundWarning
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.reader import ReaderPane
from newsreader.ui.widgets.search_bar import SearchBar
from newsreader.userdata.marks import UserMarks
from newsreader.wording import plural

if TYPE_CHECKING:  # the search modules are imported on first use: ~15 ms that the first paint does not need
    from newsreader.search.query import Query
    from newsreader.search.results import Hit, SearchResults

WORD_FORMS_PAUSE = 0.15  # seconds of no typing before every word form is looked up


class ArchiveSearchDone(Message):
    def __init__(self, query: str, hits: SearchResults, from_index: bool) -> None:
        super().__init__()
        self.query, self.hits, self.from_index = query, hits, from_index


def _notes_only(notes: tuple[str, ...], indexed: bool = True) -> SearchResults:
    """No hits, only what the bar should say; the search modules still load on first use."""
    from newsreader.search.results import SearchResults

    return SearchResults((), indexed=indexed, problems=notes)


class SearchingController:
    """The search bar's two scopes: matches in the reader, or the archive's results in the list."""

    def __init__(
        self, screen: Screen, store: Store, reading: ReadingController, index: ArchiveIndex, marking: MarkingController
    ) -> None:
        self._screen = screen
        self._store = store
        self._reading = reading
        self._index = index
        self._marking = marking
        self._archive_query: str | None = None
        self._article_query = ""
        self._word_forms_timer: Timer | None = None
        self._hits: dict[str, Hit] = {}
        self._archive_literal = False
        self._batch_label: str | None = None  # what `archive_query` holds while a batch search's results are listed
        self._before_search: Article | None = None

    @property
    def archive_query(self) -> str | None:
        """The query whose results the list shows, until the search is left."""
        return self._archive_query

    @property
    def hits(self) -> Mapping[str, Hit]:
        """The results of the archive query by article id."""
        return MappingProxyType(self._hits)

    def open_bar(self, scope: str) -> None:
        bar = self._screen.query_one(SearchBar)
        if scope == "archive" and self._archive_query is None:
            self._before_search = self._screen.query_one(ArticleList).article
        typed = self._archive_query if self._archive_query != self._batch_label else None  # a batch: no query
        bar.open(scope, (typed or "") if scope == "archive" else "")

    def search_archive(self, query: str) -> None:
        """From the command palette: the list shows the results of `query`."""
        self.open_bar("archive")
        self._screen.query_one("#search-input", Input).value = query
        self._archive_query = query
        self.run_archive_search(query, False)

    def changed(self, message: SearchBar.Changed) -> None:
        if message.scope == "article":
            self.find_in_article(message.query, message.literal)
        elif message.query.strip():
            self._archive_query = message.query
            self.run_archive_search(message.query, message.literal)

    def submitted(self, message: SearchBar.Submitted) -> None:
        """After `changed`: the search is kept and the focus goes to its results."""
        if message.scope == "article":
            if self._word_forms_timer is not None:  # enter: typing is over, no need to wait
                self._word_forms_timer.stop()
                self._find_word_forms()
            self._screen.query_one(ReaderPane).focus()
        else:
            self._screen.query_one(ArticleList).focus()

    def closed(self, message: SearchBar.Closed) -> None:
        if message.scope == "article":
            self._screen.query_one(ReaderPane).clear_matches()
            self._screen.query_one(ReaderPane).focus()
        else:
            self.clear_archive_search()

    def find_in_article(self, query: str, literal: bool) -> None:
        """Every keystroke finds the typed text literally, within the frame; every word form follows once typing pauses.

        Expanding a half-typed Russian word into its forms costs tens of milliseconds
        (pymorphy3 guesses at unknown prefixes), too long to hold each keystroke for,
        and a thread would take the GIL from the UI just the same.
        """
        reader = self._screen.query_one(ReaderPane)
        self._article_query = query
        if self._word_forms_timer is not None:
            self._word_forms_timer.stop()
        if reader.article is None:
            return
        if not query.strip():
            reader.clear_matches()
        else:
            from newsreader.search.matching import find_matches

            reader.set_matches(find_matches(reader.article.text, query, literal=True))
            if not literal:
                self._word_forms_timer = self._screen.set_timer(WORD_FORMS_PAUSE, self._find_word_forms)
        self._screen.query_one(SearchBar).show_count(reader.match_status())

    def _find_word_forms(self) -> None:
        reader = self._screen.query_one(ReaderPane)
        if reader.article is not None and reader.searching and self._article_query.strip():
            from newsreader.search.matching import find_matches

            matches = find_matches(reader.article.text, self._article_query)
            if matches != reader.matches:
                reader.set_matches(matches)
                self._screen.query_one(SearchBar).show_count(reader.match_status())

    # -- the archive ----------------------------------------------------------

    def run_archive_search(self, query: str, literal: bool) -> None:
        """On a thread, with the marks as they are now; a newer query cancels an older one."""
        self._archive_literal = literal
        search = partial(self._search, query, literal, self._marking.marks)
        self._screen.run_worker(search, thread=True, exclusive=True, group="search")

    def _search(self, query: str, literal: bool, marks: UserMarks) -> None:
        """Answered from the index once built; meanwhile by a scan of the store (slower, and said so)."""
        try:
            hits = self._answer(query, literal, marks)
        except Exception as error:  # a bug in one search must not take the reader down
            reason = sanitize_line(f"archive search failed ({type(error).__name__}: {error})")
            self._screen.post_message(BackgroundWarning("archive search", reason))
            hits = _notes_only((reason,), indexed=False)
        self._screen.post_message(ArchiveSearchDone(query, hits, hits.indexed))

    def _answer(self, query: str, literal: bool, marks: UserMarks) -> SearchResults:
        from newsreader.search.marks import with_marks
        from newsreader.search.query import parse_query

        parsed = with_marks(parse_query(query, literal), marks)
        if parsed.empty and not literal and query.strip():  # only symbols or emoji: say what would find them
            return _notes_only((*parsed.problems, "no word to search for; Ctrl+T searches exact text"))
        hits = self.answer_query(parsed)
        if parsed.dates:  # "с 3 по 7 марта" finding nothing: say which March it was read as
            hits.problems = (f"dated {parsed.dates[0].named}", *hits.problems)
        return hits

    def answer_query(self, parsed: Query, every_hit: bool = False) -> SearchResults:
        """On a thread: the best RESULT_LIMIT hits (or `every_hit`), from the index once built, else by a scan."""
        from newsreader.search.results import RESULT_LIMIT
        from newsreader.search.scan import search_without_index

        limit = max(len(self._store), 1) if every_hit else RESULT_LIMIT
        hits = self._index.search(parsed, limit)
        return hits if hits is not None else search_without_index(parsed, self._store, limit)

    @property
    def capped(self) -> bool:
        """The list shows only the best RESULT_LIMIT of the archive query's hits: more match."""
        from newsreader.search.results import RESULT_LIMIT

        return self._archive_query not in (None, self._batch_label) and len(self._hits) >= RESULT_LIMIT

    def shown_query(self) -> Query:
        """The archive query the list shows, with the marks as they are now: for `every_hit` on a thread."""
        from newsreader.search.marks import with_marks
        from newsreader.search.query import parse_query

        return with_marks(parse_query(self._archive_query or "", self._archive_literal), self._marking.marks)

    def every_hit(self, parsed: Query) -> list[str]:
        """On a thread: the ids of every article `parsed` finds, best first (an export of a capped list)."""
        return [hit.article_id for hit in self.answer_query(parsed, every_hit=True)]

    def show_batch(self, label: str) -> None:
        """A batch search's results are coming: the list will show them as a search's, Escape leaves them."""
        if self._archive_query is None:
            self._before_search = self._screen.query_one(ArticleList).article
        self._archive_query = self._batch_label = label

    def show_results(self, message: ArchiveSearchDone) -> None:
        if message.query != self._archive_query:
            return
        self._hits = {hit.article_id: hit for hit in message.hits}
        articles = [article for hit in message.hits if (article := self._store.get(hit.article_id))]
        article_list = self._screen.query_one(ArticleList)
        article_list.show(ArticleView(articles), self._hits)
        article_list.cursor = 0
        best = "the best " if self.capped else ""
        article_list.border_title = f"Search · {best}{plural(len(articles), 'result')}"
        building = not (self._index.ready or self._index.failed)
        note = "" if message.from_index else " (index building: scanning)" if building else " (scanning)"
        if self.capped:
            note += " · more match: narrow the search, or export to get them all"
        problems = "".join(f" · {problem}" for problem in message.hits.problems)
        self._screen.query_one(SearchBar).show_count(f"{best}{plural(len(articles), 'article')}{note}{problems}")

    def clear_archive_search(self) -> None:
        """Escape: the full list again, on the article that was under the cursor before searching."""
        self._archive_query = None
        self._hits = {}
        article_list = self._screen.query_one(ArticleList)
        self._reading.show_articles()
        previous = self._before_search
        position = self._reading.current_view().position(previous.id) if previous else None
        article_list.cursor = position or 0
        article_list.focus()

    def carry_search_into_reader(self, article: Article) -> None:
        """An article opened from the results shows the query's matches, the first in view."""
        hit = self._hits.get(article.id) if self._archive_query is not None else None
        if hit is not None:
            self._screen.query_one(ReaderPane).set_matches(list(hit.matches))
