"""The persistent full-text index: SQLite FTS5 over every article's folded words and their stems.

Each article is stored once, keyed by its content fingerprint, as two aligned token
streams (`forms`, `stems`) and its year and month (`dates`); a query becomes an FTS5
expression over them. Its matches are read newest first (the highest row ids: the
build goes oldest first), a window at a time, and each is checked and given its offsets
from its text until RANK_WINDOW hits are found; these are ranked by BM25 over their
match counts, as the scan ranks. So a query costs about RANK_WINDOW texts whatever the
size of the archive: FTS5's own bm25() is not used, because it counts every match of
every phrase in the whole archive first (11 ms for "год" at 100k articles, ten times
that at a million). The file may hold articles no longer in the store (deleted,
changed, of another archive): their rows are passed over by fingerprint.

One reader process owns the file at a time (a lock file beside it): row ids are handed
out by the owner, so a second instance must not write. An index that cannot be used
(cache folder missing, read-only or a file, disk full, another instance running)
is turned off for the session with one warning, and searches scan the store.
"""

import datetime
import fcntl
import itertools
import os
import sqlite3
import weakref
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from newsreader.cache_folder import cache_folder
from newsreader.ingest.parse import Article
from newsreader.ingest.sanitize import sanitize_line
from newsreader.runtime.processes import wire_text
from newsreader.search.entities import entity_articles
from newsreader.search.fts import date_tokens, dates_expression, query_expression
from newsreader.search.matching import Span
from newsreader.search.normalise import NORMALISER_VERSION, stems, words
from newsreader.search.query import Query, parse_query
from newsreader.search.results import (
    RESULT_LIMIT,
    Hit,
    SearchResults,
    best_by_match_counts,
    filter_only_hits,
    hit_spans,
)
from newsreader.search.rows import IndexedRows, digests
from newsreader.search.scan import marked_hits, rank_by_match_counts, search_without_index
from newsreader.store.corpus import Store
from newsreader.userdata.sqlite_files import connect, open_or_rebuild, write

__all__ = ["Hit", "SearchIndex", "SearchResults", "default_index_path"]

INDEX_FILE = "search.sqlite3"
SCAN_NOTE = "archive search scans the articles instead (slower)"
INDEX_VERSION = f"3-{NORMALISER_VERSION}"
ADD_BATCH = 1000
TOKENISE_CHUNK = 50
Document = tuple[str, str | None, bytes]  # fingerprint, ISO date, UTF-8 text (see processes.wire_text)
Writer = Callable[[Path, int, list[Document]], None]
RANK_WINDOW = 200  # the newest hits found are ranked among themselves: each costs its text's spans (~0.1 ms)
FIRST_WINDOW = 256  # rows read from FTS5 at a time, growing from this to LAST_WINDOW while hits are scarce
LAST_WINDOW = 16384
FEW_CANDIDATES = 300  # an entity filter with words: its articles are checked directly when they are this few
MAX_PREFIX_FORMS = 5000  # a prefix beginning more forms than this is left to FTS5's own prefix query
MATCHING_ROWS = (
    "SELECT group_concat(rowid) FROM "
    "(SELECT rowid FROM words WHERE words MATCH ? AND rowid < ? ORDER BY rowid DESC LIMIT ?)"
)
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS batches (first_id INTEGER PRIMARY KEY, fingerprints BLOB NOT NULL, "
    "first_date TEXT, last_date TEXT)",
    "CREATE TABLE IF NOT EXISTS vocabulary (form TEXT PRIMARY KEY) WITHOUT ROWID",
    "CREATE VIRTUAL TABLE IF NOT EXISTS words USING fts5(forms, stems, dates, "
    "content='', columnsize=0, tokenize='ascii')",
)


def default_index_path() -> Path:
    return cache_folder() / INDEX_FILE


def _prepare(connection: sqlite3.Connection) -> None:
    """Schema, and an empty index when words are now folded, stemmed or stored differently."""
    connection.execute(SCHEMA[0])
    row = connection.execute("SELECT value FROM settings WHERE name = 'version'").fetchone()
    if row is None or row[0] != INDEX_VERSION:
        with connection:
            connection.execute("BEGIN")
            for table in ("documents", "batches", "vocabulary", "words"):  # documents: version 1 and 2
                connection.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in SCHEMA[1:]:
                connection.execute(statement)
            connection.execute("INSERT OR REPLACE INTO settings VALUES ('version', ?)", (INDEX_VERSION,))
    connection.execute("SELECT count(*) FROM words WHERE words MATCH 'forms : x'").fetchone()


