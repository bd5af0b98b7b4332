"""JSON Lines and JSON arrays: the same mapping as CSV, streamed, every bad entry a problem."""

import datetime
import json

import pytest

from dumps import read, reasons
from newsreader.ingest.dumps import Limits, textstream

ENTRY = {
    "Published": "2019-08-06T14:15:00+03:00",
    "Headline": "Заголовок",
    "Body": "Первый абзац.\n\nВторой абзац.",
    "link": "https://www.ria.ru/20190806/x.html",
    "Authors": ["Иван Петров", "Анна Смирнова"],
    "rubric": "Политика; Экономика",
    "tags": ["выборы", ["суд"]],
}


def expect_entry(record) -> None:
    assert (record.title, record.text) == ("Заголовок", "Первый абзац.\n\nВторой абзац.")
    assert record.date == datetime.date(2019, 8, 6)
    assert (record.url, record.outlet) == ("https://www.ria.ru/20190806/x.html", "ria.ru")
    assert record.authors == ("Иван Петров", "Анна Смирнова")
    assert record.topics == ("Политика", "Экономика", "выборы", "суд")


@pytest.mark.parametrize("name", ["news.jsonl", "news.ndjson", "news.json"])
def test_json_lines_map_like_csv(tmp_path, name):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(ENTRY, ensure_ascii=False) for _ in range(3)) + "\n", "utf-8")
    records, problems = read(path)
    assert problems == [] and [record.row for record in records] == [1, 2, 3]
    expect_entry(records[0])


def test_a_json_array_maps_like_csv(tmp_path):
    path = tmp_path / "news.json"
    path.write_text(json.dumps([ENTRY, ENTRY], ensure_ascii=False, indent=2), "utf-8")
    records, problems = read(path)
    assert problems == [] and [record.row for record in records] == [1, 2]
    expect_entry(records[1])


def test_bad_lines_are_problems_with_their_line_and_reading_goes_on(tmp_path):
    path = tmp_path / "news.jsonl"
    lines = [
        json.dumps({"text": "Один"}),
        "{not json",
        "",
        json.dumps([1, 2]),
        json.dumps("строка"),
        json.dumps({"title": "без текста"}),
        json.dumps({"text": None}),
        json.dumps({"text": {"nested": 1}}),
        json.dumps({"text": "Девять", "date": "когда-то"}),
        "[" * 100_000,
        json.dumps({"text": "Одиннадцать", "authors": {"a": 1}, "title": 5}),
    ]
    path.write_text("\n".join(lines), "utf-8")
    records, problems = read(path)
    assert [(record.row, record.text) for record in records] == [(1, "Один"), (9, "Девять"), (11, "Одиннадцать")]
    assert (records[2].title, records[2].authors) == ("5", ())
    found = reasons(problems)
    assert [row for row, _ in found] == [2, 4, 5, 6, 7, 8, 9, 10]
    assert found[0][1].startswith("not valid JSON")
    assert found[1:3] == [(4, "a JSON array, not an object"), (5, "a JSON string, not an object")]
    assert found[3:6] == [(6, "no text"), (7, "no text"), (8, "the 'text' value is not text")]
    assert "date column 'date'" in found[6][1]
    assert found[7][1].startswith("not valid JSON")  # too deeply nested is a problem too, not a crash


def test_a_number_too_long_for_int_is_a_problem_not_an_exception(tmp_path):
    huge = "1" * 5000  # past Python's 4,300-digit limit on int()
    lines = tmp_path / "news.jsonl"
    lines.write_text(f'{{"text": "Один", "n": {huge}}}\n{{"text": "Два"}}\n', "utf-8")
    array = tmp_path / "news.json"
    array.write_text(f'[{{"text": "Один"}}, {{"text": "Два", "n": {huge}}}, {{"text": "Три"}}]', "utf-8")
    records, problems = read(lines)
    assert [record.text for record in records] == ["Два"] and [problem.row for problem in problems] == [1]
    records, problems = read(array)
    assert [record.text for record in records] == ["Один"] and [problem.row for problem in problems] == [2]
    assert "4300 digits" in problems[0].reason


def test_a_line_over_the_cap_is_skipped_with_its_line_number(tmp_path):
    path = tmp_path / "news.jsonl"
    long_line = json.dumps({"text": "слово " * 1000})
    path.write_text(
        "\n".join([json.dumps({"text": "Один"}), long_line, json.dumps({"text": "Три"}), long_line]), "utf-8"
    )
    records, problems = read(path, limits=Limits(max_field_chars=1000))
    assert [record.row for record in records] == [1, 3]
    assert reasons(problems) == [
        (2, "longer than 1,000 characters; skipped"),
        (4, "longer than 1,000 characters; skipped"),
    ]


def test_an_override_naming_a_missing_key_falls_back_to_the_usual_keys(tmp_path):
    path = tmp_path / "news.jsonl"
    lines = [{"text": "Один", "заголовок": "Т"}, {"текст": "Два"}, {"тело": "Три"}]
    path.write_text("\n".join(json.dumps(line) for line in lines), "utf-8")
    records, problems = read(path, columns={"text": "текст", "title": "Заголовок"})
    assert [(record.row, record.text, record.title) for record in records] == [(1, "Один", "Т"), (2, "Два", "")]
    assert reasons(problems) == [(3, "no key 'текст' (asked for with --columns), nor a usual one")]


