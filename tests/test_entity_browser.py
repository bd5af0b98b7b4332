"""Pilot tests of the entity browser over the real app, its articles analysed by hand: no NLP models run."""

import threading
from contextlib import asynccontextmanager

import pytest
from textual.widgets import Input, Static

from conftest import article_bytes
from newsreader.ingest.parse import Article
from newsreader.nlp.enrich import Enrichment
from newsreader.nlp.entities import EntityMention
from newsreader.store import facets as facets_module
from newsreader.store.facets import Facets
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.messages import Enriched
from newsreader.ui.screens import entity_browser
from newsreader.ui.screens.entity_browser import CoOccurrenceList, EntityBrowser, EntityTable
from newsreader.ui.screens.entity_panel import EntityPanel
from newsreader.ui.timeline.widget import Timeline
from newsreader.ui.widgets.article_list import ArticleList

HOSTILE_NAME = "[b]x[/b] [@click=app.quit]"
PETROV = ("PER", "Иван Петров", "PER:иван петров")
MOSCOW = ("LOC", "Москва", "LOC:москва")
GAZPROM = ("ORG", "Газпром", "ORG:газпром")
HOSTILE = ("PER", HOSTILE_NAME, f"PER:{HOSTILE_NAME}")
ARTICLES = {  # file: date, title, who and what it names
    "a.txt": ("2025-01-01", "Январская", (PETROV, MOSCOW)),
    "b.txt": ("2025-02-01", "Февральская", (PETROV, GAZPROM, GAZPROM)),
    "c.txt": ("2025-03-01", "Мартовская", (MOSCOW, GAZPROM, HOSTILE)),
    "d.txt": ("2025-04-01", "Апрельская", ()),
}


@pytest.fixture
def archive(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    for name, (date, title, named) in ARTICLES.items():
        body = " ".join(normal for _, normal, _ in named) or "Ничего."
        (folder / name).write_bytes(article_bytes(title, body=body, header=f"date {date}"))
    return folder


def analysis(article: Article) -> Enrichment:
    """What ARTICLES says the article names, at the offsets of its body."""
    named = next(named for _, title, named in ARTICLES.values() if title == article.title)
    mentions, start = [], article.text.index("\n\n") + 2
    for kind, normal, key in named:
        start = article.text.index(normal, start)
        mentions.append(EntityMention(start, start + len(normal), kind, normal, normal, key))
        start += len(normal)
    return Enrichment(tuple(mentions), (), ())


async def started(app, pilot) -> ArticleList:
    await app.workers.wait_for_complete()
    await pilot.pause()
    for article in list(app.store):
        app.main.post_message(Enriched(article, analysis(article)))
    await pilot.pause()
    return app.query_one(ArticleList)


async def settle(app, pilot, limit: float = 20.0) -> None:
    """Until the browser's workers (rebuild, selection, co-occurrence after its delay) have shown their results.
    Polled: `wait_for_complete` raises for a worker cancelled by the next one, as typing does."""
    waited = 0.0
    while waited < limit:
        await pilot.pause(0.1)
        waited += 0.1
        pending_scan = isinstance(app.screen, EntityBrowser) and app.screen._co_timer is not None
        if not pending_scan and all(worker.is_finished for worker in app.workers):
            await pilot.pause()  # what the last worker handed over with call_from_thread
            return
    raise TimeoutError("the entity browser's workers did not finish")


def table_rows(app) -> list[str]:
    table = app.screen.query_one(EntityTable)
    return [table.render_line(row).text.rstrip() for row in range(table.row_count)]


def listed_names(app) -> list[str]:
    """The names of the table's rows, in order."""
    table = app.screen.query_one(EntityTable)
    facets = table.selection.facets
    return [app.store.entity_name(facets.joined_keys(table.selection[row].key)) for row in range(table.row_count)]


def notes(app) -> list:
    return list(app._notifications)


def status(app) -> str:
    return str(app.screen.query_one("#entity-browser-status", Static).visual)


async def press_and_settle(app, pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(app, pilot)


@asynccontextmanager
async def browsing(archive):
    """The app on `archive`, analysed, with the browser open: (app, pilot, the article list)."""
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 30)) as pilot:
        article_list = await started(app, pilot)
        await open_browser(app, pilot)
        yield app, pilot, article_list


async def open_browser(app, pilot) -> None:
    await pilot.press("e")
    assert isinstance(app.screen, EntityBrowser)
    await settle(app, pilot)


async def test_e_lists_every_entity_with_counts_and_hostile_names_literally(archive):
    async with browsing(archive) as (app, pilot, _):
        assert listed_names(app) == ["Газпром", "Иван Петров", "Москва", HOSTILE_NAME]
        rows = table_rows(app)
        assert rows[0].split()[:2] == ["ORG", "Газпром"] and rows[0].split()[-3:] == ["3", "2", "2025-02-01"]
        assert HOSTILE_NAME in rows[3] and app.is_running
        assert status(app).startswith("4 of 4 entities · sorted by mentions")


