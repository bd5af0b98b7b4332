import datetime
import re
import time

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
    first, second = build_events(text, dates, sentences, entities)
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
    events = build_events(text, dates, [(0, len(text))], [])
    assert [(text[e.start : e.end], e.value) for e in events] == [
        ("2017 году", "2017"),
        ("1 сентября 2025 года", "2025-09-01"),
    ]


def test_the_event_flag_takes_no_part_in_equality():
    """The payload does not carry it, so a mention read back from the cache equals the one found."""
    assert DateMention(0, 5, "3 сен", "2025-09-03", "day", eventful=False) == DateMention(
        0, 5, "3 сен", "2025-09-03", "day"
    )


def events_of(text: str, names: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """(date text, entity keys) of each event of `text`, every occurrence of each name an entity."""
    sentences, start = [], 0
    for match in re.finditer(r"[.!?](?:\s+|$)", text):
        sentences.append((start, match.end()))
        start = match.end()
    spans = sorted((found.start(), found.end(), name) for name in names for found in re.finditer(name, text))
    events = build_events(text, find_dates(text, D(2025, 11, 21)), sentences, spans)
    return [(text[event.start : event.end], event.keys) for event in events]


BY_CLAUSE = [
    (
        "В 2015 году Иванов ушел из Газпрома, а в 2017 году Петров возглавил Роснефть.",
        ["Иванов", "Газпрома", "Петров", "Роснефть"],
        [("2015 году", ("Иванов", "Газпрома")), ("2017 году", ("Петров", "Роснефть"))],
    ),
    (
        "Компания, которую в 2005 году основал Иванов, в 2020 году купила Яндекс.",
        ["Иванов", "Яндекс"],
        [("2005 году", ("Иванов",)), ("2020 году", ("Яндекс",))],
    ),
    (
        "В 2014 году Сбербанк открыл офис в Казани; в 2016 году ВТБ закрыл офис в Самаре.",
        ["Сбербанк", "Казани", "ВТБ", "Самаре"],
        [("2014 году", ("Сбербанк", "Казани")), ("2016 году", ("ВТБ", "Самаре"))],
    ),
    (
        "В 2010 году Путин посетил Китай, но в 2011 году визит в Индию отменили.",
        ["Путин", "Китай", "Индию"],
        [("2010 году", ("Путин", "Китай")), ("2011 году", ("Индию",))],
    ),
    (
        "Иванов жил в Омске до 2018 года, когда Петров в 2019 году позвал его в Москву.",
        ["Иванов", "Омске", "Петров", "Москву"],
        [("2018 года", ("Иванов", "Омске")), ("2019 году", ("Петров", "Москву"))],
    ),
    (  # an undated subordinate clause lends its entities to the clause it depends on
        "Иванов, который возглавляет Газпром, в 2020 году встретился с Петровым, а в 2021 году — с Сидоровым.",
        ["Иванов", "Газпром", "Петровым", "Сидоровым"],
        [("2020 году", ("Иванов", "Газпром", "Петровым")), ("2021 году", ("Сидоровым",))],
    ),
    (  # an undated coordinated clause: to the nearest dated clause before it
        "В 2015 году Иванов ушел, а в 2016 году Петров пришел, но Сидоров остался.",
        ["Иванов", "Петров", "Сидоров"],
        [("2015 году", ("Иванов",)), ("2016 году", ("Петров", "Сидоров"))],
    ),
    (  # one dated clause: the whole sentence's entities, as before
        "В 2015 году Иванов ушел из Газпрома, а Петров остался в Роснефти.",
        ["Иванов", "Газпрома", "Петров", "Роснефти"],
        [("2015 году", ("Иванов", "Газпрома", "Петров", "Роснефти"))],
    ),
    (  # a comma inside a coordinated clause ends nothing
        "В 2015 году Иванов ушел, а в 2016 году Петров, Сидоров и Козлов пришли.",
        ["Иванов", "Петров", "Сидоров", "Козлов"],
        [("2015 году", ("Иванов",)), ("2016 году", ("Петров", "Сидоров", "Козлов"))],
    ),
    (  # a comma inside a clause cuts nothing
        "В Москве, Киеве и Минске 3 марта 2020 года прошли акции.",
        ["Москве", "Киеве", "Минске"],
        [("3 марта 2020 года", ("Москве", "Киеве", "Минске"))],
    ),
]


@pytest.mark.parametrize(("text", "names", "expected"), BY_CLAUSE)
def test_events_take_the_entities_of_their_clause(text, names, expected):
    assert events_of(text, names) == expected


REPEATS = [
    (  # the same date and entities, told twice
        "25 октября Белоусова освободили в Баку. Адвокат подтвердил, что Белоусова отпустили в Баку 25 октября.",
        ["Белоусова", "Баку"],
        [("25 октября", ("Белоусова", "Баку"))],
    ),
    (  # a lead repeated in the body, with one more name: one event, both names
        "Суд в Москве 3 марта арестовал бизнесмена. Защита обжалует решение. "
        "Суд в Москве 3 марта арестовал бизнесмена Иванова.",
        ["Москве", "Иванова"],
        [("3 марта", ("Москве", "Иванова"))],
    ),
    (  # one date twice in one sentence
        "В 2020 году выручка выросла, и в 2020 году прибыль упала.",
        [],
        [("2020 году", ())],
    ),
    (  # one date in two clauses of a sentence: one event, with the entities of both
        "Иванов, который 3 марта прилетел в Москву, 3 марта встретился с Петровым, а 5 марта с Сидоровым.",
        ["Иванов", "Москву", "Петровым", "Сидоровым"],
        [("3 марта", ("Москву", "Иванов", "Петровым")), ("5 марта", ("Сидоровым",))],
    ),
    (  # a weekday after the day it names
        "Лекция, которая пройдет 22 ноября, в субботу, в Эрмитаже, будет бесплатной.",
        ["Эрмитаже"],
        [("22 ноября", ("Эрмитаже",))],
    ),
    (  # traps: the same date with other entities, or in other sentences without any, are other events
        "25 октября Иванов прилетел в Баку. 25 октября Петров улетел в Ереван.",
        ["Иванов", "Баку", "Петров", "Ереван"],
        [("25 октября", ("Иванов", "Баку")), ("25 октября", ("Петров", "Ереван"))],
    ),
    (
        "В 2020 году выручка выросла. В 2020 году прибыль упала.",
        [],
        [("2020 году", ()), ("2020 году", ())],
    ),
    (
        "Иванов прилетел в Баку 25 октября. Иванов прилетел в Баку 26 октября.",
        ["Иванов", "Баку"],
        [("25 октября", ("Иванов", "Баку")), ("26 октября", ("Иванов", "Баку"))],
    ),
]


@pytest.mark.parametrize(("text", "names", "expected"), REPEATS)
def test_a_fact_told_twice_is_one_event(text, names, expected):
    assert events_of(text, names) == expected


def test_merging_repeats_stays_linear_on_a_long_article():
    """A guard against comparing each event with every other: thousands of one-date sentences that share
    no words take seconds if quadratic, far less when each meets a bounded window."""
    text = " ".join(f"Слово{index} 3 марта 2020 года было{index}." for index in range(3000))
    started = time.perf_counter()
    assert len(events_of(text, [])) == 3000
    assert time.perf_counter() - started < 10
