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
- Decades are intervals ("в 90-е годы" -> 1990/1999, "50-х годов прошлого века" -> 1950/1959),
  weekends intervals of two days ("на минувших выходных" -> Saturday/Sunday of the previous
  ISO week); "в начале года" is the publication's year; "03.02.16" takes the century that puts
  it at most 20 years after publication; datelines may abbreviate the month ("3 сен").
- Context, where the grammar ties a date to another: a year-less month, day or season takes the
  year a dated mention stated in the same or the previous sentence of its paragraph ("в мае
  2016-го … А уже в ноябре" -> 2016-11); "до конца года" the year stated in its sentence;
  "по сравнению с прошлым годом" the year being compared; "…, а через неделю" the day just named.
- Habitual or generic text ("обычно", "ежегодно", "(отмечается 12 апреля)", "рассаду высаживают
  в апреле") leaves its year-less months, days and seasons unresolved: they are no calendar dates.
- `eventful` is False for a dateline, a comparison year ("по сравнению с 2016-м") and an
  attribute year ("смартфоны 2017 года"): dates, but no events of the story.
"""

import datetime
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
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
    # False for a date that is no event of the story: a dateline, a comparison year, a model year.
    # Only the timeline reads it; the payload leaves it out, so it takes no part in equality.
    eventful: bool = field(default=True, compare=False)


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
_DECADE_BY_WORD = {
    "нуле": 0,
    "двад": 20,
    "трид": 30,
    "соро": 40,
    "пяти": 50,
    "шест": 60,
    "семи": 70,
    "вось": 80,
    "девя": 90,
}
_TWO_DIGIT_YEARS_AHEAD = 20  # "31.12.30" from 2025 is a deadline in 2030, "12.04.61" Gagarin's flight
_ROMAN_CENTURY = {"xix": 19, "xx": 20, "xxi": 21}
# A preposition before a season or weekday without a year: "с весны" looks back, "до осени" ahead.
_TRIGGER_DIRECTION = {"с": -1, "со": -1, "после": -1, "начиная": -1, "до": 1, "к": 1, "ко": 1, "перед": 1}
_WEEKEND_OFFSETS = {"прошл": -1, "минувш": -1, "прошедш": -1, "следующ": 1, "будущ": 1}  # else this week's
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
_HYPHEN_ORDINAL = r"-(?:го|м|й|му|ом)\b"
_BY_WORDS = r"\s+(?:по|до)\s+"
_BY_DASH = r"\s*[–—-]\s*"
_FROM = r"(?:с|со)\s+"
_POSITION_WORD = r"(?:начал[оаеу]|середин[аеуы]|кон(?:ец|ца|це|цу))"
# A bare month name is a date only after one of these words ("и", "или": right after a month).
_MONTH_TRIGGER = rf"(?:в|во|с|со|до|к|ко|по|от|после|перед|и|или|{_POSITION_WORD})\s+"
_MONTH_ABBR = r"(?:янв|фев|мар|апр|июн|июл|авг|сент?|окт|нояб?|дек)(?:\.|\b)"  # "мая" is a month word already
_DECADE_STEM = r"(?:нулев|двадцат|тридцат|сороков|пятидесят|шестидесят|семидесят|восьмидесят|девяност)"
_CENTURY_NAME = r"(?:позапрошлого|прошлого|этого|нынешнего|текущего|[xх]{2}i|[xх]i[xх]|[xх]{2}|1[5-9]|2[01])"
_DECADE_TRIGGER = rf"(?:в|во|с|со|до|к|ко|по|после|от|рубеж[аеу]?|эпох[иу]|{_POSITION_WORD})\s+"
_SEASON_TRIGGER = rf"(?:с|со|до|к|ко|после|перед|начиная\s+с|в\s+течение|{_POSITION_WORD})\s+"
_WEEKDAY_CASE = r"(?:(?:понедельник|вторник|четверг)[ау]|сред[ые]|пятниц[ые]|суббот[ые]|воскресень[яю])\b"
_WEEKDAY_STEMS = r"(?:понедельник|вторник|сред|четверг|пятниц|суббот|воскресен)"
# "среды обитания", "с понедельника по пятницу" (opening hours): no dates.
_NOT_A_WEEKDAY = rf"\s+(?:обитани|разработ|исполнени|выполнени|программировани|по\s+{_WEEKDAY_STEMS})"
_WEEKEND_MODIFIER = (
    r"(?:(?:прошл|минувш|прошедш|следующ|будущ|наступающ|грядущ|предстоящ|ближайш|текущ|нынешн)"
    r"(?:ие|ые|их|ых|им|ым|ими|ыми)|эти(?:х|м|ми)?)\b"
)
# "2016-м" alone is a year, "на 2016-м километре" is not.
_NOT_A_YEAR_NOUN = (
    r"\s+(?:км|килом|метр|мест|раз\b|минут|секунд|номер|строк|по\s+сч[её]т|участник|зрител|человек|позици"
    r"|шаг|ход|выпуск|сери|эпизод|день|дн[яеёи])"
)


def _month(p: str) -> str:
    return rf"(?P<{p}month>{_MONTH_WORD})"


def _year_part(p: str) -> str:
    """A year after a day or month: "2025 года", "2025", "прошлого года", or "с.г." (сего года, this year)."""
    number = rf"(?P<{p}year>{_YEAR_NUMBER})(?:{_HYPHEN_ORDINAL}|\s*{_YEAR_WORD})?"
    return rf"(?:{number}|(?P<{p}rel>{_MODIFIER}\s+года\b|с\.\s?г\.))"


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


def _decade(p: str) -> str:
    number = (
        rf"(?:(?P<{p}full>(?:1[5-9]|20)\d0)-?(?:х|е|ые|ых|ми)|(?P<{p}short>[1-9]0|00)-(?:х|е|ые|ых)"
        rf"|(?P<{p}word>{_DECADE_STEM})(?:ые|ых|ым|ыми))\b(?!\s+числ)"
    )
    years = rf"(?:\s*(?P<{p}years>год(?:ы|ов|ах|ам|ами)\b|гг\.))?"
    return number + years + rf"(?:\s+(?P<{p}cent>{_CENTURY_NAME})(?:-?го)?\s+(?:века|столетия)\b)?"


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
    """ "05.03.2020" or "03.02.16": a two-digit year needs two-digit day and month, and a publication date
    to pick its century: "03.02.16" is 2016, "14.03.98" 1998, "31.12.30" a deadline in 2030."""
    day, month, year = get["day"], get["month"], get["year"]
    if len(year) == 2:
        if len(day) != 2 or len(month) != 2 or _valid_date(2000, int(month), int(day)) is None:
            return None
        if published is None:
            return _UNRESOLVED
        full_year = published.year // 100 * 100 + int(year)
        year = str(full_year - 100 if full_year > published.year + _TWO_DIGIT_YEARS_AHEAD else full_year)
    date = _valid_date(int(year), int(month), int(day))
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


def _resolve_decade(get: Groups, published: datetime.date | None) -> Resolution | None:
    """ "1990-е", "90-х годов", "50-х годов прошлого века", "в девяностые": the ten years as an interval.
    Two digits or a word need a years word, a century or a preposition before them."""
    if full := get("full"):
        first = int(full)
    else:
        if not (get("years") or get("cent") or get("trigger")):
            return None
        short = get("short")
        decade = int(short) if short is not None else _DECADE_BY_WORD[get["word"][:4]]
        century = _century_start(get("cent"), published)
        if century is None:
            return _UNRESOLVED
        first = century + decade
        if get("cent") is None and published is not None and first > published.year:
            first -= 100  # "в 90-е" from 2025 are the 1990s
    return f"{first:04d}/{first + 9:04d}", "interval"


def _century_start(century: str | None, published: datetime.date | None) -> int | None:
    """1900 for "XX века", "20 века" or, from 2025, "прошлого века"; the publication's century when none is said."""
    if century is not None and century[0].isdigit():
        return (int(century) - 1) * 100
    if century is not None and century[0] in "xх":
        return (_ROMAN_CENTURY[century.replace("х", "x")] - 1) * 100
    if published is None:
        return None
    back = 2 if century and century.startswith("позапрошл") else 1 if century and century.startswith("прошл") else 0
    return (published.year // 100 - back) * 100


def _resolve_season_noun(get: Groups, published: datetime.date | None) -> Resolution | None:
    """ "лета 2024 года", "этого лета", "с весны", "до осени": a bare noun is a date only after a preposition.
    "с/после" a season is its last occurrence, "до/к" its next, a position word ("начала лета") the nearest."""
    if get("year") or get("rel") or get("mod"):
        return _resolve_season(get, published)
    trigger = get("trigger")
    if trigger is None:
        return None
    if published is None:
        return _UNRESOLVED
    season = _SEASON_BY_PREFIX[get["name"][:2]]
    direction = _TRIGGER_DIRECTION.get(trigger.split()[0], 0)
    current = (published.year * 12 + published.month) // 3  # year * 4 + season, as in _season_year
    if direction < 0:
        index = current - (current - season) % 4
    elif direction > 0:
        index = current + (season - current) % 4
    else:
        return _resolve_season(get, published)
    return f"{index // 4:04d}-{_SEASON_CODES[season]}", "season"


def _resolve_edge(get: Groups, published: datetime.date | None) -> Resolution | None:
    """ "в начале года", "к концу месяца", "в середине недели": the period that holds the publication date."""
    return _UNRESOLVED if published is None else _shifted(published, _PERIOD_BY_PREFIX[get["unit"][:3]], 0)


def _resolve_weekend(get: Groups, published: datetime.date | None) -> Resolution | None:
    """ "на минувших выходных": Saturday and Sunday of the previous, the same or the next ISO week."""
    if published is None:
        return _UNRESOLVED
    modifier = get["mod"]
    offset = next((shift for stem, shift in _WEEKEND_OFFSETS.items() if modifier.startswith(stem)), 0)
    saturday = published + datetime.timedelta(days=5 - published.weekday(), weeks=offset)
    return f"{saturday}/{saturday + datetime.timedelta(days=1)}", "interval"


def _resolve_weekday_case(get: Groups, published: datetime.date | None) -> Resolution | None:
    """ "до среды", "к пятнице" (the next such day, or today), "с понедельника" (the nearest one)."""
    if get("date_day"):
        return _resolve_day(get, published, "date_")
    if published is None:
        return _UNRESOLVED
    shift = (_WEEKDAY_BY_PREFIX[get["name"][:2]] - published.weekday()) % 7
    if _TRIGGER_DIRECTION.get(get["trigger"].split()[0], 0) <= 0 and shift > 3:
        shift -= 7
    return (published + datetime.timedelta(days=shift)).isoformat(), "day"


def _month_number(word: str) -> int:
    return _MONTH_BY_PREFIX[word[:3]]


# (name, trigger outside the span, resolver, span pattern built from its group prefix).
# Order matters: at one position the first rule that matches wins, so longer forms go first.
_RULES: tuple[tuple[str, str, Resolver, Callable[[str], str]], ...] = (
    (
        "numeric",
        "",
        _resolve_numeric,
        lambda p: (
            rf"(?<!\d[.,])(?P<{p}day>[0-3]?\d)\.(?P<{p}month>[01]?\d)\.(?P<{p}year>{_YEAR_NUMBER}|\d\d)(?!\.?\d)"
            rf"(?:\s*{_YEAR_WORD})?"
        ),
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
    (
        "day_abbr",
        "",
        _resolve_day,
        lambda p: rf"(?P<{p}day>[0-3]?\d)\s+(?P<{p}month>{_MONTH_ABBR})(?:\s+{_year_part(p)})?",
    ),
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
    (
        "season_noun",
        f"(?P<season_noun_trigger>{_SEASON_TRIGGER})?",
        _resolve_season_noun,
        lambda p: rf"(?:(?P<{p}mod>{_MODIFIER})\s+)?(?P<{p}name>{_SEASON_NOUN})(?:\s+{_year_part(p)})?",
    ),
    ("decade", f"(?P<decade_trigger>{_DECADE_TRIGGER})?", _resolve_decade, _decade),
    (
        "edge",
        "",
        _resolve_edge,
        lambda p: rf"{_POSITION_WORD}\s+(?P<{p}unit>года|месяца|недели)\b(?!\s*(?:\d|назад|спустя))",
    ),
    (
        "weekend",
        "",
        _resolve_weekend,
        lambda p: rf"(?P<{p}mod>{_WEEKEND_MODIFIER})\s+выходн(?:ые|ых|ым|ыми)\b(?!\s+(?:данн|документ|сведени))",
    ),
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
    (
        "year_ordinal",
        "",
        _resolve_year,
        lambda p: rf"(?P<{p}year>(?:1[89]|20)\d\d){_HYPHEN_ORDINAL}(?!{_NOT_A_YEAR_NOUN})",
    ),
    ("weekday", r"(?:в|во|ночь\s+на)\s+", _resolve_weekday, _weekday),
    (
        "weekday_case",
        r"(?P<weekday_case_trigger>с|со|до|после|к|ко|начиная\s+с)\s+",
        _resolve_weekday_case,
        lambda p: rf"(?P<{p}name>{_WEEKDAY_CASE})(?!{_NOT_A_WEEKDAY})(?:,?\s+{_day_month_year(p + 'date_')})?",
    ),
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


# Rules whose year-less mentions take the year a dated mention earlier in the paragraph states:
# "в мае 2016-го … А уже в ноябре" is November 2016.
_ANCHORED_RULES = frozenset({"day", "months", "season_noun", "season_adverb"})
_STATED_YEAR_GROUPS = {
    rule: tuple(name for name in _PATTERN.groupindex if name.startswith(rule + "_") and name.endswith("year"))
    for rule in _RESOLVERS
}
_RELATIVE_GROUPS = {  # "прошлого года", "этого лета": relative to the publication, never to an anchor
    rule: tuple(name for name in _PATTERN.groupindex if name.startswith(rule + "_") and name.endswith(("rel", "mod")))
    for rule in _RESOLVERS
}
_LOOKBACK = 60  # characters before a mention that say it is a comparison, an attribute or a dateline
_COMPARISON = re.compile(r"(?:(?:сравнени[июе]\s+со?|относительно)\s+(?:[а-яё]+\s+){0,2}|(?:против|чем\s+в)\s+)$")
_ATTRIBUTE = re.compile(r"(?:модел|смартфон|выпуск|образц|издани|редакци|верси|коллекци|урожа)[а-яё]*\s+$")
_DATELINE_CITY = re.compile(r"\s*[A-ZА-ЯЁ][A-ZА-ЯЁ.\- ]*,\s*")  # "ХАБАРОВСК, " before the day, on its line
_DATELINE_AGENCY = re.compile(  # "3 сен – РИА Новости", "21 ноября. /ТАСС/", "3 сентября. ИНТЕРФАКС -"
    r"\s*(?:(?:[–—-]|\.)\s*(?:РИА\b|ИТАР-ТАСС|ТАСС|Интерфакс\b|ИНТЕРФАКС|ПРАЙМ|RT\b|РБК\b|Sputnik|Reuters|AFP\b)"
    r"|\.?\s*/[^/\n]{2,20}/)"
)
_SENTENCE_BREAK = re.compile(r"[.!?…](?=\s+[^a-zа-яё\s])|\n")
# Habitual or generic text: its year-less months, days and seasons are no calendar dates
# ("рассаду высаживают в апреле и мае", "(отмечается 12 апреля)"). Adverbs count in the sentence,
# a present-tense plural verb of the -ывают type only in the clause.
_HABITUAL_WORDS = re.compile(
    r"\b(?:обычно|как\s+правило|ежегодн[а-яё]*|традиционн[а-яё]*|по\s+традиции|из\s+года\s+в\s+год"
    r"|кажд(?:ый|ую|ое|ой)\s+(?:год|весн|лет|осен|зим|месяц)|отмеча[ею]тся|праздну(?:ет|ют|ется|ются))"
)
_HABITUAL_VERB = re.compile(r"(?<=[а-яё]{2})[ыи]ва(?:ют|ются)\b")
_CLAUSE_BREAK = re.compile(r"[,;:()—–\n.!?]")
_HABIT_RULES = frozenset({"day", "months", "season_noun", "season_adverb"})
# A clause about the future does not continue a past year's story.
_FUTURE_WORDS = re.compile(
    r"\b(?:будет|будут|состоится|состоятся|пройд[её]т|пройдут|начн[её]тся|начнутся|откро[её]тся|откроют"
    r"|планиру[а-яё]*|намерен[а-яё]*|собира[а-яё]*ся|ожида[а-яё]*ся)\b"
)
_MARKS = {
    "habitual": _HABITUAL_WORDS,
    "habitual_verb": _HABITUAL_VERB,
    "future": _FUTURE_WORDS,
    "sentence": _SENTENCE_BREAK,
    "clause": _CLAUSE_BREAK,
}


class _Paragraph:
    """What find_dates remembers as it reads: the last mention, the period a dated mention set (for the rest
    of its sentence and the next one, within its paragraph), and, built on first need, where the text
    speaks habitually. Each gap between mentions is read once, so the reading stays linear."""

    def __init__(self, text: str, lowered: str) -> None:
        self.text, self.lowered = text, lowered
        self.last: DateMention | None = None
        self.last_end = 0
        self.anchor: datetime.date | None = None  # a point inside the stated period
        self.anchor_is_year = False
        self.yearless_month = False  # the last mention is a month whose year was guessed
        self.shares_year_back = False  # the mention just read gives its year to that month
        self.anchor_age = 0  # sentence breaks read since the anchor was set
        self._found: dict[str, list[int]] = {}

    def read_gap(self, start: int) -> bool:
        """Age the anchor by the sentences before `start` and forget it at a line break; True when a
        sentence ends there."""
        if self.text.find("\n", self.last_end, start) >= 0:
            self.anchor = None
        breaks = len(_SENTENCE_BREAK.findall(self.text, self.last_end, start + 1))  # + 1: the capital after
        self.anchor_age += breaks
        if self.anchor_age > 1:
            self.anchor = None
        return breaks > 0

    def set_anchor(self, mention: DateMention) -> None:
        value = mention.value
        self.anchor_age = 0
        self.anchor_is_year = mention.granularity not in ("day", "month")
        if value is None or "/" in value:
            self.anchor = None
        elif self.anchor_is_year:
            self.anchor = datetime.date(int(value[:4]), 7, 1)
        else:
            self.anchor = datetime.date(int(value[:4]), int(value[5:7]), 15)

    def reference_for_yearless(self) -> datetime.date | None:
        """The date to resolve a year-less month, day or season against: a month or day anchor shifted four
        months on, so "в мае 2016-го … в ноябре" is November 2016 and "в ноябре 2016 года … в феврале" 2017."""
        if self.anchor is None or self.anchor_is_year:
            return self.anchor
        return self.anchor + datetime.timedelta(days=122)

    def habitual(self, start: int) -> bool:
        """Whether the sentence around `start` speaks of what usually happens, or its clause uses a present
        plural of the -ывают type ("рассаду высаживают в апреле")."""
        return _same_span(self._marks("habitual"), self._marks("sentence"), start) or _same_span(
            self._marks("habitual_verb"), self._marks("clause"), start
        )

    def future(self, start: int) -> bool:
        """Whether the clause around `start` speaks of the future: "В 1945 году … В мае пройдет парад"."""
        return _same_span(self._marks("future"), self._marks("clause"), start)

    def _marks(self, name: str) -> list[int]:
        """Where `_MARKS[name]` matches in the text, found once per text on first need."""
        found = self._found.get(name)
        if found is None:
            source = self.text if name == "sentence" else self.lowered  # sentence breaks look at capitals
            found = self._found[name] = [match.start() for match in _MARKS[name].finditer(source)]
        return found


def _same_span(marks: list[int], breaks: list[int], position: int) -> bool:
    """Whether a mark lies between the breaks around `position`."""
    index = bisect_right(breaks, position)
    first = breaks[index - 1] if index else -1
    last = breaks[index] if index < len(breaks) else marks[-1] + 1 if marks else 0
    at = bisect_right(marks, first)
    return at < len(marks) and marks[at] < last


def find_dates(text: str, published: datetime.date | None) -> list[DateMention]:
    """Temporal expressions in `text`, sorted and non-overlapping, resolved against `published`
    or, where the grammar says so, against a date the text set before."""
    lowered = lower_aligned(text)  # aligned: the match offsets are offsets into `text`
    paragraph = _Paragraph(text, lowered)
    mentions: list[DateMention] = []
    for match in _PATTERN.finditer(lowered):
        rule = match.lastgroup  # each rule's span group closes last, so it names the rule
        assert rule is not None, "every alternative of _PATTERN is a named group"
        start, end = match.span(rule)
        mention = _read(paragraph, match, rule, start, end, published)
        if mention is not None:
            if paragraph.shares_year_back:  # "в январе и феврале 2024 года": January 2024 too
                mentions[-1] = _in_year_of(mentions[-1], mention)
            mentions.append(mention)
            paragraph.last, paragraph.last_end = mention, end
    return mentions


def _read(
    paragraph: _Paragraph, match: re.Match[str], rule: str, start: int, end: int, published: datetime.date | None
) -> DateMention | None:
    """One match as a mention, read in its context; None when it is no date after all."""
    sentence_ended = paragraph.read_gap(match.start())
    get = Groups(match, rule + "_")
    last = paragraph.last
    coordinated = rule == "months" and (get("trigger") or "").strip() in ("и", "или")
    if coordinated:  # "в апреле и мае"
        if last is None or last.granularity not in ("month", "unknown") or paragraph.last_end < match.start() - 1:
            return None
    stated = any(match.group(name) for name in _STATED_YEAR_GROUPS[rule])
    relative = any(match.group(name) for name in _RELATIVE_GROUPS[rule])
    before = paragraph.lowered[max(0, start - _LOOKBACK) : start]
    comparison = _COMPARISON.search(before) is not None
    resolution = _RESOLVERS[rule](
        get, _reference(paragraph, rule, get, start, published, stated or relative, comparison, sentence_ended)
    )
    if resolution is None:
        return None
    if resolution[0] is not None and rule in _HABIT_RULES and not stated and not relative and paragraph.habitual(start):
        resolution = _UNRESOLVED
    attribute = stated and _ATTRIBUTE.search(before) is not None  # "смартфоны 2017 года"
    dateline = resolution[1] == "day" and _is_dateline(paragraph.text, start, end)
    mention = DateMention(start, end, paragraph.text[start:end], *resolution, not (comparison or attribute or dateline))
    if stated and mention.eventful:
        paragraph.set_anchor(mention)
    paragraph.shares_year_back = coordinated and stated and paragraph.yearless_month and mention.granularity == "month"
    paragraph.yearless_month = rule == "months" and not (stated or relative) and mention.granularity == "month"
    return mention


def _in_year_of(first: DateMention, second: DateMention) -> DateMention:
    """`first`, a year-less month, in the year of the month coordinated with it (the year before if later)."""
    assert first.value is not None and second.value is not None, "both are resolved months"
    month = int(first.value[5:7])
    year = int(second.value[:4]) - (month > int(second.value[5:7]))
    return replace(first, value=_month_value(year, month))


def _reference(
    paragraph: _Paragraph,
    rule: str,
    get: Groups,
    start: int,
    published: datetime.date | None,
    says_year: bool,
    comparison: bool,
    sentence_ended: bool,
) -> datetime.date | None:
    """The date a match is resolved against: the publication, unless the grammar ties it to a date the text
    set before: a year-less month or season to the paragraph's year, "до конца года" to the sentence's,
    "по сравнению с прошлым годом" to the year being compared, "а через неделю" to the day just named."""
    anchor, last = paragraph.anchor, paragraph.last
    if anchor is not None and not says_year:
        past_story = published is not None and anchor.year < published.year
        if rule in _ANCHORED_RULES and not (past_story and paragraph.future(start)):
            return paragraph.reference_for_yearless()
        if rule == "edge" and paragraph.anchor_age == 0 and get["unit"] == "года":
            return anchor
    if rule == "relative_period" and comparison and anchor is not None:
        return anchor
    if rule == "after" and not sentence_ended and last is not None and last.granularity == "day" and last.value:
        return datetime.date.fromisoformat(last.value)
    return published


def _is_dateline(text: str, start: int, end: int) -> bool:
    """ "ХАБАРОВСК, 3 сен – РИА Новости": a city in capitals alone before the day, or an agency after it."""
    line_start = text.rfind("\n", max(0, start - _LOOKBACK), start) + 1
    city = (line_start > 0 or start < _LOOKBACK) and _DATELINE_CITY.fullmatch(text, line_start, start) is not None
    return city or _DATELINE_AGENCY.match(text, end, end + _LOOKBACK) is not None
