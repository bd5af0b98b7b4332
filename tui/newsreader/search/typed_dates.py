"""Dates typed in words: `прошлая неделя`, `март 2019`, `с 3 по 7 марта`, `last week`, `вчера`.

The grammar that reads dates in articles (nlp.dates) is tried first, so a query means what
the same words mean in a story; dateparser (the design card's package) reads what it does not,
such as English or a bare month name. Both count from today and prefer the past: whoever
searches an archive for "март" in December means the March gone by, not the next one.
"""

import datetime
import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # ~70 ms to import: only when a typed date is not the grammar's
    from dateparser.date import DateDataParser

Period = tuple[datetime.date, datetime.date]

MAX_TYPED_CHARS = 64  # dateparser tries many languages' patterns: a pasted paragraph would cost seconds
# Words a period may be typed with around it: "с 3 по 7 марта", "в марте 2019", "за прошлую неделю".
_AROUND = re.compile(r"[\s,.]*(?:(?:с|со|в|во|на|за|от|к|ко|in|on|at|from)\s+)?", re.IGNORECASE)
_TIMELINE_LABEL = re.compile(r"\d{4}-(?:W(?:0[1-9]|[1-4]\d|5[0-3])|Q[1-4]|SP|SU|FA|WI)", re.IGNORECASE)
_NOT_JUST_A_NUMBER = re.compile(r"[^\W\d_]|\d\D+\d")  # a letter, or two numbers
_TRAILING = re.compile(
    r"(?:за\s+)?(?:последн\w*|past|last(?=\s+\d))\s+(?:(?P<count>\d{1,5})\s+)?(?P<unit>д(?:ень|ня|ней)|недел\w*|месяц\w*|год\w*|лет"
    r"|days?|weeks?|months?|years?)",
    re.IGNORECASE,
)
_UNIT_DAYS = (
    ("д", 1), ("day", 1), ("нед", 7), ("week", 7), ("мес", 30), ("month", 30), ("г", 365), ("л", 365), ("y", 365)
)  # fmt: skip
_MAX_TRAILING_DAYS = 365 * 200
_HALF_YEAR = datetime.timedelta(days=183)


def typed_period(text: str, today: datetime.date) -> Period | None:
    """The first and last day `text` names, or None when neither reader finds one period in it."""
    text = text.strip()
    if not text or len(text) > MAX_TYPED_CHARS:
        return None
    if _TIMELINE_LABEL.fullmatch(text):  # as the timeline names its weeks, quarters and seasons
        from newsreader.nlp.events import period

        try:
            return period(text.upper())
        except ValueError:  # week 53 of a year of 52
            return None
    found = _trailing(text, today) or _by_grammar(text, today)
    if found is None and _NOT_JUST_A_NUMBER.search(text):  # dateparser reads "1" as the 1st of this month
        found = _by_dateparser(text, today)
    return found


def _trailing(text: str, today: datetime.date) -> Period | None:
    """ "последние 3 дня", "за последнюю неделю", "past 2 weeks", "last 30 days": up to today ("last week" is
    the calendar week before this one, as "прошлая неделя")."""
    match = _TRAILING.fullmatch(text)
    if match is None:
        return None
    count, unit = int(match["count"] or 1), match["unit"].lower()
    days = next(length for prefix, length in _UNIT_DAYS if unit.startswith(prefix))
    if count > _MAX_TRAILING_DAYS // days:
        return None
    return today - datetime.timedelta(days=count * days - 1), today


def _by_grammar(text: str, today: datetime.date) -> Period | None:
    """One resolved mention that is the whole text; a year guessed into the future moves back a year."""
    found = _grammar_period(text, today)
    if found is None or found[0] <= today:
        return found
    earlier = _grammar_period(text, today - _HALF_YEAR)  # the year nearest half a year ago is the last one
    return earlier if earlier is not None and _year_before(earlier[0], found[0]) else found


def _grammar_period(text: str, reference: datetime.date) -> Period | None:
    from newsreader.nlp.dates import find_dates
    from newsreader.nlp.events import period

    mentions = find_dates(text, reference)
    if len(mentions) != 1:
        return None
    mention = mentions[0]
    if mention.value is None or not _AROUND.fullmatch(text[: mention.start]) or text[mention.end :].strip(" .,"):
        return None
    return period(mention.value)


def _year_before(earlier: datetime.date, later: datetime.date) -> bool:
    """Whether `earlier` is `later` a calendar year back (so only the guessed year differed)."""
    return earlier.year == later.year - 1 and (earlier.month, earlier.day) == (later.month, later.day)


def _by_dateparser(text: str, today: datetime.date) -> Period | None:
    """dateparser's date and the period it says it names (day, week, month or year)."""
    data = _parser(today).get_date_data(text)
    moment, unit = data.date_obj, data.period
    if moment is None:
        return None
    from newsreader.nlp.events import period

    day = moment.date()
    year, week, _ = day.isocalendar()
    value = {"week": f"{year}-W{week:02d}", "month": f"{day:%Y-%m}", "year": f"{day.year}"}.get(unit, f"{day:%Y-%m-%d}")
    return period(value)


@functools.lru_cache(maxsize=2)
def _parser(today: datetime.date) -> "DateDataParser":
    """One parser a day: it counts from midnight of `today` (~150 ms to build its first language data)."""
    from dateparser.date import DateDataParser

    settings = {
        "PREFER_DATES_FROM": "past",
        "RETURN_TIME_AS_PERIOD": True,
        "RELATIVE_BASE": datetime.datetime.combine(today, datetime.time()),
        "DATE_ORDER": "DMY",  # 03/04/2019 is the 3rd of April, as Russian writes it
    }
    return DateDataParser(languages=["ru", "en"], settings=settings)
