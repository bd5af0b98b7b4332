"""A dump's rows kept in the user cache as it is read, with their texts, for the next start and for the app.

Parsing a million-row CSV takes minutes; reading back what it gave takes a second or two. So reading a
dump writes two files in `~/.cache/newsreader/dumps/`: the texts, appended as the rows are read (an
article reads its text back from there by offset, so no text stays in memory), and the rows (every
article's fields but its text, and the warnings, in order) as length-prefixed marshal'd chunks of
columns, each one call that holds the GIL briefly. Chunks are written as they fill, so another process
can follow the entry while it grows (`follow_entry`): the app reads a big dump in a worker process and
takes its rows from there. A finished entry ends with an empty chunk and is renamed into place; both
files are named after the dump's path, size, modification time and column mapping, so a dump that
changes gets new files and its old ones go. An entry that is damaged or cut short is not used.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import struct
import sys
import time
from collections.abc import Callable, Generator, Iterator, Mapping
from pathlib import Path
from typing import Any

from newsreader.cache_folder import cache_folder

FOLDER = "dumps"
FORMAT_VERSION = 2  # 2: length-prefixed chunks, written as they fill
CHUNK_ITEMS = 32_768  # rows a full chunk: ~10 ms with the GIL held to read, at most
FIRST_CHUNK_ITEMS = 64  # the first chunks are small, so a follower has the first rows at once
FOLLOW_SECONDS = 0.02  # how often a follower looks for a chunk not written yet
_LENGTH = struct.Struct("<Q")
_PARTIAL = ".partial"
_OPEN_FLAGS = getattr(os, "O_CLOEXEC", 0)


class CacheError(Exception):
    """The cache of a dump cannot be used; the message says why."""


class TextFile:
    """The texts of one dump's rows, read back by (offset, size) with single system calls (no lock needed)."""

    def __init__(self, descriptor: int, size: int = 0) -> None:
        self._descriptor = descriptor
        self.size = size

    def put(self, data: bytes) -> int:
        """Append `data`; its offset. Raises OSError."""
        at, view = self.size, memoryview(data)
        while view:
            view = view[os.pwrite(self._descriptor, view, at + len(data) - len(view)) :]
        self.size += len(data)
        return at

    def get(self, offset: int, size: int) -> bytes:
        return os.pread(self._descriptor, size, offset)


class Entry:
    """Where one version of a dump's entry is kept: its two files while written (`.partial`), then in place."""

    def __init__(self, header: dict, cache: Path | None = None) -> None:
        """`cache`: the user cache folder (by default the one of this process's environment)."""
        self.header = header
        self.cache = cache or cache_folder()
        self.folder = self.cache / FOLDER
        self.prefix, name = _names(header)
        self.texts, self.rows = self.folder / f"{name}.texts", self.folder / f"{name}.rows"

    def partial(self, path: Path) -> Path:
        return path.with_name(path.name + _PARTIAL)


class Writer:
    """Writes an entry: texts as they come (`texts.put`), rows a chunk at a time (`add`), then `finish`.
    Everything raises OSError; `abandon` then removes what was written."""

    def __init__(self, entry: Entry, encode: Callable[[list[Any]], Any], create: bool = True) -> None:
        """`encode` makes a chunk of the rows' items; `create` the entry's files (else `create_partial` made
        them, for a follower to open before anything is written)."""
        if create:
            create_partial(entry)
        self.entry = entry
        self.encode = encode
        self.texts = TextFile(os.open(entry.partial(entry.texts), os.O_RDWR | _OPEN_FLAGS))  # read back too
        self._rows = os.open(entry.partial(entry.rows), os.O_WRONLY | _OPEN_FLAGS)
        self._pending: list[Any] = []
        self._chunk_items = FIRST_CHUNK_ITEMS
        self._write_blob(marshal.dumps({**entry.header, "format": FORMAT_VERSION}))

    def add(self, item: Any) -> None:
        """One row's item, written with the others of its chunk once the chunk is full."""
        self._pending.append(item)
        if len(self._pending) >= self._chunk_items:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self._write_blob(marshal.dumps(self.encode(self._pending)))
            self._pending = []
            self._chunk_items = min(2 * self._chunk_items, CHUNK_ITEMS)

    def finish(self) -> None:
        """The last chunk and the end mark, then both files put in place and older entries of the dump removed."""
        self.flush()
        self._write_blob(b"")
        os.close(self._rows)
        entry = self.entry
        os.replace(entry.partial(entry.texts), entry.texts)
        os.replace(entry.partial(entry.rows), entry.rows)
        for old in entry.folder.glob(f"{entry.prefix}-*"):
            if old not in (entry.texts, entry.rows):
                old.unlink(missing_ok=True)

    def abandon(self) -> None:
        """Nothing is kept. Texts already read through another descriptor stay readable until it is closed."""
        try:
            os.close(self._rows)
        except OSError:
            pass
        remove_entry(self.entry)

    def _write_blob(self, blob: bytes) -> None:
        data = _LENGTH.pack(len(blob)) + blob
        while data:
            data = data[os.write(self._rows, data) :]


