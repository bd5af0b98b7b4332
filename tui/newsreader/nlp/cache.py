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
"""

import json
import sqlite3
import zlib
from collections.abc import Iterable
from pathlib import Path

from newsreader.cache_folder import cache_folder
from newsreader.ingest.sanitize import sanitize_line
from newsreader.nlp.enrich import ENRICHMENT_VERSION, Enrichment, from_payload, to_payload
from newsreader.userdata.sqlite_files import open_or_rebuild, write

CACHE_FILE = "enrichment.sqlite3"


def default_cache_path() -> Path:
    return cache_folder() / CACHE_FILE


def _prepare(connection: sqlite3.Connection) -> None:
    connection.execute("CREATE TABLE IF NOT EXISTS enrichment (key TEXT PRIMARY KEY, payload TEXT NOT NULL)")
    connection.execute("SELECT count(*) FROM enrichment WHERE key = ''").fetchone()


class EnrichmentCache:
    """Not thread-safe: one owner thread does all reads and writes."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_cache_path()
        self.warnings: list[str] = []
        self._connection: sqlite3.Connection | None = None
        try:
            self._connection = open_or_rebuild(self.path, _prepare, "cache", self.warnings)
        except (OSError, sqlite3.Error) as error:
            self._turn_off(f"cannot open the analysis cache ({error})")

    def _warn(self, message: str) -> None:
        self.warnings.append(sanitize_line(f"{self.path}: {message}"))

    def _turn_off(self, reason: str) -> None:
        """Said once: after this the cache is neither read nor written."""
        self._warn(f"{reason}; analysis results are not cached this session")
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _key(self, fingerprint: str) -> str:
        return f"{ENRICHMENT_VERSION}:{fingerprint}"

    def get(self, fingerprint: str, text: str) -> Enrichment | None:
        """The cached enrichment of this exact text, or None; a bad entry is deleted with a warning."""
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
        if self._connection is None:
            return
        try:
            write(self._connection, statements)
        except sqlite3.DatabaseError as error:
            self._turn_off(f"analysis cache write failed ({error})")

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
