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
from typing import BinaryIO, NamedTuple

from newsreader.ingest.decode import NotText, decode
from newsreader.ingest.dumps import is_dump
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

# How a listed file is opened: a walked file must still be a plain file (no link is followed); an inside link
# must still lead to the file it led to when listed, known by (st_dev, st_ino); a named path is read wherever it
# points. Small values, so a listing crosses to a worker process cheaply.
WALKED, NAMED = 0, 1
How = int | tuple[int, int]
Listed = tuple[str, str, How]  # the name to open, the id before display (its path relative to its root), how


class Dump(NamedTuple):
    """A listed dump file (CSV, JSON, HTML, a feed, maybe compressed): many articles, read by `ingest/records`."""

    path: str
    relative: str
    how: How


def iter_documents(
    paths: Iterable[str | os.PathLike],
    max_bytes: int = DEFAULT_MAX_BYTES,
    pattern: str = DEFAULT_PATTERN,
    unchanged: Unchanged | None = None,
) -> Iterator[Document | LoadWarning]:
    """Yield documents and warnings as files are read, in a stable order (see `iter_listed`)."""
    for found in iter_listed(paths, pattern, unchanged):
        if isinstance(found, LoadWarning):
            yield found
        else:
            yield from _read(*found, max_bytes)


def iter_listed(
    paths: Iterable[str | os.PathLike],
    pattern: str = DEFAULT_PATTERN,
    unchanged: Unchanged | None = None,
    dumps: bool = False,
) -> Iterator[Listed | Dump | LoadWarning]:
    """The files to read and the warnings about entries that will not be, in a stable order; nothing is read.

    A path named here is read wherever it points; inside a folder, see `_walk`. With `unchanged`,
    each file is first stat'ed and left out when `unchanged` says it is already known as it is.
    With `dumps`, dump files (`is_dump`) are listed too, as `Dump`s, and always read: their rows are
    not kept in a snapshot.
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
            for found in _walk(root, info, _name_matcher(pattern.lower(), dumps)):
                if isinstance(found, LoadWarning):
                    yield found
                    continue
                path, linked_to = found
                how = WALKED if linked_to is None else (linked_to.st_dev, linked_to.st_ino)
                if dumps and is_dump(path):
                    yield Dump(path, path[len(root) :].lstrip(os.sep), how)
                elif unchanged is None or not _is_unchanged(unchanged, path, linked_to):
                    yield path, path[len(root) :].lstrip(os.sep), how
        elif stat.S_ISREG(info.st_mode):
            if dumps and is_dump(given):
                yield Dump(given, os.path.basename(given), NAMED)
            elif unchanged is None or not unchanged(given, info.st_size, info.st_mtime_ns):
                yield given, os.path.basename(given), NAMED
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
    root: str, root_info: os.stat_result, matches: Callable[[str], bool]
) -> Iterator[tuple[str, os.stat_result | None] | LoadWarning]:
    """Files under `root` whose lower-case names `matches`: depth first, in name order, with a stack, not recursion.

    Links to files come after every real file, so the links are the duplicates. Links to folders
    wait until the real folders are done and are followed only when they lead inside `root` to a
    folder not yet read, known by (st_dev, st_ino): so a loop ends with a warning, and every article
    keeps the id of its real place, whatever links point at it.
    """
    try:
        real_root = os.path.realpath(root)
    except OSError as error:
        yield LoadWarning(display_path(root), reason(error))
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
                found = _look(entry, matches(entry.name.lower()), real_root)
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


def _name_matcher(pattern: str, dumps: bool) -> Callable[[str], bool]:
    """`fnmatchcase` against `pattern` (for "*.txt" and the like, the same as a suffix test, which is faster),
    or with `dumps` a dump's name."""
    suffix = pattern[1:]
    if pattern.startswith("*") and not any(magic in suffix for magic in "*?["):
        if dumps:
            return lambda name: name.endswith(suffix) or is_dump(name)
        return lambda name: name.endswith(suffix)
    if dumps:
        return lambda name: fnmatchcase(name, pattern) or is_dump(name)
    return lambda name: fnmatchcase(name, pattern)


