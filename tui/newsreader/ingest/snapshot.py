"""What loading an archive found, kept in the user cache so the next start does not read the files again.

A `Journal` records every walked file in walk order: its name, size and mtime as read, the article it
gave (every field but the text) or, for a file that gave only warnings, just its stamp; and every
warning, owned by its file or, for the walk's own (links, loops, folders), by none. Replaying it puts
the same articles in a store in the same order, with the same warnings, so a warm start shows what a
cold one would. A rescan (`Rescan`) then stats every file and re-reads only the new and changed ones
(`iter_articles(..., unchanged=...)`); the files it is never asked about were deleted.

The file: a magic line, a marshal'd header (format and Python version, the opened paths, the chunks'
lengths and CRC-32s), the head (the rows that fill the top of the list, newest first, so the first
frame can show them before the rest is read), the rows in chunks of columns, and the warnings.
marshal and lists of columns load a million rows in ~1 s where SQLite rows take several (see
docs/benchmarks.md, "Warm start"); chunks keep each call that holds the GIL short. Anything wrong
with the file is a `SnapshotError`: the caller warns once and reads every file.
"""

from __future__ import annotations

import hashlib
import heapq
import marshal
import os
import queue
import struct
import sys
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, repeat
from pathlib import Path

from newsreader.atomic_files import atomic_bytes
from newsreader.cache_folder import cache_folder
from newsreader.ingest.load import FileStamp, LoadWarning, display_path
from newsreader.ingest.parse import NO_DATE, Article, date_of

MAGIC = b"newsreader snapshot\n"
# 2: articles hold their stamps; titles as UTF-16; the store's plan. 3: files without a date header dated by a timestamp
FORMAT_VERSION = 3
SNAPSHOT_FOLDER = "snapshots"
CHUNK_ROWS = 32_768  # one marshal call per column of a chunk: ~10 ms with the GIL held, at most
HEAD_ROWS = 200  # a tall terminal's first screen, and a few pages more
HEAD_MAX_ROWS = 5_000  # the newest day is taken whole; a bigger one is left to the rest
_LENGTH = struct.Struct("<Q")

Row = Article | FileStamp  # a file that gave an article (its stamp inside it), or one that gave only warnings
Placed = tuple[int, int, LoadWarning]  # (rows recorded before it, owning row or -1 for the walk's, warning)


class SnapshotError(Exception):
    """The snapshot cannot be used; the message says why, for the one warning."""


def snapshot_path(paths: Sequence[str], max_bytes: int) -> Path:
    """One snapshot per set of opened paths (and size limit)."""
    return cache_folder() / SNAPSHOT_FOLDER / f"{opened_paths_digest(paths, str(max_bytes))}.snapshot"


def opened_paths_digest(paths: Sequence[str], *more: str) -> str:
    """A name for a set of opened paths, as given (ids are relative to them) and from where (if relative)."""
    key = "\0".join([os.getcwd() if any(not os.path.isabs(path) for path in paths) else "", *more, *paths])
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


