"""Entity facets: every entity's mentions, articles and first date, sorted and filtered for the entity browser,
what appears with one entity, and its mentions over time.

The table grows with each analysed article in O(its entities) (`FacetTable.add`, on the UI thread), and so
does its join of bare surnames to full names (`surnames`); the browser copies it in C (`FacetTable.copy`) and a
worker thread joins the surnames, sorts and filters the copy (`Facets`). At 10^6 entities a first sort takes a
second, so a worker lists the first rows before it (`Facets.first_rows`), and the next copy's orders are the
last ones with the changed rows taken out and merged back in (`Facets.joined`).
"""

from __future__ import annotations

import datetime
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from heapq import merge
from itertools import compress, count, repeat
from operator import contains, ge, le, ne
from typing import Any

from newsreader.folding import fold_key
from newsreader.nlp.aliases import group_names
from newsreader.store.surnames import SurnameAliases

TYPES = ("PER", "ORG", "LOC")
OTHER_TYPE = len(TYPES)  # a type the browser has no toggle for (MISC)
UNDATED = 2**31 - 1  # the first day of an entity named only in undated articles: after every date
SORTS = ("count", "name", "date")
FEW_ROWS = 8  # rows to filter fewer than 1/8 of the table's are tested one by one, more all at once in C
STEP = 50_000  # rows a sort in C takes at once: ~50 ms of holding the GIL
SAMPLE = 10_000  # rows sampled for where the first rows of an order end (`Facets.first_rows`)


def type_code(key: str) -> int:
    kind = key.partition(":")[0]
    return TYPES.index(kind) if kind in TYPES else OTHER_TYPE


def folded_name(key: str) -> str:
    """What typed text is matched against and names sort by: the key's name ("мвд украина" for `ORG:мвд|украина`)."""
    return key.partition(":")[2].replace("|", " ")


class FacetTable:
    """One row per entity key as the analysis gave it (a bare surname apart from its full name), kept up to date
    in O(an article's entities) per analysed article."""

    def __init__(self) -> None:
        self._rows: dict[str, int] = {}
        self.keys: list[str] = []
        self.names: list[str] = []  # folded_name of each key
        self.types = array("b")
        self.mentions = array("q")
        self.articles = array("q")
        self.first = array("i")  # day ordinal of the earliest article naming it, UNDATED if none is dated
        self.surnames = SurnameAliases()  # over the keys some article names
        self.version = 0  # changes with every update: a copy older than it is stale

    def row_of(self, key: str) -> int | None:
        """The row of `key`, None if no article named it (read from a worker too: rows are only ever added)."""
        return self._rows.get(key)

    def _row(self, key: str) -> int:
        row = self._rows.get(key)
        if row is None:
            row = self._rows[key] = len(self.keys)
            self.keys.append(key)
            self.names.append(folded_name(key))
            self.types.append(type_code(key))
            self.mentions.append(0)
            self.articles.append(0)
            self.first.append(UNDATED)
        return row

    def add(self, mentions: Iterable[tuple[str, int]], day: int) -> None:
        """An analysed article dated `day` (an ordinal, or UNDATED) names each key so many times."""
        for key, times in mentions:
            row = self._row(key)
            if not self.articles[row]:
                self.surnames.appeared(key)
            self.mentions[row] += times
            self.articles[row] += 1
            self.first[row] = min(self.first[row], day)
        self.version += 1

    def recount(self, key: str, pairs: Sequence[int], day_of: Callable[[int], int]) -> None:
        """The row of `key` made again from its [article number, mentions, ...] after an article was removed."""
        row = self._row(key)
        numbers = pairs[0::2]
        if bool(numbers) != bool(self.articles[row]):
            (self.surnames.appeared if numbers else self.surnames.gone)(key)
        self.mentions[row] = sum(pairs[1::2])
        self.articles[row] = len(numbers)
        self.first[row] = min(map(day_of, numbers), default=UNDATED)
        self.version += 1

    def copy(self) -> FacetCopy:
        """The table as it is now, copied in C (a few ms at 10^6 rows), for a worker thread to read."""
        rows = self._rows
        return FacetCopy(
            self,
            {rows[alias]: rows[target] for alias, target in self.surnames.targets.items()},
            self.version,
            self.keys[:],
            self.names[:],
            self.types[:],
            self.mentions[:],
            self.articles[:],
            self.first[:],
        )


