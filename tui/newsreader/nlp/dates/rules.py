"""The rule table and the one precompiled pattern that finds every rule's spans in a single pass."""

import re
from collections.abc import Callable
from functools import partial

from newsreader.nlp.dates.mention import Groups, Resolver
from newsreader.nlp.dates.patterns import (
    BY_DASH,
    BY_WORDS,
    COUNTED_UNIT,
    COUNTED_UNIT_INSTRUMENTAL,
    DECADE_TRIGGER,
    FROM,
    GATE,
    HYPHEN_ORDINAL,
    MODIFIER,
    MONTH_ABBR,
    MONTH_TRIGGER,
    NOT_A_WEEKDAY,
    NOT_A_YEAR_NOUN,
    NUMBER,
    ORDINAL_SUFFIX,
    PERIOD_UNIT,
    POSITION_WORD,
    SEASON_ADVERB,
    SEASON_NOUN,
    SEASON_TRIGGER,
    WEEKDAY_CASE,
    WEEKEND_MODIFIER,
    YEAR_NUMBER,
    YEAR_WORD,
    YEARS_WORD,
    day_month_year,
    decade,
    month_year,
    quarter,
    range_start_day,
    weekday,
    year_part,
)
from newsreader.nlp.dates.resolvers import (
    resolve_count,
    resolve_day,
    resolve_day_range,
    resolve_decade,
    resolve_deictic,
    resolve_edge,
    resolve_months,
    resolve_numeric,
    resolve_quarter,
    resolve_relative_period,
    resolve_season,
    resolve_season_noun,
    resolve_shift,
    resolve_weekday,
    resolve_weekday_case,
    resolve_weekend,
    resolve_year,
    resolve_year_range,
)
from newsreader.nlp.dates.words import DEICTIC_OFFSETS

# (name, trigger outside the span, resolver, span pattern built from its group prefix).
# Order matters: at one position the first rule that matches wins, so longer forms go first.
_RULES: tuple[tuple[str, str, Resolver, Callable[[str], str]], ...] = (
    (
        "numeric",
        "",
        resolve_numeric,
        lambda p: (
            rf"(?<!\d[.,])(?P<{p}day>[0-3]?\d)\.(?P<{p}month>[01]?\d)\.(?P<{p}year>{YEAR_NUMBER}|\d\d)(?!\.?\d)"
            rf"(?:\s*{YEAR_WORD})?"
        ),
    ),
    (
        "days_by_words",
        FROM,
        resolve_day_range,
        lambda p: range_start_day(p + "a_") + BY_WORDS + day_month_year(p + "b_"),
    ),
    (
        "days_by_dash",
        "",
        resolve_day_range,
        lambda p: range_start_day(p + "a_") + BY_DASH + day_month_year(p + "b_"),
    ),
    ("day", "", resolve_day, day_month_year),
    (
        "day_abbr",
        "",
        resolve_day,
        lambda p: rf"(?P<{p}day>[0-3]?\d)\s+(?P<{p}month>{MONTH_ABBR})(?:\s+{year_part(p)})?",
    ),
    ("months_by_words", FROM, resolve_months, lambda p: month_year(p + "a_") + BY_WORDS + month_year(p + "b_")),
    (
        "months",
        f"(?P<months_trigger>{MONTH_TRIGGER})?",
        resolve_months,
        lambda p: month_year(p + "a_") + rf"(?:{BY_DASH}{month_year(p + 'b_')})?",
    ),
    ("quarter", "", resolve_quarter, quarter),
    (
        "season_adverb",
        "",
        resolve_season,
        lambda p: rf"(?:(?P<{p}mod>{MODIFIER})\s+)?(?P<{p}name>{SEASON_ADVERB})(?:\s+{year_part(p)})?",
    ),
    (
        "season_noun",
        f"(?P<season_noun_trigger>{SEASON_TRIGGER})?",
        resolve_season_noun,
        lambda p: rf"(?:(?P<{p}mod>{MODIFIER})\s+)?(?P<{p}name>{SEASON_NOUN})(?:\s+{year_part(p)})?",
    ),
    ("decade", f"(?P<decade_trigger>{DECADE_TRIGGER})?", resolve_decade, decade),
    (
        "edge",
        "",
        resolve_edge,
        lambda p: rf"{POSITION_WORD}\s+(?P<{p}unit>года|месяца|недели)\b(?!\s*(?:\d|назад|спустя))",
    ),
    (
        "weekend",
        "",
        resolve_weekend,
        lambda p: rf"(?P<{p}mod>{WEEKEND_MODIFIER})\s+выходн(?:ые|ых|ым|ыми)\b(?!\s+(?:данн|документ|сведени))",
    ),
    (
        "years_by_words",
        FROM,
        resolve_year_range,
        lambda p: (
            rf"(?P<{p}a_year>{YEAR_NUMBER})(?:\s*{YEAR_WORD})?{BY_WORDS}"
            rf"(?P<{p}b_year>{YEAR_NUMBER})\s*{YEAR_WORD}"
        ),
    ),
    (
        "years_by_dash",
        "",
        resolve_year_range,
        lambda p: rf"(?P<{p}a_year>{YEAR_NUMBER}){BY_DASH}(?P<{p}b_year>{YEAR_NUMBER})\s*{YEARS_WORD}",
    ),
    ("year", "", resolve_year, lambda p: rf"(?P<{p}year>{YEAR_NUMBER})(?:{ORDINAL_SUFFIX})?\s*{YEAR_WORD}"),
    (
        "year_ordinal",
        "",
        resolve_year,
        lambda p: rf"(?P<{p}year>(?:1[89]|20)\d\d){HYPHEN_ORDINAL}(?!{NOT_A_YEAR_NOUN})",
    ),
    ("weekday", r"(?:в|во|ночь\s+на)\s+", resolve_weekday, weekday),
    (
        "weekday_case",
        r"(?P<weekday_case_trigger>с|со|до|после|к|ко|начиная\s+с)\s+",
        resolve_weekday_case,
        lambda p: rf"(?P<{p}name>{WEEKDAY_CASE})(?!{NOT_A_WEEKDAY})(?:,?\s+{day_month_year(p + 'date_')})?",
    ),
    (
        "relative_period",
        "",
        resolve_relative_period,
        lambda p: rf"(?P<{p}mod>{MODIFIER})\s+(?P<{p}unit>{PERIOD_UNIT})",
    ),
    (
        "after",
        "",
        partial(resolve_count, sign=1),
        lambda p: rf"через\s+(?:(?P<{p}count>{NUMBER})\s+)?(?P<{p}unit>{COUNTED_UNIT})(?!\s+после)",
    ),
    (
        "later",
        "",
        partial(resolve_count, sign=1),
        lambda p: rf"спустя\s+(?:(?P<{p}count>{NUMBER})\s+)?(?P<{p}unit>{COUNTED_UNIT})(?!\s+после)",
    ),
    (  # one rule for "два года назад", "неделю спустя", "годом ранее": their shared start is matched once
        "counted",
        "",
        resolve_shift,
        lambda p: (
            rf"(?:(?P<{p}count>{NUMBER})\s+)?(?P<{p}unit>{COUNTED_UNIT}|{COUNTED_UNIT_INSTRUMENTAL})"
            rf"\s+(?P<{p}dir>назад|спустя|ранее|раньше|позже|позднее)\b"
        ),
    ),
    ("deictic", "", resolve_deictic, lambda p: rf"(?P<{p}word>{'|'.join(DEICTIC_OFFSETS)})\b"),
)

