"""Reading speed and memory of archive dumps (newsreader.ingest.dumps), and the cost of the HTML and
feed libraries.

For a CSV dump in the Lenta.ru layout (bench/make_csv_corpus.py, --rows rows) stored plain, gzipped
and zipped, each run is a fresh child process that imports newsreader.ingest.dumps and iterates
`iter_records` over the file; it reports the time to the first record (import included: what a user
waits for), the time to the last, and its peak RSS (ru_maxrss). The OS page cache is warmed first.
Then, in one process: trafilatura's time per saved page and feedparser's time per feed entry,
on pages and a feed built from make_corpus articles; and the import time of trafilatura, feedparser
and dateparser, each in a fresh process (median of --repeat). The load average is printed with
every figure: other work on the machine slows them all.
"""

import argparse
import gzip
import html
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import make_csv_corpus
from make_corpus import FIRST_DATE, article_text

CHILD = """
import json, resource, sys, time
started = time.perf_counter()
from newsreader.ingest.dumps import Record, iter_records
first = None
records = problems = 0
for item in iter_records(sys.argv[1]):
    if isinstance(item, Record):
        records += 1
        if first is None:
            first = time.perf_counter() - started
    else:
        problems += 1
whole = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"first": first, "whole": whole, "records": records, "problems": problems, "peak_mib": peak}))
"""
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="{date}">
<link rel="canonical" href="https://lenta.ru/news/{slug}/">
<style>body {{ font: 14px sans-serif }}</style><script>window.dataLayer = [];</script></head>
<body><header><nav><a href="/">Главная</a> <a href="/rubrics/russia/">Россия</a>
<a href="/rubrics/world/">Мир</a></nav></header>
<main><article><h1>{title}</h1>{paragraphs}</article>
<aside><h3>Читайте также</h3><ul><li><a href="/a">Другая новость</a></li>
<li><a href="/b">Ещё одна</a></li></ul></aside></main>
<footer>© Лента.ру, все права защищены. 18+</footer></body></html>"""


def write_dumps(folder: Path, rows: int) -> list[Path]:
    plain = folder / "lenta.csv"
    with open(plain, "w", encoding="utf-8", newline="") as out:
        make_csv_corpus.write_csv(out, rows, seed=1, paragraphs_kept=False)
    packed = folder / "lenta.csv.gz"
    with open(plain, "rb") as source, gzip.open(packed, "wb", compresslevel=6) as target:
        while chunk := source.read(1 << 20):
            target.write(chunk)
    zipped = folder / "lenta.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(plain, "lenta.csv")
    return [plain, packed, zipped]


def warm_page_cache(path: Path) -> None:
    """Read the file through once, a MiB at a time: reading it whole would raise this process's peak RSS,
    which Linux hands on to the children it starts (ru_maxrss survives exec)."""
    with open(path, "rb") as file:
        while file.read(1 << 20):
            pass


def run_child(path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def pages_and_feed(count: int) -> tuple[list[bytes], bytes]:
    rng = random.Random(7)
    pages, items = [], []
    for index in range(count):
        lines = article_text(rng, FIRST_DATE).split("\n")
        title, paragraphs = lines[1], [line for line in lines[3:] if line.strip()]
        body = "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in paragraphs)
        slug = f"2015/01/01/n{index}"
        pages.append(PAGE.format(title=html.escape(title), date="2015-01-01", slug=slug, paragraphs=body).encode())
        items.append(
            f"<item><title>{html.escape(title)}</title><link>https://lenta.ru/news/{slug}/</link>"
            f"<pubDate>Thu, 01 Jan 2015 12:00:00 +0300</pubDate><description>{html.escape(body)}</description></item>"
        )
    channel = f"<channel><title>Лента</title>{''.join(items)}</channel>"
    return pages, f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0">{channel}</rss>'.encode()


def import_time(module: str, repeat: int) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
        for _ in range(repeat)
    ]
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the CSV dump (default %(default)s)")
    parser.add_argument("--pages", type=int, default=200, help="HTML pages and feed entries (default %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing; the median is shown")
    options = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="bench_dump_reading_") as folder:
        started = time.perf_counter()
        paths = write_dumps(Path(folder), options.rows)
        size = paths[0].stat().st_size / 2**20
        print(f"wrote {options.rows:,} rows ({size:,.0f} MiB) in {time.perf_counter() - started:.0f} s")
        print(f"\n{'file':<14}{'MiB':>8}{'first record':>14}{'all records':>13}{'rows/s':>10}{'peak RSS':>10}  load")
        for path in paths:
            warm_page_cache(path)
            runs = [run_child(path) for _ in range(options.repeat)]
            first = statistics.median(run["first"] for run in runs)
            whole = statistics.median(run["whole"] for run in runs)
            peak = max(run["peak_mib"] for run in runs)
            assert all(run["records"] == options.rows for run in runs), runs
            print(
                f"{path.name:<14}{path.stat().st_size / 2**20:>8,.1f}{first * 1000:>12.0f}ms{whole:>12.1f}s"
                f"{options.rows / whole:>10,.0f}{peak:>8.0f}MiB  {os.getloadavg()[0]:.1f}"
            )
    pages, feed = pages_and_feed(options.pages)
    import feedparser
    import trafilatura

    trafilatura.bare_extraction(pages[0], with_metadata=True)  # its first call loads its models
    started = time.perf_counter()
    for page in pages:
        trafilatura.bare_extraction(page, with_metadata=True, include_comments=False, include_tables=True)
    per_page = (time.perf_counter() - started) / len(pages)
    started = time.perf_counter()
    entries = feedparser.parse(feed, resolve_relative_uris=False, sanitize_html=True).entries
    per_entry = (time.perf_counter() - started) / len(entries)
    page_kib = sum(map(len, pages)) / len(pages) / 1024
    print(f"\ntrafilatura: {per_page * 1000:.1f} ms a page ({len(pages)} pages of ~{page_kib:.0f} KiB)")
    load = os.getloadavg()[0]
    print(f"feedparser: {per_entry * 1000:.2f} ms an entry ({len(entries)} entries in one feed); load {load:.1f}")
    for module in ("trafilatura", "feedparser", "dateparser", "newsreader.ingest.dumps.reader"):
        print(f"import {module}: {import_time(module, options.repeat) * 1000:.0f} ms (fresh process, median)")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
