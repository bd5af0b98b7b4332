"""Calendar arithmetic: years a text leaves out, periods shifted from the publication date."""

import datetime

from newsreader.nlp.dates.mention import Groups, Resolution
from newsreader.nlp.dates.words import MODIFIER_OFFSETS, MONTH_BY_PREFIX, ROMAN_CENTURY


def valid_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def nearest_year(published: datetime.date, month: int, day: int = 15) -> int | None:
    """The year that puts month/day nearest the publication date; None for 29 February far from a leap year."""
    candidates = [
        date
        for year in (published.year - 1, published.year, published.year + 1)
        if (date := valid_date(year, month, day)) is not None
    ]
    return min(candidates, key=lambda date: abs(date - published)).year if candidates else None


def modifier_offset(modifier: str) -> int:
    """-1 for "прошлом", +1 for "следующей"; the forms of "этот" are the current period."""
    return next((offset for stem, offset in MODIFIER_OFFSETS.items() if modifier.startswith(stem)), 0)


def stated_year(get: Groups, p: str, published: datetime.date | None) -> int | None:
    """The year the text gives: a number, or "прошлого года" when the publication date is known; "того же года"
    is the reference's (the reader passes the year the text named as the reference)."""
    if year := get(p + "year"):
        return int(year)
    if get(p + "same") and published:
        return published.year
    relative = get(p + "rel")
    return published.year + modifier_offset(relative) if relative and published else None


def year_for(get: Groups, p: str, published: datetime.date | None, month: int, day: int = 15) -> int | None:
    """The stated year, else the nearest one."""
    stated = stated_year(get, p, published)
    if stated is not None or published is None:
        return stated
    return nearest_year(published, month, day)


def fill_range_years(
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
        end_year = nearest_year(published, *end)
    if start_year is None and end_year is not None:
        start_year = end_year - (start > end)
    return start_year, end_year


def month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def shifted(published: datetime.date, unit: str, amount: int) -> Resolution:
    """The period `amount` units away from the one holding the publication date."""
    if unit == "day":
        return (published + datetime.timedelta(days=amount)).isoformat(), unit
    if unit == "week":
        year, week, _ = (published + datetime.timedelta(weeks=amount)).isocalendar()
        return f"{year:04d}-W{week:02d}", unit
    if unit == "month":
        index = published.year * 12 + published.month - 1 + amount
        return month_value(index // 12, index % 12 + 1), unit
    if unit == "quarter":
        index = published.year * 4 + (published.month - 1) // 3 + amount
        return f"{index // 4:04d}-Q{index % 4 + 1}", unit
    return f"{published.year + amount:04d}", "year"


def season_year(published: datetime.date, season: int, offset: int) -> int:
    """Year of the season `offset` occurrences before (<0) or after (>0) the current season."""
    current = (published.year * 12 + published.month) // 3  # year * 4 + season; December opens next year's winter
    if offset < 0:
        index = current - (current - season - 1) % 4 - 1 + 4 * (offset + 1)
    else:
        index = current + (season - current - 1) % 4 + 1 + 4 * (offset - 1)
    return index // 4


def century_start(century: str | None, published: datetime.date | None) -> int | None:
    """1900 for "XX века", "20 века" or, from 2025, "прошлого века"; the publication's century when none is said."""
    if century is not None and century[0].isdigit():
        return (int(century) - 1) * 100
    if century is not None and century[0] in "xх":
        return (ROMAN_CENTURY[century.replace("х", "x")] - 1) * 100
    if published is None:
        return None
    back = 2 if century and century.startswith("позапрошл") else 1 if century and century.startswith("прошл") else 0
    return (published.year // 100 - back) * 100


def month_number(word: str) -> int:
    return MONTH_BY_PREFIX[word[:3]]
