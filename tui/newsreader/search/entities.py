"""`per:`, `org:`, `loc:` filters resolved through the store's entities.

An entity matches a filter when every filter word, in any of its normal forms, is a
word of the entity's canonical name: per:Путина finds PER:владимир путин and the bare
PER:путин mentions the store joins to it. The word → entity index is kept per store
and brought up to date only when the store has new enrichments.
"""

import threading
import weakref
from collections import Counter
from functools import lru_cache

from newsreader.folding import fold_key
from newsreader.search.normalise import WORD
from newsreader.search.query import EntityFilter, Query
from newsreader.store.corpus import Store

NORMAL_FORM_CACHE_SIZE = 4096


class EntityIndex:
    """(type, name word) -> entity keys, for one store; the mentions themselves stay in the store."""

    def __init__(self) -> None:
        self._keys_by_word: dict[tuple[str, str], set[str]] = {}
        self._enriched = -1

    def refresh(self, store: Store) -> None:
        if store.enriched_count == self._enriched:
            return
        self._enriched = store.enriched_count
        self._keys_by_word.clear()  # canonical names change as bare surnames find their full name
        for key in store.entity_keys():
            kind, _, name = store.canonical_key(key).partition(":")  # the name is folded by `fold_key` already
            for word in WORD.findall(name):
                self._keys_by_word.setdefault((kind, word), set()).add(key)

    def mentions(self, entity: EntityFilter, store: Store) -> Counter[str]:
        """Mentions per article id of the entities matching the filter."""
        keys: set[str] | None = None
        for word in entity.words:
            matching = set().union(*(self._keys_by_word.get((entity.type, form), ()) for form in normal_forms(word)))
            keys = matching if keys is None else keys & matching
        counts: Counter[str] = Counter()
        for key in keys or ():
            counts.update(store.mention_counts(key))
        return counts


@lru_cache(maxsize=NORMAL_FORM_CACHE_SIZE)
def normal_forms(word: str) -> frozenset[str]:
    """The word and each of its possible lemmas (Путина → путин, путина), folded as entity keys are (`fold_key`)."""
    from newsreader.nlp.morph import parse

    folded = fold_key(word)
    return frozenset({folded} | {fold_key(candidate.normal_form) for candidate in parse(folded)})


_indexes: "weakref.WeakKeyDictionary[Store, EntityIndex]" = weakref.WeakKeyDictionary()
_indexes_lock = threading.Lock()  # the reader scans on one thread while the index thread searches


def entity_mentions(query: Query, store: Store) -> Counter[str] | None:
    """Articles passing every entity filter, with their mention counts; None when there is no filter."""
    if not query.entities:
        return None
    with _indexes_lock:
        index = _indexes.get(store)
        if index is None:
            index = _indexes[store] = EntityIndex()
        index.refresh(store)
        passing: Counter[str] | None = None
        for entity in query.entities:
            counts = index.mentions(entity, store)
            passing = (
                counts
                if passing is None
                else Counter({key: passing[key] + counts[key] for key in passing.keys() & counts.keys()})
            )
        return passing
