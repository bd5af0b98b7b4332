"""Entity recognition: spans, normal forms and keys on the seed article and on made-up text."""

import pytest

from conftest import SEED_FILE
from newsreader.ingest.parse import Article, iter_articles
from newsreader.nlp.entities import PIPELINE_VERSION, EntityRecognizer, TextAnalysis
from newsreader.nlp.morph import morph_vocab
from newsreader.nlp.normal_forms import head_group_words, person_words


@pytest.fixture(scope="module")
def recognizer() -> EntityRecognizer:
    return EntityRecognizer()


@pytest.fixture(scope="module")
def seed_text() -> str:
    [article] = [item for item in iter_articles([SEED_FILE]) if isinstance(item, Article)]
    return article.text


@pytest.fixture(scope="module")
def seed(recognizer: EntityRecognizer, seed_text: str) -> TextAnalysis:
    return recognizer.analyze(seed_text)


def mentions(analysis: TextAnalysis) -> dict[str, tuple[str, str, str]]:
    """Surface text -> (type, normal, key); a repeated surface must analyse the same every time."""
    found = {}
    for entity in analysis.entities:
        analysed = (entity.type, entity.normal, entity.key)
        assert found.setdefault(entity.text, analysed) == analysed
    return found


def assert_well_formed(text: str, analysis: TextAnalysis) -> None:
    previous_end = 0
    for entity in analysis.entities:
        assert previous_end <= entity.start < entity.end <= len(text)
        assert text[entity.start : entity.end] == entity.text
        assert entity.type in ("PER", "ORG", "LOC")
        assert entity.normal.strip() and entity.key.startswith(entity.type + ":")
        previous_end = entity.end
    previous_end = 0
    for start, end in analysis.sentences:
        assert previous_end <= start < end <= len(text)
        previous_end = end
    covered = {i for start, end in analysis.sentences for i in range(start, end)}
    assert all(char.isspace() for i, char in enumerate(text) if i not in covered)


def test_seed_people_places_and_organisations(seed: TextAnalysis) -> None:
    found = mentions(seed)
    assert found["Рахманом Мустафаевым"] == ("PER", "Рахман Мустафаев", "PER:рахман мустафаев")
    assert found["Владимира Путина"] == ("PER", "Владимир Путин", "PER:владимир путин")
    assert found["Ильхама Алиева"] == ("PER", "Ильхам Алиев", "PER:ильхам алиев")
    assert found["Мария Захарова"] == ("PER", "Мария Захарова", "PER:мария захарова")
    assert found["Азербайджана"] == ("LOC", "Азербайджан", "LOC:азербайджан")
    assert found["Киеве"] == ("LOC", "Киев", "LOC:киев")
    assert found["России"] == ("LOC", "Россия", "LOC:россия")
    assert found["Баку"] == ("LOC", "Баку", "LOC:баку")
    assert found["МИД"] == ("ORG", "МИД", "ORG:министерство иностранных дел|россия")  # "МИД России", aliases.txt
    assert not any("Kokoshkin" in surface for surface in found)  # the photo credit left the text


def test_seed_mentions_of_one_person_share_a_key(seed: TextAnalysis) -> None:
    found = mentions(seed)
    assert found["Галузин"][2] == found["Михаил Галузин"][2] == "PER:михаил галузин"
    assert found["Белоусовым"] == ("PER", "Белоусов", "PER:евгений белоусов")
    assert found["Евгений Белоусов"][2] == "PER:евгений белоусов"
    assert found["Картавых"] == ("PER", "Картавых", "PER:игорь картавых")
    assert found["Игорь Картавых"] == ("PER", "Игорь Картавых", "PER:игорь картавых")
    assert found["Песков"] == ("PER", "Песков", "PER:песков")
    people = {entity.key for entity in seed.entities if entity.type == "PER"}
    assert len(people) == 8


def test_seed_offsets_and_sentences(seed: TextAnalysis, seed_text: str) -> None:
    assert_well_formed(seed_text, seed)
    title_end = seed_text.index("\n")
    assert seed.sentences[0] == (0, title_end)
    assert len(seed.entities) >= 30


def test_inflected_and_surname_only_mentions_join_the_full_name(recognizer: EntityRecognizer) -> None:
    text = (
        "Министр обороны Андрей Белоусов прилетел в Новосибирск. Встречу с Белоусовым "
        "отменили, а Белоусову передали письмо. Позже Ирина Волкова заявила, что Волкова "
        "не знала о встрече. Журналисты спросили Андрея Белоусова о планах."
    )
    found = mentions(recognizer.analyze(text))
    assert {found[form][2] for form in ("Андрей Белоусов", "Белоусовым", "Белоусову", "Андрея Белоусова")} == {
        "PER:андрей белоусов"
    }
    assert found["Андрея Белоусова"][1] == "Андрей Белоусов"
    assert found["Ирина Волкова"][2] == found["Волкова"][2] == "PER:ирина волкова"
    assert found["Волкова"][1] == "Волкова"  # the full name says she is a woman


def test_different_surnames_and_lone_surnames_keep_their_own_keys(recognizer: EntityRecognizer) -> None:
    text = "Сергей Иванов встретился с Олегом Петровым. Позже Сидоров сообщил, что Иванов уехал."
    found = mentions(recognizer.analyze(text))
    assert found["Сергей Иванов"][2] == found["Иванов"][2] == "PER:сергей иванов"
    assert found["Олегом Петровым"] == ("PER", "Олег Петров", "PER:олег петров")
    assert found["Сидоров"][2] == "PER:сидоров"