@dataclass(repr=False)  # (a repr would spell out a million keys)
class FacetCopy:
    """The table's columns at one version, and its joined surnames (bare surname's row -> full name's row)."""

    origin: FacetTable  # (rows are numbered alike only in copies of one table)
    aliases: dict[int, int]
    version: int
    keys: list[str]
    names: list[str]
    types: array
    mentions: array
    articles: array
    first: array


@dataclass(frozen=True)
class FacetRow:
    key: str
    type: str
    mentions: int
    articles: int
    first: datetime.date | None


@dataclass(repr=False)
class Facets(FacetCopy):
    """A copy of the table with bare surnames joined to their full names, and its orders (made when first asked).

    Rows are the table's: a joined bare surname's row, and the row of a key no article names any more, are in
    no order (`shown` is 0). Built on a worker thread (`joined`); its rows never change, so the UI reads it
    without locks."""

    shown: bytearray = field(default_factory=bytearray)  # 1 for each row listed
    listed: int = 0  # rows shown
    aliases_of: dict[str, list[str]] = field(default_factory=dict)  # a full name's key -> the bare surnames joined
    surnames: dict[str, str] = field(default_factory=dict)  # a bare-surname key -> the full name's key it is joined to
    _orders: dict[str, array] = field(default_factory=dict)

    @classmethod
    def joined(cls, table: FacetCopy, union_size: Callable[[list[str]], int], base: Facets | None = None) -> Facets:
        """`table` with each of its aliases counted in its full name's row: mentions add up, articles are counted
        once by `union_size` (the articles naming any of the keys). The orders `base` (an earlier copy of the same
        table) had made are carried over: its rows that changed are taken out and merged back in."""
        mentions, articles, first = table.mentions[:], table.articles[:], table.first[:]
        shown = bytearray(map(bool, articles))
        keys = table.keys
        for alias, target in table.aliases.items():
            shown[alias] = 0
            mentions[target] += mentions[alias]
            first[target] = min(first[target], first[alias])
            articles[target] = union_size([keys[target], keys[alias]])
        facets = cls(
            table.origin,
            table.aliases,
            table.version,
            keys,
            table.names,
            table.types,
            mentions,
            articles,
            first,
            shown,
            shown.count(1),
            {keys[target]: [keys[alias]] for alias, target in table.aliases.items()},
            {keys[alias]: keys[target] for alias, target in table.aliases.items()},
        )
        if base is not None and base.origin is table.origin and len(base.keys) <= len(keys):
            facets._orders = facets._carried_orders(base)
        return facets

    def __len__(self) -> int:
        return self.listed

    def row(self, index: int) -> FacetRow:
        first = self.first[index]
        return FacetRow(
            self.keys[index],
            self.keys[index].partition(":")[0],
            self.mentions[index],
            self.articles[index],
            None if first == UNDATED else datetime.date.fromordinal(first),
        )

    def sort_key(self, sort: str) -> Callable[[int], tuple[Any, ...]]:
        """What `order` sorts the rows by, spelt out: ties by name, then by row."""
        names, mentions, first = self.names, self.mentions, self.first
        if sort == "count":
            return lambda row: (-mentions[row], names[row], row)
        if sort == "date":
            return lambda row: (first[row], names[row], row)
        if sort == "name":
            return lambda row: (names[row], row)
        raise ValueError(f"unknown sort {sort!r}")

    def has_order(self, sort: str) -> bool:
        return sort in self._orders

    def order(self, sort: str) -> array:
        """The shown rows by `sort`: "count" (most mentioned first), "name" or "date" (earliest first); ties by
        name. Made once per sort (~1 s at 10^6 rows, unless carried over from the last copy), so on a worker."""
        cached = self._orders.get(sort)
        if cached is not None:
            return cached
        self.sort_key(sort)  # (an unknown sort raises)
        by_name = self._orders.get("name")
        if by_name is None:
            rows = array("i", compress(range(len(self.keys)), self.shown))
            by_name = self._orders["name"] = _sorted_in_steps(rows, self.names.__getitem__)
        if sort == "count":  # stable sorts over the name order: ties stay by name, then by row
            self._orders[sort] = _sorted_in_steps(by_name, self.mentions.__getitem__, reverse=True)
        elif sort == "date":
            self._orders[sort] = _sorted_in_steps(by_name, self.first.__getitem__)
        return self._orders[sort]

    def first_rows(self, sort: str, wanted: int) -> array:
        """The first `wanted` rows of `order(sort)` without sorting them all (~50 ms at 10^6 rows): the rows at
        least as far up as a sample's `wanted`-th are found in C, and only they are sorted."""
        if sort in self._orders or len(self.keys) <= SAMPLE:
            return self.order(sort)[:wanted]
        column: Sequence[Any] = {"count": self.mentions, "name": self.names, "date": self.first}[sort]
        up_to = ge if sort == "count" else le
        step = len(self.keys) // SAMPLE
        sample = sorted(column[::step], reverse=sort == "count")
        reach = wanted // step + 1
        while reach < len(sample):  # at least `wanted` shown rows reach the threshold: the first ones are among them
            reaching = compress(count(), map(up_to, column, repeat(sample[reach])))
            candidates = [row for row in reaching if self.shown[row]]
            if len(candidates) * FEW_ROWS > len(self.keys):  # ties at the threshold: sorting them all is as quick
                break
            if len(candidates) >= wanted:
                return array("i", sorted(candidates, key=self.sort_key(sort))[:wanted])
            reach *= 4
        return self.order(sort)[:wanted]

    def _carried_orders(self, base: Facets) -> dict[str, array]:
        """`base`'s orders made for these rows: the rows whose count, first date or showing changed (and the new
        rows) taken out, sorted and merged back in. Empty if so many changed that sorting afresh is as quick."""
        changed = set(range(len(base.keys), len(self.keys)))
        for new, old in ((self.mentions, base.mentions), (self.first, base.first), (self.shown, base.shown)):
            changed.update(compress(count(), map(ne, new, old)))  # (in C: map stops at the shorter, `old`)
        if len(changed) * FEW_ROWS > len(self.keys):
            return {}
        stays = bytearray(b"\x01") * len(self.keys)
        for row in changed:
            stays[row] = 0
        back = [row for row in changed if self.shown[row]]
        return {sort: _merged(order, stays, back, self.sort_key(sort)) for sort, order in dict(base._orders).items()}

    def select(
        self, sort: str, types: frozenset[str], text: str, within: FacetSelection | None = None
    ) -> FacetSelection:
        """The rows of `types` whose name holds `text` (folded as keys are), in `sort` order. `within`: an earlier
        selection of this table, same sort and types, whose text `text` extends: only its rows are looked at."""
        needle = fold_key(text.strip())
        codes = frozenset(TYPES.index(kind) if kind in TYPES else OTHER_TYPE for kind in types)
        narrowing = (
            within is not None
            and within.facets is self
            and not within.partial
            and (within.sort, within.types) == (sort, types)
            and needle.startswith(within.needle)
        )
        rows = within.rows if narrowing and within is not None else self.order(sort)
        if not narrowing and codes != frozenset(range(OTHER_TYPE + 1)):
            rows = _rows_where(rows, map(codes.__contains__, self.types))
        aliased = self._named_by_alias(needle) if needle else set()
        if needle and len(rows) * FEW_ROWS < len(self.names):  # narrowed to a few: only they are looked at
            names = self.names
            rows = array("i", [row for row in rows if needle in names[row] or row in aliased])
        elif needle:  # every name tested in C (map, compress): a Python loop takes ~0.5 s at 10^6 names
            passed = _names_holding(self.names, needle)
            for row in aliased:
                passed[row] = 1
            rows = _rows_where(rows, passed)
        return FacetSelection(self, sort, types, needle, rows)

    def _named_by_alias(self, needle: str) -> set[int]:
        """The rows of the alias table's groups a name of which holds `needle` ("сша", "евросоюз"): their keys
        hold only the group's canonical name ("соединенные штаты америки")."""
        rows: set[int] = set()
        for canonical, names in group_names().items():
            if any(needle in name for name in names):
                found = (self.origin.row_of(f"{kind}:{canonical}") for kind in TYPES)
                rows.update(row for row in found if row is not None and row < len(self.keys))
        return rows

    def canonical(self, key: str) -> str:
        """The key whose row counts `key`: its full name for a joined bare surname."""
        return self.surnames.get(key, key)

    def joined_keys(self, key: str) -> list[str]:
        """`key` and the bare-surname keys counted in its row."""
        return [key, *self.aliases_of.get(key, ())]