def write_documents(connection: sqlite3.Connection, first_id: int, documents: list[Document]) -> None:
    """Store documents as rows first_id, first_id + 1, ... in one transaction."""
    vocabulary: set[str] = set()
    dates = [date for _, date, _ in documents if date]
    batch = (
        first_id,
        digests([fingerprint for fingerprint, _, _ in documents]),
        min(dates, default=None),
        max(dates, default=None),
    )
    write(
        connection,
        [
            ("INSERT INTO batches VALUES (?, ?, ?, ?)", [batch]),
            (
                "INSERT INTO words (rowid, forms, stems, dates) VALUES (?, ?, ?, ?)",
                _rows_ahead(first_id, documents, vocabulary),
            ),
            ("INSERT OR IGNORE INTO vocabulary VALUES (?)", _each_form(vocabulary)),
        ],
    )


def _rows_ahead(first_id: int, documents: list[Document], vocabulary: set[str]) -> Iterator[tuple[int, str, str, str]]:
    """The FTS rows of `documents`, adding their words to `vocabulary`.

    Each chunk is tokenised and stemmed on a thread while SQLite inserts the chunk before,
    which it does without the GIL: a batch takes about as long as the slower of the two.
    """

    def tokenised(start: int) -> list[tuple[int, str, str, str]]:
        rows = []
        for rowid, (_, date, utf8) in enumerate(documents[start : start + TOKENISE_CHUNK], start=first_id + start):
            forms = words(utf8.decode())
            vocabulary.update(forms)
            rows.append((rowid, " ".join(forms), " ".join(stems(forms)), date_tokens(date)))
        return rows

    with ThreadPoolExecutor(1, thread_name_prefix="search-tokenise") as tokeniser:
        coming = None
        for start in range(0, len(documents), TOKENISE_CHUNK):
            following = tokeniser.submit(tokenised, start)
            if coming is not None:
                yield from coming.result()
            coming = following
        if coming is not None:
            yield from coming.result()


def _each_form(vocabulary: set[str]) -> Iterator[tuple[str]]:
    """Rows of the vocabulary as it is once the words are written (a generator: read only then)."""
    for form in vocabulary:
        yield (form,)


_writer_connections: dict[Path, sqlite3.Connection] = {}


def write_documents_to(path: Path, first_id: int, documents: list[Document]) -> None:
    """`write_documents` for a worker process, which keeps one connection per index file."""
    connection = _writer_connections.get(path)
    if connection is None:
        connection = _writer_connections[path] = connect(path)
    write_documents(connection, first_id, documents)


