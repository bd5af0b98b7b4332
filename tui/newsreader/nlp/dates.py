"""Temporal expressions in Russian news text, resolved against the publication date.

One precompiled regex grammar finds the spans in a single pass; small resolvers
turn each span into an ISO 8601 / TIMEX3 value at the granularity the text gives.

dateparser is not used. Measured on the seed article it takes ~10 ms per
`search_dates` call (the budget is 1-2 ms), reads "в 2018 году" as year 7, reads
"в 15:30" as a date, resolves "10 января" into the past rather than the nearest
year, finds neither "в июле" nor "с 3 по 7 марта", and reports no granularity.
Its one useful part here, Russian month names, is simpler written out.

Conventions:
- Span: the date words without a leading preposition or position word:
  "в июле" -> "июле", "в конце 2024 года" -> "2024 года", "с 3 по 7 марта" ->
  "3 по 7 марта". Words that carry the meaning stay: "через неделю", "год назад".
- Granularity: day, week, month, season, quarter, year, interval; "unknown"
  when the value is None.
- A day, month, season or quarter without a year takes the year that puts it
  nearest the publication date (news speaks both of last week and next month).
- A bare weekday ("в среду") is its most recent occurrence on or before the
  publication day; "прошлую/эту/следующую среду" pick it in the previous, the
  same or the next ISO week. A date right after it ("в субботу, 22 ноября") wins.
- Seasons are TIMEX3 SP/SU/FA/WI; a winter is labelled with the year of its
  January, so "зимой 2025 года" and, from November 2025, "прошлой зимой" are 2025-WI.
- A number is a year only beside "год"/"г." or a month ("в 2025 году", "июль 2025"),
  so "2025 километров" stays a number. Without a publication date relative
  expressions, and days or months without a year, keep their span with value None.
- Only expressions that pin down a period become mentions: "накануне", "ранее",
  "несколько лет назад" and "в этом квартале" (also a city block) yield nothing.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from newsreader.folding import lower_aligned


@dataclass(frozen=True, slots=True)
class DateMention:
    """A temporal expression at `text[start:end]`; `value` is None when it cannot be resolved."""

    start: int
    end: int
    text: str
    value: str | None
    granularity: str


Resolution = tuple[str | None, str]  # (value, granularity)


class Groups:
    """One rule's groups of a match, by short name: `get("mod")` may be None, `get["unit"]` the rule always fills."""

    __slots__ = ("_match", "_prefix")

    def __init__(self, match: re.Match[str], prefix: str) -> None:
        self._match, self._prefix = match, prefix

    def __call__(self, key: str) -> str | None:
        """The group's text; None when it took no part in the match or the rule has no such group."""
        try:
            return self._match.group(self._prefix + key)
        except IndexError:
            return None

    def __getitem__(self, key: str) -> str:
        value = self(key)
        if value is None:
            raise KeyError(f"{self._prefix}{key} is empty: the rule's pattern and its resolver disagree")
        return value


Resolver = Callable[[Groups, datetime.date | None], Resolution | None]  # None: not a date after all

_UNRESOLVED: Resolution = (None, "unknown")

_MONTH_BY_PREFIX = {
    "янв": 1,
    "фев": 2,
    "мар": 3,
    "апр": 4,
    "май": 5,
    "мая": 5,
    "мае": 5,
    "маю": 5,
    "июн": 6,
    "июл": 7,
    "авг": 8,
    "сен": 9,
    "окт": 10,
    "ноя": 11,
    "дек": 12,
}
_WEEKDAY_BY_PREFIX = {"по": 0, "вт": 1, "ср": 2, "че": 3, "пя": 4, "су": 5, "во": 6}
_SEASON_BY_PREFIX = {"зи": 0, "ве": 1, "ле": 2, "ос": 3}
_SEASON_CODES = ("WI", "SP", "SU", "FA")
_SEASON_MID_MONTHS = (1, 4, 7, 10)
_QUARTER_BY_PREFIX = {"пер": 1, "вто": 2, "тре": 3, "чет": 4, "i": 1, "ii": 2, "iii": 3, "iv": 4}
_PERIOD_BY_PREFIX = {"год": "year", "мес": "month", "нед": "week", "ква": "quarter"}
_COUNTED_UNIT_BY_PREFIX = {  # (granularity, units per counted word)
    "ден": ("day", 1),
    "дня": ("day", 1),
    "дне": ("day", 1),
    "нед": ("week", 1),
    "мес": ("month", 1),
    "пол": ("month", 6),
    "год": ("year", 1),
    "лет": ("year", 1),
}
_UNCOUNTED_UNITS = frozenset({"неделю", "месяц", "год", "полгода"})  # "день" alone: "через день" is "every other day"
_DEICTIC_OFFSETS = {"позавчера": -2, "вчера": -1, "сегодня": 0, "завтра": 1, "послезавтра": 2}
_MODIFIER_OFFSETS = {
    "позапрошл": -2,
    "прошл": -1,
    "минувш": -1,
    "текущ": 0,
    "нынешн": 0,
    "следующ": 1,
    "будущ": 1,
    "наступающ": 1,
    "грядущ": 1,
}
_NUMBER_WORDS = {
    "один": 1,
    "одну": 1,
    "одна": 1,
    "два": 2,
    "две": 2,
    "три": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
    "семь": 7,
    "восемь": 8,
    "девять": 9,
    "десять": 10,
    "одиннадцать": 11,
    "двенадцать": 12,
    "пятнадцать": 15,
    "двадцать": 20,
    "тридцать": 30,
    "сорок": 40,
    "пятьдесят": 50,
    "сто": 100,
}

