"""Reading one dump file into articles: from its cache entry when it has one, else parsed (in a worker process
for a big dump, when a pool is given), its entry written as it goes.

A big dump parsed in the loading thread would hold the GIL the UI needs for minutes. With a pool, a worker
parses it and writes its cache entry chunk by chunk; this process follows the entry as it grows and only
turns chunks into articles. The worker takes a moment to start, so the first rows are parsed here
meanwhile, and skipped when the worker's arrive. A worker that fails is said in a warning, and the rest of
the dump is parsed here.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Generator, Iterator, Mapping
from concurrent.futures import Executor, Future
from pathlib import Path

from newsreader.ingest import dumpcache
from newsreader.ingest.load import FileStamp, How, LoadWarning, display_path, open_listed, reason
from newsreader.ingest.parse import Article
from newsreader.ingest.records import Texts, decoded_items, encode_items, parsed_rows
from newsreader.ingest.sanitize import sanitize_line
from newsreader.shelf import Shelf

WORKER_MIN_BYTES = 32 * 1024 * 1024  # a smaller dump (~8,000 rows) is parsed here before a worker would start
HEAD_MAX_ITEMS = 20_000  # read here at most while the worker starts (a few seconds' worth), then it is waited for
_uncached_texts = Shelf(prefix="texts-")  # for rows whose dump's cache entry cannot be written


def iter_dump(
    path: str,
    relative: str,
    how: How,
    keep_text: bool,
    columns: Mapping[str, str] | None = None,
    pool: Executor | None = None,
) -> Iterator[Article | LoadWarning]:
    """The articles of one dump file and the warnings about it, in its order; its rows' ids are the dump's
    (relative to the folder opened) with `#row` after it: `lenta.csv.gz#12345`. With a `pool` (and without
    `keep_text`), a big dump is parsed there."""
    shown, name = display_path(path), display_path(relative)
    stamp = _stamp(path, how)
    if isinstance(stamp, str):
        yield LoadWarning(shown, stamp)
        return
    dump = _Dump(path, name, shown, stamp, columns)
    real = os.path.realpath(path)  # one entry however the dump is named (folder, relative or full path)
    entry = dumpcache.Entry(dumpcache.header_of(real, stamp.size, stamp.mtime_ns, columns))
    given = 0
    try:
        cached = dumpcache.read_entry(entry)
        if cached is not None:
            for item in decoded_items(*cached, name, shown, stamp):
                yield item
                given += 1
            return
    except dumpcache.CacheError as error:
        dumpcache.remove_entry(entry)
        yield LoadWarning(shown, f"its cached rows could not be used ({error}); read again")
    if pool is not None and not keep_text and stamp.size >= WORKER_MIN_BYTES:
        given = yield from _follow_worker(dump, entry, pool, given)
        if given < 0:
            return
    yield from _read_here(dump, entry, keep_text, given)


class _Dump:
    """What reading one dump needs, to hand to a worker in one piece."""

    def __init__(self, path: str, name: str, shown: str, stamp: FileStamp, columns: Mapping[str, str] | None) -> None:
        self.path, self.name, self.shown, self.stamp = path, name, shown, stamp
        self.columns = dict(columns) if columns else None

    def rows(self, texts: Texts) -> Generator[Article | LoadWarning, None, None]:
        return parsed_rows(self.path, self.name, self.shown, self.stamp, texts, self.columns)


def write_entry(dump: _Dump, header: dict, cache: Path) -> int:
    """A worker's task: parse the dump into its cache entry in the `cache` folder (the entry made by
    `create_partial`); the items written."""
    writer = dumpcache.Writer(dumpcache.Entry(header, cache), encode_items, create=False)
    count = 0
    try:
        for item in dump.rows(writer.texts):
            writer.add(item.released() if isinstance(item, Article) else item)
            count += 1
        writer.finish()
    except BaseException:
        writer.abandon()
        raise
    return count


def _follow_worker(
    dump: _Dump, entry: dumpcache.Entry, pool: Executor, given: int
) -> Generator[Article | LoadWarning, None, int]:
    """The items past the first `given`, from a worker writing the dump's entry; returns -1 when every item was
    given, else how many were (the rest is then read here)."""
    try:
        dumpcache.create_partial(entry)
    except OSError:  # no cache to share: read here, which says so
        return given
    try:
        work: Future[int] = pool.submit(write_entry, dump, entry.header, entry.cache)
    except RuntimeError as error:  # the pool is shut down or broken
        yield LoadWarning(dump.shown, sanitize_line(f"a loading process could not start ({error}); read in the app"))
        return given
    try:
        head = dump.rows(_uncached_texts)
        position = 0
        rows_file = entry.partial(entry.rows)
        for item in head:  # until the worker has written something
            position += 1
            if position > given:
                yield item.released() if isinstance(item, Article) else item
            if position % 16 == 0 and (work.done() or _size(rows_file) > 0 or position >= HEAD_MAX_ITEMS):
                break
        else:
            return -1  # read whole here before the worker began: it goes on writing the entry, for the next start
        head.close()
        given = max(given, position)
        position = 0
        texts, chunks = dumpcache.follow_entry(entry, lambda: not work.done())
        for item in decoded_items(texts, chunks, dump.name, dump.shown, dump.stamp):
            position += 1
            if position > given:
                yield item
        work.result()
        return -1
    except dumpcache.CacheError:
        problem = work.exception() if work.done() else None
        detail = f"{type(problem).__name__}: {problem}" if problem else "its cache entry was cut short"
        yield LoadWarning(
            dump.shown, sanitize_line(f"a loading process failed ({detail}); the rest is read in the app")
        )
        return max(given, position)
    finally:
        work.cancel()


def _read_here(dump: _Dump, entry: dumpcache.Entry, keep_text: bool, skip: int) -> Iterator[Article | LoadWarning]:
    """Parse the dump in this thread, its entry written as it goes (its texts on the shelf when it cannot be);
    the first `skip` items (given already) are not given again."""
    try:
        writer: dumpcache.Writer | None = dumpcache.Writer(entry, encode_items)
    except OSError as error:
        writer = None
        yield LoadWarning(dump.shown, f"not cached ({error.strerror or error}): read again at the next start")
    position = 0
    try:
        for item in dump.rows(_uncached_texts if writer is None else writer.texts):
            released = item.released() if isinstance(item, Article) else item
            if writer is not None:
                writer.add(released)
            position += 1
            if position > skip:
                yield item if keep_text else released
    except OSError as error:  # the cache's disk failed: what was read stays
        yield LoadWarning(dump.shown, f"its cache failed ({error.strerror or error}); the rest is not read")
    else:
        try:
            if writer is not None:
                writer.finish()
                writer = None
        except OSError as error:
            yield LoadWarning(dump.shown, f"not cached ({error.strerror or error}): read again at the next start")
    finally:
        if writer is not None:
            writer.abandon()
    if problem := _uncached_texts.take_problem():
        yield LoadWarning("dump texts", problem)


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _stamp(path: str, how: How) -> FileStamp | str:
    """The dump's size and mtime, when it is still the regular file listed (as `how` says); else why not."""
    opened = open_listed(path, how)
    if isinstance(opened, str):
        return opened
    with opened as handle:
        try:
            info = os.fstat(handle.fileno())
        except OSError as error:
            return reason(error)
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    return FileStamp(path, info.st_size, info.st_mtime_ns)
