"""Throughput of `newsreader analyse`: local processes, and a dask LocalCluster of 1 and 2 worker processes.

    flock /tmp/bench.lock .venv/bin/python bench/bench_analyse.py /work/corpora/real-10k --count 1000

Each mode analyses the same first COUNT distinct articles (load order) from an empty cache into a
temporary --output folder, then runs again to check that the second run does no NLP. Times are cold:
they include starting the worker processes and loading the models in each (~1.5 s). Dask workers
run one thread each (`--nthreads 1`, as docs/cluster.md says); the local pool runs at niceness 10, as
in the app, the dask workers at the bench's own. The load average is printed before and after each.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

# Spawned workers import this module again before their initializer runs: numpy, imported below, would
# read its thread count first, and two workers of two BLAS threads each spin on two cores (7x the CPU).
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

from newsreader.analysis.archive import analyse_archive  # noqa: E402
from newsreader.cli.extract import load_store  # noqa: E402


def run(label: str, articles, **where) -> None:
    before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        started = time.monotonic()
        cold = analyse_archive(articles, output=Path(folder), index=False, **where)
        seconds = time.monotonic() - started
        again = analyse_archive(articles, output=Path(folder), index=False, **where)
        size = (Path(folder) / "enrichment.sqlite3").stat().st_size
    progress = cold.progress
    assert progress.analysed + progress.failed == len(articles) and again.progress.analysed == 0
    print(
        f"| {label} | {len(articles):,} | {seconds:.1f} s | {progress.analysed / seconds:.1f} | "
        f"{again.seconds:.2f} s | {progress.failed} | {size / len(articles):,.0f} B | "
        f"{before:.2f} → {os.getloadavg()[0]:.2f} |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--modes", default="local,dask-1,dask-2", help="comma-separated: local, dask-1, dask-2")
    options = parser.parse_args()
    _, articles = load_store([options.corpus], max_bytes=2**20)
    articles = articles[: options.count]
    mean = sum(len(article.text) for article in articles) / len(articles)
    print(f"{options.corpus}: {len(articles):,} articles, mean {mean / 1000:.1f} K characters, {os.cpu_count()} cores")
    print("| mode | articles | cold run | articles/s | second run | failed | cache an article | load average |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|")
    for mode in options.modes.split(","):
        if mode == "local":
            run("local processes (2)", articles, workers=2)
        elif mode.startswith("dask-"):
            from distributed import LocalCluster

            workers = int(mode.removeprefix("dask-"))
            with LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
            ) as cluster:
                run(
                    f"dask LocalCluster, {workers} worker{'s' if workers > 1 else ''}",
                    articles,
                    scheduler=cluster.scheduler_address,
                )
        else:
            sys.exit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main()
