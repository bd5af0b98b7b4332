"""The installed `newsreader` in a real terminal (tmux): it starts, shows the seed, moves and quits."""

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
NEWSREADER = Path(sys.executable).with_name("newsreader")
SEED_TITLE = "В МИД России призвали освободить"

pytestmark = pytest.mark.skipif(
    TMUX is None and not os.environ.get("NEWSREADER_REQUIRE_TMUX"), reason="tmux is not installed"
)


SOCKET = f"newsreader-test-{os.getpid()}"  # a server of our own, started with this test's environment


def tmux(*args: str) -> str:
    return subprocess.run([TMUX, "-L", SOCKET, *args], capture_output=True, text=True, check=True).stdout


def wait_for_screen(session: str, predicate, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if predicate(screen):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"screen never matched; last screen:\n{screen}")


@pytest.fixture
def session(tmp_path):
    name = f"newsreader-{uuid.uuid4().hex[:8]}"
    subprocess.run([TMUX, "-L", SOCKET, "kill-server"], capture_output=True)  # nothing left from a previous test
    environment = {"HOME": str(tmp_path), "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    command = " ".join(f"{key}={value}" for key, value in environment.items()) + f" {NEWSREADER}; sleep 30"
    tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "40", command)
    yield name
    subprocess.run([TMUX, "-L", SOCKET, "kill-server"], capture_output=True)


def press(session: str, *keys: str) -> None:
    """Send keys one by one; a pause keeps Escape from merging with the next key into alt+key."""
    for key in keys:
        tmux("send-keys", "-t", session, key)
        time.sleep(0.2)


def test_installed_newsreader_reads_opens_an_entity_and_an_event_then_quits(session):
    assert NEWSREADER.exists(), f"newsreader is not installed next to {sys.executable}"
    screen = wait_for_screen(session, lambda s: SEED_TITLE in s and "analysed 1" in s, timeout=60)
    assert "Kokoshkin" in screen
    press(session, "Enter", "j", "]", "Enter")
    panel = wait_for_screen(session, lambda s: "mention" in s and "Timeline" in s)
    assert "person" in panel or "organisation" in panel or "place" in panel
    press(session, "Escape", "Tab", "Enter")  # back in the reader; Tab to the timeline; open its event
    reader_area = lambda screen: "\n".join(screen.splitlines()[:20])  # noqa: E731  (the timeline lists the sentence too)
    wait_for_screen(session, lambda s: "Картавых был освобожден" in reader_area(s))
    press(session, "q")
    wait_for_screen(session, lambda s: SEED_TITLE not in s)


def test_installed_newsreader_highlights_search_matches(session):
    wait_for_screen(session, lambda s: SEED_TITLE in s and "analysed 1" in s, timeout=60)
    press(session, "Enter", "/")
    tmux("send-keys", "-t", session, "-l", "россиянин")
    press(session, "Enter")
    screen = wait_for_screen(session, lambda s: "match 1/" in s)
    styled = tmux("capture-pane", "-p", "-e", "-t", session)
    highlighted = re.findall(r"\x1b\[[0-9;]*48;[0-9;]*m[^\x1b]*россиян", styled)
    assert len(highlighted) >= 2, "the matches carry a background colour"
    assert "россиян" in screen