class Journal:
    """Files and warnings in the order loading met them; filled on one thread at a time.

    `file_met` is the loader's `unchanged` callback (it stats each file just before reading it); the
    items that follow are matched to their file by name, so the order of reads may differ from the walk's.
    """

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.warnings: list[Placed] = []
        self._pending: dict[str, int] = {}  # file name -> row, until its article arrives
        self._shown: dict[str, int] = {}  # display path -> row, for its warnings

    def __len__(self) -> int:
        return len(self.rows)

    def file_met(self, source: str, size: int, mtime_ns: int) -> bool:
        """Record a file about to be read; False: read it."""
        self._add_row(FileStamp(source, size, mtime_ns))
        return False

    def _add_row(self, row: Row) -> int:
        number = len(self.rows)
        self.rows.append(row)
        source = _source(row)
        self._pending[source] = number
        self._shown[display_path(source)] = number
        return number

    def keep(self, row: Row, warnings: Iterable[LoadWarning]) -> None:
        """An unchanged file, with the warnings it gave before."""
        number = len(self.rows)
        self.rows.append(row)
        self.warnings.extend((number, number, warning) for warning in warnings)

    def record(self, item: Article | LoadWarning) -> Article | LoadWarning:
        """Attach an item read to its file; an article is returned released (its text goes back to its file)."""
        if isinstance(item, LoadWarning):
            owner = self._shown.get(item.path, -1)
            self.warnings.append((owner if owner >= 0 else len(self.rows), owner, item))
            return item
        item = item.released()
        if item.origin is not None:  # a dump's row: dumps are read at every start, their rows are not kept
            return item
        if item.source is not None:
            number = self._pending.pop(item.source, None)
            if number is None:  # a file the loader read without asking (it could not stat it first)
                number = self._add_row(item)
                del self._pending[item.source]
            self.rows[number] = item
            self._shown.pop(item.path, None)
        return item

    def recorded(self, items: Iterable[Article | LoadWarning]) -> Iterator[Article | LoadWarning]:
        """`items`, each recorded as it passes."""
        return map(self.record, items)

    def settled(self) -> tuple[list[Row], list[Placed]]:
        """Rows and warnings as they stand, without the files still being read (met, but with neither an
        article nor a warning yet): written down, those would never be read again."""
        rows, warnings = list(self.rows), list(self.warnings)  # the loading thread may still append
        owners = {owner for _, owner, _ in warnings}
        keep = [isinstance(row, Article) or number in owners for number, row in enumerate(rows)]
        if all(keep):
            return rows, warnings
        before = list(accumulate(keep, initial=0))  # rows kept before each row: its new number
        rows = [row for row, kept in zip(rows, keep, strict=True) if kept]
        return rows, [(before[position], before[owner] if owner >= 0 else -1, w) for position, owner, w in warnings]

    def owned_warnings(self) -> dict[int, list[LoadWarning]]:
        """Each file's own warnings, by row."""
        owned: dict[int, list[LoadWarning]] = {}
        for _, owner, warning in self.warnings:
            if owner >= 0:
                owned.setdefault(owner, []).append(warning)
        return owned

    def walk_warnings(self) -> list[LoadWarning]:
        return [warning for _, owner, warning in self.warnings if owner < 0]

    def articles(self) -> list[Article]:
        return [row for row in self.rows if isinstance(row, Article)]


