"""Loading speed of newsreader against the floor of reading the same files raw.

Each variant runs in its own fresh child process so that neither memory peaks nor
warm interpreter state carry over from one to another:

  raw         walk the tree (os.walk) and read every *.txt file as bytes: the floor
  parse       newsreader.ingest.parse.iter_articles in one process: load + decode + sanitise + parse
  store       the same, plus newsreader.store.corpus.Store.add for every article
  parse-pool  iter_articles with a pool of --workers processes (runtime.processes.background_pool),
              articles without their text (keep_text=False), as the app's loader asks for them
  store-pool  the same, plus Store.add: what the app does at start-up with a pool

The OS page cache is warmed by one untimed raw pass first, so all variants read
from memory and the comparison is about CPU work, not the disk. Wall time is
measured inside the child around the loading loop only (no interpreter start-up
or imports), and includes starting the pool; stopping it is not timed. Peak RSS is
the child's own ru_maxrss, and for the pool variants also the largest worker's.
The load average (1 min) is recorded before each run: other work on the machine
slows every variant, the pool variants most. CPU µs/file (user + system, the pool's
workers included) varies less with that load: loading in N workers on N idle cores
would take about CPU/N, plus what this process cannot overlap.
"""

import argparse
import importlib.util
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from newsreader.runtime.processes import WORKER_NICENESS

VARIANTS = ("raw", "parse", "store", "parse-pool", "store-pool")
DESCRIPTIONS = {
    "raw": "(a) raw read: os.walk + open().read()",
    "parse": "(b) iter_articles: load + decode + sanitise + parse",
    "store": "(c) (b) + Store.add",
    "parse-pool": "(b') (b) in {workers} worker processes, metadata only",
    "store-pool": "(c') (b') + Store.add",
}
TARGET_SHARE_OF_RAW = 0.5
PATTERN_SUFFIX = ".txt"


def read_raw(root: str) -> dict:
    """The floor: every file the loader would consider, read whole as bytes, nothing else."""
    files = size = 0
    for folder, _, names in os.walk(root):
        for name in names:
            if name.lower().endswith(PATTERN_SUFFIX):
                with open(os.path.join(folder, name), "rb") as file:
                    size += len(file.read())
                files += 1
    return {"files": files, "bytes": size}


def load_articles(root: str, started: float, pool=None, store=None) -> dict:
    """Stream articles and warnings, keeping nothing (as `newsreader extract` does), or into `store`
    (what the reader does at start-up: every article kept, duplicates dropped). With a pool, articles
    come without their text, as the reader's store keeps them. Also when the first article came, in
    seconds after `started` (streaming: the first row of the list)."""
    from newsreader.ingest.parse import Article, iter_articles

    articles = warnings = 0
    first = None
    for item in iter_articles([root], pool=pool, keep_text=pool is None):
        if isinstance(item, Article):
            if first is None:
                first = time.perf_counter() - started
            articles += 1
            if store is not None and store.add(item) is not None:
                warnings += 1
        else:
            warnings += 1
    counts = {"articles": articles, "warnings": warnings, "first_article_seconds": first}
    return counts | ({} if store is None else {"stored": len(store)})


