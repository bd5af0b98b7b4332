"""From a decoded document to an `Article` whose `text` every later offset points into.

The header date is matched strictly and never guessed: a wrong date on the
timeline is worse than an unknown one. A file without one is dated by a timestamp
printed near its top ("14.03.2017, 09:45"), with a warning that says so.
"""

import datetime
import hashlib
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Executor
from functools import lru_cache
from itertools import groupby
from typing import TYPE_CHECKING, NamedTuple

from newsreader.ingest.decode import NotText, decode, plain_utf8
from newsreader.ingest.linerules import is_boilerplate, is_credit
from newsreader.ingest.load import (
    DEFAULT_MAX_BYTES,
    DEFAULT_PATTERN,
    Document,
    Dump,
    FileStamp,
    How,
    LoadWarning,
    Unchanged,
    display_path,
    iter_documents,
    iter_listed,
    read_listed,
    reason,
)
from newsreader.ingest.metadates import text_timestamp
from newsreader.ingest.sanitize import clean_utf8_lines, sanitize

if TYPE_CHECKING:
    from newsreader.ingest.records import Origin

PARAGRAPH_SEPARATOR = "\n\n"
LEDE_MAX_CHARS = 300
CREDIT_MAX_CHARS = 150
BOILERPLATE_MAX_CHARS = 160
TEXTS_KEPT = 256  # texts of released articles kept after a read: the open one, the visible snippets
CREDIT_SEARCH_LINES = 3
HEADER_CACHED_CHARS = 64
TIMESTAMP_SEARCH_LINES = 12  # where a page without a date header prints its timestamp, blank lines included

_HEADER = re.compile(r"[ \t]*date[ \t]+(\S*)(.*)", re.IGNORECASE)
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


class Article(NamedTuple):
    """One article. `text` is title, lede and body joined by blank lines.

    The text of an article read from a file is not kept (see `released`): at a million
    articles the bodies alone would take gigabytes of heap. It is read again from the file
    when asked for, and the last few texts are kept.

    A tuple, with the file's name, size and mtime in it (`stamp` makes the `FileStamp` when asked):
    a warm start makes a million of them from the snapshot's columns in one call per chunk
    (`tuple.__new__` over `zip`), ~4× faster than setting a slotted object's fields one by one,
    and without a second object per article (docs/benchmarks.md, "Warm start"). Equality and hash
    leave out the held text, as they did when this was a dataclass.
    """

    id: str
    path: str
    date: datetime.date | None
    title: str
    lede_length: int  # characters of the lede after the title; 0 when there is none
    credit: str | None
    encoding: str
    fingerprint: str
    source: str | None = None  # the file it was read from (`FileStamp.source`), None if none
    size: int = 0  # the file's size and mtime when it was read
    mtime_ns: int = 0
    origin: "Origin | None" = None  # for a row or entry of a dump: its place and metadata (`ingest/records.py`)
    held_text: str | None = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Article) and self[:_COMPARED] == other[:_COMPARED]

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self[:_COMPARED])

    def __repr__(self) -> str:
        return f"Article(id={self.id!r}, path={self.path!r}, date={self.date!r}, title={self.title!r})"

    @classmethod
    def of(
        cls,
        id: str,  # noqa: A002 - the field's name
        path: str,
        date: datetime.date | None,
        title: str,
        lede_length: int,
        credit: str | None,
        encoding: str,
        fingerprint: str,
        stamp: FileStamp | None = None,
        held_text: str | None = None,
    ) -> "Article":
        """An article with its file's stamp given as one (or None)."""
        if stamp is None:
            return cls(id, path, date, title, lede_length, credit, encoding, fingerprint, None, 0, 0, None, held_text)
        source, size, mtime_ns = stamp.source, stamp.size, stamp.mtime_ns
        return cls(
            id, path, date, title, lede_length, credit, encoding, fingerprint, source, size, mtime_ns, None, held_text
        )

    @property
    def stamp(self) -> FileStamp | None:
        """Where it was read from, and the file's size and mtime then; None for an article not from a file."""
        return None if self.source is None else FileStamp(self.source, self.size, self.mtime_ns)

    @property
    def text(self) -> str:
        if self.held_text is not None:
            return self.held_text
        if self.origin is not None:
            return self.origin.text
        assert self.source is not None, "an article is released only when it has a file to be read from"
        return _text_from_file(self.source, self.fingerprint, self.size)

    @property
    def lede(self) -> str | None:
        if not self.lede_length:
            return None
        start = len(self.title) + len(PARAGRAPH_SEPARATOR)
        return self.text[start : start + self.lede_length]

    @property
    def body(self) -> tuple[str, ...]:
        """The body paragraphs, sliced from `text` so each character is held once."""
        start = len(self.title) + len(PARAGRAPH_SEPARATOR)
        if self.lede_length:
            start += self.lede_length + len(PARAGRAPH_SEPARATOR)
        text = self.text
        return tuple(text[start:].split(PARAGRAPH_SEPARATOR)) if start < len(text) else ()

    def released(self) -> "Article":
        """This article without its text in memory, when the text can be read again from its file (or, for a
        dump's row, from where its origin keeps it)."""
        return self if self.source is None or self.held_text is None else self._replace(held_text=None)