class Rescan:
    """Compares a walk with the journal of the last one: `unchanged` is the loader's callback, `item` takes
    each item the walk gives.

    As the walk goes, `journal` is rebuilt: unchanged files keep their old rows and warnings, the others are
    read again and recorded. The old rows of files read again (changed) and, after the walk (`finish`), of
    files not met (deleted) are collected with their warnings, for `take_changes`. Warnings the walk gives
    again that are still shown are not given twice; the walk's old warnings it does not give again go.
    """

    def __init__(self, old: Journal) -> None:
        self.journal = Journal()
        self._old = old
        self._index = {_source(row): number for number, row in enumerate(old.rows)}
        self._old_warnings = old.owned_warnings()
        self._shown = {warning for _, _, warning in old.warnings}
        self._walk_seen: set[LoadWarning] = set()
        self._new_rows: set[int] = set()
        self._superseded: list[Row] = []
        self._superseded_fingerprints: set[str] = set()
        self._gone: list[LoadWarning] = []
        self._finished = False
        self.checked = 0
        self.changed = False

    def unchanged(self, source: str, size: int, mtime_ns: int) -> bool:
        self.checked += 1
        number = self._index.pop(source, None)
        if number is not None:
            row = self._old.rows[number]
            if row.size == size and row.mtime_ns == mtime_ns:
                self.journal.keep(row, self._old_warnings.get(number, ()))
                return True
            self._supersede(number)
        self.changed = True
        self._new_rows.add(len(self.journal))
        return self.journal.file_met(source, size, mtime_ns)

    def _supersede(self, number: int) -> None:
        row = self._old.rows[number]
        self._superseded.append(row)
        if isinstance(row, Article):
            self._superseded_fingerprints.add(row.fingerprint)
        gone = self._old_warnings.get(number, [])
        self._gone += gone
        self._shown.difference_update(gone)

    def item(self, item: Article | LoadWarning) -> Article | LoadWarning | None:
        """An item of the walk, recorded; None for a warning already shown (the walk's own come every time)."""
        if isinstance(item, LoadWarning):
            if item in self._shown:
                self._walk_seen.add(item)
                return None
            self.changed = True
        return self.journal.record(item)

    def take_changes(self) -> tuple[list[Row], list[LoadWarning]]:
        """The old rows superseded and the warnings gone since the last call."""
        changes = self._superseded, self._gone
        self._superseded, self._gone = [], []
        return changes

    def finish(self) -> None:
        """After the whole walk: the files not met were deleted, the walk warnings not given again are gone."""
        for number in sorted(self._index.values()):
            self._supersede(number)
        self.changed |= bool(self._index)
        self._index.clear()
        old_walk = self._old.walk_warnings()
        gone = [warning for warning in old_walk if warning not in self._walk_seen]
        self._gone += gone
        self.changed |= bool(gone)
        end = len(self.journal)
        self.journal.warnings += [(end, -1, warning) for warning in old_walk if warning in self._walk_seen]
        self._finished = True

    def candidates(self) -> list[Article]:
        """Unchanged files whose text is a superseded article's: if that article was the one kept, the first of
        these now is (a cold load would have kept it)."""
        wanted = self._superseded_fingerprints
        if not wanted:
            return []
        return [
            row
            for number, row in enumerate(self.journal.rows)
            if isinstance(row, Article) and row.fingerprint in wanted and number not in self._new_rows
        ]

    def merged(self) -> Journal:
        """For a stop midway: the rows met so far, then the old rows not met yet, which are kept unchecked."""
        if self._finished:
            return self.journal
        journal = Journal()
        journal.rows, journal.warnings = list(self.journal.rows), list(self.journal.warnings)
        for number in sorted(self._index.values()):
            journal.keep(self._old.rows[number], self._old_warnings.get(number, ()))
        journal.warnings += [(len(journal), -1, warning) for warning in self._old.walk_warnings()]
        return journal


def _source(row: Row) -> str:
    assert row.source is not None, "only articles read from files are recorded"
    return row.source


# -- the file ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StorePlan:
    """What replaying the rows into a store gives, worked out when the snapshot is written so a warm start can
    fill the store in bulk: the rows that do not become articles (files that gave only warnings, and
    duplicates, each with the row of the article it repeats), the articles whose id another had (they take their
    path, as `Store.add_many` does), and both date orders as article numbers (the articles in row order,
    without the rows left out; ties in that order). `bulk` is False when ids collide even so: then the store is
    filled one article at a time."""

    skipped: list[int]
    duplicates: list[tuple[int, int]]
    renamed: list[tuple[int, str]]
    newest: list[int]
    oldest: list[int]
    bulk: bool

    def articles(self, rows: list[Row]) -> list[Article]:
        """The rows that become articles, in order, renamed where they must be. Raises SnapshotError when the
        plan does not fit the rows."""
        try:
            if any(not isinstance(rows[a], Article) or not isinstance(rows[b], Article) for a, b in self.duplicates):
                raise IndexError("a duplicate that is no article")
            if any(not isinstance(rows[number], Article) for number, _ in self.renamed):
                raise IndexError("a renamed row that is no article")
        except (IndexError, TypeError, ValueError):
            raise SnapshotError("damaged (its plan does not match its rows)") from None
        articles: list[Row] = []
        start = 0
        for number in self.skipped:
            articles += rows[start:number]
            start = number + 1
        articles += rows[start:]
        if self.renamed:
            kept = {number: index for index, number in enumerate(_kept_numbers(len(rows), self.skipped))}
            for number, article_id in self.renamed:
                row = rows[number]
                assert isinstance(row, Article), "only articles are renamed"
                articles[kept[number]] = row._replace(id=article_id)
        if FileStamp in set(map(type, articles)):
            raise SnapshotError("damaged (its plan does not match its rows)")
        return articles  # type: ignore[return-value]  # checked just above


