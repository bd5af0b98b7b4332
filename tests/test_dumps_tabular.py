"""CSV and TSV dumps: columns by name or as asked, dates, delimiters, encodings and every malformed row."""

import csv
import datetime
import gzip
import os

import pytest

from dumps import LENTA_HEADER, LENTA_ROW, csv_bytes, read, reasons
from newsreader.ingest.dumps import Limits, RecordProblem, iter_records, parse_columns

OUTLET_HEADER = ["date", "url", "edition", "topics", "authors", "title", "text", "reposts"]
OUTLET_ROW = [
    "2019-08-06 14:15:00",
    "https://www.example.ru/2001/01/01/a",
    "Коммерсантъ",
    "Политика; Экономика",
    "Иван Петров, Анна Смирнова",
    "Заголовок",
    "Текст статьи.",
    "12",
]


def test_the_lenta_layout_maps_and_dates_from_the_url(tmp_path):
    path = tmp_path / "lenta.csv"
    path.write_bytes(csv_bytes([LENTA_HEADER, LENTA_ROW]))
    records, problems = read(path)
    assert problems == []
    (record,) = records
    assert (record.row, record.member, record.title) == (1, None, "В Москве открыли станцию")
    assert record.text == LENTA_ROW[2]
    assert record.date == datetime.date(2018, 12, 14)
    assert (record.url, record.outlet) == (LENTA_ROW[0], "lenta.ru")
    assert record.topics == ("Россия", "Общество", "Транспорт")
    assert record.authors == ()


def test_an_outlet_dump_keeps_every_field_and_the_date_column_wins_over_the_url(tmp_path):
    path = tmp_path / "news.csv"
    path.write_bytes(csv_bytes([OUTLET_HEADER, OUTLET_ROW]))
    (record,), problems = read(path)
    assert problems == []
    assert record.date == datetime.date(2019, 8, 6)
    assert record.outlet == "Коммерсантъ"
    assert record.authors == ("Иван Петров", "Анна Смирнова")
    assert record.topics == ("Политика", "Экономика")


def test_header_names_match_whatever_their_case_and_spaces(tmp_path):
    path = tmp_path / "news.csv"
    path.write_bytes(
        csv_bytes([[" Headline ", "BODY", "PubDate", "Link"], ["Т", "Текст", "06.08.2019", "https://x.ru/"]])
    )
    (record,), problems = read(path)
    assert (record.title, record.text, record.date, record.url) == (
        "Т",
        "Текст",
        datetime.date(2019, 8, 6),
        "https://x.ru/",
    )
    assert record.outlet == "x.ru"


def test_columns_override_the_names(tmp_path):
    path = tmp_path / "news.csv"
    path.write_bytes(
        csv_bytes([["headline_ru", "text", "body_ru", "day"], ["Заголовок", "не то", "Текст", "1 января 2010"]])
    )
    (record,), problems = read(path, columns=parse_columns("title=headline_ru, text=BODY_RU,date=day"))
    assert (record.title, record.text, record.date) == ("Заголовок", "Текст", datetime.date(2010, 1, 1))


def test_an_override_naming_a_missing_column_is_one_problem_and_the_usual_column_is_read(tmp_path):
    path = tmp_path / "news.csv"
    path.write_bytes(csv_bytes([LENTA_HEADER, LENTA_ROW]))
    (record,), problems = read(path, columns={"title": "headline_ru"})
    assert record.title == LENTA_ROW[1]
    assert reasons(problems) == [
        (None, "no column 'headline_ru' (asked for with --columns): the usual columns are read")
    ]


def test_a_file_without_a_text_column_is_one_clear_problem(tmp_path):
    path = tmp_path / "news.csv"
    path.write_bytes(csv_bytes([["url", "title"]] + [["https://x.ru/", "Т"]] * 50))
    records, problems = read(path)
    assert records == []
    ((row, reason),) = reasons(problems)
    assert row is None and "no text column" in reason and "url, title" in reason


@pytest.mark.parametrize("spec", ["title", "title=", "=headline", "colour=red", "title=a,title=b", ""])
def test_a_bad_columns_spec_says_what_is_wrong(spec):
    with pytest.raises(ValueError) as raised:
        parse_columns(spec)
    assert str(raised.value)


def test_parse_columns():
    assert parse_columns("title=headline,text=body") == {"title": "headline", "text": "body"}


