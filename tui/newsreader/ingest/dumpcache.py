"""A dump's rows kept in the user cache once it has been read whole, with their texts.

Parsing a million-row CSV takes minutes; reading back what it gave takes a second or two. So the
first read writes two files in `~/.cache/newsreader/dumps/`: the texts, appended as the rows are read
(an article reads its text back from there by offset, so no text stays in memory), and, once the dump
is done, the rows (every article's fields but its text, and the warnings, in order) as marshal'd
chunks of columns, each one call that holds the GIL briefly. Both are named after the dump's path,
size, modification time and column mapping: a dump that changes gets new files and its old ones go.
A cache that is damaged or cut short is not used (the dump is read again, with a warning).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from newsreader.cache_folder import cache_folder

FOLDER = "dumps"
FORMAT_VERSION = 1
CHUNK_ITEMS = 32_768  # rows a marshal'd chunk: ~10 ms with the GIL held, at most
_PARTIAL = ".partial"


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

    def close(self) -> None:
        os.close(self._descriptor)


def entry_name(source: str, size: int, mtime_ns: int, columns: Mapping[str, str] | None) -> tuple[str, str]:
    """(the prefix of every entry of this dump, the name of this version of it)."""
    mapping = "\0".join(f"{field}={column}" for field, column in sorted((columns or {}).items()))
    dump = hashlib.blake2b(f"{source}\0{mapping}".encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
    return dump, f"{dump}-{size}-{mtime_ns}"


class Writer:
    """Texts appended while a dump is read, and its rows at the end; `finish` makes the entry."""

    def __init__(self, header: dict, folder: Path | None = None) -> None:
        self._folder = (folder or cache_folder()) / FOLDER
        self._header = header
        self._prefix, self._name = entry_name(header["source"], header["size"], header["mtime_ns"], header["columns"])
        self._folder.mkdir(parents=True, exist_ok=True)
        self._texts_path = self._folder / f"{self._name}.texts{_PARTIAL}"
        flags = os.O_RDWR | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
        self.texts = TextFile(os.open(self._texts_path, flags, 0o600))

    def finish(self, chunks: Iterable[Any]) -> None:
        """Write the rows (marshal'd chunks), then put both files in place and remove older entries of the
        same dump. Raises OSError (the entry is then left out: see `abandon`)."""
        rows_path = self._folder / f"{self._name}.rows{_PARTIAL}"
        with rows_path.open("wb") as out:
            marshal.dump({**self._header, "format": FORMAT_VERSION, "texts_size": self.texts.size}, out)
            for chunk in chunks:
                marshal.dump(chunk, out)
            marshal.dump(None, out)  # the end: a file cut short has none
        os.replace(self._texts_path, self._folder / f"{self._name}.texts")
        os.replace(rows_path, self._folder / f"{self._name}.rows")
        for old in self._folder.glob(f"{self._prefix}-*"):
            if not old.name.startswith(f"{self._name}."):
                old.unlink(missing_ok=True)

    def abandon(self) -> None:
        """The read did not finish: nothing is kept; the texts file goes once its articles are gone (it is
        unlinked now, and read through its descriptor until then)."""
        for path in (self._texts_path, self._folder / f"{self._name}.rows{_PARTIAL}"):
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass


def read_entry(header: dict, folder: Path | None = None) -> tuple[TextFile, Iterator[Any]] | None:
    """The texts and the row chunks of a cached dump, or None when it has no entry. Raises CacheError for an
    entry that cannot be used (the chunks raise it too, for one cut short)."""
    base = (folder or cache_folder()) / FOLDER / _entry(header)
    try:
        rows = open(base.with_name(base.name + ".rows"), "rb")  # noqa: SIM115 - closed by `_chunks`
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        raise CacheError(error.strerror or str(error)) from None
    try:
        written = _load(rows)
        if not isinstance(written, dict) or written.get("format") != FORMAT_VERSION:
            raise CacheError("written by another version")
        if any(written.get(key) != value for key, value in header.items()):
            raise CacheError("written for another dump")
        descriptor = os.open(base.with_name(base.name + ".texts"), os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        rows.close()
        raise CacheError(error.strerror or str(error)) from None
    except CacheError:
        rows.close()
        raise
    texts = TextFile(descriptor, os.fstat(descriptor).st_size)
    if texts.size != written.get("texts_size"):
        rows.close()
        texts.close()
        raise CacheError("its texts are cut short")
    return texts, _chunks(rows)


def remove_entry(header: dict, folder: Path | None = None) -> None:
    """Remove a damaged entry, so the next read writes a new one."""
    base = (folder or cache_folder()) / FOLDER / _entry(header)
    for suffix in (".rows", ".texts"):
        try:
            base.with_name(base.name + suffix).unlink(missing_ok=True)
        except OSError:
            pass  # the next start warns again


def _entry(header: dict) -> str:
    return entry_name(header["source"], header["size"], header["mtime_ns"], header["columns"])[1]


def header_of(source: str, size: int, mtime_ns: int, columns: Mapping[str, str] | None) -> dict:
    """What an entry must have been written for."""
    return {
        "python": list(sys.version_info[:2]),
        "source": source,
        "size": size,
        "mtime_ns": mtime_ns,
        "columns": dict(columns or {}),
    }


def _chunks(rows) -> Iterator[Any]:
    with rows:
        while (chunk := _load(rows)) is not None:
            yield chunk


def _load(rows) -> Any:
    try:
        return marshal.load(rows)
    except (EOFError, ValueError, TypeError) as error:
        raise CacheError(f"damaged ({error})") from None
