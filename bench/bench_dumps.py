"""A dump against the same articles stored as files: first paint, the whole list, and memory.

From a folder of article files (e.g. `make_corpus.py`'s), the same articles are written once as one CSV
(`date,title,text,url`: what a news dump holds), optionally gzipped. Then each input is opened by the app,
headless, analysis off, in fresh cache folders, as `bench_warm_start.py` runs it (its `run_child`): a cold
start of the folder, a warm start of it (its snapshot made by the cold one), and two starts of the CSV (a
dump is read at every start: the second shows what a restart costs). Marks, in ms from just before the
child started: first paint (first frame with rows), list ready (the loader done and every article it has
listed), every file read or checked (a warm start's check for changes ends; a dump's second start lists its
rows only then), and the peak RSS.
An empty Textual app's first paint is the floor.

    python bench/bench_dumps.py /work/corpora/gen-100k --out /work/corpora/dumps --json bench/results/dumps.json
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ui import xdg_env  # noqa: E402
from bench_warm_start import run_child, walk  # noqa: E402
from newsreader.ingest.parse import PARAGRAPH_SEPARATOR, Article, iter_articles  # noqa: E402


def write_csv(corpus: Path, target: Path, compress: bool) -> int:
    """The corpus's articles as CSV rows, in load order; the count of rows."""
    rows = 0
    opened = gzip.open(target, "wt", encoding="utf-8", newline="") if compress else target.open("w", newline="")
    with opened as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "title", "text", "url"])
        for item in iter_articles([corpus]):
            if isinstance(item, Article):
                body = item.text[len(item.title) + len(PARAGRAPH_SEPARATOR) :]
                day = item.date.isoformat() if item.date else ""
                writer.writerow([day, item.title, body, f"https://bench.example/{item.id}"])
                rows += 1
    return rows


def measure(name: str, path: Path, env: dict[str, str], log: Path) -> dict:
    started = time.monotonic()
    marks = run_child("newsreader", path, env, log)
    marks["wall_s"] = time.monotonic() - started
    print(f"  {name}: {marks}", flush=True)
    return marks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="folder of article files")
    parser.add_argument("--out", type=Path, required=True, help="folder for the CSV (kept for later runs)")
    parser.add_argument("--gzip", action="store_true", help="write and read the CSV gzipped")
    parser.add_argument("--json", type=Path, help="write the results here")
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    dump = options.out / (options.corpus.name + (".csv.gz" if options.gzip else ".csv"))
    if not dump.exists():
        started = time.monotonic()
        rows = write_csv(options.corpus, dump, options.gzip)
        print(f"wrote {rows:,} rows to {dump} in {time.monotonic() - started:.0f} s", flush=True)
    files = walk(options.corpus)
    print(f"{options.corpus}: {files:,} files; {dump}: {dump.stat().st_size / 2**20:,.0f} MiB", flush=True)
    log = options.out / "bench_dumps.log"
    for kept in ("cache-files", "cache-dump"):  # an earlier run's caches would make the cold starts warm
        shutil.rmtree(options.out / kept, ignore_errors=True)
    folder_env, dump_env = xdg_env(options.out / "cache-files"), xdg_env(options.out / "cache-dump")
    results = {
        "corpus": str(options.corpus),
        "dump": str(dump),
        "loadavg_before": os.getloadavg()[0],
        "empty": run_child("empty", dump, dump_env, log),
        "files_cold": measure("files, cold", options.corpus, folder_env, log),
        "files_warm": measure("files, warm", options.corpus, folder_env, log),
        "dump_first": measure("dump, first start", dump, dump_env, log),
        "dump_again": measure("dump, second start", dump, dump_env, log),
        "loadavg_after": os.getloadavg()[0],
    }
    print_table(results)
    if options.json:
        options.json.parent.mkdir(parents=True, exist_ok=True)
        options.json.write_text(json.dumps(results, indent=1))


def print_table(results: dict) -> None:
    print(f"\nempty Textual app: first paint {results['empty']['painted']:.0f} ms")
    print("| input | first paint ms | list ready s | every file read or checked s | articles | peak RSS MiB |")
    print("|---|--:|--:|--:|--:|--:|")
    for key, label in (
        ("files_cold", "files, cold"),
        ("files_warm", "files, warm"),
        ("dump_first", "dump, first start"),
        ("dump_again", "dump, second start"),
    ):
        marks = results[key]
        painted, listed, checked = (marks.get(name, float("nan")) for name in ("painted", "listed", "checked"))
        hwm = marks.get("hwm_kib", 0) / 1024
        cells = (
            f"{painted:.0f} | {listed / 1000:.2f} | {checked / 1000:.2f} | {marks.get('articles', 0):,} | {hwm:,.0f}"
        )
        print(f"| {label} | {cells} |")


if __name__ == "__main__":
    main()
