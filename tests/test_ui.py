"""Pilot tests of the first window: it fills from the worker, moves, focuses, shows text literally."""

import gc
import threading
import time

import pytest
from textual.widgets import Static

from conftest import article_bytes, shown_text
from newsreader.ingest.parse import iter_articles
from newsreader.nlp.enrich import Enrichment
from newsreader.runtime import heap
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.controllers import loading as loading_module
from newsreader.ui.messages import Enriched
from newsreader.ui.screens.warnings import WarningList, WarningsScreen
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.reader import ReaderPane


def body_text(app: NewsreaderApp) -> str:
    """What the reader shows from the title on (meta and legend lines left out)."""
    reader = app.query_one(ReaderPane)
    text = shown_text(reader)
    return text[text.index(reader.article.title) :] if reader.article else text


async def loaded(app, pilot):
    await app.workers.wait_for_complete()
    await pilot.pause()


async def analysed(app, pilot, timeout: float = 60):
    """Wait until every article's entities and dates have landed in the store."""
    await loaded(app, pilot)
    for _ in range(int(timeout / 0.1)):
        if app.store.enriched_count == len(app.store):
            await pilot.pause()
            return
        await pilot.pause(0.1)
    raise AssertionError("enrichment did not finish")


@pytest.fixture
def three_articles(tmp_path):
    for name, date, title in [
        ("a.txt", "2025-01-01", "Первая"),
        ("b.txt", "2025-03-01", "Третья"),
        ("c.txt", "2025-02-01", "Вторая"),
    ]:
        (tmp_path / name).write_bytes(article_bytes(title, header=f"date {date}"))
    return tmp_path


