"""Enrichments held as flat integer arrays, their strings in one shared table, the arrays on a shelf off the heap.

A fully analysed 100k archive has millions of mentions, dates and events. As objects they
cost ~10 KB an article and a full GC pass over them takes seconds; as one `array` each,
with keys, normal forms and values stored once, they cost ~1 KB. Even so that is 100 MB at
10^5 articles and a gigabyte at 10^6, in the heap, for what only the article being read (and
the few events the timeline shows) needs: so the arrays are kept on a `Shelf`, an unlinked
file in the user cache read back by offset, and the heap holds 20 bytes an article (where
its array is, and its rows in the event table).
The objects are rebuilt only for the article being read.
"""

from __future__ import annotations

from array import array
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the NLP modules are imported by whoever produced the enrichment
    from newsreader.nlp.enrich import Enrichment

NO_STRING = -1  # a date mention without a resolved value


class StringTable:
    """Each distinct string once, numbered in order of arrival."""

    def __init__(self) -> None:
        self._strings: list[str] = []
        self._numbers: dict[str, int] = {}

    def number(self, text: str | None) -> int:
        if text is None:
            return NO_STRING
        number = self._numbers.get(text)
        if number is None:
            number = self._numbers[text] = len(self._strings)
            self._strings.append(text)
        return number

    def intern(self, text: str) -> str:
        """The table's own copy of `text`, so equal keys in the indexes share one string."""
        return self._strings[self.number(text)]

    def __getitem__(self, number: int) -> str:
        return self._strings[number]

    def optional(self, number: int) -> str | None:
        """The string numbered `number`, or None for NO_STRING (what `number(None)` gives)."""
        return None if number == NO_STRING else self._strings[number]


def pack(enrichment: Enrichment, strings: StringTable) -> array:
    """[counts] [start end type normal key]* [start end value granularity]*
    [value granularity start end sentence_start sentence_end key_count keys*]*"""
    n = strings.number
    packed = array("i", (len(enrichment.entities), len(enrichment.dates), len(enrichment.events)))
    for e in enrichment.entities:
        packed.extend((e.start, e.end, n(e.type), n(e.normal), n(e.key)))
    for d in enrichment.dates:
        packed.extend((d.start, d.end, n(d.value), n(d.granularity)))
    for v in enrichment.events:
        packed.extend((n(v.value), n(v.granularity), v.start, v.end, v.sentence_start, v.sentence_end, len(v.keys)))
        packed.extend(map(n, v.keys))
    return packed


def packed_keys(packed: array) -> tuple[list[tuple[int, int]], list[array]]:
    """The (normal, key) string numbers of each entity mention and the key numbers of each event: what the
    store's indexes hold of an article, read without its text."""
    entity_count, date_count, event_count = packed[0:3]
    entities = [(packed[at + 3], packed[at + 4]) for at in range(3, 3 + 5 * entity_count, 5)]
    at = 3 + 5 * entity_count + 4 * date_count
    events = []
    for _ in range(event_count):
        key_count = packed[at + 6]
        events.append(packed[at + 7 : at + 7 + key_count])
        at += 7 + key_count
    return entities, events


def unpack(packed: array, text: str, strings: StringTable) -> Enrichment:
    """The Enrichment `pack` was given; mention texts are sliced from the article `text`."""
    from newsreader.nlp.dates import DateMention
    from newsreader.nlp.enrich import Enrichment
    from newsreader.nlp.entities import EntityMention
    from newsreader.nlp.events import Event

    s = strings.__getitem__
    entity_count, date_count, event_count = packed[0:3]
    at = 3
    entities = []
    for _ in range(entity_count):
        start, end, kind, normal, key = packed[at : at + 5]
        entities.append(EntityMention(start, end, s(kind), text[start:end], s(normal), s(key)))
        at += 5
    dates = []
    for _ in range(date_count):
        start, end, value, granularity = packed[at : at + 4]
        dates.append(DateMention(start, end, text[start:end], strings.optional(value), s(granularity)))
        at += 4
    events = []
    for _ in range(event_count):
        value, granularity, start, end, sentence_start, sentence_end, key_count = packed[at : at + 7]
        keys = tuple(map(s, packed[at + 7 : at + 7 + key_count]))
        events.append(Event(s(value), s(granularity), start, end, sentence_start, sentence_end, keys))
        at += 7 + key_count
    return Enrichment(tuple(entities), tuple(dates), tuple(events))
