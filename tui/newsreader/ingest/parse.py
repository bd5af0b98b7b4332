"""From a decoded document to an `Article` whose `text` every later offset points into.

The header date is matched strictly and never guessed: a wrong date on the
timeline is worse than an unknown one.
"""

import datetime
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from importlib import resources

from newsreader.ingest.load import (
    DEFAULT_MAX_BYTES,
    Document,
    FileStamp,
    LoadWarning,
    display_path,
    iter_documents,
)

PARAGRAPH_SEPARATOR = "\n\n"
LEDE_MAX_CHARS = 300
CREDIT_MAX_CHARS = 150
BOILERPLATE_MAX_CHARS = 160
TEXTS_KEPT = 256  # texts of released articles kept after a read: the open one, the visible snippets
CREDIT_SEARCH_LINES = 3

_HEADER = re.compile(r"[ \t]*date[ \t]+(\S*)(.*)", re.IGNORECASE)
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


@dataclass(frozen=True, slots=True)
class Article:
    """One article. `text` is title, lede and body joined by blank lines.

    The text of an article read from a file is not kept (see `released`): at a million
    articles the bodies alone would take gigabytes of heap. It is read again from the file
    when asked for, and the last few texts are kept.
    """

    id: str
    path: str
    date: datetime.date | None
    title: str
    lede_length: int  # characters of the lede after the title; 0 when there is none
    credit: str | None
    encoding: str
    fingerprint: str
    stamp: FileStamp | None = None
    held_text: str | None = field(default=None, compare=False, repr=False)

    @property
    def text(self) -> str:
        if self.held_text is not None:
            return self.held_text
        assert self.stamp is not None, "an article is released only when it has a file to be read from"
        return _text_from_file(self.stamp.source, self.fingerprint, self.stamp.size)

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
        """This article without its text in memory, when the text can be read again from its file."""
        return self if self.stamp is None or self.held_text is None else replace(self, held_text=None)


def parse(document: Document) -> tuple[Article, list[LoadWarning]]:
    """Split a document into header date, title, lede, credit and body."""
    warnings = []
    first_line, _, rest = document.text.partition("\n")
    date, problem = _header_date(first_line)
    if problem:
        warnings.append(LoadWarning(document.path, problem))
        rest = document.text
    lines = [line for line in (raw.strip() for raw in rest.split("\n")) if line and not _is_boilerplate(line)]
    if not lines:
        warnings.append(LoadWarning(document.path, "no text after the header"))
        lines = ["(untitled)"]
    title, following = lines[0], lines[1:]
    credit = _take_credit(following)
    lede = None
    if len(following) > 1 and len(following[0]) <= LEDE_MAX_CHARS:
        lede = following.pop(0)
    text = PARAGRAPH_SEPARATOR.join([title] + ([lede] if lede else []) + following)
    fingerprint = hashlib.blake2b(f"{date}\n{text}".encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    article = Article(
        document.id,
        document.path,
        date,
        title,
        len(lede) if lede else 0,
        credit,
        document.encoding,
        fingerprint,
        document.stamp,
        text,
    )
    return article, warnings


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


def _take_credit(lines: list[str]) -> str | None:
    """Remove and return the first photo credit among the lines just after the title."""
    for index, line in enumerate(lines[:CREDIT_SEARCH_LINES]):
        if len(line) <= CREDIT_MAX_CHARS and _rules("credits.txt", 0).fullmatch(line):
            return lines.pop(index)
    return None


def _is_boilerplate(line: str) -> bool:
    return len(line) <= BOILERPLATE_MAX_CHARS and _rules("boilerplate.txt", re.IGNORECASE).fullmatch(line) is not None


@cache
def _rules(name: str, flags: int) -> re.Pattern:
    """Compile a rule file shipped in `newsreader/ingest/rules/` (one regex a line) into one pattern."""
    source = resources.files("newsreader.ingest").joinpath("rules", name).read_text("utf-8")
    rules = [line for line in source.splitlines() if line.strip() and not line.startswith("#")]
    return re.compile("|".join(f"(?:{rule})" for rule in rules), flags)


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


def iter_articles(paths: Iterable[str | os.PathLike], **load_options) -> Iterator[Article | LoadWarning]:
    """Load, decode and parse, yielding each article (or warning) as soon as it is ready; the options
    are `iter_documents`'s."""
    for item in iter_documents(paths, **load_options):
        if isinstance(item, LoadWarning):
            yield item
            continue
        article, warnings = parse(item)
        yield from warnings
        yield article