_COMPARED = len(Article._fields) - 1  # every field but the held text


# Date, title, lede length, credit, fingerprint and text (None when it was not asked for).
Parsed = tuple[datetime.date | None, str, int, str | None, str, str | None]

# What parsing one file gives, before it becomes an `Article`: date, title, lede length, credit,
# fingerprint, text (None once left out), encoding, size, mtime_ns. A worker's chunk of them crosses
# back in columns (`ingest/parallel.Batch`).
Fields = tuple[datetime.date | None, str, int, str | None, str, str | None, str, int, int]


def parse(document: Document) -> tuple[Article, list[LoadWarning]]:
    """Split a document into header date, title, lede, credit and body."""
    parsed, problems = _parse_lines(document.text.split("\n"))
    date, title, lede_length, credit, fingerprint, text = parsed
    assert text is not None, "a text is left out only when asked"
    article = Article.of(
        document.id,
        document.path,
        date,
        title,
        lede_length,
        credit,
        document.encoding,
        fingerprint,
        document.stamp,
        text,
    )
    return article, [LoadWarning(document.path, problem) for problem in problems]


def read_article(path: str, how: How, max_bytes: int, keep_text: bool = True) -> tuple[list[str], Fields | None]:
    """Read, decode, sanitise and parse one listed file: the reasons of its warnings, in order, and its
    fields (None when it is skipped; the text None unless kept, when it was not needed). The same as
    `parse` on `iter_documents`' document of that file.

    Plain UTF-8 that needs no sanitising but for no-break spaces and tabs (most files) is decoded
    once and split into lines once, and the text is built once, by the parse; when the file is
    already laid out as the text (see `_laid_out`), its own bytes are fingerprinted.
    """
    read = read_listed(path, how, max_bytes)
    if isinstance(read, str):
        return [read], None
    data, info, changed = read
    reasons = [changed] if changed else []
    text = plain_utf8(data)
    cleaned = None if text is None else clean_utf8_lines(data, text)
    if cleaned is not None:
        lines, as_is = cleaned
        parsed, problems = _parse_lines(lines, data if as_is else None, keep_text)
        encoding = "utf-8"
    else:
        try:
            decoded = decode(data)
        except NotText as error:
            return [reason(error)], None
        if decoded.problem:
            reasons.append(decoded.problem)
        parsed, problems = _parse_lines(sanitize(decoded.text).split("\n"))
        encoding = decoded.encoding
    reasons += problems
    return reasons, (*parsed, encoding, info.st_size, info.st_mtime_ns)


def article_of(path: str, shown: str, relative: str, fields: Fields, keep_text: bool) -> Article:
    """The `Article` of a file read by `read_article`; `shown` is its display path."""
    date, title, lede_length, credit, fingerprint, text, encoding, size, mtime_ns = fields
    return _new_article(
        Article,
        (
            relative if shown is path else display_path(relative),  # a path shown as it is: so is its end
            shown,
            date,
            title,
            lede_length,
            credit,
            sys.intern(encoding),
            fingerprint,
            path,
            size,
            mtime_ns,
            None,
            text if keep_text else None,
        ),
    )


NO_DATE = 0  # the ordinal that stands for no date where dates cross as ordinals (a worker's batch, a snapshot)
DATES_KEPT = 100_000  # a hostile archive may hold every day of 9999 years
KNOWN_DATES: dict[int, datetime.date | None] = {NO_DATE: None}


def date_of(day: int) -> datetime.date | None:
    """The date of an ordinal (None for NO_DATE). Articles of one day share one date object: dates
    unpickled or unmarshalled each on its own would take 32 MB at a million articles."""
    date = KNOWN_DATES.get(day)
    if date is None and day != NO_DATE:
        date = datetime.date.fromordinal(day)
        if len(KNOWN_DATES) < DATES_KEPT:
            KNOWN_DATES[day] = date
    return date