async def test_q_is_a_letter_of_the_filter_not_quit(archive):
    async with browsing(archive) as (app, pilot, _):
        await press_and_settle(app, pilot, "q")
        assert app.is_running and app.screen.query_one("#entity-filter", Input).value == "q"
        assert listed_names(app) == [HOSTILE_NAME], "the only name with a q: quit, in its markup, did nothing"


async def test_sort_toggle_a_type_and_type_to_filter(archive):
    async with browsing(archive) as (app, pilot, _):
        await press_and_settle(app, pilot, "s")
        assert listed_names(app)[:3] == [HOSTILE_NAME, "Газпром", "Иван Петров"] and "by name" in status(app)
        await press_and_settle(app, pilot, "s")
        assert listed_names(app) == ["Иван Петров", "Москва", "Газпром", HOSTILE_NAME], "by first date"
        await press_and_settle(app, pilot, "s", "1")
        assert listed_names(app) == ["Газпром", "Москва"] and "1:---" in status(app)
        await press_and_settle(app, pilot, "1", "м", "о")
        filter_input = app.screen.query_one("#entity-filter", Input)
        assert filter_input.value == "мо" and app.focused is filter_input, "a letter starts the filter"
        assert listed_names(app) == ["Москва"]
        await press_and_settle(app, pilot, "backspace", "backspace", "down")
        assert len(listed_names(app)) == 4 and app.focused is app.screen.query_one(EntityTable)
        await pilot.press("z")
        assert filter_input.value == "z" and app.is_running, "z is a letter of the filter"
        await settle(app, pilot)
        assert listed_names(app) == []
        co_occurring = app.screen.query_one(CoOccurrenceList)
        assert str(co_occurring.border_title) == "Appears with" and co_occurring.row_count == 0, "no stale name"


async def test_select_two_and_filter_the_list_by_all_then_any_escape_clears(archive):
    async with browsing(archive) as (app, pilot, article_list):
        await pilot.press("space", "space")  # Газпром, Иван Петров
        assert "2 selected" in status(app) and table_rows(app)[0].startswith(" ✓ ")
        await pilot.press("f")
        assert not isinstance(app.screen, EntityBrowser)
        assert app.main.reading.filter_keys == ("ORG:газпром", "PER:иван петров")
        assert [article_list.article_at(i).title for i in range(article_list.row_count)] == ["Февральская"]
        assert str(article_list.border_title) == "Articles · Газпром & Иван Петров"
        timeline = app.main.query_one(Timeline)
        assert str(timeline.border_title).startswith("Timeline · Газпром & Иван Петров · "), "the filter, not its first"
        await pilot.press("escape")
        assert app.main.reading.filter_keys == () and article_list.row_count == 4
        await open_browser(app, pilot)
        await pilot.press("space", "space", "F")
        titles = [article_list.article_at(i).title for i in range(article_list.row_count)]
        assert titles == ["Мартовская", "Февральская", "Январская"]
        assert str(article_list.border_title) == "Articles · Газпром or Иван Петров"
        await pilot.press("escape")
        assert article_list.row_count == 4


async def test_co_occurrence_of_the_highlighted_entity_jumps_to_the_shared_articles(archive):
    async with browsing(archive) as (app, pilot, article_list):
        co_occurring = app.screen.query_one(CoOccurrenceList)
        assert co_occurring.found.key == "ORG:газпром"
        assert sorted(co_occurring.found.counts) == [("LOC:москва", 1), (HOSTILE[2], 1), ("PER:иван петров", 1)]
        assert str(co_occurring.border_title) == "Appears with Газпром"
        await press_and_settle(app, pilot, "j")
        assert co_occurring.found.key == "PER:иван петров"
        assert co_occurring.found.counts == [("LOC:москва", 1), ("ORG:газпром", 1)]
        await pilot.press("tab", "enter")  # Москва: the articles naming Иван Петров and Москва
        assert app.main.reading.filter_keys == ("PER:иван петров", "LOC:москва")
        assert [article_list.article_at(i).title for i in range(article_list.row_count)] == ["Январская"]


async def test_escape_from_an_entity_panel_comes_back_to_the_browser_as_it_was(archive):
    async with browsing(archive) as (app, pilot, _):
        await press_and_settle(app, pilot, "s", "2")  # by name, organisations hidden
        await press_and_settle(app, pilot, "о")
        await pilot.press("down", "j", "space", "k")  # Москва selected; back up to Иван Петров
        browser, table = app.screen, app.screen.query_one(EntityTable)
        assert listed_names(app) == ["Иван Петров", "Москва"] and table.key == "PER:иван петров"
        await pilot.press("enter")
        assert isinstance(app.screen, EntityPanel) and app.screen.key == "PER:иван петров"
        await pilot.press("escape")
        assert app.screen is browser, "back to the browser, not the article list"
        assert browser.query_one("#entity-filter", Input).value == "о" and "2:---" in status(app)
        assert table.key == "PER:иван петров" and list(table.marked) == ["LOC:москва"]
        assert listed_names(app) == ["Иван Петров", "Москва"] and "by name" in status(app)
        await pilot.press("slash", "escape")
        assert app.screen is browser, "escape leaves the filter first"
        await pilot.press("escape")
        assert not isinstance(app.screen, EntityBrowser) and app.main.reading.filter_keys == ()


