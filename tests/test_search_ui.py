"""Pilot tests of both search bars: in the open article and across the archive."""

from textual import events
from textual.widgets import Input, Static

from conftest import SEED_FILE, article_bytes
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.reader import ReaderPane
from newsreader.ui.widgets.search_bar import SearchBar


def make_archive(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "seed.txt").write_bytes(SEED_FILE.read_bytes())
    moscow = article_bytes("Новости из Москвы", body="Жители Москвы обсуждают погоду.\n\nВ Москве тепло.")
    (folder / "a.txt").write_bytes(moscow)
    brackets = article_bytes("Скобки [/] и [@click=app.quit]", body="Текст со скобками [/] внутри.")
    (folder / "b.txt").write_bytes(brackets)
    return folder


async def loaded(app, pilot):
    await app.workers.wait_for_complete()
    while not app.main.loader.done:
        await pilot.pause(0.05)
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    """Type, then wait for the word-form pass that follows a pause in typing."""
    await pilot.press(*[{" ": "space"}.get(char, char) for char in text])
    await pilot.pause(0.3)


def texts(reader: ReaderPane) -> list[str]:
    return [reader.article.text[start:end] for start, end in reader.matches]


async def test_find_in_article_is_morphological_and_n_walks_matches(tmp_path):
    app = NewsreaderApp([str(make_archive(tmp_path))], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(app, pilot)
        reader = app.query_one(ReaderPane)
        await pilot.press("enter", "slash")
        assert app.query_one(SearchBar).display and isinstance(app.focused, Input)
        await type_text(pilot, "россиянин")
        found = texts(reader)
        assert len(found) >= 3 and {text.lower() for text in found} >= {"россиян"}
        assert "match 1/" in reader.border_subtitle
        assert "match 1/" in str(app.query_one("#search-count", Static).visual)
        await pilot.press("enter")
        assert app.focused is reader
        await pilot.press("n")
        assert reader.current_match == 1
        await pilot.press("N", "N")
        assert reader.current_match == len(found) - 1, "wraps around"
        await pilot.press("slash", "escape")
        assert reader.matches == [] and not app.query_one(SearchBar).display


async def test_exact_mode_and_hostile_queries_are_literal(tmp_path):
    app = NewsreaderApp([str(make_archive(tmp_path))], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(app, pilot)
        reader = app.query_one(ReaderPane)
        await pilot.press("enter", "slash", "ctrl+t")
        await type_text(pilot, "россиянин")
        assert reader.matches == [], "exact mode: only the typed form"
        assert "no matches" in reader.border_subtitle
        await pilot.press("escape")
        article_list = app.query_one(ArticleList)
        article_list.cursor = next(i for i in range(3) if article_list.article_at(i).title.startswith("Скобки"))
        await pilot.press("enter", "slash")
        await type_text(pilot, "[/]")
        assert texts(reader) == ["[/]", "[/]"]
        assert app.is_running


async def test_n_without_a_search_is_next_unread(tmp_path):
    app = NewsreaderApp([str(make_archive(tmp_path))], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(app, pilot)
        await pilot.press("enter", "n")
        assert app.query_one(ArticleList).cursor == 1


async def test_archive_search_filters_ranks_carries_the_query_and_escape_restores(tmp_path):
    app = NewsreaderApp([str(make_archive(tmp_path))], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(app, pilot)
        article_list = app.query_one(ArticleList)
        article_list.cursor = 2
        before = article_list.article
        await pilot.press("slash")
        await type_text(pilot, "Москва")
        for _ in range(50):
            await pilot.pause(0.05)
            if app.main.searching.hits:
                break
        assert article_list.row_count == 1 and article_list.article.title == "Новости из Москвы"
        width = article_list.scrollable_content_region.width  # as wide as the list is at 120 columns
        row = "".join(segment.text for segment in article_list.render_row(0, width))
        assert "Москв" in row[:width].split("—", 1)[1], "a snippet around the match, in sight"
        await pilot.press("enter")
        assert app.focused is article_list
        await pilot.press("enter")
        reader = app.query_one(ReaderPane)
        assert {text for text in texts(reader)} >= {"Москвы", "Москве"}
        await pilot.press("escape", "escape")
        assert article_list.row_count == 3 and article_list.article is before


HOSTILE_QUERIES = [
    '"unbalanced',
    "NEAR(Москва OR",
    "'; DROP TABLE documents; --",
    "Москва\x00",
    "\ud800\udcff",
    "😀 \u200b\u202e",
    "\x1b[31mМосква\x1b]0;title\x07",
    "date:2020-13-45",
    "date:..",
    "date:99999-01-01",
    "date:",
    "per:",
    "{forms}: * ^",
    "[bold]Москва[/]",
    "Москва " * 17_000,
]
UNSEARCHABLE = "\x00\ud800\udcff😀 \u200b\u202e"  # characters of a query that leave no word to search for


def count_text(app) -> str:
    return str(app.query_one("#search-count", Static).visual)


async def paste(app, pilot, text: str) -> None:
    """What a terminal's bracketed paste delivers to the focused input, then every search it started."""
    search_input = app.query_one("#search-input", Input)
    search_input.value = ""
    search_input.post_message(events.Paste(text))
    await pilot.pause(0.2)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_hostile_text_in_the_archive_bar_answers_with_a_count_or_a_problem(tmp_path):
    app = NewsreaderApp([str(make_archive(tmp_path))], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(app, pilot)
        await pilot.press("slash")
        for query in HOSTILE_QUERIES:
            await paste(app, pilot, query)
            assert app.is_running and app.query_one(SearchBar).display
            if query.strip(UNSEARCHABLE):
                assert " articles" in count_text(app) or " article" in count_text(app), query[:40]
        await paste(app, pilot, "😀 [/]")
        assert "0 articles" in count_text(app) and "Ctrl+T searches exact text" in count_text(app)
        await paste(app, pilot, "date:2020-13-45 Москва")
        assert "date:2020-13-45 is no date" in count_text(app)
        await paste(app, pilot, 'date:"с 3 по 7 марта 2019"')
        assert "0 articles · dated 2019-03-03 to 2019-03-07" in count_text(app), "what the words were read as"
        await paste(app, pilot, "Москва " * 17_000)
        assert "more than 32 words; only the first ones are searched" in count_text(app)
        assert app.query_one(ArticleList).article.title == "Новости из Москвы"


async def test_hostile_text_in_the_article_bar_never_crashes(tmp_path):
    app = NewsreaderApp([str(make_archive(tmp_path))], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(app, pilot)
        reader = app.query_one(ReaderPane)
        article_list = app.query_one(ArticleList)
        article_list.cursor = next(i for i in range(3) if article_list.article_at(i).title.startswith("Новости"))
        await pilot.press("enter", "slash")
        for query in HOSTILE_QUERIES:
            await paste(app, pilot, query)
            assert app.is_running and app.query_one(SearchBar).display
            assert count_text(app) == reader.match_status()
        await paste(app, pilot, "\x00Москв\x1b[31m\x00")
        assert texts(reader) and all(text.lower().startswith("москв") for text in texts(reader))


async def test_control_characters_never_reach_the_input_as_typed(tmp_path):
    app = NewsreaderApp([str(make_archive(tmp_path))], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(app, pilot)
        await pilot.press("slash")
        await paste(app, pilot, "Мос\x1b]0;title\x07к\x00ва\ud800 \x1b[31m")
        search_input = app.query_one("#search-input", Input)
        assert search_input.value == "Москва\ufffd "
        assert all(segment.text.isprintable() for segment in search_input.render_line(0))
        assert app.query_one(ArticleList).article.title == "Новости из Москвы"


async def test_a_long_count_leaves_the_query_in_sight(tmp_path):
    app = NewsreaderApp([str(make_archive(tmp_path))], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(app, pilot)
        await pilot.press("slash", *"Москва")
        bar = app.query_one(SearchBar)
        bar.show_count("the best 200 articles (index building: scanning) · more match: narrow the search, or export")
        await pilot.pause()
        query, count = app.query_one("#search-input", Input), app.query_one("#search-count", Static)
        assert query.region.width >= 24, "room for the query"  # 3/5 of what the label leaves
        assert count.region.right <= bar.region.right, "the count ends in … inside the bar, not past its edge"
