"""Every export format by the name `newsreader export --format` takes, and how its file is opened."""

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO

from newsreader.atomic_files import atomic_output
from newsreader.export.analyses import Analyses
from newsreader.export.articles import StoryOf, alone, write_article_lines, write_article_table
from newsreader.export.cells import CSV_ENCODING
from newsreader.export.entities import write_entity_table
from newsreader.export.network import write_gexf, write_graphml
from newsreader.export.timeline import write_timeline
from newsreader.ingest.parse import Article
from newsreader.wording import plural


@dataclass(frozen=True, slots=True)
class ExportSettings:
    """What some formats take beside the articles."""

    title: str = "newsreader"  # the timeline's headline: the query, the entity or "newsreader"
    min_weight: int = 1  # the network's lightest edge, in articles shared
    story_of: StoryOf = alone  # JSON Lines' `story`: an article's story id by its fingerprint


Writer = Callable[[IO[str], Analyses, Iterable[Article], ExportSettings], int]  # -> items written


@dataclass(frozen=True, slots=True)
class ExportFormat:
    write: Writer
    counted: str  # what the count the writer returns counts, in the singular
    plural: str
    is_csv: bool = False

    def file_options(self) -> dict[str, str]:
        """`atomic_output`'s keywords: CSV gets its byte-order mark and leaves line ends to the csv module."""
        return {"encoding": CSV_ENCODING, "newline": ""} if self.is_csv else {"encoding": "utf-8"}

    def said(self, count: int) -> str:
        return plural(count, self.counted, self.plural)


def _plain(write: Callable[[IO[str], Analyses, Iterable[Article]], int]) -> Writer:
    return lambda out, analyses, articles, settings: write(out, analyses, articles)


def _titled(write: Callable[[IO[str], Analyses, Iterable[Article], str], int]) -> Writer:
    return lambda out, analyses, articles, settings: write(out, analyses, articles, settings.title)


def _storied(write: Callable[[IO[str], Analyses, Iterable[Article], StoryOf], int]) -> Writer:
    return lambda out, analyses, articles, settings: write(out, analyses, articles, settings.story_of)


def _weighed(write: Callable[[IO[str], Analyses, Iterable[Article], int], int]) -> Writer:
    return lambda out, analyses, articles, settings: write(out, analyses, articles, settings.min_weight)


FORMATS: dict[str, ExportFormat] = {
    "csv": ExportFormat(_plain(write_article_table), "article", "articles", is_csv=True),
    "jsonl": ExportFormat(_storied(write_article_lines), "article", "articles"),
    "timelinejs": ExportFormat(_titled(write_timeline), "event", "events"),
    "graphml": ExportFormat(_weighed(write_graphml), "entity", "entities"),
    "gexf": ExportFormat(_weighed(write_gexf), "entity", "entities"),
    "entities-csv": ExportFormat(_plain(write_entity_table), "entity", "entities", is_csv=True),
}
NETWORK_FORMATS = ("graphml", "gexf")
STORIED_FORMATS = ("jsonl",)  # the formats with each article's story


def export_to(
    path: str | os.PathLike,
    format_name: str,
    analyses: Analyses,
    articles: Iterable[Article],
    settings: ExportSettings = ExportSettings(),
) -> str:
    """Write the export atomically; what was written ("12 articles"). Raises OSError, KeyError for a bad name."""
    chosen = FORMATS[format_name]
    with atomic_output(path, **chosen.file_options()) as out:
        count = chosen.write(out, analyses, articles, settings)
    return chosen.said(count)
