"""The enrichment dispatcher: what it costs while it waits, and how soon a freed worker gets the next article.

The NLP itself is replaced by a task that sleeps for the times its articles' texts name and notes
when it started and ended, so what is measured is the dispatcher, not the models. Linux only.
A task holds several articles (nlp/service.py), so each bench article is as long as a median one.

- waiting: one worker busy on a long task; the app's CPU time and the dispatcher thread's
  voluntary context switches (its wake-ups) over the wait.
- soon, all busy: one worker, a background queue of short tasks; every so often the reader
  "shows" an article (`submit(soon=True)`). Reported: submission to that article's start, and
  every gap between a task's end and the next task's start on the worker.
- soon, one free: two workers, one busy on a long task; the reader shows an article every
  50 ms. Reported: submission to that article's start on the free worker.

    python bench/bench_dispatcher.py --runs 3
"""

import argparse
import itertools
import os
import re
import statistics
import tempfile
import threading
import time
from pathlib import Path

from newsreader.ingest.load import Document
from newsreader.ingest.parse import Article, parse
from newsreader.nlp import service as service_module
from newsreader.nlp.enrich import Enrichment, to_payload
from newsreader.nlp.service import EnrichmentService

FOLDER_VARIABLE = "NEWSREADER_BENCH_TASKS"  # the workers inherit it: where each task notes its start and end
TEXT_CHARS = 1_700  # the median article of the two 10k corpora: 1 342 (factRuEval) and 1 751 (generated) characters


def timed_task(articles: list[tuple[bytes, object]]) -> list:
    """Stands in for the NLP in a worker: sleeps as long as the task's texts say, notes when the task ran."""
    start = time.monotonic()
    tasks = [re.search(r"task (\S+) sleeps (\S+)", utf8.decode()) for utf8, _ in articles]
    assert all(tasks), "a bench article names its task"
    time.sleep(sum(float(task.group(2)) for task in tasks if task))
    end = time.monotonic()
    for task in tasks:
        if task:
            Path(os.environ[FOLDER_VARIABLE], task.group(1)).write_text(f"{start} {end}")
    return [to_payload(Enrichment((), (), ()))] * len(articles)


def article(name: str, seconds: float, chars: int = TEXT_CHARS) -> Article:
    """A bench article of `chars` characters, by default a median one's, so tasks hold as many as they would."""
    body = f"task {name} sleeps {seconds}\n"
    text = f"date 2025-03-05\nЗадача {name}\n\n{body}{'.' * (chars - len(body))}\n"
    return parse(Document(f"{name}.txt", f"{name}.txt", text, "utf-8"))[0]


def task_times(folder: Path) -> dict[str, tuple[float, float]]:
    times = {}
    for entry in folder.iterdir():
        start, end = entry.read_text().split()
        times[entry.name] = (float(start), float(end))
    return times