@pytest.mark.parametrize(("name", "delimiter"), [("a.csv", ";"), ("a.csv", "\t"), ("a.tsv", "\t"), ("a.csv", "|")])
def test_the_delimiter_is_found_in_the_header(tmp_path, name, delimiter):
    path = tmp_path / name
    path.write_bytes(csv_bytes([["title", "text", "date"], ["А, б; в", "Текст, с; запятыми", "2019-08-06"]], delimiter))
    (record,), problems = read(path)
    assert (record.title, record.text, record.date) == ("А, б; в", "Текст, с; запятыми", datetime.date(2019, 8, 6))


def test_a_date_that_is_not_understood_is_a_row_problem_and_the_url_date_stands_in(tmp_path):
    path = tmp_path / "news.csv"
    rows = [["date", "url", "text"], ["вчера", "https://x.ru/2018/12/14/a/", "Т"], ["01/02/2010", "", "Т"]]
    path.write_bytes(csv_bytes(rows))
    records, problems = read(path)
    assert [record.date for record in records] == [datetime.date(2018, 12, 14), None]
    assert [row for row, _ in reasons(problems)] == [1, 2]
    assert "date column 'date'" in problems[0].reason and "'вчера'" in problems[0].reason
    assert "ambiguous" in problems[1].reason


def test_malformed_rows_are_problems_with_their_row_and_reading_goes_on(tmp_path):
    path = tmp_path / "news.csv"
    data = csv_bytes([["title", "text"], ["Один", "Первый"]])
    data += b"\xd0\x94\xd0\xb2\xd0\xb0\n"  # one field where the header has two
    data += b"\n"  # a blank line is not a row
    data += "Три,Третий,лишнее\n".encode()
    data += csv_bytes([["Четыре", ""], ["Пять", "   "], ["Шесть", "Шестой"]])
    path.write_bytes(data)
    records, problems = read(path)
    assert [(record.row, record.text) for record in records] == [(1, "Первый"), (6, "Шестой")]
    assert reasons(problems) == [
        (2, "1 field where the header has 2: skipped"),
        (3, "3 fields where the header has 2: skipped"),
        (4, "no text"),
        (5, "no text"),
    ]


def test_a_quote_never_closed_costs_its_row_not_the_rows_after_it(tmp_path):
    path = tmp_path / "news.csv"
    unclosed = '"Два,' + "x" * 5000 + "\n"
    rest = [["Три", "Третий"], *([f"Ряд {n}", f"Текст {n}"] for n in range(4, 1000))]
    path.write_bytes(csv_bytes([["title", "text"], ["Один", "Первый"]]) + unclosed.encode() + csv_bytes(rest))
    records, problems = read(path)
    assert [record.text for record in records] == ["Первый", "Третий", *(f"Текст {n}" for n in range(4, 1000))]
    assert [record.row for record in records][:3] == [1, 3, 4]
    assert [row for row, _ in reasons(problems)] == [2, 2]
    assert "never closed" in problems[0].reason and problems[1].reason.endswith("skipped")


def test_a_stray_quote_inside_a_field_keeps_the_row_with_a_problem(tmp_path):
    path = tmp_path / "news.csv"
    path.write_bytes(
        csv_bytes([["title", "text"], ["Один", "Первый"]])
        + '"Плохая "кавычка",Второй\n'.encode()
        + csv_bytes([["Три", "Третий"]])
    )
    records, problems = read(path)
    assert [(record.row, record.text) for record in records] == [(1, "Первый"), (2, "Второй"), (3, "Третий")]
    assert reasons(problems) == [(2, "a quote in the wrong place; read as well as it can be")]


def test_a_field_over_the_csv_field_cap_is_a_row_problem(tmp_path):
    path = tmp_path / "news.csv"
    huge = "слово " * 30_000  # 180,000 characters on one line, over csv's default cap of 131,072
    path.write_bytes(csv_bytes([["title", "text"], ["Один", huge], ["Два", "Второй"]]))
    records, problems = read(path, limits=Limits(max_field_chars=100_000, max_text_chars=50))
    assert [record.text for record in records] == ["Второй"]
    assert len(problems) == 1 and "longer than 100,000 characters" in problems[0].reason


def test_the_csv_field_cap_is_raised_to_the_text_cap_and_never_lowered(tmp_path):
    before = csv.field_size_limit()
    path = tmp_path / "news.csv"
    long_text = "слово " * 40_000
    path.write_bytes(csv_bytes([["title", "text"], ["Один", long_text]]))
    (record,), problems = read(path)
    assert record.text == long_text and problems == []
    read(path, limits=Limits(max_field_chars=10))
    assert csv.field_size_limit() >= max(before, 8 * 1024 * 1024)


