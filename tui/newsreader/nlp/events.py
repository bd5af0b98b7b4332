"""Timeline events: each resolved date the story tells, with its sentence and the entities of its clause."""

import datetime
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace

from newsreader.nlp.clauses import Clauses
from newsreader.nlp.dates import DateMention

_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"(\d{4})")
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_SEASON = re.compile(r"(\d{4})-(WI|SP|SU|FA)")
_SEASON_MONTHS = {"WI": (-1, 12, 2), "SP": (0, 3, 5), "SU": (0, 6, 8), "FA": (0, 9, 11)}  # (year shift, first, last)
# A sentence naming more is a list or a table; without a bound the keys grow with the square of its length.
MAX_EVENT_KEYS = 64
_WORD = re.compile(r"\w+")
_NEAR_IDENTICAL = 0.8  # share of the words of two sentences that makes them one telling
_REPEAT_WINDOW = 8  # kept events of one value a new one is compared with: a bound, so merging stays linear


@dataclass(frozen=True, slots=True)
class Event:
    """A resolved date expression at text[start:end] inside sentence text[sentence_start:sentence_end]."""

    value: str
    granularity: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    keys: tuple[str, ...]

    @property
    def period(self) -> tuple[datetime.date, datetime.date]:
        """First and last day the value covers."""
        return period(self.value)


