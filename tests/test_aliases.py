"""Aliases: the shipped alias table and abbreviations an article defines give one entity key."""

import pytest

from newsreader.folding import fold_key
from newsreader.nlp.aliases import ALIAS_FILE, alias_table, canonical, parse_aliases
from newsreader.nlp.entities import EntityRecognizer


@pytest.fixture(scope="module")
def recognizer() -> EntityRecognizer:
    return EntityRecognizer()


def keys(recognizer: EntityRecognizer, text: str) -> dict[str, tuple[str, str]]:
    """Surface text -> (type, key)."""
    return {entity.text: (entity.type, entity.key) for entity in recognizer.analyze(text).entities}


def test_alias_lines_map_every_name_to_the_first() -> None:
    table = parse_aliases(["# comment", "", "Европейский союз | ЕС | Евросоюз"], "test")
    assert table.canonical_of == {
        "европейский союз": "европейский союз",
        "ес": "европейский союз",
        "евросоюз": "европейский союз",
    }
    assert table.qualified_by == {}


def test_a_marked_group_names_a_homonym_and_may_be_one_name() -> None:
    table = parse_aliases(["country: Министерство внутренних дел | МВД", "city: Динамо"], "test")
    assert table.canonical_of["мвд"] == "министерство внутренних дел"
    assert table.qualified_by == {"министерство внутренних дел": "country", "динамо": "city"}


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Россия", "two names or more"),
        ("Россия | ", "two names or more"),
        ("Россия | РФ\nКитай | рф", "two alias groups"),
    ],
)
def test_a_malformed_alias_line_is_named(line: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason) as error:
        parse_aliases(line.split("\n"), "aliases.txt")
    assert "aliases.txt:" in str(error.value)


def test_the_shipped_table_links_the_common_aliases() -> None:
    assert ALIAS_FILE.is_file() and alias_table().canonical_of
    groups = [
        ("Россия", "Российская Федерация", "РФ"),
        ("ЕС", "Евросоюз"),
        ("Минобороны", "Министерство обороны"),
        ("ТАСС", "ИТАР-ТАСС"),
        ("Мосгордума", "Московская городская дума"),
        ("Совфед", "Совет Федерации"),
    ]
    for group in groups:
        assert len({canonical(fold_key(name)) for name in group}) == 1, group
    assert canonical("москва") != canonical("россия")
    assert canonical("неизвестное имя") == "неизвестное имя"


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        (
            "Об этом сообщили в Министерстве обороны. По данным Минобороны, удар нанесён.",
            "Министерстве обороны",
            "Минобороны",
        ),
        ("Гражданам Российской Федерации разрешили въезд. Президент РФ подписал закон.", "Российской Федерации", "РФ"),
        ("Об этом сообщает ТАСС. Ранее ИТАР-ТАСС писал об этом.", "ТАСС", "ИТАР-ТАСС"),
        (
            "Депутаты Московской городской думы обсудили бюджет. Выборы в Мосгордуму пройдут в сентябре.",
            "Московской городской думы",
            "Мосгордуму",
        ),
        ("Закон одобрил Совет Федерации. Совфед соберётся в среду.", "Совет Федерации", "Совфед"),
        ("Страны ЕС согласовали санкции. Лидеры Евросоюза встретились в Брюсселе.", "ЕС", "Евросоюза"),
    ],
)
def test_aliases_in_an_article_share_a_key(recognizer: EntityRecognizer, text: str, first: str, second: str) -> None:
    found = keys(recognizer, text)
    assert found[first] == found[second]


def test_an_abbreviation_defined_in_the_text_takes_the_name_key(recognizer: EntityRecognizer) -> None:
    text = "Сотрудники Научного центра экспертизы (НЦЭ) проверили данные. Позже НЦЭ опубликовал отчёт."
    analysis = recognizer.analyze(text)
    name = next(e for e in analysis.entities if e.text.startswith("Научного"))
    uses = [e for e in analysis.entities if e.text == "НЦЭ"]
    assert len(uses) == 2
    assert all((e.type, e.key) == (name.type, name.key) for e in uses)


def test_an_abbreviation_may_come_before_its_name(recognizer: EntityRecognizer) -> None:
    text = "Эксперты НЦЭ (Научного центра экспертизы) проверили данные. НЦЭ опубликовал отчёт."
    analysis = recognizer.analyze(text)
    name = next(e for e in analysis.entities if e.text.startswith("Научного"))
    uses = [e for e in analysis.entities if e.text == "НЦЭ"]
    assert len(uses) == 2 and all(e.key == name.key for e in uses)


def test_a_lowercase_word_is_no_use_of_an_abbreviation(recognizer: EntityRecognizer) -> None:
    text = "Сотрудники Научного центра экспертизы (НЦЭ) проверили данные, нцэ тут ни при чём."
    assert [e.text for e in recognizer.analyze(text).entities if e.text.casefold() == "нцэ"] == ["НЦЭ"]


def test_a_bracket_that_does_not_abbreviate_the_name_is_no_definition(recognizer: EntityRecognizer) -> None:
    found = keys(recognizer, "Сотрудники Научного центра экспертизы (ГИБДД) проверили данные. ГИБДД молчит.")
    name = next(key for text, key in found.items() if text.startswith("Научного"))
    assert found.get("ГИБДД") != name


def test_an_edited_rules_file_changes_the_pipeline_version(monkeypatch, tmp_path) -> None:
    """The analysis cache is keyed on the version: an edit to aliases.txt must not leave old keys cached."""
    from newsreader.nlp import entities

    aliases, places = tmp_path / "aliases.txt", tmp_path / "places.txt"
    aliases.write_text(ALIAS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    places.write_bytes(entities.PLACES_FILE.read_bytes())
    monkeypatch.setattr(entities, "ALIAS_FILE", aliases)
    monkeypatch.setattr(entities, "PLACES_FILE", places)
    shipped = entities._rules_digest()
    assert entities.PIPELINE_VERSION.endswith(shipped)
    aliases.write_text(aliases.read_text(encoding="utf-8") + "Роскосмос | ГК Роскосмос\n", encoding="utf-8")
    assert entities._rules_digest() != shipped
