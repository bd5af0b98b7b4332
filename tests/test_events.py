import datetime

import pytest

from newsreader.nlp.dates import DateMention
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
