"""Search for the App: in the open article (per keystroke) and across the archive (an index).

The index has one owner thread. It is built in chunks after loading, so a query
waits for one chunk at most; until it is complete, queries scan the store instead
and the bar says so. The words and stems of each chunk are computed in a
low-priority process that also writes them, so building the index does not take
the GIL from the keys. Every task on the index thread is checked: a failure, or an
index that cannot be used, is one warning, and from then on queries scan.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING

from rich.segment import Segment
from textual import work
from textual.message import Message
from textual.timer import Timer

from newsreader.ingest.parse import Article
from newsreader.ingest.sanitize import sanitize_line
from newsreader.runtime.processes import background_pool, stop_pool
from newsreader.store.corpus import ArticleView
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.messages import BackgroundWarning
from newsreader.ui.widgets.reader import ReaderPane
from newsreader.ui.widgets.search_bar import SearchBar
from newsreader.wording import plural

if TYPE_CHECKING:  # the search modules are imported on first use: ~15 ms that the first paint does not need
    from newsreader.search.index import Document, SearchIndex
    from newsreader.search.query import Query
    from newsreader.search.results import Hit, SearchResults
    from rich.style import Style

INDEX_CHUNK = 2000
WORD_FORMS_PAUSE = 0.15  # seconds of no typing before every word form is looked up


class ArchiveSearchDone(Message):
    def __init__(self, query: str, hits: SearchResults, from_index: bool) -> None:
        super().__init__()
        self.query, self.hits, self.from_index = query, hits, from_index


def _notes_only(notes: tuple[str, ...], indexed: bool = True) -> SearchResults:
    """No hits, only what the bar should say; the search modules still load on first use."""
    from newsreader.search.results import SearchResults

    return SearchResults((), indexed=indexed, problems=notes)


class SearchingMixin:
    """Needs `self.store` and the panes; call `start_search_index()` once loading is done."""

    def init_search(self) -> None:
        self._index_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-index")
        self._index: SearchIndex | None = None
        self._writer_pool: ProcessPoolExecutor | None = None
        self._search_stopping = False
        self._index_ready = False
        self._index_failed = False
        self._index_tasks: list[Future] = []
        self.archive_query: str | None = None
        self._article_query = ""
        self._word_forms_timer: Timer | None = None
        self._hits: dict[str, Hit] = {}
        self._before_search: Article | None = None

    def start_search_index(self) -> None:
        """Index the loaded articles in chunks on the index thread (only new fingerprints cost anything)."""
        articles = list(self.store.ordered(newest_first=False))  # newest indexed last: the ranking window favours them
        self._on_index_thread(self._open_index)
        for start in range(0, len(articles), INDEX_CHUNK):
            self._on_index_thread(self._index_chunk, articles[start:start + INDEX_CHUNK])
        self._on_index_thread(self._index_complete)

    def _on_index_thread(self, task: Callable[..., None], *args: object) -> None:
        future = self._index_thread.submit(task, *args)
        future.add_done_callback(self._check_index_task)
        self._index_tasks.append(future)

    def _check_index_task(self, future: Future) -> None:
        if future.cancelled() or isinstance(future.exception(), CancelledError):  # stopped on the way out
            return
        if future.exception() is not None:
            self._index_broke(future.exception())

    def _index_broke(self, error: BaseException) -> None:
        """Said once: the index is not used again this session."""
        if not self._index_failed:
            self._index_failed = True
            text = f"search index failed ({type(error).__name__}: {error}); archive search scans the articles instead"
            self.post_message(BackgroundWarning("search index", text))

    def _report_index_warnings(self) -> None:
        while self._index.warnings:
            self.post_message(BackgroundWarning("search index", self._index.warnings.pop(0)))

    def _open_index(self) -> None:
        from newsreader.search.index import SearchIndex

        self._index = SearchIndex()
        self._report_index_warnings()

    def _index_chunk(self, articles: list[Article]) -> None:
        if self._index is not None and not self._index_failed:
            self._index.add(articles, self._write_in_process)
            self._report_index_warnings()

    def _write_in_process(self, path: Path, first_id: int, documents: list[Document]) -> None:
        from newsreader.search.index import write_documents_to

        if self._search_stopping:  # the app is quitting: leave this chunk unrecorded, for the next run
            raise CancelledError
        if self._writer_pool is None:
            self._writer_pool = background_pool(1)  # tokenising, stemming and FTS writes: not on this GIL
        try:
            self._writer_pool.submit(write_documents_to, path, first_id, documents).result()
        except BrokenProcessPool:  # the process died (killed, out of memory): index here rather than not at all
            if self._search_stopping:
                raise CancelledError from None
            write_documents_to(path, first_id, documents)

    def _index_complete(self) -> None:
        self._index_ready = self._index is not None and not self._index_failed
        if self._writer_pool is not None:
            self._writer_pool.shutdown()

    def _close_index(self) -> None:
        if self._index is not None:
            self._index.close()

    def _search_index(self, query: Query) -> SearchResults:
        try:
            return self._index.search(query, self.store)
        finally:
            self._report_index_warnings()

    def stop_search(self) -> None:
        """Drop the queued index work and end a chunk being written; the index closes, letting go of its lock."""
        if self._search_stopping:
            return
        self._search_stopping = True
        for future in self._index_tasks:
            future.cancel()
        self._index_thread.submit(self._close_index).add_done_callback(self._check_index_task)
        self._index_thread.shutdown(wait=False)
        if self._writer_pool is not None:
            stop_pool(self._writer_pool)

    # -- the bar --------------------------------------------------------------

    def action_search(self, scope: str) -> None:
        bar = self.query_one(SearchBar)
        if scope == "archive" and self.archive_query is None:
            self._before_search = self.query_one(ArticleList).article
        bar.open(scope, (self.archive_query or "") if scope == "archive" else "")

    def search_archive(self, query: str) -> None:
        """From the command palette: the list shows the results of `query`."""
        self.action_search("archive")
        self.query_one(SearchBar).query_one("#search-input").value = query
        self.archive_query = query
        self.run_archive_search(query, False)

    def on_search_bar_changed(self, message: SearchBar.Changed) -> None:
        if message.scope == "article":
            self._find_in_article(message.query, message.literal)
        elif message.query.strip():
            self.archive_query = message.query
            self.run_archive_search(message.query, message.literal)

    def on_search_bar_submitted(self, message: SearchBar.Submitted) -> None:
        self.on_search_bar_changed(message)
        if message.scope == "article":
            if self._word_forms_timer is not None:  # enter: typing is over, no need to wait
                self._word_forms_timer.stop()
                self._find_word_forms()
            self.query_one(ReaderPane).focus()
        else:
            self.query_one(ArticleList).focus()

    def on_search_bar_closed(self, message: SearchBar.Closed) -> None:
        if message.scope == "article":
            self.query_one(ReaderPane).clear_matches()
            self.query_one(ReaderPane).focus()
        else:
            self.clear_archive_search()

    def _find_in_article(self, query: str, literal: bool) -> None:
        """Every keystroke finds the typed text literally, within the frame; every word form follows once typing pauses.

        Expanding a half-typed Russian word into its forms costs tens of milliseconds
        (pymorphy3 guesses at unknown prefixes), too long to hold each keystroke for,
        and a thread would take the GIL from the UI just the same.
        """
        reader = self.query_one(ReaderPane)
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
                self._word_forms_timer = self.set_timer(WORD_FORMS_PAUSE, self._find_word_forms)
        self.query_one(SearchBar).show_count(reader.match_status())

    def _find_word_forms(self) -> None:
        reader = self.query_one(ReaderPane)
        if reader.article is not None and reader.searching and self._article_query.strip():
            from newsreader.search.matching import find_matches

            matches = find_matches(reader.article.text, self._article_query)
            if matches != reader.matches:
                reader.set_matches(matches)
                self.query_one(SearchBar).show_count(reader.match_status())

    # -- the archive ----------------------------------------------------------

    @work(thread=True, exclusive=True, group="search")
    def run_archive_search(self, query: str, literal: bool) -> None:
        """Answered from the index once built; meanwhile by a scan of the store (slower, and said so)."""
        try:
            hits = self._answer(query, literal)
        except Exception as error:  # a bug in one search must not take the reader down
            reason = sanitize_line(f"archive search failed ({type(error).__name__}: {error})")
            self.post_message(BackgroundWarning("archive search", reason))
            hits = _notes_only((reason,), indexed=False)
        self.post_message(ArchiveSearchDone(query, hits, hits.indexed))

    def _answer(self, query: str, literal: bool) -> SearchResults:
        from newsreader.search.query import parse_query
        from newsreader.search.scan import search_without_index

        parsed = parse_query(query, literal)
        if parsed.empty and not literal and query.strip():  # only symbols or emoji: say what would find them
            return _notes_only((*parsed.problems, "no word to search for; Ctrl+T searches exact text"))
        hits = None
        if self._index_ready and not self._index_failed and not self._search_stopping:
            try:
                hits = self._index_thread.submit(self._search_index, parsed).result()
            except Exception as error:  # a failing index must not take the reader down
                self._index_broke(error)
        return hits if hits is not None else search_without_index(parsed, self.store)

    def on_archive_search_done(self, message: ArchiveSearchDone) -> None:
        if message.query != self.archive_query:
            return
        self._hits = {hit.article_id: hit for hit in message.hits}
        articles = [article for hit in message.hits if (article := self.store.get(hit.article_id))]
        article_list = self.query_one(ArticleList)
        article_list.snippet = self._snippet
        article_list.show(ArticleView(articles))
        article_list.cursor = 0
        article_list.border_title = f"Search · {plural(len(articles), 'result')}"
        building = not (self._index_ready or self._index_failed)
        note = "" if message.from_index else " (index building: scanning)" if building else " (scanning)"
        problems = "".join(f" · {problem}" for problem in message.hits.problems)
        self.query_one(SearchBar).show_count(f"{len(articles):,} articles{note}{problems}")

    def clear_archive_search(self) -> None:
        """Escape: the full list again, on the article that was under the cursor before searching."""
        self.archive_query = None
        self._hits = {}
        article_list = self.query_one(ArticleList)
        article_list.snippet = None
        self.show_articles()
        previous = self._before_search
        position = self.current_view().position(previous.id) if previous else None
        article_list.cursor = position or 0
        article_list.focus()

    def carry_search_into_reader(self, article: Article) -> None:
        """An article opened from the results shows the query's matches, the first in view."""
        hit = self._hits.get(article.id)
        if hit is not None:
            self.query_one(ReaderPane).set_matches(list(hit.matches))

    def _snippet(self, article: Article) -> list[Segment]:
        hit = self._hits.get(article.id)
        if hit is None:
            return []
        start, end = hit.snippet
        style: Style = self.query_one(ArticleList).component_style("article-list--match")
        segments, position = [Segment(" — ")], start
        for match_start, match_end in hit.matches:
            if match_end <= start or match_start >= end:
                continue
            segments.append(Segment(article.text[position:max(match_start, start)].replace("\n", " ")))
            segments.append(Segment(article.text[max(match_start, start):min(match_end, end)], style))
            position = min(match_end, end)
        segments.append(Segment(article.text[position:end].replace("\n", " ")))
        return segments
