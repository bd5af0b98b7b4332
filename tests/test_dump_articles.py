"""Rows of dumps become articles beside text files: ids with the row, the same parse and fingerprint, their
source kept and shown, their text back from the shelf once released, and their rows never in a snapshot."""

import csv
import gzip
import io
import json

import pytest
from tests.conftest import shown_text
from tests.test_reading import row_text, start

from newsreader.cli.main import main
from newsreader.ingest.load import LoadWarning
from newsreader.ingest.parse import Article, iter_articles
from newsreader.ingest.snapshot import Journal
from newsreader.search.index import SearchIndex
from newsreader.search.scan import search_without_index
from newsreader.store.corpus import Store
from newsreader.ui.app import NewsreaderApp

ROWS = [
    ["url", "title", "text", "topic", "tags", "authors"],
    [
        "https://lenta.ru/news/2018/12/14/putin/",
        "Путин провёл встречу",
        "Президент России Владимир Путин провёл встречу в Москве.\n\nОб этом сообщает ТАСС.",
        "Политика",
        "Кремль|Москва",
        "Иван Петров",
    ],
    ["https://lenta.ru/news/2019/01/02/x/", "[@click=app.quit] заголовок", "Текст [/] статьи.", "Мир", "", ""],
]


def write_csv(path, rows=ROWS, compress=False):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    data = out.getvalue().encode("utf-8")
    path.write_bytes(gzip.compress(data) if compress else data)


def loaded(paths, **options):
    items = list(iter_articles([str(path) for path in paths], **options))
    return [item for item in items if isinstance(item, Article)], [
        item for item in items if isinstance(item, LoadWarning)
    ]


def test_a_folder_holding_a_compressed_csv_and_a_text_file_gives_both_kinds_of_article(tmp_path):
    write_csv(tmp_path / "lenta.csv.gz", compress=True)
    (tmp_path / "a.txt").write_text("date 2025-10-25\nЗаголовок\n\nТекст.\n", "utf-8")
    articles, warnings = loaded([tmp_path], keep_text=False)
    assert warnings == []
    assert [article.id for article in articles] == ["a.txt", "lenta.csv.gz#1", "lenta.csv.gz#2"]
    first = articles[1]
    assert first.path == f"{tmp_path}/lenta.csv.gz#1"
    assert str(first.date) == "2018-12-14"  # from the URL
    assert first.title == "Путин провёл встречу"
    assert first.lede == "Президент России Владимир Путин провёл встречу в Москве."
    assert first.held_text is None  # released: the text is on the shelf
    assert first.text.endswith("Об этом сообщает ТАСС.")
    origin = first.origin
    assert (origin.row, origin.url, origin.outlet) == (1, "https://lenta.ru/news/2018/12/14/putin/", "lenta.ru")
    assert (origin.authors, origin.topics) == (("Иван Петров",), ("Политика", "Кремль", "Москва"))
    assert articles[2].text == "[@click=app.quit] заголовок\n\nТекст [/] статьи."  # markup is only text
    assert articles[0].origin is None


def test_a_story_reprinted_under_another_url_is_kept_and_the_same_row_twice_is_not(tmp_path):
    row = ROWS[1]
    write_csv(tmp_path / "a.csv", [ROWS[0], row, [f"https://mk.ru/{row[0][8:]}", *row[1:]]])
    write_csv(tmp_path / "b.csv", [ROWS[0], row])
    (tmp_path / "c.txt").write_text("date 2018-12-14\nПутин провёл встречу\n\nТекст.\n", "utf-8")
    store = Store()
    kept = [article.id for article in loaded([tmp_path])[0] if store.add(article) is None]
    assert kept == ["a.csv#1", "a.csv#2", "c.txt"]  # b.csv#1 repeats a.csv#1


def test_a_title_column_is_kept_even_when_it_reads_like_boilerplate(tmp_path):
    write_csv(tmp_path / "a.csv", [["title", "text"], ["Поделиться", "Текст статьи о том, как делятся."]])
    (article,) = loaded([tmp_path])[0]
    assert article.title == "Поделиться"


