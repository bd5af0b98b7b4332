"""Homonyms kept apart by the place the text gives them, while plain names still link across articles."""

import pytest

from newsreader.nlp.entities import EntityRecognizer
from newsreader.nlp.homonyms import PLACES_FILE, parse_places, places

MVD = "ORG:министерство внутренних дел"


@pytest.fixture(scope="module")
def recognizer() -> EntityRecognizer:
    return EntityRecognizer()


def keys_of(recognizer: EntityRecognizer, text: str, surface: str) -> list[str]:
    """The keys of the mentions whose text is `surface`, in text order."""
    return [entity.key for entity in recognizer.analyze(text).entities if entity.text == surface]


def test_places_lines_give_countries_cities_capitals_and_adjectives() -> None:
    table = parse_places(["# c", "Россия | российский", "  Москва | московский", "Украина | украинский"], "t")
    assert table.home == "россия"
    assert table.country_of == {"россия": "россия", "москва": "россия", "украина": "украина"}
    assert table.capital_of == {"россия": "москва"}
    assert table.by_adjective == {"российский": "россия", "московский": "москва", "украинский": "украина"}


@pytest.mark.parametrize(("lines", "reason"), [(["  Москва"], "a city before any country"), (["Россия | "], "empty")])
def test_a_malformed_places_line_is_named(lines: list[str], reason: str) -> None:
    with pytest.raises(ValueError, match=reason) as error:
        parse_places(lines, "places.txt")
    assert "places.txt:" in str(error.value)


def test_the_shipped_places_read() -> None:
    assert PLACES_FILE.is_file()
    assert places().home == "россия"
    assert places().capital_of["украина"] == "киев"
    assert places().country_of["соединенные штаты америки"] == "соединенные штаты америки"  # aliases' canonical


@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        ("В МВД Украины заявили о задержании.", "МВД", [f"{MVD}|украина"]),
        ("Глава МВД России провёл совещание.", "МВД", [f"{MVD}|россия"]),
        ("Глава МВД РФ провёл совещание.", "МВД", [f"{MVD}|россия"]),
        ("Министерство внутренних дел Украины опровергло данные.", "Министерство внутренних дел", [f"{MVD}|украина"]),
        ("Как сообщило казахстанское МВД, задержан мужчина.", "МВД", [f"{MVD}|казахстан"]),
        ("Британский МИД вызвал посла.", "МИД", ["ORG:министерство иностранных дел|великобритания"]),
        ("Об этом сообщили в Минобороны США.", "Минобороны", ["ORG:министерство обороны|соединенные штаты америки"]),
        # the nearest mention that names its place places a bare one, before it, else after it
        ("В МВД Украины заявили о задержании. В МВД добавили, что он признался.", "МВД", [f"{MVD}|украина"] * 2),
        ("В МВД добавили подробности. Ранее МВД Украины сообщило о задержании.", "МВД", [f"{MVD}|украина"] * 2),
        (
            "МВД Украины и МВД России обменялись данными. В МВД России уточнили детали. МВД пообещало ответ.",
            "МВД",
            [f"{MVD}|украина", f"{MVD}|россия", f"{MVD}|россия", f"{MVD}|россия"],
        ),
        # the article's country
        (
            "Полиция Казахстана задержала мужчину в Алма-Ате. Об этом сообщили в МВД. Казахстан ждёт суда.",
            "МВД",
            [f"{MVD}|казахстан"],
        ),
        ("В Москве задержали мошенника. Об этом сообщили в МВД.", "МВД", [f"{MVD}|россия"]),
        ("Об этом сообщили в МВД.", "МВД", [f"{MVD}|россия"]),  # home
        # one foreign place is where someone went, not whose ministry it is
        ("Глава МИД Сергей Лавров прибыл в Анкару.", "МИД", ["ORG:министерство иностранных дел|россия"]),
        ("Глава МИД прибыл в Вашингтон на переговоры.", "МИД", ["ORG:министерство иностранных дел|россия"]),
        # home wins a tie: one mention each of Россия and Украина
        ("Россия и Украина обменялись пленными. В МВД подтвердили обмен.", "МВД", [f"{MVD}|россия"]),
        # «Динамо»: the city it names, else the capital of the article's country
        ("Московское «Динамо» обыграло киевское «Динамо».", "Динамо", ["ORG:динамо|москва", "ORG:динамо|киев"]),
        ("«Динамо» (Москва) и «Динамо» (Киев) сыграли вничью.", "Динамо", ["ORG:динамо|москва", "ORG:динамо|киев"]),
        ("Игроки «Динамо» Минск вышли на поле.", "Динамо", ["ORG:динамо|минск"]),
        ("Футболисты «Динамо» провели сбор в Киеве. Сборная Украины ждёт их.", "Динамо", ["ORG:динамо|киев"]),
        ("Футболисты «Динамо» провели тренировку.", "Динамо", ["ORG:динамо|москва"]),
    ],
)
def test_a_homonym_takes_its_place(recognizer: EntityRecognizer, text: str, surface: str, expected: list[str]) -> None:
    assert keys_of(recognizer, text, surface) == expected


