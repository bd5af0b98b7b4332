"""Warm start: a second run on the same archive, against the first (cold) run and an empty Textual app.

For each corpus, in a fresh cache folder: one cold run (every file read, the snapshot written), then
warm runs of newsreader interleaved with runs of an empty Textual app. Each run is a fresh child
process, headless, analysis off (`enrich=False`: what is timed is the list, not the NER), at one
terminal size; the parent's clock starts just before the child is started, so every time includes
interpreter start-up and imports. Marks:

- first paint: the first frame with article rows (and the process's CPU time then, which other work on
  a busy machine does not inflate as much as it does the wall time) (`bench_ui.frame_clock`, which pays the terminal
  encoding headless mode skips); for the empty app, its first frame;
- list ready: the loader reports the list whole (`loader.done`: on a warm start, the snapshot's store
  taken over) and the list shows every article of the store: sortable (both orders are sorted),
  filterable and searchable from then on;
- checked: the background check for changes has stat'ed every file (warm) / the snapshot is written
  (cold: the load worker has ended);
- peak RSS (VmHWM) of the child at the end; the snapshot's size on disk.

The page cache is not dropped (other benchmarks share the machine); the corpus is walked once first,
so the files and their inodes are in memory for every run. Medians of the warm runs.

    python bench/bench_warm_start.py /work/corpora/gen-10k /work/corpora/real-10k --runs 5 \\
        --json bench/results/warm-10k.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_ui  # noqa: E402
from bench_ui import app_css, frame_clock, machine, proc_status, xdg_env  # noqa: E402

SIZE = (120, 40)
POLL_SECONDS = 0.005


def child(kind: str, corpus: str, report_fd: int) -> None:
    """One app, headless, until the marks are taken; the marks go to `report_fd` as one JSON line."""
    marks: dict[str, float | int] = {"main": time.monotonic()}
    report = os.fdopen(report_fd, "w")
    from textual.app import App

    FrameClock = frame_clock()

    def finish(app) -> None:
        marks["hwm_kib"] = proc_status(os.getpid()).get("VmHWM", 0)
        report.write(json.dumps(marks) + "\n")
        report.flush()
        app.exit()

    if kind == "empty":

        class Empty(FrameClock, App):
            def frame_painted(self, now: float) -> None:
                if "painted" not in marks:
                    marks["painted"], marks["painted_cpu_ms"] = now, time.process_time() * 1000
                    finish(self)

        Empty().run(headless=True, size=SIZE)
        return

    from newsreader.ui.app import NewsreaderApp
    from newsreader.ui.widgets.article_list import ArticleList

    class Bench(FrameClock, NewsreaderApp):
        CSS_PATH = app_css(NewsreaderApp)

        def frame_painted(self, now: float) -> None:
            if "painted" not in marks and self.query_one(ArticleList).row_count:
                marks["painted"], marks["painted_cpu_ms"] = now, time.process_time() * 1000

        def on_mount(self) -> None:
            super().on_mount()
            self.set_interval(POLL_SECONDS, self.poll)

        def poll(self) -> None:
            loader, rows = self.main.loader, self.query_one(ArticleList).row_count
            now = time.monotonic()
            if "listed" not in marks and loader.done and rows == len(self.store) and "painted" in marks:
                marks["listed"], marks["articles"], marks["listed_cpu_ms"] = now, rows, time.process_time() * 1000
                marks["listed_rss_kib"] = proc_status(os.getpid()).get("VmRSS", 0)
            loading = any(worker.group == "load" and not worker.is_finished for worker in self.workers)
            if "listed" in marks and os.environ.get("BENCH_WARM_UNTIL") == "listed":  # a quick look: no check
                finish(self)
            elif "listed" in marks and not loader.checking and not loading:
                marks["checked"] = now
                marks["warnings"] = len(self.load_warnings)
                finish(self)

    Bench([corpus], enrich=False).run(headless=True, size=SIZE)


def run_child(kind: str, corpus: Path, env: dict[str, str], log: Path) -> dict:
    """One child's marks in ms from just before it was started, and what else it reported."""
    _, marks = bench_ui.run_child([str(corpus), "--child", kind], env, log, script=__file__)
    started = marks.pop("started")
    result = {name: (marks[name] - started) * 1000 for name in ("painted", "listed", "checked") if name in marks}
    other = ("articles", "warnings", "hwm_kib", "listed_rss_kib", "painted_cpu_ms", "listed_cpu_ms")
    return result | {name: marks[name] for name in other if name in marks}


