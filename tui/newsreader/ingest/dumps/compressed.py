"""Files and zip members as byte streams, decompressed as they are read and capped against bombs.

Nothing is extracted to disk: gzip, bz2 and lzma file objects and `ZipFile.open` decompress
in memory, a buffer at a time. A stream stops (StopFile) once it has expanded past the file's
byte budget, or past the expansion ratio to the compressed bytes read so far (for a zip member,
its compressed size, which its reader never reads past).
"""

import bz2
import gzip
import io
import lzma
import os
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, cast

from newsreader.ingest.dumps.detect import split_name
from newsreader.ingest.dumps.limits import Limits, size_text
from newsreader.ingest.dumps.records import RecordProblem, StopFile
from newsreader.ingest.sanitize import sanitize_line

ByteStream = io.BufferedIOBase | io.RawIOBase  # a file, a decompressor or a zip member
HEAD_BYTES = 64 * 1024  # what format and encoding are judged on
BUFFER_BYTES = 256 * 1024
_DECOMPRESSORS: dict[str, Callable[[ByteStream], ByteStream]] = {
    ".gz": lambda raw: gzip.GzipFile(fileobj=raw, mode="rb"),
    ".bz2": lambda raw: bz2.BZ2File(raw, mode="rb"),
    ".xz": lambda raw: lzma.LZMAFile(cast(IO[bytes], raw), mode="rb"),
}
# What a damaged compressed file or zip raises while being read.
READ_ERRORS = (OSError, EOFError, zlib.error, lzma.LZMAError, zipfile.BadZipFile, NotImplementedError, RuntimeError)


class Budget:
    """The bytes a file may still expand to: one for a plain or compressed file, shared by a zip's members."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.expanded = 0


@dataclass(frozen=True, slots=True)
class Source:
    """One readable dump: a file, or a member of a zip."""

    name: str
    member: str | None
    kind: str
    opener: Callable[[Budget | None], io.BufferedReader]
    budget: Budget

    def open(self) -> io.BufferedReader:
        """A fresh byte stream, decompressed and capped."""
        return self.opener(self.budget)

    def head(self) -> bytes:
        """The first bytes, decompressed, outside the budget: reading stops at HEAD_BYTES however much they expand."""
        with self.opener(None) as stream:
            return stream.read(HEAD_BYTES)


def sources(path: str, budget: Budget) -> Iterator[Source | RecordProblem]:
    """The dumps in `path`: itself, or each member of a zip (problems for members that are not dumps)."""
    kind, compression, _ = split_name(path)
    if kind == "zip":
        yield from _zip_sources(path, budget)
    elif kind is not None:
        yield Source(path, None, kind, lambda budget: _open_file(path, compression, budget), budget)
    else:
        yield RecordProblem(None, None, "not a dump format this reader knows")


def open_regular(path: str) -> io.BufferedReader:
    """`path` opened for reading, when it is a regular file. O_NONBLOCK keeps a FIFO swapped in since the walk
    from blocking the open; it is then refused (StopFile)."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        regular = stat.S_ISREG(os.fstat(descriptor).st_mode)
    except OSError:
        os.close(descriptor)
        raise
    if not regular:
        os.close(descriptor)
        raise StopFile("not a regular file")
    return os.fdopen(descriptor, "rb")


def _open_file(path: str, compression: str | None, budget: Budget | None) -> io.BufferedReader:
    raw = _CountingReader(open_regular(path))
    if compression is None:
        return _capped(raw, budget, None)
    return _capped(_DECOMPRESSORS[compression](raw), budget, lambda: raw.count, underlying=raw)


def _zip_sources(path: str, budget: Budget) -> Iterator[Source | RecordProblem]:
    try:
        handle = open_regular(path)
    except StopFile as error:
        yield RecordProblem(None, None, str(error))
        return
    except OSError as error:
        yield RecordProblem(None, None, sanitize_line(f"cannot be opened: {error.strerror or error}"))
        return
    with handle:
        yield from _members(path, handle, budget)


