"""`per:`, `org:`, `loc:` filters resolved through the store's entities.

An entity matches a filter when every filter word, in any of its normal forms, is a
word of the entity's canonical name: per:Путина finds PER:владимир путин and the bare
PER:путин mentions the store joins to it. A filter naming a group of the alias table
(loc:США, org:ЕС, org:Евросоюза) also finds the group's entity, whose key holds the group's
canonical name ("соединенные штаты америки"), not the words typed. The word → entity index is kept per store
and brought up to date only when the store has new enrichments.

A filter's articles are held as numpy arrays of store article numbers, mention counts
and dates (`Mentioned`), taken from the store's packed mention lists: at a million
articles a common name (per:Иванов also finds every Иван) is in tens of thousands of
articles, and a Python object for each cost tens of milliseconds a query.
"""

import threading
import weakref
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from newsreader.folding import fold_key
from newsreader.ingest.parse import Article
from newsreader.nlp.aliases import group_canonical
from newsreader.nlp.homonyms import placed_name
from newsreader.search.normalise import WORD
from newsreader.search.query import EntityFilter, Query
from newsreader.store.corpus import Store

NORMAL_FORM_CACHE_SIZE = 4096
UNDATED = 0  # the day of an undated article (date ordinals start at 1)
_UNKNOWN_DAY = -1


@dataclass(frozen=True, slots=True)
class Mentioned:
    """Articles passing a query's entity filters (and its dates): store numbers ascending, mentions, days.

    `days` are date ordinals, UNDATED for an article without a date.
    """

    numbers: np.ndarray
    counts: np.ndarray
    days: np.ndarray

    def __len__(self) -> int:
        return len(self.numbers)

    def best(self, limit: int) -> "Mentioned":
        """The `limit` with the most mentions, then the newest (undated last, then by number), in that order."""
        order = np.lexsort((self.numbers, -self.days, -self.counts))[:limit]
        return Mentioned(self.numbers[order], self.counts[order], self.days[order])

    def articles(self, store: Store) -> list[Article]:
        """The articles, those removed meanwhile left out."""
        return [article for article in store.numbered(self.numbers.tolist()) if article is not None]

    def counter(self, store: Store) -> Counter[str]:
        """Mentions per article id."""
        articles = store.numbered(self.numbers.tolist())
        return Counter(
            {article.id: count for article, count in zip(articles, self.counts.tolist(), strict=True) if article}
        )


