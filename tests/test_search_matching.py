"""Query language and in-article matching: Russian morphology, ё/е, phrases, prefixes, hostile input."""

import datetime
from itertools import pairwise

import pytest

from newsreader.ingest.parse import Article
from newsreader.search.matching import find_matches
from newsreader.search.query import MAX_PROBLEMS, MAX_QUERY_CHARS, MAX_QUERY_WORDS, DateRange, EntityFilter, parse_query

# (query, a form in the text): nouns, verbs, adjectives, names, suppletive and derived forms
MORPHOLOGY_PAIRS = [
    ("россиянин", "россиян"),
    ("россиян", "россиянина"),
    ("Баку", "Баку"),
    ("освобождение", "освобожден"),
    ("освобожден", "освобождения"),
    ("Путин", "Путина"),
    ("Путина", "Путиным"),
    ("человек", "люди"),
    ("ребенок", "детей"),
    ("год", "лет"),
    ("Москва", "Москве"),
    ("выборы", "выборах"),
    ("министр", "министрами"),
    ("заявить", "заявил"),
    ("заявил", "заявила"),
    ("встретиться", "встретились"),
    ("идти", "шли"),
    ("задержание", "задержан"),
    ("новый", "новыми"),
    ("российский", "российской"),
    ("хороший", "лучше"),
    ("Песков", "Пескову"),
    ("Мария", "Марии"),
    ("санкция", "санкций"),
    ("Госдума", "Госдуме"),
]
NON_MATCHES = [("Баку", "бака"), ("россиянин", "России"), ("стол", "столица"), ("мир", "мирный"), ("Путин", "путинки")]


@pytest.mark.parametrize(("query", "form"), MORPHOLOGY_PAIRS)
def test_every_form_of_the_query_word_matches(query, form):
    text = f"Вчера {form} был в новостях."
    assert [text[start:end] for start, end in find_matches(text, query)] == [form]


@pytest.mark.parametrize(("query", "form"), NON_MATCHES)
def test_a_different_word_that_merely_looks_alike_does_not_match(query, form):
    assert find_matches(f"Вчера {form} был в новостях.", query) == []


def test_case_and_yo_are_ignored_both_ways():
    text = "Ёлка стояла. Елку убрали. ЁЖИК и ежик."
    assert [text[s:e] for s, e in find_matches(text, "ёлка")] == ["Ёлка", "Елку"]
    assert [text[s:e] for s, e in find_matches(text, "ЕЖИК", literal=True)] == ["ЁЖИК", "ежик"]


def test_literal_mode_matches_exact_substrings_only():
    text = "Путина и Путин; путинский"
    assert [text[s:e] for s, e in find_matches(text, "путин", literal=True)] == ["Путин", "Путин", "путин"]
    assert find_matches(text, "путину", literal=True) == []


@pytest.mark.parametrize(
    "hostile",
    [
        "[/]",
        "\\",
        "*",
        "(",
        ")",
        '"',
        "[bold]",
        "😀",
        'a"b(c*',
        "**",
        "[/]*",
        "..",
        "per:",
        "date:",
        "date:..",
        'per:"',
        "OR",
        "NEAR(",
        "{forms}:x",
        "-",
        "^",
    ],
)
def test_hostile_queries_never_crash_and_match_literally(hostile):
    text = f"До {hostile} и после {hostile.upper()}."
    parse_query(hostile)
    find_matches(text, hostile)  # normal mode: whatever words it has, no exception
    spans = find_matches(text, hostile, literal=True)
    assert [text[s:e].lower() for s, e in spans] == [hostile.lower()] * 2


def test_phrase_needs_consecutive_words_each_in_any_form():
    text = "Владимира Путина встретили. Владимир Иванович Путин уехал. Владимиру Путину позвонили."
    found = [text[s:e] for s, e in find_matches(text, '"Владимир Путин"')]
    assert found == ["Владимира Путина", "Владимиру Путину"]


def test_a_phrase_is_found_after_a_near_miss_and_among_many_first_words():
    text = "Судьба суд суд. В вв. в, Москве; в Москву и нов москве."
    assert [text[s:e] for s, e in find_matches(text, '"суд суд"')] == ["суд суд"]
    assert [text[s:e] for s, e in find_matches(text, '"в Москве"')] == ["в, Москве", "в Москву"]


def test_prefix_matches_the_start_of_the_word_form():
    text = "Переговоры, переговорщик, перегоны и сверхпереговоры."
    assert [text[s:e] for s, e in find_matches(text, "переговор*")] == ["Переговоры", "переговорщик"]


def test_matches_are_sorted_and_never_overlap():
    text = "Нью-Йорк и нью-йоркский Нью Йорк"
    spans = find_matches(text, 'нью-йорк "нью йорк" нью*')
    assert spans == sorted(spans)
    assert all(end <= next_start for (_, end), (next_start, _) in pairwise(spans))
    assert text[spans[0][0] : spans[0][1]] == "Нью-Йорк"


def test_offsets_hold_for_characters_that_lower_into_two():
    text = "İstanbul и Стамбул, İstanbul."
    assert [text[s:e] for s, e in find_matches(text, "стамбул")] == ["Стамбул"]
    assert [text[s:e] for s, e in find_matches(text, "İstanbul", literal=True)] == ["İstanbul", "İstanbul"]


