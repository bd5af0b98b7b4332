"""The on-disk enrichment cache, so a second run over the same corpus does no NLP at all.

SQLite in WAL mode gives atomic, crash-safe writes. Entries are keyed by the
article's content fingerprint and the pipeline version; anything unreadable is
discarded with a warning and never trusted. A cache file that cannot be used
(folder missing or read-only, disk full, locked by another instance for too
long) turns the cache off for the session with one warning: results then live
only in the reader's memory, as every result does anyway, and are analysed
afresh next run.

Payloads are stored as zlib-compressed JSON, a quarter of its size: ~0.5 KB (real news) to
~1 KB (generated) an article, so a million articles take ~1 GB. Entries stored as plain JSON
text, as before, are still read.

The file's layout is documented and versioned (docs/cache-format.md, its `format` table), so a
cache made on another machine (`newsreader analyse --output`) can be copied into an archive's
`.newsreader/` folder: such caches are opened read-only and read before the user's own, and one
in another format, or made by another version of the analysis, is ignored with a warning.
"""

import json
import os
import sqlite3
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

from newsreader import __version__
from newsreader.cache_folder import cache_folder
from newsreader.ingest.sanitize import sanitize_line
from newsreader.nlp.enrich import ENRICHMENT_VERSION, Enrichment, from_payload, to_payload
from newsreader.userdata.sqlite_files import open_or_rebuild, write

CACHE_FILE = "enrichment.sqlite3"
CACHE_FORMAT = "1"  # bump when the tables or the payload's encoding change (docs/cache-format.md)
ARCHIVE_CACHE_FOLDER = ".newsreader"  # an archive's own analysis, beside its articles


class CacheFormatError(ValueError):
    """The file is not an analysis cache this version of newsreader can read."""


def default_cache_path() -> Path:
    return cache_folder() / CACHE_FILE


