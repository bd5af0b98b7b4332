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

import datetime
import hashlib
import heapq
import marshal
import os
import struct
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import accumulate
from pathlib import Path

import platformdirs

from newsreader.ingest.load import FileStamp, LoadWarning, display_path
from newsreader.ingest.parse import Article

MAGIC = b"newsreader snapshot\n"
FORMAT_VERSION = 1
SNAPSHOT_FOLDER = "snapshots"
CHUNK_ROWS = 32_768  # one marshal call per column of a chunk: ~10 ms with the GIL held, at most
HEAD_ROWS = 200  # a tall terminal's first screen, and a few pages more
HEAD_MAX_ROWS = 5_000  # the newest day is taken whole; a bigger one is left to the rest
_LENGTH = struct.Struct("<Q")
_NO_DATE = 0

Row = Article | FileStamp  # a file that gave an article (its stamp inside it), or one that gave only warnings
Placed = tuple[int, int, LoadWarning]  # (rows recorded before it, owning row or -1 for the walk's, warning)


class SnapshotError(Exception):
    """The snapshot cannot be used; the message says why, for the one warning."""


def snapshot_path(paths: Sequence[str], max_bytes: int) -> Path:
    """One snapshot per set of opened paths, as given (ids are relative to them) and from where (if relative)."""
    key = "\0".join([os.getcwd() if any(not os.path.isabs(path) for path in paths) else "", str(max_bytes), *paths])
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
    return Path(platformdirs.user_cache_dir("newsreader")) / SNAPSHOT_FOLDER / f"{digest}.snapshot"


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
        source = row.source if isinstance(row, FileStamp) else _stamp(row).source
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
        if item.stamp is not None:
            number = self._pending.pop(item.stamp.source, None)
            if number is None:  # a file the loader read without asking (it could not stat it first)
                number = self._add_row(item)
                del self._pending[item.stamp.source]
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


def _stamp(article: Article) -> FileStamp:
    assert article.stamp is not None, "only articles read from files are recorded"
    return article.stamp


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
            stamp = row if isinstance(row, FileStamp) else _stamp(row)
            if stamp.size == size and stamp.mtime_ns == mtime_ns:
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
    return row.source if isinstance(row, FileStamp) else _stamp(row).source


# -- the file ---------------------------------------------------------------------------------


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
    blobs = [head_blob, warning_blob, *chunks]
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
    descriptor, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(MAGIC + struct.pack("<I", FORMAT_VERSION) + _LENGTH.pack(len(header)) + header)
            for blob in blobs:
                out.write(blob)
            size = out.tell()
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
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
    columns: tuple[list, ...] = tuple([] for _ in range(11))
    encodings: dict[str, int] = {}
    (sources, sizes, mtimes, ids, shown, fingerprints, days, titles, ledes, credits, codes) = columns
    for row in rows:
        stamp = row if isinstance(row, FileStamp) else _stamp(row)
        sources.append(stamp.source)
        sizes.append(stamp.size)
        mtimes.append(stamp.mtime_ns)
        if isinstance(row, FileStamp):
            for column in (ids, shown, fingerprints, titles, credits):
                column.append(None)
            days.append(_NO_DATE)
            ledes.append(0)
            codes.append(0)
            continue
        ids.append(row.id)
        shown.append(None if row.path == stamp.source else row.path)
        fingerprints.append(row.fingerprint)
        days.append(row.date.toordinal() if row.date else _NO_DATE)
        titles.append(row.title)
        ledes.append(row.lede_length)
        credits.append(row.credit)
        codes.append(encodings.setdefault(row.encoding, len(encodings)))
    return marshal.dumps((*columns, list(encodings)))


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
        if len(blobs) < 2 or any(not (isinstance(b, tuple) and len(b) == 2) for b in blobs):
            raise SnapshotError("damaged (its header is not one this version writes)")
        if self._offset + sum(length for length, _ in blobs) != size:
            raise SnapshotError("truncated or damaged (its size is not what its header says)")
        self.rows: int = header["rows"]
        self.head_rows: list[int] = header["head"]
        self._blobs: list[tuple[int, int]] = blobs

    def _blob(self, index: int, handle) -> object:
        offset = self._offset + sum(length for length, _ in self._blobs[:index])
        length, crc = self._blobs[index]
        handle.seek(offset)
        data = handle.read(length)
        if len(data) != length or zlib.crc32(data) != crc:
            raise SnapshotError("damaged (a checksum does not match)")
        return _loads(data, "rows")

    def _read(self, indexes: Iterable[int]) -> Iterator[object]:
        try:
            with open(self.path, "rb") as handle:
                for index in indexes:
                    yield self._blob(index, handle)
        except OSError as error:
            raise SnapshotError(f"cannot be read ({error.strerror or error})") from None

    def head(self) -> list[Article]:
        """The articles at the top of the list, in load order: on the UI thread, before the first frame."""
        rows = _decode_rows(next(self._read([0])))
        if len(rows) != len(self.head_rows) or not all(isinstance(row, Article) for row in rows):
            raise SnapshotError("damaged (its head does not match its header)")
        return rows  # type: ignore[return-value]  # checked just above

    def journal(self, head: Sequence[Article], cancelled: Callable[[], bool] = lambda: False) -> Journal | None:
        """Every row, in walk order, the head's rows being the `head` given (the same objects); None if cancelled."""
        journal = Journal()
        for blob in self._read(range(2, len(self._blobs))):
            if cancelled():
                return None
            journal.rows += _decode_rows(blob)
        if len(journal.rows) != self.rows or any(not 0 <= number < self.rows for number in self.head_rows):
            raise SnapshotError("damaged (its rows do not match its header)")
        for number, article in zip(self.head_rows, head, strict=True):
            if not isinstance(journal.rows[number], Article) or journal.rows[number] != article:
                raise SnapshotError("damaged (its head does not match its rows)")
            journal.rows[number] = article
        journal.warnings = _decode_warnings(next(self._read([1])), self.rows)
        return journal


