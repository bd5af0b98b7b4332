"""A row's values (a CSV row, or a JSON object's values) made into a Record, with the row's problems."""

import dataclasses
import re
from collections.abc import Iterable, Iterator, Sequence

from newsreader.ingest.dumps.columns import ColumnMap
from newsreader.ingest.dumps.limits import Limits
from newsreader.ingest.dumps.markup import html_to_text, looks_like_html
from newsreader.ingest.dumps.records import Record, RecordProblem
from newsreader.ingest.metadates import metadata_date, url_date
from newsreader.ingest.sanitize import sanitize_line

_LIST_SEPARATORS = re.compile(r"[,;|]")
_HOST = re.compile(r"\s*[a-z][a-z0-9+.-]*://(?:[^@/?#\s]*@)?([^/?#:@\s\[\]]+)", re.IGNORECASE)


class RecordMaker:
    """Makes the records of one file (or zip member) under its limits."""

    def __init__(self, member: str | None, limits: Limits) -> None:
        self.member = member
        self.limits = limits

    def problem(self, row: int | None, reason: str) -> RecordProblem:
        return RecordProblem(row, self.member, sanitize_line(reason))

    def make(self, row: int, values: Sequence[object], columns: ColumnMap) -> Iterator[Record | RecordProblem]:
        """The record of one row (after any problems it has), or only a problem when it has no text."""
        field = {name: values[index] if index < len(values) else None for name, index in columns.single.items()}
        text = _text(field.get("text"))
        if text is None:
            not_text = field.get("text") is not None
            yield self.problem(row, f"the '{columns.name_of('text')}' value is not text" if not_text else "no text")
            return
        if looks_like_html(text):
            text = html_to_text(text)
        title = _one_line(field.get("title"))
        if "&" in title or "<" in title:
            title = " ".join(html_to_text(title).split())
        url = _one_line(field.get("url")).strip() or None
        day, date_problem = None, None
        written_date = _one_line(field.get("date")).strip()
        if written_date:
            day, date_problem = metadata_date(written_date)
        if day is None and url:
            day = url_date(url)
        if written_date and date_problem:
            instead = "; the URL's date is used" if day else ""
            yield self.problem(row, f"date column '{columns.name_of('date')}': {date_problem}{instead}")
        outlet = _one_line(field.get("outlet")).strip() or host_of(url)
        most = self.limits.max_list_items
        authors = _items(field.get("authors"), most)
        topics = _items([values[index] for index in columns.topics if index < len(values)], most)
        yield from self.checked(Record(row, self.member, title, text, day, url, outlet, authors, topics))

    def checked(self, record: Record) -> Iterator[Record | RecordProblem]:
        """The record cut to the limits, after a problem for each cut; only a problem when it has no text."""
        limits = self.limits
        if "\r" in record.text:  # CRLF inside a quoted CSV field, or an old Mac's CR
            record = dataclasses.replace(record, text=record.text.replace("\r\n", "\n").replace("\r", "\n"))
        if not record.text or record.text.isspace():  # isspace: no copy of a long text, as strip() makes
            yield self.problem(record.row, "no text")
            return
        if len(record.text) > limits.max_text_chars:
            yield self.problem(
                record.row, f"text cut to {limits.max_text_chars:,} characters (it has {len(record.text):,})"
            )
            record = dataclasses.replace(record, text=record.text[: limits.max_text_chars])
        if len(record.title) > limits.max_title_chars:
            yield self.problem(record.row, f"title cut to {limits.max_title_chars:,} characters")
            record = dataclasses.replace(record, title=record.title[: limits.max_title_chars])
        yield record


def _text(value: object) -> str | None:
    """The body: a string, or a list of paragraph strings; None when it is something else or absent."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(paragraph, str) for paragraph in value):
        return "\n\n".join(value)
    return None


def _one_line(value: object) -> str:
    """A metadata value as a string: numbers are written out, an object stands for its "name" (as
    {"source": {"id": null, "name": "Lenta"}} in news API exports); anything else (a list, null) is ""."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict) and isinstance(name := value.get("name"), str):
        return name
    return ""


def _items(value: object, most: int) -> tuple[str, ...]:
    """Authors or topics: strings split on , ; and |, or lists of them, in order, each once."""
    if isinstance(value, str):
        pieces: Iterable[str] = (value,)
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        pieces = value
    else:
        pieces = _flattened(value, depth=3)
    found: dict[str, None] = {}
    for piece in pieces:
        for name in _LIST_SEPARATORS.split(piece):
            if (name := name.strip()) and len(found) < most:
                found[name] = None
    return tuple(found)


def _flattened(value: object, depth: int) -> Iterator[str]:
    if isinstance(value, list):
        if depth:
            for item in value:
                yield from _flattened(item, depth - 1)
    else:
        yield _one_line(value)


def host_of(url: str | None) -> str | None:
    """The URL's host, lower case and without "www.": the outlet of a record that names none."""
    match = _HOST.match(url) if url else None
    return match[1].lower().removeprefix("www.") if match else None