def test_a_malformed_row_is_a_warning_naming_the_file_and_row_and_the_rest_is_read(tmp_path):
    path = tmp_path / "feed.jsonl"
    good = {"title": "Один", "text": "Текст один.", "date": "2019-08-06 14:15:00"}
    path.write_text(json.dumps(good, ensure_ascii=False) + "\n{broken\n" + json.dumps(good | {"title": "Два"}) + "\n")
    articles, warnings = loaded([path])
    assert [article.id for article in articles] == ["feed.jsonl#1", "feed.jsonl#3"]
    assert [warning.path for warning in warnings] == [f"{path}#2"]


def test_dump_rows_are_not_kept_in_the_journal_so_the_next_start_reads_the_dump_again(tmp_path):
    write_csv(tmp_path / "lenta.csv")
    (tmp_path / "a.txt").write_text("date 2025-10-25\nЗаголовок\n\nТекст.\n", "utf-8")
    journal = Journal()
    items = list(journal.recorded(iter_articles([str(tmp_path)], unchanged=journal.file_met, keep_text=False)))
    assert len([item for item in items if isinstance(item, Article)]) == 3
    assert [row.id for row in journal.articles()] == ["a.txt"]


def test_extract_prints_each_rows_source_and_takes_a_column_mapping(tmp_path, capsys):
    rows = [
        ["headline_ru", "body", "link", "edition", "pubdate"],
        ["Заголовок", "Текст.", "https://x.ru/a", "РИА", "1 января 2010"],
    ]
    write_csv(tmp_path / "dump.csv", rows)
    assert main(["extract", str(tmp_path / "dump.csv"), "--workers", "1", "--columns", "title=headline_ru"]) == 0
    (record,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (record["id"], record["title"], record["date"]) == ("dump.csv#1", "Заголовок", "2010-01-01")
    assert (record["url"], record["outlet"], record["authors"], record["topics"]) == ("https://x.ru/a", "РИА", [], [])


def test_a_bad_column_mapping_is_a_usage_error(tmp_path, capsys):
    write_csv(tmp_path / "dump.csv")
    with pytest.raises(SystemExit) as stopped:
        main(["extract", str(tmp_path / "dump.csv"), "--columns", "title"])
    assert stopped.value.code == 2
    assert "--columns" in capsys.readouterr().err


async def test_the_list_shows_a_rows_outlet_and_the_reader_its_authors_topics_url_and_markup_literally(tmp_path):
    write_csv(tmp_path / "lenta.csv")
    app = NewsreaderApp([str(tmp_path)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list, reader = await start(app, pilot)
        assert row_text(article_list, 1).startswith("● 2018-12-14  lenta.ru  Путин провёл встречу")
        narrow = "".join(segment.text for segment in article_list.render_row(1, 40))
        assert narrow.startswith("● 2018-12-14  Путин провёл встречу")
        article_list.cursor = 1  # newest first
        assert article_list.article.id == "lenta.csv#1"
        await pilot.press("enter")
        await pilot.pause()
        shown = shown_text(reader)
        assert "2018-12-14 · lenta.csv#1 · lenta.ru" in shown
        assert "by Иван Петров · topics: Политика, Кремль, Москва" in shown
        assert "https://lenta.ru/news/2018/12/14/putin/" in shown
        article_list.focus()
        article_list.cursor = 0
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and "[@click=app.quit] заголовок" in shown_text(reader)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("src:lenta.ru", ["lenta.csv#1", "lenta.csv#2"]),
        ("src:LENTA.RU/news/2019", ["lenta.csv#2"]),
        ("src:notes/", ["notes/a.txt"]),
        ("author:петров", ["lenta.csv#1"]),
        ("topic:кремль", ["lenta.csv#1"]),
        ("topic:мир", ["lenta.csv#2"]),
        ("author:петров встречу", ["lenta.csv#1"]),
        ("topic:мир встречу", []),
        ("author:никто", []),
    ],
)
def test_search_filters_by_source_author_and_topic_with_and_without_the_index(tmp_path, query, found):
    write_csv(tmp_path / "lenta.csv")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text("date 2025-10-25\nВстречу перенесли\n\nТекст.\n", "utf-8")
    store = Store()
    for article in loaded([tmp_path])[0]:
        store.add(article)
    index = SearchIndex(tmp_path / "index.sqlite3")
    index.add(store)
    for results in (index.search(query, store), search_without_index(query, store)):
        assert sorted(hit.article_id for hit in results) == found