_new_article = tuple.__new__  # the tuple at once: the named tuple's own __new__ is a Python call with 13 arguments


def _parse_lines(lines: list[str], data: bytes | None = None, keep_text: bool = True) -> tuple[Parsed, list[str]]:
    """Date, title, lede length, credit, fingerprint and text from a sanitised text's lines (the list is
    used up), and the problems met. `data`, when given, is the UTF-8 of the lines joined by newlines
    (the file as read); the text is left out when it is not kept and was not needed."""
    problems: list[str] = []
    date, prefix, problem = _header(lines[0])
    if problem:
        date, problem = _dated_by_text(lines, problem)
        problems.append(problem)
    elif data is not None and (laid_out := _laid_out(lines, data)) is not None:
        paragraphs, pieces, cut = laid_out
        kept = [line for line in paragraphs if len(line) > BOILERPLATE_MAX_CHARS or not is_boilerplate(line)]
        if len(kept) < len(paragraphs):  # a boilerplate line dropped: the text is joined anew
            return _fields(kept, date, prefix, problems), problems
        return _fields(kept, date, prefix, problems, pieces, cut, keep_text), problems
    else:
        del lines[0]
    return parse_body(lines, date, prefix, problems), problems


def _laid_out(lines: list[str], data: bytes) -> tuple[list[str], tuple[bytes, ...], int | None] | None:
    """When the file (`lines`, read as `data`) is laid out as its text: the lines after the header, the
    pieces of `data` that make the UTF-8 of the text, and the place among the lines of one left out of
    those pieces (None: none). Otherwise None.

    Laid out as the text: one stripped line a paragraph, one blank line between two, at most one newline
    at the end (most files); or so but for a line right under the lede (lines[4]), where a press site
    prints a photo credit. Then parsing's stripping and dropping of blank lines leave every line as it
    is, and unless a line is dropped as boilerplate or a credit other than the line left out is taken,
    the text's UTF-8 is in hand: no join and no encoding needed.
    """
    cut = None
    body = lines
    if len(lines) > 5 and lines[3] and lines[4] and not lines[5]:  # title, blank, lede, credit, blank
        body, cut = lines[:4] + lines[5:], 2
    paragraphs = body[1::2]
    if not paragraphs or any(body[2::2]) or not all(paragraphs) or list(map(str.strip, paragraphs)) != paragraphs:
        return None
    start, end = data.find(b"\n") + 1, len(data) - 1 if data.endswith(b"\n") else len(data)
    if cut is None:
        return paragraphs, (data[start:end],), None
    credit = lines[4]
    if credit.strip() != credit:
        return None
    paragraphs.insert(cut, credit)
    under = start  # where the line under the lede begins: after the title's, the blank line's and the lede's ends
    for _ in range(3):
        under = data.find(b"\n", under) + 1
    return paragraphs, (data[start:under], data[data.find(b"\n", under) + 1 : end]), cut


def _dated_by_text(lines: list[str], problem: str) -> tuple[datetime.date | None, str]:
    """An article without a date header is dated by a timestamp among its first lines ("14.03.2017, 09:45"),
    and the header's problem says so. The fingerprint still begins with no date: the file is the same article
    whatever its text says."""
    for line in lines[:TIMESTAMP_SEARCH_LINES]:
        if found := text_timestamp(line):
            date, written = found
            return date, f"{problem}; dated {date} by the timestamp '{' '.join(written.split())}' in its text"
    return None, problem


def parse_body(
    lines: list[str], date: datetime.date | None, prefix: bytes, problems: list[str], title: str = ""
) -> Parsed:
    """What `_parse_lines` gives for the lines after the header (a dump's row has its date apart): boilerplate
    and blank lines dropped, the credit taken out, and the fingerprint of `prefix` (the date's line) and the text.
    A `title` given apart (a dump's title column) is kept as it is, boilerplate or not."""
    kept = [
        line
        for line in map(str.strip, lines)
        if line and (len(line) > BOILERPLATE_MAX_CHARS or not is_boilerplate(line))
    ]
    if title:
        kept.insert(0, title)
    return _fields(kept, date, prefix, problems)


