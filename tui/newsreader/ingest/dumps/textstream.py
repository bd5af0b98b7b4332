"""A dump's bytes as text, decoded a chunk at a time in the encoding its first bytes show.

The encoding is chosen by `ingest/decode.py`'s rules (a BOM, UTF-8, else the legacy Cyrillic code
page that reads most like Russian) on the head of the stream. Bytes that do not decode become
U+FFFD; their count is exact by the end (a U+FFFD written in the file is not counted), so the file
gets one problem saying so, not one per row.
"""

import codecs
import io
from collections.abc import Callable, Iterator
from itertools import repeat

from newsreader.ingest.decode import NotText, decode
from newsreader.ingest.dumps.compressed import Source
from newsreader.ingest.dumps.fields import RecordMaker
from newsreader.ingest.dumps.records import Record, RecordProblem, StopFile
from newsreader.wording import plural

CHUNK_BYTES = 256 * 1024


class DecodedText:
    """Text chunks and bounded lines of a binary stream; `replaced` counts undecodable bytes."""

    def __init__(self, open_stream: Callable[[], io.BufferedReader], head: bytes) -> None:
        self.encoding, self.legacy = _encoding(head)  # before opening: a binary file is not opened
        self.stream = open_stream()
        self.decoder = codecs.getincrementaldecoder(self.encoding)(errors="replace")
        self.replacement = _encoded_replacement(self.encoding)
        self.decoded_replacements = 0
        self.written_replacements = 0
        self.too_long_lines = 0
        self.newline = "\r" if b"\r" in head and b"\n" not in head else "\n"  # an old Mac's CR-only lines

    @property
    def replaced(self) -> int:
        return max(self.decoded_replacements - self.written_replacements, 0)

    def chunks(self) -> Iterator[str]:
        while True:
            data = self.stream.read(CHUNK_BYTES)
            text = self.decoder.decode(data, final=not data)
            if "\ufffd" in text:
                self.decoded_replacements += text.count("\ufffd")
                if self.replacement:
                    self.written_replacements += data.count(self.replacement)
            if text:
                yield text
            if not data:
                return

    def lines(self, max_chars: int) -> Iterator[str]:
        """Lines with their ends; a line longer than `max_chars` is dropped whole and counted in `too_long_lines`.

        Each chunk is split in one call, and its lines are given by `map`: a generator step per line
        costs more than the CSV reader's work on it."""
        newline = self.newline
        pending = ""
        skipping = False
        for chunk in self.chunks():
            if pending:
                chunk, pending = pending + chunk, ""
            parts = chunk.split(newline)
            rest = parts.pop()
            if skipping and parts:
                del parts[0]  # the end of a line too long, begun in an earlier chunk
                skipping = False
            if not parts or max(map(len, parts)) < max_chars:
                yield from map(str.__add__, parts, repeat(newline))
            else:  # one at a time: a reader counts the lines dropped as it goes
                for part in parts:
                    if len(part) < max_chars:
                        yield part + newline
                    else:
                        self.too_long_lines += 1
            if skipping:
                continue
            if len(rest) > max_chars:
                self.too_long_lines += 1
                skipping = True
            else:
                pending = rest
        if pending and not skipping:
            yield pending

    def encoding_note(self) -> str | None:
        """Said before the records: the legacy code page the file is read in."""
        return f"read as {self.encoding} (not UTF-8)" if self.legacy else None

    def replaced_note(self) -> str | None:
        """Said after the records, when the count is known: the bytes that did not decode."""
        return f"{plural(self.replaced, 'undecodable byte')} replaced with U+FFFD" if self.replaced else None

    def close(self) -> None:
        self.stream.close()


def read_text_dump(
    source: Source, head: bytes, maker: RecordMaker, body: Callable[[DecodedText], Iterator[Record | RecordProblem]]
) -> Iterator[Record | RecordProblem]:
    """The records `body` reads from the source's text, with the encoding said before them and the
    undecodable bytes after; the stream is closed however reading ends."""
    text = DecodedText(source.open, head)
    try:
        if note := text.encoding_note():
            yield maker.problem(None, note)
        yield from body(text)
        if note := text.replaced_note():
            yield maker.problem(None, note)
    finally:
        text.close()


def _encoding(head: bytes) -> tuple[str, bool]:
    """(encoding, whether it is a legacy code page); StopFile when the head is binary."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", False  # the codec that drops the BOM, so it is not part of the first column's name
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)  # a character may be cut at the end
        return "utf-8", False
    except UnicodeDecodeError:
        pass
    try:
        decoded = decode(head)
    except NotText as error:
        raise StopFile(f"not text: {error}") from None
    encoding = decoded.encoding
    return encoding, encoding not in ("utf-8", "utf-16", "utf-32")


def _encoded_replacement(encoding: str) -> bytes | None:
    """U+FFFD as a UTF-8 file holds it, to tell a written one from a replaced byte; None for other encodings
    (a legacy code page cannot hold it; in UTF-16 and UTF-32 a written one is counted as replaced)."""
    return "\ufffd".encode() if encoding.startswith("utf-8") else None
