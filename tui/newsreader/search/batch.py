"""A batch of queries: one a line of a text file, in the full search language.

Blank lines and lines whose first character that is not a space is `#` are skipped; `#` inside a
query is part of it (a hashtag). Each query is parsed on its own, so a bad one is reported with
its line number and the others still run. The file is decoded as article files are (UTF-8 with
or without a byte-order mark, UTF-16, or the Cyrillic code pages a list saved on Windows has).
"""

from collections.abc import Iterator
from dataclasses import dataclass

from newsreader.ingest.decode import NotText, decode
from newsreader.search.query import Query, parse_query, query_error

MAX_BATCH_BYTES = 16 * 2**20  # a list of names; a bigger file is most likely the wrong file


@dataclass(frozen=True, slots=True)
class BatchLine:
    """Line `number` (from 1) of the file; `error` says why its query is not run, else None."""

    number: int
    text: str
    query: Query
    error: str | None


class BatchFileError(ValueError):
    """The file cannot be read as a list of queries at all."""


def batch_text(data: bytes) -> str:
    """The text of a batch file's bytes. Raises BatchFileError."""
    if len(data) > MAX_BATCH_BYTES:
        raise BatchFileError(f"larger than {MAX_BATCH_BYTES // 2**20} MiB: not a list of queries")
    try:
        return decode(data).text
    except NotText as error:
        raise BatchFileError(f"not a text file ({error})") from None


def batch_lines(text: str, literal: bool = False) -> Iterator[BatchLine]:
    """Each query of the text with its line number, comments and blank lines left out."""
    for number, line in enumerate(text.splitlines(), start=1):
        query_text = line.strip()
        if not query_text or query_text.startswith("#"):
            continue
        parsed = parse_query(query_text, literal)
        yield BatchLine(number, query_text, parsed, query_error(parsed, literal))
