import datetime

import pytest

from conftest import SEED_FILE
from newsreader.ingest.load import Document
from newsreader.ingest.parse import PARAGRAPH_SEPARATOR, Article, iter_articles, parse

SEED_TITLE = "В МИД России призвали освободить задержанных в Баку россиян"
SEED_LEDE = "Галузин заявил о необходимости освободить 11 россиян, задержанных в Баку"


def parse_text(text: str) -> tuple[Article, list[str]]:
    article, warnings = parse(Document(id="x.txt", path="dir/x.txt", text=text, encoding="utf-8"))
    return article, [warning.reason for warning in warnings]


@pytest.fixture(scope="module")
def seed() -> Article:
    [article] = [item for item in iter_articles([SEED_FILE]) if isinstance(item, Article)]
    return article


def test_seed_metadata(seed):
    assert seed.id == "000_f43e71b30eac417d.txt"
    assert seed.date == datetime.date(2025, 11, 21)
    assert seed.title == SEED_TITLE
    assert seed.lede == SEED_LEDE
    assert seed.credit == "Konstantin Kokoshkin/Global Look Press"
    assert seed.encoding == "utf-8"


def test_seed_body(seed):
    assert len(seed.body) == 8
    assert seed.body[0].startswith("Заместитель главы МИД России Михаил Галузин")
    assert seed.body[-1].endswith("о продлении срока задержания россиян в Баку.")


def test_seed_text_is_title_lede_body(seed):
    assert seed.text == "\n\n".join([SEED_TITLE, SEED_LEDE, *seed.body])
    for trace in ("cookies", "date 2025", "Kokoshkin", "Global Look Press"):
        assert trace not in seed.text


def test_title_lede_and_body_are_slices_of_text(seed):
    assert len(seed.body) == 8 and seed.lede is not None
    assert seed.text.startswith(SEED_TITLE + PARAGRAPH_SEPARATOR + seed.lede + PARAGRAPH_SEPARATOR)
    assert seed.text.endswith(PARAGRAPH_SEPARATOR.join(seed.body))


@pytest.mark.parametrize(
    ("first_line", "date"),
    [
        ("date 2025-11-21", datetime.date(2025, 11, 21)),
        ("   date 2024-02-29 Мы используем cookies", datetime.date(2024, 2, 29)),
        ("date\t2020-01-01", datetime.date(2020, 1, 1)),
    ],
)
def test_valid_headers(first_line, date):
    article, warnings = parse_text(f"{first_line}\nЗаголовок\n\nТекст статьи.")
    assert (article.date, article.title, warnings) == (date, "Заголовок", [])


@pytest.mark.parametrize(
    ("first_line", "reason"),
    [
        ("date 2025-13-45", "invalid date header '2025-13-45'"),
        ("date 2023-02-29", "invalid date header '2023-02-29'"),
        ("date ２０２５-０１-０１", "invalid date header '２０２５-０１-０１'"),
        ("date вчера", "invalid date header 'вчера'"),
        ("date 2025-1-1", "invalid date header '2025-1-1'"),
    ],
)
def test_invalid_headers_keep_the_line_as_content(first_line, reason):
    article, warnings = parse_text(f"{first_line}\nЗаголовок\n\nТекст.")
    assert article.date is None
    assert warnings == [reason]
    assert article.title == first_line.strip()


def test_missing_header_never_eats_the_first_line():
    article, warnings = parse_text("Вчера в Москве прошёл саммит\n\nТекст статьи.")
    assert article.date is None
    assert warnings == ["missing date header"]
    assert article.title == "Вчера в Москве прошёл саммит"


@pytest.mark.parametrize(
    "noise",
    [
        "Мы используем файлы cookie. Продолжая использовать сайт, вы соглашаетесь с этим",
        "We use cookies to improve your experience. Accept",
        "Принять все",
        "Подписывайтесь на наш канал в Telegram",
        "Поделиться",
        "ВКонтакте Telegram Одноклассники",
        "Share on Facebook",
    ],
)
def test_boilerplate_lines_are_removed(noise):
    article, _ = parse_text(f"date 2025-01-01\n{noise}\nЗаголовок\n\n{noise}\n\nТекст статьи.")
    assert noise not in article.text
    assert article.title == "Заголовок"


def test_paragraph_mentioning_cookies_is_kept():
    paragraph = "Регулятор оштрафовал компанию за то, что её сайт собирал cookies без согласия пользователей."
    article, _ = parse_text(f"date 2025-01-01\nЗаголовок\n\nЛид статьи\n\n{paragraph}")
    assert paragraph in article.body


@pytest.mark.parametrize(
    "credit", ["Фото: Иван Петров / ТАСС", "Photo: Reuters", "© РИА Новости", "Konstantin Kokoshkin/Global Look Press"]
)
def test_credits_become_metadata(credit):
    article, _ = parse_text(f"date 2025-01-01\nЗаголовок\n\nЛид статьи\n{credit}\n\nПервый абзац.\n\nВторой абзац.")
    assert article.credit == credit
    assert credit not in article.text
    assert article.lede == "Лид статьи"


def test_no_lede_when_only_one_paragraph():
    article, _ = parse_text("date 2025-01-01\nЗаголовок\n\nЕдинственный абзац.")
    assert article.lede is None
    assert article.body == ("Единственный абзац.",)
    assert article.text == "Заголовок\n\nЕдинственный абзац."


def test_long_first_paragraph_is_not_a_lede():
    long_paragraph = "Очень длинный абзац. " * 30
    article, _ = parse_text(f"date 2025-01-01\nЗаголовок\n\n{long_paragraph.strip()}\n\nЕщё абзац.")
    assert article.lede is None
    assert len(article.body) == 2


