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
from typing import TYPE_CHECKING, NamedTuple

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


COUNTS = 5  # entities, dates, events, roles, quotes
ROLE_FIELDS = 5
QUOTE_FIELDS = 6


def pack(enrichment: Enrichment, strings: StringTable) -> array:
    """[counts] [start end type normal key]* [start end value granularity]*
    [value granularity start end sentence_start sentence_end key_count keys*]*
    [start end role key kind]* [start end key kind sentence_start sentence_end]*"""
    n = strings.number
    counts = (enrichment.entities, enrichment.dates, enrichment.events, enrichment.roles, enrichment.quotes)
    packed = array("i", map(len, counts))
    for e in enrichment.entities:
        packed.extend((e.start, e.end, n(e.type), n(e.normal), n(e.key)))
    for d in enrichment.dates:
        packed.extend((d.start, d.end, n(d.value), n(d.granularity)))
    for v in enrichment.events:
        packed.extend((n(v.value), n(v.granularity), v.start, v.end, v.sentence_start, v.sentence_end, len(v.keys)))
        packed.extend(map(n, v.keys))
    for r in enrichment.roles:
        packed.extend((r.start, r.end, n(r.role), n(r.key), n(r.kind)))
    for q in enrichment.quotes:
        packed.extend((q.start, q.end, n(q.key), n(q.kind), q.sentence_start, q.sentence_end))
    return packed


class PackedKeys(NamedTuple):
    """What the store's indexes hold of an article, as string numbers, read without its text."""

    entities: list[tuple[int, int]]  # (normal, key) of each entity mention
    events: list[array]  # the keys of each event
    roles: list[tuple[int, int]]  # (role, key) of each role
    quotes: list[int]  # the speaker key of each quote


def packed_keys(packed: array) -> PackedKeys:
    entity_count, date_count, event_count, role_count, quote_count = packed[0:COUNTS]
    entities = [(packed[at + 3], packed[at + 4]) for at in range(COUNTS, COUNTS + 5 * entity_count, 5)]
    at = COUNTS + 5 * entity_count + 4 * date_count
    events = []
    for _ in range(event_count):
        key_count = packed[at + 6]
        events.append(packed[at + 7 : at + 7 + key_count])
        at += 7 + key_count
    roles = [(packed[row + 2], packed[row + 3]) for row in range(at, at + ROLE_FIELDS * role_count, ROLE_FIELDS)]
    at += ROLE_FIELDS * role_count
    quotes = [packed[row + 2] for row in range(at, at + QUOTE_FIELDS * quote_count, QUOTE_FIELDS)]
    return PackedKeys(entities, events, roles, quotes)


def unpack(packed: array, text: str, strings: StringTable) -> Enrichment:
    """The Enrichment `pack` was given; mention texts are sliced from the article `text`."""
    from newsreader.nlp.dates import DateMention
    from newsreader.nlp.enrich import Enrichment
    from newsreader.nlp.entities import EntityMention
    from newsreader.nlp.events import Event
    from newsreader.nlp.quotes import Quote
    from newsreader.nlp.roles import RoleMention

    s = strings.__getitem__
    entity_count, date_count, event_count, role_count, quote_count = packed[0:COUNTS]
    at = COUNTS
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
    roles = []
    for _ in range(role_count):
        start, end, role, key, kind = packed[at : at + ROLE_FIELDS]
        roles.append(RoleMention(start, end, s(role), s(key), s(kind)))
        at += ROLE_FIELDS
    quotes = []
    for _ in range(quote_count):
        start, end, key, kind, sentence_start, sentence_end = packed[at : at + QUOTE_FIELDS]
        quotes.append(Quote(start, end, s(key), s(kind), sentence_start, sentence_end))
        at += QUOTE_FIELDS
    return Enrichment(tuple(entities), tuple(dates), tuple(events), tuple(roles), tuple(quotes))