_MONTH_WORD = (
    r"(?:(?:январ|феврал|апрел|июн|июл|сентябр|октябр|ноябр|декабр)(?:ь|я|е|ю|ём|ем)"
    r"|(?:март|август)(?:а|е|у|ом)?|ма(?:й|я|е|ю|ем))\b"
)
_WEEKDAY_WORD = r"(?:понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)\b"
_SEASON_ADVERB = r"(?:зимой|весной|летом|осенью)\b"
_SEASON_NOUN = r"(?:зим[аыеу]|весн[аыеу]|лет[оау]|осен[ьи])\b"
_MODIFIER = (
    rf"(?:(?:{'|'.join(_MODIFIER_OFFSETS)})(?:ого|его|ому|ему|ый|ий|ой|ая|ое|ее|ом|ем|ую|ей|ым|им)"
    r"|эт(?:ого|ому|от|ом|ой|им|а|о|у))\b"
)
_NUMBER = rf"(?:(?<![\d,.])\d{{1,3}}|(?:{'|'.join(_NUMBER_WORDS)})(?:\s+(?:{'|'.join(_NUMBER_WORDS)}))?)\b"
_COUNTED_UNIT = r"(?:день|дня|дней|неделю|недели|недель|месяц|месяца|месяцев|полгода|год|года|лет)\b"
_PERIOD_UNIT = r"(?:год(?:а|у|ом)?|месяц(?:а|е|ем)?|недел(?:я|и|е|ю|ей)|квартал(?:а|е|ом)?)\b"
_YEAR_NUMBER = r"[12]\d{3}(?!\d)"
_YEAR_WORD = r"(?:год(?:а|у|ом|е)?\b|г\.)"
_YEARS_WORD = r"(?:год(?:ы|ов|ах|ам|а|у)?\b|гг?\.)"
_ORDINAL_SUFFIX = r"-?(?:й|м|го|му|ом)"
_BY_WORDS = r"\s+(?:по|до)\s+"
_BY_DASH = r"\s*[–—-]\s*"
_FROM = r"(?:с|со)\s+"
_MONTH_TRIGGER = (  # a bare month name is a date only after one of these words
    r"(?:в|во|с|со|до|к|ко|по|от|после|перед"
    r"|начал[оаеу]|середин[аеуы]|кон(?:ец|ца|це|цу))\s+"
)


def _month(p: str) -> str:
    return rf"(?P<{p}month>{_MONTH_WORD})"


def _year_part(p: str) -> str:
    """A year after a day or month: "2025 года", "2025", or "прошлого года"."""
    return rf"(?:(?P<{p}year>{_YEAR_NUMBER})(?:\s*{_YEAR_WORD})?|(?P<{p}rel>{_MODIFIER})\s+года\b)"


def _month_year(p: str) -> str:
    return rf"{_month(p)}(?:\s+{_year_part(p)})?"


def _day_month_year(p: str) -> str:
    return rf"(?P<{p}day>[0-3]?\d)\s+{_month_year(p)}"


def _range_start_day(p: str) -> str:
    """The first day of a range, whose month and year may be left to the second."""
    return rf"(?P<{p}day>[0-3]?\d)(?:\s+{_month_year(p)})?"


def _weekday(p: str) -> str:
    return rf"(?:(?P<{p}mod>{_MODIFIER})\s+)?(?P<{p}name>{_WEEKDAY_WORD})(?:,?\s+{_day_month_year(p + 'date_')})?"