def test_header_only_file_warns():
    article, warnings = parse_text("date 2025-01-01 cookies banner")
    assert warnings == ["no text after the header"]


def test_markup_stays_literal_text():
    article, _ = parse_text("date 2025-01-01\n[bold]Жирный[/] [@click=app.quit]выход[/]\n\nТекст [/] конец")
    assert article.title == "[bold]Жирный[/] [@click=app.quit]выход[/]"
    assert "[/]" in article.text


def loaded(path) -> Article:
    [article] = [item for item in iter_articles([path]) if isinstance(item, Article)]
    return article


def test_a_released_article_reads_its_text_again_from_its_file(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("date 2025-01-02\nЗаголовок\nВводка короткая.\nПервый абзац.\nВторой абзац.\n", "utf-8")
    article = loaded(path)
    released = article.released()
    assert released.held_text is None and article.held_text is not None
    assert released == article  # the text is not part of what an article is compared by
    assert released.text == article.text
    assert released.lede == "Вводка короткая." and released.body == ("Первый абзац.", "Второй абзац.")
    assert (released.stamp.size, released.stamp.mtime_ns) == (path.stat().st_size, path.stat().st_mtime_ns)


def test_a_released_article_whose_file_is_gone_says_so_instead_of_failing(tmp_path):
    path = tmp_path / "gone.txt"
    path.write_text("date 2025-01-02\nЗаголовок\nТекст.\n", "utf-8")
    released = loaded(path).released()
    path.unlink()
    assert released.text.endswith("This article's file could not be read again: no such file or directory.")


def test_an_article_without_a_file_keeps_its_text():
    article, _ = parse_text("date 2025-01-02\nЗаголовок\nТекст.")
    assert article.released() is article and article.text == "Заголовок\n\nТекст."


@pytest.mark.parametrize(
    ("text", "date", "written"),
    [
        ("Заголовок\n14.03.2017, 09:45\n\nТекст.", datetime.date(2017, 3, 14), "14.03.2017, 09:45"),
        ("Заголовок\n14 марта 2017, 09:45\n\nТекст.", datetime.date(2017, 3, 14), "14 марта 2017, 09:45"),
        (
            "Заголовок\n\nОпубликовано: 5 Мая 2019 г., 18:02\n\nТекст.",
            datetime.date(2019, 5, 5),
            "5 Мая 2019 г., 18:02",
        ),
        ("Заголовок\n09:45 14.03.2017\n\nТекст.", datetime.date(2017, 3, 14), "09:45 14.03.2017"),
        ("Заголовок\nМосква, 14.03.17 в 09:45 — РИА Новости\n\nТекст.", datetime.date(2017, 3, 14), "14.03.17 в 09:45"),
        ("14.03.2017, 09:45\nЗаголовок\n\nТекст.", datetime.date(2017, 3, 14), "14.03.2017, 09:45"),
    ],
)
def test_an_article_without_a_date_header_is_dated_by_its_timestamp(text, date, written):
    article, warnings = parse_text(text)
    assert article.date == date
    assert warnings == [f"missing date header; dated {date} by the timestamp '{written}' in its text"]
    assert article.text.startswith(text.split("\n")[0])  # the timestamp's line stays text


@pytest.mark.parametrize(
    "text",
    [
        "Заголовок\n14.03.2017\n\nТекст.",  # a day without a time is a date the story mentions
        "Заголовок\nВ 14:30 14 марта 2017 года в Москве начался митинг.\n\nТекст.",  # a sentence
        "Заголовок\n31.02.2017, 09:45\n\nТекст.",  # no such day
        "Заголовок\n14.03.2017, 25:61\n\nТекст.",  # no such time
        "Заголовок\nВерсия 1.14.03.2017 09:45\n\nТекст.",  # part of a longer number
        "Заголовок\n" + "Абзац.\n" * 12 + "14.03.2017, 09:45\n\nТекст.",  # too far from the top
    ],
)
def test_no_timestamp_no_date(text):
    article, warnings = parse_text(text)
    assert (article.date, warnings) == (None, ["missing date header"])


def test_a_date_header_wins_over_a_timestamp_in_the_text():
    article, warnings = parse_text("date 2025-11-21\nЗаголовок\n14.03.2017, 09:45\n\nТекст.")
    assert (article.date, warnings) == (datetime.date(2025, 11, 21), [])


def test_an_invalid_header_is_dated_by_the_timestamp_and_says_both():
    article, warnings = parse_text("date вчера\nЗаголовок\n14.03.2017, 09:45\n\nТекст.")
    assert article.date == datetime.date(2017, 3, 14)
    assert warnings == [
        "invalid date header 'вчера'; dated 2017-03-14 by the timestamp '14.03.2017, 09:45' in its text"
    ]


def test_a_hostile_timestamp_line_quotes_only_the_timestamp(tmp_path):
    """Markup, escapes and a huge line around a timestamp: the warning names the file and quotes nothing else."""
    path = tmp_path / "[b]undated[b].txt"
    hostile = "[@click=app.quit]\x1b[31m14.03.2017,\u200b 09:45\x1b[0m[/]"
    path.write_text("Заголовок\n" + "Абзац от 15.03.2017, 09:45. " * 5000 + "\n" + hostile + "\n\nТекст.\n", "utf-8")
    items = list(iter_articles([path]))
    [article] = [item for item in items if isinstance(item, Article)]
    warnings = [item for item in items if not isinstance(item, Article)]
    assert article.date == datetime.date(2017, 3, 14)
    [warning] = [w for w in warnings if "timestamp" in w.reason]
    assert "undated" in warning.path
    assert warning.reason.endswith("by the timestamp '14.03.2017, 09:45' in its text")
    assert "\x1b" not in warning.reason and "[@click" not in warning.reason
