"""Entity facets: every entity's mentions, articles and first date, sorted and filtered for the entity browser,
what appears with one entity, and its mentions over time.

The table grows with each analysed article in O(its entities) (`FacetTable.add`, on the UI thread); the
browser copies it in C (`FacetTable.copy`) and a worker thread merges the bare surnames, sorts and filters
the copy (`Facets`): at 10^6 entities a sort takes a second, which must never be on the key path.
"""

from __future__ import annotations

import datetime
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import contains

from newsreader.folding import fold_key

TYPES = ("PER", "ORG", "LOC")
OTHER_TYPE = len(TYPES)  # a type the browser has no toggle for (MISC)
UNDATED = 2**31 - 1  # the first day of an entity named only in undated articles: after every date
SORTS = ("count", "name", "date")
FEW_ROWS = 8  # rows to filter fewer than 1/8 of the table's are tested one by one, more all at once in C


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
        self.version = 0  # changes with every update: a copy older than it is stale

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
        for key, count in mentions:
            row = self._row(key)
            self.mentions[row] += count
            self.articles[row] += 1
            self.first[row] = min(self.first[row], day)
        self.version += 1

    def recount(self, key: str, pairs: Sequence[int], day_of: Callable[[int], int]) -> None:
        """The row of `key` made again from its [article number, mentions, ...] after an article was removed."""
        row = self._row(key)
        numbers = pairs[0::2]
        self.mentions[row] = sum(pairs[1::2])
        self.articles[row] = len(numbers)
        self.first[row] = min(map(day_of, numbers), default=UNDATED)
        self.version += 1

    def copy(self) -> FacetCopy:
        """The table as it is now, copied in C (a few ms at 10^6 rows), for a worker thread to read."""
        return FacetCopy(
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
    """The table's columns at one version."""

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

    Built on a worker thread (`joined`); its rows never change, so the UI reads it without locks."""

    aliases: dict[str, list[str]] = field(default_factory=dict)  # a full name's key -> the bare surnames joined to it
    surnames: dict[str, str] = field(default_factory=dict)  # a bare-surname key -> the full name's key it is joined to
    _orders: dict[str, array] = field(default_factory=dict)

    @classmethod
    def joined(cls, table: FacetCopy, aliases: dict[str, str], union_size: Callable[[list[str]], int]) -> Facets:
        """`table` with each alias (bare surname -> full name) counted in its full name's row: mentions add up,
        articles are counted once by `union_size` (the articles naming any of the keys)."""
        row_of = {key: row for row, key in enumerate(table.keys)}
        mentions, articles, first = table.mentions[:], table.articles[:], table.first[:]
        joined: dict[str, list[str]] = {}
        hidden = bytearray(len(table.keys))
        for alias, target in aliases.items():
            alias_row, target_row = row_of.get(alias), row_of.get(target)
            if alias_row is None or target_row is None:
                continue
            joined.setdefault(target, []).append(alias)
            hidden[alias_row] = 1
            mentions[target_row] += mentions[alias_row]
            first[target_row] = min(first[target_row], first[alias_row])
        for target, aliases_of in joined.items():
            articles[row_of[target]] = union_size([target, *aliases_of])
        shown = [not hide and count > 0 for hide, count in zip(hidden, articles, strict=True)]
        return cls(
            table.version,
            list(compress(table.keys, shown)),
            list(compress(table.names, shown)),
            array("b", compress(table.types, shown)),
            array("q", compress(mentions, shown)),
            array("q", compress(articles, shown)),
            array("i", compress(first, shown)),
            joined,
            {alias: target for target, each in joined.items() for alias in each},
        )

    def __len__(self) -> int:
        return len(self.keys)

    def row(self, index: int) -> FacetRow:
        first = self.first[index]
        return FacetRow(
            self.keys[index],
            self.keys[index].partition(":")[0],
            self.mentions[index],
            self.articles[index],
            None if first == UNDATED else datetime.date.fromordinal(first),
        )

    def order(self, sort: str) -> array:
        """Row indexes by `sort`: "count" (most mentioned first), "name" or "date" (earliest first); ties by name.
        Made once per sort (~1 s at 10^6 rows), so on a worker thread."""
        cached = self._orders.get(sort)
        if cached is not None:
            return cached
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r}")
        by_name = self._orders.get("name")
        if by_name is None:
            by_name = self._orders["name"] = array("i", sorted(range(len(self.keys)), key=self.names.__getitem__))
        if sort == "count":  # stable sorts over the name order: ties stay by name
            self._orders[sort] = array("i", sorted(by_name, key=self.mentions.__getitem__, reverse=True))
        elif sort == "date":
            self._orders[sort] = array("i", sorted(by_name, key=self.first.__getitem__))
        return self._orders[sort]

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
            and (within.sort, within.types) == (sort, types)
            and needle.startswith(within.needle)
        )
        rows = within.rows if narrowing and within is not None else self.order(sort)
        if not narrowing and codes != frozenset(range(OTHER_TYPE + 1)):
            rows = _rows_where(rows, map(codes.__contains__, self.types))
        if needle and len(rows) * FEW_ROWS < len(self.names):  # narrowed to a few: only they are looked at
            names = self.names
            rows = array("i", [row for row in rows if needle in names[row]])
        elif needle:  # every name tested in C (map, compress): a Python loop takes ~0.5 s at 10^6 names
            rows = _rows_where(rows, map(contains, self.names, repeat(needle)))
        return FacetSelection(self, sort, types, needle, rows)

    def canonical(self, key: str) -> str:
        """The key whose row counts `key`: its full name for a joined bare surname."""
        return self.surnames.get(key, key)

    def joined_keys(self, key: str) -> list[str]:
        """`key` and the bare-surname keys counted in its row."""
        return [key, *self.aliases.get(key, ())]


def _rows_where(rows: array, tests: Iterable[bool]) -> array:
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
