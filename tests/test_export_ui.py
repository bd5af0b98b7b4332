"""The reader's export: the list as it is (all, an entity's articles, a search's results) to a file it asks for."""

import contextlib
import csv
import json

import pytest
from textual.widgets import Input

from newsreader.ui.app import NewsreaderApp
from newsreader.ui.screens.line_prompt import LinePrompt
from test_reading import archive, palette_prompts, seed_enrichment, start  # noqa: F401 (two fixtures)

BELOUSOV = "PER:евгений белоусов"


@pytest.fixture
def reader(request):
    """test_reading's archive (the seed, then three plain articles) and the seed's analysis."""
    return request.getfixturevalue("archive"), request.getfixturevalue("seed_enrichment")


@contextlib.asynccontextmanager
async def started(reader):
    """The reader on test_reading's archive, the seed analysed."""
    folder, analysis = reader
    app = NewsreaderApp([str(folder)], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(app, pilot, analysis)
        yield app, pilot


def notifications(app):
    return [(notification.message, notification.severity) for notification in app._notifications]


async def write_through_prompt(app, pilot, path):
    assert isinstance(app.screen, LinePrompt)
    app.screen.query_one(Input).value = str(path)
    await pilot.press("enter")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_palette_exports_the_whole_list_as_csv(reader, tmp_path):
    output = tmp_path / "list.csv"
    async with started(reader) as (app, pilot):
        prompts = await palette_prompts(app, pilot, "Export the list")
        assert "Export the list: articles as CSV…" in prompts and "Export the list: entity network as GEXF…" in prompts
        await pilot.press("escape")
        await pilot.press("ctrl+p", *"Export the list: articles as CSV")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        await write_through_prompt(app, pilot, output)
        assert (f"Exported 4 articles to {output}", "information") in notifications(app)
        assert not any(message.startswith("Exporting") for message, _ in notifications(app)), "too short to say"
    with open(output, encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [row["id"] for row in rows] == ["seed.txt", "c.txt", "b.txt", "a.txt"], "the list's order"
    assert "Евгений Белоусов" in rows[0]["persons"]


async def test_a_long_export_says_it_has_begun(reader, tmp_path, monkeypatch):
    monkeypatch.setattr("newsreader.ui.controllers.exporting.SAY_STARTED_FROM", 4)
    async with started(reader) as (app, pilot):
        await pilot.press("ctrl+p", *"Export the list: articles as CSV")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        await write_through_prompt(app, pilot, tmp_path / "list.csv")
        said = [message for message, _ in notifications(app)]
        assert said.index(f"Exporting 4 articles to {tmp_path / 'list.csv'}…") < said.index(
            f"Exported 4 articles to {tmp_path / 'list.csv'}"
        )


async def test_an_entitys_articles_are_exported_with_their_network(reader, tmp_path):
    lines, table = tmp_path / "belousov.jsonl", tmp_path / "entities.csv"
    async with started(reader) as (app, pilot):
        app.main.reading.filter_by_entity(BELOUSOV)
        await pilot.pause()
        for format_name, output in (("jsonl", lines), ("entities-csv", table)):
            app.main.exporting.ask(format_name)
            await pilot.pause()
            assert "(Евгений Белоусов)" in str(app.screen.query_one("#line-prompt").border_title)
            await write_through_prompt(app, pilot, output)
    [record] = [json.loads(line) for line in lines.read_text("utf-8").splitlines()]
    assert record["id"] == "seed.txt" and BELOUSOV in {entity["key"] for entity in record["entities"]}
    with open(table, encoding="utf-8-sig", newline="") as file:
        keys = {row["key"]: row for row in csv.DictReader(file)}
    assert keys[BELOUSOV]["articles"] == "1" and "LOC:баку" in keys


async def test_a_searchs_results_are_exported(reader, tmp_path):
    output = tmp_path / "found.csv"
    async with started(reader) as (app, pilot):
        app.main.searching.search_archive("Февральская")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.main.exporting.ask("csv")
        await pilot.pause()
        await write_through_prompt(app, pilot, output)
    with open(output, encoding="utf-8-sig", newline="") as file:
        assert [row["id"] for row in csv.DictReader(file)] == ["b.txt"]


async def test_a_failed_export_is_said_and_leaves_nothing(reader, tmp_path):
    output = tmp_path / "missing" / "list.gexf"
    async with started(reader) as (app, pilot):
        app.main.exporting.ask("gexf")
        await pilot.pause()
        await write_through_prompt(app, pilot, output)
        expected = f"{output}: cannot export (No such file or directory); nothing written"
        assert (expected, "error") in notifications(app)
        assert any(warning.reason == expected for warning in app.load_warnings), "listed among the warnings too"
        assert app.is_running
    assert not output.parent.exists()


async def test_escape_exports_nothing(reader, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    async with started(reader) as (app, pilot):
        app.main.exporting.ask("timelinejs")
        await pilot.pause()
        assert app.screen.query_one(Input).value == str(tmp_path / "newsreader-timeline.json")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, LinePrompt)
        assert not [worker for worker in app.workers if worker.group == "export"]
    assert [path.name for path in tmp_path.iterdir()] == ["archive"]


async def test_a_search_listing_its_best_hits_says_so_and_exports_every_one(reader, tmp_path, monkeypatch):
    monkeypatch.setattr("newsreader.search.results.RESULT_LIMIT", 2)
    output = tmp_path / "every.csv"
    async with started(reader) as (app, pilot):
        app.main.searching.search_archive("министрами")  # a, b and c
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        article_list = app.main.query_one("ArticleList")
        assert article_list.row_count == 2 and str(article_list.border_title) == "Search · the best 2 results"
        app.main.exporting.ask("csv")
        await pilot.pause()
        assert "every article it finds (министрами)" in str(app.screen.query_one("#line-prompt").border_title)
        await write_through_prompt(app, pilot, output)
    with open(output, encoding="utf-8-sig", newline="") as file:
        assert sorted(row["id"] for row in csv.DictReader(file)) == ["a.txt", "b.txt", "c.txt"]


async def test_a_file_that_exists_is_replaced_only_when_the_user_says_so(reader, tmp_path):
    output = tmp_path / "kept.csv"
    output.write_text("old", "utf-8")
    async with started(reader) as (app, pilot):
        app.main.exporting.ask("csv")
        await pilot.pause()
        await write_through_prompt(app, pilot, output)
        assert isinstance(app.screen, LinePrompt) and "exists: replace it?" in str(
            app.screen.query_one("#line-prompt").border_title
        )
        await pilot.press("escape")
        await pilot.pause()
        assert output.read_text("utf-8") == "old" and not isinstance(app.screen, LinePrompt)
        app.main.exporting.ask("csv")
        await pilot.pause()
        await write_through_prompt(app, pilot, output)
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert (f"Exported 4 articles to {output}", "information") in notifications(app)
    assert output.read_text("utf-8-sig").startswith("id,")


async def test_json_lines_from_the_reader_give_each_article_its_story(tmp_path):
    from story_corpus import six_reports_each
    from test_stories import write_archive

    texts = six_reports_each()
    write_archive(tmp_path / "stories", texts[:6] + texts[-1:])  # one story of six reports, one lone article
    output = tmp_path / "stories.jsonl"
    app = NewsreaderApp([str(tmp_path / "stories")], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(200):
            if app.main.stories.stories is not None:
                break
            await pilot.pause(0.05)
        app.main.exporting.ask("jsonl")
        await pilot.pause()
        await write_through_prompt(app, pilot, output)
    stories = [json.loads(line)["story"] for line in output.read_text("utf-8").splitlines()]
    assert len(stories) == 7 and sorted(map(stories.count, set(stories))) == [1, 6]
