"""Articles from the rows and entries of dump files (CSV, JSON, HTML, feeds; see `ingest/dumps`).

A row becomes an article as a text file does (the same line rules, lede, credit and fingerprint, so an
article is the same whichever form it came in) with its place and metadata in an `Origin`. A dump has no
cheap way to read one row back (a million-row .csv.gz would be read up to the row), so a released row's
text goes on a shelf: a nameless file in the user cache, read back by offset.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator, Mapping
from typing import NamedTuple

from newsreader.ingest.dumps import Record, RecordProblem, iter_records
from newsreader.ingest.load import FileStamp, LoadWarning, display_path, open_listed, reason
from newsreader.ingest.parse import Article, date_line, parse_body
from newsreader.ingest.sanitize import clean_utf8, sanitize, sanitize_line
from newsreader.shelf import Shelf

HELD = -1  # `Origin.text_at` of a row whose text is still in its article
ENCODING = "utf-8"  # what a row's text is given as: the dump's own bytes are decoded by its reader


class Origin(NamedTuple):
    """Where in its dump an article was, and what the dump said about it."""

    row: int
    member: str | None
    url: str | None
    outlet: str | None
    authors: tuple[str, ...]
    topics: tuple[str, ...]
    text_at: int = HELD  # where its text is on the shelf, once released
    text_size: int = 0

    @property
    def text(self) -> str:
        assert self.text_at != HELD, "a row's text is on the shelf once its article is released"
        return _texts.get(self.text_at, self.text_size).decode("utf-8", "surrogatepass")

    def shelved(self, text: str) -> Origin:
        """This origin with `text` put on the shelf."""
        data = text.encode("utf-8", "surrogatepass")
        return self._replace(text_at=_texts.put(data), text_size=len(data))


_texts = Shelf(prefix="texts-")


def iter_dump(
    path: str, relative: str, how: int | tuple[int, int], keep_text: bool, columns: Mapping[str, str] | None = None
) -> Iterator[Article | LoadWarning]:
    """The articles of one dump file and the warnings about it, in its order; its rows' ids are the dump's
    (relative to the folder opened) with `#row` after it: `lenta.csv.gz#12345`."""
    shown, name = display_path(path), display_path(relative)
    stamp = _stamp(path, how)
    if isinstance(stamp, str):
        yield LoadWarning(shown, stamp)
        return
    for item in iter_records(path, columns=columns):
        if isinstance(item, RecordProblem):
            yield LoadWarning(_place(shown, item.member, item.row), sanitize_line(item.reason))
            continue
        article, problems = record_article(item, name, shown, stamp)
        for problem in problems:
            yield LoadWarning(article.path, problem)
        yield article if keep_text else article.released()
        if shelf_problem := _texts.take_problem():
            yield LoadWarning("dump texts", shelf_problem)


def _stamp(path: str, how: int | tuple[int, int]) -> FileStamp | str:
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


def record_article(record: Record, name: str, shown: str, stamp: FileStamp) -> tuple[Article, list[str]]:
    """The article of one row of the dump `name` (shown as `shown`), and the problems its text had."""
    problems: list[str] = []
    title = sanitize_line(record.title).strip()
    lines = _clean_lines(record.text)
    if title:
        lines.insert(0, title)
    parsed = parse_body(lines, record.date, date_line(record.date), problems)
    date, title, lede_length, credit, fingerprint, text = parsed
    member = None if record.member is None else display_path(record.member)
    origin = Origin(
        record.row,
        member,
        _optional_line(record.url),
        None if record.outlet is None else sys.intern(sanitize_line(record.outlet)),
        tuple(sys.intern(sanitize_line(author)) for author in record.authors),
        tuple(sys.intern(sanitize_line(topic)) for topic in record.topics),
    )
    article = Article(
        _place(name, member, record.row),
        _place(shown, member, record.row),
        date,
        title,
        lede_length,
        credit,
        ENCODING,
        fingerprint,
        stamp.source,
        stamp.size,
        stamp.mtime_ns,
        origin,
        text,
    )
    return article, problems


def _place(dump: str, member: str | None, row: int | None) -> str:
    """`dump#row`, or `dump/member#row` for a row of a file inside a zip; the dump alone for the whole file."""
    where = dump if member is None else f"{dump}/{member}"
    return where if row is None else f"{where}#{row}"


def _clean_lines(text: str) -> list[str]:
    """`sanitize(text)`'s lines, by the fast path a text file takes when it can."""
    try:
        lines = clean_utf8(text.encode("utf-8"), text)
    except UnicodeEncodeError:  # lone surrogates: the full pass removes them
        lines = None
    return lines if lines is not None else sanitize(text).split("\n")


def _optional_line(value: str | None) -> str | None:
    return None if value is None else sanitize_line(value).strip() or None
