"""An archive analysed through the service on all cores: sustained speed, the time to a million articles, the
disk cache and the in-store size an article, and how soon the open article is delivered meanwhile.

    python bench/bench_analysis_archive.py /work/corpora/gen-10k /work/corpora/real-10k --count 3000

For each corpus, a service on all cores with an empty cache (a temporary folder) is given the first
--count distinct articles, as the app gives it the list. Once --warmup results are in (the models
are loaded, every worker busy), the reader "opens" an article every --interval seconds: one of
--opens articles kept out of the queue, submitted as the open article (`urgent`). Measured:

- sustained speed: articles delivered from the 10% mark to the last, over that time; the time to
  a fully analysed million is the start-up (to the first result) plus 10^6 at that speed. A straight
  line, since each article costs the same whatever the archive's size: it is analysed on its own
  (batches share the model's passes, not results), and the cache is one SQLite table;
- CPU seconds an article in the workers (/proc, utime + stime of each) over the same stretch: the
  speed an idle machine would give, whatever else runs on this one;
- the open article: from its `submit` to its result reaching `on_result`, the service's share of
  "highlighted after it is opened" (the app then draws it; bench/bench_ui.py times the whole path).
  The reserve (a worker kept free for RESERVE_SECONDS after an open) is set to 0 unless --reserve is
  given: every open then finds all workers busy, as after a pause of more than 5 s over an article;
- the cache file (with its -wal and -shm) after the run, and a second service over it (the warm
  re-run: all from the cache);
- the store: what `Store.set_enrichment` adds to the heap for the analysed articles (tracemalloc:
  packed arrays, string table, entity and event indexes), and the packed arrays alone.

Other sessions may load the machine: the load average is printed at the start and the end.
"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

from bench_enrich import load_articles
from newsreader.ingest.parse import Article
from newsreader.nlp import service as service_module
from newsreader.nlp.enrich import Enrichment
from newsreader.nlp.service import EnrichmentService
from newsreader.store.corpus import Store
from newsreader.store.packing import StringTable, pack

MILLION = 1_000_000


def workers() -> list[str]:
    """Pids of this process's live children that are spawned workers (not the resource tracker)."""
    found = []
    for children in Path("/proc/self/task").glob("*/children"):
        for pid in children.read_text().split():
            try:
                if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    found.append(pid)
            except OSError:  # it ended meanwhile
                continue
    return found


def worker_cpu_seconds() -> float:
    """utime + stime of the workers, from /proc."""
    total = 0.0
    for pid in workers():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def worker_peak_rss_mb() -> list[float]:
    """VmHWM of each worker."""
    peaks = []
    for pid in workers():
        try:
            lines = Path(f"/proc/{pid}/status").read_text().splitlines()
        except OSError:
            continue
        peaks += [int(line.split()[1]) / 1024 for line in lines if line.startswith("VmHWM:")]
    return peaks


