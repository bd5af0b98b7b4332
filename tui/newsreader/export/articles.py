"""Articles with their metadata and entities: JSON Lines (`newsreader extract`'s records) or CSV.

Both are written an article at a time, as the articles come: an archive of a million articles
is never held whole. The CSV leaves out the full text (spreadsheets cut a cell at 32,767
characters); the JSON Lines record has it, with every entity's offsets.
"""

from collections.abc import Callable, Iterable, Iterator
from typing import IO

from newsreader.export.analyses import Analyses
from newsreader.export.cells import write_csv
from newsreader.export.entities import EntityNames, enrichment_of, mentions_by_key
from newsreader.export.records import article_record, source_fields, write_record_lines
from newsreader.ingest.parse import Article

StoryOf = Callable[[str], str | None]  # an article's fingerprint -> its story's id (None: its own)
ENTITY_COLUMNS = {"PER": "persons", "ORG": "organisations", "LOC": "places"}
ARTICLE_COLUMNS = (
    "id",
    "path",
    "date",
    "title",
    "lede",
    "credit",
    "url",
    "outlet",
    "authors",
    "topics",
    *ENTITY_COLUMNS.values(),
)


def alone(fingerprint: str) -> str | None:
    """No stories known: each article its own (`article_record` gives it its fingerprint)."""
    return None


def write_article_lines(
    out: IO[str], analyses: Analyses, articles: Iterable[Article], story_of: StoryOf = alone
) -> int:
    """One extract record a line (UTF-8, Cyrillic as itself), `story` from `story_of`; the number of articles."""
    records = (
        article_record(article, enrichment_of(analyses, article), analyses.canonical_key, story_of(article.fingerprint))
        for article in articles
    )
    return write_record_lines(out, records)


def write_article_table(out: IO[str], analyses: Analyses, articles: Iterable[Article]) -> int:
    """One row an article; its persons, organisations and places each in one cell, the most mentioned first."""
    return write_csv(out, ARTICLE_COLUMNS, _article_rows(analyses, articles))


def _article_rows(analyses: Analyses, articles: Iterable[Article]) -> Iterator[list[object]]:
    names = EntityNames(analyses)
    for article in articles:
        sources = source_fields(article)
        by_type: dict[str, list[str]] = {kind: [] for kind in ENTITY_COLUMNS}
        for key, _ in mentions_by_key(analyses, enrichment_of(analyses, article)).most_common():
            kind = key.partition(":")[0]
            if kind in by_type:
                by_type[kind].append(names(key))
        yield [
            article.id,
            article.path,
            article.date.isoformat() if article.date else None,
            article.title,
            article.lede,
            article.credit,
            sources["url"],
            sources["outlet"],
            sources["authors"],
            sources["topics"],
            *by_type.values(),
        ]
