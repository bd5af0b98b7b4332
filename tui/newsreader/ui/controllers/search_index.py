"""The archive's search index, on a thread of its own.

The index has one owner thread. It is built in chunks after loading, so a query
waits for one chunk at most; until it is complete, queries scan the store instead
and the bar says so. The words and stems of each chunk are computed in a
low-priority process that also writes them, so building the index does not take
the GIL from the keys. Every task on the index thread is checked: a failure, or an
index that cannot be used, is one warning, and from then on queries scan.
"""

from __future__ import annotations

from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING

from textual.screen import Screen

from newsreader.ingest.parse import Article
from newsreader.runtime.processes import background_pool, stop_pool
from newsreader.store.corpus import Store
from newsreader.ui.controllers.background import CheckedThread
from newsreader.ui.messages import BackgroundWarning

if TYPE_CHECKING:  # the search modules are imported on first use: ~15 ms that the first paint does not need
    from newsreader.search.index import Document, SearchIndex
    from newsreader.search.query import Query
    from newsreader.search.results import SearchResults

INDEX_CHUNK = 2000


class ArchiveIndex:
    """Builds the index once loading is done and answers queries from it; its warnings go to `screen`."""

    def __init__(self, screen: Screen, store: Store) -> None:
        self._screen = screen
        self._store = store
        self._thread = CheckedThread("search-index", self._broke)
        self._index: SearchIndex | None = None
        self._writer_pool: ProcessPoolExecutor | None = None
        self._stopping = False
        self._ready = False
        self._failed = False

    @property
    def ready(self) -> bool:
        """Every loaded article is indexed."""
        return self._ready

    @property
    def failed(self) -> bool:
        """The index broke and is not used again this session."""
        return self._failed

    def build(self) -> None:
        """Index the loaded articles in chunks on the index thread (only new fingerprints cost anything); again
        when the check for changes found new ones."""
        articles = list(self._store.ordered(newest_first=False))  # newest indexed last: the ranking window favours them
        if not self._thread.started:
            self._thread.submit(self._open)
        for start in range(0, len(articles), INDEX_CHUNK):
            self._thread.submit(self._add_chunk, articles[start : start + INDEX_CHUNK])
        self._thread.submit(self._complete)

    def check_task(self, future: Future) -> None:
        """Done callback of every task: a failure is reported, a task stopped on the way out is not."""
        self._thread.check(future)

    def _broke(self, error: BaseException) -> None:
        """Said once: the index is not used again this session."""
        if not self._failed:
            self._failed = True
            text = f"search index failed ({type(error).__name__}: {error}); archive search scans the articles instead"
            self._screen.post_message(BackgroundWarning("search index", text))

    def _report_warnings(self, index: SearchIndex) -> None:
        while index.warnings:
            self._screen.post_message(BackgroundWarning("search index", index.warnings.pop(0)))

    def _open(self) -> None:
        from newsreader.search.index import SearchIndex

        self._index = SearchIndex()
        self._report_warnings(self._index)

    def _add_chunk(self, articles: list[Article]) -> None:
        if self._index is not None and not self._failed:
            self._index.add(articles, self.write_chunk)
            self._report_warnings(self._index)

    def write_chunk(self, path: Path, first_id: int, documents: list[Document]) -> None:
        """The index's writer: in a low-priority process, or here if that process died."""
        from newsreader.search.index import write_documents_to

        if self._stopping:  # the app is quitting: leave this chunk unrecorded, for the next run
            raise CancelledError
        if self._writer_pool is None:
            self._writer_pool = background_pool(1)  # tokenising, stemming and FTS writes: not on this GIL
        try:
            self._writer_pool.submit(write_documents_to, path, first_id, documents).result()
        except BrokenProcessPool:  # the process died (killed, out of memory): index here rather than not at all
            if self._stopping:
                raise CancelledError from None
            write_documents_to(path, first_id, documents)

    def _complete(self) -> None:
        self._ready = self._index is not None and not self._failed
        if self._writer_pool is not None:
            self._writer_pool.shutdown()
            self._writer_pool = None

    def search(self, query: Query, limit: int) -> SearchResults | None:
        """The index's answer, waiting for the chunk being written; None while it is not usable."""
        if not self._ready or self._failed or self._stopping:
            return None
        try:
            return self._thread.call(self._search, query, limit)
        except Exception as error:  # a failing index must not take the reader down
            self._broke(error)
            return None

    def _search(self, query: Query, limit: int) -> SearchResults:
        assert self._index is not None  # ready
        try:
            return self._index.search(query, self._store, limit)
        finally:
            self._report_warnings(self._index)

    def _close(self) -> None:
        if self._index is not None:
            self._index.close()

    def stop(self) -> None:
        """Drop the queued work and end a chunk being written; the index closes, letting go of its lock."""
        if self._stopping:
            return
        self._stopping = True
        self._thread.stop(self._close)
        if self._writer_pool is not None:
            stop_pool(self._writer_pool)
