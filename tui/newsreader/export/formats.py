"""Every export format by the name `newsreader export --format` takes, and how its file is opened."""

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO

from newsreader.atomic_files import atomic_output
from newsreader.export.analyses import Analyses
from newsreader.export.articles import write_article_lines, write_article_table
from newsreader.export.cells import CSV_ENCODING
from newsreader.export.entities import write_entity_table
from newsreader.export.network import write_gexf, write_graphml
from newsreader.export.timeline import write_timeline
from newsreader.ingest.parse import Article
from newsreader.wording import plural

Writer = Callable[[IO[str], Analyses, Iterable[Article], str], int]  # (out, analyses, articles, title) -> items written


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


def _untitled(write: Callable[[IO[str], Analyses, Iterable[Article]], int]) -> Writer:
    return lambda out, analyses, articles, title: write(out, analyses, articles)


FORMATS: dict[str, ExportFormat] = {
    "csv": ExportFormat(_untitled(write_article_table), "article", "articles", is_csv=True),
    "jsonl": ExportFormat(_untitled(write_article_lines), "article", "articles"),
    "timelinejs": ExportFormat(write_timeline, "event", "events"),
    "graphml": ExportFormat(_untitled(write_graphml), "entity", "entities"),
    "gexf": ExportFormat(_untitled(write_gexf), "entity", "entities"),
    "entities-csv": ExportFormat(_untitled(write_entity_table), "entity", "entities", is_csv=True),
}


def export_to(
    path: str | os.PathLike,
    format_name: str,
    analyses: Analyses,
    articles: Iterable[Article],
    title: str = "newsreader",
) -> str:
    """Write the export atomically; what was written ("12 articles"). Raises OSError, KeyError for a bad name."""
    chosen = FORMATS[format_name]
    with atomic_output(path, **chosen.file_options()) as out:
        count = chosen.write(out, analyses, articles, title)
    return chosen.said(count)
