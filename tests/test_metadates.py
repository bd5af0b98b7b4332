"""Dates in dump metadata: the forms dumps use, read strictly; nothing guessed, doubt reported."""

import datetime
import subprocess
import sys

import pytest

from newsreader.ingest.metadates import metadata_date, url_date

AUG_6 = datetime.date(2019, 8, 6)


@pytest.mark.parametrize(
    "value",
    [
        "2019-08-06",
        "2019-08-06 14:15:00",
        "2019-08-06T14:15:00+03:00",
        "2019-08-06T23:59:59.123Z",
        "  2019-08-06  ",
        "06.08.2019",
        "6.8.2019 14:15",
        "2019/08/06",
        "Tue, 06 Aug 2019 14:15:00 +0300",
        "Tue, 06 Aug 2019 14:15:00 GMT",
        "6 августа 2019",
        "6 августа 2019 года",
        "6 August 2019",
    ],
)
def test_each_form_gives_its_day(value):
    assert metadata_date(value) == (AUG_6, None)


def test_a_worded_russian_date():
    assert metadata_date("1 января 2010") == (datetime.date(2010, 1, 1), None)


def test_the_day_is_the_one_written_not_the_utc_day():
    """An outlet in Moscow printed 6 August at 01:30; in UTC it was still 5 August."""
    assert metadata_date("2019-08-06T01:30:00+03:00")[0] == AUG_6
    assert metadata_date("Tue, 06 Aug 2019 01:30:00 +0300")[0] == AUG_6


@pytest.mark.parametrize("value", ["01/02/2010", "12/11/2010"])
def test_a_slashed_date_that_reads_both_ways_is_not_taken(value):
    day, problem = metadata_date(value)
    assert day is None
    assert "ambiguous" in problem and value in problem


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13/02/2010", datetime.date(2010, 2, 13)),
        ("02/13/2010", datetime.date(2010, 2, 13)),
        ("05/05/2010", datetime.date(2010, 5, 5)),
    ],
)
def test_a_slashed_date_with_one_possible_reading_is_taken(value, expected):
    assert metadata_date(value) == (expected, None)


@pytest.mark.parametrize("value", ["январь 2010", "5 мая", "2010", "Aug 2019", "вчера", "2 days ago", "позавчера"])
def test_no_missing_day_or_year_is_guessed_and_nothing_relative_is_taken(value):
    day, problem = metadata_date(value)
    assert day is None
    assert value in problem


@pytest.mark.parametrize("value", ["31.02.2019", "2019-13-01", "2019-02-30 10:00"])
def test_an_impossible_day_is_a_problem(value):
    day, problem = metadata_date(value)
    assert day is None and "not a real day" in problem


@pytest.mark.parametrize("value", ["hello", "Москва", "", "   ", "2019-08-06 and more text"])
def test_a_value_that_is_not_a_date_is_a_problem(value):
    day, problem = metadata_date(value)
    assert day is None and problem


def test_a_very_long_value_is_shortened_in_the_problem():
    day, problem = metadata_date("1" * 10_000)
    assert day is None and len(problem) < 200


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://lenta.ru/news/2018/12/14/slug/", datetime.date(2018, 12, 14)),
        ("https://lenta.ru/news/2018/12/14/slug", datetime.date(2018, 12, 14)),
        ("https://ria.ru/2018/12/14", datetime.date(2018, 12, 14)),
        ("https://example.ru/a/2018-12-14/b", datetime.date(2018, 12, 14)),
        ("https://example.ru/a/2018/13/14/ok/2019/01/02/", datetime.date(2019, 1, 2)),
        ("https://example.ru/a/2018/12/", None),
        ("https://example.ru/2018/12/145/", None),
        ("https://example.ru/id/1234/12/14/", None),
        ("not a url", None),
        ("", None),
    ],
)
def test_url_dates(url, expected):
    assert url_date(url) == expected


def test_the_host_is_not_read_as_a_date():
    assert url_date("https://2018/12/14") is None


def test_dateparser_is_imported_only_for_a_worded_date():
    """Its import costs ~70 ms: dumps with machine dates never pay it."""
    code = (
        "import sys; from newsreader.ingest.metadates import metadata_date;"
        "metadata_date('2019-08-06'); metadata_date('Tue, 06 Aug 2019 14:15:00 +0300'); metadata_date('06.08.2019');"
        "print('dateparser' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("06.08.19", datetime.date(2019, 8, 6)),
        ("6.8.19", datetime.date(2019, 8, 6)),
        ("06-08-2019", datetime.date(2019, 8, 6)),
        ("06 08 2019", datetime.date(2019, 8, 6)),
        ("06.08.2019 г.", datetime.date(2019, 8, 6)),
        ("06.08.2019 года", datetime.date(2019, 8, 6)),
        ("06.08.2019 г., 14:15", datetime.date(2019, 8, 6)),
        ("01.02.10", datetime.date(2010, 2, 1)),
        ("31.12.99", datetime.date(1999, 12, 31)),
    ],
)
def test_numeric_dates_are_read_day_first_as_russian_writes_them(value, expected):
    assert metadata_date(value) == (expected, None)


def test_a_two_digit_slashed_date_that_reads_both_ways_is_not_taken():
    day, problem = metadata_date("06/08/19")
    assert day is None and "ambiguous" in problem
