"""One resolver per rule: a match's groups and a reference date in, (value, granularity) out."""

import datetime

from newsreader.nlp.dates.calendar import (
    century_start,
    fill_range_years,
    modifier_offset,
    month_number,
    month_value,
    nearest_year,
    season_year,
    shifted,
    stated_year,
    valid_date,
    year_for,
)
from newsreader.nlp.dates.mention import UNRESOLVED, Groups, Resolution
from newsreader.nlp.dates.words import (
    COUNTED_UNIT_BY_PREFIX,
    DECADE_BY_WORD,
    DEICTIC_OFFSETS,
    EARLIER_WORDS,
    NUMBER_WORDS,
    PERIOD_BY_PREFIX,
    QUARTER_BY_PREFIX,
    SEASON_BY_PREFIX,
    SEASON_CODES,
    SEASON_MID_MONTHS,
    TRIGGER_DIRECTION,
    TWO_DIGIT_YEARS_AHEAD,
    UNCOUNTED_UNITS,
    WEEKDAY_BY_PREFIX,
    WEEKEND_OFFSETS,
)


def resolve_numeric(get: Groups, published: datetime.date | None) -> Resolution | None:
    """ "05.03.2020" or "03.02.16": a two-digit year needs two-digit day and month, and a publication date
    to pick its century: "03.02.16" is 2016, "14.03.98" 1998, "31.12.30" a deadline in 2030."""
    day, month, year = get["day"], get["month"], get["year"]
    if len(year) == 2:
        if len(day) != 2 or len(month) != 2 or valid_date(2000, int(month), int(day)) is None:
            return None
        if published is None:
            return UNRESOLVED
        full_year = published.year // 100 * 100 + int(year)
        year = str(full_year - 100 if full_year > published.year + TWO_DIGIT_YEARS_AHEAD else full_year)
    date = valid_date(int(year), int(month), int(day))
    return (date.isoformat(), "day") if date else None


def resolve_day(get: Groups, published: datetime.date | None, p: str = "") -> Resolution | None:
    month, day = month_number(get[p + "month"]), int(get[p + "day"])
    if valid_date(2000, month, day) is None:  # 2000 is a leap year: only impossible days fail
        return None
    year = year_for(get, p, published, month, day)
    if year is None:
        return UNRESOLVED
    date = valid_date(year, month, day)
    return (date.isoformat(), "day") if date else None


def resolve_day_range(get: Groups, published: datetime.date | None) -> Resolution | None:
    end = (month_number(get["b_month"]), int(get["b_day"]))
    start_month = get("a_month")
    start = (month_number(start_month) if start_month else end[0], int(get["a_day"]))
    if valid_date(2000, *start) is None or valid_date(2000, *end) is None:
        return None
    if start_month is None and start >= end:  # "с 7 по 3 марта" is not a range
        return None
    start_year, end_year = fill_range_years(
        published, start, end, stated_year(get, "a_", published), stated_year(get, "b_", published)
    )
    if start_year is None or end_year is None:
        return UNRESOLVED
    first, last = valid_date(start_year, *start), valid_date(end_year, *end)
    return (f"{first}/{last}", "interval") if first and last and first < last else None


def resolve_months(get: Groups, published: datetime.date | None) -> Resolution | None:
    """A month, or a range of months; a lone month name is a date only after a trigger word or with a year."""
    start = month_number(get["a_month"])
    if get("b_month") is None:
        if not (get("trigger") or get("a_year") or get("a_rel")):  # "Мая Плисецкая", "Марта"
            return None
        year = year_for(get, "a_", published, start)
        return UNRESOLVED if year is None else (month_value(year, start), "month")
    end = month_number(get["b_month"])
    start_year, end_year = fill_range_years(
        published, (start,), (end,), stated_year(get, "a_", published), stated_year(get, "b_", published)
    )
    if start_year is None or end_year is None:
        return UNRESOLVED
    if (start_year, start) >= (end_year, end):
        return None
    return f"{month_value(start_year, start)}/{month_value(end_year, end)}", "interval"


def resolve_quarter(get: Groups, published: datetime.date | None) -> Resolution | None:
    quarter = int(get("digit") or QUARTER_BY_PREFIX[get["ord"][:3]])
    year = year_for(get, "", published, quarter * 3 - 1)
    return UNRESOLVED if year is None else (f"{year:04d}-Q{quarter}", "quarter")


def resolve_season(get: Groups, published: datetime.date | None) -> Resolution | None:
    season = SEASON_BY_PREFIX[get["name"][:2]]
    modifier = get("mod")
    offset = modifier_offset(modifier) if modifier else 0
    year = stated_year(get, "", published)
    if year is None and published is not None and offset:
        year = season_year(published, season, offset)
    elif year is None and published is not None:
        year = nearest_year(published, SEASON_MID_MONTHS[season])
    return UNRESOLVED if year is None else (f"{year:04d}-{SEASON_CODES[season]}", "season")


def resolve_year_range(get: Groups, published: datetime.date | None) -> Resolution | None:
    start, end = int(get["a_year"]), int(get["b_year"])
    return (f"{start:04d}/{end:04d}", "interval") if start < end else None


def resolve_year(get: Groups, published: datetime.date | None) -> Resolution | None:
    return get("year"), "year"