def _kept_numbers(count: int, skipped: list[int]) -> Iterator[int]:
    left_out = set(skipped)
    return (number for number in range(count) if number not in left_out)


def store_plan(rows: Sequence[Row]) -> StorePlan:
    """The plan of the rows (see `StorePlan`): the same articles, ids and order as `Store.add_many` of every
    article of `rows`, in order, then `Store.ordered` each way."""
    first: dict[str, int] = {}  # fingerprint -> row
    ids: set[str] = set()
    skipped, duplicates, renamed, days = [], [], [], []
    bulk = True
    for number, row in enumerate(rows):
        if not isinstance(row, Article):
            skipped.append(number)
            continue
        original = first.setdefault(row.fingerprint, number)
        if original != number:
            skipped.append(number)
            duplicates.append((number, original))
            continue
        article_id = row.id
        if article_id in ids:
            article_id = row.path
            renamed.append((number, article_id))
            bulk = bulk and article_id not in ids
        ids.add(article_id)
        days.append(row.date.toordinal() if row.date else NO_DATE)
    dated = [number for number, day in enumerate(days) if day != NO_DATE]
    oldest = sorted(dated, key=days.__getitem__)
    newest = sorted(dated, key=days.__getitem__, reverse=True)  # stable: ties stay in row order
    return StorePlan(skipped, duplicates, renamed, newest, oldest, bulk)


