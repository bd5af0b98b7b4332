"""Process pools for background work (NER, search indexing) that never competes with the UI, and never outlives it.

Threads in the app process hold the GIL, and every millisecond they hold it is a
millisecond a key press may wait. CPU-heavy work therefore runs in spawned processes
(fork is unsafe beside the UI's threads), at a lower priority, with their output
silenced because the terminal belongs to the UI.

A worker ends as soon as the app does, however the app ends (a SIGKILL, an OOM kill):
each one waits in a thread on the pipe that multiprocessing's spawn leaves between
child and parent, whose far end only the parent holds, so it reads end-of-file the
moment the parent is gone. PR_SET_PDEATHSIG is not used: Linux ties it to the thread
that started the child, and these pools start workers from whichever thread submits
first, so a finished thread would kill healthy workers.

Nothing here changes the app's own process state: the workers get their environment
through the pool's initializer, not through `os.environ`, and `sys.stderr` is never
replaced. Importing this module starts multiprocessing's resource tracker (see below).
"""

import contextlib
import importlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import resource_tracker
from typing import Any

WORKER_NICENESS = 10  # background work uses every core, but a key press must never wait for it
ORPHANED_EXIT_CODE = 1  # a worker whose parent has gone; nobody is left to read it
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
WORKER_ENVIRONMENT = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}  # one process per core, one thread each
PAUSE, RESUME = getattr(signal, "SIGSTOP", None), getattr(signal, "SIGCONT", None)  # none on Windows
_paused: set[int] = set()  # in a worker: the other workers it has paused, resumed even if it must end at once
_lowered: ThreadPoolExecutor | None = None  # in a worker with a front: its one thread at the pool's niceness

# multiprocessing launches its resource tracker (which every spawned worker needs) with sys.stderr's
# descriptor, and while a Textual app runs, sys.stderr is a stand-in without one (fileno() is -1): the
# launch would fail. So the tracker starts here, as the app's modules are imported, before any UI runs.
resource_tracker.ensure_running()


def background_pool(
    workers: int, then: Callable[[], None] | None = None, niceness: int = WORKER_NICENESS, front: bool = False
) -> ProcessPoolExecutor:
    """`workers` low-priority processes that end with this one; each runs `then` (a module-level function) once started.

    `niceness` is added to this process's: 0 gives the workers its own priority (a benchmark sharing
    the machine with others measures them at the priority it measures itself at).

    With `front`, a task runs at the app's priority unless it goes through `in_background`: each worker
    keeps its own thread at this process's niceness and lowers only a second thread, where
    `in_background` (and `then`) run. For the work a user waits for (the open article): a lowered
    process can never raise its priority back, and at niceness 10 it got a tenth of a core shared
    with any ordinary process (docs/benchmarks.md, "Reading experience at 100k articles"). Linux keeps
    a niceness per thread; elsewhere the second thread lowers the whole worker, as without `front`.

    `then` crosses by name and is imported only after the worker's environment is set: unpickling
    the function itself would import its module first, and with it numpy, which reads its thread
    count once, at import.
    """
    context = multiprocessing.get_context("spawn")
    then_name = None if then is None else (then.__module__, then.__qualname__)
    return ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(WORKER_ENVIRONMENT, then_name, niceness, front),
    )


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Shut the pool down without waiting for the tasks in flight: their workers are terminated.

    `shutdown(wait=False)` alone leaves a busy worker running its task, and the interpreter's
    exit then waits for it. Python 3.14 has `terminate_workers()`; before it, the workers
    are reachable only through the executor's `_processes`.
    """
    workers = list((getattr(pool, "_processes", None) or {}).values())
    resume(worker_pids(pool))  # a paused worker would ignore SIGTERM
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.terminate()  # a no-op for one that has ended


def worker_pids(pool: ProcessPoolExecutor) -> list[int]:
    """The pool's worker processes (through `_processes`, as `stop_pool` reaches them)."""
    return list(getattr(pool, "_processes", None) or {})


@contextlib.contextmanager
def others_paused(pids: Collection[int]) -> Iterator[None]:
    """In a worker: the other workers in `pids` stop (SIGSTOP) while the block runs, and go on after it.

    Why: a worker cannot raise its own priority back, and the open article's worker shares the cores
    with the UI and with the background analysis at the same niceness; paused, the background gives
    it a core. The pause lasts one article's analysis (~10-30 ms). A worker that must end at once
    (its parent gone) resumes them first; the parent resumes them if this worker dies (`resume`)."""
    own = os.getpid()
    paused = [pid for pid in pids if pid != own and PAUSE is not None and _signal(pid, PAUSE)]
    _paused.update(paused)
    try:
        yield
    finally:
        resume(paused)


def in_background(function: Callable[..., Any], *arguments: object) -> Any:
    """In a worker: `function(*arguments)` at the pool's lowered priority, on the lowered thread of a worker with
    a front (see `background_pool`); anywhere else, here and now."""
    lowered = _lowered
    return function(*arguments) if lowered is None else lowered.submit(function, *arguments).result()


def resume(pids: Collection[int]) -> None:
    """Let paused workers go on (a running one is not affected)."""
    for pid in pids:
        if RESUME is not None:
            _signal(pid, RESUME)
        _paused.discard(pid)


def _signal(pid: int, signum: int) -> bool:
    """Whether the signal was sent: the process may have ended meanwhile."""
    try:
        os.kill(pid, signum)
    except OSError:
        return False
    return True


def stop_signals() -> list[signal.Signals]:
    """The signals that should stop this process cleanly; one the caller ignored (`nohup`) stays ignored."""
    return [each for each in STOP_SIGNALS if signal.getsignal(each) is not signal.SIG_IGN]


def exit_code_for(signum: int) -> int:
    """What a shell reports for a process a signal stopped: 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP."""
    return 128 + signum


def wire_text(text: str) -> bytes:
    """How an article text crosses to a worker: as UTF-8 bytes, never as the str itself.

    Pickling a str caches a UTF-8 copy inside the str object for good, so every text ever
    sent would cost twice its size for the rest of the run (+340 MiB at 100k articles).
    `encode()` makes a separate copy that is freed once sent.
    """
    return text.encode()


def _start_worker(
    environment: Mapping[str, str], then_name: tuple[str, str] | None, niceness: int, front: bool
) -> None:
    """Runs first in each worker; this module imports nothing heavy, so `environment` is set before numpy loads.

    A variable the user set keeps the user's value."""
    global _lowered
    for name, value in environment.items():
        os.environ.setdefault(name, value)
    threading.Thread(target=_exit_with_parent, name="parent-watch", daemon=True).start()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole process group: the parent decides
    if front:
        _lowered = ThreadPoolExecutor(1, thread_name_prefix="lowered", initializer=os.nice, initargs=(niceness,))
    else:
        os.nice(niceness)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    if then_name is not None:
        in_background(_run_by_name, *then_name)


def _run_by_name(module: str, name: str) -> None:
    getattr(importlib.import_module(module), name)()


def _exit_with_parent() -> None:
    """Block until the parent process has ended, then end this one at once, mid-task or not."""
    parent = multiprocessing.parent_process()
    if parent is None:
        raise RuntimeError("not a worker process: there is no parent to wait for")
    parent.join()
    resume(list(_paused))  # they end on their own once going again: their parent has gone too
    os._exit(ORPHANED_EXIT_CODE)
