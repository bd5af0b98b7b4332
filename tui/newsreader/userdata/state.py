"""Reading state that lasts across runs: read marks, stars, tags and notes, the last open article, scroll offsets.

Articles are keyed by content fingerprint, so the state survives moving the
archive. SQLite in WAL mode makes every write an atomic, crash-safe
transaction, so a crash (even SIGKILL mid-write) leaves every completed change
and nothing half-written. The reader must never stop over its own bookkeeping:
a corrupt file is moved aside (kept, never deleted), and a file that cannot be
opened or written (read-only, full disk, locked by another instance for longer
than BUSY_TIMEOUT_SECONDS) is replaced by an in-memory copy of what it holds
for the rest of the session, with one warning. The memory copy is never written
back, so saved read state is never overwritten by a partial one.
"""

import math
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import platformdirs

from newsreader.ingest.sanitize import sanitize_line
from newsreader.userdata import marks
from newsreader.userdata.marks import UserMarks
from newsreader.userdata.sqlite_files import open_or_rebuild, write

STATE_FILE = "state.sqlite3"
BUSY_TIMEOUT_SECONDS = 1.0  # a second instance may hold the write lock briefly; the UI must not hang on it
SCHEMA = """
CREATE TABLE IF NOT EXISTS read (fingerprint TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS scroll (fingerprint TEXT PRIMARY KEY, scroll_y REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS last_position (
    slot INTEGER PRIMARY KEY CHECK (slot = 0), fingerprint TEXT NOT NULL, scroll_y REAL NOT NULL);
"""

Result = TypeVar("Result")


def default_state_path() -> Path:
    return Path(platformdirs.user_data_dir("newsreader")) / STATE_FILE


def _create_schema(connection: sqlite3.Connection) -> None:
    connection.executescript(SCHEMA + marks.SCHEMA)


def _read_only(path: Path) -> sqlite3.Connection | None:
    """The saved state as it stands, to carry on from in memory when the file cannot be written.

    `immutable` reads the file as last checkpointed when its folder is read-only (no -shm file
    can be made) or another instance holds it locked.
    """
    for mode in ("mode=ro", "immutable=1"):
        connection = None
        try:
            connection = sqlite3.connect(
                f"{path.absolute().as_uri()}?{mode}", uri=True, check_same_thread=False, timeout=BUSY_TIMEOUT_SECONDS
            )
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return connection
        except (OSError, sqlite3.Error):
            if connection is not None:
                connection.close()
    return None


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
            return open_or_rebuild(self.path, _create_schema, "reading state", self.warnings, BUSY_TIMEOUT_SECONDS)
        except (OSError, sqlite3.Error) as error:
            return self._memory_copy_of(_read_only(self.path), f"cannot open reading state ({error})")

    def _memory_copy_of(self, source: sqlite3.Connection | None, reason: str) -> sqlite3.Connection:
        """Keep whatever is still readable, so the session carries on where it was."""
        self._in_memory = True
        memory = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        if source is None:
            reason += "; saved marks could not be read"
        else:
            try:
                source.backup(memory)
            except sqlite3.Error as error:
                reason += f"; saved marks could not be read ({error})"
            source.close()
        self._warn(f"{reason}; changes are kept in memory until the reader closes")
        _create_schema(memory)
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
        self._run(lambda connection: write(connection, statements))

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
        per_article = (
            ("INSERT OR REPLACE INTO scroll VALUES (?, ?)", [(fingerprint, scroll_y)])
            if scroll_y
            else ("DELETE FROM scroll WHERE fingerprint = ?", [(fingerprint,)])
        )
        last = ("INSERT OR REPLACE INTO last_position VALUES (0, ?, ?)", [(fingerprint, scroll_y)])
        self._transaction([per_article, last])

    def user_marks(self) -> UserMarks:
        """Every star, tag and note, read once at start."""
        tags: dict[str, tuple[str, ...]] = {}
        for fingerprint, tag in self._fetch("SELECT fingerprint, tag FROM tag"):
            tags[fingerprint] = (*tags.get(fingerprint, ()), tag)
        return UserMarks(
            starred=frozenset(fingerprint for (fingerprint,) in self._fetch("SELECT fingerprint FROM star")),
            tags=tags,
            notes=dict(self._fetch("SELECT fingerprint, text FROM note")),
        )

    def set_star(self, fingerprints: Iterable[str], starred: bool) -> None:
        sql = "INSERT OR IGNORE INTO star VALUES (?)" if starred else "DELETE FROM star WHERE fingerprint = ?"
        self._transaction([(sql, [(fingerprint,) for fingerprint in fingerprints])])

    def set_tags(self, fingerprint: str, tags: tuple[str, ...]) -> None:
        """The article's tags become `tags`, in one transaction."""
        self._transaction(
            [
                ("DELETE FROM tag WHERE fingerprint = ?", [(fingerprint,)]),
                ("INSERT OR IGNORE INTO tag VALUES (?, ?)", [(fingerprint, tag) for tag in tags]),
            ]
        )

    def set_note(self, fingerprint: str, text: str) -> None:
        """An empty note removes the note."""
        if text:
            self._transaction([("INSERT OR REPLACE INTO note VALUES (?, ?)", [(fingerprint, text)])])
        else:
            self._transaction([("DELETE FROM note WHERE fingerprint = ?", [(fingerprint,)])])

    def close(self) -> None:
        self._connection.close()
