"""Pilot tests: while articles load in batches, the list cursor keeps to its article and the reader never switches
by itself."""

import datetime
import os
import shutil
import threading
from pathlib import Path

from conftest import article_bytes
from newsreader.ingest.parse import iter_articles
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.controllers import batches
from newsreader.ui.controllers import loading as loading_module
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.reader import ReaderPane

LONG_BODY = "\n\n".join(
    f"Абзац {number}: правительство обсудило бюджет и планы на следующий год." for number in range(120)
)


class GatedLoading:
    """Loading that hands over one article at a time when the test says so, each in a batch of its own."""

    def __init__(self, monkeypatch) -> None:
        self._permits = threading.Semaphore(0)
        monkeypatch.setattr(batches, "BATCH_SIZE", 1)
        monkeypatch.setattr(batches, "GROWTH_DIVISOR", 10**9)  # however many are listed
        monkeypatch.setattr(loading_module, "iter_articles", self._iter_articles)
        # the files are read, gated, even where an earlier run of the test left a snapshot of them
        shutil.rmtree(Path(os.environ["XDG_CACHE_HOME"], "newsreader", "snapshots"), ignore_errors=True)

    def _iter_articles(self, paths, **options):
        items = iter_articles(paths, **options)
        yield next(items)  # read on the UI thread before the first frame: never waits
        for item in items:
            if not self._permits.acquire(timeout=10):  # a failed test must not hold its app open long
                return
            yield item

    async def release(self, app, pilot, count: int) -> None:
        """Let `count` more articles load and wait until the list shows them."""
        target = len(app.store) + count
        self._permits.release(count)
        for _ in range(500):
            if app.query_one(ArticleList).row_count >= target:
                break
            await pilot.pause(0.02)
        assert app.query_one(ArticleList).row_count == target

    async def finish(self, app, pilot) -> None:
        self._permits.release(10_000)
        await app.workers.wait_for_complete()
        while not app.main.loader.done:
            await pilot.pause(0.02)
        await pilot.pause()


def write_dated(folder, dates: dict[str, str], **article) -> None:
    """`title.txt` for each title, with its date in the header."""
    for title, date in dates.items():
        (folder / f"{title}.txt").write_bytes(article_bytes(title, header=f"date {date}", **article))


def record_reader(monkeypatch) -> list[str]:
    """The titles the reader is asked to show, in order."""
    shown: list[str] = []
    original = ReaderPane.show

    def show(self, article, *args, **kwargs):
        shown.append(article.title)
        return original(self, article, *args, **kwargs)

    monkeypatch.setattr(ReaderPane, "show", show)
    return shown


