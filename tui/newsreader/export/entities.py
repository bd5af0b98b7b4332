"""Entities of the exported articles: their display names, and counts over just those articles.

Counts are taken from the exported articles' own analyses, not from the whole archive's
indexes, so an export of a search's hits counts within the hits. What is held grows with the
number of distinct entities (and, for the network, pairs of them), never with the articles.
"""

import datetime
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations
from typing import IO

from newsreader.export.analyses import Analyses
from newsreader.export.cells import write_csv
from newsreader.ingest.parse import Article
from newsreader.nlp.enrich import Enrichment

NOT_ANALYSED = Enrichment((), (), ())
ENTITY_COLUMNS = ("key", "type", "name", "mentions", "articles", "first_date", "last_date")


def enrichment_of(analyses: Analyses, article: Article) -> Enrichment:
    """The article's analysis; no entities, dates or events when it has none yet (the reader still analysing)."""
    return analyses.enrichment(article.id) or NOT_ANALYSED


class EntityNames:
    """Canonical key -> the name the reader shows for it ("Мария Захарова"), looked up once a key."""

    def __init__(self, analyses: Analyses) -> None:
        self._analyses = analyses
        self._names: dict[str, str] = {}

    def __call__(self, key: str) -> str:
        name = self._names.get(key)
        if name is None:
            info = self._analyses.entity(key)
            name = self._names[key] = info.name if info else key.partition(":")[2]
        return name


def mentions_by_key(analyses: Analyses, enrichment: Enrichment) -> Counter[str]:
    """Mentions of each entity in one article, by corpus-canonical key, the first mentioned first."""
    return Counter(analyses.canonical_key(mention.key) for mention in enrichment.entities)


@dataclass(slots=True)
class EntityCounts:
    mentions: int = 0
    articles: int = 0
    first: datetime.date | None = None
    last: datetime.date | None = None

    def add(self, mentions: int, day: datetime.date | None) -> None:
        self.mentions += mentions
        self.articles += 1
        if day is not None:
            self.first = day if self.first is None else min(self.first, day)
            self.last = day if self.last is None else max(self.last, day)

    def row(self) -> tuple[int, int, str | None, str | None]:
        """Mentions, articles, first and last date (ISO), as the entity table's columns give them."""
        return self.mentions, self.articles, _iso(self.first), _iso(self.last)


PAIR_BASE = 1 << 32  # a pair of entity numbers as one int, `low * PAIR_BASE + high`: a third of a tuple's memory


@dataclass(slots=True)
class EntityTally:
    """Per entity: mentions, articles and dates; with `pairs`, how many articles each two entities share.

    `entities` is in the order the entities were first met; a pair is counted under the two entities'
    places in that order (`PAIR_BASE`), as a co-occurrence network of a large archive has millions."""

    entities: dict[str, EntityCounts] = field(default_factory=dict)
    pairs: Counter[int] | None = None

    @classmethod
    def of(cls, analyses: Analyses, articles: Iterable[Article], with_pairs: bool = False) -> "EntityTally":
        tally = cls(pairs=Counter() if with_pairs else None)
        entities = tally.entities
        numbers: dict[str, int] = {}
        for article in articles:
            found = mentions_by_key(analyses, enrichment_of(analyses, article))
            for key, mentions in found.items():
                if key not in entities:
                    numbers[key] = len(entities)
                    entities[key] = EntityCounts()
                entities[key].add(mentions, article.date)
            if tally.pairs is not None:
                ordered = sorted(numbers[key] for key in found)
                tally.pairs.update(low * PAIR_BASE + high for low, high in combinations(ordered, 2))
        return tally

    def most_mentioned(self) -> list[tuple[str, EntityCounts]]:
        """Most mentions first, then most articles, then by key (a stable order for a diff of two exports)."""
        return sorted(self.entities.items(), key=lambda item: (-item[1].mentions, -item[1].articles, item[0]))

    def edges(self) -> Iterator[tuple[str, str, int]]:
        """(key, key, articles shared) of each pair, heaviest first; ties in the order their entities were met."""
        assert self.pairs is not None, "the tally was made without pairs"
        keys = list(self.entities)
        for pair, weight in sorted(self.pairs.items(), key=lambda item: (-item[1], item[0])):
            low, high = divmod(pair, PAIR_BASE)
            yield keys[low], keys[high], weight


def write_entity_table(out: IO[str], analyses: Analyses, articles: Iterable[Article]) -> int:
    """The entity table as CSV, one row an entity; the number of entities."""
    names = EntityNames(analyses)
    rows = (
        (key, key.partition(":")[0], names(key), *counts.row())
        for key, counts in EntityTally.of(analyses, articles).most_mentioned()
    )
    return write_csv(out, ENTITY_COLUMNS, rows)


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None
