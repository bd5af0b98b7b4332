"""The binding ids a keymap may name are exactly those the reader's widgets and screens declare."""

import re
from pathlib import Path

import pytest

import newsreader.ui
from newsreader.ui.binding_ids import declared_binding_ids
from newsreader.ui.screens.entity_panel import EntityPanel
from newsreader.ui.screens.help import HelpScreen
from newsreader.ui.screens.warnings import WarningsScreen
from newsreader.ui.timeline.widget import Timeline
from newsreader.ui.widgets.reader import ReaderPane
from newsreader.ui.widgets.search_bar import SearchBar
from newsreader.ui.widgets.virtual_list import VirtualList
from newsreader.userdata.keymap import BINDING_ID, load_keymap


def test_every_id_in_the_sources_is_declared_and_well_formed():
    sources = "".join(path.read_text("utf-8") for path in Path(newsreader.ui.__file__).parent.rglob("*.py"))
    in_sources = set(re.findall(r'id="([a-z_]+\.[a-z_]+)"', sources))
    declared = declared_binding_ids()
    assert in_sources and declared == in_sources
    assert {"app.quit", "entity.filter", "search.close", "help.close", "warnings.close"} <= declared
    assert all(BINDING_ID.fullmatch(binding_id) for binding_id in declared)


@pytest.mark.parametrize(
    "declarer", [ReaderPane, VirtualList, SearchBar, Timeline, HelpScreen, WarningsScreen, EntityPanel]
)
def test_every_binding_of_the_panes_and_screens_explains_itself_in_a_tooltip(declarer):
    assert declarer.BINDINGS and all(binding.tooltip for binding in declarer.BINDINGS)


def test_a_keymap_checked_against_them_keeps_real_ids_and_reports_typos(tmp_path):
    path = tmp_path / "keymap.toml"
    path.write_text('[keys]\n"entity.filter" = "F"\n"list.donw" = "j"\n', "utf-8")
    keymap, [warning] = load_keymap(path, known_ids=declared_binding_ids())
    assert keymap == {"entity.filter": "F"} and "list.donw: no binding has this id" in warning