def wait_until(condition, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError
        time.sleep(0.01)


def voluntary_switches(thread: threading.Thread) -> int:
    status = Path(f"/proc/self/task/{thread.native_id}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("voluntary_ctxt_switches")))


def dispatcher_thread() -> threading.Thread:
    return next(thread for thread in threading.enumerate() if thread.name == "enrichment")


def waiting(folder: Path, cache: Path, seconds: float) -> tuple[float, int]:
    """CPU seconds of this process and wake-ups of the dispatcher while one worker runs a long task."""
    service = EnrichmentService(lambda article, enrichment: None, cache_path=cache, workers=1)
    try:
        service.submit([article("warmup", 0.0)])
        wait_until(lambda: (folder / "warmup").exists())  # the models have loaded
        service.submit([article("long", seconds + 30)])
        time.sleep(0.5)  # the long task has started
        thread = dispatcher_thread()
        cpu, switches = time.process_time(), voluntary_switches(thread)
        time.sleep(seconds)
        return time.process_time() - cpu, voluntary_switches(thread) - switches
    finally:
        service.close()


def soon(folder: Path, cache: Path, showings: int) -> tuple[list[float], list[float]]:
    """Seconds from each `submit(soon=True)` to that article's start, and the worker's gaps between tasks."""
    finished = threading.Event()
    total = 0

    def keep(article, enrichment):
        nonlocal total
        total += 1
        if total == background + showings:
            finished.set()

    background = 20 * showings
    service = EnrichmentService(keep, cache_path=cache, workers=1)
    submitted = {}
    try:
        service.submit([article("warmup", 0.0)])
        wait_until(lambda: (folder / "warmup").exists())  # the models have loaded
        service.submit([article(f"b{number}", 0.02) for number in range(background)])
        for number in range(showings):
            time.sleep(0.23)
            submitted[f"s{number}"] = time.monotonic()
            service.submit([article(f"s{number}", 0.0)], soon=True)
        finished.wait(timeout=300)
    finally:
        service.close()
    times = task_times(folder)
    to_start = [times[name][0] - at for name, at in submitted.items()]
    ordered = sorted({times[name] for name in times if name != "warmup"})  # a task's articles share its times
    gaps = [start - previous_end for (_, previous_end), (start, _) in itertools.pairwise(ordered)]
    return to_start, gaps


def soon_with_a_free_worker(folder: Path, cache: Path, showings: int) -> list[float]:
    """Seconds from each `submit(soon=True)` to that article's start while one of two workers is free."""
    service = EnrichmentService(lambda article, enrichment: None, cache_path=cache, workers=2)
    submitted = {}
    try:
        long = 2 * service_module.SHORT_CHARS  # too long for a short task: each goes alone, to its own worker
        service.submit([article("warmup1", 0.5, long), article("warmup2", 0.5, long)])
        wait_until(lambda: (folder / "warmup1").exists() and (folder / "warmup2").exists())  # both have loaded
        service.submit([article("long", 60.0)])
        time.sleep(0.2)
        for number in range(showings):
            name = f"f{number}"
            submitted[name] = time.monotonic()
            service.submit([article(name, 0.0)], soon=True)
            wait_until((folder / name).exists)
            time.sleep(0.05)
    finally:
        service.close()
    times = task_times(folder)
    return [times[name][0] - at for name, at in submitted.items()]


def milliseconds(values: list[float]) -> str:
    p90 = statistics.quantiles(values, n=10)[-1]
    return (
        f"median {statistics.median(values) * 1000:.2f} ms, p90 {p90 * 1000:.2f} ms, "
        f"max {max(values) * 1000:.2f} ms (n={len(values)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--wait", type=float, default=5.0, help="seconds of waiting measured (default %(default)s)")
    parser.add_argument("--showings", type=int, default=20, help="soon submissions a run (default %(default)s)")
    options = parser.parse_args()
    service_module._enrich_in_worker = timed_task  # the NLP, replaced
    to_start, gaps, free_to_start = [], [], []
    for run in range(options.runs):
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch) / "tasks"
            folder.mkdir()
            os.environ[FOLDER_VARIABLE] = str(folder)
            cpu, wakeups = waiting(folder, Path(scratch) / "wait.sqlite3", options.wait)
            print(f"run {run + 1}: waiting {options.wait:g} s: {cpu * 1000:.1f} ms CPU, {wakeups} dispatcher wake-ups")
            for entry in folder.iterdir():
                entry.unlink()
            run_to_start, run_gaps = soon(folder, Path(scratch) / "soon.sqlite3", options.showings)
            to_start += run_to_start
            gaps += run_gaps
            for entry in folder.iterdir():
                entry.unlink()
            free_to_start += soon_with_a_free_worker(folder, Path(scratch) / "free.sqlite3", options.showings)
    print(f"all busy: soon submission to its start: {milliseconds(to_start)}")
    print(f"all busy: worker idle between tasks:    {milliseconds(gaps)}")
    print(f"one free: soon submission to its start: {milliseconds(free_to_start)}")


if __name__ == "__main__":
    main()