async def test_the_last_article_is_restored_while_newer_ones_load_after_it(tmp_path, monkeypatch):
    write_dated(tmp_path, {"big": "2024-06-01", "long": "2024-06-02", "small": "2025-11-21"}, body=LONG_BODY)
    app = NewsreaderApp([str(tmp_path)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("G", "enter", "j", "j", "j", "j")
        reader = app.query_one(ReaderPane)
        assert reader.article.title == "big" and reader.scroll_y > 0
        scrolled_to = reader.scroll_y
        await pilot.press("q")

    loading = GatedLoading(monkeypatch)
    shown = record_reader(monkeypatch)
    app = NewsreaderApp([str(tmp_path)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        article_list, reader = app.query_one(ArticleList), app.query_one(ReaderPane)
        await pilot.pause()
        assert article_list.article.title == "big" and reader.article.title == "big"
        for newer in ("long", "small"):
            await loading.release(app, pilot, 1)
            await pilot.pause(0.1)
            assert article_list.article_at(0).title == newer, "the newer article sorts above"
            assert article_list.article.title == "big" and reader.article.title == "big"
        await loading.finish(app, pilot)
        await pilot.pause(0.2)
        assert article_list.article.title == "big" and article_list.cursor == 2
        assert set(shown) == {"big"}, f"the reader switched by itself: {shown}"
        assert reader.scroll_y == scrolled_to


async def test_the_cursor_keeps_its_article_and_screen_row_while_newer_ones_load(tmp_path, monkeypatch):
    first_day = datetime.date(2024, 1, 1)
    for number in range(40):  # later names are newer: each batch sorts in above what is listed
        date = first_day + datetime.timedelta(days=number)
        (tmp_path / f"{number:02}.txt").write_bytes(article_bytes(f"Статья {number:02}", header=f"date {date}"))
    loading = GatedLoading(monkeypatch)
    shown = record_reader(monkeypatch)
    app = NewsreaderApp([str(tmp_path)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        article_list, reader = app.query_one(ArticleList), app.query_one(ReaderPane)
        await loading.release(app, pilot, 19)
        await pilot.press("j", "j", "j", "j", "j")
        await pilot.pause(0.2)
        assert article_list.article.title == "Статья 14" and reader.article.title == "Статья 14"
        screen_row = article_list.cursor - article_list.scroll_offset.y
        shown.clear()
        await loading.release(app, pilot, 12)
        await pilot.pause(0.2)
        assert article_list.article.title == "Статья 14" and article_list.cursor == 17
        assert article_list.cursor - article_list.scroll_offset.y == screen_row, "the cursor stays where the eye is"
        assert reader.article.title == "Статья 14"
        assert set(shown) <= {"Статья 14"}, f"the reader switched by itself: {shown}"

        await pilot.press("g")  # the top is an article like any other: newer ones arriving do not take its place
        await pilot.pause(0.2)
        assert article_list.article.title == "Статья 31" and reader.article.title == "Статья 31"
        shown.clear()
        await loading.finish(app, pilot)
        await pilot.pause(0.2)
        assert article_list.article.title == "Статья 31" and article_list.cursor == 8
        assert article_list.cursor - article_list.scroll_offset.y == 0
        assert reader.article.title == "Статья 31"
        assert set(shown) <= {"Статья 31"}, f"the reader switched by itself: {shown}"


async def test_reversing_the_order_keeps_the_article_under_the_cursor(tmp_path):
    write_dated(tmp_path, {"a": "2025-01-01", "b": "2025-02-01", "c": "2025-03-01"})
    app = NewsreaderApp([str(tmp_path)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        article_list, reader = app.query_one(ArticleList), app.query_one(ReaderPane)
        assert article_list.cursor == 0 and article_list.article.title == "c", "a fresh start is on the newest"
        await pilot.press("s")
        assert [article_list.article_at(i).title for i in range(3)] == ["a", "b", "c"]
        assert article_list.cursor == 2 and article_list.article.title == "c" and reader.article.title == "c"
        await pilot.press("k", "s")
        assert article_list.cursor == 1 and article_list.article.title == "b"


async def test_a_key_pressed_before_the_last_article_loads_cancels_its_restore(tmp_path, monkeypatch):
    write_dated(tmp_path, {"a": "2025-01-01", "b": "2025-02-01", "c": "2025-03-01"}, body=LONG_BODY)
    app = NewsreaderApp([str(tmp_path)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        assert app.query_one(ReaderPane).article.title == "c"  # read last, and the last file loaded
        await pilot.press("q")

    loading = GatedLoading(monkeypatch)
    app = NewsreaderApp([str(tmp_path)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = app.query_one(ReaderPane)
        await pilot.pause()
        await pilot.press("tab", "j")  # the user starts reading the first article loaded
        assert reader.article.title == "a"
        await loading.finish(app, pilot)
        await pilot.pause(0.2)
        assert reader.article.title == "a" and app.query_one(ArticleList).article.title == "a"


async def test_articles_loading_during_an_archive_search_leave_its_results_listed(tmp_path, monkeypatch):
    for name, date, title in [
        ("a.txt", "2025-01-01", "Новости из Москвы"),
        ("b.txt", "2025-02-01", "Погода"),
        ("c.txt", "2025-03-01", "Спорт"),
    ]:
        (tmp_path / name).write_bytes(article_bytes(title, body="Текст статьи.", header=f"date {date}"))
    loading = GatedLoading(monkeypatch)
    app = NewsreaderApp([str(tmp_path)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        article_list = app.query_one(ArticleList)
        await pilot.pause()
        await pilot.press("slash", *"Москва")
        for _ in range(100):
            await pilot.pause(0.05)
            if app.main.searching.hits:
                break
        assert article_list.row_count == 1 and str(article_list.border_title).startswith("Search")
        await loading.finish(app, pilot)
        assert article_list.row_count == 1 and article_list.article.title == "Новости из Москвы"
        assert str(article_list.border_title).startswith("Search")
        await pilot.press("escape", "escape")
        assert article_list.row_count == 3, "leaving the search lists everything loaded meanwhile"