async def test_seed_title_is_shown(seeds_dir):
    app = NewsreaderApp([str(seeds_dir)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(app, pilot)
        assert app.query_one(ArticleList).article.title.startswith("В МИД России")
        assert body_text(app).startswith("В МИД России призвали освободить задержанных в Баку россиян")
        assert "Konstantin Kokoshkin/Global Look Press" in " ".join(shown_text(app.query_one(ReaderPane)).split())


async def test_keys_move_newest_first_and_enter_focuses_reader(three_articles):
    app = NewsreaderApp([str(three_articles)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(app, pilot)
        article_list = app.query_one(ArticleList)
        assert article_list.article.title == "Третья"
        await pilot.press("j")
        assert article_list.article.title == "Вторая"
        assert body_text(app).startswith("Вторая")
        await pilot.press("down", "down", "down")
        assert article_list.article.title == "Первая"
        await pilot.press("k")
        assert article_list.article.title == "Вторая"
        await pilot.press("g")
        assert article_list.cursor == 0
        await pilot.press("G")
        assert article_list.cursor == 2
        await pilot.press("enter")
        assert app.focused is app.query_one(ReaderPane)
        await pilot.press("escape")
        assert app.focused is article_list
        await pilot.press("tab")
        assert app.focused is app.query_one(ReaderPane)


async def test_the_reader_follows_a_jump_at_once_and_steps_once_the_cursor_rests(three_articles, monkeypatch):
    monkeypatch.setattr("newsreader.ui.controllers.reading.FOLLOW_SECONDS", 0.4)  # longer than the pilot takes per key
    app = NewsreaderApp([str(three_articles)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(app, pilot)
        reader, article_list = app.query_one(ReaderPane), app.query_one(ArticleList)
        await pilot.pause(0.5)
        first = reader.article
        await pilot.press("j", "j")  # as a held key: the reader is not redrawn for the article passed over
        assert article_list.cursor == 2 and reader.article is first
        await pilot.pause(0.5)
        assert reader.article is article_list.article and body_text(app).startswith(reader.article.title)
        await pilot.press("g")  # a jump shows its article at once
        assert article_list.cursor == 0 and reader.article is first
        article_list.cursor = 2  # a jump reaches the reader before any await: within the frame that moved the list
        assert reader.article is article_list.article is not first


async def test_click_on_a_row_opens_it(three_articles):
    app = NewsreaderApp([str(three_articles)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(app, pilot)
        await pilot.click(ArticleList, offset=(5, 3))
        assert app.query_one(ArticleList).article.title == "Первая"
        await pilot.pause(0.1)  # the reader follows the cursor once it rests
        assert body_text(app).startswith("Первая")


async def test_q_quits(seeds_dir):
    app = NewsreaderApp([str(seeds_dir)], enrich=False)
    async with app.run_test() as pilot:
        await loaded(app, pilot)
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0


async def test_markup_and_escapes_show_literally_and_clicks_do_nothing(tmp_path):
    (tmp_path / "evil.txt").write_bytes(
        article_bytes(
            "[b]Жирный[/] [@click=app.quit]выход[/]\x1b[31m", body="Текст [/] \x1b]0;title\x07[@click=app.quit]клик[/]"
        )
    )
    app = NewsreaderApp([str(tmp_path)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(app, pilot)
        text = body_text(app)
        assert text.startswith("[b]Жирный[/] [@click=app.quit]выход[/]")
        assert "Текст [/] [@click=app.quit]клик[/]" in text
        assert "\x1b" not in text
        await pilot.click(ReaderPane, offset=(4, 3))
        await pilot.click(ReaderPane, offset=(20, 3))
        await pilot.pause()
        assert app.is_running and app.return_code is None


async def test_warnings_count_and_screen(hostile_dir):
    app = NewsreaderApp([str(hostile_dir)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(app, pilot)
        status = str(app.query_one("#status", Static).visual)
        assert f"{len(app.load_warnings)} warnings (press w)" in status
        assert len(app.load_warnings) >= 10
        await pilot.press("w")
        assert isinstance(app.screen, WarningsScreen)
        assert app.screen.query_one(WarningList).row_count == len(app.load_warnings)
        await pilot.press("escape")
        assert not isinstance(app.screen, WarningsScreen)


async def test_window_paints_before_loading_finishes(three_articles, monkeypatch):
    release = threading.Event()

    def slow_iter_articles(paths, **options):
        items = iter_articles(paths, **options)
        yield next(items)
        release.wait(timeout=30)
        yield from items

    monkeypatch.setattr(loading_module, "iter_articles", slow_iter_articles)
    app = NewsreaderApp([str(three_articles)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if app.query_one(ArticleList).row_count:
                break
        assert app.query_one(ArticleList).row_count == 1
        assert "loading" in str(app.query_one("#status", Static).visual)
        release.set()
        await loaded(app, pilot)
        assert app.query_one(ArticleList).row_count == 3
        assert "loaded 3 articles" in str(app.query_one("#status", Static).visual)


async def test_empty_folder_says_so(tmp_path):
    app = NewsreaderApp([str(tmp_path)], enrich=False)
    async with app.run_test() as pilot:
        await loaded(app, pilot)
        assert "No articles could be read" in shown_text(app.query_one(ReaderPane))


async def test_highlights_land_without_moving_the_reader(seeds_dir):
    app = NewsreaderApp([str(seeds_dir)], workers=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(app, pilot)
        await pilot.press("enter", "j", "j", "j")
        reader = app.query_one(ReaderPane)
        scrolled_to = reader.scroll_y
        assert scrolled_to > 0
        await analysed(app, pilot)
        assert reader.scroll_y == scrolled_to
        styled = {reader.article.text[start:end] for start, end, _, _ in reader.visible_mentions()}
        assert {"Михаил Галузин", "Азербайджана", "МИД", "25 октября", "30 июня по 1 июля 2025 года"} <= styled
        for _ in range(20):  # the status line follows the analysis on a half-second timer
            if "analysed 1" in str(app.query_one("#status", Static).visual):
                break
            await pilot.pause(0.1)
        assert "analysed 1" in str(app.query_one("#status", Static).visual)


async def test_background_refreshes_wait_for_a_pause_in_typing(three_articles):
    app = NewsreaderApp([str(three_articles)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(app, pilot)
        await pilot.press("j")
        assert time.monotonic() - app.keys.last_key_at < 1
        app.main.loader.enriched(app.query_one(ArticleList).article, Enrichment((), (), ()))
        app.main.refresh_views()
        assert app.main.loader.views_stale  # a key was just pressed: the timeline and progress wait
        app.keys.last_key_at -= 1
        await pilot.pause()  # the frame with the result of the article shown: the user waits for nothing now
        app.main.refresh_views()
        assert not app.main.loader.views_stale


class RecordingService:
    """Stands in for the NLP service: records what the app asks to analyse."""

    submitted, idle, running = 0, True, True

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], bool, bool]] = []

    def submit(self, articles, urgent: bool = False, soon: bool = False) -> None:
        self.calls.append(([article.id for article in articles], urgent, soon))

    def close(self) -> None:
        pass


async def test_the_article_shown_is_analysed_first_and_the_next_ones_soon(three_articles):
    app = NewsreaderApp([str(three_articles)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(app, pilot)
        app.main.loader.service = service = RecordingService()
        article_list = app.query_one(ArticleList)
        await pilot.press("j")
        await pilot.pause(0.2)
        shown, following = article_list.article_at(1).id, article_list.article_at(2).id
        assert ([shown], True, False) in service.calls
        assert ([following], False, True) in service.calls


async def test_the_open_article_waiting_for_its_highlights_waits_for_no_collection_or_views_refresh(
    three_articles, monkeypatch
):
    """A full collection takes tens of ms, a views refresh and its frame ~10: the ones due each second wait while an
    opened article's analysis is under way, and until the frame that shows its highlights is drawn."""
    app = NewsreaderApp([str(three_articles)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(app, pilot)
        loader = app.main.loader
        loader.service = RecordingService()
        collections: list[bool] = []
        monkeypatch.setattr(app.gc_policy, "collect", lambda resting: collections.append(resting))
        article_list = app.query_one(ArticleList)
        article_list.cursor = 2  # a jump, as a click makes: no key was pressed
        await pilot.pause()
        opened = app.query_one(ReaderPane).article
        assert opened is article_list.article_at(2)
        app.main.post_message(Enriched(article_list.article_at(0), Enrichment((), (), ())))  # a background result
        await pilot.pause()
        assert loader.views_stale and not loader.views_due()

        def collected() -> list[bool]:
            """What one call of the loader's collection asks for (the app's own timer may call it too)."""
            before = len(collections)
            loader._collect_garbage()
            return collections[before:]

        assert collected() == [False]  # the open article's analysis is under way
        stored = loader.enriched

        def stored_then_collect(article, enrichment) -> None:
            stored(article, enrichment)
            assert collected() == [False]  # the result is in, the frame that shows it is still to come
            assert not loader.views_due()

        monkeypatch.setattr(loader, "enriched", stored_then_collect)
        app.main.post_message(Enriched(opened, Enrichment((), (), ())))
        await pilot.pause()
        assert collected() == [True]  # drawn: nothing is waited for
        assert loader.views_due()


async def test_the_highlights_count_as_drawn_once_the_reader_draws_them_and_are_waited_for_a_while_at_most(
    three_articles, monkeypatch
):
    """Not once the screen is next idle: it can be idle before the reader has asked for its repaint, and a
    collection then landed between the result and its frame."""
    app = NewsreaderApp([str(three_articles)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(app, pilot)
        loader, reader = app.main.loader, app.query_one(ReaderPane)
        loader.service = RecordingService()
        app.query_one(ArticleList).cursor = 2
        await pilot.pause()
        loader.enriched(reader.article, Enrichment((), (), ()))
        await app.main._invoke_and_clear_callbacks()  # what an idle screen runs, frame or not
        assert not reader.drawn and loader._user_waiting()
        reader.render_line(0)  # as a frame does
        assert not loader._user_waiting()
        loader.enriched(reader.article, Enrichment((), (), ()))
        assert loader._user_waiting()
        monkeypatch.setattr(loading_module, "HIGHLIGHTS_WAIT", 0.0)
        assert not loader._user_waiting()  # a reader under another screen draws nothing: it is not waited for


async def test_once_the_whole_list_is_drawn_the_archive_and_its_date_orders_leave_the_collectors_sight(
    three_articles, monkeypatch
):
    """A full collection walks what is not frozen: the list of all articles by date must not be among it."""
    monkeypatch.setattr(heap, "FIRST_FREEZE", 2)  # three articles stand for an archive worth freezing
    app = NewsreaderApp([str(three_articles)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(app, pilot)
        await pilot.pause()
        tracked = {id(each) for each in gc.get_objects()}
        orders = [app.store.ordered(newest_first)._articles for newest_first in (True, False)]
        assert [id(order) in tracked for order in orders] == [False, False]
        assert not any(id(article) in tracked for article in app.store)


async def test_a_title_too_long_for_the_row_ends_in_an_ellipsis(tmp_path):
    title = "Очень длинный заголовок " * 10
    (tmp_path / "long.txt").write_bytes(article_bytes(title.strip(), header="date 2025-01-01"))
    app = NewsreaderApp([str(tmp_path)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(app, pilot)
        article_list = app.query_one(ArticleList)
        row = article_list.render_line(0).text.rstrip()
        assert row.endswith("…")
        assert "2025-01-01  Очень длинный" in row
