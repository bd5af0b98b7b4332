"""Pilot tests of stories across outlets: the list collapses a story to one row with its count, the reader's
"also reported by" opens the other reports, the work runs in the background and its failures are warnings."""

import threading

import pytest
from textual.widgets import Static

from newsreader.cache_folder import cache_folder
from newsreader.store import stories as store_stories
from newsreader.store import story_cache
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.controllers import stories as story_controller
from newsreader.ui.controllers.stories import StoriesProgress
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.reader import ReaderPane
from newsreader.ui.widgets.story_reports import StoryReports
from story_corpus import six_reports_each
from test_stories import write_archive


@pytest.fixture
def archive(tmp_path):
    """Two stories of six reports each (outlet0.ru … outlet5.ru) and one lone article: 13 files."""
    texts = six_reports_each()
    write_archive(tmp_path, texts[:12] + texts[-1:])
    return tmp_path


async def stories_found(app, pilot):
    await app.workers.wait_for_complete()
    for _ in range(200):
        if app.main.stories.stories is not None:
            break
        await pilot.pause(0.05)
    await pilot.pause()
    assert app.main.stories.stories is not None, "the stories were found"
    return app.query_one(ArticleList), app.query_one(ReaderPane), app.query_one(StoryReports)


def row_text(article_list: ArticleList, index: int) -> str:
    return "".join(segment.text for segment in article_list.render_row(index, 60))


def status(app) -> str:
    return str(app.query_one("#status", Static).render())


async def test_c_collapses_each_story_to_one_row_with_its_count_and_back(archive):
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list, reader, _ = await stories_found(app, pilot)
        assert "2 stories" in status(app)
        assert article_list.row_count == 13
        await pilot.press("j", "enter")
        opened = reader.article
        await pilot.press("escape", "c")
        assert article_list.row_count == 3
        counts = sorted(row_text(article_list, index).count("×6") for index in range(3))
        assert counts == [0, 1, 1]
        story = app.main.stories.stories.story(opened.fingerprint)
        under_cursor = article_list.article
        assert app.main.stories.stories.story(under_cursor.fingerprint) == story, "the cursor stays on its story"
        await pilot.pause(0.1)
        assert reader.article is opened, "the reader keeps the report being read"
        await pilot.press("c")
        assert article_list.row_count == 13
        assert all("×" not in row_text(article_list, index) for index in range(13))


async def test_the_reader_says_also_reported_by_and_a_click_opens_one(archive):
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list, reader, reports = await stories_found(app, pilot)
        await pilot.press("G", "enter")  # the oldest: a report of the first story
        assert reports.display and reports.border_title == "Also reported by 5"
        lines = [reports.get_option_at_index(index).prompt.plain for index in range(reports.option_count)]
        outlets = {line.split(" · ")[0] for line in lines}
        assert len(outlets) == 5 and all(outlet.startswith("outlet") and outlet.endswith(".ru") for outlet in outlets)
        assert all(" · 2024-05-01 · " in line for line in lines), "outlet, date, title"
        shown, wanted = reader.article, reports.reports[1]
        assert shown.id.split("/")[0] not in outlets, "the others, not the article read"
        await pilot.click(StoryReports, offset=(4, 2))  # the second report (the border is row 0)
        await pilot.pause()
        assert reader.article.id == wanted.id
        assert shown.id in {each.id for each in reports.reports}, "now the article read before is another report"


def _lines(reports: StoryReports) -> list[str]:
    return [reports.get_option_at_index(index).prompt.plain for index in range(reports.option_count)]


