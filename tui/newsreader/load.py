"""Safe reading of article files: walk, check, read, decode, sanitise.

Nothing here raises for a bad file. Each one becomes a `LoadWarning` naming the
file and the reason, so one hostile file never stops a million good ones.
"""

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase

from newsreader.decode import NotText, decode
from newsreader.sanitize import sanitize, sanitize_line

DEFAULT_MAX_BYTES = 8 * 1024 * 1024
DEFAULT_PATTERN = "*.txt"
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


@dataclass(frozen=True, slots=True)
class LoadWarning:
    """A file that was skipped or read with loss; both fields are display-safe."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Document:
    """A decoded, sanitised file; `id` is its path relative to the root it was loaded from."""

    id: str
    path: str
    text: str
    encoding: str


def display_path(path: str | os.PathLike) -> str:
    """A file name as a person may see it: undecodable bytes shown as U+FFFD, controls gone."""
    path = os.fspath(path)
    if isinstance(path, str) and path.isascii() and path.isprintable():
        return path
    return sanitize_line(os.fsencode(path).decode("utf-8", "replace"))


def iter_documents(
    paths: Iterable[str | os.PathLike],
    max_bytes: int = DEFAULT_MAX_BYTES,
    pattern: str = DEFAULT_PATTERN,
) -> Iterator[Document | LoadWarning]:
    """Yield documents and warnings as files are read, in a stable order."""
    for given in paths:
        given = os.fspath(given)
        if os.path.isdir(given):
            root = given.rstrip(os.sep) or os.sep
            for path in _walk(root, pattern.lower()):
                if isinstance(path, LoadWarning):
                    yield path
                else:
                    yield from _read(path, path[len(root):].lstrip(os.sep), max_bytes)
        elif os.path.lexists(given):
            try:
                _check_regular(given)
            except _Skip as error:
                yield LoadWarning(display_path(given), str(error))
                continue
            yield from _read(given, os.path.basename(given), max_bytes)
        else:
            yield LoadWarning(display_path(given), "no such file or directory")


def _walk(root: str, pattern: str) -> Iterator[str | LoadWarning]:
    """Files under `root` matching `pattern`; symlinks only when they stay inside, never looping."""
    real_root = os.path.realpath(root)
    seen_dirs = {_identity(root)}
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            yield LoadWarning(display_path(folder), _reason(error))
            continue
        subfolders = []
        for entry in entries:
            matches = fnmatchcase(entry.name.lower(), pattern)
            if entry.is_symlink():
                target = _inside_target(entry.path, real_root)
                if target is None:
                    if matches or os.path.isdir(entry.path):
                        yield LoadWarning(display_path(entry.path), "symlink outside folder")
                    continue
                if os.path.isdir(target):
                    identity = _identity(target)
                    if identity in seen_dirs:
                        yield LoadWarning(display_path(entry.path), "symlink loop")
                    else:
                        seen_dirs.add(identity)
                        subfolders.append(entry.path)
                    continue
            if entry.is_dir():
                identity = _identity(entry.path)
                if identity not in seen_dirs:
                    seen_dirs.add(identity)
                    subfolders.append(entry.path)
            elif matches:
                if entry.is_file():
                    yield entry.path
                else:
                    yield LoadWarning(display_path(entry.path), _not_regular_reason(entry.path))
        pending.extend(reversed(subfolders))


def _inside_target(link: str, real_root: str) -> str | None:
    target = os.path.realpath(link)
    if target == real_root or target.startswith(real_root.rstrip(os.sep) + os.sep):
        return target
    return None


def _identity(path: str | os.PathLike) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_dev, info.st_ino


def _not_regular_reason(path: str) -> str:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "broken symlink"
    for test, name in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISDIR, "directory")):
        if test(mode):
            return f"not a regular file ({name})"
    return "not a regular file"


def _read(path: str, relative: str, max_bytes: int) -> Iterator[Document | LoadWarning]:
    """Yield the document, preceded by a warning when it was read with loss."""
    shown = display_path(path)
    try:
        data = _read_bytes(path, max_bytes)
        if not data.strip():
            raise _Skip("empty file")
        decoded = decode(data)
    except (OSError, NotText, _Skip) as error:
        yield LoadWarning(shown, _reason(error))
        return
    if decoded.problem:
        yield LoadWarning(shown, decoded.problem)
    yield Document(
        id=display_path(relative),
        path=shown,
        text=sanitize(decoded.text),
        encoding=decoded.encoding,
    )


class _Skip(Exception):
    """A file refused before its bytes are read."""


def _check_regular(path: str) -> None:
    """Refuse a named path that is not a regular file, without opening it."""
    if not os.path.isfile(path):
        raise _Skip(_not_regular_reason(path))


def _read_bytes(path: str, max_bytes: int) -> bytes:
    """Read a regular file of at most `max_bytes`; the size is checked before any read.

    O_NONBLOCK keeps a FIFO swapped in after the walk from blocking the open.
    """
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise _Skip("not a regular file")
        if info.st_size > max_bytes:
            raise _Skip(f"too large ({_size(info.st_size)} > {_size(max_bytes)})")
        chunks, total = [], 0
        wanted = info.st_size + 1
        while total <= max_bytes:
            chunk = os.read(descriptor, min(wanted, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            wanted = 1 << 16
    finally:
        os.close(descriptor)
    if total > max_bytes:
        raise _Skip(f"too large (grew past {_size(max_bytes)} while reading)")
    return b"".join(chunks)


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        if error.errno in (errno.EACCES, errno.EPERM):
            return "permission denied"
        if error.errno == errno.ELOOP:
            return "symlink loop"
        return sanitize_line(error.strerror or type(error).__name__).lower()
    return sanitize_line(str(error))


def _size(count: int) -> str:
    """Human size: '512 bytes', '8 MiB', '2.0 GiB' (one decimal unless exact)."""
    if count < 1024:
        return f"{count} {'byte' if count == 1 else 'bytes'}"
    value, unit = float(count), "bytes"
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        value /= 1024
        if value < 1024:
            break
    return f"{value:.0f} {unit}" if value.is_integer() else f"{value:.1f} {unit}"
