"""The gate in front of the date grammar skips only words where no rule matches: with it the grammar finds the
same matches (spans, rule, groups) as without it, on every text of the date tests, the seed article, and dates
at the gate's edges (three lead words, roman numerals, number words)."""

import re

import pytest
from tests.test_dates import CASES as DATE_CASES
from tests.test_dates import SEED_FILE
from tests.test_dates_real import TABLES

from newsreader.folding import lower_aligned
from newsreader.nlp.dates import find_dates
from newsreader.nlp.dates.patterns import GATE, word_trie
from newsreader.nlp.dates.rules import PATTERN

UNGATED = re.compile(PATTERN.pattern.replace(GATE, "", 1))

EDGES = [  # (text, the dates in it)
    (
        "Начиная с прошлой зимы цены росли, а в течение прошлого лета упали.",
        ["прошлой зимы", "прошлого лета"],
    ),
    ("В ночь на прошлую среду и в ночь на 25 октября шли дожди.", ["прошлую среду", "25 октября"]),
    (
        "Двадцать пять лет назад, одну неделю спустя и через двадцать дней.",
        ["Двадцать пять лет назад", "одну неделю спустя", "через двадцать дней"],
    ),
    (
        "В IV квартале 2024 года, во II квартале и в четвёртом квартале прошлого года.",
        ["IV квартале 2024 года", "II квартале", "четвёртом квартале прошлого года"],
    ),
    (
        "На минувших выходных, в эти выходные и в ближайшие выходные.",
        ["минувших выходных", "эти выходные", "ближайшие выходные"],
    ),
    (
        "На рубеже 90-х, в эпоху нулевых, в 1990-е годы и в середине восьмидесятых.",
        ["90-х", "нулевых", "1990-е годы", "восьмидесятых"],
    ),
    (
        "В конце года, к середине месяца, с начала недели, до конца 2025 года.",
        ["конце года", "середине месяца", "начала недели", "2025 года"],
    ),
    ("С понедельника, после среды, начиная с четверга.", ["понедельника", "среды", "четверга"]),
    (
        "Позавчера, вчера, сегодня, завтра и послезавтра; 03.02.16 и 12 окт. 2023 г.",
        ["Позавчера", "вчера", "сегодня", "завтра", "послезавтра", "03.02.16", "12 окт. 2023 г."],
    ),
    (
        "Годом ранее, днём позже, полгода назад, месяцем раньше.",
        ["Годом ранее", "днём позже", "полгода назад", "месяцем раньше"],
    ),
    (
        "В прошлом месяце, в следующем году, в текущем квартале, этой весной и летом 2020 года.",
        ["прошлом месяце", "следующем году", "текущем квартале", "этой весной", "летом 2020 года"],
    ),
]
TEXTS = [text for text, *_ in DATE_CASES] + [text for table in TABLES.values() for text, *_ in table]
TEXTS += [SEED_FILE.read_text(encoding="utf-8"), *(text for text, _ in EDGES)]


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple]:
    return [(match.span(), match.lastgroup, match.groups()) for match in pattern.finditer(lower_aligned(text))]


def test_the_ungated_grammar_is_the_whole_grammar() -> None:
    assert UNGATED.pattern != PATTERN.pattern
    assert GATE not in UNGATED.pattern


@pytest.mark.parametrize("text", TEXTS)
def test_gated_grammar_finds_what_the_whole_grammar_finds(text: str) -> None:
    assert _matches(PATTERN, text) == _matches(UNGATED, text)


@pytest.mark.parametrize(("text", "expected"), EDGES)
def test_dates_at_the_gates_edges_are_found(text: str, expected: list[str]) -> None:
    assert [mention.text for mention in find_dates(text, None)] == expected


def test_word_trie_matches_exactly_its_words() -> None:
    words = ["в", "во", "вторник", "до", "после", "по", ""]
    trie = re.compile(rf"(?:{word_trie(words)})\Z")
    assert all(trie.match(word) for word in words)
    assert not any(trie.match(word) for word in ["вт", "вторники", "пос", "д", "т"])