async def test_enter_on_a_report_opens_it_and_a_lone_article_says_it_has_none(archive):
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list, reader, reports = await stories_found(app, pilot)
        lone = next(
            index
            for index in range(article_list.row_count)
            if not app.main.stories.others(article_list.article_at(index))
        )
        article_list.cursor = lone
        await pilot.press("enter")
        assert reports.display and reports.reports == [] and reports.border_title == "Also reported by"
        assert _lines(reports) == ["no other outlet reports this story"]
        height = reader.size.height
        article_list.cursor = (lone + 1) % article_list.row_count
        await pilot.press("enter")
        assert len(reports.reports) == 5 and reader.size.height == height, "the reader keeps its height"
        wanted = reports.reports[2]
        reports.focus()
        await pilot.press("home", "down", "down", "enter")
        await pilot.pause()
        assert reader.article.id == wanted.id
        assert article_list.article.id == wanted.id, "the list follows to the report opened"


async def test_r_in_the_list_opens_the_next_report_of_the_story(archive):
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list, reader, _ = await stories_found(app, pilot)
        await pilot.press("G", "enter", "escape")
        story = app.main.stories.stories.story(reader.article.fingerprint)
        seen = {reader.article.id}
        for _ in range(5):
            await pilot.press("r")
            await pilot.pause()
            assert app.main.stories.stories.story(reader.article.fingerprint) == story
            seen.add(reader.article.id)
            article_list.focus()
        assert len(seen) == 6, "r walks every report of the story"


