"""The persistent full-text index: SQLite FTS5 over every article's folded words and their stems.

Each article is stored once, keyed by its content fingerprint, as two aligned token
streams (`forms`, `stems`); a query becomes an FTS5 expression over them, so its cost
follows the posting lists of its words, not the size of the archive. Offsets are
computed afterwards, only for the hits returned, by re-reading those texts. The file
may hold articles of other archives: hits are joined to the given store by fingerprint.

One reader process owns the file at a time (a lock file beside it): row ids are handed
out by the owner, so a second instance must not write. An index that cannot be used
(cache folder missing, read-only or a file, disk full, another instance running)
is turned off for the session with one warning, and searches scan the store.
"""

import fcntl
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path

import platformdirs

from newsreader.ingest.parse import Article
from newsreader.ingest.sanitize import sanitize_line
from newsreader.runtime.processes import wire_text
from newsreader.search.entities import entity_mentions
from newsreader.search.fts import query_expression
from newsreader.search.normalise import NORMALISER_VERSION, stems, words
from newsreader.search.query import Query, parse_query
from newsreader.search.results import Hit, SearchResults, filter_only_hits, hit_spans, make_hit
from newsreader.search.scan import rank_by_match_counts, search_without_index
from newsreader.store.corpus import Store
from newsreader.userdata.sqlite_files import connect, open_or_rebuild, write

__all__ = ["Hit", "SearchIndex", "SearchResults", "default_index_path"]

INDEX_FILE = "search.sqlite3"
SCAN_NOTE = "archive search scans the articles instead (slower)"
INDEX_VERSION = f"1-{NORMALISER_VERSION}"
ADD_BATCH = 1000
Document = tuple[str, str | None, bytes]  # fingerprint, ISO date, UTF-8 text (see processes.wire_text)
Writer = Callable[[Path, int, list[Document]], None]
RANK_WINDOW = 1000
FEW_CANDIDATES = 2000  # entity filter and words: below this, no ranked FTS windows
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS documents (id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL UNIQUE, date TEXT)",
    "CREATE TABLE IF NOT EXISTS vocabulary (form TEXT PRIMARY KEY) WITHOUT ROWID",
    "CREATE VIRTUAL TABLE IF NOT EXISTS words USING fts5(forms, stems, content='', "
    "tokenize='unicode61 remove_diacritics 0')",
)


def default_index_path() -> Path:
    return Path(platformdirs.user_cache_dir("newsreader")) / INDEX_FILE


def _prepare(connection: sqlite3.Connection) -> None:
    """Schema, and an empty index when words are now folded or stemmed differently."""
    for statement in SCHEMA:
        connection.execute(statement)
    row = connection.execute("SELECT value FROM settings WHERE name = 'version'").fetchone()
    if row is None or row[0] != INDEX_VERSION:
        with connection:
            connection.execute("BEGIN")
            for table in ("documents", "vocabulary"):
                connection.execute(f"DELETE FROM {table}")
            connection.execute("INSERT INTO words (words) VALUES ('delete-all')")  # a contentless table's DELETE
            connection.execute("INSERT OR REPLACE INTO settings VALUES ('version', ?)", (INDEX_VERSION,))
    connection.execute("SELECT count(*) FROM words WHERE words MATCH 'forms : x'").fetchone()


def write_documents(connection: sqlite3.Connection, first_id: int, documents: list[Document]) -> None:
    """Store documents as rows first_id, first_id + 1, ... in one transaction."""
    rows, vocabulary = [], set()
    for rowid, (_, _, utf8) in enumerate(documents, start=first_id):
        forms = words(utf8.decode())
        vocabulary.update(forms)
        rows.append((rowid, " ".join(forms), " ".join(stems(forms))))
    write(
        connection,
        [
            (
                "INSERT INTO documents VALUES (?, ?, ?)",
                [(rowid, fingerprint, date) for rowid, (fingerprint, date, _) in enumerate(documents, start=first_id)],
            ),
            ("INSERT INTO words (rowid, forms, stems) VALUES (?, ?, ?)", rows),
            ("INSERT OR IGNORE INTO vocabulary VALUES (?)", [(word,) for word in vocabulary]),
        ],
    )


_writer_connections: dict[Path, sqlite3.Connection] = {}


def write_documents_to(path: Path, first_id: int, documents: list[Document]) -> None:
    """`write_documents` for a worker process, which keeps one connection per index file."""
    connection = _writer_connections.get(path)
    if connection is None:
        connection = _writer_connections[path] = connect(path)
    write_documents(connection, first_id, documents)