class SearchIndex:
    """Not thread-safe: one owner thread adds and searches.

    Opening reads the packed fingerprints of each batch (`rows.IndexedRows`): which
    articles are indexed, and which article a row is, are then looked up in memory.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_index_path()
        self.warnings: list[str] = []
        self._adding = False
        self._covered: tuple[int, int] | None = None  # (id, size) of the last store found fully indexed
        self._forms: IndexedForms | None = None
        self._span: tuple[datetime.date, datetime.date] | None = None
        self._rows = IndexedRows()
        self._number_rows: weakref.WeakKeyDictionary[Store, np.ndarray] = weakref.WeakKeyDictionary()
        self._lock: int | None = None
        self._connection: sqlite3.Connection | None = None
        try:
            self._lock = _lock_beside(self.path)
            self._connection = open_or_rebuild(self.path, _prepare, "search index", self.warnings)
            self._rows = IndexedRows.of(
                self._connection.execute("SELECT first_id, fingerprints FROM batches ORDER BY first_id").fetchall()
            )
        except BlockingIOError:
            self._turn_off("in use by another newsreader")
        except (OSError, sqlite3.Error, ValueError) as error:
            self._turn_off(f"cannot open the search index ({error})")

    def _turn_off(self, reason: str) -> None:
        """Said once: from here on searches scan, and nothing is indexed."""
        self.warnings.append(sanitize_line(f"{self.path}: {reason}; {SCAN_NOTE}"))
        self.close()

    @property
    def ready(self) -> bool:
        """True unless an `add` is running: searches then use the index for stores it covers."""
        return not self._adding

    def covers(self, store: Store) -> bool:
        """Whether every article of `store` is indexed (remembered until the store grows)."""
        if self._covered == (id(store), len(store)):
            return True
        if not all(self._rows.rows(digests([article.fingerprint for article in store]))):
            return False
        self._covered = (id(store), len(store))
        return True

    def add(self, articles: Iterable[Article], writer: Writer | None = None) -> int:
        """Index the articles whose fingerprint is new, in batches of one transaction each.

        `writer(path, first_id, documents)` stores a batch; by default this index's own connection
        does, and the app passes one that runs in another process so tokenising, stemming and
        SQLite's FTS work never hold this process's GIL.
        """
        if self._connection is None:
            return 0
        added, batch = 0, {}
        self._adding = True
        try:
            for article in articles:
                batch[article.fingerprint] = article
                if len(batch) >= ADD_BATCH:
                    added += self._insert_new(list(batch.values()), writer)
                    batch = {}
                if self._connection is None:  # a batch failed
                    return added
            if batch:
                added += self._insert_new(list(batch.values()), writer)
        finally:
            self._adding = False
        return added

    def _insert_new(self, articles: list[Article], writer: Writer | None) -> int:
        rows = self._rows.rows(digests([article.fingerprint for article in articles]))
        new = [article for article, row in zip(articles, rows, strict=True) if not row]
        return self._insert(new, writer) if new else 0

    def _insert(self, articles: list[Article], writer: Writer | None) -> int:
        if self._connection is None:  # turned off by an earlier batch
            return 0
        documents = [
            (article.fingerprint, article.date.isoformat() if article.date else None, wire_text(article.text))
            for article in articles
        ]
        try:
            if writer is None:
                write_documents(self._connection, self._rows.next_row, documents)
            else:
                writer(self.path, self._rows.next_row, documents)
        except sqlite3.DatabaseError as error:
            self._turn_off(f"search index write failed ({error})")
            return 0
        self._rows.append(self._rows.next_row, digests([article.fingerprint for article in articles]))
        self._forms = None
        dated = [article.date for article in articles if article.date]
        if self._span is not None and dated:
            self._span = (min(self._span[0], *dated), max(self._span[1], *dated))
        return len(articles)

    def search(self, query: Query | str, store: Store, limit: int = RESULT_LIMIT) -> SearchResults:
        """Hits among the store's articles, best first; a scan when the index does not cover the store."""
        query = parse_query(query) if isinstance(query, str) else query
        if query.empty:
            return SearchResults((), problems=query.problems)
        if query.only is not None:  # the user's marks allow a few articles: read those
            return SearchResults(marked_hits(query, store, limit), problems=query.problems)
        connection = self._connection
        if connection is None or not self.ready:
            return search_without_index(query, store, limit)
        try:
            if not self.covers(store):
                return search_without_index(query, store, limit)
            return self._search(connection, query, store, limit)
        except sqlite3.DatabaseError as error:
            self._turn_off(f"search index unreadable ({error})")
            return search_without_index(query, store, limit)

    def _search(self, connection: sqlite3.Connection, query: Query, store: Store, limit: int) -> SearchResults:
        mentioned = entity_articles(query, store)
        if not query.terms and query.literal is None:
            return SearchResults(filter_only_hits(store, query, mentioned, limit), problems=query.problems)
        expression = self.expression(query)
        if expression is None:  # nothing the index can look up
            return search_without_index(query, store, limit)
        if mentioned is None:
            candidates = self._candidates(connection, expression, query, store)
        elif len(mentioned) <= FEW_CANDIDATES:  # a rare entity: check its few articles directly
            articles = mentioned.articles(store)
            return SearchResults(rank_by_match_counts(articles, query, limit), problems=query.problems)
        else:
            candidates = self._candidates_among(connection, expression, mentioned.numbers, store)
        found: list[tuple[Article, list[Span]]] = []
        for article in candidates:
            spans = hit_spans(article.text, query)
            if spans:
                found.append((article, spans))
                if len(found) >= max(limit, RANK_WINDOW):
                    break
        return SearchResults(best_by_match_counts(found, limit), problems=query.problems)

    def _candidates(
        self, connection: sqlite3.Connection, expression: str, query: Query, store: Store
    ) -> Iterator[Article]:
        """The store's articles the expression matches, most recently indexed first, window by window.

        Only the rows of one window are read at a time, so a query stops as soon as it has
        its hits, whatever the size of its posting lists. An article no longer in the store
        (deleted, changed, of another archive) is passed over here.
        """
        for rows in self._windows(connection, expression):
            for rowid in rows.tolist():
                article = store.by_fingerprint(self._rows.fingerprint(rowid))
                if article is not None and query.allows(article):
                    yield article

    def _candidates_among(
        self, connection: sqlite3.Connection, expression: str, numbers: np.ndarray, store: Store
    ) -> Iterator[Article]:
        """`_candidates` among the numbered articles of the store (an entity's): each window is intersected
        with their rows, and only the articles in both are looked up."""
        rows = self._rows_of(numbers, store)
        order = np.argsort(rows)
        by_row = rows[order]
        for window in self._windows(connection, expression):
            found = window[np.isin(window, by_row, assume_unique=True)]  # newest first still
            wanted = numbers[order[np.searchsorted(by_row, found)]]
            yield from filter(None, store.numbered(wanted.tolist()))

    def _rows_of(self, numbers: np.ndarray, store: Store) -> np.ndarray:
        """The row of each numbered article of the store, remembered by number (a number is one text, whose
        row never changes); -1 for one removed from the store meanwhile."""
        known = self._number_rows.get(store)
        if known is None:
            known = np.zeros(0, np.int64)
        if len(numbers) and numbers[-1] >= len(known):
            grown = np.zeros(max(int(numbers[-1]) + 1, 2 * len(known)), np.int64)
            grown[: len(known)] = known
            known = grown
        self._number_rows[store] = known
        rows = known[numbers]
        unknown = numbers[rows == 0]
        if len(unknown):
            articles = store.numbered(unknown.tolist())
            looked_up = self._rows.rows(digests([article.fingerprint for article in articles if article is not None]))
            found = iter(looked_up)
            known[unknown] = [next(found) if article is not None else 0 for article in articles]
            rows = known[numbers]
        return np.where(rows == 0, -1, rows)

    def _windows(self, connection: sqlite3.Connection, expression: str) -> Iterator[np.ndarray]:
        """The rows the expression matches, newest first, in windows that grow.

        A window comes from SQLite as one string of numbers: a Python tuple for each row
        cost more than FTS5 takes to find it.
        """
        below, window = self._rows.next_row, FIRST_WINDOW
        while True:
            (listed,) = connection.execute(MATCHING_ROWS, (expression, below, window)).fetchone()
            rows = np.fromstring(listed or "", dtype=np.int64, sep=",")
            rows = np.sort(rows)[::-1]  # group_concat's order is the subquery's in practice, not by contract
            yield rows
            if len(rows) < window:
                return
            below, window = int(rows[-1]), min(window * 4, LAST_WINDOW)

    def expression(self, query: Query) -> str | None:
        """The FTS5 expression of a query's words and dates; None when the index has no word of it to look up."""
        expression = query_expression(query, self._known_forms())
        if expression is None:
            return None
        for period in query.dates:
            expression = f"({expression}) AND {dates_expression(period, self._dates_indexed())}"
        return expression

    def _dates_indexed(self) -> tuple[datetime.date, datetime.date]:
        """The first and last dates of the articles indexed, which bound an open date range (read once)."""
        if self._span is None:
            assert self._connection is not None
            first, last = self._connection.execute("SELECT min(first_date), max(last_date) FROM batches").fetchone()
            self._span = (
                (datetime.date.fromisoformat(first), datetime.date.fromisoformat(last))
                if first
                else (datetime.date.max, datetime.date.min)
            )
        return self._span

    def _known_forms(self) -> "IndexedForms":
        if self._forms is None:
            assert self._connection is not None
            self._forms = IndexedForms(self._connection)
        return self._forms

    def close(self) -> None:
        """Idempotent: the lock's descriptor must never be closed twice (its number may be reused)."""
        if self._connection is not None:
            self._connection.close()
        if self._lock is not None:
            os.close(self._lock)
        self._connection = self._lock = None


class IndexedForms:
    """The index's vocabulary (`fts.Vocabulary`): prefixes are looked up in SQLite, the rest in a list read once."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._all: list[str] | None = None

    def matching(self, fits: Callable[[str], bool]) -> list[str]:
        if self._all is None:
            self._all = [form for (form,) in self._connection.execute("SELECT form FROM vocabulary")]
        return [form for form in self._all if fits(form)]

    def starting_with(self, prefix: str) -> list[str] | None:
        rows = self._connection.execute("SELECT form FROM vocabulary WHERE form >= ? ORDER BY form", (prefix,))
        begun = itertools.takewhile(lambda row: row[0].startswith(prefix), rows)
        forms = [form for (form,) in itertools.islice(begun, MAX_PREFIX_FORMS + 1)]
        return forms if len(forms) <= MAX_PREFIX_FORMS else None


def _lock_beside(path: Path) -> int:
    """Hold `<index>.lock` for this process's lifetime (the kernel drops it even on SIGKILL).

    Raises BlockingIOError when another process holds it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor
