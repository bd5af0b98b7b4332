"""Opening the project's SQLite files (cache, search index, reading state) the same safe way.

WAL with synchronous=NORMAL makes every write an atomic transaction that survives
a crash. A file SQLite calls corrupt is moved aside, never trusted, and rebuilt.
"""

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path


def connect(path: Path | str, timeout: float = 5.0) -> sqlite3.Connection:
    """A WAL connection usable from the one thread that owns it (whichever that is)."""
    connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=timeout)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def move_aside(path: Path) -> Path:
    """Rename a bad file to `<name>.corrupt-<time>`; drop its WAL so it is not replayed into the new one."""
    aside = path.with_name(f"{path.name}.corrupt-{int(time.time())}")
    path.replace(aside)
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    return aside


def open_or_rebuild(
    path: Path, prepare: Callable[[sqlite3.Connection], None], what: str, warnings: list[str]
) -> sqlite3.Connection:
    """Connect and `prepare` (schema, a first read); if SQLite finds the file corrupt, move it aside and start anew."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        connection = connect(path)
        prepare(connection)
        return connection
    except sqlite3.DatabaseError as error:
        aside = move_aside(path)
        warnings.append(f"{path}: corrupt {what} ({error}); moved to {aside.name} and rebuilt")
        connection = connect(path)
        prepare(connection)
        return connection
