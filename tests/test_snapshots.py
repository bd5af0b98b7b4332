"""SVG snapshots of the real app on the seed; review changes with `pytest --snapshot-update`.

The seed's analysis is computed once in process and handed to the app, so every
picture is the same on every run.
"""

import os
from functools import cache

import pytest

from conftest import SEEDS
from newsreader.ingest.parse import Article, iter_articles
from newsreader.nlp.enrich import enrich
from newsreader.nlp.entities import EntityRecognizer
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.messages import Enriched
from newsreader.ui.screens.entity_panel import EntityPanel
from test_warnings_screen import WARNINGS

SIZES = [(80, 24), (120, 40)]


@cache
def seed_enrichment():
    [seed] = [item for item in iter_articles([SEEDS]) if isinstance(item, Article)]
    return seed, enrich(EntityRecognizer(), seed.text, seed.date)


async def analysed(pilot):
    app = pilot.app
    await app.workers.wait_for_complete()
    while not app.main.loader.done:  # the last batch is a message that may still be queued
        await pilot.pause(0.05)
    app.main.post_message(Enriched(*seed_enrichment()))
    await pilot.pause()
    app.main.refresh_views()
    await pilot.pause(0.2)  # a painted frame, so a screen pushed next has a finished picture behind it


def seed_app() -> NewsreaderApp:
    return NewsreaderApp([str(SEEDS)], enrich=False)


@pytest.mark.parametrize("size", SIZES)
def test_main_screen(snap_compare, size):
    assert snap_compare(seed_app(), terminal_size=size, press=["enter", "right_square_bracket"], run_before=analysed)


@pytest.mark.parametrize("theme, previous", [("textual-dark", "textual-light"), ("textual-light", "textual-dark")])
def test_main_screen_after_a_theme_switch(snap_compare, theme, previous):
    """Rows drawn in the previous theme are drawn again in the new one: no pane keeps the old colours."""

    async def switch_theme(pilot):
        pilot.app.theme = previous
        await analysed(pilot)
        pilot.app.theme = theme
        await pilot.pause()

    press = ["enter", "right_square_bracket"]
    assert snap_compare(seed_app(), terminal_size=(120, 40), press=press, run_before=switch_theme)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, size):
    assert snap_compare(seed_app(), terminal_size=size, press=["enter", "question_mark"], run_before=analysed)


@pytest.mark.parametrize("size", SIZES)
def test_entity_panel(snap_compare, size):
    async def open_panel(pilot):
        await analysed(pilot)
        pilot.app.push_screen(EntityPanel(pilot.app.store, "PER:евгений белоусов", pilot.app.main.corpus_updated))
        await pilot.pause()

    assert snap_compare(seed_app(), terminal_size=size, run_before=open_panel)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("zoom_keys", [[], ["minus"]], ids=["month", "year"])
def test_timeline(snap_compare, size, zoom_keys):
    assert snap_compare(seed_app(), terminal_size=size, press=["tab", "tab", *zoom_keys], run_before=analysed)


def test_warnings_screen(snap_compare, tmp_path, monkeypatch):
    """Only unreadable files, so the picture behind the warnings is the same every time."""
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (folder / "huge.txt").write_bytes(b"x" * 2048)
    os.mkfifo(folder / "pipe.txt")
    os.symlink("/etc/hostname", folder / "outside.txt")
    monkeypatch.chdir(tmp_path)
    app = NewsreaderApp(["archive"], max_bytes=1024, enrich=False)
    assert snap_compare(app, terminal_size=(120, 30), press=["w"], run_before=analysed)


def test_search_matches_highlighted(snap_compare):
    keys = ["enter", "slash", *"россиянин", "enter", "n"]
    assert snap_compare(seed_app(), terminal_size=(120, 40), press=keys, run_before=analysed)


def test_warnings_screen_wraps_long_warnings(snap_compare):
    """File, cache and keymap warnings in one layout, each whole at 80 columns, the cursor on a wrapped one."""

    async def add_warnings(pilot):
        await analysed(pilot)
        pilot.app.load_warnings += WARNINGS

    assert snap_compare(seed_app(), terminal_size=(80, 24), press=["w", "down", "down"], run_before=add_warnings)