def _load_shard(root: str, folder: str) -> tuple[list, list]:
    """One top-level entry of `root` loaded as the app's cold run loads it: (rows, placed warnings)."""
    from newsreader.ingest.load import DEFAULT_MAX_BYTES
    from newsreader.ingest.parse import iter_articles
    from newsreader.ingest.snapshot import Journal

    journal = Journal()
    items = journal.recorded(iter_articles([folder], max_bytes=DEFAULT_MAX_BYTES, unchanged=journal.file_met))
    for _ in items:
        pass
    return journal.settled()


def prepare_snapshot(corpus: Path, cache: Path, processes: int) -> float:
    """Write the snapshot a cold run would write, loading the top-level folders in parallel: a cold run of
    10^6 files takes longer than this machine's sessions allow. Each folder's ids gain its name, as they
    have when the root is walked. Only for a corpus with no files, links or walk warnings at its top."""
    from concurrent.futures import ProcessPoolExecutor

    from newsreader.ingest.load import DEFAULT_MAX_BYTES
    from newsreader.ingest.parse import Article
    from newsreader.ingest.snapshot import Journal, snapshot_path, write_snapshot

    started = time.monotonic()
    folders = sorted(entry.name for entry in os.scandir(corpus))
    assert all((corpus / name).is_dir() and not (corpus / name).is_symlink() for name in folders), "folders only"
    journal = Journal()
    with ProcessPoolExecutor(processes) as pool:
        shards = pool.map(_load_shard, [str(corpus)] * len(folders), [str(corpus / name) for name in folders])
        for name, (rows, warnings) in zip(folders, shards, strict=True):
            offset = len(journal.rows)
            journal.rows += [row._replace(id=f"{name}/{row.id}") if isinstance(row, Article) else row for row in rows]
            journal.warnings += [
                (position + offset, owner + offset if owner >= 0 else -1, w) for position, owner, w in warnings
            ]
    os.environ["XDG_CACHE_HOME"] = str(cache)
    write_snapshot(snapshot_path([str(corpus)], DEFAULT_MAX_BYTES), journal, [str(corpus)], DEFAULT_MAX_BYTES)
    return time.monotonic() - started


def snapshot_bytes(cache: Path) -> int:
    return sum(path.stat().st_size for path in (cache / "newsreader" / "snapshots").glob("*.snapshot"))


def walk(corpus: Path) -> int:
    """Every file read once: the runs then find them in the page cache."""
    count = 0
    for folder, _, files in os.walk(corpus):
        for name in files:
            path = os.path.join(folder, name)
            if os.path.isfile(path) and not os.path.islink(path):  # no FIFO (it would block), no link twice
                with open(path, "rb") as handle:
                    handle.read()
                count += 1
    return count


