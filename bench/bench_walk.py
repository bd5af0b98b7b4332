"""Folder walk on 10^5 entries in one folder: linear, and what each kind of entry costs.

Generated corpus, made in a temporary folder and removed afterwards: N tiny articles (a date
line, a title, one sentence) in one flat folder, and N self-looping symlinks `k.txt -> k.txt`
in another. Each variant runs at N/10 and at N; equal microseconds per entry at both sizes
means linear. Times are the median of the repeats, measured around the loop only.

  raw    the floor: os.scandir and open().read() of every file, nothing checked
  walk   iter_documents with a pattern nothing matches: list, sort, classify (no reads)
  load   iter_documents: walk, open, read, decode, sanitise every file
  loops  iter_documents over the symlink loops: one stat and one warning each
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

from newsreader.ingest.load import Document, iter_documents

ARTICLE = "date 2025-01-01\nЗаголовок {index}\n\nКороткая заметка номер {index}.\n"


def make_articles(folder: str, count: int) -> None:
    os.mkdir(folder)
    for index in range(count):
        with open(os.path.join(folder, f"{index:06d}.txt"), "wb") as file:
            file.write(ARTICLE.format(index=index).encode())


def make_loops(folder: str, count: int) -> None:
    os.mkdir(folder)
    for index in range(count):
        name = f"{index:06d}.txt"
        os.symlink(name, os.path.join(folder, name))


def read_raw(folder: str, _pattern: str) -> tuple[int, int]:
    with os.scandir(folder) as scan:
        for entry in scan:
            with open(entry.path, "rb") as file:
                file.read()
    return 0, 0


def load(folder: str, pattern: str) -> tuple[int, int]:
    documents = warnings = 0
    for item in iter_documents([folder], pattern=pattern):
        if isinstance(item, Document):
            documents += 1
        else:
            warnings += 1
    return documents, warnings


def timed(run, folder: str, pattern: str) -> tuple[float, int, int]:
    """Seconds for one full pass, with the documents and warnings it yielded."""
    started = time.perf_counter()
    documents, warnings = run(folder, pattern)
    return time.perf_counter() - started, documents, warnings


VARIANTS = {
    "raw": (read_raw, "articles", ""),
    "walk": (load, "articles", "*.none"),
    "load": (load, "articles", "*.txt"),
    "loops": (load, "loops", "*.txt"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--files", type=int, default=100_000, metavar="N", help="entries per folder (default %(default)s)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, metavar="R", help="runs per figure; the median is shown (default %(default)s)"
    )
    options = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}; generated corpus; median of {options.repeat}")
    print("| variant | entries | documents | warnings | wall s | µs per entry |")
    print("|---|--:|--:|--:|--:|--:|")
    for count in (options.files // 10, options.files):
        with tempfile.TemporaryDirectory(prefix="bench_walk_") as base:
            make_articles(os.path.join(base, "articles"), count)
            make_loops(os.path.join(base, "loops"), count)
            for variant, (run, folder, pattern) in VARIANTS.items():
                runs = [timed(run, os.path.join(base, folder), pattern) for _ in range(options.repeat)]
                seconds = statistics.median(run[0] for run in runs)
                _, documents, warnings = runs[-1]
                print(
                    f"| {variant} | {count:,} | {documents:,} | {warnings:,} | {seconds:.2f} "
                    f"| {seconds / count * 1e6:.1f} |"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
