"""Safe reading of article files: walk, check, read, decode, sanitise.

Nothing here raises for a bad file or folder. Each one becomes a `LoadWarning` naming
it and the reason, so one hostile entry never stops a million good ones.

Links inside a folder are followed only to targets inside that folder: the folder is
the boundary the reader was given, so a link out is skipped with a warning (a file
outside can still be named on its own). Each folder is read once, under its real name.
"""

import errno
import os
import stat
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from operator import attrgetter

from newsreader.ingest.decode import NotText, decode
from newsreader.ingest.sanitize import sanitize, sanitize_line
from newsreader.wording import plural

DEFAULT_MAX_BYTES = 8 * 1024 * 1024
DEFAULT_PATTERN = "*.txt"
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
NOT_UTF8 = "name is not valid UTF-8 (undecodable bytes shown as \\xNN)"
VANISHED = "vanished before it could be read"
REPLACED = "replaced after listing (a link now stands there), not read"
_FILE, _FOLDER, _LINKED_FOLDER = "file", "folder", "linked folder"


@dataclass(frozen=True, slots=True)
class LoadWarning:
    """A file that was skipped or read with loss; both fields are display-safe."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True, slots=True)
class FileStamp:
    """Where a document was read from, and the size and modification time it had then.

    `source` is the name to open again (it may hold undecodable bytes as surrogates, unlike a
    display path); size and time tell a warm start whether the file is still the one read."""

    source: str
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class Document:
    """A decoded, sanitised file; `id` is its path relative to the root it was loaded from."""

    id: str
    path: str
    text: str
    encoding: str
    stamp: FileStamp | None = None


def display_path(path: str | os.PathLike) -> str:
    """A file name as a person may see it: undecodable bytes shown as \\xNN (so names stay distinct), controls gone."""
    path = os.fspath(path)
    if isinstance(path, str) and path.isascii() and path.isprintable():
        return path
    return sanitize_line(os.fsencode(path).decode("utf-8", "backslashreplace"))


Unchanged = Callable[[str, int, int], bool]  # (file name to open, size, mtime_ns) -> known and unchanged


def iter_documents(
    paths: Iterable[str | os.PathLike],
    max_bytes: int = DEFAULT_MAX_BYTES,
    pattern: str = DEFAULT_PATTERN,
    unchanged: Unchanged | None = None,
) -> Iterator[Document | LoadWarning]:
    """Yield documents and warnings as files are read, in a stable order.

    A path named here is read wherever it points; inside a folder, see `_walk`. With `unchanged`,
    each file is first stat'ed and not read when `unchanged` says it is already known as it is.
    """
    for given in paths:
        given = os.fspath(given)
        try:
            info = _follow(given, missing="no such file or directory")
        except _Skip as error:
            yield LoadWarning(display_path(given), str(error))
            continue
        if stat.S_ISDIR(info.st_mode):
            root = given.rstrip(os.sep) or os.sep
            for found in _walk(root, info, pattern.lower()):
                if isinstance(found, LoadWarning):
                    yield found
                else:
                    path, linked_to = found
                    if unchanged is None or not _is_unchanged(unchanged, path, linked_to):
                        yield from _read(path, path[len(root) :].lstrip(os.sep), max_bytes, _Expect(linked_to))
        elif stat.S_ISREG(info.st_mode):
            if unchanged is None or not unchanged(given, info.st_size, info.st_mtime_ns):
                yield from _read(given, os.path.basename(given), max_bytes)
        else:
            yield LoadWarning(display_path(given), _not_regular_reason(info.st_mode))


def _is_unchanged(unchanged: Unchanged, path: str, info: os.stat_result | None) -> bool:
    """Ask `unchanged` about a walked file; one that cannot be stat'ed is read, and the read says why."""
    if info is None:
        try:
            info = os.lstat(path)
        except OSError:
            return False
    return unchanged(path, info.st_size, info.st_mtime_ns)