def bench_corpus(corpus: Path, runs: int, folder: Path, log: Path, prepare: int, kept: bool = False) -> dict:
    files = walk(corpus)
    env = xdg_env(folder / corpus.name)
    load = [os.getloadavg()[0]]
    if kept and snapshot_bytes(Path(env["XDG_CACHE_HOME"])):
        print(f"{corpus.name}: {files:,} files; the snapshot kept from an earlier run", flush=True)
        cold = {}
    elif prepare:
        print(f"{corpus.name}: {files:,} files; snapshot made in {prepare} processes ...", flush=True)
        cold = {"prepared_s": prepare_snapshot(corpus, Path(env["XDG_CACHE_HOME"]), prepare)}
    else:
        print(f"{corpus.name}: {files:,} files; cold run ...", flush=True)
        cold = run_child("newsreader", corpus, env, log)
    size = snapshot_bytes(Path(env["XDG_CACHE_HOME"]))
    print(f"  cold: {cold}; snapshot {size / 2**20:.1f} MiB", flush=True)
    warm, empty = [], []
    for run in range(runs):
        empty.append(run_child("empty", corpus, env, log))
        warm.append(run_child("newsreader", corpus, env, log))
        load.append(os.getloadavg()[0])
        print(f"  warm {run + 1}: {warm[-1]}; empty app {empty[-1]['painted']:.0f} ms", flush=True)
    return {
        "corpus": str(corpus),
        "files": files,
        "cold": cold,
        "warm": warm,
        "empty": empty,
        "snapshot_bytes": size,
        "loadavg": load,
    }


def median(runs: list[dict], name: str) -> float:
    return statistics.median(run[name] for run in runs)


def print_table(results: list[dict]) -> None:
    print()
    print(
        "| corpus | files | articles | cold: list ready | warm: first paint | empty app | ratio | ratio of CPU |"
        " warm: list ready | warm: checked | snapshot | peak RSS warm / cold | load |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for each in results:
        warm, empty, cold = each["warm"], each["empty"], each["cold"]
        paint, blank = median(warm, "painted"), median(empty, "painted")
        cold_listed = f"{cold['listed'] / 1000:.1f} s" if "listed" in cold else "not run"
        cold_rss = f"{cold['hwm_kib'] / 1024:.0f}" if "hwm_kib" in cold else "–"
        has_cpu = all("painted_cpu_ms" in run for run in warm + empty)
        cpu = f"{median(warm, 'painted_cpu_ms') / median(empty, 'painted_cpu_ms'):.2f}×" if has_cpu else "–"
        print(
            f"| {Path(each['corpus']).name} | {each['files']:,} | {warm[0]['articles']:,} | {cold_listed}"
            f" | {paint:.0f} ms | {blank:.0f} ms | {paint / blank:.2f}× | {cpu} | {median(warm, 'listed') / 1000:.2f} s"
            f" | {median(warm, 'checked') / 1000:.1f} s | {each['snapshot_bytes'] / 2**20:.0f} MiB"
            f" | {median(warm, 'hwm_kib') / 1024:.0f} / {cold_rss} MiB"
            f" | {min(each['loadavg']):.1f}–{max(each['loadavg']):.1f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", type=Path, nargs="+")
    parser.add_argument("--runs", type=int, default=5, help="warm runs and empty-app runs (default %(default)s)")
    parser.add_argument("--json", type=Path, help="write every run and the machine here")
    parser.add_argument(
        "--prepare",
        type=int,
        default=0,
        metavar="N",
        help="no cold run: make the snapshot in N processes, one top-level folder each (for 10^6 files)",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="the runs' user folders here, kept: a snapshot found there is used again (no cold run, no --prepare)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--report-fd", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child, str(options.corpora[0]), options.report_fd)
        return
    info = machine()
    print(f"{info['cpus']} × {info['cpu']}, Python {info['python']}, newsreader {info['commit']}", flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-warm-") as temporary:
        folder = options.keep.resolve() if options.keep else Path(temporary)
        log = Path(temporary) / "children.log"
        try:
            for corpus in options.corpora:
                results.append(
                    bench_corpus(corpus.resolve(), options.runs, folder, log, options.prepare, bool(options.keep))
                )
        except SystemExit:
            sys.stderr.write(log.read_text(errors="replace")[-5000:])
            raise
    print_table(results)
    if options.json:
        options.json.parent.mkdir(parents=True, exist_ok=True)
        options.json.write_text(json.dumps({"machine": info, "argv": sys.argv, "results": results}, indent=1))


if __name__ == "__main__":
    main()
