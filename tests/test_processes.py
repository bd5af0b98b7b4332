"""Worker processes: texts cross to them as bytes, so the app's copies do not grow; they never outlive the app."""

import pickle
import subprocess
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from newsreader.runtime.processes import background_pool, stop_pool, wire_text

from busy_pool import busy, busy_pids
from proc_tree import descendants, end_all, still_running, wait_for


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
    assert end_all(still_running(children, EXIT_SECONDS)) == [], "workers and the resource tracker end with their parent"


def test_stop_pool_ends_busy_workers_at_once(tmp_path):
    pool = background_pool(1)
    future = pool.submit(busy, str(tmp_path))
    [pid] = wait_for(lambda: busy_pids(tmp_path, 1), STARTUP_SECONDS, "a busy worker")
    stop_pool(pool)
    assert end_all(still_running([pid], EXIT_SECONDS)) == []
    with pytest.raises(BrokenProcessPool):
        future.result(timeout=EXIT_SECONDS)