def _walk(
    root: str, root_info: os.stat_result, pattern: str
) -> Iterator[tuple[str, os.stat_result | None] | LoadWarning]:
    """Files under `root` matching `pattern`: depth first, in name order, with a stack instead of recursion.

    Links to files come after every real file, so the links are the duplicates. Links to folders
    wait until the real folders are done and are followed only when they lead inside `root` to a
    folder not yet read, known by (st_dev, st_ino): so a loop ends with a warning, and every article
    keeps the id of its real place, whatever links point at it.
    """
    try:
        real_root = os.path.realpath(root)
    except OSError as error:
        yield LoadWarning(display_path(root), _reason(error))
        return
    seen = {(root_info.st_dev, root_info.st_ino): root}
    pending: list[str] = [root]
    linked_folders: deque[tuple[str, os.stat_result]] = deque()
    linked_files: list[tuple[str, os.stat_result]] = []  # after every real file, so duplicates are the links
    while pending or linked_folders:
        if not pending:
            link, link_info = linked_folders.popleft()
            if revisit := _revisit_reason(seen, link, link_info):
                yield LoadWarning(display_path(link), revisit)
            else:
                pending.append(link)
            continue
        entries = _entries(pending.pop())
        if isinstance(entries, LoadWarning):
            yield entries
            continue
        subfolders = []
        for entry in entries:
            try:
                found = _look(entry, fnmatchcase(entry.name.lower(), pattern), real_root)
            except _Skip as error:
                yield LoadWarning(display_path(entry.path), str(error))
                continue
            if found is None:
                continue
            kind, info = found
            if not _is_utf8(entry.name):
                yield LoadWarning(display_path(entry.path), NOT_UTF8)
            if info is None:  # a file that is no link: only links and folders come with their stat
                yield entry.path, None
            elif kind == _FILE:
                linked_files.append((entry.path, info))
            elif kind == _LINKED_FOLDER:
                linked_folders.append((entry.path, info))
            elif revisit := _revisit_reason(seen, entry.path, info):
                yield LoadWarning(display_path(entry.path), revisit)
            else:
                subfolders.append(entry.path)
        pending.extend(reversed(subfolders))
    yield from linked_files


def _entries(folder: str) -> list[os.DirEntry] | LoadWarning:
    """`folder`'s entries sorted by name (a stable order), or why they cannot be listed."""
    try:
        with os.scandir(folder) as scan:
            return sorted(scan, key=attrgetter("name"))
    except OSError as error:
        return LoadWarning(display_path(folder), _reason(error))


def _look(entry: os.DirEntry, matches: bool, real_root: str) -> tuple[str, os.stat_result | None] | None:
    """What the walk does with `entry`: read it as a file, enter it as a folder, or nothing (None).

    Raises _Skip with the reason when it is a hazard. Names that do not match are ignored without a
    system call, except links, which may lead to folders.
    """
    try:
        if not entry.is_symlink():
            if entry.is_dir(follow_symlinks=False):
                return _FOLDER, entry.stat(follow_symlinks=False)
            if not matches:
                return None
            if entry.is_file(follow_symlinks=False):
                return _FILE, None
            raise _Skip(_not_regular_reason(entry.stat(follow_symlinks=False).st_mode))
        info = _follow(entry.path, missing=VANISHED)
        is_folder = stat.S_ISDIR(info.st_mode)
        if not (matches or is_folder):
            return None
        target = os.path.realpath(entry.path)
        if target != real_root and not target.startswith(real_root.rstrip(os.sep) + os.sep):
            raise _Skip(f"link leads outside the folder (to {display_path(target)})")
        if is_folder:
            return _LINKED_FOLDER, info
        if not stat.S_ISREG(info.st_mode):
            raise _Skip(_not_regular_reason(info.st_mode))
        return _FILE, info
    except OSError as error:
        raise _Skip(_reason(error)) from None


def _follow(path: str, missing: str) -> os.stat_result:
    """`os.stat` through links; failure is a _Skip saying why: a loop, a dangling link, or `missing`."""
    try:
        return os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        try:
            target = os.readlink(path)
        except OSError:
            raise _Skip(missing) from None
        raise _Skip(f"dangling link (to {display_path(target)}, which does not exist)") from None
    except OSError as error:
        raise _Skip(_reason(error)) from None


def _revisit_reason(seen: dict[tuple[int, int], str], path: str, info: os.stat_result) -> str | None:
    """None the first time a folder is met (and it is remembered); then why it is not read again."""
    first = seen.setdefault((info.st_dev, info.st_ino), path)
    if first == path:
        return None
    if path.startswith(first.rstrip(os.sep) + os.sep):
        return f"directory loop: leads back to {display_path(first)}"
    return f"same folder as {display_path(first)}, not walked twice"