def test_a_long_text_is_cut_with_a_problem(tmp_path):
    path = tmp_path / "news.csv"
    path.write_bytes(csv_bytes([["title", "text"], ["Т" * 50, "абвгд" * 100]]))
    (record,), problems = read(path, limits=Limits(max_text_chars=120, max_title_chars=10))
    assert record.text == ("абвгд" * 100)[:120] and record.title == "Т" * 10
    assert reasons(problems) == [(1, "text cut to 120 characters (it has 500)"), (1, "title cut to 10 characters")]


def test_reading_stops_at_the_record_cap(tmp_path):
    path = tmp_path / "news.csv"
    path.write_bytes(csv_bytes([["title", "text"]] + [["Т", f"Текст {n}"] for n in range(10)]))
    records, problems = read(path, limits=Limits(max_records=3))
    assert len(records) == 3
    assert reasons(problems) == [(None, "stopped after 3 rows")]


def test_a_tsv_file_is_split_on_tabs_whatever_its_header_holds(tmp_path):
    path = tmp_path / "news.tsv.gz"
    path.write_bytes(gzip.compress(csv_bytes([["title", "text, body; notes"], ["Т", "Текст, с запятой"]], "\t")))
    (record,), problems = read(path, columns={"text": "text, body; notes"})
    assert (record.title, record.text, problems) == ("Т", "Текст, с запятой", [])


def test_a_file_problem_is_given_even_past_the_problem_cap(tmp_path):
    path = tmp_path / "news.csv"
    path.write_bytes(csv_bytes([["title", "text"]] + [["Т", ""]] * 10 + [["Т", "Текст"]] * 10))
    records, problems = read(path, limits=Limits(max_problems=2, max_records=15))
    assert reasons(problems) == [
        (1, "no text"),
        (2, "no text"),
        (None, "stopped after 15 rows"),
        (None, "8 more problems not listed"),
    ]


def test_problems_past_the_cap_are_counted_not_listed(tmp_path):
    path = tmp_path / "news.csv"
    path.write_bytes(csv_bytes([["title", "text"]] + [["Т", ""]] * 10 + [["Т", "Текст"]]))
    records, problems = read(path, limits=Limits(max_problems=4))
    assert len(records) == 1
    assert [row for row, _ in reasons(problems)] == [1, 2, 3, 4, None]
    assert problems[-1].reason == "6 more problems not listed"


def test_a_cp1251_dump_is_read_and_said_once(tmp_path):
    path = tmp_path / "news.csv"
    rows = [["title", "text"]] + [["Новости", "Правительство утвердило бюджет"]] * 3
    path.write_bytes(csv_bytes(rows, encoding="cp1251"))
    records, problems = read(path)
    assert [(record.title, record.text) for record in records] == [("Новости", "Правительство утвердило бюджет")] * 3
    assert reasons(problems) == [(None, "read as cp1251 (not UTF-8)")]


def test_invalid_utf8_bytes_are_replaced_and_counted_once_per_file(tmp_path):
    path = tmp_path / "news.csv"
    good = csv_bytes([["title", "text"]] + [["Т", "Текст \ufffd написан в файле"]] * 2000)
    bad = csv_bytes([["Т", "Плохие байты"]]).replace("Плохие".encode(), b"\xff\xfe")
    path.write_bytes(good + bad * 3)  # the bad bytes come after the head the encoding is judged on
    records, problems = read(path)
    assert len(records) == 2003
    assert records[-1].text == "\ufffd\ufffd байты"
    assert reasons(problems) == [(None, "6 undecodable bytes replaced with U+FFFD")]


def test_the_encoding_is_said_before_the_records(tmp_path):
    path = tmp_path / "news.csv"
    path.write_bytes(csv_bytes([["title", "text"], ["Новости", "Правительство утвердило бюджет"]], encoding="cp1251"))
    items = list(iter_records(str(path)))
    assert [type(item).__name__ for item in items] == ["RecordProblem", "Record"]


def test_a_utf8_bom_is_not_part_of_the_first_column_name(tmp_path):
    path = tmp_path / "news.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_bytes([["title", "text"], ["Т", "Текст"]]))
    (record,), problems = read(path)
    assert (record.title, problems) == ("Т", [])


def test_a_lone_carriage_return_in_an_unquoted_field_is_a_space_with_a_problem(tmp_path):
    path = tmp_path / "news.csv"
    path.write_bytes("title,text\nОдин,Пер\rвый\n\rДва,Второй\n".encode())
    records, problems = read(path)
    assert [(record.row, record.title, record.text) for record in records] == [
        (1, "Один", "Пер вый"),
        (2, " Два", "Второй"),
    ]
    assert reasons(problems) == [(row, "a carriage return alone inside a field, read as a space") for row in (1, 2)]


