"""Reading state that lasts across runs: read marks, the last open article, scroll offsets.

Articles are keyed by content fingerprint, so the state survives moving the
archive. SQLite in WAL mode makes every write an atomic, crash-safe
transaction. The reader must never stop over its own bookkeeping: a corrupt
file is moved aside, and a file that cannot be opened or written is replaced
by an in-memory copy for the rest of the session, with one warning.
"""

import contextlib
import math
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import platformdirs

from newsreader.sanitize import sanitize_line
from newsreader.sqlite_files import connect, move_aside

STATE_FILE = "state.sqlite3"
BUSY_TIMEOUT_SECONDS = 1.0  # a second instance may hold the write lock briefly; the UI must not hang on it
SCHEMA = """
CREATE TABLE IF NOT EXISTS read (fingerprint TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS scroll (fingerprint TEXT PRIMARY KEY, scroll_y REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS last_position (
    slot INTEGER PRIMARY KEY CHECK (slot = 0), fingerprint TEXT NOT NULL, scroll_y REAL NOT NULL);
"""
_UNUSABLE_CONTENT = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}

Result = TypeVar("Result")


def default_state_path() -> Path:
    return Path(platformdirs.user_data_dir("newsreader")) / STATE_FILE


def _connect(target: Path | str) -> sqlite3.Connection:
    connection = connect(target, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        connection.executescript(SCHEMA)
    except BaseException:
        connection.close()
        raise
    return connection


class ReadingState:
    """Not thread-safe: one owner thread does all reads and writes."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_state_path()
        self.warnings: list[str] = []
        self._in_memory = False
        self._connection = self._open()

    def _warn(self, message: str) -> None:
        self.warnings.append(sanitize_line(f"{self.path}: {message}"))

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                return _connect(self.path)
            except sqlite3.DatabaseError as error:
                if getattr(error, "sqlite_errorcode", None) not in _UNUSABLE_CONTENT:
                    raise
                aside = move_aside(self.path)
                self._warn(f"corrupt reading state ({error}); moved to {aside.name}, starting afresh")
                return _connect(self.path)
        except (OSError, sqlite3.Error) as error:
            return self._memory_copy_of(None, f"cannot open reading state ({error})")

    def _memory_copy_of(self, source: sqlite3.Connection | None, reason: str) -> sqlite3.Connection:
        """Keep whatever is still readable, so the session carries on where it was."""
        self._warn(f"{reason}; changes are kept in memory until the reader closes")
        self._in_memory = True
        memory = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        if source is not None:
            with contextlib.suppress(sqlite3.Error):
                source.backup(memory)
            source.close()
        memory.executescript(SCHEMA)
        return memory

    def _run(self, operation: Callable[[sqlite3.Connection], Result]) -> Result:
        """Run against the file; on a file failure, once, switch to memory and run again there."""
        try:
            return operation(self._connection)
        except sqlite3.ProgrammingError:
            raise
        except sqlite3.DatabaseError as error:
            if self._in_memory:
                raise
            self._connection = self._memory_copy_of(self._connection, f"reading state failed ({error})")
            return operation(self._connection)

    def _transaction(self, statements: list[tuple[str, list[tuple]]]) -> None:
        def write(connection: sqlite3.Connection) -> None:
            with connection:
                connection.execute("BEGIN")
                for sql, rows in statements:
                    connection.executemany(sql, rows)
        self._run(write)

    def _fetch(self, sql: str, parameters: tuple = ()) -> list[tuple]:
        return self._run(lambda connection: connection.execute(sql, parameters).fetchall())

    def read_fingerprints(self) -> set[str]:
        """Every read mark in one query, streamed into the set with no list in between."""
        rows = "SELECT fingerprint FROM read"
        return self._run(lambda connection: {fingerprint for (fingerprint,) in connection.execute(rows)})

    def mark(self, fingerprints: Iterable[str], read: bool) -> None:
        """Mark or unmark any number of articles in one transaction."""
        sql = "INSERT OR IGNORE INTO read VALUES (?)" if read else "DELETE FROM read WHERE fingerprint = ?"
        self._transaction([(sql, [(fingerprint,) for fingerprint in fingerprints])])

    def last_position(self) -> tuple[str, float] | None:
        """The article open when the reader last stopped, and its scroll offset in lines."""
        rows = self._fetch("SELECT fingerprint, scroll_y FROM last_position")
        return rows[0] if rows else None

    def scroll_position(self, fingerprint: str) -> float:
        rows = self._fetch("SELECT scroll_y FROM scroll WHERE fingerprint = ?", (fingerprint,))
        return rows[0][0] if rows else 0.0

    def remember_position(self, fingerprint: str, scroll_y: float) -> None:
        """Called on every article change and scroll stop; an article at the top costs no row."""
        scroll_y = scroll_y if math.isfinite(scroll_y) and scroll_y > 0 else 0.0  # SQLite stores NaN as NULL
        per_article = (("INSERT OR REPLACE INTO scroll VALUES (?, ?)", [(fingerprint, scroll_y)]) if scroll_y
                       else ("DELETE FROM scroll WHERE fingerprint = ?", [(fingerprint,)]))
        last = ("INSERT OR REPLACE INTO last_position VALUES (0, ?, ?)", [(fingerprint, scroll_y)])
        self._transaction([per_article, last])

    def close(self) -> None:
        self._connection.close()
