"""Articles from the rows and entries of dump files (CSV, JSON, HTML, feeds; see `ingest/dumps`), and the
columns they are cached as (`ingest/dumpcache`; `ingest/dumpload` puts the two together).

A row becomes an article as a text file does (the same line rules, lede, credit and fingerprint, so an
article is the same whichever form it came in) with its place and metadata in an `Origin`. A dump has no
cheap way to read one row back (a million-row .csv.gz would be read up to the row), so each row's text is
put somewhere it can be read back from by offset (`Texts`): the dump's cache entry, or a shelf.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Generator, Hashable, Iterator, Mapping
from functools import lru_cache
from itertools import repeat
from typing import Any, NamedTuple, Protocol

from newsreader.ingest import dumpcache
from newsreader.ingest.dumps import Record, RecordProblem, iter_records
from newsreader.ingest.load import FileStamp, LoadWarning, display_path
from newsreader.ingest.parse import TEXTS_KEPT, Article, date_line, parse_body
from newsreader.ingest.sanitize import clean_utf8, sanitize, sanitize_line

ENCODING = "utf-8"  # what a row's text is given as: the dump's own bytes are decoded by its reader


class Texts(Hashable, Protocol):
    def put(self, data: bytes) -> int: ...

    def get(self, offset: int, size: int) -> bytes: ...


class Origin(NamedTuple):
    """Where in its dump an article was, what the dump said about it, and where its text is kept."""

    row: int
    member: str | None
    url: str | None
    outlet: str | None
    authors: tuple[str, ...]
    topics: tuple[str, ...]
    texts: Texts
    text_at: int
    text_size: int

    @property
    def text(self) -> str:
        return _text_at(self.texts, self.text_at, self.text_size)


@lru_cache(maxsize=TEXTS_KEPT)
def _text_at(texts: Texts, at: int, size: int) -> str:
    """A row's text, read back; the last few are kept, as a file's are: the reader asks for it per line drawn."""
    return texts.get(at, size).decode("utf-8", "surrogatepass")


_NEW_TUPLE = tuple.__new__


def parsed_rows(
    path: str, name: str, shown: str, stamp: FileStamp, texts: Texts, columns: Mapping[str, str] | None
) -> Generator[Article | LoadWarning, None, None]:
    """Each row's warnings and article (holding its text), in the dump's order."""
    for item in iter_records(path, columns=columns):
        if isinstance(item, RecordProblem):
            yield LoadWarning(place(shown, item.member, item.row), sanitize_line(item.reason))
            continue
        article, problems = record_article(item, name, shown, stamp, texts)
        for problem in problems:
            yield LoadWarning(article.path, problem)
        yield article


def record_article(record: Record, name: str, shown: str, stamp: FileStamp, texts: Texts) -> tuple[Article, list[str]]:
    """The article of one row of the dump `name` (shown as `shown`), holding its text, which is also put in
    `texts`; and the problems its text had. Raises OSError when `texts` cannot take it.

    Its fingerprint is a text file's (date and text) with the row's URL after the date: one story printed by
    two outlets is two articles, the same row in two dumps is one."""
    problems: list[str] = []
    url = _optional_line(record.url)
    prefix = date_line(record.date) + (b"" if url is None else f"{url}\n".encode("utf-8", "surrogatepass"))
    title = sanitize_line(record.title).strip()
    parsed = parse_body(_clean_lines(record.text), record.date, prefix, problems, title)
    date, title, lede_length, credit, fingerprint, text = parsed
    assert text is not None, "parse_body keeps the text"
    data = text.encode("utf-8", "surrogatepass")
    member = None if record.member is None else display_path(record.member)
    origin = Origin(
        record.row,
        member,
        url,
        None if record.outlet is None else sys.intern(sanitize_line(record.outlet)),
        tuple(sys.intern(sanitize_line(author)) for author in record.authors),
        tuple(sys.intern(sanitize_line(topic)) for topic in record.topics),
        texts,
        texts.put(data),
        len(data),
    )
    where = place(name, member, record.row), place(shown, member, record.row)
    source, size, mtime_ns = stamp.source, stamp.size, stamp.mtime_ns
    article = Article(
        *where, date, title, lede_length, credit, ENCODING, fingerprint, source, size, mtime_ns, origin, text
    )
    return article, problems


def place(dump: str, member: str | None, row: int | None) -> str:
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


# -- the cache's columns ---------------------------------------------------------------------------


def encode_items(items: list[Article | LoadWarning]) -> tuple:
    """One chunk of a dump's cache entry: the articles' fields in columns (their text and place left out: the
    text is in the entry's texts, the place is the dump's), and the warnings with the number of articles
    before each."""
    articles = [item for item in items if isinstance(item, Article)]
    origins = [_origin(article) for article in articles]
    warnings, before = [], 0
    for item in items:
        if isinstance(item, Article):
            before += 1
        else:
            warnings.append((before, item.path, item.reason))
    return (
        [article.date.toordinal() if article.date else 0 for article in articles],
        [article.title for article in articles],
        [article.lede_length for article in articles],
        [article.credit for article in articles],
        [article.fingerprint for article in articles],
        *([origin[field] for origin in origins] for field in range(6)),  # row, member, url, outlet, authors, topics
        [origin.text_at for origin in origins],
        [origin.text_size for origin in origins],
        warnings,
    )


def _origin(article: Article) -> Origin:
    assert article.origin is not None, "only a dump's rows are cached"
    return article.origin


def decoded_items(
    texts: dumpcache.TextFile, chunks: Iterator[Any], name: str, shown: str, stamp: FileStamp
) -> Iterator[Article | LoadWarning]:
    """The articles and warnings of a dump's cache entry, in their order; each article made in one C call.
    Raises CacheError for a chunk that is not what `encode_items` makes."""
    dates: dict[int, datetime.date | None] = {0: None}
    source, size, mtime_ns = stamp.source, stamp.size, stamp.mtime_ns
    for chunk in chunks:
        try:
            *columns, warnings = chunk
            days, titles, ledes, credits, fingerprints, rows, members, urls, outlets, authors, topics = columns[:11]
            at, sizes = columns[11:]
            if len({len(column) for column in columns}) != 1:
                raise ValueError("its columns do not line up")
            for day in set(days) - dates.keys():
                dates[day] = datetime.date.fromordinal(day)
            origins = list(
                map(
                    _NEW_TUPLE,
                    repeat(Origin),
                    zip(
                        rows,
                        members,
                        urls,
                        outlets,
                        map(tuple, authors),
                        map(tuple, topics),
                        repeat(texts),
                        at,
                        sizes,
                    ),
                )
            )
            articles = list(
                map(
                    _NEW_TUPLE,
                    repeat(Article),
                    zip(
                        [place(name, member, row) for member, row in zip(members, rows, strict=True)],
                        [place(shown, member, row) for member, row in zip(members, rows, strict=True)],
                        map(dates.__getitem__, days),
                        titles,
                        ledes,
                        credits,
                        repeat(ENCODING),
                        fingerprints,
                        repeat(source),
                        repeat(size),
                        repeat(mtime_ns),
                        origins,
                        repeat(None),
                    ),
                )
            )
        except (TypeError, ValueError) as error:
            raise dumpcache.CacheError(f"damaged ({error})") from None
        position = 0
        for before, path, why in warnings:
            yield from articles[position:before]
            position = before
            yield LoadWarning(path, why)
        yield from articles[position:]
