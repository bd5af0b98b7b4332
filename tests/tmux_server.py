"""A tmux server of a test's own (its own socket and config), to run the installed app in a real terminal."""

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
NEWSREADER = Path(sys.executable).with_name("newsreader")

# tmux is optional locally; CI sets NEWSREADER_REQUIRE_TMUX=1, and then a missing tmux fails instead.
needs_tmux = pytest.mark.skipif(
    TMUX is None and not os.environ.get("NEWSREADER_REQUIRE_TMUX"), reason="tmux is not installed"
)


class TmuxServer:
    """One server on a private socket; `config` lines are its whole configuration (no ~/.tmux.conf)."""

    def __init__(self, config_file: Path, config: str = "") -> None:
        self.socket = f"newsreader-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        config_file.write_text(config)
        self.config_file = config_file

    def __call__(self, *args: str) -> str:
        command = [TMUX, "-L", self.socket, "-f", os.fspath(self.config_file), *args]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def start(self, command: str, environment: dict[str, str], width: int = 120, height: int = 40) -> str:
        """A new session running `command` with only `environment`; returns the session name."""
        name = f"newsreader-{uuid.uuid4().hex[:8]}"
        self(
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            str(width),
            "-y",
            str(height),
            _with_environment(command, environment),
        )
        return name

    def respawn(self, session: str, command: str, environment: dict[str, str]) -> None:
        """Run `command` in the session's pane in place of what runs there; the pane keeps its title."""
        self("respawn-pane", "-k", "-t", session, _with_environment(command, environment))

    def screen(self, session: str) -> str:
        return self("capture-pane", "-p", "-t", session)

    def wait_for_screen(self, session: str, predicate, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen(session)
            if predicate(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"screen never matched; last screen:\n{screen}")

    def press(self, session: str, *keys: str) -> None:
        """Send keys one by one; a pause keeps Escape from merging with the next key into alt+key."""
        for key in keys:
            self("send-keys", "-t", session, key)
            time.sleep(0.2)

    def kill(self) -> None:
        """Stop the server and remove its socket file, which tmux leaves behind."""
        socket_path = subprocess.run(
            [TMUX, "-L", self.socket, "display-message", "-p", "#{socket_path}"], capture_output=True, text=True
        ).stdout.strip()
        subprocess.run([TMUX, "-L", self.socket, "kill-server"], capture_output=True)
        if socket_path:
            Path(socket_path).unlink(missing_ok=True)


def _with_environment(command: str, environment: dict[str, str]) -> str:
    return "env -i " + " ".join(shlex.quote(f"{key}={value}") for key, value in environment.items()) + " " + command


def app_environment(home: Path) -> dict[str, str]:
    """A clean environment: a fresh home, a known terminal type and a UTF-8 locale."""
    return {
        "HOME": str(home),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }
