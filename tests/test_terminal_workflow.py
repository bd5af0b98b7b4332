"""One analyst's workflow in a real terminal (tmux), on the installed `newsreader` and the bundled seed:
browse the entities, filter the list by one, tag the article, export the list as CSV."""

import csv
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
    tmux.wait_for_screen(session, lambda s: PERSON in s and "mention" in s)
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