def _is_utf8(name: str) -> bool:
    """False for a name `os` decoded with surrogate escapes: its bytes are not UTF-8."""
    if name.isascii():
        return True
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _not_regular_reason(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISDIR, "directory"),
    ):
        if test(mode):
            return f"not a regular file ({name})"
    return "not a regular file"


def _open_named(path: str) -> int:
    return os.open(path, _OPEN_FLAGS)


class _Expect:
    """What a walked entry must still be when it is opened: a plain file (no link is followed), or the very
    file its inside link led to when listed. A named path (None) is read wherever it points."""

    def __init__(self, linked_to: os.stat_result | None) -> None:
        self.linked_to = linked_to

    def open(self, path: str) -> int:
        if self.linked_to is None:
            try:
                return os.open(path, _OPEN_FLAGS | os.O_NOFOLLOW)
            except OSError as error:
                if error.errno == errno.ELOOP:  # a link now stands where a file was listed
                    raise _Skip(REPLACED) from None
                raise
        descriptor = os.open(path, _OPEN_FLAGS)
        opened = os.fstat(descriptor)
        if (opened.st_dev, opened.st_ino) != (self.linked_to.st_dev, self.linked_to.st_ino):
            os.close(descriptor)
            raise _Skip(REPLACED)
        return descriptor


def _read(path: str, relative: str, max_bytes: int, expect: _Expect | None = None) -> Iterator[Document | LoadWarning]:
    """Yield the document, preceded by a warning when it was read with loss.

    A file that changes while it is read is read once more; if it changes again it is kept as read, with a warning.
    """
    shown = display_path(path)
    opener = expect.open if expect else _open_named
    try:
        data, steady, info = _read_bytes(opener(path), max_bytes)
        if not steady:
            data, steady, info = _read_bytes(opener(path), max_bytes)
        if not data.strip():
            raise _Skip("empty file")
        decoded = decode(data)
    except (OSError, NotText, _Skip) as error:
        yield LoadWarning(shown, _reason(error))
        return
    if not steady:
        yield LoadWarning(shown, "changed while being read, twice; shown as last read")
    if decoded.problem:
        yield LoadWarning(shown, decoded.problem)
    yield Document(
        id=display_path(relative),
        path=shown,
        text=sanitize(decoded.text),
        encoding=decoded.encoding,
        stamp=FileStamp(path, info.st_size, info.st_mtime_ns),
    )


class _Skip(Exception):
    """A file or folder refused, with the reason as its message."""


def _read_bytes(descriptor: int, max_bytes: int) -> tuple[bytes, bool, os.stat_result]:
    """The bytes of an open regular file of at most `max_bytes` (checked before any read), whether
    its size and modification time stayed the same while it was read, and its stat after the read;
    the descriptor is closed.

    O_NONBLOCK in the open keeps a FIFO swapped in after the walk from blocking it.
    """
    try:
        before = os.fstat(descriptor)
        if not stat.S_ISREG(before.st_mode):
            raise _Skip(_not_regular_reason(before.st_mode))
        if before.st_size > max_bytes:
            raise _Skip(f"too large ({_size(before.st_size)} > {_size(max_bytes)})")
        chunks, total = [], 0
        wanted = before.st_size + 1
        while total <= max_bytes:
            chunk = os.read(descriptor, min(wanted, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            wanted = 1 << 16
        after = os.fstat(descriptor)
    finally:
        os.close(descriptor)
    if total > max_bytes:
        raise _Skip(f"too large (grew past {_size(max_bytes)} while reading)")
    steady = (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns)
    return b"".join(chunks), steady, after


_ERRNO_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ELOOP: "symlink loop",
    errno.ENOENT: VANISHED,
    errno.ENAMETOOLONG: "path too long for the system",
}


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError):
        if error.errno in _ERRNO_REASONS:
            return _ERRNO_REASONS[error.errno]
        return sanitize_line(error.strerror or type(error).__name__).lower()
    return sanitize_line(str(error))


def _size(count: int) -> str:
    """Human size: '512 bytes', '8 MiB', '2.0 GiB' (one decimal unless exact)."""
    if count < 1024:
        return plural(count, "byte")
    value, unit = float(count), "bytes"
    for larger in ("KiB", "MiB", "GiB", "TiB"):
        if value < 1024:
            break
        value, unit = value / 1024, larger
    return f"{value:.0f} {unit}" if value.is_integer() else f"{value:.1f} {unit}"
