"""Messages from the background workers to the App."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from newsreader.ingest.load import LoadWarning
from newsreader.ingest.parse import Article

if TYPE_CHECKING:
    from newsreader.nlp.enrich import Enrichment


class LoadedBatch(Message):
    """Articles and warnings read by the loading worker since its last batch."""

    def __init__(self, items: list[Article | LoadWarning], done: bool) -> None:
        super().__init__()
        self.items = items
        self.done = done


class Enriched(Message):
    """An article's entities, dates and events are known."""

    def __init__(self, article: Article, enrichment: Enrichment) -> None:
        super().__init__()
        self.article = article
        self.enrichment = enrichment


class BackgroundWarning(Message):
    """A background task (`source`: analysis, search index, loading) reported a problem for the warnings list.

    `text` starts with the file it is about, "path: reason", when there is one: the warnings screen then shows
    that path where it shows a skipped file's, and `source` only for problems with no file."""

    def __init__(self, source: str, text: str) -> None:
        super().__init__()
        self.source = source
        self.text = text