def _members(path: str, handle: io.BufferedReader, budget: Budget) -> Iterator[Source | RecordProblem]:
    try:
        archive = zipfile.ZipFile(handle)
    except OSError as error:
        yield RecordProblem(None, None, sanitize_line(f"cannot be opened: {error.strerror or error}"))
        return
    except (*READ_ERRORS, ValueError) as error:
        yield RecordProblem(None, None, sanitize_line(f"not a readable zip: {error}"))
        return
    with archive:
        for info in archive.infolist():
            name = info.filename
            if info.is_dir() or name.startswith("__MACOSX/") or name.rpartition("/")[2].startswith("."):
                continue
            kind, compression, _ = split_name(name)
            skipped = _skipped_member(info, kind)
            if skipped:
                yield RecordProblem(None, name, sanitize_line(f"member '{name}' {skipped}"))
                continue
            assert kind is not None
            yield Source(path, name, kind, _member_opener(archive, info, compression), budget)


def _skipped_member(info: zipfile.ZipInfo, kind: str | None) -> str | None:
    if kind is None:
        return "skipped: not a dump format"
    if kind == "zip":
        return "skipped: zips inside a zip are not opened"
    if info.flag_bits & 0x1:
        return "skipped: encrypted"
    return None


def _member_opener(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, compression: str | None
) -> Callable[[Budget | None], io.BufferedReader]:
    def open_member(budget: Budget | None) -> io.BufferedReader:
        member = cast(ByteStream, archive.open(info))  # a ZipExtFile, a BufferedIOBase
        if compression is None:
            return _capped(member, budget, lambda: info.compress_size)
        return _capped(_DECOMPRESSORS[compression](member), budget, lambda: info.compress_size, underlying=member)

    return open_member


def _capped(
    stream: ByteStream,
    budget: Budget | None,
    compressed: Callable[[], int] | None,
    underlying: ByteStream | None = None,
) -> io.BufferedReader:
    """`stream` buffered and capped; closing it closes `underlying` too (decompressors leave their file open)."""
    capped = _Capped(stream, budget, compressed, underlying)
    return io.BufferedReader(capped, BUFFER_BYTES)


class _CountingReader(io.RawIOBase):
    """A file that counts the bytes read from it: the compressed side of the expansion ratio."""

    def __init__(self, file: ByteStream) -> None:
        self.file = file
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        read = self.file.readinto(buffer)
        self.count += read or 0
        return read

    def close(self) -> None:
        self.file.close()
        super().close()


class _Capped(io.RawIOBase):
    """Decompressed bytes, stopped (StopFile) at the byte budget or past the expansion ratio (no budget: no caps)."""

    def __init__(
        self,
        stream: ByteStream,
        budget: Budget | None,
        compressed: Callable[[], int] | None,
        underlying: ByteStream | None,
    ) -> None:
        self.stream = stream
        self.underlying = underlying
        self.budget = budget
        self.compressed = compressed
        self.expanded = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.stream.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.expanded += size
        if self.budget is not None:
            self.budget.expanded += size
            self._check(self.budget)
        return size

    def _check(self, budget: Budget) -> None:
        limits = budget.limits
        if budget.expanded > limits.max_expanded_bytes:
            raise StopFile(f"stopped: more than {size_text(limits.max_expanded_bytes)} of data")
        if self.compressed is None or self.expanded <= limits.ratio_grace_bytes:
            return
        if self.expanded > limits.max_expansion_ratio * max(self.compressed(), 1):
            raise StopFile(
                f"stopped: expands more than {limits.max_expansion_ratio} times"
                f" ({size_text(self.expanded)} from {size_text(self.compressed())}), as an archive bomb does"
            )

    def close(self) -> None:
        try:
            self.stream.close()
        finally:
            if self.underlying is not None:
                self.underlying.close()
            super().close()
