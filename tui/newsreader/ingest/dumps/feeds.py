"""RSS and Atom feeds, one record per entry, read by feedparser from bytes (it never fetches anything)."""

import datetime
from collections.abc import Iterator

from newsreader.ingest.dumps.compressed import Source
from newsreader.ingest.dumps.fields import RecordMaker, host_of
from newsreader.ingest.dumps.html import read_whole
from newsreader.ingest.dumps.limits import Limits
from newsreader.ingest.dumps.markup import html_to_text
from newsreader.ingest.dumps.records import Record, RecordProblem
from newsreader.ingest.metadates import metadata_date, url_date
from newsreader.wording import plural

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_feed(source: Source, maker: RecordMaker, limits: Limits) -> Iterator[Record | RecordProblem]:
    data = read_whole(source, limits)
    if isinstance(data, str):
        yield maker.problem(None, data)
        return
    import feedparser  # only when a feed is met: ~50 ms to import

    try:
        feed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=True)  # bytes: never a URL
    except Exception as error:  # noqa: BLE001 - a library failing on one hostile feed must not stop the folder
        yield maker.problem(None, f"the feed cannot be read: {type(error).__name__}: {error}")
        return
    entries = feed.get("entries") or []
    if feed.get("bozo"):
        reason = feed.get("bozo_exception")
        read = f"{plural(len(entries), 'entry', 'entries')} read" if entries else "no entries read"
        yield maker.problem(None, f"not a well-formed feed ({reason}); {read}")
    elif not entries:
        yield maker.problem(None, "no entries: not an RSS or Atom feed, or an empty one")
    feed_title = (feed.get("feed") or {}).get("title") or None
    for number, entry in enumerate(entries[: limits.max_records], start=1):
        yield from maker.checked(_record(maker, number, entry, feed_title))
    if len(entries) > limits.max_records:
        yield maker.problem(None, f"stopped after {plural(limits.max_records, 'entry', 'entries')}")


def _record(maker: RecordMaker, number: int, entry, feed_title: str | None) -> Record:
    url = entry.get("link") or None
    authors = tuple(
        dict.fromkeys(name for author in entry.get("authors") or [] if (name := (author.get("name") or "").strip()))
    )
    topics = tuple(dict.fromkeys(term for tag in entry.get("tags") or [] if (term := (tag.get("term") or "").strip())))
    title = entry.get("title") or ""
    if (entry.get("title_detail") or {}).get("type") in _HTML_TYPES:
        title = html_to_text(title).replace("\n", " ")
    return Record(
        number,
        maker.member,
        title,
        _body(entry),
        _entry_date(entry, url),
        url,
        host_of(url) or feed_title,
        authors[: maker.limits.max_list_items],
        topics[: maker.limits.max_list_items],
    )


def _body(entry) -> str:
    """The fullest text an entry has: its content, else its summary; HTML made plain."""
    for detail in [*(entry.get("content") or []), entry.get("summary_detail") or {}]:
        value = detail.get("value") or ""
        text = html_to_text(value) if detail.get("type") in _HTML_TYPES else value
        if text.strip():
            return text
    return ""


def _entry_date(entry, url: str | None) -> datetime.date | None:
    """The date as the feed writes it (in its own zone), else feedparser's reading of it (in UTC), else the URL's."""
    for key in ("published", "updated", "created"):
        if written := entry.get(key):
            day, _ = metadata_date(written)
            if day:
                return day
    for key in ("published_parsed", "updated_parsed"):
        if parsed := entry.get(key):
            return datetime.date(*parsed[:3])
    return url_date(url) if url else None
