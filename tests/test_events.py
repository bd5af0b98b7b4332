import datetime

import pytest

from newsreader.nlp.dates import DateMention, find_dates
from newsreader.nlp.events import build_events, period

D = datetime.date


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2025-10-25", D(2025, 10, 25), D(2025, 10, 25)),
        ("2025-07", D(2025, 7, 1), D(2025, 7, 31)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("2025-12", D(2025, 12, 1), D(2025, 12, 31)),
        ("2018", D(2018, 1, 1), D(2018, 12, 31)),
        ("2025-W46", D(2025, 11, 10), D(2025, 11, 16)),
        ("2025-Q2", D(2025, 4, 1), D(2025, 6, 30)),
        ("2024-SU", D(2024, 6, 1), D(2024, 8, 31)),
        ("2025-WI", D(2024, 12, 1), D(2025, 2, 28)),
        ("2025-06-30/2025-07-01", D(2025, 6, 30), D(2025, 7, 1)),
        ("2010/2012", D(2010, 1, 1), D(2012, 12, 31)),
        ("2023-01/2023-02", D(2023, 1, 1), D(2023, 2, 28)),
        ("9999", D(9999, 1, 1), D(9999, 12, 31)),
        ("9999-12", D(9999, 12, 1), D(9999, 12, 31)),
    ],
)
def test_period(value, first, last):
    assert period(value) == (first, last)


def test_period_rejects_garbage():
    with pytest.raises(ValueError):
        period("вчера")


def test_events_take_the_sentence_and_its_entities():
    text = "Белоусов арестован в июле. Его освободили 25 октября в Баку. Позже."
    sentences = [(0, 26), (27, 60), (61, 67)]
    dates = [
        DateMention(21, 25, "июле", "2025-07", "month"),
        DateMention(42, 52, "25 октября", "2025-10-25", "day"),
        DateMention(61, 65, "xxxx", None, "unknown"),
    ]
    entities = [(0, 8, "PER:евгений белоусов"), (55, 59, "LOC:баку"), (55, 59, "LOC:баку")]
    first, second = build_events(dates, sentences, entities)
    assert (first.value, first.sentence_start, first.sentence_end, first.keys) == (
        "2025-07",
        0,
        26,
        ("PER:евгений белоусов",),
    )
    assert (second.value, second.granularity, second.keys) == ("2025-10-25", "day", ("LOC:баку",))
    assert text[second.sentence_start : second.sentence_end] == "Его освободили 25 октября в Баку."
    assert second.period == (D(2025, 10, 25), D(2025, 10, 25))


def test_datelines_comparisons_attributes_and_observances_make_no_events():
    text = (
        "ХАБАРОВСК, 3 сен – РИА Новости. В 2017 году выручка выросла по сравнению с 2016-м. "
        "Смартфоны 2017 года подешевели. День знаний (отмечается 1 сентября) прошел 1 сентября 2025 года."
    )
    dates = find_dates(text, D(2025, 9, 3))
    assert [(d.text, d.value) for d in dates] == [
        ("3 сен", "2025-09-03"),
        ("2017 году", "2017"),
        ("2016-м", "2016"),
        ("2017 года", "2017"),
        ("1 сентября", None),
        ("1 сентября 2025 года", "2025-09-01"),
    ]
    events = build_events(dates, [(0, len(text))], [])
    assert [(text[e.start : e.end], e.value) for e in events] == [
        ("2017 году", "2017"),
        ("1 сентября 2025 года", "2025-09-01"),
    ]


def test_the_event_flag_takes_no_part_in_equality():
    """The payload does not carry it, so a mention read back from the cache equals the one found."""
    assert DateMention(0, 5, "3 сен", "2025-09-03", "day", eventful=False) == DateMention(
        0, 5, "3 сен", "2025-09-03", "day"
    )