def _max_rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set so far of this process, or of its largest waited-for child (Linux: ru_maxrss in KiB)."""
    return resource.getrusage(who).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """User and system CPU time of this process and of its waited-for children (the pool's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _own_cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def run_child(variant: str, root: str, workers: int, niceness: int) -> None:
    """Body of a child process: import what the variant needs, time one pass, print JSON."""
    counts: dict = {}
    if variant == "raw":
        start_rss, started, cpu, own_cpu = _max_rss_mib(), time.perf_counter(), _cpu_seconds(), _own_cpu_seconds()
        counts = read_raw(root)
        seconds = time.perf_counter() - started
    else:
        import newsreader.ingest.parallel  # noqa: F401  imported before timing, as an app would at start-up
        from newsreader.runtime.processes import background_pool
        from newsreader.store.corpus import Store

        start_rss, started, cpu, own_cpu = _max_rss_mib(), time.perf_counter(), _cpu_seconds(), _own_cpu_seconds()
        pool = background_pool(workers, niceness=niceness) if variant.endswith("-pool") else None
        counts = load_articles(root, started, pool, Store() if variant.startswith("store") else None)
        seconds = time.perf_counter() - started
        if pool is not None:
            pool.shutdown(wait=True)  # idle by now; reaped, so RUSAGE_CHILDREN holds the largest worker's peak
    print(
        json.dumps(
            {
                "variant": variant,
                "seconds": seconds,
                "cpu_seconds": _cpu_seconds() - cpu,  # a pool's workers counted once it is shut down
                "own_cpu_seconds": _own_cpu_seconds() - own_cpu,  # this process alone (a pool's: walk and merge)
                "start_rss_mib": start_rss,
                "peak_rss_mib": _max_rss_mib(),
                "worker_peak_rss_mib": _max_rss_mib(resource.RUSAGE_CHILDREN) if variant.endswith("-pool") else None,
                **counts,
            }
        )
    )


def measure(variant: str, root: str, workers: int, niceness: int) -> dict:
    """Run one variant in a fresh interpreter and return what it reported, with the load average before it."""
    load = os.getloadavg()[0]
    command = [sys.executable, os.path.abspath(__file__), root, "--variant", variant]
    command += ["--workers", str(workers), "--niceness", str(niceness)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout) | {"load_average_before": load}


def machine() -> dict:
    """What the numbers were measured on."""
    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), model)
    except OSError:
        pass
    return {
        "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "system": f"{platform.system()} {platform.release()}",
    }