def analyse(articles: list[Article], opens: list[Article], cache: Path, options) -> dict:
    """Run the service over `articles`, opening `opens` one by one while it works."""
    delivered: dict[str, float] = {}
    results: dict[str, Enrichment] = {}
    expected = len({article.fingerprint for article in [*articles, *opens]})
    finished = threading.Event()
    lock = threading.Lock()
    cpu_at_mark: list[float] = []

    def keep(article: Article, enrichment: Enrichment) -> None:
        with lock:
            delivered.setdefault(article.fingerprint, time.perf_counter())
            results[article.fingerprint] = enrichment
            if len(delivered) == expected // 10:
                cpu_at_mark.append(worker_cpu_seconds())
            if len(delivered) == expected:
                finished.set()

    warnings: list[str] = []
    started = time.perf_counter()
    service = EnrichmentService(keep, cache_path=cache, workers=options.workers, on_warning=warnings.append)
    service.submit(articles)
    while len(delivered) < min(options.warmup, len(articles)):
        time.sleep(0.01)
    first_at = min(delivered.values())
    asked: dict[str, float] = {}
    for article in opens:
        if finished.is_set():
            break
        asked[article.fingerprint] = time.perf_counter()
        service.submit([article], urgent=True)
        time.sleep(options.interval)
    if not finished.wait(timeout=24 * 3600):
        raise RuntimeError(f"only {len(delivered)} of {expected} delivered")
    cpu, peaks = worker_cpu_seconds(), worker_peak_rss_mb()
    service.close()
    times = sorted(delivered.values())
    mark = times[len(times) // 10]
    return {
        "startup": first_at - started,
        "wall": times[-1] - started,
        "sustained": (len(times) - len(times) // 10 - 1) / (times[-1] - mark),
        "cpu_per_article": (cpu - cpu_at_mark[0]) / (len(times) - len(times) // 10),
        "worker_peaks": peaks,
        "opened_ms": [(delivered[fingerprint] - at) * 1000 for fingerprint, at in asked.items()],
        "results": results,
        "warnings": warnings,
    }


def rerun_from_cache(articles: list[Article], cache: Path, workers: int) -> tuple[float, int]:
    """Seconds for a second service to deliver every article from the cache; how many came from it."""
    done = threading.Event()
    count = 0
    distinct = len({article.fingerprint for article in articles})

    def keep(article: Article, enrichment: Enrichment) -> None:
        nonlocal count
        count += 1
        if count == distinct:
            done.set()

    started = time.perf_counter()
    service = EnrichmentService(keep, cache_path=cache, workers=workers)
    service.submit(articles)
    done.wait(timeout=3600)
    seconds = time.perf_counter() - started
    service.close()
    return seconds, service.from_cache


def cache_bytes(cache: Path) -> int:
    return sum(path.stat().st_size for path in cache.parent.glob(cache.name + "*"))


def store_bytes(articles: list[Article], results: dict[str, Enrichment]) -> tuple[float, float]:
    """Heap bytes `Store.set_enrichment` adds an analysed article, and bytes of its packed arrays alone."""
    store = Store()
    for article in articles:
        store.add(article)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    analysed = sum(store.set_enrichment(fingerprint, result) is not None for fingerprint, result in results.items())
    added = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    strings = StringTable()
    packed = [pack(result, strings) for result in results.values()]
    arrays = sum(sys.getsizeof(array) for array in packed)
    return added / analysed, arrays / len(packed)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min"


def report(name: str, articles: list[Article], run: dict, cache_size: int, rerun: tuple[float, int], store) -> None:
    count = len(run["results"])
    cores = os.cpu_count() or 1
    per_store, per_packed = store
    opened = run["opened_ms"]
    idle_rate = min(cores, run["workers"]) / run["cpu_per_article"]
    kb = statistics.mean(len(article.text.encode()) for article in articles) / 1024
    print(f"\n## {name}: {count} articles (mean {kb:.1f} KB), {run['workers']} workers\n")
    print("| measure | here | at 10^6 articles |\n| --- | ---: | ---: |")
    rows = [
        ("start-up (pool, models) to the first result", f"{run['startup']:.1f} s", ""),
        (
            "sustained speed, all workers (this machine, as loaded)",
            f"{run['sustained']:.0f} articles/s",
            hours(run["startup"] + MILLION / run["sustained"]),
        ),
        (
            "worker CPU an article -> speed on an idle machine",
            f"{run['cpu_per_article'] * 1000:.1f} ms -> {idle_rate:.0f} articles/s",
            hours(run["startup"] + MILLION / idle_rate),
        ),
        (
            f"open article delivered, {len(opened)} opens (median, p95, max)",
            f"{statistics.median(opened):.0f}, {percentile(opened, 0.95):.0f}, {max(opened):.0f} ms",
            "",
        ),
        (
            "analysis cache on disk",
            f"{cache_size / count:,.0f} B an article",
            f"{cache_size / count * MILLION / 1e9:.2f} GB",
        ),
        (
            "warm re-run (all from the cache)",
            f"{rerun[0]:.2f} s, {rerun[1]} hits, {count / rerun[0]:,.0f} articles/s",
            hours(MILLION / (count / rerun[0])),
        ),
        ("peak RSS of each worker", ", ".join(f"{peak:.0f}" for peak in run["worker_peaks"]) + " MB", ""),
        ("store heap for the analysis", f"{per_store:,.0f} B an article", f"{per_store * MILLION / 1e9:.2f} GB"),
        ("  of which packed arrays", f"{per_packed:,.0f} B an article", f"{per_packed * MILLION / 1e9:.2f} GB"),
    ]
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if run["warnings"]:
        print(f"\n{len(run['warnings'])} warnings, the first: {run['warnings'][0]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", type=Path, nargs="+")
    parser.add_argument("--count", type=int, default=3000, help="articles analysed (default %(default)s)")
    parser.add_argument("--opens", type=int, default=40, help="articles opened meanwhile (default %(default)s)")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between opens (default %(default)s)")
    parser.add_argument("--warmup", type=int, default=50, help="results before the first open (default %(default)s)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--reserve", action="store_true", help="keep the reserve after an open (the app's default)")
    options = parser.parse_args()
    if not options.reserve:
        service_module.RESERVE_SECONDS = 0.0
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.1f}")
    for corpus in options.corpora:
        loaded = load_articles(corpus, options.count + options.opens)
        opens, articles = loaded[: options.opens], loaded[options.opens :]
        with tempfile.TemporaryDirectory() as folder:
            cache = Path(folder) / "enrichment.sqlite3"
            run = analyse(articles, opens, cache, options) | {"workers": options.workers}
            size = cache_bytes(cache)
            rerun = rerun_from_cache(articles + opens, cache, options.workers)
        report(str(corpus), loaded, run, size, rerun, store_bytes(loaded, run["results"]))
        print(f"\nload average now {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
