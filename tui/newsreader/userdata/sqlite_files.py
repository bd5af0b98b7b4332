"""Opening the project's SQLite files (cache, search index, reading state) the same safe way.

WAL with synchronous=NORMAL makes every write an atomic transaction that survives
a crash. A file SQLite calls corrupt is moved aside, never trusted, and rebuilt;
any other failure (read-only, locked, missing folder) is the caller's to handle,
never a reason to move someone's file.
"""

import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from newsreader.ingest.sanitize import sanitize_line

_CORRUPT_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


def connect(path: Path | str, timeout: float = 5.0) -> sqlite3.Connection:
    """A WAL connection usable from the one thread that owns it (whichever that is)."""
    connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=timeout)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
    except BaseException:
        connection.close()
        raise
    return connection


def write(connection: sqlite3.Connection, statements: Iterable[tuple[str, Iterable[tuple]]]) -> None:
    """Run each (sql, rows) pair with executemany, all in one transaction."""
    with connection:
        connection.execute("BEGIN")
        for sql, rows in statements:
            connection.executemany(sql, rows)


def is_corrupt(error: sqlite3.Error) -> bool:
    """SQLite says the file's content is unusable (not: locked, read-only, full)."""
    return getattr(error, "sqlite_errorcode", None) in _CORRUPT_CODES


def move_aside(path: Path) -> Path:
    """Rename a bad file to `<name>.corrupt-<time>`, its WAL with it.

    Kept for rescue, and never replayed into the new file.
    """
    aside = path.with_name(f"{path.name}.corrupt-{int(time.time())}")
    path.replace(aside)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.replace(aside.with_name(aside.name + suffix))
    return aside


def open_or_rebuild(
    path: Path, prepare: Callable[[sqlite3.Connection], None], what: str, warnings: list[str], timeout: float = 5.0
) -> sqlite3.Connection:
    """Connect and `prepare` (schema, a first read); if SQLite finds the file corrupt, move it aside and start anew.

    Raises OSError or sqlite3.Error when the file cannot be used at all.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return _prepared(path, prepare, timeout)
    except sqlite3.DatabaseError as error:
        if not is_corrupt(error):
            raise
        aside = move_aside(path)
        warnings.append(sanitize_line(f"{path}: corrupt {what} ({error}); moved to {aside.name} and rebuilt"))
        return _prepared(path, prepare, timeout)


def _prepared(path: Path, prepare: Callable[[sqlite3.Connection], None], timeout: float) -> sqlite3.Connection:
    connection = connect(path, timeout)
    try:
        prepare(connection)
    except BaseException:
        connection.close()
        raise
    return connection
