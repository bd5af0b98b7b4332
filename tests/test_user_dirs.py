"""The app with unusable user folders: it starts, says so once per problem, searches, and keeps read marks."""

import fcntl
import os
import sqlite3

from textual.widgets import Static

from newsreader.search.index import default_index_path
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.screens.warnings import WarningList
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.userdata import state as state_module
from newsreader.userdata.state import ReadingState, default_state_path
from test_search_ui import loaded, make_archive, type_text


async def started(app, pilot) -> ArticleList:
    """Loaded, and the index thread has opened (or failed to open) the index."""
    await loaded(app, pilot)
    for _ in range(100):
        if app.main.archive_index.ready or app.main.archive_index.failed:
            break
        await pilot.pause(0.05)
    return app.query_one(ArticleList)


def warnings_from(app, source: str) -> list[str]:
    return [warning.reason for warning in app.load_warnings if warning.path == source]


async def assert_archive_search_scans(app, pilot) -> None:
    await pilot.press("slash")
    await type_text(pilot, "Москва")
    for _ in range(50):
        if app.main.searching.hits:
            break
        await pilot.pause(0.05)
    article_list = app.query_one(ArticleList)
    assert article_list.row_count == 1 and article_list.article.title == "Новости из Москвы"
    assert "(scanning)" in str(app.query_one("#search-count", Static).visual)
    await pilot.press("escape")


async def test_cache_folder_that_is_a_file_costs_index_cache_snapshot_shelf_and_stories_one_warning_each(
    tmp_path, monkeypatch
):
    cache_home = tmp_path / "cache-home"
    cache_home.write_text("a file where the cache folder should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    app = NewsreaderApp([str(make_archive(tmp_path))], workers=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        while not app.main.loader.service or not app.main.loader.service.idle:
            await pilot.pause(0.1)
        while app.main.stories.stories is None:
            await pilot.pause(0.05)
        await pilot.pause(0.1)
        [index_warning] = warnings_from(app, "search index")
        [cache_warning] = warnings_from(app, "analysis")
        [snapshot_warning] = warnings_from(app, "snapshot")
        [shelf_warning] = warnings_from(app, "analysis results")
        assert str(cache_home) in index_warning and "scans the articles" in index_warning
        assert str(cache_home) in cache_warning and "not cached" in cache_warning
        assert str(cache_home) in snapshot_warning and "next start reads every file" in snapshot_warning
        assert str(cache_home) in shelf_warning and "kept in memory" in shelf_warning
        [stories_warning] = warnings_from(app, "stories")
        assert str(cache_home) in stories_warning and "story signatures not saved" in stories_warning
        assert app.store.enriched_count == len(app.store), "analysis runs without its cache"
        await assert_archive_search_scans(app, pilot)
        await assert_archive_search_scans(app, pilot)
        await pilot.press("w")
        assert app.screen.query_one(WarningList).row_count == 5, "still one warning per problem"
        assert app.is_running


async def test_index_used_by_another_instance_leaves_it_alone_and_scans(tmp_path):
    path = default_index_path()
    path.parent.mkdir(parents=True)
    other_instance = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT)
    fcntl.flock(other_instance, fcntl.LOCK_EX)
    try:
        app = NewsreaderApp([str(make_archive(tmp_path))], enrich=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await started(app, pilot)
            [warning] = warnings_from(app, "search index")
            assert "in use by another newsreader" in warning
            await assert_archive_search_scans(app, pilot)
        assert not path.exists(), "the other instance's index is not touched"
    finally:
        os.close(other_instance)


async def test_state_that_cannot_be_written_keeps_its_saved_marks_and_new_ones_in_memory(tmp_path, monkeypatch):
    archive = make_archive(tmp_path)
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list = await started(app, pilot)
        await pilot.press("enter")
        saved = article_list.article.fingerprint
    before = default_state_path().read_bytes()

    def read_only(*args, **kwargs):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    with monkeypatch.context() as patch:  # undo only this: the XDG folders stay isolated
        patch.setattr(state_module, "open_or_rebuild", read_only)
        app = NewsreaderApp([str(archive)], enrich=False)
        async with app.run_test(size=(120, 40)) as pilot:
            article_list = await started(app, pilot)
            [warning] = warnings_from(app, "reading state")
            assert "readonly" in warning and "in memory" in warning
            assert app.main.reading.read == {saved}, "the saved marks are carried on from"
            assert warnings_from(app, "search index") == [], "the first app let go of the index"
            await pilot.press("j", "N")
            reading = app.main.reading
            assert len(reading.read) == 2 and reading.state.read_fingerprints() == reading.read
            await pilot.press("q")
    assert default_state_path().read_bytes() == before, "the saved state is never overwritten"
    assert ReadingState().read_fingerprints() == {saved}


async def test_state_locked_mid_session_says_so_once_and_marks_still_work(tmp_path, monkeypatch):
    monkeypatch.setattr(state_module, "BUSY_TIMEOUT_SECONDS", 0)
    app = NewsreaderApp([str(make_archive(tmp_path))], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        assert app.load_warnings == []
        other_instance = sqlite3.connect(default_state_path(), isolation_level=None)
        other_instance.execute("BEGIN IMMEDIATE")
        await pilot.press("N", "j", "N", "j", "N")
        [warning] = warnings_from(app, "reading state")
        assert "locked" in warning and "in memory" in warning
        assert len(app.main.reading.read) == 3 and app.main.reading.state.read_fingerprints() == app.main.reading.read
        other_instance.execute("ROLLBACK")
        other_instance.close()


async def test_corrupt_state_is_one_warning_naming_where_it_was_kept(tmp_path):
    path = default_state_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database" * 500)
    app = NewsreaderApp([str(make_archive(tmp_path))], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        [aside] = path.parent.glob("state.sqlite3.corrupt-*")
        assert app.load_warnings[0].path == "reading state" and len(app.load_warnings) == 1
        assert aside.name in app.load_warnings[0].reason and aside.read_bytes() == b"not a database" * 500
        await pilot.press("N")
        assert len(app.main.reading.read) == 1
    assert ReadingState().read_fingerprints() == app.main.reading.read, "the fresh file keeps new marks"


async def test_every_user_folder_a_file_still_starts_reads_and_searches(tmp_path, monkeypatch):
    for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        (tmp_path / name).write_text("a file where a folder should be")
        monkeypatch.setenv(name, str(tmp_path / name))
    app = NewsreaderApp([str(make_archive(tmp_path))], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        while app.main.stories.stories is None:
            await pilot.pause(0.05)
        await pilot.pause()
        paths = ["keymap", "reading state", "search index", "snapshot", "stories"]
        assert sorted(warning.path for warning in app.load_warnings) == paths
        assert all("XDG_" in warning.reason for warning in app.load_warnings), "each names its file"
        await pilot.press("N", "j", "N")
        assert len(app.main.reading.read) == 2 and app.main.reading.state.read_fingerprints() == app.main.reading.read
        await assert_archive_search_scans(app, pilot)
        assert len(app.load_warnings) == 5
