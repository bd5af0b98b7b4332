"""Dates typed in words in a `date:` filter: the article grammar first, dateparser for the rest, the past preferred."""

import datetime

import pytest

from newsreader.search.query import parse_query
from newsreader.search.typed_dates import MAX_TYPED_CHARS, typed_period

TODAY = datetime.date(2026, 12, 7)  # a Monday
D = datetime.date

CASES = [
    # the project's grammar
    ("прошлая неделя", (D(2026, 11, 30), D(2026, 12, 6))),
    ("на прошлой неделе", (D(2026, 11, 30), D(2026, 12, 6))),
    ("март 2019", (D(2019, 3, 1), D(2019, 3, 31))),
    ("в марте 2019 года", (D(2019, 3, 1), D(2019, 3, 31))),
    ("с 3 по 7 марта 2019", (D(2019, 3, 3), D(2019, 3, 7))),
    ("вчера", (D(2026, 12, 6), D(2026, 12, 6))),
    ("прошлый месяц", (D(2026, 11, 1), D(2026, 11, 30))),
    ("в 90-е годы", (D(1990, 1, 1), D(1999, 12, 31))),
    ("I квартал 2019", (D(2019, 1, 1), D(2019, 3, 31))),
    ("с 2015 по 2019 год", (D(2015, 1, 1), D(2019, 12, 31))),
    ("01.03.2019", (D(2019, 3, 1), D(2019, 3, 1))),
    ("3 дня назад", (D(2026, 12, 4), D(2026, 12, 4))),
    # the past preferred where the year is a guess: the March gone by, not the next one
    ("с 3 по 7 марта", (D(2026, 3, 3), D(2026, 3, 7))),
    ("3 марта", (D(2026, 3, 3), D(2026, 3, 3))),
    ("в марте", (D(2026, 3, 1), D(2026, 3, 31))),
    # ... but a period said to be ahead stays ahead
    ("следующая неделя", (D(2026, 12, 14), D(2026, 12, 20))),
    # the timeline's own labels
    ("2025-W46", (D(2025, 11, 10), D(2025, 11, 16))),
    ("2019-q2", (D(2019, 4, 1), D(2019, 6, 30))),
    ("2025-WI", (D(2024, 12, 1), D(2025, 2, 28))),
    # trailing periods, up to today
    ("за последнюю неделю", (D(2026, 12, 1), D(2026, 12, 7))),
    ("последние 3 дня", (D(2026, 12, 5), D(2026, 12, 7))),
    ("last 30 days", (D(2026, 11, 8), D(2026, 12, 7))),
    ("past 2 weeks", (D(2026, 11, 24), D(2026, 12, 7))),
    # dateparser: English, bare month names, slashes read day first
    ("last week", (D(2026, 11, 30), D(2026, 12, 6))),
    ("last month", (D(2026, 11, 1), D(2026, 11, 30))),
    ("last year", (D(2025, 1, 1), D(2025, 12, 31))),
    ("March 2019", (D(2019, 3, 1), D(2019, 3, 31))),
    ("yesterday", (D(2026, 12, 6), D(2026, 12, 6))),
    ("март", (D(2026, 3, 1), D(2026, 3, 31))),
    ("12/03/2019", (D(2019, 3, 12), D(2019, 3, 12))),
]


@pytest.mark.parametrize(("typed", "expected"), CASES)
def test_a_period_typed_in_words(typed, expected):
    assert typed_period(typed, TODAY) == expected


@pytest.mark.parametrize(
    "typed",
    ["", "1", "2025-W54", "2025-W53", "никогда", "Москва", "3 по", "весна и лето 2019 или осень", "последние 9999 лет"],
)
def test_words_that_name_no_one_period(typed):
    assert typed_period(typed, TODAY) is None


def test_a_pasted_paragraph_is_not_read():
    assert typed_period("март 2019 " + "х" * MAX_TYPED_CHARS, TODAY) is None


def test_a_query_filters_by_a_typed_period():
    query = parse_query('Путин date:"с 3 по 7 марта 2019"', today=TODAY)
    assert [(each.first, each.last) for each in query.dates] == [(D(2019, 3, 3), D(2019, 3, 7))]
    assert not query.problems


def test_a_range_of_typed_ends():
    query = parse_query('date:"март 2019..вчера"', today=TODAY)
    assert [(each.first, each.last) for each in query.dates] == [(D(2019, 3, 1), D(2026, 12, 6))]


def test_an_unreadable_date_is_a_problem_note_naming_it():
    query = parse_query("date:никогда", today=TODAY)
    assert query.dates == ()
    assert query.problems == ('date:никогда is no date: try 2019-03, "март 2019" or FROM..TO',)