def _entries(folder: str) -> list[os.DirEntry] | LoadWarning:
    """`folder`'s entries sorted by name (a stable order), or why they cannot be listed."""
    try:
        with os.scandir(folder) as scan:
            return sorted(scan, key=attrgetter("name"))
    except OSError as error:
        return LoadWarning(display_path(folder), reason(error))


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
        raise _Skip(reason(error)) from None


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
        raise _Skip(reason(error)) from None


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


def _open(path: str, how: How) -> int:
    """Open a listed file for reading as `how` says (see WALKED)."""
    if how == NAMED:
        return os.open(path, _OPEN_FLAGS)
    if how == WALKED:
        try:
            return os.open(path, _OPEN_FLAGS | os.O_NOFOLLOW)
        except OSError as error:
            if error.errno == errno.ELOOP:  # a link now stands where a file was listed
                raise _Skip(REPLACED) from None
            raise
    descriptor = os.open(path, _OPEN_FLAGS)
    opened = os.fstat(descriptor)
    if (opened.st_dev, opened.st_ino) != how:
        os.close(descriptor)
        raise _Skip(REPLACED)
    return descriptor


def open_listed(path: str, how: How) -> BinaryIO | str:
    """A listed file opened for reading as `how` says, or why it cannot be."""
    try:
        return os.fdopen(_open(path, how), "rb")
    except (OSError, _Skip) as error:
        return reason(error)


def read_listed(path: str, how: How, max_bytes: int) -> tuple[bytes, os.stat_result, str | None] | str:
    """The bytes of a listed file, its stat after the read, and a warning when it kept changing while read;
    or why it cannot be read.

    A file that changes while it is read is read once more; if it changes again it is kept as read.
    """
    try:
        data, steady, info = _read_bytes(_open(path, how), max_bytes)
        if not steady:
            data, steady, info = _read_bytes(_open(path, how), max_bytes)
    except (OSError, _Skip) as error:
        return reason(error)
    if not data or data.isspace():
        return "empty file"
    return data, info, None if steady else "changed while being read, twice; shown as last read"


def _read(path: str, relative: str, how: How, max_bytes: int) -> Iterator[Document | LoadWarning]:
    """Yield the document, preceded by a warning when it was read with loss."""
    shown = display_path(path)
    read = read_listed(path, how, max_bytes)
    if isinstance(read, str):
        yield LoadWarning(shown, read)
        return
    data, info, changed = read
    try:
        decoded = decode(data)
    except NotText as error:
        yield LoadWarning(shown, reason(error))
        return
    if changed:
        yield LoadWarning(shown, changed)
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

    O_NONBLOCK in the open keeps a FIFO swapped in after the walk from blocking it. A first read
    that returns the whole size of a file whose stat did not change needs no second read to see
    the end: that is most files, and one system call fewer each.
    """
    try:
        before = os.fstat(descriptor)
        if not stat.S_ISREG(before.st_mode):
            raise _Skip(_not_regular_reason(before.st_mode))
        if before.st_size > max_bytes:
            raise _Skip(f"too large ({_size(before.st_size)} > {_size(max_bytes)})")
        chunk = os.read(descriptor, before.st_size + 1)
        if len(chunk) == before.st_size:
            after = os.fstat(descriptor)
            if (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns):
                return chunk, True, after
        chunks, total = [chunk], len(chunk)
        while chunk and total <= max_bytes:
            chunk = os.read(descriptor, min(1 << 16, max_bytes + 1 - total))
            chunks.append(chunk)
            total += len(chunk)
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


def reason(error: BaseException) -> str:
    """Why a file or folder was refused, display-safe."""
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
