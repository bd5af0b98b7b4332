"""SVG snapshots of the real app on the seed; review changes with `pytest --snapshot-update`."""

import pytest

from newsreader.ui.app import NewsreaderApp

from conftest import SEEDS


async def wait_for_loading(pilot):
    """Loading and enrichment both finish before the picture is taken, so it is the same every time."""
    app = pilot.app
    await app.workers.wait_for_complete()
    for _ in range(600):
        if app.store.enriched_count == len(app.store) or app.enrichment_service is None:
            break
        await pilot.pause(0.1)
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_main_screen(snap_compare, size):
    assert snap_compare(NewsreaderApp([str(SEEDS)], workers=1), terminal_size=size, run_before=wait_for_loading)


def test_reader_focused_and_scrolled(snap_compare):
    assert snap_compare(
        NewsreaderApp([str(SEEDS)], workers=1), terminal_size=(100, 30), press=["enter", "j", "j", "j"],
        run_before=wait_for_loading,
    )


def test_warnings_screen(snap_compare, hostile_dir, monkeypatch):
    monkeypatch.chdir(hostile_dir.parent)
    app = NewsreaderApp([hostile_dir.name], enrich=False)
    assert snap_compare(app, terminal_size=(120, 30), press=["w"], run_before=wait_for_loading)
