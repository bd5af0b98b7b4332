"""Keys typed in one burst keep their order and their target when one of them opens a text field: a terminal
delivers `/москва` or `#проверить` pasted or typed fast in one read, before the field has focus."""

import asyncio

import pytest
from textual import events
from textual.widgets import Input, TextArea

from newsreader.ui.app import NewsreaderApp
from newsreader.ui.screens.entity_browser import EntityTable
from newsreader.ui.widgets.article_list import ArticleList
from test_search_ui import loaded, make_archive

CHARACTERS = {"slash": "/", "number_sign": "#", "space": " "}


def burst(app, keys: list[str]) -> None:
    """Post every key at once, the way the terminal driver posts the keys of one read."""
    for key in keys:
        app.post_message(events.Key(key, CHARACTERS.get(key, key if len(key) == 1 else None)))


async def trickle(app, keys: list[str], turns: int) -> None:
    """Post the keys `turns` turns of the event loop apart: the app handles some before the next arrives, as when
    a burst spans two reads of the terminal. Which key arrives after the focus moved depends on `turns`."""
    for key in keys:
        burst(app, [key])
        for _ in range(turns):
            await asyncio.sleep(0)


async def started(tmp_path, pilot, app) -> ArticleList:
    await loaded(app, pilot)
    return app.query_one(ArticleList)


async def test_keys_right_after_slash_are_the_query_not_list_keys(tmp_path):
    app = NewsreaderApp([str(make_archive(tmp_path))], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list = await started(tmp_path, pilot, app)
        cursor = article_list.cursor
        burst(app, ["slash", *"jkмосква"])
        await pilot.pause(0.3)
        assert app.query_one("#search-input", Input).value == "jkмосква"
        assert article_list.cursor == cursor, "j and k were typed, not pressed in the list"


@pytest.mark.parametrize("turns", [1, 2, 3, 5, 8])
async def test_keys_arriving_while_the_focus_moves_keep_their_order(tmp_path, turns):
    app = NewsreaderApp([str(make_archive(tmp_path))], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        article_list = await started(tmp_path, pilot, app)
        cursor = article_list.cursor
        await trickle(app, ["slash", *"jkмосква"], turns)
        await pilot.pause(0.3)
        assert app.query_one("#search-input", Input).value == "jkмосква" and article_list.cursor == cursor
        await pilot.press("escape", "e")
        await pilot.pause(0.2)
        assert isinstance(app.focused, EntityTable)
        await trickle(app, list("Москва"), turns)
        await pilot.pause(0.3)
        assert app.screen.query_one("#entity-filter", Input).value == "Москва"


async def test_tags_and_a_note_typed_before_their_prompt_has_focus(tmp_path):
    app = NewsreaderApp([str(make_archive(tmp_path))], enrich=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(tmp_path, pilot, app)
        burst(app, ["number_sign", *"проверить"])
        await pilot.pause(0.3)
        assert app.screen.query_one("#line-input", Input).value == "проверить"
        await pilot.press("escape", "enter")
        burst(app, ["m", *"Позвонить"])
        await pilot.pause(0.3)
        assert app.screen.query_one(TextArea).text == "Позвонить"


async def test_a_burst_replaces_the_tags_as_slow_typing_does(tmp_path):
    """The tag prompt selects the article's tags when it gets focus; typed fast or slow, the first key replaces them."""
    typed = {}
    for speed in ("slow", "fast"):
        (tmp_path / speed).mkdir()
        app = NewsreaderApp([str(make_archive(tmp_path / speed))], enrich=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await started(tmp_path, pilot, app)
            await pilot.press("number_sign", *"old", "enter")
            if speed == "slow":
                await pilot.press("number_sign", *"new")
            else:
                burst(app, ["number_sign", *"new"])
            await pilot.pause(0.3)
            typed[speed] = app.screen.query_one("#line-input", Input).value
    assert typed["fast"] == typed["slow"]