def caches_beside(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The analysis caches copied next to the archives given: FOLDER/.newsreader/enrichment.sqlite3 (for a file,
    its folder's), those that exist, each once."""
    found: list[Path] = []
    for given in paths:
        folder = Path(given) if os.path.isdir(given) else Path(given).parent
        candidate = (folder / ARCHIVE_CACHE_FOLDER / CACHE_FILE).absolute()
        if candidate.is_file() and candidate not in found:
            found.append(candidate)
    return found


def _prepare(connection: sqlite3.Connection) -> None:
    connection.execute("CREATE TABLE IF NOT EXISTS enrichment (key TEXT PRIMARY KEY, payload TEXT NOT NULL)")
    connection.execute("CREATE TABLE IF NOT EXISTS format (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
    connection.execute("INSERT OR IGNORE INTO format VALUES ('format', ?)", (CACHE_FORMAT,))
    connection.execute("INSERT OR IGNORE INTO format VALUES ('created_by', ?)", (f"newsreader {__version__}",))
    _check_format(connection)
    connection.execute("SELECT count(*) FROM enrichment WHERE key = ''").fetchone()


def _check_format(connection: sqlite3.Connection) -> None:
    """Raises CacheFormatError unless the file says it is in this format (a file made before the table is)."""
    try:
        row = connection.execute("SELECT value FROM format WHERE name = 'format'").fetchone()
    except sqlite3.OperationalError:  # no such table
        raise CacheFormatError("not a newsreader analysis cache (it has no format table)") from None
    if row is None or row[0] != CACHE_FORMAT:
        found = "none" if row is None else row[0]
        raise CacheFormatError(f"cache format {found}, this newsreader reads format {CACHE_FORMAT}")


def _open_read_only(path: Path) -> sqlite3.Connection:
    """Someone's archive is never written: not even a journal or a lock file beside the cache."""
    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, check_same_thread=False)
    try:
        _check_format(connection)
        prefix = f"{ENRICHMENT_VERSION}:"
        ours = connection.execute(
            "SELECT 1 FROM enrichment WHERE key >= ? AND key < ? LIMIT 1", (prefix, prefix[:-1] + ";")
        ).fetchone()
        if ours is None:
            other = connection.execute("SELECT key FROM enrichment LIMIT 1").fetchone()
            made_by = "it is empty" if other is None else f"it was made by analysis {other[0].split(':')[0]}"
            raise CacheFormatError(f"{made_by}, this newsreader's is {ENRICHMENT_VERSION}")
    except BaseException:
        connection.close()
        raise
    return connection


def make_portable(path: Path) -> None:
    """Fold the write-ahead log into the file itself, so that the one file can be copied (and read read-only)."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=DELETE").fetchone()
    finally:
        connection.close()


class EnrichmentCache:
    """Not thread-safe: one owner thread does all reads and writes.

    `also_read`: caches beside archives (`caches_beside`), opened read-only and read first, in order.
    """

    def __init__(self, path: Path | None = None, also_read: Sequence[Path] = (), read_only: bool = False) -> None:
        self.path = path or default_cache_path()
        self.warnings: list[str] = []
        self._read_only = read_only
        self._connection: sqlite3.Connection | None = None
        try:
            if read_only:
                self._connection = _open_read_only(self.path)
            else:
                self._connection = open_or_rebuild(self.path, _prepare, "cache", self.warnings)
        except CacheFormatError as error:
            self._turn_off(f"{error}", "analysis cache ignored")
        except (OSError, sqlite3.Error) as error:
            self._turn_off(f"cannot open the analysis cache ({error})")
        own = self.path.absolute()
        self._beside = [EnrichmentCache(path, read_only=True) for path in also_read if path.absolute() != own]
        self._collect_warnings()

    @property
    def usable(self) -> bool:
        """False once turned off (the warnings say why)."""
        return self._connection is not None

    def _collect_warnings(self) -> None:
        for other in self._beside:
            self.warnings += other.warnings
            other.warnings.clear()

    def _warn(self, message: str) -> None:
        self.warnings.append(sanitize_line(f"{self.path}: {message}"))

    def _turn_off(self, reason: str, outcome: str = "analysis results are not cached this session") -> None:
        """Said once: after this the cache is neither read nor written."""
        self._warn(f"{reason}; {outcome}")
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _key(self, fingerprint: str) -> str:
        return f"{ENRICHMENT_VERSION}:{fingerprint}"

    def get(self, fingerprint: str, text: str) -> Enrichment | None:
        """The cached enrichment of this exact text, or None; a bad entry is deleted with a warning
        (from a read-only cache, only passed over)."""
        for other in self._beside:
            found = other.get(fingerprint, text)
            self._collect_warnings()
            if found is not None:
                return found
        if self._connection is None:
            return None
        key = self._key(fingerprint)
        try:
            row = self._connection.execute("SELECT payload FROM enrichment WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError as error:
            self._turn_off(f"analysis cache read failed ({error})")
            return None
        if row is None:
            return None
        stored = row[0]
        try:
            return from_payload(json.loads(zlib.decompress(stored) if isinstance(stored, bytes) else stored), text)
        except (ValueError, TypeError, IndexError, zlib.error) as error:
            self._warn(f"discarded a corrupt cache entry ({type(error).__name__})")
            self._write([("DELETE FROM enrichment WHERE key = ?", [(key,)])])
            return None

    def put_many(self, entries: Iterable[tuple[str, Enrichment]]) -> None:
        """Write several results in one transaction."""
        rows = [
            (self._key(fingerprint), zlib.compress(json.dumps(to_payload(enrichment), ensure_ascii=False).encode()))
            for fingerprint, enrichment in entries
        ]
        if rows:
            self._write([("INSERT OR REPLACE INTO enrichment VALUES (?, ?)", rows)])

    def _write(self, statements: list[tuple[str, list[tuple]]]) -> None:
        if self._connection is None or self._read_only:
            return
        try:
            write(self._connection, statements)
        except sqlite3.DatabaseError as error:
            self._turn_off(f"analysis cache write failed ({error})")

    def close(self) -> None:
        for other in self._beside:
            other.close()
        if self._connection is not None:
            self._connection.close()