class EntityIndex:
    """(type, name word) -> entity keys, for one store; the mentions themselves stay in the store.

    Also each article's date by number, read once per article that a filter finds
    (an article's number and date never change).
    """

    def __init__(self) -> None:
        self._keys_by_word: dict[tuple[str, str], set[str]] = {}
        self._enriched = -1
        self._days = np.empty(0, dtype=np.int64)  # by article number; _UNKNOWN_DAY until read

    def refresh(self, store: Store) -> None:
        if store.enriched_count == self._enriched:
            return
        self._enriched = store.enriched_count
        self._keys_by_word.clear()  # canonical names change as bare surnames find their full name
        for key in store.entity_keys():
            kind, _, name = store.canonical_key(key).partition(":")  # the name is folded by `fold_key` already
            for word in WORD.findall(name):
                self._keys_by_word.setdefault((kind, word), set()).add(key)

    def mentions(self, entity: EntityFilter, store: Store) -> tuple[np.ndarray, np.ndarray]:
        """Article numbers (ascending) and their mentions of the entities matching the filter."""
        keys = self._keys_naming(entity.type, entity.words)
        phrase = fold_key(" ".join(entity.words))
        group = group_canonical(phrase) or placed_name(phrase)  # "мид россии": the key's name with its place
        if group is not None:  # a name of the alias table: its group's key does not hold the words typed
            keys |= self._keys_naming(entity.type, WORD.findall(group))
        lists = [np.frombuffer(store.mention_pairs(key), dtype=np.intc) for key in sorted(keys)]
        pairs = np.concatenate(lists).astype(np.int64) if lists else np.empty(0, dtype=np.int64)
        numbers, counts = pairs[0::2], pairs[1::2]
        if len(lists) == 1:  # one pair an article
            order = np.argsort(numbers, kind="stable")
            return numbers[order], counts[order]
        numbers, where = np.unique(numbers, return_inverse=True)
        return numbers, np.bincount(where, weights=counts, minlength=len(numbers)).astype(np.int64)

    def _keys_naming(self, kind: str, words: Sequence[str]) -> set[str]:
        """The keys of type `kind` whose name holds every one of `words`, in any of its normal forms."""
        keys: set[str] | None = None
        for word in words:
            matching = set().union(*(self._keys_by_word.get((kind, form), ()) for form in normal_forms(word)))
            keys = matching if keys is None else keys & matching
        return keys or set()

    def days(self, numbers: np.ndarray, store: Store) -> np.ndarray:
        """The date ordinal of each numbered article (UNDATED without a date)."""
        if len(numbers) and numbers[-1] >= len(self._days):
            grown = np.full(max(int(numbers[-1]) + 1, 2 * len(self._days)), _UNKNOWN_DAY, dtype=np.int64)
            grown[: len(self._days)] = self._days
            self._days = grown
        days = self._days[numbers]
        unread = numbers[days == _UNKNOWN_DAY]
        if len(unread):
            articles = store.numbered(unread.tolist())
            self._days[unread] = [
                article.date.toordinal() if article is not None and article.date else UNDATED for article in articles
            ]
            days = self._days[numbers]
        return days


@lru_cache(maxsize=NORMAL_FORM_CACHE_SIZE)
def normal_forms(word: str) -> frozenset[str]:
    """The word and each of its possible lemmas (Путина → путин, путина), folded as entity keys are (`fold_key`)."""
    from newsreader.nlp.morph import parse

    folded = fold_key(word)
    return frozenset({folded} | {fold_key(candidate.normal_form) for candidate in parse(folded)})


_indexes: "weakref.WeakKeyDictionary[Store, EntityIndex]" = weakref.WeakKeyDictionary()
_indexes_lock = threading.Lock()  # the reader scans on one thread while the index thread searches


def entity_articles(query: Query, store: Store) -> Mentioned | None:
    """Articles passing every entity filter and the query's dates and sources; None when there is no entity filter."""
    if not query.entities:
        return None
    with _indexes_lock:
        index = _indexes.get(store)
        if index is None:
            index = _indexes[store] = EntityIndex()
        index.refresh(store)
        numbers: np.ndarray | None = None
        counts = np.empty(0, dtype=np.int64)
        for entity in query.entities:
            found, found_counts = index.mentions(entity, store)
            if numbers is None:
                numbers, counts = found, found_counts
            else:
                numbers, mine, theirs = np.intersect1d(numbers, found, assume_unique=True, return_indices=True)
                counts = counts[mine] + found_counts[theirs]
        assert numbers is not None
        days = index.days(numbers, store)
    if query.dates:
        kept = days != UNDATED
        for period in query.dates:
            kept &= (days >= period.first.toordinal()) & (days <= period.last.toordinal())
        numbers, counts, days = numbers[kept], counts[kept], days[kept]
    if query.sources:  # read each found article: an entity's articles are a few thousand at most, mostly
        articles = store.numbered(numbers.tolist())
        kept = np.fromiter((each is not None and query.allows(each) for each in articles), bool, len(articles))
        numbers, counts, days = numbers[kept], counts[kept], days[kept]
    return Mentioned(numbers, counts, days)


def entity_mentions(query: Query, store: Store) -> Counter[str] | None:
    """Articles passing every entity filter and the query's dates, with their mention counts; None when
    there is no entity filter."""
    found = entity_articles(query, store)
    return None if found is None else found.counter(store)
