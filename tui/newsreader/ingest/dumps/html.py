"""Saved HTML pages (one record each, by trafilatura) and HTML fragments of feed entries, as plain text.

trafilatura keeps the main text of a page and drops menus, scripts and styles; lxml resolves
entities. It is imported only when a page is met (~150 ms).
"""

from collections.abc import Iterator

from newsreader.ingest.dumps.compressed import Source
from newsreader.ingest.dumps.fields import RecordMaker
from newsreader.ingest.dumps.limits import Limits, size_text
from newsreader.ingest.dumps.records import Record, RecordProblem
from newsreader.ingest.metadates import metadata_date, url_date


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