def test_a_name_that_names_its_own_place_in_any_case(recognizer: EntityRecognizer) -> None:
    text = "Глава Банка России выступила в Киеве."
    assert keys_of(recognizer, text, "Банка России") == ["ORG:центральный банк|россия"]
    assert keys_of(recognizer, "Совет директоров ЦБ собрался.", "ЦБ") == ["ORG:центральный банк|россия"]


def test_unqualified_names_keep_plain_keys(recognizer: EntityRecognizer) -> None:
    """A name aliases.txt does not mark keeps its key whatever place stands next to it."""
    assert keys_of(recognizer, "Совфед Украины? Нет, Совет Федерации России.", "Совет Федерации") == [
        "ORG:совет федерации"
    ]
    assert keys_of(recognizer, "ФСБ задержала двоих в Киеве.", "ФСБ") == ["ORG:федеральная служба безопасности"]


def test_one_body_links_across_articles_and_homonyms_do_not(recognizer: EntityRecognizer) -> None:
    russian = [
        ("Министерство внутренних дел сообщило о задержании в Самаре.", "Министерство внутренних дел"),
        ("Глава МВД России Владимир Колокольцев провёл совещание.", "МВД"),
        ("В МВД рассказали о новых правилах выдачи прав.", "МВД"),
    ]
    foreign = [
        "МВД Украины объявило о задержании в Харькове.",
        "В Алма-Ате полиция задержала мужчину, сообщили в МВД Казахстана. Казахстан усилил контроль.",
    ]
    russian_keys = [keys_of(recognizer, text, surface)[0] for text, surface in russian]
    foreign_keys = [keys_of(recognizer, text, "МВД")[0] for text in foreign]
    assert russian_keys == [f"{MVD}|россия"] * 3
    assert foreign_keys == [f"{MVD}|украина", f"{MVD}|казахстан"]


def test_plain_aliases_link_across_articles(recognizer: EntityRecognizer) -> None:
    first = keys_of(recognizer, "Страны ЕС согласовали санкции.", "ЕС")
    second = keys_of(recognizer, "Лидеры Евросоюза встретились в Брюсселе.", "Евросоюза")
    third = keys_of(recognizer, "Решение Европейского союза вступит в силу в мае.", "Европейского союза")
    assert first == second == third == ["ORG:европейский союз"]


def test_in_the_store_one_surname_of_two_people_stays_two_and_a_plain_one_joins(recognizer: EntityRecognizer) -> None:
    """A bare surname takes its own article's full name; across articles it joins a full name only when the
    archive has one of that surname (the store's rule), so two Петровs never merge."""
    from newsreader.nlp.enrich import enrich
    from newsreader.store.corpus import Store
    from test_store import article

    bodies = {
        "a": "Депутат Иван Петров внёс законопроект. Петров считает его срочным.",
        "b": "Нападающий Сергей Петров забил гол. Петров признан лучшим игроком.",
        "c": "Петров заявил, что не согласен с решением.",
        "d": "Пресс-секретарь президента Дмитрий Песков ответил журналистам.",
        "e": "Песков не стал комментировать слухи.",
        "f": "МВД Украины сообщило о задержании в Харькове.",
        "g": "В МВД России рассказали о новых правилах.",
    }
    store = Store()
    for name, body in bodies.items():
        item = article(name, "2025-01-10", f"Заголовок {name}", body)
        assert store.add(item) is None
        store.set_enrichment(item.fingerprint, enrich(recognizer, item.text, None))
    assert set(store.entity("PER:иван петров").article_ids) == {"a"}
    assert set(store.entity("PER:сергей петров").article_ids) == {"b"}
    assert store.canonical_key("PER:петров") == "PER:петров"  # c: which Петров is not known
    assert set(store.entity("PER:дмитрий песков").article_ids) == {"d", "e"}
    assert set(store.entity(f"{MVD}|украина").article_ids) == {"f"}
    assert set(store.entity(f"{MVD}|россия").article_ids) == {"g"}
    assert store.entity(f"{MVD}|украина").name.endswith("(Украина)")  # the panel tells the two apart
    assert store.entity(f"{MVD}|россия").name.endswith("(Россия)")