def _quarter(p: str) -> str:
    ordinal = r"перв(?:ый|ого|ом|ому)|втор(?:ой|ого|ом|ому)|трет(?:ий|ьего|ьем|ьему)|четв[её]рт(?:ый|ого|ом|ому)"
    number = rf"(?P<{p}ord>{ordinal}|iv|i{{1,3}})|(?P<{p}digit>[1-4]){_ORDINAL_SUFFIX}"
    return rf"(?:{number})\s+квартал(?:а|е|у|ом)?\b(?:\s+{_year_part(p)})?"


def _valid_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _nearest_year(published: datetime.date, month: int, day: int = 15) -> int | None:
    """The year that puts month/day nearest the publication date; None for 29 February far from a leap year."""
    candidates = [
        date
        for year in (published.year - 1, published.year, published.year + 1)
        if (date := _valid_date(year, month, day)) is not None
    ]
    return min(candidates, key=lambda date: abs(date - published)).year if candidates else None


def _modifier_offset(modifier: str) -> int:
    """-1 for "прошлом", +1 for "следующей"; the forms of "этот" are the current period."""
    return next((offset for stem, offset in _MODIFIER_OFFSETS.items() if modifier.startswith(stem)), 0)


def _stated_year(get: Groups, p: str, published: datetime.date | None) -> int | None:
    """The year the text gives: a number, or "прошлого года" when the publication date is known."""
    if year := get(p + "year"):
        return int(year)
    relative = get(p + "rel")
    return published.year + _modifier_offset(relative) if relative and published else None


def _year_for(get: Groups, p: str, published: datetime.date | None, month: int, day: int = 15) -> int | None:
    """The stated year, else the nearest one."""
    stated = _stated_year(get, p, published)
    if stated is not None or published is None:
        return stated
    return _nearest_year(published, month, day)


def _fill_range_years(
    published: datetime.date | None,
    start: tuple[int, ...],
    end: tuple[int, ...],
    start_year: int | None,
    end_year: int | None,
) -> tuple[int | None, int | None]:
    """Years missing from a range come from the other end ("30 декабря по 5 января 2025"), else the nearest year."""
    if end_year is None and start_year is not None:
        end_year = start_year + (end < start)
    if end_year is None and published is not None:
        end_year = _nearest_year(published, *end)
    if start_year is None and end_year is not None:
        start_year = end_year - (start > end)
    return start_year, end_year


