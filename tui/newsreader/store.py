"""The in-memory store: every article once, by id, in date order, with entity and event indexes."""

from __future__ import annotations

import bisect
import dataclasses
import datetime
from collections import Counter
from collections.abc import Iterator, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING

from newsreader.load import LoadWarning
from newsreader.parse import Article

if TYPE_CHECKING:  # the NLP modules load models; the store only holds their results
    from newsreader.nlp.enrich import Enrichment
    from newsreader.nlp.events import Event


@dataclasses.dataclass(frozen=True, slots=True)
class TimelineEvent:
    """An event placed on the corpus timeline: its days, the article and the event."""

    first_day: datetime.date
    last_day: datetime.date
    article_id: str
    event: Event


@dataclasses.dataclass(frozen=True, slots=True)
class EntityInfo:
    key: str
    type: str
    name: str
    mentions: int
    article_ids: tuple[str, ...]


class ArticleView(Sequence[Article]):
    """An ordered, read-only list of articles that can also say where an article stands."""

    def __init__(self, articles: list[Article]) -> None:
        self._articles = articles
        self._positions: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self._articles)

    def __getitem__(self, index):
        return self._articles[index]

    def position(self, article_id: str) -> int | None:
        """Index of the article with `article_id`, or None; built once per view."""
        if self._positions is None:
            self._positions = {article.id: index for index, article in enumerate(self._articles)}
        return self._positions.get(article_id)