async def test_a_choice_in_the_panel_opened_from_the_browser_closes_both(archive):
    async with browsing(archive) as (app, pilot, article_list):
        await pilot.press("j", "enter")  # Иван Петров
        assert isinstance(app.screen, EntityPanel)
        await pilot.press("f")
        await pilot.pause()
        assert app.screen is app.main and app.main.reading.filter_keys == ("PER:иван петров",)
        assert [article_list.article_at(i).title for i in range(article_list.row_count)] == [
            "Февральская",
            "Январская",
        ]


async def test_the_browser_opens_again_on_the_counts_last_made(archive):
    async with browsing(archive) as (app, pilot, _):
        made = app.screen.facets
        await pilot.press("escape")
        await pilot.press("e")
        assert app.screen.facets is made and not app.screen._building, "nothing new: no rebuild"
        await settle(app, pilot)
        assert listed_names(app) == ["Газпром", "Иван Петров", "Москва", HOSTILE_NAME]


async def test_the_first_rows_are_listed_while_every_row_is_sorted(archive, monkeypatch):
    sorting, sorted_order = threading.Event(), Facets.order

    def held_order(facets, sort):
        sorting.wait(10)
        return sorted_order(facets, sort)

    monkeypatch.setattr(facets_module, "SAMPLE", 2)  # four rows: found through a sample's threshold,
    monkeypatch.setattr(facets_module, "FEW_ROWS", 1)  # which all four may reach
    monkeypatch.setattr(entity_browser, "FIRST_ROWS", 1)
    monkeypatch.setattr(Facets, "order", held_order)
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        await pilot.press("e")
        table = app.screen.query_one(EntityTable)
        for _ in range(50):
            await pilot.pause(0.05)
            if table.row_count:
                break
        assert listed_names(app) == ["Газпром"]
        assert status(app).startswith("the first 1 of 4 entities, sorting…")
        sorting.set()
        await settle(app, pilot)
        assert listed_names(app) == ["Газпром", "Иван Петров", "Москва", HOSTILE_NAME]
        assert status(app).startswith("4 of 4 entities")


async def test_a_failed_rebuild_is_reported_and_the_next_one_runs(archive, monkeypatch):
    async with browsing(archive) as (app, pilot, _):
        browser, made = app.screen, app.store.facets

        def broken(table):
            raise OSError("disk gone")

        monkeypatch.setattr(app.store, "facets", broken)
        browser._rebuild()  # as new analysis starts it
        await settle(app, pilot)
        assert not browser._building and any("entity counts: OSError: disk gone" in str(n.message) for n in notes(app))
        monkeypatch.setattr(app.store, "facets", made)
        browser._rebuild()
        await settle(app, pilot)
        assert not browser._building and status(app).startswith("4 of 4 entities")


async def test_another_workers_failure_does_not_end_a_rebuild(archive, monkeypatch):
    async with browsing(archive) as (app, pilot, _):
        browser = app.screen

        def broken(facets, key, cap):
            raise ValueError("scan broke")

        monkeypatch.setattr(app.store, "co_occurrence", broken)
        browser._building = True  # as while a rebuild runs
        await press_and_settle(app, pilot, "j")
        assert any("co-occurrence list: ValueError: scan broke" in str(n.message) for n in notes(app))
        assert browser._building, "only the rebuild's own failure says it is over"


async def test_the_browser_follows_analysis(archive):
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await open_browser(app, pilot)
        assert table_rows(app) == [] and status(app).startswith("0 of 0 entities")
        for article in list(app.store):
            app.main.post_message(Enriched(article, analysis(article)))
        await pilot.pause()
        app.main.corpus_updated.publish(None)  # as the main screen's refresh does, at most once a second
        await settle(app, pilot)
        assert listed_names(app) == ["Газпром", "Иван Петров", "Москва", HOSTILE_NAME]


async def test_palette_opens_the_browser(archive):
    app = NewsreaderApp([str(archive)], enrich=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await started(app, pilot)
        await pilot.press("ctrl+p", *"Browse entities")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EntityBrowser)


def test_snapshot(snap_compare, archive):
    async def open_it(pilot):
        await started(pilot.app, pilot)
        await open_browser(pilot.app, pilot)
        await pilot.press("space")
        await settle(pilot.app, pilot)

    assert snap_compare(NewsreaderApp([str(archive)], enrich=False), terminal_size=(110, 26), run_before=open_it)
