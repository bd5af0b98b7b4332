"""JSON Lines (one object a line), JSON arrays of objects, and one object (an article, or a wrapper
such as {"status": "ok", "articles": [...]} whose first array holds the articles), all streamed.

An array is read an element at a time with `JSONDecoder.raw_decode` over a window of the text
that grows only while an element is incomplete, so memory is bounded by the largest element
(at most `max_field_chars`), not by the file.
"""

import json
from collections.abc import Iterator, Mapping

from newsreader.ingest.dumps.columns import ColumnMap, column_map
from newsreader.ingest.dumps.compressed import Source
from newsreader.ingest.dumps.fields import RecordMaker
from newsreader.ingest.dumps.limits import Limits
from newsreader.ingest.dumps.records import Record, RecordProblem
from newsreader.ingest.dumps.textstream import DecodedText, read_text_dump
from newsreader.wording import plural

_WHITESPACE = " \t\r\n"
_MAX_BLANK = 1024 * 1024  # blank characters looked through after a "[", at most
_DECODER = json.JSONDecoder()
_JSON_TYPES = {list: "array", str: "string", int: "number", float: "number", bool: "true or false", type(None): "null"}


def read_json(
    source: Source, head: bytes, kind: str, maker: RecordMaker, columns: Mapping[str, str] | None, limits: Limits
) -> Iterator[Record | RecordProblem]:
    """`kind`: "jsonl", "json" (an array) or "json-object"."""
    entries = {"jsonl": _json_lines, "json": _array_entries, "json-object": _object_entries}[kind]

    def body(text: DecodedText) -> Iterator[Record | RecordProblem]:
        objects = _Objects(maker, columns, limits)
        for row, entry in entries(text, limits):
            yield from objects.records(row, entry)
            if objects.stopped:
                return

    return read_text_dump(source, head, maker, body)


class _Objects:
    """Entries to records: each key set is mapped once (a dump's objects mostly share one)."""

    def __init__(self, maker: RecordMaker, columns: Mapping[str, str] | None, limits: Limits) -> None:
        self.maker = maker
        self.columns = columns
        self.limits = limits
        self.mappings: dict[tuple[str, ...], ColumnMap] = {}
        self.count = 0
        self.stopped = False

    def records(self, row: int | None, entry: object) -> Iterator[Record | RecordProblem]:
        maker = self.maker
        if isinstance(entry, _Unreadable):
            yield maker.problem(row, entry.reason)
            return
        if not isinstance(entry, dict):
            yield maker.problem(row, f"a JSON {_JSON_TYPES.get(type(entry), 'value')}, not an object")
            return
        self.count += 1
        if self.count > self.limits.max_records:
            yield maker.problem(None, f"stopped after {plural(self.limits.max_records, 'entry', 'entries')}")
            self.stopped = True
            return
        keys = tuple(entry)
        mapping = self.mappings.get(keys)
        if mapping is None:
            if len(self.mappings) > 1000:
                self.mappings.clear()
            mapping = self.mappings[keys] = column_map(keys, self.columns)
        if "text" not in mapping.single and self.columns and "text" in self.columns:
            yield maker.problem(row, f"no key '{self.columns['text']}' (asked for with --columns), nor a usual one")
            return
        assert row is not None
        yield from maker.make(row, list(entry.values()), mapping)


def _json_lines(text: DecodedText, limits: Limits) -> Iterator[tuple[int | None, object]]:
    """(line number, object or problem) for each non-blank line; lines too long are reported, not parsed."""
    number, too_long = 0, 0
    too_long_line = _Unreadable(f"longer than {limits.max_field_chars:,} characters; skipped")
    for line in text.lines(limits.max_field_chars):
        number += 1
        if text.too_long_lines > too_long:
            number += text.too_long_lines - too_long
            too_long = text.too_long_lines
            yield number - 1, too_long_line
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except (ValueError, RecursionError) as error:  # ValueError: also a number of more than 4,300 digits
            yield number, _Unreadable(f"not valid JSON: {error}")
    if text.too_long_lines > too_long:
        yield number + 1, too_long_line


def _array_entries(text: DecodedText, limits: Limits) -> Iterator[tuple[int | None, object]]:
    """(entry number, object or problem) for each element of one top-level array."""
    window = _Window(text)
    if not window.skip_space() or window.peek() != "[":
        yield None, _Unreadable("not a JSON array of objects")
        return
    yield from _elements(window, limits)