# Matched against lower-cased text, far faster than re.IGNORECASE; not ё-folded, as the rules spell ё where
# Russian writes it. The gate passes only word starts where a date can open.
PATTERN = re.compile(
    rf"\b{GATE}(?:" + "|".join(f"{trigger}(?P<{name}>{span(name + '_')})" for name, trigger, _, span in _RULES) + ")"
)
RESOLVERS = {name: resolver for name, _, resolver, _ in _RULES}


# Rules whose year-less mentions take the year a dated mention earlier in the paragraph states:
# "в мае 2016-го … А уже в ноябре" is November 2016.
ANCHORED_RULES = frozenset({"day", "months", "season_noun", "season_adverb"})


def count_reach(rule: str, get: Groups) -> int | None:
    """How many sentence breaks back a count may start from the date just named ("до 20 марта, а через неделю",
    "В 2015 году … Годом ранее"); None when it counts from the publication ("два года назад"). "через" reaches
    within its sentence only ("20 марта его арестовали. Через неделю начнется суд" is from the publication)."""
    if rule == "after":
        return 0
    if rule == "later" or (rule == "counted" and get["dir"] != "назад"):
        return 1
    return None


STATED_YEAR_GROUPS = {
    rule: tuple(name for name in PATTERN.groupindex if name.startswith(rule + "_") and name.endswith("year"))
    for rule in RESOLVERS
}
SAME_YEAR_GROUPS = {  # "26 марта того же года": the year the text named
    rule: tuple(name for name in PATTERN.groupindex if name.startswith(rule + "_") and name.endswith("same"))
    for rule in RESOLVERS
}
RELATIVE_GROUPS = {  # "прошлого года", "этого лета": relative to the publication, never to an anchor
    rule: tuple(name for name in PATTERN.groupindex if name.startswith(rule + "_") and name.endswith(("rel", "mod")))
    for rule in RESOLVERS
}