def test_patronymic_is_not_part_of_the_key(recognizer: EntityRecognizer) -> None:
    text = "Президент Владимир Владимирович Путин провёл совещание. Путин поручил правительству доложить."
    found = mentions(recognizer.analyze(text))
    assert found["Владимир Владимирович Путин"][2] == found["Путин"][2] == "PER:владимир путин"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  \t",
        "Breaking news: the meeting in London ended without a deal.",
        "[/] [@click=app.quit]выход[/] [bold]Москва[/bold] \x1b[31m",
        "«»()[]•|/\\—…",
        "11 россиян, 30 июня — 1 июля 2025 года.",
    ],
)
def test_odd_text_does_not_crash(recognizer: EntityRecognizer, text: str) -> None:
    analysis = recognizer.analyze(text)
    assert_well_formed(text, analysis)
    if not text.strip():
        assert analysis == TextAnalysis((), ())


def test_markup_is_not_an_entity(recognizer: EntityRecognizer) -> None:
    text = "Депутаты [@click=app.quit] Государственной думы [/] приехали в Москву."
    found = mentions(recognizer.analyze(text))
    assert all("[" not in surface and "@" not in surface for surface in found)
    assert found["Москву"] == ("LOC", "Москва", "LOC:москва")


def test_normal_forms_come_from_pymorphy() -> None:
    assert person_words(["Сергею", "Шойгу"]) == ["Сергей", "Шойгу"]
    assert person_words(["Марией", "Захаровой"]) == ["Мария", "Захарова"]
    assert person_words(["Путина"]) == ["Путин"]
    assert head_group_words(["Министерства", "обороны", "РФ"]) == ["Министерство", "обороны", "РФ"]
    assert head_group_words(["Соединённых", "Штатах", "Америки"]) == ["Соединённые", "Штаты", "Америки"]
    assert head_group_words(["Государственной", "думы"]) == ["Государственная", "дума"]
    assert head_group_words(["МИДа"]) == ["МИД"]


def test_surnames_the_dictionary_cannot_inflect_go_by_their_endings() -> None:
    assert person_words(["Эльвиры", "Набиуллиной"]) == ["Эльвира", "Набиуллина"]
    assert person_words(["Натальи", "Поклонской"]) == ["Наталья", "Поклонская"]
    assert person_words(["Ильи", "Гайды"]) == ["Илья", "Гайда"]
    assert person_words(["Олега", "Дерипаски"]) == ["Олег", "Дерипаска"]
    assert person_words(["Фома", "Гайда"]) == ["Фома", "Гайда"]  # a nominative stays
    assert person_words(["Нарендры", "Моди"]) == ["Нарендра", "Моди"]


def test_the_sentence_decides_between_readings_that_tie() -> None:
    assert person_words(["Марину", "Ковалеву"], lambda: ("accs", "femn")) == ["Марина", "Ковалева"]
    assert person_words(["Марину", "Ковалеву"], lambda: ("datv", "masc")) == ["Марин", "Ковалев"]
    assert person_words(["Евгения", "Соколова"], lambda: ("gent", "masc")) == ["Евгений", "Соколов"]
    assert person_words(["Евгения", "Соколова"], lambda: ("nomn", "femn")) == ["Евгения", "Соколова"]
    assert person_words(["Олафа", "Шольца"], lambda: ("gent", "masc")) == ["Олаф", "Шольц"]


def test_the_sentence_is_asked_only_when_in_doubt() -> None:
    def no_context() -> tuple[str, str]:
        raise AssertionError("asked without doubt")

    assert person_words(["Владимира", "Путина"], no_context) == ["Владимир", "Путин"]
    assert person_words(["Марией", "Захаровой"], no_context) == ["Мария", "Захарова"]


def test_names_in_context_from_the_recognizer(recognizer: EntityRecognizer) -> None:
    found = mentions(recognizer.analyze("Следователи допросили Марину Ковалеву. Гол защитника Евгения Соколова."))
    assert found["Марину Ковалеву"][1] == "Марина Ковалева"
    assert found["Евгения Соколова"][1] == "Евгений Соколов"


def test_coordinated_regions_are_two_places(recognizer: EntityRecognizer) -> None:
    found = mentions(recognizer.analyze("Обстрелы в Курской, Брянской и Белгородской областях продолжились."))
    assert found["Курской"] == ("LOC", "Курская область", "LOC:курская область")
    assert found["Брянской"] == ("LOC", "Брянская область", "LOC:брянская область")
    assert found["Белгородской областях"] == ("LOC", "Белгородская область", "LOC:белгородская область")
    found = mentions(recognizer.analyze("В Москве и Петербурге прошли акции."))
    assert found["Москве"][1] == "Москва"


def test_organisation_and_place_heads() -> None:
    assert head_group_words(["Ведомости"], keep_nominative=True) == ["Ведомости"]
    assert head_group_words(["Ведомостям"], keep_nominative=True) == ["Ведомости"]
    assert head_group_words(["Ведомости"]) == ["Ведомость"]
    assert head_group_words(["Белгородской", "областях"]) == ["Белгородская", "область"]
    assert head_group_words(["Росстата"]) == ["Росстат"]
    assert head_group_words(["Росгвардии"]) == ["Росгвардия"]


def test_morph_vocab_serves_natasha() -> None:
    vocab = morph_vocab()
    feats = {"Case": "Gen", "Number": "Sing", "Gender": "Neut"}
    assert vocab.lemmatize("Министерства", "NOUN", feats) == "министерство"
    assert vocab("Киеве")[0].feats["Case"] == "Loc"


def test_pipeline_version_is_a_cache_key_part() -> None:
    assert isinstance(PIPELINE_VERSION, str) and PIPELINE_VERSION
