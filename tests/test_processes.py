"""Worker processes: texts cross to them as bytes, so the app's copies do not grow; they never outlive the app;
they get their environment without the app's own changing."""

import os
import pickle
import subprocess
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from busy_pool import busy, busy_pids, niceness_of_each, note_niceness, own_niceness, threads_around_numpy_import
from newsreader.runtime.processes import background_pool, in_background, others_paused, stop_pool, wire_text
from proc_tree import command_line, descendants, end_all, is_stopped, still_running, wait_for


def fresh_text() -> str:
    return "".join(["Министр прибыл в Москву. "] * 200)


def test_pickling_a_str_would_keep_a_utf8_copy_inside_it():
    text = fresh_text()
    before = sys.getsizeof(text)
    pickle.dumps(text)
    assert sys.getsizeof(text) > before  # why texts are never pickled as str


def test_wire_text_leaves_the_text_as_it_was():
    text = fresh_text()
    before = sys.getsizeof(text)
    sent = pickle.dumps(wire_text(text))
    assert sys.getsizeof(text) == before
    assert pickle.loads(sent).decode() == text


# -- worker lifetime ------------------------------------------------------------

BUSY_POOL = Path(__file__).with_name("busy_pool.py")
STARTUP_SECONDS = 60  # spawning Python processes on a loaded 2-core machine
EXIT_SECONDS = 10  # a bound for the test, not the promise (2 s): bench/bench_worker_exit.py measures that


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_end_when_their_parent_is_killed(tmp_path):
    """SIGKILL leaves the parent no chance to clean up: the workers must notice on their own, mid-task."""
    parent = subprocess.Popen([sys.executable, str(BUSY_POOL), str(tmp_path), "2"])
    try:
        workers = wait_for(lambda: busy_pids(tmp_path, 2), STARTUP_SECONDS, "two busy workers")
        children = descendants(parent.pid)
        assert set(workers) <= set(children)
    finally:
        parent.kill()
        parent.wait()
    still = end_all(still_running(children, EXIT_SECONDS))
    assert still == [], "workers and the resource tracker end with their parent"


def test_stop_pool_ends_busy_workers_at_once(tmp_path):
    pool = background_pool(1)
    future = pool.submit(busy, str(tmp_path))
    [pid] = wait_for(lambda: busy_pids(tmp_path, 1), STARTUP_SECONDS, "a busy worker")
    stop_pool(pool)
    assert end_all(still_running([pid], EXIT_SECONDS)) == []
    with pytest.raises(BrokenProcessPool):
        future.result(timeout=EXIT_SECONDS)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_other_workers_pause_for_a_block_and_a_paused_one_still_ends_with_its_pool(tmp_path):
    """The open article's worker pauses the others while it is analysed; stop_pool must end a paused worker too
    (SIGTERM alone stays pending while a process is stopped)."""
    pool = background_pool(1)
    pool.submit(busy, str(tmp_path))
    [pid] = wait_for(lambda: busy_pids(tmp_path, 1), STARTUP_SECONDS, "a busy worker")
    with others_paused([pid, os.getpid()]):  # never itself
        assert wait_for(lambda: is_stopped(pid), EXIT_SECONDS, "the worker paused")
    assert wait_for(lambda: not is_stopped(pid), EXIT_SECONDS, "the worker going on")
    with others_paused([pid]):
        wait_for(lambda: is_stopped(pid), EXIT_SECONDS, "the worker paused")
        stop_pool(pool)
        assert end_all(still_running([pid], EXIT_SECONDS)) == []


# -- the worker's environment, not the app's ---------------------------------------------

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


class TextualStderr:
    """What Textual puts in sys.stderr while an app runs: writes go to the app, and there is no descriptor."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass

    def fileno(self) -> int:
        return -1


@linux_only
def test_a_worker_runs_numpy_on_one_thread_and_the_app_keeps_its_environment_and_stderr(monkeypatch):
    for name in THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "stderr", TextualStderr())
    environment, stderr = dict(os.environ), sys.stderr
    pool = background_pool(1)
    try:
        variables, before, after = pool.submit(threads_around_numpy_import).result(timeout=STARTUP_SECONDS)
    finally:
        stop_pool(pool)
    assert variables == dict.fromkeys(THREAD_VARIABLES, "1")
    assert after == before, "numpy's OpenBLAS started no threads of its own"
    assert dict(os.environ) == environment
    assert sys.stderr is stderr


@pytest.mark.skipif(not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2, reason="reads /proc; one core")
def test_without_the_variables_numpy_would_start_threads():
    """What the test above guards against: on a machine with more than one core, OpenBLAS starts more threads."""
    probe = "from busy_pool import threads_around_numpy_import as probe; _, before, now = probe(); print(now - before)"
    environment = {name: value for name, value in os.environ.items() if name not in THREAD_VARIABLES}
    environment["PYTHONPATH"] = str(Path(__file__).parent)
    started = subprocess.run([sys.executable, "-c", probe], env=environment, capture_output=True, text=True, check=True)
    assert int(started.stdout) > 0


@linux_only
def test_a_user_setting_for_the_thread_count_is_kept(monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "3")
    pool = background_pool(1)
    try:
        variables, _, _ = pool.submit(threads_around_numpy_import).result(timeout=STARTUP_SECONDS)
    finally:
        stop_pool(pool)
    assert variables["OPENBLAS_NUM_THREADS"] == "3"


@linux_only
def test_the_resource_tracker_runs_before_the_app_does():
    """While a Textual app runs, sys.stderr has no descriptor and multiprocessing could not launch its tracker,
    which every pool needs: importing the app has launched it already."""
    wait_after_import = "import sys, newsreader.ui.app; print('imported', flush=True); sys.stdin.read()"
    app = subprocess.Popen(
        [sys.executable, "-c", wait_after_import], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert app.stdout is not None and app.stdout.readline() == "imported\n"
        assert any("resource_tracker" in command_line(pid) for pid in descendants(app.pid))
    finally:
        app.communicate(timeout=EXIT_SECONDS)


# -- priorities -------------------------------------------------------------------


@linux_only
def test_a_pool_with_a_front_runs_its_tasks_at_the_app_priority_and_only_what_goes_in_background_lower():
    """The open article is analysed on the front at the app's niceness (at 10 it got a tenth of a core beside
    any ordinary process); the background analysis and the models' loading (`then`) run lowered."""
    app = own_niceness()
    pool = background_pool(1, then=note_niceness, niceness=3, front=True)
    try:
        started, task, lowered = pool.submit(niceness_of_each).result(timeout=STARTUP_SECONDS)
    finally:
        stop_pool(pool)
    assert (started, task, lowered) == (min(app + 3, 19), app, min(app + 3, 19))


@linux_only
def test_a_pool_without_a_front_is_all_lowered():
    app = own_niceness()
    pool = background_pool(1, then=note_niceness, niceness=3)
    try:
        niceness = pool.submit(niceness_of_each).result(timeout=STARTUP_SECONDS)
    finally:
        stop_pool(pool)
    assert niceness == (min(app + 3, 19),) * 3


def test_in_background_outside_a_worker_runs_here():
    assert in_background(sorted, [2, 1]) == [1, 2]
