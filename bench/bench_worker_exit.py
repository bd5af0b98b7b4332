"""How long NLP workers outlive a SIGKILLed parent (issue 9: at most 2 s).

Starts `newsreader extract` with a fresh enrichment cache, so every worker is busy analysing,
waits until the workers are mid-task, SIGKILLs the parent, and polls /proc every millisecond
until each worker has exited. Linux only.

    python bench/bench_worker_exit.py bench/corpus-10k --runs 5
    python bench/bench_worker_exit.py --factru /work/shared/eval/factru_dev.jsonl --runs 5
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from proc_tree import is_running, wait_for, workers_of  # noqa: E402

STARTUP_SECONDS = 120
POLL_SECONDS = 0.001
GIVE_UP_SECONDS = 30


def factru_folder(jsonl: Path, copies: int, folder: Path) -> Path:
    """The dev documents as article files, `copies` times over, each copy a distinct text."""
    documents = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines() if line.strip()]
    for copy in range(copies):
        for number, document in enumerate(documents):
            text = f"date 2016-01-{1 + copy % 28:02}\n{document['text']}\n\nКопия {copy}.\n"
            (folder / f"{copy:03}_{number:03}.txt").write_text(text, encoding="utf-8")
    return folder


def cpu_ticks(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return 0
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[11]) + int(fields[12])


def all_workers(parent: int, workers: int) -> list[int] | None:
    found = workers_of(parent)
    return found if len(found) == workers else None


def one_run(corpus: Path, workers: int, settle: float) -> list[float]:
    """Seconds from the parent's SIGKILL to each worker's exit."""
    with tempfile.TemporaryDirectory() as cache:
        environment = os.environ | {"XDG_CACHE_HOME": cache}
        command = [sys.executable, "-m", "newsreader", "extract", "--workers", str(workers), str(corpus)]
        parent = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
        try:
            pids = wait_for(lambda: all_workers(parent.pid, workers), STARTUP_SECONDS, "workers")
            start = {pid: cpu_ticks(pid) for pid in pids}
            time.sleep(settle)  # models loaded, articles in flight
            busy = sum(cpu_ticks(pid) > start[pid] for pid in pids)
            parent.send_signal(signal.SIGKILL)
            killed = time.perf_counter()
        finally:
            parent.kill()
            parent.wait()
        delays, waiting = {}, set(pids)
        while waiting and time.perf_counter() - killed < GIVE_UP_SECONDS:
            for pid in list(waiting):
                if not is_running(pid):
                    delays[pid] = time.perf_counter() - killed
                    waiting.discard(pid)
            time.sleep(POLL_SECONDS)
        for pid in waiting:
            os.kill(pid, signal.SIGKILL)
        print(
            f"  {busy}/{workers} workers busy; exit delays: "
            + ", ".join(f"{delays[pid] * 1000:.1f} ms" if pid in delays else "still running" for pid in pids)
        )
        return [delays.get(pid, float("inf")) for pid in pids]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, nargs="?", help="a folder of articles")
    parser.add_argument("--factru", type=Path, help="use the factRuEval dev documents (JSON Lines) instead")
    parser.add_argument(
        "--copies", type=int, default=20, help="copies of the factRuEval documents (default %(default)s)"
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--settle", type=float, default=3.0, help="seconds between the workers' start and the kill")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        corpus = factru_folder(options.factru, options.copies, Path(folder)) if options.factru else options.corpus
        if corpus is None:
            parser.error("give a corpus folder or --factru")
        delays = []
        for run in range(options.runs):
            print(f"run {run + 1}:")
            delays += one_run(corpus, options.workers, options.settle)
    finite = [delay for delay in delays if delay != float("inf")]
    print(
        f"{len(delays)} workers; exited {len(finite)}; median {statistics.median(finite) * 1000:.1f} ms, "
        f"max {max(finite) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