def test_find_matches_in_a_100_kb_article_finds_every_occurrence():
    """Correctness on a long text; its speed is bench/bench_search.py's, never a timed test."""
    paragraph = (
        "Президент России Владимир Путин провел встречу с россиянами в Москве и обсудил освобождение заложников. "
    )
    copies = 100_000 // len(paragraph)
    text = paragraph * copies
    for query in ("Путин", '"владимир путин"', "освобождение", "пут*"):
        assert len(find_matches(text, query)) == copies
    assert len(find_matches(text, "в")) == copies  # the word "в", never the letter inside other words


def test_parse_query_reads_filters_phrases_and_prefixes():
    query = parse_query('per:Путин ORG:"Газпром нефть" loc:Москве date:2025-10 "в Кремле" перегов* x:y')
    assert query.entities == (
        EntityFilter("PER", ("Путин",)),
        EntityFilter("ORG", ("Газпром", "нефть")),
        EntityFilter("LOC", ("Москве",)),
    )
    assert query.dates == (DateRange(datetime.date(2025, 10, 1), datetime.date(2025, 10, 31)),)
    assert [[(w.text, w.prefix) for w in term.words] for term in query.terms] == [
        [("в", False), ("Кремле", False)],
        [("перегов", True)],
        [("x", False), ("y", False)],
    ]


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2025-10-25", "2025-10-25", "2025-10-25"),
        ("2025-06..2025-07", "2025-06-01", "2025-07-31"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2025", "2025-01-01", "2025-12-31"),
        ("2025-06-15..2025-06", "2025-06-15", "2025-06-30"),
    ],
)
def test_date_filters_are_inclusive_periods(value, first, last):
    (period,) = parse_query(f"date:{value}").dates
    assert (period.first.isoformat(), period.last.isoformat()) == (first, last)


@pytest.mark.parametrize("value", ["2025-13", "2025-02-30", "никогда", "..", "2025..x"])
def test_an_unreadable_date_is_a_problem_not_a_crash(value):
    query = parse_query(f"date:{value} бюджет")
    assert query.dates == () and len(query.problems) == 1
    assert [term.words[0].text for term in query.terms] == ["бюджет"]


@pytest.mark.parametrize(
    ("typed", "loaded"),
    [
        ("Нью\x00-Йорк", "Нью-Йорк"),
        ("в\u00a0Москве", "в Москве"),
        ("Ёлка\u200b", "Ёлка"),
        ("Cafe\u0301", "Caf\u00e9"),
        ("a\ud800b", "a\ufffdb"),
    ],
)
def test_a_literal_query_is_cleaned_as_article_text_is(typed, loaded):
    """NUL, no-break spaces and invisible characters were taken out of the texts: they cannot be needed to match."""
    text = f"Текст: {loaded}."
    assert [text[s:e] for s, e in find_matches(text, typed, literal=True)] == [loaded]


def test_a_query_of_only_nul_or_lone_surrogates_is_empty():
    for typed in ("\x00", "\x00\x00 ", "\ud800\udcff"):
        assert parse_query(typed).empty
    assert parse_query("\x00", literal=True).empty


def test_a_100_kb_query_reads_its_start_and_says_so():
    query = parse_query("date:2025 " + " ".join(f"слово{index}" for index in range(20_000)))
    assert [term.words[0].text for term in query.terms] == [f"слово{index}" for index in range(MAX_QUERY_WORDS)]
    assert query.problems == (
        f"the query is longer than {MAX_QUERY_CHARS} characters; only its start is read",
        f"the query has more than {MAX_QUERY_WORDS} words; only the first ones are searched",
    )
    assert len(query.dates) == 1


def test_words_past_the_limit_are_left_out_and_filters_after_them_still_hold():
    query = parse_query(" ".join(f"слово{index}" for index in range(100)) + " date:2025")
    assert len(query.terms) == MAX_QUERY_WORDS and len(query.dates) == 1
    assert query.problems == (f"the query has more than {MAX_QUERY_WORDS} words; only the first ones are searched",)


def test_a_long_phrase_is_cut_and_counts_towards_the_limit():
    query = parse_query('"' + "а " * 100 + '" per:Путин')
    assert len(query.terms[0].words) == MAX_QUERY_WORDS and query.entities == ()


@pytest.mark.parametrize(
    "value", ["2020-13-45", "..", "99999-01-01", "", "2025-00", "0000", "２０２５", '"2025', "1-1-1"]
)
def test_a_bad_date_is_one_short_printable_problem(value):
    query = parse_query(f"date:{value} бюджет")
    assert query.dates == () and len(query.problems) == 1
    assert query.problems[0].startswith("date:") and query.problems[0].isprintable()


def test_a_hostile_date_value_is_shortened_and_cleaned_in_the_problem():
    (problem,) = parse_query('date:"\x1b[31m' + "x" * 1000 + '"').problems
    assert "\x1b" not in problem and "…" in problem and len(problem) < 100


def test_many_date_filters_narrow_to_their_overlap():
    (period,) = parse_query("date:2025 date:2025-06..2025-12 date:2025-10").dates
    assert (period.first, period.last) == (datetime.date(2025, 10, 1), datetime.date(2025, 10, 31))
    disjoint = parse_query("date:2024 date:2025")
    assert disjoint.problems == ("the date filters do not overlap: no article can match",)
    dated = [
        Article.of(f"{year}", f"{year}", datetime.date(year, 6, 1), "t", 0, None, "utf-8", "f") for year in (2024, 2025)
    ]
    assert not any(map(disjoint.allows, dated))


def test_thousands_of_bad_dates_make_a_few_problems():
    query = parse_query(" ".join(f"date:x{index}" for index in range(200)))
    assert len(query.problems) == MAX_PROBLEMS and query.problems[-1] == f"and {200 - MAX_PROBLEMS + 1} more problems"
