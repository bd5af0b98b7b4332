"""Dates in dump metadata (columns, feed fields, URLs), read strictly.

Common machine forms are read by regular expressions and `email.utils` first: dateparser costs
about a millisecond a call, and a dump repeats one form hundreds of thousands of times. Worded
dates ("1 января 2010") go to dateparser with strict settings, and its answers are cached.
A date is taken as written, in its own time zone: "2019-08-06T23:30:00+03:00" is 6 August,
the day the outlet printed. Nothing is guessed: a missing day or year, a relative date
("вчера") and a numeric date that reads both ways ("01/02/2010") are problems, not dates.

An article file without a date header may still print its timestamp near the top ("14.03.2017, 09:45",
"14 марта 2017, 09:45", "09:45 14.03.2017"): `text_timestamp` reads one, day first with a time beside it,
so that a date the story merely mentions is not taken for its publication date.
"""

import datetime
import email.utils
import re
from functools import lru_cache

MAX_VALUE_CHARS = 80  # a longer value is not a date, and is shortened in the problem

_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?)?",
    re.IGNORECASE,
)
_TIME = r"(?:\s*(?:г\.?|года))?(?:[T ,]+\d{1,2}:\d{2}(?::\d{2})?)?"  # "06.08.2019 г., 14:15"
# Day first, as Russian writes it: "06.08.2019", "06-08-2019", "06 08 2019", "06.08.19"
_DOTTED = re.compile(r"(\d{1,2})([.\- ])(\d{1,2})\2(\d{4}|\d{2})" + _TIME)
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})" + _TIME)
_YEAR_FIRST_SLASHED = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})" + _TIME)
_RFC_822_MONTH = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})([/-])(\d{1,2})\2(\d{1,2})(?=[/_.-]|$)")
_GENITIVE_MONTHS = tuple("января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split())
_STAMP_DAY = (
    r"(?<![\d.])(?P<day>\d{1,2})(?:\.(?P<month>\d{1,2})\.|\s+(?P<month_name>" + "|".join(_GENITIVE_MONTHS) + r")\s+)"
    r"(?P<year>\d{4}|\d{2})(?!\d)(?:\s*(?:г\.|года))?"
)
_STAMP_TIME = r"(?<![\d:])(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)(?::[0-5]\d)?(?![\d:])"
_STAMP_GAP = r"\s*[,|–—-]?\s*(?:в\s+)?"
_TIMESTAMPS = (  # the day first, or the time first ("09:45 14.03.2017")
    re.compile(rf"{_STAMP_DAY}{_STAMP_GAP}{_STAMP_TIME}", re.IGNORECASE),
    re.compile(rf"{_STAMP_TIME}{_STAMP_GAP}{_STAMP_DAY}", re.IGNORECASE),
)
TIMESTAMP_LINE_CHARS = 120  # a longer line is prose, whose dates are the story's, not the article's
TIMESTAMP_LINE_WORDS = 3  # words beside a timestamp: "Опубликовано:", "Москва,"; more is a sentence
_WORD = re.compile(r"[^\W\d_]+")
_DATEPARSER_SETTINGS = {
    "STRICT_PARSING": True,
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PARSERS": ["absolute-time"],  # no "relative-time" ("вчера") and no timestamps
    "RETURN_AS_TIMEZONE_AWARE": False,
    "DATE_ORDER": "DMY",  # a numeric form the patterns above missed is read day first, as Russian writes it
}


def metadata_date(value: str) -> tuple[datetime.date | None, str | None]:
    """(date, problem) for a date field's value; the problem (plain wording, may hold the value) says why not."""
    value = value.strip()
    if len(value) > MAX_VALUE_CHARS:
        return None, f"'{value[:MAX_VALUE_CHARS]}…' is not a date"
    if not value:
        return None, "the date is empty"
    for pattern, order in ((_ISO, "ymd"), (_YEAR_FIRST_SLASHED, "ymd")):
        if match := pattern.fullmatch(value):
            return _checked(value, match, order)
    if match := _DOTTED.fullmatch(value):
        return _checked(value, (match[1], match[3], match[4]), "dmy")
    if match := _SLASHED.fullmatch(value):
        return _slashed(value, match)
    if _RFC_822_MONTH.search(value) and (day := _rfc_822(value)):
        return day, None
    day = _dateparser_date(value)
    return (day, None) if day else (None, f"'{value}' is not a date with a day, month and year")


def text_timestamp(line: str) -> tuple[datetime.date, str] | None:
    """The day of a timestamp in a short line ("14.03.2017, 09:45", "Опубликовано: 14 марта 2017, 09:45") and
    the timestamp as written (only digits, a month name and punctuation: safe to quote); None when there is
    none, its day is not real, or the line is a sentence ("В 14:30 14 марта 2017 года в Москве начался митинг")."""
    if len(line) > TIMESTAMP_LINE_CHARS:
        return None
    for match in (match for pattern in _TIMESTAMPS for match in pattern.finditer(line)):
        month = match["month"] or str(_GENITIVE_MONTHS.index(match["month_name"].lower()) + 1)
        day, problem = _checked(match[0], (match["day"], month, match["year"]), "dmy")
        rest = line[: match.start()] + " " + line[match.end() :]
        if day is not None and problem is None and len(_WORD.findall(rest)) <= TIMESTAMP_LINE_WORDS:
            return day, match[0]
    return None


def url_date(url: str) -> datetime.date | None:
    """The date in a URL's path ("/2018/12/14/" or "/2018-12-14/"), the first that is a real day."""
    path_start = url.find("/", url.find("//") + 2 if "//" in url else 0)
    for match in _URL_DATE.finditer(url, max(path_start, 0)):
        try:
            return datetime.date(int(match[1]), int(match[3]), int(match[4]))
        except ValueError:
            continue
    return None


def _checked(value: str, match: re.Match | tuple[str, str, str], order: str) -> tuple[datetime.date | None, str | None]:
    """The date of three numbers in `order`; a two-digit year is this century's up to next year, else the last's."""
    numbers = match.group(1, 2, 3) if isinstance(match, re.Match) else match
    parts = dict(zip(order, map(int, numbers), strict=True))
    if parts["y"] < 100:
        parts["y"] += 2000 if parts["y"] <= datetime.date.today().year % 100 + 1 else 1900
    try:
        return datetime.date(parts["y"], parts["m"], parts["d"]), None
    except ValueError:
        return None, f"'{value}' is not a real day"


def _slashed(value: str, match: re.Match) -> tuple[datetime.date | None, str | None]:
    """Day/month/year or month/day/year: whichever is possible; when both are, the date is not taken."""
    first, second = int(match[1]), int(match[2])
    if first <= 12 and second <= 12 and first != second:
        return None, f"'{value}' is ambiguous (day/month or month/day); not taken"
    order = "mdy" if second > 12 else "dmy"
    return _checked(value, match, order)


def _rfc_822(value: str) -> datetime.date | None:
    """A feed's date ("Tue, 06 Aug 2019 14:15:00 +0300"), as written in its own zone."""
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return moment.date() if moment else None


@lru_cache(maxsize=4096)
def _dateparser_date(value: str) -> datetime.date | None:
    import dateparser  # ~70 ms to import: only when a dump holds a worded date

    try:
        moment = dateparser.parse(value, languages=["ru", "en"], settings=_DATEPARSER_SETTINGS)
    except Exception:  # noqa: BLE001 - a library's bug on one hostile value must not stop the file
        return None
    return moment.date() if moment else None
