"""A failing background task (loading, analysis start-up, an index task) is one warning, never a crash or silence."""

from concurrent.futures import CancelledError, Future

import pytest

from newsreader.ingest.parse import iter_articles
from newsreader.search.index import SearchIndex
from newsreader.ui.app import NewsreaderApp
from test_search_ui import make_archive
from test_user_dirs import assert_archive_search_scans, started, warnings_from


async def test_an_index_task_that_raises_is_one_warning_and_search_scans(tmp_path, monkeypatch):
    def broken_add(self, articles, writer=None):
        raise RuntimeError("index bug")

    monkeypatch.setattr(SearchIndex, "add", broken_add)
    app = NewsreaderApp([str(make_archive(tmp_path))], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        [warning] = warnings_from(app, "search index")
        assert "RuntimeError: index bug" in warning and "scans the articles" in warning
        await assert_archive_search_scans(app, pilot)
        assert len(app.load_warnings) == 1 and app.is_running


async def test_a_search_that_raises_in_the_index_falls_back_to_a_scan(tmp_path, monkeypatch):
    def broken_search(self, query, store, limit=200):
        raise KeyError("index bug")

    monkeypatch.setattr(SearchIndex, "search", broken_search)
    app = NewsreaderApp([str(make_archive(tmp_path))], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        assert app.main.archive_index.ready
        await assert_archive_search_scans(app, pilot)
        await assert_archive_search_scans(app, pilot)
        [warning] = warnings_from(app, "search index")
        assert "KeyError" in warning and app.is_running


async def test_loading_that_breaks_keeps_what_it_read_and_says_why(tmp_path, monkeypatch):
    def breaks_after_one(paths, **options):
        items = iter_articles(paths, **options)
        yield next(items)
        yield next(items)
        raise OSError("device vanished")

    monkeypatch.setattr("newsreader.ui.controllers.loading.iter_articles", breaks_after_one)
    app = NewsreaderApp([str(make_archive(tmp_path))], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        assert app.main.loader.done and len(app.store) == 2
        [warning] = warnings_from(app, "loading")
        assert "OSError: device vanished" in warning


async def test_analysis_that_cannot_start_is_one_warning_and_reading_goes_on(tmp_path, monkeypatch):
    def no_processes(*args, **kwargs):
        raise OSError("cannot start worker processes")

    monkeypatch.setattr("newsreader.nlp.service.EnrichmentService.__init__", no_processes)
    app = NewsreaderApp([str(make_archive(tmp_path))], workers=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        await pilot.pause(0.2)
        [warning] = warnings_from(app, "analysis")
        assert "cannot start worker processes" in warning and app.main.loader.service is None
        await pilot.press("enter")
        assert app.is_running and len(app.main.reading.read) == 1


async def test_quitting_during_indexing_leaves_the_chunk_for_the_next_run_without_a_warning(tmp_path):
    app = NewsreaderApp([str(make_archive(tmp_path))], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        app.main.archive_index.stop()
        with pytest.raises(CancelledError):
            app.main.archive_index.write_chunk(tmp_path / "unused.sqlite3", 1, [])
        app.main.archive_index.stop()  # again, as unmounting does: nothing more to stop
        future = Future()
        future.set_exception(CancelledError())
        app.main.archive_index.check_task(future)
        await pilot.pause()
        assert warnings_from(app, "search index") == []


async def test_a_search_that_raises_anywhere_is_a_warning_and_a_note_not_a_crash(tmp_path, monkeypatch):
    def broken_parse(query, literal=False):
        raise ValueError("parser [bug]")

    monkeypatch.setattr("newsreader.search.query.parse_query", broken_parse)
    app = NewsreaderApp([str(make_archive(tmp_path))], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        app.main.searching.run_archive_search("Москва", False)
        await app.workers.wait_for_complete()
        await pilot.pause()
        [warning] = warnings_from(app, "archive search")
        assert "ValueError: parser [bug]" in warning and app.is_running
