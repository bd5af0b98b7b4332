"""Timeline events: each resolved date with its sentence and the entities beside it."""

import datetime
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

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
    dates: Sequence[DateMention],
    sentences: Sequence[tuple[int, int]],
    entity_spans: Sequence[tuple[int, int, str]],
) -> tuple[Event, ...]:
    """One event per resolved date the story tells (not a dateline, a comparison or a model year);
    entities are those whose span lies in the same sentence
    (the first MAX_EVENT_KEYS of them). `sentences` are sorted and disjoint.

    The dates of one sentence share its keys, found once: the work is linear in the text."""
    sentence_starts = [start for start, _ in sentences]
    order = sorted(range(len(entity_spans)), key=lambda index: entity_spans[index][0])
    entity_starts = [entity_spans[index][0] for index in order]
    keys_of: dict[tuple[int, int], tuple[str, ...]] = {}
    events = []
    for mention in dates:
        if mention.value is None or not mention.eventful:
            continue
        start, end = _enclosing(sentences, sentence_starts, mention.start, mention.end)
        if (start, end) not in keys_of:
            inside = order[bisect_left(entity_starts, start) : bisect_right(entity_starts, end)]
            keys = dict.fromkeys(entity_spans[index][2] for index in sorted(inside) if entity_spans[index][1] <= end)
            keys_of[start, end] = tuple(keys)[:MAX_EVENT_KEYS]
        events.append(
            Event(mention.value, mention.granularity, mention.start, mention.end, start, end, keys_of[start, end])
        )
    return tuple(events)


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
