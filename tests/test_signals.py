"""Stop signals: the app and `extract` save what they should, stop their workers and exit with the shell's code."""

import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import RUSSIAN_BODY, SEED_FILE, article_bytes
from newsreader.ingest.parse import Article, iter_articles
from newsreader.ui.app import NewsreaderApp
from newsreader.ui.widgets.reader import ReaderPane
from newsreader.userdata.state import ReadingState
from proc_tree import descendants, end_all, parent_of, still_running, wait_for, workers_of
from test_reading import start
from tmux_server import NEWSREADER, TmuxServer, app_environment, needs_tmux

STARTUP_SECONDS = 60
EXIT_SECONDS = 10  # a bound for the test, not the promise: bench/bench_worker_exit.py measures the delay
ARTICLES = 2000
SEED_FILE_LINE = "seed.txt · utf-8"  # the first line the reader shows for the seed
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def seed_fingerprint() -> str:
    [seed] = [item for item in iter_articles([str(SEED_FILE)]) if isinstance(item, Article)]
    return seed.fingerprint


@pytest.fixture
def archive(tmp_path):
    """The seed and enough articles to keep every worker busy for a while."""
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "seed.txt").write_bytes(SEED_FILE.read_bytes())
    for number in range(ARTICLES):
        body = "\n\n".join(f"{RUSSIAN_BODY} Министр Иван Петров{number}-{part} прибыл в Тверь." for part in range(12))
        header = f"date 2024-0{1 + number % 9}-1{number % 10}"
        (folder / f"{number:04}.txt").write_bytes(article_bytes(f"Новость {number}", body, header))
    return folder


# -- the app, in process -----------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
async def test_a_stop_signal_quits_the_app_as_q_does(tmp_path, signum):
    if signal.getsignal(signum) is signal.SIG_IGN:
        pytest.skip(f"{signum.name} is ignored in this process, so the app leaves it ignored")
    (tmp_path / "seed.txt").write_bytes(SEED_FILE.read_bytes())
    before = signal.getsignal(signum)
    app = NewsreaderApp([str(tmp_path)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        await pilot.press("enter", "j", "j")
        scrolled = app.query_one(ReaderPane).scroll_y
        assert scrolled > 0
        assert signal.getsignal(signum) != before, "the app handles it (without a handler the signal would end pytest)"
        os.kill(os.getpid(), signum)
        await pilot.pause(0.5)
    assert app.return_code == 128 + signum
    assert signal.getsignal(signum) == before, "handed back once the app ends"
    state = ReadingState()
    assert state.last_position() == (seed_fingerprint(), scrolled)
    assert seed_fingerprint() in state.read_fingerprints()


async def test_ctrl_c_quits_and_saves_the_position(tmp_path):
    (tmp_path / "seed.txt").write_bytes(SEED_FILE.read_bytes())
    app = NewsreaderApp([str(tmp_path)], enrich=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(app, pilot)
        await pilot.press("enter", "j")
        scrolled = app.query_one(ReaderPane).scroll_y
        await pilot.press("ctrl+c")
        assert not app.is_running
    assert app.return_code == 0
    assert ReadingState().last_position() == (seed_fingerprint(), scrolled)


# -- the installed app in a real terminal ----------------------------------------------


@pytest.fixture
def reading(archive, tmp_path):
    """The installed newsreader in tmux on `archive`, the seed open and scrolled; yields (tmux, session, app pid)."""
    tmux = TmuxServer(tmp_path / "tmux.conf")
    environment = app_environment(tmp_path)
    environment |= {name: os.environ[name] for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME")}
    session = tmux.start(f"{NEWSREADER} {archive}; echo exit=$?; sleep 30", environment)
    try:
        loaded = f"loaded {ARTICLES + 1:,} articles"
        tmux.wait_for_screen(session, lambda screen: loaded in screen, timeout=STARTUP_SECONDS)
        tmux.press(session, "Enter")
        tmux.wait_for_screen(session, lambda screen: SEED_FILE_LINE in screen)  # the reader's first line
        tmux.press(session, "j", "j")
        tmux.wait_for_screen(session, lambda screen: SEED_FILE_LINE not in screen)  # scrolled past it
        shell = int(tmux("display-message", "-p", "-t", session, "#{pane_pid}"))
        [app] = [pid for pid in descendants(shell) if parent_of(pid) == shell]  # env execs newsreader
        yield tmux, session, app
    finally:
        tmux.kill()


def assert_position_saved() -> None:
    state = ReadingState()
    assert seed_fingerprint() in state.read_fingerprints()
    position = state.last_position()
    assert position is not None and position[0] == seed_fingerprint() and position[1] > 0, position


@needs_tmux
@linux_only
def test_sigterm_restores_the_terminal_saves_and_leaves_no_process(reading):
    tmux, session, app = reading
    workers = wait_for(lambda: workers_of(app), STARTUP_SECONDS, "workers")
    assert "analysing" in tmux.screen(session), "the workers are mid-task"
    os.kill(app, signal.SIGTERM)
    screen = tmux.wait_for_screen(session, lambda screen: "exit=143" in screen)
    assert "Articles" not in screen, "the shell's screen is back"
    assert end_all(still_running([app, *workers], EXIT_SECONDS)) == []
    assert_position_saved()


@needs_tmux
@linux_only
def test_closing_the_terminal_saves_and_leaves_no_process(reading):
    tmux, session, app = reading
    workers = wait_for(lambda: workers_of(app), STARTUP_SECONDS, "workers")
    tmux("kill-session", "-t", session)  # the terminal goes: SIGHUP
    assert end_all(still_running([app, *workers], EXIT_SECONDS)) == []
    assert_position_saved()


# -- newsreader extract -------------------------------------------------------------------


@linux_only
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_ends_extract_and_its_busy_workers_without_a_traceback(archive, signum):
    # SIGINT as from the shell's Ctrl+C: Python leaves it ignored if this process was started with it ignored
    restore_sigint = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler)"
    run = f"{restore_sigint}; from newsreader.cli.main import main; raise SystemExit(main())"
    extract = subprocess.Popen(
        [sys.executable, "-c", run, "extract", "--workers", "2", str(archive)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        workers = wait_for(lambda: len(found := workers_of(extract.pid)) == 2 and found, STARTUP_SECONDS, "two workers")
        time.sleep(1)  # the NLP models load, and the workers start on articles
        extract.send_signal(signum)
        stdout, stderr = extract.communicate(timeout=EXIT_SECONDS)
    finally:
        extract.kill()
    assert extract.returncode == 128 + signum
    assert stderr.endswith(f"newsreader extract: stopped by {signum.name}\n")
    assert "Traceback" not in stderr
    assert stdout == "", "keys are canonical for the whole corpus: nothing is printed before every article is analysed"
    assert end_all(still_running(workers, EXIT_SECONDS)) == []
