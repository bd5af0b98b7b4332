"""Batch search from the reader: a file of queries, every article any of them finds listed, each count said."""

from conftest import article_bytes
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.widgets.article_list import ArticleList


def listed(app) -> list[str]:
    article_list = app.query_one(ArticleList)
    return sorted(article_list.article_at(row).title for row in range(article_list.row_count))


async def test_a_file_of_queries_lists_every_article_found_and_escape_leaves_it(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    for name, title, body in [
        ("a.txt", "Суд", "Суд в Москве отложил заседание."),
        ("b.txt", "Погода", "В Казани тепло."),
        ("c.txt", "Выборы", "Выборы в Казани прошли спокойно."),
    ]:
        (folder / name).write_bytes(article_bytes(title, body=body))
    queries = tmp_path / "queries.txt"
    queries.write_text("# города\nМосква\nКазань\n\ndate:2020-13-45 суд\n[b]x[/b]\n", encoding="utf-8")
    app = NewsreaderApp([str(folder)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.main.batch_search.start(str(queries))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert listed(app) == ["Выборы", "Погода", "Суд"]
        assert app.query_one(ArticleList).border_title.startswith("Search · 3 results")
        notes = [notification.message for notification in app._notifications]
        assert any("queries.txt: 4 queries, 3 articles" in note and "Казань: 2" in note for note in notes)
        warnings = [str(warning) for warning in app.load_warnings]
        assert any("queries.txt, line 5" in warning and "2020-13-45" in warning for warning in warnings)
        await pilot.press("escape")
        await pilot.pause()
        assert len(listed(app)) == 3 and app.main.searching.archive_query is None


async def test_an_unreadable_file_is_said_and_the_list_stays(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a.txt").write_bytes(article_bytes("Суд", body="Суд в Москве."))
    app = NewsreaderApp([str(folder)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.main.batch_search.start(str(tmp_path / "missing.txt"))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert listed(app) == ["Суд"] and app.is_running
        assert any("Cannot read" in notification.message for notification in app._notifications)
