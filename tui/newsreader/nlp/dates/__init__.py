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
  "по сравнению с прошлым годом" the year being compared; "того же года" the year named; a count ("…, а
  через неделю", "спустя два месяца", "годом ранее") the day, month or year just named, in its sentence for
  "через", also in the next one for the others (none when the unit is finer than that date: "в марте 2020 года,
  а через неделю"); a bare weekday right after a day it falls on ("20 марта, в субботу") that day.
- Habitual or generic text ("обычно", "ежегодно", "(отмечается 12 апреля)", "рассаду высаживают
  в апреле") leaves its year-less months, days and seasons unresolved: they are no calendar dates.
- `eventful` is False for a dateline, a comparison year ("по сравнению с 2016-м") and an
  attribute year ("смартфоны 2017 года"): dates, but no events of the story.
"""

from newsreader.nlp.dates.mention import DateMention
from newsreader.nlp.dates.reading import find_dates

__all__ = ["DateMention", "find_dates"]