def resolve_weekday(get: Groups, published: datetime.date | None) -> Resolution | None:
    if get("date_day"):
        return resolve_day(get, published, "date_")
    if published is None:
        return UNRESOLVED
    weekday = WEEKDAY_BY_PREFIX[get["name"][:2]]
    if modifier := get("mod"):
        monday = published - datetime.timedelta(days=published.weekday())
        date = monday + datetime.timedelta(weeks=modifier_offset(modifier), days=weekday)
    else:
        date = published - datetime.timedelta(days=(published.weekday() - weekday) % 7)
    return date.isoformat(), "day"


def resolve_relative_period(get: Groups, published: datetime.date | None) -> Resolution | None:
    unit = PERIOD_BY_PREFIX[get["unit"][:3]]
    modifier = get["mod"]
    if unit == "quarter" and modifier.startswith("эт"):
        return None
    return UNRESOLVED if published is None else shifted(published, unit, modifier_offset(modifier))


def resolve_count(get: Groups, published: datetime.date | None, sign: int) -> Resolution | None:
    """ "два года назад", "через неделю", "спустя месяц": `published` is the reference the reader chose."""
    unit, count = get["unit"], get("count")
    if count is None and unit not in UNCOUNTED_UNITS:  # "несколько лет назад" is vague
        return None
    if published is None:
        return UNRESOLVED
    amount = sum(int(word) if word.isdigit() else NUMBER_WORDS[word] for word in count.split()) if count else 1
    granularity, per_unit = COUNTED_UNIT_BY_PREFIX[unit[:3]]
    return shifted(published, granularity, sign * amount * per_unit)


def resolve_shift(get: Groups, published: datetime.date | None) -> Resolution | None:
    """ "два года назад", "неделю спустя", "годом ранее", "двумя неделями позже": a count of units before or
    after the reference."""
    return resolve_count(get, published, -1 if get["dir"] in EARLIER_WORDS else 1)


def resolve_deictic(get: Groups, published: datetime.date | None) -> Resolution | None:
    return UNRESOLVED if published is None else shifted(published, "day", DEICTIC_OFFSETS[get["word"]])


def resolve_decade(get: Groups, published: datetime.date | None) -> Resolution | None:
    """ "1990-е", "90-х годов", "50-х годов прошлого века", "в девяностые": the ten years as an interval.
    Two digits or a word need a years word, a century or a preposition before them."""
    if full := get("full"):
        first = int(full)
    else:
        if not (get("years") or get("cent") or get("trigger")):
            return None
        short = get("short")
        decade = int(short) if short is not None else DECADE_BY_WORD[get["word"][:4]]
        century = century_start(get("cent"), published)
        if century is None:
            return UNRESOLVED
        first = century + decade
        if get("cent") is None and published is not None and first > published.year:
            first -= 100  # "в 90-е" from 2025 are the 1990s
    return f"{first:04d}/{first + 9:04d}", "interval"


def resolve_season_noun(get: Groups, published: datetime.date | None) -> Resolution | None:
    """ "лета 2024 года", "этого лета", "с весны", "до осени": a bare noun is a date only after a preposition.
    "с/после" a season is its last occurrence, "до/к" its next, a position word ("начала лета") the nearest."""
    if get("year") or get("rel") or get("mod"):
        return resolve_season(get, published)
    trigger = get("trigger")
    if trigger is None:
        return None
    if published is None:
        return UNRESOLVED
    season = SEASON_BY_PREFIX[get["name"][:2]]
    direction = TRIGGER_DIRECTION.get(trigger.split()[0], 0)
    current = (published.year * 12 + published.month) // 3  # year * 4 + season, as in season_year
    if direction < 0:
        index = current - (current - season) % 4
    elif direction > 0:
        index = current + (season - current) % 4
    else:
        return resolve_season(get, published)
    return f"{index // 4:04d}-{SEASON_CODES[season]}", "season"


def resolve_edge(get: Groups, published: datetime.date | None) -> Resolution | None:
    """ "в начале года", "к концу месяца", "в середине недели": the period that holds the publication date."""
    return UNRESOLVED if published is None else shifted(published, PERIOD_BY_PREFIX[get["unit"][:3]], 0)


def resolve_weekend(get: Groups, published: datetime.date | None) -> Resolution | None:
    """ "на минувших выходных": Saturday and Sunday of the previous, the same or the next ISO week."""
    if published is None:
        return UNRESOLVED
    modifier = get["mod"]
    offset = next((shift for stem, shift in WEEKEND_OFFSETS.items() if modifier.startswith(stem)), 0)
    saturday = published + datetime.timedelta(days=5 - published.weekday(), weeks=offset)
    return f"{saturday}/{saturday + datetime.timedelta(days=1)}", "interval"


def resolve_weekday_case(get: Groups, published: datetime.date | None) -> Resolution | None:
    """ "до среды", "к пятнице" (the next such day, or today), "с понедельника" (the nearest one)."""
    if get("date_day"):
        return resolve_day(get, published, "date_")
    if published is None:
        return UNRESOLVED
    shift = (WEEKDAY_BY_PREFIX[get["name"][:2]] - published.weekday()) % 7
    if TRIGGER_DIRECTION.get(get["trigger"].split()[0], 0) <= 0 and shift > 3:
        shift -= 7
    return (published + datetime.timedelta(days=shift)).isoformat(), "day"