def test_crlf_line_ends_and_quoted_multiline_fields(tmp_path):
    path = tmp_path / "news.csv"
    path.write_bytes('title,text\r\n"Т","Абзац один.\r\n\r\nАбзац два."\r\nТ2,Текст\r\n'.encode())
    records, problems = read(path)
    assert [record.text for record in records] == ["Абзац один.\n\nАбзац два.", "Текст"]
    assert [record.row for record in records] == [1, 2]


def test_an_old_mac_file_with_cr_only_line_ends(tmp_path):
    path = tmp_path / "news.csv"
    path.write_bytes('title,text\rА,"Абзац один.\r\rАбзац два."\rБ,Текст два\r'.encode())
    records, problems = read(path)
    assert [(record.title, record.text) for record in records] == [
        ("А", "Абзац один.\n\nАбзац два."),
        ("Б", "Текст два"),
    ]
    assert problems == []


@pytest.mark.parametrize("data", [b"", b"\n\n", b"title,text\n"])
def test_an_empty_dump_gives_no_records_and_no_exception(tmp_path, data):
    path = tmp_path / "news.csv"
    path.write_bytes(data)
    records, problems = read(path)
    assert records == []
    assert all(problem.row is None for problem in problems)


def test_a_binary_file_named_csv_is_one_problem(tmp_path):
    path = tmp_path / "news.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    records, problems = read(path)
    assert records == [] and reasons(problems) == [(None, "not text: binary")]


def test_a_missing_file_or_a_folder_is_a_problem(tmp_path):
    (tmp_path / "folder.csv").mkdir()
    assert read(tmp_path / "absent.csv") == (
        [],
        [RecordProblem(None, None, "cannot be opened: No such file or directory")],
    )
    assert read(tmp_path / "folder.csv") == ([], [RecordProblem(None, None, "not a regular file")])


@pytest.mark.parametrize("name", ["news.csv", "news.csv.gz", "news.zip"])
def test_a_fifo_in_place_of_a_dump_is_refused_without_waiting_for_a_writer(tmp_path, name):
    os.mkfifo(tmp_path / name)
    assert read(tmp_path / name) == ([], [RecordProblem(None, None, "not a regular file")])


def test_a_first_line_over_the_cap_is_not_taken_for_a_header(tmp_path):
    path = tmp_path / "news.csv"
    path.write_bytes(b"x" * 5000 + b"\n" + csv_bytes([["title", "text"], ["Т", "Текст"]]))
    records, problems = read(path, limits=Limits(max_field_chars=1000))
    assert records == []
    assert reasons(problems) == [(None, "the first line is longer than 1,000 characters: not a header")]


def test_terminal_escapes_in_a_problem_are_made_safe(tmp_path):
    path = tmp_path / "news.csv"
    path.write_bytes(csv_bytes([["date", "text"], ["\x1b[31m\x07нет", "Т"]]))
    _, (problem,) = read(path)
    assert "\x1b" not in problem.reason and "\x07" not in problem.reason and "нет" in problem.reason


def test_a_path_object_is_taken_as_well_as_a_string(tmp_path):
    path = tmp_path / "news.csv"
    path.write_bytes(csv_bytes([["title", "text"], ["Т", "Текст"]]))
    assert list(iter_records(path)) == list(iter_records(str(path)))


def test_html_in_a_text_or_title_field_becomes_text(tmp_path):
    path = tmp_path / "news.csv"
    body = "<p>Первый абзац.</p><script>alert(1)</script><p>Второй &laquo;абзац&raquo;.</p>"
    plain = "Цена <5% и a<b остаются текстом."
    path.write_bytes(csv_bytes([["title", "text"], ["Новости &amp; факты", body], ["Просто", plain]]))
    records, problems = read(path)
    assert [(record.title, record.text) for record in records] == [
        ("Новости & факты", "Первый абзац.\nВторой «абзац»."),
        ("Просто", plain),
    ]
    assert problems == []


def test_a_date_not_taken_says_when_the_urls_date_stands_in(tmp_path):
    path = tmp_path / "news.csv"
    rows = [
        ["date", "url", "text"],
        ["01/02/2010", "https://x.ru/2010/02/01/a/", "Т"],
        ["01/02/2010", "https://x.ru/a", "Т"],
    ]
    path.write_bytes(csv_bytes(rows))
    records, problems = read(path)
    assert [record.date for record in records] == [datetime.date(2010, 2, 1), None]
    assert [reason.endswith("; the URL's date is used") for _, reason in reasons(problems)] == [True, False]