def test_array_elements_split_across_chunks_are_read_whole(tmp_path, monkeypatch):
    """Each element crosses a chunk boundary; numbers and strings cut at one are not taken early."""
    monkeypatch.setattr(textstream, "CHUNK_BYTES", 7)
    entries = [{"text": f"Текст номер {n}", "n": 12345678901234567890 + n, "title": '\\"' * n} for n in range(30)]
    path = tmp_path / "news.json"
    path.write_text(" [ " + " ,\n".join(json.dumps(entry, ensure_ascii=False) for entry in entries) + " ] ", "utf-8")
    records, problems = read(path)
    assert problems == []
    assert [(record.text, record.title) for record in records] == [(entry["text"], entry["title"]) for entry in entries]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            '[{"text": "Один"}, {"text": "Два"',
            [
                (
                    2,
                    "not valid JSON, or cut short by the end of the file: Expecting ',' delimiter;"
                    " the rest of the array is not read",
                )
            ],
        ),
        ('[{"text": "Один"}, {"text": "Два"}', [(None, "the JSON array is not closed; the file ends early")]),
        ('[{"text": "Один"} {"text": "Два"}]', [(1, "no comma after this entry; the rest of the array is not read")]),
        ('[{"text": "Один"}, 7, {"text": "Три"}]', [(2, "a JSON number, not an object")]),
    ],
)
def test_a_broken_array_keeps_what_was_read(tmp_path, data, expected):
    path = tmp_path / "news.json"
    path.write_text(data, "utf-8")
    records, problems = read(path)
    assert records[0].text == "Один"
    assert reasons(problems) == expected


def test_invalid_json_inside_an_array_stops_the_array_with_a_problem(tmp_path):
    path = tmp_path / "news.json"
    path.write_text('[{"text": "Один"}, {"text": Два}, {"text": "Три"}]', "utf-8")
    records, problems = read(path)
    assert [record.text for record in records] == ["Один"]
    ((row, reason),) = reasons(problems)
    assert row == 2 and reason.startswith("not valid JSON") and reason.endswith("the rest of the array is not read")


def test_an_array_element_over_the_cap_stops_the_array_without_holding_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(textstream, "CHUNK_BYTES", 100)
    path = tmp_path / "news.json"
    path.write_text(json.dumps([{"text": "Один"}, {"text": "ы" * 5000}, {"text": "Три"}], ensure_ascii=False), "utf-8")
    records, problems = read(path, limits=Limits(max_field_chars=1000))
    assert [record.text for record in records] == ["Один"]
    assert reasons(problems) == [
        (2, "longer than 1,000 characters, or not valid JSON; the rest of the array is not read")
    ]


def test_a_json_file_that_is_neither(tmp_path):
    path = tmp_path / "news.json"
    path.write_text('"just a string"', "utf-8")
    records, problems = read(path)
    assert records == [] and reasons(problems) == [(None, "not JSON Lines, a JSON array or a JSON object")]


NEWSAPI = {
    "status": "ok",
    "totalResults": 2,
    "articles": [
        {
            "source": {"id": None, "name": "Lenta"},
            "author": [{"name": "Иван Петров"}, {"name": "Анна Смирнова"}],
            "title": "Один",
            "url": "https://lenta.ru/2019/08/06/a/",
            "publishedAt": "2019-08-07T01:00:00Z",
            "content": "Текст один",
        },
        {"title": "Два", "content": "Текст два", "url": "https://lenta.ru/2019/08/06/b/"},
    ],
    "after": [{"text": "not read"}],
}


@pytest.mark.parametrize("indent", [None, 2])
def test_the_array_an_object_wraps_is_streamed(tmp_path, monkeypatch, indent):
    monkeypatch.setattr(textstream, "CHUNK_BYTES", 5)
    path = tmp_path / "export.json"
    path.write_text(json.dumps(NEWSAPI, ensure_ascii=False, indent=indent), "utf-8")
    records, problems = read(path)
    assert problems == []
    assert [(record.row, record.title, record.text) for record in records] == [
        (1, "Один", "Текст один"),
        (2, "Два", "Текст два"),
    ]
    first, second = records
    assert (first.date, first.outlet, first.authors) == (
        datetime.date(2019, 8, 7),
        "Lenta",
        ("Иван Петров", "Анна Смирнова"),
    )
    assert (second.date, second.outlet, second.authors) == (datetime.date(2019, 8, 6), "lenta.ru", ())


def test_one_pretty_printed_article(tmp_path):
    path = tmp_path / "article.json"
    path.write_text(json.dumps(ENTRY, ensure_ascii=False, indent=2), "utf-8")
    (record,), problems = read(path)
    assert problems == [] and record.row == 1
    expect_entry(record)


def test_one_article_on_one_line(tmp_path):
    path = tmp_path / "article.json"
    path.write_text(json.dumps(ENTRY, ensure_ascii=False), "utf-8")
    (record,), problems = read(path)
    expect_entry(record)


@pytest.mark.parametrize("data", ['{"a": 1, 2: 3}', '{"a": 1', '{"a": tru}', "{"])
def test_a_broken_object_is_a_problem(tmp_path, data):
    path = tmp_path / "article.json"
    path.write_text(data, "utf-8")
    records, problems = read(path)
    assert records == [] and len(problems) == 1
