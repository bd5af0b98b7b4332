"""What the export writers ask of the store, and how a thread other than the store's owner asks it.

The writers read only four things (`Analyses`): an article's analysis and events, a key's
canonical form and its entity's name. `newsreader export` hands them the store itself. The
reader's store is owned by the UI thread (analyses arrive and aliases are rebuilt there, with
no lock), so an export on a worker thread uses `FetchedAnalyses`: the articles' analyses are
fetched on the owner thread a chunk at a time, through `run_on_owner`, and the writer reads the
chunk in hand while the texts are read and the file written on the worker. What it keeps beyond
one chunk is a name and a canonical form per entity key.
"""

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any, Protocol

from newsreader.ingest.parse import Article
from newsreader.nlp.enrich import Enrichment
from newsreader.store.corpus import EntityInfo, Store
from newsreader.store.events import TimelineEvent

FETCH_CHUNK = 64  # articles fetched in one call on the owner thread: each may read its file (to unpack its analysis)
OwnerRunner = Callable[[Callable[[], Any]], Any]  # runs a function on the thread that owns the store; its result


class Analyses(Protocol):
    def enrichment(self, article_id: str) -> Enrichment | None: ...

    def canonical_key(self, key: str) -> str: ...

    def entity(self, key: str) -> EntityInfo | None: ...

    def article_events(self, article_id: str) -> Sequence[TimelineEvent]: ...


@dataclasses.dataclass(slots=True)
class _Chunk:
    enrichments: dict[str, Enrichment | None]
    events: dict[str, list[TimelineEvent]]
    canonical: dict[str, str]
    entities: dict[str, EntityInfo | None]


class FetchedAnalyses:
    """`Analyses` of the articles `articles` yields, fetched on the store's owner thread as they come.

    Only the articles yielded by `articles` can be asked about, and only until the next chunk."""

    def __init__(self, store: Store, run_on_owner: OwnerRunner) -> None:
        self._store = store
        self._run_on_owner = run_on_owner
        self._chunk = _Chunk({}, {}, {}, {})
        self._canonical: dict[str, str] = {}
        self._entities: dict[str, EntityInfo | None] = {}

    def articles(self, articles: Sequence[Article]) -> Iterator[Article]:
        for start in range(0, len(articles), FETCH_CHUNK):
            part = articles[start : start + FETCH_CHUNK]
            chunk: _Chunk = self._run_on_owner(partial(self._fetch, part, set(self._entities)))
            self._canonical.update(chunk.canonical)
            self._entities.update(chunk.entities)
            self._chunk = chunk
            yield from part

    def _fetch(self, part: Sequence[Article], known: set[str]) -> _Chunk:
        """On the owner thread: each article's analysis and events, and its keys' canonical forms and new names."""
        store = self._store
        chunk = _Chunk({}, {}, {}, {})
        for article in part:
            enrichment = chunk.enrichments[article.id] = store.enrichment(article.id)
            chunk.events[article.id] = list(store.article_events(article.id))
            if enrichment is None:
                continue
            keys = {mention.key for mention in enrichment.entities}
            keys.update(*(event.keys for event in enrichment.events))
            keys.update(role.key for role in enrichment.roles)
            keys.update(quote.key for quote in enrichment.quotes)
            for key in keys:
                canonical = chunk.canonical[key] = store.canonical_key(key)
                if canonical not in known and canonical not in chunk.entities:
                    info = store.entity(canonical)  # without its article list, which could be most of the archive
                    chunk.entities[canonical] = None if info is None else dataclasses.replace(info, article_ids=())
        return chunk

    def enrichment(self, article_id: str) -> Enrichment | None:
        return self._chunk.enrichments.get(article_id)

    def canonical_key(self, key: str) -> str:
        return self._canonical.get(key, key)

    def entity(self, key: str) -> EntityInfo | None:
        return self._entities.get(key)

    def article_events(self, article_id: str) -> Sequence[TimelineEvent]:
        return self._chunk.events.get(article_id, [])
