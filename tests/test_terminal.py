"""The installed `newsreader` in a real terminal (tmux): it starts, shows the seed, moves and quits."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
NEWSREADER = Path(sys.executable).with_name("newsreader")
SEED_TITLE = "В МИД России призвали освободить"

pytestmark = pytest.mark.skipif(
    TMUX is None and not os.environ.get("NEWSREADER_REQUIRE_TMUX"), reason="tmux is not installed"
)


def tmux(*args: str) -> str:
    return subprocess.run([TMUX, *args], capture_output=True, text=True, check=True).stdout


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
    name = f"newsreader-test-{os.getpid()}"
    environment = {"HOME": str(tmp_path), "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    command = " ".join(f"{key}={value}" for key, value in environment.items()) + f" {NEWSREADER}; sleep 30"
    tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "40", command)
    yield name
    subprocess.run([TMUX, "kill-session", "-t", name], capture_output=True)


def test_installed_newsreader_shows_seed_moves_and_quits(session):
    assert NEWSREADER.exists(), f"newsreader is not installed next to {sys.executable}"
    screen = wait_for_screen(session, lambda s: SEED_TITLE in s and "loaded 1 article" in s)
    assert "Kokoshkin" in screen
    tmux("send-keys", "-t", session, "enter")
    tmux("send-keys", "-t", session, "j")
    tmux("send-keys", "-t", session, "q")
    wait_for_screen(session, lambda s: SEED_TITLE not in s)
