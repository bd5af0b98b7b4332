"""The installed `newsreader` in a real terminal (tmux): it starts, shows the seed, moves and quits; and one
analyst's whole workflow: browse the entities, filter the list by one, tag the article, export the list as CSV."""

import csv
import re
import shlex

import pytest

from tmux_server import NEWSREADER, TmuxServer, app_environment, needs_tmux

SEED_TITLE = "В МИД России призвали освободить"
PERSON = "Евгений Белоусов"

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
    tmux.press(session, "Enter")
    tmux("send-keys", "-t", session, "-l", "/россиянин")  # in one write: the letters after / are the query's
    tmux.press(session, "Enter")
    screen = tmux.wait_for_screen(session, lambda s: "match 1/" in s)
    styled = tmux("capture-pane", "-p", "-e", "-t", session)
    highlighted = re.findall(r"\x1b\[[0-9;]*48;[0-9;]*m[^\x1b]*россиян", styled)
    assert len(highlighted) >= 2, "the matches carry a background colour"
    assert "россиян" in screen


def typed(tmux: TmuxServer, session: str, text: str) -> None:
    tmux("send-keys", "-t", session, "-l", text)


def test_browse_entities_filter_tag_and_export(tmux, tmp_path):
    work = tmp_path / "work"  # the export prompt offers a file in the folder the reader was started from
    work.mkdir()
    script = f"cd {shlex.quote(str(work))} && {shlex.quote(str(NEWSREADER))}; sleep 30"
    command = f"sh -c {shlex.quote(script)}"  # run under `env -i`, which cannot run a shell's cd itself
    session = tmux.start(command, app_environment(tmp_path))
    tmux.wait_for_screen(session, lambda s: SEED_TITLE in s and "analysed 1" in s, timeout=60)

    tmux.press(session, "e")  # the entity browser; typed letters filter it
    tmux.wait_for_screen(session, lambda s: "Appears with" in s)
    typed(tmux, session, "Белоусов")
    # the name is listed before the filter too: wait for the filter's own count, or Down and f race it
    tmux.wait_for_screen(session, lambda s: PERSON in s and "mention" in s and " 1 of " in s)
    tmux.press(session, "Down", "f")  # back to the names, then the list of the articles naming the one chosen
    tmux.wait_for_screen(session, lambda s: f"Articles · {PERSON}" in s)

    typed(tmux, session, "#")
    tmux.wait_for_screen(session, lambda s: "Tags ·" in s)
    typed(tmux, session, "проверить")
    tmux.press(session, "Enter")
    tmux.wait_for_screen(session, lambda s: "#проверить" in s)

    tmux.press(session, "C-p")
    typed(tmux, session, "Export the list: articles as CSV")
    tmux.wait_for_screen(session, lambda s: "to a file you name" in s)  # the palette's entry, not the typed text
    tmux.press(session, "Enter")
    tmux.wait_for_screen(session, lambda s: "Export the articles as CSV" in s)  # the prompt, its file filled in
    tmux.press(session, "Enter")
    tmux.wait_for_screen(session, lambda s: "Exported 1 article" in s)

    with open(work / "newsreader-articles.csv", encoding="utf-8-sig", newline="") as exported:
        [row] = list(csv.DictReader(exported))
    assert row["title"].startswith(SEED_TITLE) and PERSON in row["persons"]
    tmux.press(session, "q")
    tmux.wait_for_screen(session, lambda s: SEED_TITLE not in s)
