"""The installed app on the hazard folder, in tmux: walking every article with j and opening the
warnings screen never lets a file set the terminal title or write the clipboard.

tmux records both: an OSC 0/2 sequence changes the pane title, and with set-clipboard on an
OSC 52 sequence becomes a paste buffer. The positive control shows both are caught when the
same file is written to the terminal raw.
"""

import pytest

from hazards import PAYLOAD, build_hazards, dismantle
from tmux_server import NEWSREADER, TmuxServer, app_environment, needs_tmux

pytestmark = needs_tmux

SENTINEL = "title-before-the-test"
WIDTH, HEIGHT = 300, 40  # wide enough for a warning's reason and its full path on one row
QUIT_SECONDS = 10
DUPLICATES = {"good_link.txt"}  # the same article as good.txt: the store keeps one and warns


@pytest.fixture
def hazards(tmp_path):
    built = build_hazards(tmp_path, huge_line=True)
    yield built
    dismantle(built)


@pytest.fixture
def terminal(tmp_path):
    """A pane titled SENTINEL, with OSC 52 writes kept as paste buffers, that runs a placeholder."""
    server = TmuxServer(tmp_path / "tmux.conf", "set -s set-clipboard on\nset -g remain-on-exit on\n")
    session = server.start("sleep 600", app_environment(tmp_path), WIDTH, HEIGHT)
    server("select-pane", "-t", session, "-T", SENTINEL)
    yield server, session
    server.kill()


def hijacks(server: TmuxServer, session: str) -> list[str]:
    """What the pane's programs did to the terminal beyond drawing: a new title, clipboard writes."""
    found = []
    title = server("display-message", "-p", "-t", session, "#{pane_title}").strip()
    if title != SENTINEL:
        found.append(f"title set to {title!r}")
    found += [f"clipboard written: {line}" for line in server("list-buffers").splitlines()]
    return found


def test_positive_control_raw_escapes_do_set_title_and_clipboard(terminal, hazards, tmp_path):
    server, session = terminal
    server.respawn(session, f"cat {hazards.path('escapes.txt')}; sleep 600", app_environment(tmp_path))
    server.wait_for_screen(session, lambda screen: "статьи" in screen)
    found = hijacks(server, session)
    assert any(PAYLOAD in each and each.startswith("title") for each in found), found
    assert any(each.startswith("clipboard") for each in found), found


def reader_text(screen: str) -> str:
    """The reader pane's part of the screen: the right-hand column of the top panes."""
    return "\n".join(line.split("││", 1)[1] for line in screen.splitlines() if "││" in line)


def test_walking_a_hostile_folder_never_touches_title_or_clipboard(terminal, hazards, tmp_path):
    server, session = terminal
    server.respawn(session, f"{NEWSREADER} {hazards.root}; echo exit status $?; sleep 600", app_environment(tmp_path))
    titles = {title for id, title in hazards.titles.items() if id not in DUPLICATES}
    warnings = {
        **hazards.warnings,
        **{name: f"duplicate of {hazards.path('good.txt')}, skipped" for name in DUPLICATES},
    }
    shown = lambda screen: {title for title in titles if title[:30] in reader_text(screen)}  # noqa: E731
    loaded = f"loaded {len(titles)} articles"
    seen = shown(server.wait_for_screen(session, lambda screen: loaded in screen and shown(screen), timeout=60))
    for _ in range(len(titles) - 1):
        before = seen
        server.press(session, "j")
        screen = server.wait_for_screen(session, lambda screen, before=before: shown(screen) - before)
        assert PAYLOAD not in screen
        seen = before | shown(screen)
    assert seen == titles
    server.press(session, "w")
    expected_rows = [f"{hazards.root}/{name} {reason}" for name, reason in warnings.items()]

    def missing_rows(screen: str) -> list[str]:
        rows = [" ".join(line.split()) for line in screen.splitlines()]
        return [row for row in expected_rows if not any(row in each for each in rows)]

    # the frame gets its title before its rows are painted: wait for the rows, not the title
    screen = server.wait_for_screen(
        session, lambda screen: f"{len(warnings)} warnings — escape to close" in screen and not missing_rows(screen)
    )
    assert PAYLOAD not in screen
    server.press(session, "q", "q")  # close the warnings, quit: at once, even while the 2 MB article is analysed
    server.wait_for_screen(session, lambda screen: "exit status 0" in screen, timeout=QUIT_SECONDS)
    assert hijacks(server, session) == []
