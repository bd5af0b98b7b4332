"""The installed `newsreader` in a real terminal (tmux): it starts, shows the seed, moves and quits."""

import re

import pytest

from tmux_server import NEWSREADER, TmuxServer, app_environment, needs_tmux

SEED_TITLE = "В МИД России призвали освободить"

pytestmark = needs_tmux


@pytest.fixture
def tmux(tmp_path):
    server = TmuxServer(tmp_path / "tmux.conf")
    yield server
    server.kill()


@pytest.fixture
def session(tmux, tmp_path):
    return tmux.start(f"{NEWSREADER}; sleep 30", app_environment(tmp_path))


def test_installed_newsreader_reads_opens_an_entity_and_an_event_then_quits(tmux, session):
    assert NEWSREADER.exists(), f"newsreader is not installed next to {NEWSREADER.parent}"
    screen = tmux.wait_for_screen(session, lambda s: SEED_TITLE in s and "analysed 1" in s, timeout=60)
    assert "Kokoshkin" in screen
    tmux.press(session, "Enter", "j", "]", "Enter")
    panel = tmux.wait_for_screen(session, lambda s: "mention" in s and "Timeline" in s)
    assert "person" in panel or "organisation" in panel or "place" in panel
    tmux.press(session, "Escape", "Tab", "Enter")  # back in the reader; Tab to the timeline; open its event
    reader_area = lambda screen: "\n".join(screen.splitlines()[:20])  # noqa: E731  (the timeline lists the sentence too)
    tmux.wait_for_screen(session, lambda s: "Картавых был освобожден" in reader_area(s))
    tmux.press(session, "q")
    tmux.wait_for_screen(session, lambda s: SEED_TITLE not in s)


def test_installed_newsreader_highlights_search_matches(tmux, session):
    tmux.wait_for_screen(session, lambda s: SEED_TITLE in s and "analysed 1" in s, timeout=60)
    tmux.press(session, "Enter", "/")
    tmux("send-keys", "-t", session, "-l", "россиянин")
    tmux.press(session, "Enter")
    screen = tmux.wait_for_screen(session, lambda s: "match 1/" in s)
    styled = tmux("capture-pane", "-p", "-e", "-t", session)
    highlighted = re.findall(r"\x1b\[[0-9;]*48;[0-9;]*m[^\x1b]*россиян", styled)
    assert len(highlighted) >= 2, "the matches carry a background colour"
    assert "россиян" in screen