def write_snapshot(path: Path, journal: Journal, paths: Sequence[str], max_bytes: int) -> int:
    """Write atomically (a temporary file renamed over the old one); returns the bytes written. Raises OSError."""
    rows, warnings = journal.settled()
    head = _head_rows(rows)
    head_blob = _encode_rows([rows[number] for number in head])
    chunks = [_encode_rows(rows[start : start + CHUNK_ROWS]) for start in range(0, len(rows), CHUNK_ROWS)]
    warning_blob = marshal.dumps(
        tuple(
            list(column)
            for column in zip(*((position, owner, w.path, w.reason) for position, owner, w in warnings), strict=True)
        )
        or ([], [], [], [])
    )
    plan = store_plan(rows)
    plan_blob = marshal.dumps((plan.skipped, plan.duplicates, plan.renamed, plan.newest, plan.oldest, plan.bulk))
    blobs = [head_blob, warning_blob, plan_blob, *chunks]
    header = marshal.dumps(
        {
            "python": list(sys.version_info[:2]),
            "paths": list(paths),
            "max_bytes": max_bytes,
            "rows": len(rows),
            "head": head,
            "blobs": [(len(blob), zlib.crc32(blob)) for blob in blobs],
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_bytes(path) as out:
        out.write(MAGIC + struct.pack("<I", FORMAT_VERSION) + _LENGTH.pack(len(header)) + header)
        for blob in blobs:
            out.write(blob)
        size = out.tell()
    return size


def _head_rows(rows: list[Row]) -> list[int]:
    """The rows at the top of the list, newest first: every article of the newest days, taken whole so the
    store's ties (by load order) come out as a cold load's; undated ones only when few are dated."""
    dated = [(row.date.toordinal(), number) for number, row in enumerate(rows) if isinstance(row, Article) and row.date]
    newest = heapq.nlargest(HEAD_ROWS, dated)
    head: list[int] = []
    if newest:
        cut = newest[-1][0]
        head = [number for day, number in dated if day >= cut]
        if len(head) > HEAD_MAX_ROWS:
            head = [number for day, number in dated if day > cut]
    if len(dated) < HEAD_ROWS:
        undated = (number for number, row in enumerate(rows) if isinstance(row, Article) and not row.date)
        head = sorted(head + [number for number, _ in zip(undated, range(HEAD_ROWS - len(dated)), strict=False)])
    return head


def _encode_rows(rows: list[Row]) -> bytes:
    """One chunk: its columns (marshal'd lists; titles as one UTF-16 string, see `_joined`), the display paths that
    differ from the file names (by row), and the encodings their codes stand for."""
    columns: tuple[list, ...] = tuple([] for _ in range(10))
    shown: dict[int, str] = {}
    encodings: dict[str, int] = {}
    (sources, sizes, mtimes, ids, fingerprints, days, titles, ledes, credits, codes) = columns
    for number, row in enumerate(rows):
        assert row.source is not None, "only articles read from files are recorded"
        sources.append(row.source)
        sizes.append(row.size)
        mtimes.append(row.mtime_ns)
        if isinstance(row, FileStamp):
            ids.append(None)
            fingerprints.append("")
            titles.append("")
            credits.append(None)
            days.append(NO_DATE)
            ledes.append(0)
            codes.append(0)
            continue
        ids.append(row.id)
        if row.path != row.source:
            shown[number] = row.path
        fingerprints.append(row.fingerprint)
        days.append(row.date.toordinal() if row.date else NO_DATE)
        titles.append(row.title)
        ledes.append(row.lede_length)
        credits.append(row.credit)
        codes.append(encodings.setdefault(row.encoding, len(encodings)))
    credits = _shared(credits)
    return marshal.dumps(
        (
            sources,
            sizes,
            mtimes,
            ids,
            fingerprints,
            days,
            _joined(titles),
            ledes,
            credits,
            codes,
            shown,
            list(encodings),
        )
    )


def _joined(texts: list[str]) -> bytes | list[str]:
    """Texts as one UTF-16 string, NUL between them: `decode` and `split` make a chunk's 32,768 titles ~4× faster
    than marshal makes them from its UTF-8 (Cyrillic takes a slow path there). A list when a text holds a NUL."""
    joined = "\0".join(texts)
    if joined.count("\0") != max(len(texts) - 1, 0):
        return texts
    return joined.encode("utf-16-le", "surrogatepass")


def _split(joined: bytes | list[str], count: int) -> list[str]:
    if isinstance(joined, list):
        return joined
    texts = joined.decode("utf-16-le", "surrogatepass").split("\0")
    return texts if count else []


def _shared(texts: list[str | None]) -> list[str | None]:
    """Equal texts as one object, which marshal then writes (and reads) once: credits repeat."""
    seen: dict[str, str] = {}
    return [text if text is None else seen.setdefault(text, text) for text in texts]


class Snapshot:
    """An open snapshot file: the header is checked when opened, the head and rows are read when asked."""

    def __init__(self, path: Path, paths: Sequence[str], max_bytes: int) -> None:
        """Raises FileNotFoundError when there is none, SnapshotError when it cannot be used."""
        self.path = path
        try:
            with open(path, "rb") as handle:
                start = handle.read(len(MAGIC) + 4 + _LENGTH.size)
                if not start.startswith(MAGIC):
                    raise SnapshotError("not a newsreader snapshot")
                (version,) = struct.unpack_from("<I", start, len(MAGIC))
                if version != FORMAT_VERSION:
                    raise SnapshotError(f"written in format {version}, this version reads {FORMAT_VERSION}")
                (length,) = _LENGTH.unpack_from(start, len(MAGIC) + 4)
                header = _loads(handle.read(min(length, 1 << 26)), "header")
                self._offset = len(start) + length
                size = os.fstat(handle.fileno()).st_size
        except (FileNotFoundError, NotADirectoryError):  # none there (the cache folder may be a file: writing says so)
            raise FileNotFoundError(path) from None
        except OSError as error:
            raise SnapshotError(f"cannot be read ({error.strerror or error})") from None
        except (struct.error, ValueError) as error:
            raise SnapshotError(f"damaged ({error})") from None
        self._check_header(header, paths, max_bytes, size)

    def _check_header(self, header: object, paths: Sequence[str], max_bytes: int, size: int) -> None:
        expected = {"python": list, "paths": list, "max_bytes": int, "rows": int, "head": list, "blobs": list}
        if not isinstance(header, dict) or any(not isinstance(header.get(k), t) for k, t in expected.items()):
            raise SnapshotError("damaged (its header is not one this version writes)")
        if header["python"] != list(sys.version_info[:2]):
            version = ".".join(map(str, header["python"]))
            raise SnapshotError(f"written by Python {version}, whose format this one may not read")
        if header["paths"] != list(paths) or header["max_bytes"] != max_bytes:
            raise SnapshotError("written for other paths")
        blobs = header["blobs"]
        if len(blobs) < 3 or any(not (isinstance(b, tuple) and len(b) == 2) for b in blobs):
            raise SnapshotError("damaged (its header is not one this version writes)")
        if self._offset + sum(length for length, _ in blobs) != size:
            raise SnapshotError("truncated or damaged (its size is not what its header says)")
        self.rows: int = header["rows"]
        self.head_rows: list[int] = header["head"]
        self._blobs: list[tuple[int, int]] = blobs
        self._starts = list(accumulate((length for length, _ in blobs), initial=self._offset))

    def _data(self, index: int, handle) -> bytes:
        length, crc = self._blobs[index]
        handle.seek(self._starts[index])
        data = handle.read(length)
        if len(data) != length or zlib.crc32(data) != crc:
            raise SnapshotError("damaged (a checksum does not match)")
        return data

    def _read(self, indexes: Iterable[int]) -> Iterator[object]:
        """The blobs, checked and loaded."""
        return (_loads(data, "rows") for data in self._read_data(indexes))

    def _read_data(self, indexes: Iterable[int]) -> Iterator[bytes]:
        try:
            with open(self.path, "rb") as handle:
                for index in indexes:
                    yield self._data(index, handle)
        except OSError as error:
            raise SnapshotError(f"cannot be read ({error.strerror or error})") from None

    def head(self) -> list[Article]:
        """The articles at the top of the list, in load order: on the UI thread, before the first frame."""
        rows = _decode_rows(next(self._read([0])))
        if len(rows) != len(self.head_rows) or not all(isinstance(row, Article) for row in rows):
            raise SnapshotError("damaged (its head does not match its header)")
        return rows  # type: ignore[return-value]  # checked just above

    def journal(
        self,
        head: Sequence[Article],
        cancelled: Callable[[], bool] = lambda: False,
        made: Callable[[], object] = lambda: None,
    ) -> Journal | None:
        """Every row, in walk order, the head's rows being the `head` given (the same objects); None if cancelled.
        `made` is called after each chunk's rows are made.

        The chunks' bytes are read and checked on a thread of their own, which holds the GIL little (reads and
        CRC-32s of big buffers let it go), while this one makes the rows of the chunks already read."""
        journal = Journal()
        for data in _prefetched(self._read_data(range(3, len(self._blobs)))):
            if cancelled():
                return None
            journal.rows += _decode_rows(_loads(data, "rows"))
            made()
        if len(journal.rows) != self.rows or any(not 0 <= number < self.rows for number in self.head_rows):
            raise SnapshotError("damaged (its rows do not match its header)")
        for number, article in zip(self.head_rows, head, strict=True):
            if not isinstance(journal.rows[number], Article) or journal.rows[number] != article:
                raise SnapshotError("damaged (its head does not match its rows)")
            journal.rows[number] = article
        journal.warnings = _decode_warnings(next(self._read([1])), self.rows)
        return journal

    def plan(self) -> StorePlan:
        """How the rows go into a store (see `StorePlan`)."""
        try:
            parts: list = list(next(self._read([2])))  # type: ignore[call-overload]  # a TypeError if not a sequence
            skipped, duplicates, renamed, newest, oldest, bulk = parts
            plan = StorePlan(skipped, duplicates, renamed, newest, oldest, bool(bulk))
            if any(not isinstance(part, list) for part in parts[:5]):
                raise TypeError("not lists")
            if any(not 0 <= number < self.rows for number in skipped):
                raise ValueError("a row it does not have")
        except (TypeError, ValueError) as error:
            raise SnapshotError(f"damaged (its plan: {error})") from None
        return plan


def _prefetched(blobs: Iterator[bytes], ahead: int = 4) -> Iterator[bytes]:
    """`blobs`, read on a thread of their own up to `ahead` in advance; what it raises is raised here."""
    chunks: queue.Queue[tuple[bytes | None, BaseException | None]] = queue.Queue(ahead)
    stop = threading.Event()

    def read() -> None:
        try:
            for blob in blobs:
                if stop.is_set():
                    return
                chunks.put((blob, None))
            chunks.put((None, None))
        except BaseException as error:  # handed to the reader
            chunks.put((None, error))

    reader = threading.Thread(target=read, name="snapshot-read", daemon=True)
    reader.start()
    try:
        while True:
            blob, error = chunks.get()
            if error is not None:
                raise error
            if blob is None:
                return
            yield blob
    finally:
        stop.set()
        while reader.is_alive():  # let it put what it has and see the stop
            try:
                chunks.get(timeout=0.01)
            except queue.Empty:
                pass


def _loads(data: bytes, what: str) -> object:
    try:
        return marshal.loads(data)
    except (ValueError, EOFError, TypeError) as error:
        raise SnapshotError(f"damaged ({what}: {error})") from None


def _decode_rows(blob: object) -> list[Row]:
    """Rows from one chunk of columns (see `_make_rows`)."""
    try:
        parts: list = list(blob)  # type: ignore[call-overload]  # a TypeError if it is not a sequence
        if len(parts) != 12:
            raise SnapshotError("damaged (a chunk's columns do not line up)")
        return _make_rows(*parts)
    except (TypeError, ValueError, IndexError, OverflowError, AttributeError, KeyError) as error:
        raise SnapshotError(f"damaged ({type(error).__name__}: {error})") from None


_new_tuple = tuple.__new__


def _make_rows(
    sources: list[str],
    sizes: list[int],
    mtimes: list[int],
    ids: list[str | None],
    fingerprints: list[str],
    days: list[int],
    joined_titles: bytes | list[str],
    ledes: list[int],
    credits: list[str | None],
    codes: list[int],
    shown: dict[int, str],
    encodings: list[str],
) -> list[Row]:
    """Each column's values made in one C call where it can be, and each article by `tuple.__new__` over the zipped
    columns: ~0.4 µs a row, where setting a slotted object's fields one by one took ~1.4 µs (docs/benchmarks.md)."""
    count = len(sources)
    titles = _split(joined_titles, count)
    if any(len(column) != count for column in (sizes, mtimes, ids, fingerprints, days, titles, ledes, credits, codes)):
        raise SnapshotError("damaged (a chunk's columns do not line up)")
    paths = sources
    if shown:
        paths = list(sources)
        for number, path in shown.items():
            paths[number] = path
    day_dates = {day: date_of(day) for day in set(days)}
    dates = list(map(day_dates.__getitem__, days))
    interned = [sys.intern(encoding) for encoding in encodings] or [""]
    rows: list[Row] = list(
        map(
            _new_tuple,
            repeat(Article),
            zip(
                ids,
                paths,
                dates,
                titles,
                ledes,
                credits,
                map(interned.__getitem__, codes),
                fingerprints,
                sources,
                sizes,
                mtimes,
                repeat(None),  # no origin: rows of dumps are not kept (`Journal.record`)
                repeat(None),
            ),
        )
    )
    if None in ids:  # files that gave only warnings: just their stamps
        for number, article_id in enumerate(ids):
            if article_id is None:
                rows[number] = FileStamp(sources[number], sizes[number], mtimes[number])
    return rows


def _decode_warnings(blob: object, rows: int) -> list[Placed]:
    try:
        columns: tuple[list[int], list[int], list[str], list[str]] = blob  # type: ignore[assignment]
        positions, owners, paths, reasons = columns
        placed: list[Placed] = [
            (position, owner, LoadWarning(path, reason))
            for position, owner, path, reason in zip(positions, owners, paths, reasons, strict=True)
        ]
    except (TypeError, ValueError) as error:
        raise SnapshotError(f"damaged (warnings: {error})") from None
    if any(not (0 <= position <= rows and -1 <= owner < rows) for position, owner, _ in placed):
        raise SnapshotError("damaged (a warning names a row it does not have)")
    return placed
