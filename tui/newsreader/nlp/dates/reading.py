"""find_dates: one pass over the matches, each read in its context."""

import datetime
import re
from dataclasses import replace

from newsreader.folding import lower_aligned
from newsreader.nlp.dates.calendar import month_value
from newsreader.nlp.dates.context import (
    ATTRIBUTE,
    ATTRIBUTE_AFTER,
    COMPARED_PERIOD,
    COMPARISON,
    HABIT_RULES,
    LOOKBACK,
    Paragraph,
    is_dateline,
)
from newsreader.nlp.dates.mention import UNRESOLVED, DateMention, Groups
from newsreader.nlp.dates.rules import (
    ANCHORED_RULES,
    PATTERN,
    RELATIVE_GROUPS,
    RESOLVERS,
    SAME_YEAR_GROUPS,
    STATED_YEAR_GROUPS,
    count_reach,
)
from newsreader.nlp.dates.words import COUNTED_UNIT_BY_PREFIX, WEEKDAY_BY_PREFIX


def find_dates(text: str, published: datetime.date | None) -> list[DateMention]:
    """Temporal expressions in `text`, sorted and non-overlapping, resolved against `published`
    or, where the grammar says so, against a date the text set before."""
    lowered = lower_aligned(text)  # aligned: the match offsets are offsets into `text`
    paragraph = Paragraph(text, lowered)
    mentions: list[DateMention] = []
    for match in PATTERN.finditer(lowered):
        rule = match.lastgroup  # each rule's span group closes last, so it names the rule
        assert rule is not None, "every alternative of PATTERN is a named group"
        start, end = match.span(rule)
        mention = _read(paragraph, match, rule, start, end, published)
        if mention is not None:
            if paragraph.shares_year_back:  # "в январе и феврале 2024 года": January 2024 too
                mentions[-1] = _in_year_of(mentions[-1], mention)
            mentions.append(mention)
            paragraph.last, paragraph.last_end = mention, end
    return mentions


def _read(
    paragraph: Paragraph, match: re.Match[str], rule: str, start: int, end: int, published: datetime.date | None
) -> DateMention | None:
    """One match as a mention, read in its context; None when it is no date after all."""
    paragraph.read_gap(match.start())
    get = Groups(match, rule + "_")
    last = paragraph.last
    coordinated = rule == "months" and (get("trigger") or "").strip() in ("и", "или")
    if coordinated:  # "в апреле и мае"
        if last is None or last.granularity not in ("month", "unknown") or paragraph.last_end < match.start() - 1:
            return None
    stated = any(match.group(name) for name in STATED_YEAR_GROUPS[rule])
    relative = any(match.group(name) for name in RELATIVE_GROUPS[rule])
    same_year = any(match.group(name) for name in SAME_YEAR_GROUPS[rule])
    before = paragraph.lowered[max(0, start - LOOKBACK) : start]
    comparison = COMPARISON.search(before) is not None or (
        rule == "relative_period" and COMPARED_PERIOD.search(before) is not None
    )
    resolution = RESOLVERS[rule](
        get, _reference(paragraph, rule, get, start, published, stated or relative, comparison, same_year)
    )
    if resolution is None:
        return None
    if rule == "weekday" and (apposed := _apposed_weekday(paragraph, match.start(), get)):
        resolution = apposed, "day"
    if resolution[0] is not None and rule in HABIT_RULES and not stated and not relative and paragraph.habitual(start):
        resolution = UNRESOLVED
    attribute = stated and (  # "смартфоны 2017 года", "автомобиль 2015 года выпуска"
        ATTRIBUTE.search(before) is not None or ATTRIBUTE_AFTER.match(paragraph.lowered, end) is not None
    )
    dateline = resolution[1] == "day" and is_dateline(paragraph.text, start, end)
    mention = DateMention(start, end, paragraph.text[start:end], *resolution, not (comparison or attribute or dateline))
    if stated and mention.eventful:
        paragraph.set_anchor(mention)
    paragraph.remember_point(mention)
    paragraph.shares_year_back = coordinated and stated and paragraph.yearless_month and mention.granularity == "month"
    paragraph.yearless_month = rule == "months" and not (stated or relative) and mention.granularity == "month"
    return mention


def _apposed_weekday(paragraph: Paragraph, match_start: int, get: Groups) -> str | None:
    """ "20 марта, в субботу": a bare weekday right after a day that falls on it is that day."""
    last = paragraph.last
    if last is None or last.granularity != "day" or last.value is None or get("mod") or get("date_day"):
        return None
    if paragraph.text[paragraph.last_end : match_start].strip(" ,("):
        return None
    named = datetime.date.fromisoformat(last.value)
    return last.value if named.weekday() == WEEKDAY_BY_PREFIX[get["name"][:2]] else None


def _in_year_of(first: DateMention, second: DateMention) -> DateMention:
    """`first`, a year-less month, in the year of the month coordinated with it (the year before if later)."""
    assert first.value is not None and second.value is not None, "both are resolved months"
    month = int(first.value[5:7])
    year = int(second.value[:4]) - (month > int(second.value[5:7]))
    return replace(first, value=month_value(year, month))


def _reference(
    paragraph: Paragraph,
    rule: str,
    get: Groups,
    start: int,
    published: datetime.date | None,
    says_year: bool,
    comparison: bool,
    same_year: bool,
) -> datetime.date | None:
    """The date a match is resolved against: the publication, unless the grammar ties it to a date the text
    set before: a year-less month or season to the paragraph's year, "до конца года" to the sentence's,
    "по сравнению с прошлым годом" to the year being compared, "того же года" to the year named, "а через
    неделю" or "годом ранее" to the date just named (None when the unit is finer than that date)."""
    anchor = paragraph.anchor
    if same_year:
        return anchor or published
    if anchor is not None and not says_year:
        past_story = published is not None and anchor.year < published.year
        if rule in ANCHORED_RULES and not (past_story and paragraph.future(start)):
            return paragraph.reference_for_yearless()
        if rule == "edge" and paragraph.anchor_age == 0 and get["unit"] == "года":
            return anchor
    if rule == "relative_period" and comparison and anchor is not None:
        return anchor
    reach = count_reach(rule, get)
    if reach is not None and paragraph.point is not None and paragraph.point_age <= reach:
        return paragraph.point_date(reach, COUNTED_UNIT_BY_PREFIX[get["unit"][:3]][0])
    return published