def create_partial(entry: Entry) -> None:
    """The entry's two files, empty (an older partial entry of the same version is replaced). Raises OSError."""
    entry.folder.mkdir(parents=True, exist_ok=True)
    for path in (entry.partial(entry.texts), entry.partial(entry.rows)):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _OPEN_FLAGS, 0o600))


def remove_entry(entry: Entry) -> None:
    """Remove an entry's files, written or partial (a damaged one: the next read writes it anew)."""
    for path in (entry.texts, entry.rows, entry.partial(entry.texts), entry.partial(entry.rows)):
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass  # the next start warns again


def read_entry(entry: Entry) -> tuple[TextFile, Iterator[Any]] | None:
    """The texts and the row chunks of a finished entry, or None when there is none. Raises CacheError for an
    entry that cannot be used (the chunks raise it too, for one damaged or cut short)."""
    try:
        rows = os.open(entry.rows, os.O_RDONLY | _OPEN_FLAGS)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        raise CacheError(error.strerror or str(error)) from None
    return _opened(entry, rows, entry.texts, lambda: False)


def follow_entry(entry: Entry, writing: Callable[[], bool]) -> tuple[TextFile, Iterator[Any]]:
    """The texts and the row chunks of an entry another process is writing (its partial files exist): each chunk
    as soon as it is written, until the end mark, while `writing()`. Raises CacheError (the chunks too: for an
    entry whose writer stopped before the end)."""
    try:
        rows = os.open(entry.partial(entry.rows), os.O_RDONLY | _OPEN_FLAGS)
    except OSError as error:
        raise CacheError(error.strerror or str(error)) from None
    return _opened(entry, rows, entry.partial(entry.texts), writing)


def _opened(entry: Entry, rows: int, texts_path: Path, writing: Callable[[], bool]) -> tuple[TextFile, Iterator[Any]]:
    blobs = _blobs(rows, writing)
    try:
        written = _loads(next(blobs, None))
        if not isinstance(written, dict) or written.get("format") != FORMAT_VERSION:
            raise CacheError("written by another version")
        if any(written.get(key) != value for key, value in entry.header.items()):
            raise CacheError("written for another dump")
        texts = TextFile(os.open(texts_path, os.O_RDONLY | _OPEN_FLAGS))
    except OSError as error:
        blobs.close()
        raise CacheError(error.strerror or str(error)) from None
    except CacheError:
        blobs.close()
        raise
    return texts, map(_loads, blobs)


def _blobs(rows: int, writing: Callable[[], bool]) -> Generator[bytes, None, None]:
    """The length-prefixed blobs of a rows file up to the end mark (an empty blob); waits for the writer while
    `writing()`; CacheError when the file ends before the mark."""
    with os.fdopen(rows, "rb", buffering=0) as handle:
        buffer = bytearray()
        while True:
            needed = _LENGTH.size
            if len(buffer) >= needed:
                needed += _LENGTH.unpack_from(buffer)[0]
                if len(buffer) >= needed:
                    blob = bytes(buffer[_LENGTH.size : needed])
                    del buffer[:needed]
                    if not blob:
                        return
                    yield blob
                    continue
            was_writing = writing()  # asked before the read: what the writer wrote before it stopped is read
            chunk = handle.read(max(needed - len(buffer), 1 << 20))
            if chunk:
                buffer += chunk
            elif was_writing:
                time.sleep(FOLLOW_SECONDS)
            else:
                raise CacheError("cut short")


def _loads(blob: bytes | None) -> Any:
    if blob is None:
        raise CacheError("empty")
    try:
        return marshal.loads(blob)
    except (EOFError, ValueError, TypeError) as error:
        raise CacheError(f"damaged ({error})") from None


def header_of(source: str, size: int, mtime_ns: int, columns: Mapping[str, str] | None) -> dict:
    """What an entry must have been written for."""
    return {
        "python": list(sys.version_info[:2]),
        "source": source,
        "size": size,
        "mtime_ns": mtime_ns,
        "columns": dict(columns or {}),
    }


def _names(header: dict) -> tuple[str, str]:
    """(the prefix of every entry of this dump, the name of this version of it)."""
    mapping = "\0".join(f"{field}={column}" for field, column in sorted(header["columns"].items()))
    key = f"{header['source']}\0{mapping}".encode("utf-8", "surrogatepass")
    dump = hashlib.blake2b(key, digest_size=12).hexdigest()
    return dump, f"{dump}-{header['size']}-{header['mtime_ns']}"