def _sorted_in_steps(rows: array, key: Callable[[int], Any], reverse: bool = False) -> array:
    """`sorted(rows, key=key, reverse=reverse)`, stable, as slices of STEP rows sorted in C and merged in Python: one
    sort of 10^6 rows in C holds the GIL, and so stops the UI thread, for a second; a slice, for a few ms."""
    runs = [sorted(rows[start : start + STEP], key=key, reverse=reverse) for start in range(0, len(rows), STEP)]
    if len(runs) < 2:
        return array("i", runs[0] if runs else ())
    return array("i", merge(*runs, key=key, reverse=reverse))  # (ties: the earlier run's first, so stable)


def _merged(order: array, stays: bytearray, back: list[int], key: Callable[[int], Any]) -> array:
    """`order` without the rows that do not stay, with the rows `back` merged in where `key` puts them."""
    kept = array("i", compress(order, map(stays.__getitem__, order)))
    back.sort(key=key)
    merged, start = array("i"), 0
    for row in back:
        at = bisect_left(kept, key(row), start, key=key)
        merged += kept[start:at]
        merged.append(row)
        start = at
    merged += kept[start:]
    return merged


def _names_holding(names: list[str], needle: str) -> bytearray:
    """1 for each name holding `needle`, tested in C a slice of STEP names at a time: one call over 10^6 names
    holds the GIL, and so the UI thread and the key that typed the letter, for 0.2-0.3 s."""
    passed = bytearray()
    for start in range(0, len(names), STEP):
        passed += bytes(map(contains, names[start : start + STEP], repeat(needle)))
    return passed


