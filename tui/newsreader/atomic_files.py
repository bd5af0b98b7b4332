"""Files written whole or not at all: a temporary file beside the target, renamed over it once complete.

A reader of the target sees the old file or the new one, never a half-written one; a write that
fails or is stopped (an exception, a signal's exception, a full disk) removes the temporary file
and leaves the target as it was. The temporary file is made with mode 0o666 less the umask, as
`open` would make the target: `tempfile.mkstemp`'s 0o600 would make an export unreadable to the
group a journalist shares it with.
"""

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import IO

NEW_FILE_MODE = 0o666  # less the umask, which os.open applies
NAME_ATTEMPTS = 100


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike, encoding: str = "utf-8", newline: str | None = None) -> Iterator[IO[str]]:
    """A text file to write `path`'s new content to; it replaces `path` when the block ends without an exception.

    The temporary file is created on entry, so a folder that cannot be written fails before any work.
    Raises OSError (the file cannot be made, written, synced or renamed).
    """
    with _replacing(path, "w", encoding=encoding, newline=newline) as out:
        yield out


@contextlib.contextmanager
def atomic_bytes(path: str | os.PathLike) -> Iterator[IO[bytes]]:
    """`atomic_output` for a binary file."""
    with _replacing(path, "wb") as out:
        yield out


@contextlib.contextmanager
def _replacing(
    path: str | os.PathLike, mode: str, encoding: str | None = None, newline: str | None = None
) -> Iterator[IO]:
    target = Path(path)
    descriptor, temporary = _create_beside(target)
    try:
        with os.fdopen(descriptor, mode, encoding=encoding, newline=newline) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _create_beside(target: Path) -> tuple[int, Path]:
    """A new, empty, hidden file in the target's folder (a rename is atomic only within one file system)."""
    for _ in range(NAME_ATTEMPTS):
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, NEW_FILE_MODE), temporary
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {target}")