def _month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _shifted(published: datetime.date, unit: str, amount: int) -> Resolution:
    """The period `amount` units away from the one holding the publication date."""
    if unit == "day":
        return (published + datetime.timedelta(days=amount)).isoformat(), unit
    if unit == "week":
        year, week, _ = (published + datetime.timedelta(weeks=amount)).isocalendar()
        return f"{year:04d}-W{week:02d}", unit
    if unit == "month":
        index = published.year * 12 + published.month - 1 + amount
        return _month_value(index // 12, index % 12 + 1), unit
    if unit == "quarter":
        index = published.year * 4 + (published.month - 1) // 3 + amount
        return f"{index // 4:04d}-Q{index % 4 + 1}", unit
    return f"{published.year + amount:04d}", "year"


def _resolve_numeric(get: Groups, published: datetime.date | None) -> Resolution | None:
    date = _valid_date(int(get["year"]), int(get["month"]), int(get["day"]))
    return (date.isoformat(), "day") if date else None


def _resolve_day(get: Groups, published: datetime.date | None, p: str = "") -> Resolution | None:
    month, day = _month_number(get[p + "month"]), int(get[p + "day"])
    if _valid_date(2000, month, day) is None:  # 2000 is a leap year: only impossible days fail
        return None
    year = _year_for(get, p, published, month, day)
    if year is None:
        return _UNRESOLVED
    date = _valid_date(year, month, day)
    return (date.isoformat(), "day") if date else None


def _resolve_day_range(get: Groups, published: datetime.date | None) -> Resolution | None:
    end = (_month_number(get["b_month"]), int(get["b_day"]))
    start_month = get("a_month")
    start = (_month_number(start_month) if start_month else end[0], int(get["a_day"]))
    if _valid_date(2000, *start) is None or _valid_date(2000, *end) is None:
        return None
    if start_month is None and start >= end:  # "с 7 по 3 марта" is not a range
        return None
    start_year, end_year = _fill_range_years(
        published, start, end, _stated_year(get, "a_", published), _stated_year(get, "b_", published)
    )
    if start_year is None or end_year is None:
        return _UNRESOLVED
    first, last = _valid_date(start_year, *start), _valid_date(end_year, *end)
    return (f"{first}/{last}", "interval") if first and last and first < last else None


def _resolve_months(get: Groups, published: datetime.date | None) -> Resolution | None:
    """A month, or a range of months; a lone month name is a date only after a trigger word or with a year."""
    start = _month_number(get["a_month"])
    if get("b_month") is None:
        if not (get("trigger") or get("a_year") or get("a_rel")):  # "Мая Плисецкая", "Марта"
            return None
        year = _year_for(get, "a_", published, start)
        return _UNRESOLVED if year is None else (_month_value(year, start), "month")
    end = _month_number(get["b_month"])
    start_year, end_year = _fill_range_years(
        published, (start,), (end,), _stated_year(get, "a_", published), _stated_year(get, "b_", published)
    )
    if start_year is None or end_year is None:
        return _UNRESOLVED
    if (start_year, start) >= (end_year, end):
        return None
    return f"{_month_value(start_year, start)}/{_month_value(end_year, end)}", "interval"


def _resolve_quarter(get: Groups, published: datetime.date | None) -> Resolution | None:
    quarter = int(get("digit") or _QUARTER_BY_PREFIX[get["ord"][:3]])
    year = _year_for(get, "", published, quarter * 3 - 1)
    return _UNRESOLVED if year is None else (f"{year:04d}-Q{quarter}", "quarter")


def _resolve_season(get: Groups, published: datetime.date | None) -> Resolution | None:
    season = _SEASON_BY_PREFIX[get["name"][:2]]
    modifier = get("mod")
    offset = _modifier_offset(modifier) if modifier else 0
    year = _stated_year(get, "", published)
    if year is None and published is not None and offset:
        year = _season_year(published, season, offset)
    elif year is None and published is not None:
        year = _nearest_year(published, _SEASON_MID_MONTHS[season])
    return _UNRESOLVED if year is None else (f"{year:04d}-{_SEASON_CODES[season]}", "season")


def _season_year(published: datetime.date, season: int, offset: int) -> int:
    """Year of the season `offset` occurrences before (<0) or after (>0) the current season."""
    current = (published.year * 12 + published.month) // 3  # year * 4 + season; December opens next year's winter
    if offset < 0:
        index = current - (current - season - 1) % 4 - 1 + 4 * (offset + 1)
    else:
        index = current + (season - current - 1) % 4 + 1 + 4 * (offset - 1)
    return index // 4


def _resolve_year_range(get: Groups, published: datetime.date | None) -> Resolution | None:
    start, end = int(get["a_year"]), int(get["b_year"])
    return (f"{start:04d}/{end:04d}", "interval") if start < end else None


def _resolve_year(get: Groups, published: datetime.date | None) -> Resolution | None:
    return get("year"), "year"


def _resolve_weekday(get: Groups, published: datetime.date | None) -> Resolution | None:
    if get("date_day"):
        return _resolve_day(get, published, "date_")
    if published is None:
        return _UNRESOLVED
    weekday = _WEEKDAY_BY_PREFIX[get["name"][:2]]
    if modifier := get("mod"):
        monday = published - datetime.timedelta(days=published.weekday())
        date = monday + datetime.timedelta(weeks=_modifier_offset(modifier), days=weekday)
    else:
        date = published - datetime.timedelta(days=(published.weekday() - weekday) % 7)
    return date.isoformat(), "day"


def _resolve_relative_period(get: Groups, published: datetime.date | None) -> Resolution | None:
    unit = _PERIOD_BY_PREFIX[get["unit"][:3]]
    modifier = get["mod"]
    if unit == "quarter" and modifier.startswith("эт"):
        return None
    return _UNRESOLVED if published is None else _shifted(published, unit, _modifier_offset(modifier))


def _resolve_count(get: Groups, published: datetime.date | None, sign: int) -> Resolution | None:
    unit, count = get["unit"], get("count")
    if count is None and unit not in _UNCOUNTED_UNITS:  # "несколько лет назад" is vague
        return None
    if published is None:
        return _UNRESOLVED
    amount = sum(int(word) if word.isdigit() else _NUMBER_WORDS[word] for word in count.split()) if count else 1
    granularity, per_unit = _COUNTED_UNIT_BY_PREFIX[unit[:3]]
    return _shifted(published, granularity, sign * amount * per_unit)


def _resolve_deictic(get: Groups, published: datetime.date | None) -> Resolution | None:
    return _UNRESOLVED if published is None else _shifted(published, "day", _DEICTIC_OFFSETS[get["word"]])


def _month_number(word: str) -> int:
    return _MONTH_BY_PREFIX[word[:3]]


# (name, trigger outside the span, resolver, span pattern built from its group prefix).
# Order matters: at one position the first rule that matches wins, so longer forms go first.
_RULES: tuple[tuple[str, str, Resolver, Callable[[str], str]], ...] = (
    (
        "numeric",
        "",
        _resolve_numeric,
        lambda p: rf"(?P<{p}day>[0-3]?\d)\.(?P<{p}month>[01]?\d)\.(?P<{p}year>{_YEAR_NUMBER})(?!\.\d)",
    ),
    (
        "days_by_words",
        _FROM,
        _resolve_day_range,
        lambda p: _range_start_day(p + "a_") + _BY_WORDS + _day_month_year(p + "b_"),
    ),
    (
        "days_by_dash",
        "",
        _resolve_day_range,
        lambda p: _range_start_day(p + "a_") + _BY_DASH + _day_month_year(p + "b_"),
    ),
    ("day", "", _resolve_day, _day_month_year),
    ("months_by_words", _FROM, _resolve_months, lambda p: _month_year(p + "a_") + _BY_WORDS + _month_year(p + "b_")),
    (
        "months",
        f"(?P<months_trigger>{_MONTH_TRIGGER})?",
        _resolve_months,
        lambda p: _month_year(p + "a_") + rf"(?:{_BY_DASH}{_month_year(p + 'b_')})?",
    ),
    ("quarter", "", _resolve_quarter, _quarter),
    (
        "season_adverb",
        "",
        _resolve_season,
        lambda p: rf"(?:(?P<{p}mod>{_MODIFIER})\s+)?(?P<{p}name>{_SEASON_ADVERB})(?:\s+{_year_part(p)})?",
    ),
    ("season_noun", "", _resolve_season, lambda p: rf"(?P<{p}name>{_SEASON_NOUN})\s+{_year_part(p)}"),
    (
        "years_by_words",
        _FROM,
        _resolve_year_range,
        lambda p: (
            rf"(?P<{p}a_year>{_YEAR_NUMBER})(?:\s*{_YEAR_WORD})?{_BY_WORDS}"
            rf"(?P<{p}b_year>{_YEAR_NUMBER})\s*{_YEAR_WORD}"
        ),
    ),
    (
        "years_by_dash",
        "",
        _resolve_year_range,
        lambda p: rf"(?P<{p}a_year>{_YEAR_NUMBER}){_BY_DASH}(?P<{p}b_year>{_YEAR_NUMBER})\s*{_YEARS_WORD}",
    ),
    ("year", "", _resolve_year, lambda p: rf"(?P<{p}year>{_YEAR_NUMBER})(?:{_ORDINAL_SUFFIX})?\s*{_YEAR_WORD}"),
    ("weekday", r"(?:в|во)\s+", _resolve_weekday, _weekday),
    (
        "relative_period",
        "",
        _resolve_relative_period,
        lambda p: rf"(?P<{p}mod>{_MODIFIER})\s+(?P<{p}unit>{_PERIOD_UNIT})",
    ),
    (
        "ago",
        "",
        partial(_resolve_count, sign=-1),
        lambda p: rf"(?:(?P<{p}count>{_NUMBER})\s+)?(?P<{p}unit>{_COUNTED_UNIT})\s+назад\b",
    ),
    (
        "after",
        "",
        partial(_resolve_count, sign=1),
        lambda p: rf"через\s+(?:(?P<{p}count>{_NUMBER})\s+)?(?P<{p}unit>{_COUNTED_UNIT})(?!\s+после)",
    ),
    ("deictic", "", _resolve_deictic, lambda p: rf"(?P<{p}word>{'|'.join(_DEICTIC_OFFSETS)})\b"),
)

# Matched against lower-cased text, far faster than re.IGNORECASE; not ё-folded, as the rules spell ё where
# Russian writes it. The gate skips word ends and punctuation.
_PATTERN = re.compile(
    r"\b(?=[\dа-яёiv])(?:"
    + "|".join(f"{trigger}(?P<{name}>{span(name + '_')})" for name, trigger, _, span in _RULES)
    + ")"
)
_RESOLVERS = {name: resolver for name, _, resolver, _ in _RULES}


def find_dates(text: str, published: datetime.date | None) -> list[DateMention]:
    """Temporal expressions in `text`, sorted and non-overlapping, resolved against `published`."""
    mentions = []
    for match in _PATTERN.finditer(lower_aligned(text)):  # aligned: the match offsets are offsets into `text`
        rule = match.lastgroup  # each rule's span group closes last, so it names the rule
        assert rule is not None, "every alternative of _PATTERN is a named group"
        resolution = _RESOLVERS[rule](Groups(match, rule + "_"), published)
        if resolution is not None:
            start, end = match.span(rule)
            mentions.append(DateMention(start, end, text[start:end], *resolution))
    return mentions
