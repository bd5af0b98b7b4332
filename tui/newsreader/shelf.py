"""Byte strings kept out of the heap, read back by offset: analysis results (store) and the texts of
articles read from dumps (ingest), which have no file of their own to be read again from."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from newsreader.cache_folder import cache_folder


class Shelf:
    """Byte strings appended to a file that has no name (it goes when the process does), read back by
    (offset, size).

    The file is made on the first `put`, in `folder` (the user cache by default: a disk, where /tmp may be
    memory). Where it cannot be made or written (no such folder, a full disk), what it holds and all that
    follows is kept in one bytearray instead: in the heap, but still no object per entry; `problem` says why,
    for the owner to warn once. The kernel's page cache keeps what was read recently; it is not this
    process's memory and goes when memory is short. Reads and writes are single system calls at explicit
    offsets, so a read from another thread needs no lock.
    """

    def __init__(self, folder: Path | None = None, prefix: str = "shelf-") -> None:
        self._folder = folder
        self._prefix = prefix
        self._file: BinaryIO | None = None
        self._memory: bytearray | None = None
        self._end = 0
        self.problem: str | None = None  # why the shelf moved to memory, once it has
        self._problem_told = False

    @property
    def in_memory(self) -> bool:
        return self._memory is not None

    def put(self, data: bytes) -> int:
        """Keep `data`; returns its offset."""
        at = self._end
        if self._memory is None:
            try:
                if self._file is None:
                    folder = self._folder or cache_folder()
                    folder.mkdir(parents=True, exist_ok=True)
                    self._file = tempfile.TemporaryFile(dir=folder, prefix=self._prefix)
                descriptor, view = self._file.fileno(), memoryview(data)
                while view:
                    view = view[os.pwrite(descriptor, view, self._end + len(data) - len(view)) :]
            except OSError as error:
                self._to_memory(error)
        if self._memory is not None:
            self._memory += data
        self._end += len(data)
        return at

    def take_problem(self) -> str | None:
        """`problem`, given once: for the owner's one warning."""
        if self._problem_told or self.problem is None:
            return None
        self._problem_told = True
        return self.problem

    def get(self, offset: int, size: int) -> bytes:
        if self._memory is not None:
            return bytes(self._memory[offset : offset + size])
        assert self._file is not None, "only what was put is got"
        return os.pread(self._file.fileno(), size, offset)

    def _to_memory(self, error: OSError) -> None:
        """The file failed: what it holds moves to memory, and so does all that follows. What cannot be read
        back is lost (zeros in its place, so later offsets stay right), and `problem` says so."""
        folder = self._folder or cache_folder()
        self.problem = f"a temporary file in {folder} failed ({error.strerror or error}); kept in memory"
        held = bytearray()
        if self._file is not None:
            try:
                while len(held) < self._end:
                    chunk = os.pread(self._file.fileno(), self._end - len(held), len(held))
                    if not chunk:
                        break
                    held += chunk
            except OSError as read_error:
                self.problem += f", and what it held could not be read back ({read_error.strerror or read_error})"
            finally:
                self._file.close()
                self._file = None
        held += bytes(self._end - len(held))
        self._memory = held

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
