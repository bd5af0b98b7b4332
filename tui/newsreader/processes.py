"""Process pools for background work (NER, search indexing) that never competes with the UI.

Threads in the app process hold the GIL, and every millisecond they hold it is a
millisecond a key press may wait. CPU-heavy work therefore runs in spawned processes
(fork is unsafe beside the UI's threads), at a lower priority, with their output
silenced because the terminal belongs to the UI.
"""

import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

WORKER_NICENESS = 10  # background work uses every core, but a key press must never wait for it


def background_pool(workers: int, then: Callable[[], None] | None = None) -> ProcessPoolExecutor:
    """`workers` low-priority processes; each runs `then` (a module-level function) once started."""
    _start_resource_tracker()
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):  # one process per core, one thread each
        os.environ.setdefault(name, "1")
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(then,))


def wire_text(text: str) -> bytes:
    """How an article text crosses to a worker: as UTF-8 bytes, never as the str itself.

    Pickling a str caches a UTF-8 copy inside the str object for good, so every text ever
    sent would cost twice its size for the rest of the run (+340 MiB at 100k articles).
    `encode()` makes a separate copy that is freed once sent.
    """
    return text.encode()


def _start_worker(then: Callable[[], None] | None) -> None:
    os.nice(WORKER_NICENESS)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    if then is not None:
        then()


def _start_resource_tracker() -> None:
    """multiprocessing launches its tracker with sys.stderr's descriptor, which Textual replaces."""
    from multiprocessing import resource_tracker

    replaced, sys.stderr = sys.stderr, sys.__stderr__
    try:
        resource_tracker.ensure_running()
    finally:
        sys.stderr = replaced
