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
