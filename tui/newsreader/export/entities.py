"""Entities of the exported articles: their display names, and counts over just those articles.

Counts are taken from the exported articles' own analyses, not from the whole archive's
indexes, so an export of a search's hits counts within the hits. What is held grows with the
number of distinct entities (and, for the network, pairs of them), never with the articles.
"""

import datetime
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations
from typing import IO

import numpy as np

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


PAIR_BASE = 1 << 32  # two entity numbers as one int64, `low * PAIR_BASE + high`
PAIR_BUFFER = 1 << 22  # pairs met before they are merged into the counts (32 MiB)
EDGE_SLICE = 1 << 16  # edges turned into Python objects at a time


class PairCounts:
    """How many articles each two entities share, kept as two numpy arrays (16 bytes a pair).

    A co-occurrence network of a large archive has millions of pairs: as a Counter of tuples they
    took ~200 bytes each. Pairs are buffered as they are met and merged into the sorted, unique
    `pairs` with their `counts` a buffer at a time."""

    def __init__(self) -> None:
        self._pairs = np.empty(0, dtype=np.int64)
        self._counts = np.empty(0, dtype=np.int64)
        self._buffer = array("q")

    def add(self, numbers: list[int]) -> None:
        """The entities of one article, by number, ascending and each once."""
        self._buffer.extend(low * PAIR_BASE + high for low, high in combinations(numbers, 2))
        if len(self._buffer) >= PAIR_BUFFER:
            self._merge()

    def _merge(self) -> None:
        if not self._buffer:
            return
        met = np.frombuffer(self._buffer, dtype=np.int64)
        pairs = np.concatenate((self._pairs, met))
        counts = np.concatenate((self._counts, np.ones(len(met), dtype=np.int64)))
        self._buffer = array("q")
        self._pairs, where = np.unique(pairs, return_inverse=True)
        self._counts = np.bincount(where, weights=counts, minlength=len(self._pairs)).astype(np.int64)

    def heaviest_first(self, min_weight: int = 1) -> Iterator[tuple[int, int, int]]:
        """(entity number, entity number, articles shared) of the pairs sharing at least `min_weight` articles,
        the most shared first, then in pair order."""
        self._merge()
        order = np.lexsort((self._pairs, -self._counts))
        order = order[: int(np.count_nonzero(self._counts >= min_weight))]
        for start in range(0, len(order), EDGE_SLICE):
            part = order[start : start + EDGE_SLICE]
            for pair, count in zip(self._pairs[part].tolist(), self._counts[part].tolist(), strict=True):
                low, high = divmod(pair, PAIR_BASE)
                yield low, high, count

    def numbers_joined(self, min_weight: int) -> set[int]:
        """The entities in at least one pair sharing `min_weight` articles or more."""
        self._merge()
        kept = self._pairs[self._counts >= min_weight]
        return set(np.unique(np.concatenate(np.divmod(kept, PAIR_BASE))).tolist())


@dataclass(slots=True)
class EntityTally:
    """Per entity: mentions, articles and dates, in the order the entities were first met; with `pairs`, how
    many articles each two of them share."""

    entities: dict[str, EntityCounts] = field(default_factory=dict)
    pairs: PairCounts | None = None

    @classmethod
    def of(cls, analyses: Analyses, articles: Iterable[Article], with_pairs: bool = False) -> "EntityTally":
        tally = cls(pairs=PairCounts() if with_pairs else None)
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
                tally.pairs.add(sorted(numbers[key] for key in found))
        return tally

    def most_mentioned(self) -> list[tuple[str, EntityCounts]]:
        """Most mentions first, then most articles, then by key (a stable order for a diff of two exports)."""
        return sorted(self.entities.items(), key=lambda item: (-item[1].mentions, -item[1].articles, item[0]))

    def edges(self, min_weight: int = 1) -> Iterator[tuple[str, str, int]]:
        """(key, key, articles shared) of each pair sharing `min_weight` articles or more, heaviest first; ties in
        the order their entities were met."""
        assert self.pairs is not None, "the tally was made without pairs"
        keys = list(self.entities)
        for low, high, weight in self.pairs.heaviest_first(min_weight):
            yield keys[low], keys[high], weight

    def nodes(self, min_weight: int = 1) -> list[tuple[str, EntityCounts]]:
        """`most_mentioned`; above a `min_weight` of 1, only the entities an edge that heavy joins (a network cut
        to its strong ties leaves out the entities it cut off)."""
        nodes = self.most_mentioned()
        if min_weight <= 1:
            return nodes
        assert self.pairs is not None, "the tally was made without pairs"
        keys = list(self.entities)
        joined = {keys[number] for number in self.pairs.numbers_joined(min_weight)}
        return [(key, counts) for key, counts in nodes if key in joined]


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