def period(value: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of a TIMEX3 value: day, week, month, quarter, season, year or 'a/b'."""
    if "/" in value:
        start, end = value.split("/", 1)
        return period(start)[0], period(end)[1]
    if match := _DAY.fullmatch(value):
        day = datetime.date(*map(int, match.groups()))
        return day, day
    if match := _WEEK.fullmatch(value):
        monday = datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        return monday, min(monday, datetime.date.max - datetime.timedelta(days=6)) + datetime.timedelta(days=6)
    if match := _MONTH.fullmatch(value):
        return _months(int(match[1]), int(match[2]), int(match[2]))
    if match := _QUARTER.fullmatch(value):
        first_month = 3 * int(match[2]) - 2
        return _months(int(match[1]), first_month, first_month + 2)
    if match := _SEASON.fullmatch(value):
        shift, first, last = _SEASON_MONTHS[match[2]]
        year = int(match[1])
        return _months(year + shift, first, first)[0], _months(year, last, last)[1]
    if match := _YEAR.fullmatch(value):
        return _months(int(match[1]), 1, 12)
    raise ValueError(f"not a TIMEX3 value: {value!r}")


def _months(year: int, first: int, last: int) -> tuple[datetime.date, datetime.date]:
    end = datetime.date(year, 12, 31) if last == 12 else datetime.date(year, last + 1, 1) - datetime.timedelta(days=1)
    return datetime.date(year, first, 1), end


def build_events(
    text: str,
    dates: Sequence[DateMention],
    sentences: Sequence[tuple[int, int]],
    entity_spans: Sequence[tuple[int, int, str]],
) -> tuple[Event, ...]:
    """One event per resolved date the story tells (not a dateline, a comparison or a model year), with the
    entities of its clause (nlp/clauses.py; the first MAX_EVENT_KEYS of them) and its sentence for display.
    `sentences` are sorted and disjoint. Repeats are merged (`_merge_repeats`).

    Each sentence is cut into clauses once, and its entities looked up once: the work is linear in the text."""
    sentence_starts = [start for start, _ in sentences]
    order = sorted(range(len(entity_spans)), key=lambda index: entity_spans[index][0])
    entity_starts = [entity_spans[index][0] for index in order]
    by_sentence: dict[tuple[int, int], list[DateMention]] = {}
    for mention in dates:
        if mention.value is not None and mention.eventful:
            bounds = _enclosing(sentences, sentence_starts, mention.start, mention.end)
            by_sentence.setdefault(bounds, []).append(mention)
    events = []
    for (start, end), mentions in by_sentence.items():
        inside = order[bisect_left(entity_starts, start) : bisect_right(entity_starts, end)]
        spans = [entity_spans[index] for index in sorted(inside) if entity_spans[index][1] <= end]
        clauses = Clauses(text, start, end)
        owners = clauses.owners(clauses.clause_at(mention.start) for mention in mentions)
        keys_of: dict[int | None, dict[str, None]] = {}
        for span_start, _, key in spans:
            keys_of.setdefault(owners[clauses.clause_at(span_start)], {})[key] = None
        for mention in mentions:
            keys = tuple(keys_of.get(clauses.clause_at(mention.start), ()))[:MAX_EVENT_KEYS]
            assert mention.value is not None, "only resolved mentions are grouped"
            events.append(Event(mention.value, mention.granularity, mention.start, mention.end, start, end, keys))
    events.sort(key=lambda event: event.start)
    return _merge_repeats(text, events)


def _merge_repeats(text: str, events: list[Event]) -> tuple[Event, ...]:
    """One event for each fact told twice in an article: two events of the same value are one when they stand
    in one sentence ("20 марта, в субботу"; a clause's date repeated), when they name the same entities (at
    least one), or when they stand in near-identical sentences (a lead repeated in the body: `_NEAR_IDENTICAL`
    of their words shared). The first telling stays, with the
    entities of both. Each is compared with the last `_REPEAT_WINDOW` kept events of its value only."""
    kept: list[Event] = []
    by_keys: dict[tuple[str, str, frozenset[str], int], int] = {}  # (value, granularity, keys, sentence) -> index
    by_sentence: dict[tuple[str, str, int], int] = {}  # (value, granularity, sentence) -> index
    recent: dict[tuple[str, str], list[int]] = {}
    words: dict[int, frozenset[str]] = {}
    for event in events:
        period_key = (event.value, event.granularity)
        keys = frozenset(event.keys)
        same_keys = (*period_key, keys, -1 if keys else event.sentence_start)
        index = by_keys.get(same_keys, by_sentence.get((*period_key, event.sentence_start)))
        if index is None:
            index = next(
                (
                    other
                    for other in recent.get(period_key, ())
                    if _near_identical(_words(text, kept[other], words), _words(text, event, words))
                ),
                None,
            )
        if index is not None:
            merged = dict.fromkeys(kept[index].keys) | dict.fromkeys(event.keys)
            kept[index] = replace(kept[index], keys=tuple(merged)[:MAX_EVENT_KEYS])
            continue
        by_keys[same_keys] = by_sentence[(*period_key, event.sentence_start)] = len(kept)
        recent.setdefault(period_key, []).append(len(kept))
        del recent[period_key][:-_REPEAT_WINDOW]
        kept.append(event)
    return tuple(kept)


def _words(text: str, event: Event, cache: dict[int, frozenset[str]]) -> frozenset[str]:
    """The words of the event's sentence, lower-cased, found once per sentence."""
    found = cache.get(event.sentence_start)
    if found is None:
        words = _WORD.findall(text, event.sentence_start, event.sentence_end)
        found = cache[event.sentence_start] = frozenset(word.lower() for word in words)
    return found


def _near_identical(first: frozenset[str], second: frozenset[str]) -> bool:
    union = len(first | second)
    return union > 0 and len(first & second) >= _NEAR_IDENTICAL * union


def _enclosing(
    sentences: Sequence[tuple[int, int]], sentence_starts: list[int], start: int, end: int
) -> tuple[int, int]:
    """The sentence span around [start, end); the mention itself if the segmenter split inside it."""
    first, last = start, end
    index = bisect_right(sentence_starts, start) - 1
    if index >= 0 and start < sentences[index][1]:
        first = sentences[index][0]
    index = bisect_left(sentence_starts, end) - 1
    if index >= 0 and end <= sentences[index][1]:
        last = sentences[index][1]
    return first, last