def _fields(
    kept: list[str],
    date: datetime.date | None,
    prefix: bytes,
    problems: list[str],
    pieces: tuple[bytes, ...] = (),
    cut: int | None = None,
    keep_text: bool = True,
) -> Parsed:
    """The parse of the lines kept (the list is used up). `pieces`, when given, make the UTF-8 of the text
    with the line at `cut` taken out (None: none), and are fingerprinted when that is the credit taken out."""
    if not kept:
        problems.append("no text after the header")
        kept = ["(untitled)"]
    credit_at = _credit_at(kept)
    credit = None if credit_at is None else kept.pop(credit_at)
    lede_length = len(kept[1]) if len(kept) > 2 and len(kept[1]) <= LEDE_MAX_CHARS else 0
    digest = hashlib.blake2b(prefix, digest_size=16)
    if pieces and credit_at == cut:
        text = PARAGRAPH_SEPARATOR.join(kept) if keep_text else None
        for piece in pieces:
            digest.update(piece)
    else:
        text = PARAGRAPH_SEPARATOR.join(kept)
        digest.update(text.encode("utf-8", "surrogatepass"))
    return date, kept[0], lede_length, credit, digest.hexdigest(), text


def date_line(date: datetime.date | None) -> bytes:
    """What a fingerprint begins with: the header's date, so a text is the same article however it is dated."""
    return f"{date}\n".encode()


def _header(line: str) -> tuple[datetime.date | None, bytes, str | None]:
    """`_header_date` of the first line, and the start of the fingerprinted bytes; short lines (every real
    header) are looked up in a cache, which also makes articles of one day share their date."""
    return _cached_header(line) if len(line) <= HEADER_CACHED_CHARS else _read_header(line)


def _read_header(line: str) -> tuple[datetime.date | None, bytes, str | None]:
    date, problem = _header_date(line)
    return date, date_line(date), problem


_cached_header = lru_cache(maxsize=4096)(_read_header)


def _header_date(line: str) -> tuple[datetime.date | None, str | None]:
    """The header's date, or the problem with the header (then the line is content)."""
    match = _HEADER.fullmatch(line)
    if not match:
        return None, "missing date header"
    token = match.group(1)
    parts = _ISO_DATE.fullmatch(token)
    if parts:
        try:
            return datetime.date(*map(int, parts.groups())), None
        except ValueError:
            pass
    shown = token if len(token) <= 40 else token[:40] + "…"
    return None, f"invalid date header '{shown}'"


def _credit_at(lines: list[str]) -> int | None:
    """Where the first photo credit is among the lines just after the title (`lines[0]`), if any."""
    for index in range(1, min(len(lines), 1 + CREDIT_SEARCH_LINES)):
        line = lines[index]
        if len(line) <= CREDIT_MAX_CHARS and is_credit(line):
            return index
    return None


@lru_cache(maxsize=TEXTS_KEPT)
def _text_from_file(source: str, fingerprint: str, size: int) -> str:
    """The text of a released article, read again from its file; a notice instead when it cannot be.

    A file changed since it was loaded gives its new text: what is on disk is what the reader
    wants, and the next start (or the background rescan) takes in the change.
    """
    reasons = []
    for item in iter_documents([source], max_bytes=max(size, DEFAULT_MAX_BYTES)):
        if isinstance(item, LoadWarning):
            reasons.append(item.reason)
        else:
            return parse(item)[0].text
    shown = display_path(source)
    return f"{shown}\n\nThis article's file could not be read again: {'; '.join(reasons) or 'no text'}."


def iter_articles(
    paths: Iterable[str | os.PathLike],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    pattern: str = DEFAULT_PATTERN,
    unchanged: Unchanged | None = None,
    keep_text: bool = True,
    pool: Executor | None = None,
    columns: Mapping[str, str] | None = None,
) -> Iterator[Article | LoadWarning]:
    """Load, decode and parse, yielding each article (or warning) as soon as it is ready, in
    `iter_listed`'s order; the first three options are `iter_documents`'s.

    Without `keep_text` the articles come released (see `Article.released`), as a store keeps them.
    With a `pool` of worker processes (e.g. `runtime.processes.background_pool(2)`), files are read
    there, in the same order (see `newsreader.ingest.parallel`); the pool stays the caller's to stop.
    Dump files (CSV, JSON, HTML, feeds) are read in order too (`ingest/dumpload`), a big one in the pool;
    `columns` maps their fields to columns of other names (`ingest/dumps`).
    """
    from newsreader.ingest.dumpload import iter_dump  # these import this module
    from newsreader.ingest.parallel import iter_chunks

    listed = iter_listed(paths, pattern, unchanged, dumps=True)
    for is_dump, run in groupby(listed, key=_is_dump):
        if not is_dump:
            yield from iter_chunks(run, pool, max_bytes, keep_text)
            continue
        for dump in run:
            assert isinstance(dump, Dump)
            yield from iter_dump(dump.path, dump.relative, dump.how, keep_text, columns, pool)


def _is_dump(found: object) -> bool:
    return type(found) is Dump