class SearchIndex:
    """Not thread-safe: one owner thread adds and searches."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_index_path()
        self.warnings: list[str] = []
        self._adding = False
        self._covered: tuple[int, int] | None = None  # (id, size) of the last store found fully indexed
        self._vocabulary: list[str] | None = None
        self._rowids: dict[str, int] = {}
        self._lock: int | None = None
        self._connection: sqlite3.Connection | None = None
        try:
            self._lock = _lock_beside(self.path)
            self._connection = open_or_rebuild(self.path, _prepare, "search index", self.warnings)
            self._rowids = dict(self._connection.execute("SELECT fingerprint, id FROM documents"))
        except BlockingIOError:
            self._turn_off("in use by another newsreader")
        except (OSError, sqlite3.Error) as error:
            self._turn_off(f"cannot open the search index ({error})")
        self._fingerprints = {rowid: fingerprint for fingerprint, rowid in self._rowids.items()}
        self._next_id = max(self._fingerprints, default=0) + 1

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
        if all(article.fingerprint in self._rowids for article in store):
            self._covered = (id(store), len(store))
            return True
        return False

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
                if self._connection is None:  # a batch failed
                    return added
                if article.fingerprint not in self._rowids and article.fingerprint not in batch:
                    batch[article.fingerprint] = article
                    if len(batch) >= ADD_BATCH:
                        added += self._insert(list(batch.values()), writer)
                        batch.clear()
            if batch:
                added += self._insert(list(batch.values()), writer)
        finally:
            self._adding = False
        return added

    def _insert(self, articles: list[Article], writer: Writer | None) -> int:
        if self._connection is None:  # turned off by an earlier batch
            return 0
        documents = [
            (article.fingerprint, article.date.isoformat() if article.date else None, wire_text(article.text))
            for article in articles
        ]
        try:
            if writer is None:
                write_documents(self._connection, self._next_id, documents)
            else:
                writer(self.path, self._next_id, documents)
        except sqlite3.DatabaseError as error:
            self._turn_off(f"search index write failed ({error})")
            return 0
        for rowid, article in enumerate(articles, start=self._next_id):
            self._rowids[article.fingerprint], self._fingerprints[rowid] = rowid, article.fingerprint
        self._next_id += len(articles)
        self._vocabulary = None
        return len(articles)

    def search(self, query: Query | str, store: Store, limit: int = 200) -> SearchResults:
        """Hits among the store's articles, best first; a scan when the index does not cover the store."""
        query = parse_query(query) if isinstance(query, str) else query
        if query.empty:
            return SearchResults((), problems=query.problems)
        connection = self._connection
        if connection is None or not self.ready or not self.covers(store):
            return search_without_index(query, store, limit)
        try:
            return self._search(connection, query, store, limit)
        except sqlite3.DatabaseError as error:
            self._turn_off(f"search index unreadable ({error})")
            return search_without_index(query, store, limit)

    def _search(self, connection: sqlite3.Connection, query: Query, store: Store, limit: int) -> SearchResults:
        mentions = entity_mentions(query, store)
        if not query.terms and query.literal is None:
            pool = store if mentions is None else filter(None, map(store.get, mentions))
            articles = [article for article in pool if query.allows_date(article.date)]
            return SearchResults(filter_only_hits(articles, query, mentions, limit), problems=query.problems)
        expression = query_expression(query, partial(self._matching_vocabulary, connection))
        if expression is None:  # nothing the index can look up
            return search_without_index(query, store, limit)
        if mentions is not None:
            allowed = {
                self._rowids[article.fingerprint]
                for article in map(store.get, mentions)
                if article is not None and query.allows_date(article.date)
            }
            rows = connection.execute("SELECT rowid FROM words WHERE words MATCH ?", (expression,))
            candidates = allowed.intersection(rowid for (rowid,) in rows)
            if len(candidates) <= FEW_CANDIDATES:  # a rare entity: rank its few articles directly
                articles = [
                    article
                    for rowid in candidates
                    if (article := store.by_fingerprint(self._fingerprints[rowid])) is not None
                ]
                return SearchResults(rank_by_match_counts(articles, query, limit), problems=query.problems)
        hits: list[Hit] = []
        for fingerprint, rank in self._ranked(connection, expression, query):
            article = store.by_fingerprint(fingerprint)
            if article is None or (mentions is not None and article.id not in mentions):
                continue
            spans = hit_spans(article.text, query)
            if spans:
                hits.append(make_hit(article, -rank, spans))
                if len(hits) >= limit:
                    break
        return SearchResults(hits, problems=query.problems)

    def _ranked(self, connection: sqlite3.Connection, expression: str, query: Query) -> Iterator[tuple[str, float]]:
        """(fingerprint, bm25) best first, window by window of the most recently indexed matches.

        Ranking every match of a word in most articles would cost a step per article; a
        window keeps a query's cost bounded, and the next window is read only when the
        hits of this one run out. Below RANK_WINDOW matches the order is plain BM25.
        """
        sql = "SELECT words.rowid, bm25(words) FROM words"
        sql += " JOIN documents d ON d.id = words.rowid" if query.dates else ""
        sql += " WHERE words MATCH ? AND words.rowid < ?"
        parameters: list = [expression]
        for period in query.dates:
            sql += " AND d.date BETWEEN ? AND ?"
            parameters += [period.first.isoformat(), period.last.isoformat()]
        sql += " ORDER BY words.rowid DESC LIMIT ?"
        below = self._next_id
        while True:
            rows = connection.execute(sql, [parameters[0], below, *parameters[1:], RANK_WINDOW]).fetchall()
            for rowid, rank in sorted(rows, key=lambda row: row[1]):
                yield self._fingerprints[rowid], rank
            if len(rows) < RANK_WINDOW:
                return
            below = rows[-1][0]

    def _matching_vocabulary(self, connection: sqlite3.Connection, fits: Callable[[str], bool]) -> list[str]:
        if self._vocabulary is None:
            self._vocabulary = [form for (form,) in connection.execute("SELECT form FROM vocabulary")]
        return [form for form in self._vocabulary if fits(form)]

    def close(self) -> None:
        """Idempotent: the lock's descriptor must never be closed twice (its number may be reused)."""
        if self._connection is not None:
            self._connection.close()
        if self._lock is not None:
            os.close(self._lock)
        self._connection = self._lock = None


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
