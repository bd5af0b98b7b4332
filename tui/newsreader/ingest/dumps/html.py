"""Saved HTML pages (one record each, by trafilatura) and HTML fragments of feed entries, as plain text.

trafilatura keeps the main text of a page and drops menus, scripts and styles; lxml resolves
entities. It is imported only when a page is met (~150 ms).
"""

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from newsreader.ingest.dumps.compressed import Source
from newsreader.ingest.dumps.fields import RecordMaker
from newsreader.ingest.dumps.limits import Limits, size_text
from newsreader.ingest.dumps.records import Record, RecordProblem
from newsreader.ingest.metadates import metadata_date, url_date

_BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li"
    " main nav ol p pre section table td th tr ul".split()
)
_DECLARATION = re.compile(r"<!(?!--)")  # any "<!" but a comment's
_HIDDEN = frozenset(("script", "style", "template", "noscript", "iframe", "object", "svg", "math", "head"))


def read_whole(source: Source, limits: Limits) -> bytes | str:
    """The document's bytes, or a problem (str) when it is over the document cap: pages and feeds are parsed whole."""
    with source.open() as stream:
        data = stream.read(limits.max_document_bytes + 1)
    if len(data) > limits.max_document_bytes:
        return f"larger than {size_text(limits.max_document_bytes)}: not read (a page or feed is parsed whole)"
    return data


def read_page(source: Source, maker: RecordMaker, limits: Limits) -> Iterator[Record | RecordProblem]:
    data = read_whole(source, limits)
    if isinstance(data, str):
        yield maker.problem(None, data)
        return
    import trafilatura  # only when a page is met: ~150 ms to import
    from trafilatura.settings import Document

    try:
        document = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False, include_tables=True)
    except Exception as error:  # noqa: BLE001 - a library failing on one hostile page must not stop the folder
        yield maker.problem(None, f"the page cannot be read: {type(error).__name__}: {error}")
        return
    if not isinstance(document, Document) or not (document.text or "").strip():
        yield maker.problem(None, "no main text found in the page")
        return
    url = document.url or None
    day = None
    if document.date:
        day, _ = metadata_date(document.date)
    if day is None and url:
        day = url_date(url)
    authors = tuple(name.strip() for name in (document.author or "").split(";") if name.strip())
    topics = tuple(dict.fromkeys([*(document.categories or []), *(document.tags or [])]))
    title = document.title or ""
    record = Record(
        1,
        maker.member,
        title,
        _without_title(document.text or "", title),
        day,
        url,
        document.sitename or document.hostname or None,
        authors,
        topics,
    )
    yield from maker.checked(record)


def _without_title(text: str, title: str) -> str:
    """The text without its first line when that only repeats the title (a page's <h1>), as in a text file."""
    first, _, rest = text.partition("\n")
    return rest if title and first.strip() == title.strip() and rest.strip() else text


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities resolved, script and style content gone,
    block elements on lines of their own."""
    try:
        parts = _parsed(fragment)
    except AssertionError:  # html.parser refuses some "<!" declarations ("<![foo[") by assertion
        parts = _parsed(_DECLARATION.sub("&lt;!", fragment))
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _parsed(fragment: str) -> list[str]:
    parser = _TextParser()
    parser.feed(fragment)
    parser.close()
    return parser.parts


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)
