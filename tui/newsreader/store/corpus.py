"""The in-memory store: every article once, by id, in date order, with entity and event indexes."""

from __future__ import annotations

import dataclasses
import datetime
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import compress, filterfalse
from operator import attrgetter, indexOf
from typing import TYPE_CHECKING

from newsreader.folding import fold_key
from newsreader.ingest.load import LoadWarning
from newsreader.ingest.parse import Article
from newsreader.shelf import Shelf
from newsreader.store.events import EventTable, EventView, TimelineEvent
from newsreader.store.facets import UNDATED, CoOccurrence, FacetCopy, Facets, FacetTable, co_occurring, month_index
from newsreader.store.packing import StringTable, pack, packed_keys, unpack
from newsreader.store.speech import SaidQuote, SpeechIndex

if TYPE_CHECKING:  # the NLP modules load models; the store only holds their results
    from newsreader.nlp.enrich import Enrichment


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

    def __iter__(self) -> Iterator[Article]:
        return iter(self._articles)  # `list(view)` in C: Sequence's own calls __getitem__ per article (~0.3 s at 10^6)

    def reports(self, index: int) -> int:
        """How many articles row `index` stands for: one, but in a view of stories (`stories.CollapsedView`)."""
        return 1

    def position(self, article_id: str) -> int | None:
        """Index of the article with `article_id`, or None; built once per view."""
        if self._positions is None:
            self._positions = {article.id: index for index, article in enumerate(self._articles)}
        return self._positions.get(article_id)


