"""CSV and TSV dumps with a header row, read a row at a time."""

import csv
import itertools
from collections import deque
from collections.abc import Iterator, Mapping

from newsreader.ingest.dumps.columns import ColumnMap, column_map
from newsreader.ingest.dumps.compressed import Source
from newsreader.ingest.dumps.detect import split_name
from newsreader.ingest.dumps.fields import RecordMaker
from newsreader.ingest.dumps.limits import Limits
from newsreader.ingest.dumps.records import Record, RecordProblem
from newsreader.ingest.dumps.textstream import DecodedText, read_text_dump
from newsreader.wording import plural

DELIMITERS = ",;\t|"
C_LONG_MAX = 2**31 - 1  # csv.field_size_limit takes a C long, 32 bits on some platforms


def read_table(
    source: Source, head: bytes, maker: RecordMaker, columns: Mapping[str, str] | None, limits: Limits
) -> Iterator[Record | RecordProblem]:
    tab_separated = split_name(source.member or source.name)[2] == ".tsv"
    return read_text_dump(source, head, maker, lambda text: _rows(text, maker, columns, limits, tab_separated))


def _rows(
    text: DecodedText, maker: RecordMaker, columns: Mapping[str, str] | None, limits: Limits, tab_separated: bool
) -> Iterator[Record | RecordProblem]:
    _allow_fields_of(limits.max_field_chars)
    lines = text.lines(limits.max_field_chars)
    first = next(lines, None)
    if text.too_long_lines:
        yield maker.problem(None, f"the first line is longer than {limits.max_field_chars:,} characters: not a header")
        return
    if first is None:
        yield maker.problem(None, "empty: no header row")
        return
    delimiter = "\t" if tab_separated and "\t" in first else max(DELIMITERS, key=first.count)
    source = _Lines(itertools.chain((first,), lines))
    reader = csv.reader(source, delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except csv.Error as error:
        yield maker.problem(None, f"the header row cannot be read: {error}")
        return
    mapping = column_map(header, columns)
    if problem := _unusable(mapping):
        yield maker.problem(None, problem)
        return
    if mapping.missing:
        named = ", ".join(f"'{name}'" for name in mapping.missing)
        yield maker.problem(None, f"no column {named} (asked for with --columns): the usual columns are read")
    row, too_long_lines = 0, 0
    while True:
        source.consumed = []
        try:
            rows = [next(reader)]
        except StopIteration:
            if text.too_long_lines > too_long_lines:
                yield maker.problem(row + 1, f"a line longer than {limits.max_field_chars:,} characters was skipped")
            return
        except csv.Error as error:
            rows, problem = _read_leniently(source, str(error), delimiter)
            reader = csv.reader(source, delimiter=delimiter, strict=True)  # the lines given back come first
            yield maker.problem(row + 1, problem)
        for values in rows:
            if not values:
                continue  # a blank line
            row += 1
            if text.too_long_lines > too_long_lines:
                too_long_lines = text.too_long_lines
                yield maker.problem(row, f"a line longer than {limits.max_field_chars:,} characters was skipped")
            if row > limits.max_records:
                yield maker.problem(None, f"stopped after {plural(limits.max_records, 'row')}")
                return
            if len(values) != len(header):
                yield maker.problem(row, f"{plural(len(values), 'field')} where the header has {len(header)}: skipped")
                continue
            yield from maker.make(row, values, mapping)


class _Lines:
    """The lines given to the CSV reader, those of the record being read kept (`consumed`), so a record the
    strict reader refuses can be read again leniently; lines given back (`pending`) come first."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self.pending: deque[str] = deque()
        self.consumed: list[str] = []

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        line = self.pending.popleft() if self.pending else next(self._lines)
        self.consumed.append(line)
        return line


def _read_leniently(source: _Lines, error: str, delimiter: str) -> tuple[list[list[str]], str]:
    """The rows of a record the strict reader refused, read as Python's lenient reader does, and what was
    wrong. A quote never closed would take the rest of the file (or as much as a field may hold) into one
    field: only its own line is taken, and the lines after it are given back to be read as rows."""
    consumed = source.consumed
    if "unexpected end of data" in error or "field larger than field limit" in error:
        source.pending.extendleft(reversed(consumed[1:]))
        rows = list(csv.reader(consumed[:1], delimiter=delimiter))
        return rows, "a quote opened in this row is never closed: the row ends with its line, the next lines are rows"
    if "new-line character seen in unquoted field" in error:
        consumed = [line.replace("\r\n", "\n").replace("\r", " ") for line in consumed]
        problem = "a carriage return alone inside a field, read as a space"
    else:
        problem = "a quote in the wrong place; read as well as it can be"
    try:
        return list(csv.reader(consumed, delimiter=delimiter)), problem
    except csv.Error as lenient_error:
        return [], f"the row cannot be read ({lenient_error}): skipped"


def _unusable(mapping: ColumnMap) -> str | None:
    if "text" not in mapping.single:
        return f"no text column (text, body or content); the header has {_header_names(mapping)}"
    return None


def _header_names(mapping: ColumnMap) -> str:
    shown = ", ".join(name[:40] for name in mapping.names[:20])
    return shown + (", …" if len(mapping.names) > 20 else "")


def _allow_fields_of(chars: int) -> None:
    """Raise csv's process-wide field cap to `chars` if it is lower; never lower it under another reader."""
    wanted = min(chars, C_LONG_MAX)
    if csv.field_size_limit() < wanted:
        csv.field_size_limit(wanted)
