"""The timeline as TimelineJS3 JSON (timeline.knightlab.com/docs/json-format.html).

One slide an event the articles tell: its days as the start (and end) date, at the precision the
text gives (a day, a month, a year, or a span), the article's title as the headline, and the
sentence, the entities it names and the source as the text. TimelineJS shows `text` fields as
HTML, so every piece of article text is HTML-escaped, and a link is made only of an http(s) URL.
TimelineJS sorts the slides itself, so they are written as the articles come, one at a time.
"""

import calendar
import datetime
import html
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from newsreader.export.analyses import Analyses
from newsreader.export.entities import EntityNames
from newsreader.export.records import source_fields
from newsreader.ingest.parse import Article
from newsreader.wording import plural

LINKED_SCHEMES = ("http://", "https://")


def write_timeline(out: IO[str], analyses: Analyses, articles: Iterable[Article], title: str = "newsreader") -> int:
    """The TimelineJS JSON of the articles' events; the number of events."""
    out.write('{"events": [')
    count = 0
    for slide in _slides(analyses, articles):
        out.write(("\n" if count == 0 else ",\n") + json.dumps(slide, ensure_ascii=False))
        count += 1
    heading = {"text": {"headline": html.escape(title), "text": html.escape(plural(count, "event"))}}
    out.write('\n], "title": ' + json.dumps(heading, ensure_ascii=False) + "}\n")
    return count


def _slides(analyses: Analyses, articles: Iterable[Article]) -> Iterator[dict[str, Any]]:
    names = EntityNames(analyses)
    number = 0
    for article in articles:
        events = analyses.article_events(article.id)
        if not events:
            continue
        text = article.text
        source = _source_line(article)
        for placed in events:
            event = placed.event
            sentence = html.escape(text[event.sentence_start : event.sentence_end].strip())
            named = ", ".join(html.escape(names(key)) for key in event.keys)
            body = f"<p>{sentence}</p>" + (f"<p>{named}</p>" if named else "") + source
            number += 1
            yield {
                **timeline_dates(placed.first_day, placed.last_day),
                "text": {"headline": html.escape(article.title), "text": body},
                "unique_id": f"event-{number}",
            }


def _source_line(article: Article) -> str:
    """Outlet, publication date and where the article is: a link for a web address, else its URL or path as text."""
    sources = source_fields(article)
    parts = [html.escape(part) for part in (sources["outlet"], article.date and article.date.isoformat()) if part]
    url = sources["url"]
    if url and url.lower().startswith(LINKED_SCHEMES):
        parts.append(f'<a href="{html.escape(url, quote=True)}">{html.escape(url)}</a>')
    else:
        parts.append(html.escape(url or article.path))
    return "<p>" + " · ".join(parts) + "</p>"


def timeline_dates(first: datetime.date, last: datetime.date) -> dict[str, Any]:
    """`start_date` (and `end_date` for a span) at the precision of the period: a day, a month, a year."""
    if first == last:
        return {"start_date": {"year": first.year, "month": first.month, "day": first.day}}
    if (first.year, first.month) == (last.year, last.month) and first.day == 1:
        if last.day == calendar.monthrange(last.year, last.month)[1]:
            return {"start_date": {"year": first.year, "month": first.month}}
    if first.year == last.year and (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):
        return {"start_date": {"year": first.year}}
    return {
        "start_date": {"year": first.year, "month": first.month, "day": first.day},
        "end_date": {"year": last.year, "month": last.month, "day": last.day},
    }