def _loads(data: bytes, what: str) -> object:
    try:
        return marshal.loads(data)
    except (ValueError, EOFError, TypeError) as error:
        raise SnapshotError(f"damaged ({what}: {error})") from None


_new = object.__new__
_DATES: dict[int, datetime.date | None] = {_NO_DATE: None}


def _date(day: int) -> datetime.date | None:
    date = _DATES.get(day)
    if date is None and day != _NO_DATE:
        date = _DATES[day] = datetime.date.fromordinal(day)
    return date


def _decode_rows(blob: object) -> list[Row]:
    """Rows from one chunk of columns. Articles are made by setting their slots, as their own unpickling
    does: the dataclass's __init__ costs twice as much, a second at a million (docs/benchmarks.md)."""
    try:
        parts: list[list] = list(blob)  # type: ignore[call-overload]  # a TypeError if it is not a sequence
        *columns, encodings = parts
        if len(columns) != 11 or len({len(column) for column in columns}) != 1:
            raise SnapshotError("damaged (a chunk's columns do not line up)")
        return _make_rows(columns, encodings)
    except (TypeError, ValueError, IndexError, OverflowError, AttributeError) as error:
        raise SnapshotError(f"damaged ({type(error).__name__}: {error})") from None


ARTICLE_SLOTS = (
    "id",
    "path",
    "date",
    "title",
    "lede_length",
    "credit",
    "encoding",
    "fingerprint",
    "stamp",
    "held_text",
)
STAMP_SLOTS = ("source", "size", "mtime_ns")


def _setters(cls: type, names: tuple[str, ...]) -> list[Callable[[object, object], None]]:
    return [getattr(cls, name).__set__ for name in names]


def _make_rows(columns: list[list], encodings: list[str]) -> list[Row]:
    set_id, set_path, set_date, set_title, set_lede, set_credit, set_encoding, set_fingerprint, set_stamp, set_held = (
        _setters(Article, ARTICLE_SLOTS)
    )
    set_source, set_size, set_mtime = _setters(FileStamp, STAMP_SLOTS)
    dates = _DATES
    rows: list[Row] = []
    append = rows.append
    for source, size, mtime_ns, article_id, shown, fingerprint, day, title, lede, credit, code in zip(
        *columns, strict=True
    ):
        stamp = _new(FileStamp)
        set_source(stamp, source)
        set_size(stamp, size)
        set_mtime(stamp, mtime_ns)
        if article_id is None:
            append(stamp)
            continue
        article = _new(Article)
        set_id(article, article_id)
        set_path(article, source if shown is None else shown)
        set_date(article, dates[day] if day in dates else _date(day))
        set_title(article, title)
        set_lede(article, lede)
        set_credit(article, credit)
        set_encoding(article, encodings[code])
        set_fingerprint(article, fingerprint)
        set_stamp(article, stamp)
        set_held(article, None)
        append(article)
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
