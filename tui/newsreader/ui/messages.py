"""Messages from the background workers to the App."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from newsreader.load import LoadWarning
from newsreader.parse import Article

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


class EnrichmentWarning(Message):
    """The analysis workers or their cache reported a problem."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