def _object_entries(text: DecodedText, limits: Limits) -> Iterator[tuple[int | None, object]]:
    """The elements of the first array of objects among the object's values; with none, the object itself."""
    window = _Window(text)
    if not window.skip_space() or window.peek() != "{":
        yield None, _Unreadable("not JSON Lines, a JSON array or a JSON object")
        return
    window.position += 1
    members: dict[str, object] = {}
    while window.skip_space() and window.peek() != "}":
        key = window.next_value(limits.max_field_chars)
        if not (
            isinstance(key, _Value) and isinstance(key.value, str) and window.skip_space() and window.peek() == ":"
        ):
            yield None, _Unreadable("the JSON object cannot be read")
            return
        window.position += 1
        if window.skip_space() and window.peek() == "[" and window.first_after_bracket() == "{":
            yield from _elements(window, limits)
            return
        value = window.next_value(limits.max_field_chars)
        if isinstance(value, _Unreadable):
            yield None, value
            return
        members[key.value] = value.value
        if window.skip_space() and window.peek() == ",":
            window.position += 1
    yield 1, members


def _elements(window: "_Window", limits: Limits) -> Iterator[tuple[int | None, object]]:
    """The elements of the array whose "[" is at the window's position."""
    window.position += 1
    number = 0
    while True:
        if not window.skip_space():
            yield None, _Unreadable("the JSON array is not closed; the file ends early")
            return
        if window.peek() == "]":
            return
        number += 1
        entry = window.next_value(limits.max_field_chars)
        if isinstance(entry, _Unreadable):
            yield number, _Unreadable(f"{entry.reason}; the rest of the array is not read")
            return
        yield number, entry.value
        if not window.skip_space():
            yield None, _Unreadable("the JSON array is not closed; the file ends early")
            return
        if window.peek() == ",":
            window.position += 1
        elif window.peek() != "]":
            yield number, _Unreadable("no comma after this entry; the rest of the array is not read")
            return


class _Value:
    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value


class _Unreadable:
    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


class _Window:
    """The unread part of the text, refilled a chunk at a time."""

    def __init__(self, text: DecodedText) -> None:
        self.chunks = text.chunks()
        self.buffer = ""
        self.position = 0
        self.ended = False

    def peek(self) -> str:
        return self.buffer[self.position]

    def more(self) -> bool:
        """Append the next chunk, dropping what was read; False at the end of the text."""
        chunk = next(self.chunks, None)
        if chunk is None:
            self.ended = True
            return False
        self.buffer = self.buffer[self.position :] + chunk
        self.position = 0
        return True

    def first_after_bracket(self) -> str | None:
        """The first non-blank character after the "[" at the position, which stays where it is."""
        index = self.position + 1
        while True:
            while index < len(self.buffer) and self.buffer[index] in _WHITESPACE:
                index += 1
            if index < len(self.buffer):
                return self.buffer[index]
            if index - self.position > _MAX_BLANK:
                return None
            chunk = next(self.chunks, None)
            if chunk is None:
                self.ended = True
                return None
            self.buffer += chunk  # kept whole: the position must not move

    def skip_space(self) -> bool:
        """Move to the next non-blank character; False when the text ends first."""
        while True:
            while self.position < len(self.buffer) and self.buffer[self.position] in _WHITESPACE:
                self.position += 1
            if self.position < len(self.buffer):
                return True
            if not self.more():
                return False

    def next_value(self, max_chars: int) -> _Value | _Unreadable:
        """Decode the value at the position, reading on while it is incomplete (a value must be followed
        by something, or by the end, to be known whole: a number could go on in the next chunk)."""
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.position)
            except json.JSONDecodeError as error:
                if self.ended or len(self.buffer) - self.position > max_chars:
                    return _Unreadable(_too_long_or_invalid(self, max_chars, error))
                self.more()
                continue
            except RecursionError:
                return _Unreadable("nested too deeply")
            except ValueError as error:  # a number of more than 4,300 digits, which int() refuses
                return _Unreadable(f"not valid JSON: {error}")
            if end < len(self.buffer) or self.ended or not self.more():
                if end - self.position > max_chars:
                    return _Unreadable(f"longer than {max_chars:,} characters")
                self.position = end
                return _Value(value)
            # more text arrived: decode again, the value may go on


def _too_long_or_invalid(window: _Window, max_chars: int, error: json.JSONDecodeError) -> str:
    if len(window.buffer) - window.position > max_chars:
        return f"longer than {max_chars:,} characters, or not valid JSON"
    if window.ended:
        return f"not valid JSON, or cut short by the end of the file: {error.msg}"
    return f"not valid JSON: {error.msg}"
