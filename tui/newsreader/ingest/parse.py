"""From a decoded document to an `Article` whose `text` every later offset points into.

The header date is matched strictly and never guessed: a wrong date on the
timeline is worse than an unknown one.
"""

import datetime
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from newsreader.ingest.load import Document, LoadWarning, iter_documents

PARAGRAPH_SEPARATOR = "\n\n"
LEDE_MAX_CHARS = 300
CREDIT_MAX_CHARS = 150
BOILERPLATE_MAX_CHARS = 160
CREDIT_SEARCH_LINES = 3

_HEADER = re.compile(r"[ \t]*date[ \t]+(\S*)(.*)", re.IGNORECASE)
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


@dataclass(frozen=True, slots=True)
class Article:
    """One article. `text` is title, lede and body joined by blank lines."""

    id: str
    path: str
    date: datetime.date | None
    title: str
    lede: str | None
    credit: str | None
    text: str
    encoding: str
    fingerprint: str

    @property
    def body(self) -> tuple[str, ...]:
        """The body paragraphs, sliced from `text` so the store holds each character once."""
        start = len(self.title) + len(PARAGRAPH_SEPARATOR)
        if self.lede is not None:
            start += len(self.lede) + len(PARAGRAPH_SEPARATOR)
        return tuple(self.text[start:].split(PARAGRAPH_SEPARATOR)) if start < len(self.text) else ()


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
    article = Article(document.id, document.path, date, title, lede, credit, text, document.encoding, fingerprint)
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


def iter_articles(paths: Iterable[str], **load_options) -> Iterator[Article | LoadWarning]:
    """Load, decode and parse, yielding each article (or warning) as soon as it is ready."""
    for item in iter_documents(paths, **load_options):
        if isinstance(item, LoadWarning):
            yield item
            continue
        article, warnings = parse(item)
        yield from warnings
        yield article