async def test_r_steps_through_a_collapsed_story_from_the_list_or_the_reader(archive):
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list, reader, _ = await stories_found(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        row = next(i for i in range(article_list.row_count) if article_list._articles.reports(i) == 6)
        article_list.cursor = row
        seen = set()
        for _ in range(6):
            await pilot.press("r")  # the first from the list; then the reader has focus, and r goes on there
            await pilot.pause()
            seen.add(reader.article.id)
            assert article_list.cursor == row, "the cursor stays on the story's row"
        assert len(seen) == 6, "r walks every report of the collapsed story, from the reader too"


async def test_c_leaves_a_searchs_results_as_they_are_and_says_why(archive):
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list, _, _ = await stories_found(app, pilot)
        app.main.searching.search_archive("src:outlet0.ru")
        for _ in range(100):
            await pilot.pause(0.05)
            if app.main.searching.hits:
                break
        article_list.focus()
        found = [article_list.article_at(i).id for i in range(article_list.row_count)]
        await pilot.press("c")
        await pilot.pause()
        assert [article_list.article_at(i).id for i in range(article_list.row_count)] == found
        assert len(found) == 2 and app.main.searching.archive_query == "src:outlet0.ru"
        assert not app.main.stories.collapsed
        assert any("Escape leaves the search, then c" in str(n.message) for n in app._notifications)


async def test_untrusted_outlets_and_titles_are_shown_as_written(tmp_path):
    write_archive(tmp_path, six_reports_each()[:2])
    hostile = tmp_path / "[b]x[@click=app.quit]"
    (tmp_path / "outlet1.ru").rename(hostile)
    [file] = hostile.rglob("*.txt")
    lines = file.read_text("utf-8").split("\n")
    file.write_text("\n".join([lines[0], "[@click=app.quit]Заголовок[/]", *lines[2:]]), "utf-8")
    app = NewsreaderApp([str(tmp_path)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list, reader, reports = await stories_found(app, pilot)
        article_list.cursor = next(
            index for index in range(2) if article_list.article_at(index).id.startswith("outlet0")
        )
        await pilot.press("enter")
        assert _lines(reports) == ["[b]x[@click=app.quit] · 2024-05-01 · [@click=app.quit]Заголовок[/]"]
        await pilot.click(StoryReports, offset=(4, 1))
        await pilot.pause()
        assert app.is_running and reader.article.title == "[@click=app.quit]Заголовок[/]"


async def test_a_big_archive_is_hashed_in_the_background_process_with_progress_shown(archive, monkeypatch):
    monkeypatch.setattr(story_controller, "IN_PROCESS_BELOW", 1)
    monkeypatch.setattr(store_stories, "CHUNK", 5)
    told: list[tuple[int, int]] = []
    original = story_controller.StoriesController._told

    def telling(self, hashed: int, to_hash: int) -> None:
        told.append((hashed, to_hash))
        original(self, hashed, to_hash)

    monkeypatch.setattr(story_controller.StoriesController, "_told", telling)
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await stories_found(app, pilot)
        assert told == [(5, 13), (10, 13), (13, 13)]
        assert len(app.main.stories.stories) == 2
        app.main.post_message(StoriesProgress(500, 2000))
        await pilot.pause()
        assert "hashing stories 500/2,000" in status(app)
        app.main.post_message(StoriesProgress(0, 0))
        await pilot.pause()
        assert "grouping stories" in status(app)


async def test_a_failure_is_a_warning_and_the_list_stays_whole(archive, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("no signatures today")

    monkeypatch.setattr(story_cache, "find_stories", broken)
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        for _ in range(100):
            if any(warning.path == "stories" for warning in app.load_warnings):
                break
            await pilot.pause(0.05)
        [warning] = [warning for warning in app.load_warnings if warning.path == "stories"]
        assert warning.reason == "stories across outlets not found (RuntimeError: no signatures today)"
        await pilot.press("c")
        assert app.query_one(ArticleList).row_count == 13
        await pilot.press("enter")
        assert not app.query_one(StoryReports).display, "no stories: no line for them"


async def test_a_damaged_signature_cache_is_a_warning_naming_it(archive, isolated_user_dirs):
    cache = story_cache.SignatureCache()
    cache.path.parent.mkdir(parents=True)
    cache.path.write_bytes(cache.header() + b"\x05")
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await stories_found(app, pilot)
        await pilot.pause()
        reasons = [warning.reason for warning in app.load_warnings if warning.path == "stories"]
        assert reasons == [f"{cache.path}: story signatures damaged (cut short); every article is hashed again"]
        assert len(app.main.stories.stories) == 2


async def test_a_collapsed_list_exports_every_article_of_its_stories(archive):
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list, _, _ = await stories_found(app, pilot)
        await pilot.press("c")
        articles, what = app.main.exporting.listed()
        assert article_list.row_count == 3 and len(articles) == 13 and what == "all articles"


class CollapsedWhere(store_stories.CollapsedView):
    """CollapsedView, noting the thread it is made on."""

    threads: list[str] = []

    def __init__(self, *args) -> None:
        self.threads.append(threading.current_thread().name)
        super().__init__(*args)


async def collapsed_ready(app, pilot) -> None:
    for _ in range(100):
        if CollapsedWhere.threads:
            break
        await pilot.pause(0.05)
    await pilot.pause()


async def test_c_shows_the_list_collapsed_on_the_stories_thread(archive, monkeypatch):
    monkeypatch.setattr(store_stories, "CollapsedView", CollapsedWhere)
    monkeypatch.setattr(CollapsedWhere, "threads", [])
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list, _, _ = await stories_found(app, pilot)
        await collapsed_ready(app, pilot)
        await pilot.press("c")
        assert article_list.row_count == 3
        await pilot.press("c", "c")
        assert article_list.row_count == 3
        assert len(CollapsedWhere.threads) == 1 and CollapsedWhere.threads[0].startswith("stories")


async def test_a_warm_start_shows_the_stories_cached_without_hashing_or_grouping(archive):
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await stories_found(app, pilot)
        first = app.main.stories.stories
    [groups] = cache_folder().glob("stories/groups-*.bin")
    written = groups.stat().st_mtime_ns, groups.read_bytes()
    signatures = story_cache.SignatureCache()
    signatures.path.write_bytes(b"damaged")  # read to hash or group, it would be a warning
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list, _, _ = await stories_found(app, pilot)
        assert app.main.stories.stories == first
        await pilot.press("c")
        assert article_list.row_count == 3
        assert [warning for warning in app.load_warnings if warning.path == "stories"] == []
    assert (groups.stat().st_mtime_ns, groups.read_bytes()) == written, "the stories were read, not written again"