class DateOrderView(ArticleView):
    """The store's date order, where an article is found by bisection on its sort key in O(log n).

    A new view comes with every loading batch, and the list asks it where its article went: a map
    of the whole view, as ArticleView builds, would cost O(n) on the UI thread each time."""

    def __init__(
        self,
        articles: list[Article],
        sort_key: Callable[[Article], tuple],
        get: Callable[[str], Article | None],
        day_key: Callable[[Article], tuple] | None = None,
        unmapped: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__(articles)
        self._sort_key = sort_key
        self._get = get
        self._day_key = day_key
        self._unmapped = unmapped

    def position(self, article_id: str) -> int | None:
        article = self._get(article_id)
        if article is None:
            return None
        articles = self._articles
        if self._day_key is not None and self._unmapped():  # the store's numbers wait for its maps: find the day
            key = self._day_key(article)
            start = bisect_left(articles, key, key=self._day_key)
            end = bisect_right(articles, key, lo=start, key=self._day_key)
            return next((index for index in range(start, end) if articles[index] is article), None)
        index = bisect_left(articles, self._sort_key(article), key=self._sort_key)
        return index if index < len(articles) and articles[index] is article else None


class Store:
    """Articles in load order, with lookup by id, a date order kept up to date, and the analysis indexes.

    Analysis results are held packed (see `packing` and `events`): at 100k articles the objects
    would take gigabytes and full GC passes of seconds. Each article's packed result is on a shelf
    off the heap; what stays in memory is what the list, the entity panel and the timeline ask of
    the whole archive: entity key -> article numbers, the event table, and arrays by article number.
    """

    ENRICHMENT_CACHE_SIZE = 64  # unpacked results kept for the articles being read and drawn

    def __init__(self) -> None:
        self._id_map: dict[str, Article] = {}  # `_by_id`
        self._fingerprint_map: dict[str, int] = {}  # `_by_fingerprint`: fingerprint -> article number
        self._unmapped: list[Article] | None = None  # the articles by number, until the two maps above are built
        self._scans = 0  # lookups answered by a scan meanwhile
        self._ids: list[str] = []  # article number -> id; numbers are what the packed indexes hold
        self._dated: list[Article] = []  # in load order
        self._undated: list[Article] = []
        self._by_date: dict[bool, list[Article]] = {True: [], False: []}  # a prefix of _dated, sorted each way
        self._order_cache: dict[bool, ArticleView] = {}
        self._strings = StringTable()
        self._shelf = Shelf(prefix="analysis-")  # each analysed article's packed result, off the heap
        # by article number: where its packed result is on the shelf (-1: not analysed) and how long, and
        # its rows in the event table (an article's rows are consecutive)
        self._packed_at = array("q")
        self._packed_size = array("i")
        self._first_event = array("i")
        self._event_count = array("i")
        self._enriched = 0
        self._unpacked: OrderedDict[str, Enrichment] = OrderedDict()
        self._entity_articles: dict[str, array] = {}  # key -> [article number, mentions, ...], one pair an article
        self._entity_names: dict[str, dict[str, int]] = {}  # key -> normal form -> mentions
        self._facets = FacetTable()  # key -> mentions, articles, first date, for the entity browser
        self._events = EventTable()
        self._events_by_key: dict[str, array] = {}
        self._speech = SpeechIndex()  # roles and quotes by person
        self._live_event_rows: array | None = None  # once an article is removed: the rows still listed
        self._generation = 0  # removals so far: a view after one is not a later view of one before
        self._built_facets: Facets | None = None  # the last `facets` made: the next one carries its orders over

    @property
    def _by_id(self) -> dict[str, Article]:
        """Id -> article (built here first if a store `filled` in bulk is still waiting for its maps)."""
        if self._unmapped is not None:
            self._map()
        return self._id_map

    @property
    def _by_fingerprint(self) -> dict[str, int]:
        """Fingerprint -> article number (built here first, as `_by_id`)."""
        if self._unmapped is not None:
            self._map()
        return self._fingerprint_map

    def _map(self) -> None:
        articles = self._unmapped
        if articles is not None:  # (unless another thread just handed them over)
            self._id_map, self._fingerprint_map = article_maps(articles)
            self._unmapped = None

    @property
    def unmapped(self) -> list[Article] | None:
        """The articles of a store `filled` without its lookup maps, by number, until they are built (`map_with`)."""
        return self._unmapped

    def map_with(self, articles: list[Article], maps: tuple[dict[str, Article], dict[str, int]]) -> bool:
        """Take the lookup maps of `articles` built on another thread (`article_maps`), if this store still waits for
        them; False if it does not (it built them itself, or is not the store they were built for)."""
        if self._unmapped is not articles:
            return False
        self._id_map, self._fingerprint_map = maps
        self._unmapped = None
        return True

    def __len__(self) -> int:
        return len(self._id_map) if self._unmapped is None else len(self._unmapped)

    def __iter__(self) -> Iterator[Article]:
        return iter(self._id_map.values()) if self._unmapped is None else iter(self._unmapped)

    def _scanning(self) -> list[Article] | None:
        """The articles to scan for one lookup while the maps are built on another thread (a scan in C: 10-30 ms at
        10^6); None when the maps are here, or built here after a few scans (many lookups: a search's hits)."""
        articles = self._unmapped
        if articles is not None:
            self._scans += 1
            if self._scans > SCANS_BEFORE_MAPPING:
                self._map()
                return None
        return articles

    def get(self, article_id: str) -> Article | None:
        articles = self._scanning()
        if articles is None:
            return self._id_map.get(article_id)
        try:
            return articles[self._ids.index(article_id)]
        except ValueError:
            return None

    def by_fingerprint(self, fingerprint: str) -> Article | None:
        articles = self._scanning()
        if articles is not None:
            try:
                return articles[indexOf(map(_FINGERPRINT, articles), fingerprint)]
            except ValueError:
                return None
        number = self._fingerprint_map.get(fingerprint)
        return self._id_map[self._ids[number]] if number is not None else None

    def add(self, article: Article) -> LoadWarning | None:
        """Keep `article` (its text released to its file) unless the same text is already here; then
        the warning names both paths."""
        duplicates = self.add_many([article])
        return duplicates[0][1] if duplicates else None

    def add_many(self, articles: Iterable[Article]) -> list[tuple[int, LoadWarning]]:
        """`add` for each article, the date order refreshed once: a snapshot brings a million at a time.
        Returns the duplicates, as (index in `articles`, warning)."""
        by_id, by_fingerprint, ids = self._by_id, self._by_fingerprint, self._ids
        add_dated, add_undated = self._dated.append, self._undated.append
        duplicates = []
        for index, article in enumerate(articles):
            first = by_fingerprint.get(article.fingerprint)
            if first is not None:
                duplicates.append((index, duplicate_warning(article, by_id[ids[first]])))
                continue
            if article.held_text is not None:
                article = article.released()
            if article.id in by_id:
                article = article._replace(id=article.path)
            by_id[article.id] = article
            by_fingerprint[article.fingerprint] = len(ids)
            ids.append(article.id)
            (add_dated if article.date else add_undated)(article)
        self._order_cache.clear()
        return duplicates

    @classmethod
    def filled(cls, articles: list[Article], newest: list[int], oldest: list[int], mapped: bool = True) -> Store:
        """A store of `articles` in this load order, made in bulk (a warm start's million at once): no two may
        share a fingerprint or an id, none may hold its text (`released`), and `newest` and `oldest` are the numbers
        (indexes in `articles`) of the dated ones as `ordered` sorts them each way. What `add_many` would check and sort
        was worked out when the snapshot was written (`ingest.snapshot.store_plan`); only the counts are checked
        here (and again when the maps are built).

        Without `mapped`, the lookup maps (id -> article, fingerprint -> number: ~0.8 s at 10^6, most of it cache
        misses) are left for `article_maps` to build elsewhere and `map_with` to hand over; until then `get` and
        `by_fingerprint` scan, and anything else that needs them builds them first. Raises ValueError when the
        articles do not fit the orders."""
        store = cls()
        store._ids = list(map(_ID, articles))
        store._dated = list(compress(articles, map(_DATE, articles)))
        store._undated = list(filterfalse(_DATE, articles)) if len(store._dated) < len(articles) else []
        store._by_date = {True: list(map(articles.__getitem__, newest)), False: list(map(articles.__getitem__, oldest))}
        if {len(newest), len(oldest)} != {len(store._dated)}:
            raise ValueError("the articles do not fit their plan")
        store._unmapped = articles
        if mapped:
            store.map_with(articles, article_maps(articles))
        return store

    def absorb(self, other: Store) -> bool:
        """Take over the articles of `other`, a store filled (and sorted, by `ordered`) on another thread from
        the same archive as this one, which holds no analysis yet: its dictionaries and lists become this one's at
        no cost. False, and nothing done, when this store holds analysis or lost articles, or `other` holds any."""
        if self.enriched_count or self._generation or other.enriched_count or other._generation:
            return False
        self._id_map, self._fingerprint_map, self._ids = other._id_map, other._fingerprint_map, other._ids
        self._unmapped, self._scans = other._unmapped, other._scans
        self._dated, self._undated, self._by_date = other._dated, other._undated, other._by_date
        other.__init__()  # type: ignore[misc]  # it must not share what is now this store's
        self._order_cache.clear()
        return True

    def remove(self, articles: Iterable[Article]) -> list[Article]:
        """Forget the articles of files deleted or changed: gone from the views, the lookups, the entity and
        event indexes. An article counts only if the one stored for its text came from the same file as it
        was (so a duplicate's file changing leaves the article it duplicated). Returns those removed."""
        removed = []
        for article in articles:
            stored = self.by_fingerprint(article.fingerprint)
            if stored is None or stored[_STAMPED] != article[_STAMPED]:
                continue
            removed.append(stored)
            del self._by_id[stored.id]
            self._forget_analysis(stored.id, self._by_fingerprint.pop(stored.fingerprint))
        if removed:
            gone = set(map(id, removed))
            for order in (self._dated, self._undated, *self._by_date.values()):
                order[:] = [article for article in order if id(article) not in gone]
            self._order_cache.clear()
            self._generation += 1
        return removed

    def _forget_analysis(self, article_id: str, number: int) -> None:
        """Take an article's entities and events out of the packed indexes (its table rows stay, unlisted)."""
        self._unpacked.pop(article_id, None)
        packed = self._packed(number)
        if packed is None:
            return
        self._packed_at[number] = -1
        self._enriched -= 1
        keys = packed_keys(packed)
        entities, event_keys = keys.entities, keys.events
        self._speech.forget(number, keys, self._strings)
        for key in dict.fromkeys(key for _, key in entities):
            pairs = self._entity_articles[self._strings[key]]
            at = _pair_index(pairs, number)
            del pairs[at : at + 2]
            self._facets.recount(self._strings[key], pairs, self._day_of)
            if not pairs:
                del self._entity_articles[self._strings[key]]
        for normal, key in entities:
            names = self._entity_names[self._strings[key]]
            names[self._strings[normal]] -= 1
            if not names[self._strings[normal]]:
                del names[self._strings[normal]]
            if not names:
                del self._entity_names[self._strings[key]]
        rows = self._event_rows(number)
        if not rows:
            return
        self._event_count[number] = 0
        for key in dict.fromkeys(
            key for index in self._events.indexes[rows.start : rows.stop] for key in event_keys[index]
        ):
            listed = self._events_by_key.get(self._strings[key])
            if listed is not None:
                del listed[bisect_left(listed, rows.start) : bisect_left(listed, rows.stop)]
                if not listed:
                    del self._events_by_key[self._strings[key]]
        live = self._live_event_rows
        if live is None:
            live = self._live_event_rows = array("i", range(len(self._events)))
        del live[bisect_left(live, rows.start) : bisect_left(live, rows.stop)]

    def ordered(self, newest_first: bool = True) -> ArticleView:
        """All articles by date; unknown dates last either way, ties in load order.

        New articles are appended to the sorted list and sorted in: timsort merges the two runs
        in linear time, so a loading batch does not cost a full sort of the archive.
        """
        view = self._order_cache.get(newest_first)
        if view is None:
            by_date = self._by_date[newest_first]
            if len(by_date) < len(self._dated):
                by_date += self._dated[len(by_date) :]
                by_date.sort(key=attrgetter("date"), reverse=newest_first)
            view = DateOrderView(
                by_date + self._undated,
                self._order_key(newest_first),
                self.get,
                _day_key(newest_first),
                lambda: self._unmapped is not None,
            )
            self._order_cache[newest_first] = view
        return view

    def _order_key(self, newest_first: bool) -> Callable[[Article], tuple]:
        """What `ordered` sorts by, spelt out: dated before undated, by date, ties in load order."""
        sign = -1 if newest_first else 1

        def key(article: Article) -> tuple:
            number = self._by_fingerprint.get(article.fingerprint, -1)  # -1: removed since the view was made
            return (1, 0, number) if article.date is None else (0, sign * article.date.toordinal(), number)

        return key

    def take_shelf_problem(self) -> str | None:
        """Why the analysis results moved from their file to memory; given once, for the one warning."""
        return self._shelf.take_problem()

    def set_enrichment(self, fingerprint: str, enrichment: Enrichment) -> Article | None:
        """Index an article's entities and events; returns the article, or None if it is not here."""
        number = self._by_fingerprint.get(fingerprint)
        if number is None:
            return None
        article_id = self._ids[number]
        if self._on_shelf(number):
            return self._by_id[article_id]
        if len(self._packed_at) <= number:
            missing = len(self._ids) - len(self._packed_at)
            self._packed_at.extend(array("q", [-1]) * missing)
            for column in (self._packed_size, self._first_event, self._event_count):
                column.extend(array("i", bytes(4 * missing)))
        packed = pack(enrichment, self._strings).tobytes()
        self._packed_at[number] = self._shelf.put(packed)
        self._packed_size[number] = len(packed)
        self._enriched += 1
        intern = self._strings.intern
        mention_counts = Counter(intern(entity.key) for entity in enrichment.entities)
        for key, mentions in mention_counts.items():
            self._entity_articles.setdefault(key, array("i")).extend((number, mentions))
        self._facets.add(mention_counts.items(), self._day_of(number))
        for entity in enrichment.entities:
            names = self._entity_names.setdefault(intern(entity.key), {})
            names[intern(entity.normal)] = names.get(entity.normal, 0) + 1
        self._speech.add(number, enrichment, intern)
        first_row = len(self._events)
        for index, event in enumerate(enrichment.events):
            try:
                first_day, last_day = event.period
            except (ValueError, OverflowError):  # a value the calendar cannot hold: not on the timeline
                continue
            row = self._events.append(first_day, last_day, number, index)
            for key in dict.fromkeys(event.keys):
                self._events_by_key.setdefault(intern(key), array("i")).append(row)
        if len(self._events) > first_row:
            self._first_event[number], self._event_count[number] = first_row, len(self._events) - first_row
            if self._live_event_rows is not None:
                self._live_event_rows.extend(range(first_row, len(self._events)))
        return self._by_id[article_id]

    def enrichment(self, article_id: str) -> Enrichment | None:
        """The article's analysis, rebuilt from its packed form (recent ones are kept)."""
        enrichment = self._unpacked.get(article_id)
        if enrichment is not None:
            self._unpacked.move_to_end(article_id)
            return enrichment
        number = self._number(article_id)
        packed = None if number is None else self._packed(number)
        if packed is None:
            return None
        enrichment = self._unpacked[article_id] = unpack(packed, self._by_id[article_id].text, self._strings)
        if len(self._unpacked) > self.ENRICHMENT_CACHE_SIZE:
            self._unpacked.popitem(last=False)
        return enrichment

    def _number(self, article_id: str) -> int | None:
        article = self._by_id.get(article_id)
        return None if article is None else self._by_fingerprint.get(article.fingerprint)

    def _on_shelf(self, number: int) -> bool:
        return number < len(self._packed_at) and self._packed_at[number] >= 0

    def _packed(self, number: int) -> array | None:
        """The article's packed result, read from the shelf, or None when it has none."""
        if not self._on_shelf(number):
            return None
        packed = array("i")
        packed.frombytes(self._shelf.get(self._packed_at[number], self._packed_size[number]))
        return packed

    def _event_rows(self, number: int) -> range:
        """The article's rows in the event table."""
        if number >= len(self._event_count):
            return range(0)
        return range(self._first_event[number], self._first_event[number] + self._event_count[number])

    def is_enriched(self, article_id: str) -> bool:
        number = self._number(article_id)
        return number is not None and self._on_shelf(number)

    @property
    def enriched_count(self) -> int:
        return self._enriched

    def entity_keys(self) -> list[str]:
        """Every entity key seen so far, bare surnames included."""
        return list(self._entity_articles)

    def mention_counts(self, key: str) -> dict[str, int]:
        """Article id -> mentions of exactly `key` (no surname joining)."""
        return {self._ids[number]: count for number, count in self._mentions(key)}

    def mention_pairs(self, key: str) -> array:
        """[article number, mentions, ...] of exactly `key`, one pair an article, a copy (the search thread
        reads it); `numbered` gives the articles."""
        return self._entity_articles.get(key, array("i"))[:]

    def numbered(self, numbers: Iterable[int]) -> list[Article | None]:
        """The articles of these numbers (from `mention_pairs`); None for one removed meanwhile."""
        by_id, ids, numbers_of = self._by_id, self._ids, self._by_fingerprint
        found = [by_id.get(ids[number]) for number in numbers]
        return [
            article if article is not None and numbers_of.get(article.fingerprint) == number else None
            for article, number in zip(found, numbers, strict=True)
        ]

    def _mentions(self, key: str) -> Iterator[tuple[int, int]]:
        """(article number, mentions) of exactly `key`, from a copy: the search thread calls this too."""
        pairs = self.mention_pairs(key)
        return zip(pairs[0::2], pairs[1::2], strict=True)

    def articles_mentioning(
        self, keys: str | Sequence[str], newest_first: bool = True, every: bool = True
    ) -> ArticleView:
        """The articles that mention the entity `keys` (bare-surname mentions included), by date; given several
        keys, those that mention `every` one of them, or any one of them."""
        articles = [self._by_id[article_id] for article_id in self._ids_naming(keys, every)]
        return ArticleView(articles if newest_first else articles[::-1])

    def _ids_naming(self, keys: str | Sequence[str], every: bool) -> Sequence[str]:
        """The ids of the articles naming `keys` (every one of them, or any), newest first."""
        if isinstance(keys, str):
            keys = [keys]
        lists = [info.article_ids if (info := self.entity(key)) else () for key in keys]
        if len(lists) < 2:
            return lists[0] if lists else ()
        wanted = set(lists[0]).intersection(*lists[1:]) if every else set(lists[0]).union(*lists[1:])
        return sorted(wanted, key=self._day_of_id, reverse=True)

    def _day_of_id(self, article_id: str) -> int:
        date = self._by_id[article_id].date
        return date.toordinal() if date else 0

    def _day_of(self, number: int) -> int:
        """The day ordinal of the article numbered `number`, UNDATED if it has no date. A worker thread calls this:
        it reads the articles by number while the maps are being built elsewhere, never builds them (`_by_id`)."""
        unmapped = self._unmapped
        article = unmapped[number] if unmapped is not None else self._id_map.get(self._ids[number])
        return article.date.toordinal() if article is not None and article.date else UNDATED

    def facet_table(self) -> FacetCopy:
        """Every entity key's mentions, articles and first date, copied for a worker thread (`facets.Facets`)."""
        return self._facets.copy()

    @property
    def facet_version(self) -> int:
        """Changes whenever `facet_table` would give something new."""
        return self._facets.version

    def facets(self, table: FacetCopy) -> Facets:
        """`table` (from `facet_table`) with bare surnames joined to their full names, and the orders of the last
        one made carried over: for a worker thread (it reads the indexes only through copies), one at a time."""
        base = self._built_facets
        facets = Facets.joined(table, lambda keys: len(self._numbers_naming(keys)), base)
        if base is None or base.version <= facets.version:
            self._built_facets = facets
        return facets

    @property
    def built_facets(self) -> Facets | None:
        """The last `facets` made (perhaps older than the table now), for a browser to list at once."""
        return self._built_facets

    def co_occurrence(self, facets: Facets, key: str, cap: int) -> CoOccurrence:
        """What the entity `key` of `facets` is named with, in its newest `cap` articles (a worker thread's call)."""
        numbers = sorted(self._numbers_naming(facets.joined_keys(key)), key=self._day_of, reverse=True)
        return co_occurring(key, numbers, self.entity_keys_in, facets.canonical, cap)

    def _numbers_naming(self, keys: Iterable[str]) -> set[int]:
        return {number for key in keys for number in self.mention_pairs(key)[0::2]}

    def entity_keys_in(self, number: int) -> set[str]:
        """The entity keys the analysis found in the article numbered `number`, read from its packed result."""
        packed = self._packed(number)
        strings = self._strings
        return set() if packed is None else {strings[key] for _, key in packed_keys(packed).entities}

    def mentions_by_month(self, key: str) -> dict[int, int]:
        """Mentions of the entity `key` (joined surnames included) per month (`facets.month_index`) of the dated
        articles naming it. Linear in its articles (15 ms for 14,500): a worker thread counts it for many."""
        by_day: Counter[int] = Counter()
        for each in self._keys_joined_to(key):
            pairs = self.mention_pairs(each)
            for day, mentions in zip(map(self._day_of, pairs[0::2]), pairs[1::2], strict=True):
                by_day[day] += mentions
        by_day.pop(UNDATED, None)
        by_month: Counter[int] = Counter()
        for day, mentions in by_day.items():
            by_month[month_index(datetime.date.fromordinal(day))] += mentions
        return dict(by_month)

    def top_entities(self, count: int) -> list[EntityInfo]:
        """The most mentioned entities, for the command palette."""
        totals: Counter[str] = Counter()
        for key, articles in self._entity_articles.items():
            totals[self.canonical_key(key)] += sum(articles[1::2])
        return [info for key, _ in totals.most_common(count) if (info := self.entity(key)) is not None]

    def canonical_key(self, key: str) -> str:
        """A bare surname key joins the one full name in the corpus that ends with it."""
        return self._facets.surnames.targets.get(key, key)

    def _keys_joined_to(self, key: str) -> list[str]:
        """`key` (made canonical) and the bare-surname key joined to it."""
        key = self.canonical_key(key)
        alias = self._facets.surnames.alias_of.get(key)
        return [key] if alias is None else [key, alias]

    def entity(self, key: str) -> EntityInfo | None:
        """Everything the store knows of an entity, bare-surname mentions included."""
        keys = self._keys_joined_to(key)
        articles: Counter[int] = Counter()
        for each in keys:
            for number, mentions in self._mentions(each):
                articles[number] += mentions
        if not articles:
            return None
        ids = [self._ids[number] for number in articles]
        by_date = sorted(ids, key=lambda article_id: self._by_id[article_id].date or datetime.date.min, reverse=True)
        canonical = keys[0]
        kind = canonical.split(":", 1)[0]
        return EntityInfo(canonical, kind, self.entity_name(keys), articles.total(), tuple(by_date))

    def entity_name(self, keys: Sequence[str]) -> str:
        """The name the archive gives the entity `keys[0]`, whose row also counts `keys[1:]` (joined surnames)."""
        names: Counter[str] = Counter()
        for each in keys:
            names.update(self._entity_names.get(each, {}))
        if not names:
            return keys[0].partition(":")[2]
        return _display_name(keys[0], names, self._place_name)

    def _place_name(self, place: str) -> str:
        """A folded place as the archive's texts name it most often ("сша" -> "США"), else capitalised."""
        names = self._entity_names.get(f"LOC:{place}")
        return max(names, key=names.__getitem__) if names else place.capitalize()

    def roles(self, key: str) -> list[str]:
        """The roles the archive gives the person `key` (joined surnames included), the most often given first."""
        return self._speech.roles(self._keys_joined_to(key))

    def quotes(self, key: str) -> list[SaidQuote]:
        """What the person `key` said, across the archive: newest article first, in text order within one."""
        found = [
            (article.date or datetime.date.min, number, -index, article.id)
            for number, index in self._speech.quotes(self._keys_joined_to(key))
            if (article := self._by_id.get(self._ids[number])) is not None
        ]
        found.sort(reverse=True)
        return [SaidQuote(article_id, -negative) for _, _, negative, article_id in found]

    def events(self, keys: str | Sequence[str] | None = None, every: bool = True) -> EventView:
        """All events in the order they were analysed; or those whose sentence names one of the entities `keys`
        (bare surnames joined), and of several keys with `every`, only those of the articles naming all of them."""
        if keys is None:
            rows = self._live_event_rows
            listed = range(len(self._events)) if rows is None else rows[:]
            return EventView(("all", str(self._generation)), self._events, listed, self._timeline_event)
        keys = [keys] if isinstance(keys, str) else list(keys)
        joined = [each for key in keys for each in self._keys_joined_to(key)]
        rows = self._events_by_key.get(joined[0], array("i"))
        if len(joined) > 1:  # several keys: their rows are merged, so the view is rebuilt in row order
            rows = array("i", sorted(set(rows).union(*(self._events_by_key.get(each, ()) for each in joined[1:]))))
        mode = "any"
        if every and len(keys) > 1:
            mode, naming_all = "every", set(self._ids_naming(keys, every=True))
            rows = array("i", (row for row in rows if self._ids[self._events.articles[row]] in naming_all))
        source = ("entity", str(self._generation), mode, *joined)
        return EventView(source, self._events, rows[:], self._timeline_event)

    def article_events(self, article_id: str) -> EventView:
        """The events of one article, in time order."""
        number = self._number(article_id)
        rows = range(0) if number is None else self._event_rows(number)
        return EventView(("article", article_id), self._events, rows, self._timeline_event).in_time_order()

    def _timeline_event(self, row: int) -> TimelineEvent:
        article_id = self._ids[self._events.articles[row]]
        enrichment = self.enrichment(article_id)
        assert enrichment is not None, "only enriched articles have rows in the event table"
        event = enrichment.events[self._events.indexes[row]]
        first_day, last_day = (
            datetime.date.fromordinal(column[row]) for column in (self._events.first_days, self._events.last_days)
        )
        return TimelineEvent(first_day, last_day, article_id, event)


def _day_key(newest_first: bool) -> Callable[[Article], tuple]:
    """`Store._order_key` without the ties."""
    sign = -1 if newest_first else 1
    return lambda article: (1, 0) if article.date is None else (0, sign * article.date.toordinal())


def duplicate_warning(duplicate: Article, kept: Article) -> LoadWarning:
    """What is said of an article whose text a stored one has."""
    return LoadWarning(duplicate.path, f"duplicate of {kept.path}, skipped")


SCANS_BEFORE_MAPPING = 8
MAP_SLICE = 20_000  # articles mapped in one C call (~10 ms), so a thread building the maps lets the UI thread in


def article_maps(articles: list[Article]) -> tuple[dict[str, Article], dict[str, int]]:
    """`Store`'s lookup maps of `articles` (by number): id -> article, fingerprint -> number (no two may share
    either: `Store.filled`)."""
    by_id: dict[str, Article] = {}
    by_fingerprint: dict[str, int] = {}
    for start in range(0, len(articles), MAP_SLICE):
        part = articles[start : start + MAP_SLICE]
        by_id.update(zip(map(_ID, part), part, strict=True))
        by_fingerprint.update(zip(map(_FINGERPRINT, part), range(start, start + len(part)), strict=True))
    return by_id, by_fingerprint


_ID = attrgetter("id")
_FINGERPRINT = attrgetter("fingerprint")
_DATE = attrgetter("date")
_STAMPED = slice(Article._fields.index("source"), Article._fields.index("mtime_ns") + 1)  # its file, size and mtime


def _display_name(key: str, names: Counter[str], place_name: Callable[[str], str]) -> str:
    """The normal form the key was made from ("Михаил Галузин", not the more frequent "Галузин"); a key a place
    tells apart from its namesakes (`ORG:мвд|украина`, nlp/homonyms.py) names the place: "МВД (Украина)"."""
    wanted, _, place = key.partition(":")[2].partition("|")
    matching = [name for name, _ in names.most_common() if fold_key(name) == wanted]
    name = matching[0] if matching else names.most_common(1)[0][0]
    if not place or place in fold_key(name):
        return name
    return f"{name} ({place_name(place)})"


def _pair_index(pairs: array, number: int) -> int:
    """Where the pair (number, mentions) starts in [number, mentions, ...]: `index` runs in C, and a hit
    at an odd place is a mention count that happens to equal `number`."""
    at = pairs.index(number)
    while at % 2:
        at = pairs.index(number, at + 1)
    return at