def _rows_where(rows: array, tests: Iterable[bool] | bytearray) -> array:
    """The `rows`, in order, for which `tests` (one for every row of the table, by row) holds."""
    passed = bytes(tests)
    return array("i", compress(rows, map(passed.__getitem__, rows)))


@dataclass(frozen=True, repr=False)
class FacetSelection:
    """The rows of a `Facets` the browser lists: a virtual list reads row `index` as `facets.row(rows[index])`."""

    facets: Facets
    sort: str
    types: frozenset[str]
    needle: str
    rows: array
    partial: bool = False  # only the first rows, listed while the order of them all is made

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> FacetRow:
        return self.facets.row(self.rows[index])

    def index_of(self, key: str) -> int | None:
        """Where `key` is listed, or None (a scan in C: for keeping the cursor on its entity)."""
        try:
            row = self.facets.keys.index(key)
            return self.rows.index(row)
        except ValueError:
            return None


@dataclass(frozen=True)
class CoOccurrence:
    """The entities named in the same articles as one entity, with how many articles they share."""

    key: str
    counts: list[tuple[str, int]]  # (key, shared articles), most shared first, ties by key
    scanned: int  # articles looked at: the newest ones, at most a cap
    total: int  # articles naming the entity


def co_occurring(
    key: str,
    articles_newest_first: Sequence[int],
    keys_in: Callable[[int], Iterable[str]],
    canonical: Callable[[str], str],
    cap: int,
) -> CoOccurrence:
    """What `key` appears with, from the entity keys of its newest `cap` articles (by article number, newest
    first); each key made `canonical`, so a bare surname counts for its full name."""
    counts: Counter[str] = Counter()
    scanned = articles_newest_first[:cap]
    for number in scanned:
        counts.update({canonical(each) for each in keys_in(number)})
    counts.pop(key, None)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))  # ties by key: the same every run
    return CoOccurrence(key, ranked, len(scanned), len(articles_newest_first))


MONTHS_PER_YEAR = 12


def month_index(day: datetime.date) -> int:
    return day.year * MONTHS_PER_YEAR + day.month - 1


def month_label(index: int) -> str:
    return f"{index // MONTHS_PER_YEAR:04d}-{index % MONTHS_PER_YEAR + 1:02d}"


@dataclass(frozen=True)
class Bucket:
    first_month: int
    last_month: int
    mentions: int


def month_buckets(by_month: dict[int, int], width: int) -> list[Bucket]:
    """Mentions per month from the first month to the last, every month shown (a quiet one as 0), grouped into
    as few months a bucket as fit `width` columns."""
    if not by_month or width < 1:
        return []
    first, last = min(by_month), max(by_month)
    span = last - first + 1
    size = -(-span // width)  # months a bucket
    return [
        Bucket(start, min(start + size, last + 1) - 1, sum(by_month.get(m, 0) for m in range(start, start + size)))
        for start in range(first, last + 1, size)
    ]


BLOCKS = " ▁▂▃▄▅▆▇█"
EIGHTHS = len(BLOCKS) - 1


def bar_rows(values: Sequence[int], height: int) -> list[str]:
    """Vertical bars `height` rows high, one column a value, top row first, drawn in eighths of a row with block
    characters; the largest value fills the column, and any value above 0 shows at least ▁."""
    peak = max(values, default=0)
    levels = [max(1, round(value * height * EIGHTHS / peak)) if value > 0 else 0 for value in values]
    return [
        "".join(BLOCKS[min(max(level - row * EIGHTHS, 0), EIGHTHS)] for level in levels)
        for row in reversed(range(height))
    ]