class Store:
    """Articles in load order, with lookup by id and a cached date order."""

    def __init__(self) -> None:
        self._by_id: dict[str, Article] = {}
        self._by_fingerprint: dict[str, str] = {}
        self._order_cache: dict[bool, ArticleView] = {}
        self.other_paths: dict[str, list[str]] = {}
        self._enrichments: dict[str, Enrichment] = {}
        self._entity_articles: dict[str, Counter[str]] = {}
        self._entity_names: dict[str, Counter[str]] = {}
        self._events: list[TimelineEvent] = []
        self._events_by_key: dict[str, list[TimelineEvent]] = {}
        self._events_by_article: dict[str, list[TimelineEvent]] = {}
        self._events_sorted = True
        self._aliases: dict[str, str] | None = None

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Article]:
        return iter(self._by_id.values())

    def get(self, article_id: str) -> Article | None:
        return self._by_id.get(article_id)

    def by_fingerprint(self, fingerprint: str) -> Article | None:
        article_id = self._by_fingerprint.get(fingerprint)
        return self._by_id[article_id] if article_id is not None else None

    def add(self, article: Article) -> LoadWarning | None:
        """Keep `article` unless the same text is already here; then note its path and warn."""
        first_id = self._by_fingerprint.get(article.fingerprint)
        if first_id is not None:
            self.other_paths.setdefault(first_id, []).append(article.path)
            return LoadWarning(article.path, f"duplicate of {self._by_id[first_id].path}, skipped")
        if article.id in self._by_id:
            article = dataclasses.replace(article, id=article.path)
        self._by_id[article.id] = article
        self._by_fingerprint[article.fingerprint] = article.id
        self._order_cache.clear()
        return None

    def ordered(self, newest_first: bool = True) -> ArticleView:
        """All articles by date; unknown dates last either way, ties in load order."""
        view = self._order_cache.get(newest_first)
        if view is None:
            dated = sorted((a for a in self._by_id.values() if a.date), key=attrgetter("date"), reverse=newest_first)
            view = ArticleView(dated + [article for article in self._by_id.values() if article.date is None])
            self._order_cache[newest_first] = view
        return view

    def set_enrichment(self, fingerprint: str, enrichment: Enrichment) -> Article | None:
        """Index an article's entities and events; returns the article, or None if it is not here."""
        article_id = self._by_fingerprint.get(fingerprint)
        if article_id is None or article_id in self._enrichments:
            return self._by_id.get(article_id) if article_id else None
        self._enrichments[article_id] = enrichment
        for entity in enrichment.entities:
            self._entity_articles.setdefault(entity.key, Counter())[article_id] += 1
            self._entity_names.setdefault(entity.key, Counter())[entity.normal] += 1
        for event in enrichment.events:
            try:
                first_day, last_day = event.period
            except (ValueError, OverflowError):  # a value the calendar cannot hold: not on the timeline
                continue
            placed = TimelineEvent(first_day, last_day, article_id, event)
            self._events.append(placed)
            self._events_by_article.setdefault(article_id, []).append(placed)
            for key in set(event.keys):
                self._events_by_key.setdefault(key, []).append(placed)
        self._events_sorted = False
        self._aliases = None
        return self._by_id[article_id]

    def enrichment(self, article_id: str) -> Enrichment | None:
        return self._enrichments.get(article_id)

    @property
    def enriched_count(self) -> int:
        return len(self._enrichments)

    def articles_mentioning(self, key: str, newest_first: bool = True) -> ArticleView:
        """The articles that mention the entity `key` (bare-surname mentions included), by date."""
        info = self.entity(key)
        ids = info.article_ids if info else ()
        articles = [self._by_id[article_id] for article_id in (ids if newest_first else reversed(ids))]
        return ArticleView(articles)

    def top_entities(self, count: int) -> list[EntityInfo]:
        """The most mentioned entities, for the command palette."""
        totals = Counter()
        for key, articles in self._entity_articles.items():
            totals[self.canonical_key(key)] += articles.total()
        return [info for key, _ in totals.most_common(count) if (info := self.entity(key)) is not None]

    def canonical_key(self, key: str) -> str:
        """A bare surname key joins the one full name in the corpus that ends with it."""
        if self._aliases is None:
            self._aliases = _surname_aliases(self._entity_articles)
        return self._aliases.get(key, key)

    def entity(self, key: str) -> EntityInfo | None:
        """Everything the store knows of an entity, bare-surname mentions included."""
        key = self.canonical_key(key)
        keys = [key] + [alias for alias, target in (self._aliases or {}).items() if target == key]
        articles: Counter[str] = Counter()
        names: Counter[str] = Counter()
        for each in keys:
            articles.update(self._entity_articles.get(each, {}))
            names.update(self._entity_names.get(each, {}))
        if not articles:
            return None
        by_date = sorted(articles, key=lambda article_id: self._by_id[article_id].date or datetime.date.min, reverse=True)
        return EntityInfo(key, key.split(":", 1)[0], _display_name(key, names), articles.total(), tuple(by_date))

    def events(self, key: str | None = None) -> list[TimelineEvent]:
        """Events in time order, all of them or those whose sentence names the entity `key`."""
        if not self._events_sorted:
            self._events.sort(key=lambda item: (item.first_day, item.last_day))
            self._events_sorted = True
        if key is None:
            return self._events
        key = self.canonical_key(key)
        keys = [key] + [alias for alias, target in (self._aliases or {}).items() if target == key]
        found = {id(item): item for each in keys for item in self._events_by_key.get(each, ())}
        return sorted(found.values(), key=lambda item: (item.first_day, item.last_day))

    def article_events(self, article_id: str) -> list[TimelineEvent]:
        """The events of one article, in time order."""
        return sorted(self._events_by_article.get(article_id, ()), key=lambda item: (item.first_day, item.last_day))

    def events_between(self, first_day: datetime.date, last_day: datetime.date) -> list[TimelineEvent]:
        """Events whose first day falls in [first_day, last_day], found by bisection."""
        events = self.events()
        low = bisect.bisect_left(events, first_day, key=attrgetter("first_day"))
        high = bisect.bisect_right(events, last_day, key=attrgetter("first_day"))
        return events[low:high]


def _display_name(key: str, names: Counter[str]) -> str:
    """The normal form the key was made from ("Михаил Галузин", not the more frequent "Галузин")."""
    wanted = key.partition(":")[2]
    matching = [name for name, _ in names.most_common() if name.lower().replace("ё", "е") == wanted]
    return matching[0] if matching else names.most_common(1)[0][0]


def _surname_aliases(entity_articles: dict[str, Counter[str]]) -> dict[str, str]:
    """'PER:песков' → 'PER:дмитрий песков' when exactly one full PER name ends with that surname."""
    full_by_surname: dict[str, set[str]] = {}
    for key in entity_articles:
        kind, _, name = key.partition(":")
        words = name.split()
        if kind == "PER" and len(words) >= 2:
            full_by_surname.setdefault(words[-1], set()).add(key)
    aliases = {}
    for key in entity_articles:
        kind, _, name = key.partition(":")
        if kind == "PER" and " " not in name and len(full_by_surname.get(name, ())) == 1:
            aliases[key] = next(iter(full_by_surname[name]))
    return aliases
