"""Timeline events as integer columns: one row per placed event, and rows never move.

A fully analysed 100k archive places ~800k events. As objects they would be millions for
the GC to walk and a second of sorting for every refresh of the timeline; as columns they
are four arrays, a row number is an event's id, and a view that grows only appends rows,
so the timeline can count just the new ones.
"""

from __future__ import annotations

import dataclasses
import datetime
from array import array
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:
    from newsreader.nlp.events import Event


@dataclasses.dataclass(frozen=True, slots=True)
class TimelineEvent:
    """An event placed on the corpus timeline: its days, the article and the event."""

    first_day: datetime.date
    last_day: datetime.date
    article_id: str
    event: Event


class EventTable:
    """Day ordinals, article number and the event's index in that article's enrichment, per row."""

    def __init__(self) -> None:
        self.first_days = array("i")
        self.last_days = array("i")
        self.articles = array("i")
        self.indexes = array("i")

    def __len__(self) -> int:
        return len(self.first_days)

    def append(self, first_day: datetime.date, last_day: datetime.date, article: int, index: int) -> int:
        """Add a row and return its number."""
        self.first_days.append(first_day.toordinal())
        self.last_days.append(last_day.toordinal())
        self.articles.append(article)
        self.indexes.append(index)
        return len(self.first_days) - 1


class EventView(Sequence[TimelineEvent]):
    """Some rows of the table in a fixed order. `source` names what they are (all events, an entity's, an
    article's): a later view of the same source holds the same rows first, and maybe more after them."""

    def __init__(
        self, source: tuple[str, ...], table: EventTable, rows: Sequence[int], resolve: Callable[[int], TimelineEvent]
    ) -> None:
        self.source = source
        self._table = table
        self._rows = rows
        self._resolve = resolve

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> TimelineEvent: ...

    @overload
    def __getitem__(self, index: slice) -> list[TimelineEvent]: ...

    def __getitem__(self, index: int | slice) -> TimelineEvent | list[TimelineEvent]:
        if isinstance(index, slice):
            return [self._resolve(row) for row in self._rows[index]]
        return self._resolve(self._rows[index])

    def row(self, index: int) -> int:
        """The table row behind position `index`: a stable id for the event."""
        return self._rows[index]

    def day_columns(self, start: int = 0) -> tuple[array, array]:
        """First and last day ordinals of the rows from position `start` on."""
        rows = self._rows[start:]
        if isinstance(rows, range) and rows.step == 1:
            return self._table.first_days[rows.start : rows.stop], self._table.last_days[rows.start : rows.stop]
        firsts, lasts = self._table.first_days, self._table.last_days
        return array("i", map(firsts.__getitem__, rows)), array("i", map(lasts.__getitem__, rows))

    def in_time_order(self) -> EventView:
        """The same events sorted by first day, then last day; ties keep their order."""
        firsts, lasts = self._table.first_days, self._table.last_days
        rows = sorted(self._rows, key=lambda row: (firsts[row], lasts[row]))
        return EventView(self.source + ("by time",), self._table, rows, self._resolve)