def package_state() -> dict:
    """Which newsreader was measured: version control state of the imported package, read-only."""
    spec = importlib.util.find_spec("newsreader")
    folder = os.path.dirname(spec.origin) if spec and spec.origin else "."

    def git(*args: str) -> str:
        try:
            done = subprocess.run(["git", "-C", folder, *args], capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return ""
        return done.stdout if done.returncode == 0 else ""

    changed = git("status", "--porcelain", "--", ".")
    return {
        "path": folder,
        "commit": git("rev-parse", "--short", "HEAD").strip() or "unknown",
        "uncommitted_files": [line[3:] for line in changed.splitlines()],
    }


def summarise(runs: dict[str, list[dict]], workers: int) -> list[dict]:
    """One row per variant: median wall time over the repeats, throughputs, speed relative to raw."""
    raw = runs["raw"][0]
    raw_seconds = statistics.median(run["seconds"] for run in runs["raw"])
    rows = []
    for variant in runs:
        seconds = [run["seconds"] for run in runs[variant]]
        median = statistics.median(seconds)
        last = runs[variant][-1]
        articles = last.get("articles", raw["files"])
        rows.append(
            {
                "variant": variant,
                "description": DESCRIPTIONS[variant].format(workers=workers),
                "files": raw["files"],
                "articles": last.get("articles"),
                "warnings": last.get("warnings"),
                "stored": last.get("stored"),
                "seconds_median": median,
                "seconds_min": min(seconds),
                "seconds_max": max(seconds),
                "files_per_second": raw["files"] / median,
                "articles_per_second": articles / median,
                "mib_per_second": raw["bytes"] / 2**20 / median,
                "start_rss_mib": max(run["start_rss_mib"] for run in runs[variant]),
                "peak_rss_mib": max(run["peak_rss_mib"] for run in runs[variant]),
                "worker_peak_rss_mib": max((run.get("worker_peak_rss_mib") or 0 for run in runs[variant]), default=0)
                or None,
                "load_average_median": statistics.median(run["load_average_before"] for run in runs[variant]),
                "cpu_us_per_file": statistics.median(run["cpu_seconds"] for run in runs[variant]) / raw["files"] * 1e6,
                "own_cpu_us_per_file": statistics.median(run.get("own_cpu_seconds", 0) for run in runs[variant])
                / raw["files"]
                * 1e6,
                "first_article_ms": _median_or_none([run.get("first_article_seconds") for run in runs[variant]], 1e3),
                "speed_vs_raw": raw_seconds / median,
            }
        )
    return rows


def _median_or_none(values: list, scale: float) -> float | None:
    known = [value for value in values if value is not None]
    return statistics.median(known) * scale if known else None


def markdown_table(rows: list[dict]) -> str:
    def number(value, digits=0):
        return "–" if value is None else f"{value:,.{digits}f}".replace(",", " ")

    lines = [
        "| variant | files | articles | warnings | wall s (median) | min–max s | files/s | MiB/s "
        "| CPU µs/file (this process) | first article ms | peak RSS MiB | worker peak RSS MiB | load avg "
        "| speed vs raw |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        worker_rss = row["worker_peak_rss_mib"]
        lines.append(
            f"| {row['description']} | {number(row['files'])} | {number(row['articles'])} "
            f"| {number(row['warnings'])} | {row['seconds_median']:.2f} "
            f"| {row['seconds_min']:.2f}–{row['seconds_max']:.2f} | {number(row['files_per_second'])} "
            f"| {row['mib_per_second']:.1f} | {row['cpu_us_per_file']:.0f} ({row['own_cpu_us_per_file']:.0f}) "
            f"| {number(row['first_article_ms'], 1)} | {row['peak_rss_mib']:.1f} "
            f"| {'–' if worker_rss is None else f'{worker_rss:.1f}'} | {row['load_average_median']:.1f} "
            f"| {row['speed_vs_raw']:.0%} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", metavar="CORPUS_DIR", help="folder of article files, e.g. from make_corpus.py")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        metavar="R",
        help="runs of each variant, interleaved; the median is reported (default %(default)s)",
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write machine, rows and every run here")
    parser.add_argument(
        "--variants",
        default=",".join(VARIANTS),
        help="comma-separated subset to run; raw always runs (default: all: %(default)s)",
    )
    parser.add_argument("--workers", type=int, default=2, metavar="N", help="processes in the pool (default 2)")
    parser.add_argument(
        "--niceness",
        type=int,
        default=WORKER_NICENESS,
        metavar="K",
        help="added to the workers' niceness (default %(default)s, as in the app; 0 on a machine others load)",
    )
    parser.add_argument("--variant", choices=VARIANTS, help=argparse.SUPPRESS)  # child mode
    options = parser.parse_args(argv)
    if not os.path.isdir(options.corpus):
        parser.error(f"{options.corpus} is not a folder")
    if options.variant:
        run_child(options.variant, options.corpus, options.workers, options.niceness)
        return 0
    if options.repeat < 1:
        parser.error("--repeat must be at least 1")
    variants = ["raw"] + [name for name in options.variants.split(",") if name != "raw"]
    if unknown := set(variants) - set(VARIANTS):
        parser.error(f"unknown variants: {', '.join(sorted(unknown))}")

    info = machine()
    package = package_state()
    print(
        f"machine: {info['cpus']} CPUs, {info['cpu_model']}, {info['implementation']} {info['python']}, "
        f"{info['system']}; load average {os.getloadavg()[0]:.2f}",
        file=sys.stderr,
    )
    dirty = f", uncommitted: {', '.join(package['uncommitted_files'])}" if package["uncommitted_files"] else ""
    print(f"newsreader: {package['path']} at {package['commit']}{dirty}", file=sys.stderr)
    warm = read_raw(options.corpus)
    print(
        f"corpus: {options.corpus}: {warm['files']} files, {warm['bytes'] / 2**20:.1f} MiB; "
        f"page cache warmed by one untimed raw pass",
        file=sys.stderr,
    )
    runs: dict[str, list[dict]] = {variant: [] for variant in variants}
    for attempt in range(1, options.repeat + 1):
        for variant in variants:
            result = measure(variant, options.corpus, options.workers, options.niceness)
            runs[variant].append(result)
            print(
                f"  run {attempt}/{options.repeat} {variant:<10} {result['seconds']:.2f} s "
                f"(load average before: {result['load_average_before']:.2f})",
                file=sys.stderr,
            )

    rows = summarise(runs, options.workers)
    print(markdown_table(rows))
    for row in rows[1:]:
        verdict = "met" if row["speed_vs_raw"] >= TARGET_SHARE_OF_RAW else "NOT met"
        print(f"\n{row['variant']}: {row['speed_vs_raw']:.0%} of raw read speed, target ≥ 50% {verdict}", end="")
    print()
    if options.json:
        report = {
            "corpus": os.path.abspath(options.corpus),
            "bytes": warm["bytes"],
            "repeat": options.repeat,
            "workers": options.workers,
            "worker_niceness": options.niceness,
            "page_cache": "warmed by one untimed raw pass",
            "machine": info,
            "newsreader": package,
            "load_average_after": os.getloadavg(),
            "rows": rows,
            "runs": runs,
        }
        options.json.parent.mkdir(parents=True, exist_ok=True)
        options.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
