"""A background pool whose workers are all busy in a long task. Run as a script, it is the app the tests kill."""

import os
import sys
import time
from pathlib import Path

from newsreader.runtime.processes import background_pool

TASK_SECONDS = 600


def busy(folder: str) -> None:
    """Leave this worker's pid in `folder`, then work for longer than any test waits."""
    (Path(folder) / str(os.getpid())).touch()
    time.sleep(TASK_SECONDS)


def threads_around_numpy_import() -> tuple[dict[str, str], int, int]:
    """In a worker: the thread-count variables it sees, and its threads before and after numpy first loads.

    numpy's OpenBLAS starts one thread per core at import unless OPENBLAS_NUM_THREADS says otherwise.
    This module does not import numpy, so unpickling this function does not load it early."""
    variables = {name: os.environ.get(name, "") for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    before = thread_count()
    import numpy  # noqa: F401

    return variables, before, thread_count()


_started_at: int | None = None  # in a worker: the niceness `note_niceness` ran at


def note_niceness() -> None:
    """A pool's `then`: notes the niceness it runs at."""
    global _started_at
    _started_at = own_niceness()


def own_niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, 0)  # on Linux, the calling thread's


def niceness_of_each() -> tuple[int | None, int, int]:
    """In a worker: the niceness its `then` ran at, a task's own, and that of what the task runs `in_background`."""
    from newsreader.runtime.processes import in_background  # here: a test runs this module against main's install

    return _started_at, own_niceness(), in_background(own_niceness)


def thread_count() -> int:
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("Threads:")))


def busy_pids(folder: Path, workers: int) -> list[int] | None:
    """The pids of the workers once all `workers` are busy."""
    pids = [int(entry.name) for entry in folder.iterdir()]
    return pids if len(pids) == workers else None


if __name__ == "__main__":
    folder, workers = sys.argv[1], int(sys.argv[2])
    pool = background_pool(workers)
    for _ in range(workers):
        pool.submit(busy, folder)
    time.sleep(TASK_SECONDS)
