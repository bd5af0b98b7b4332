"""Where the loading time goes, for deciding what to optimise.

Three views of the same corpus:

1. Stages, timed without a profiler (so Python-heavy code is not over-weighted):
   raw read, decode, sanitise and parse are each run alone over every file through
   the public functions; walking, path handling and display names are what
   remains of iter_documents once read, decode and sanitise are taken out.
2. Functions, from cProfile over iter_articles: the top entries by own time and
   by cumulative time, as shares of the profiled total.
3. Lower bounds: passes that do less than any correct loader must (strict UTF-8
   decode, header and title split, one hash), against the raw read, to show how
   close to the raw read speed a loader of this design can get at all.

The page cache is warmed first, as in bench_load.py.
"""

import argparse
import cProfile
import hashlib
import os
import pstats
import re
import statistics
import sys
import time

from newsreader.ingest.decode import NotText, decode
from newsreader.ingest.load import Document, iter_documents
from newsreader.ingest.parse import iter_articles, parse
from newsreader.ingest.sanitize import sanitize

PATTERN_SUFFIX = ".txt"


def corpus_files(root: str) -> list[str]:
    return sorted(
        os.path.join(folder, name)
        for folder, _, names in os.walk(root)
        for name in names
        if name.lower().endswith(PATTERN_SUFFIX)
    )


def read_all(paths: list[str]) -> list[tuple[str, bytes]]:
    out = []
    for path in paths:
        with open(path, "rb") as file:
            out.append((path, file.read()))
    return out


def decode_all(blobs: list[tuple[str, bytes]]) -> tuple[list[tuple[str, str]], dict[str, list]]:
    """Decoded texts, and [files, seconds] by outcome, since legacy code pages cost far more than UTF-8."""
    by_kind = {"UTF-8 and BOM": [0, 0.0], "legacy code pages": [0, 0.0], "rejected as not text": [0, 0.0]}
    texts = []
    for path, data in blobs:
        if not data.strip():
            continue
        started = time.perf_counter()
        try:
            decoded = decode(data)
            kind = "UTF-8 and BOM" if decoded.encoding.startswith("utf") else "legacy code pages"
            texts.append((path, decoded.text))
        except NotText:
            kind = "rejected as not text"
        by_kind[kind][0] += 1
        by_kind[kind][1] += time.perf_counter() - started
    return texts, by_kind


def stage_times(root: str, repeat: int) -> tuple[int, list[tuple[str, float]], float]:
    """Median seconds per stage over `repeat` runs, and of a whole iter_articles pass to compare with.

    The machine may be shared, so every stage is repeated and the median kept.
    """

    def timed(work, *args) -> tuple[float, object]:
        seconds = []
        for _ in range(repeat):
            started = time.perf_counter()
            result = work(*args)
            seconds.append(time.perf_counter() - started)
        return statistics.median(seconds), result

    paths = corpus_files(root)
    # Whole passes first, while no stage's output is alive to slow the garbage collector.
    total_seconds, _ = timed(lambda: sum(1 for _ in iter_articles([root])))
    documents_seconds, _ = timed(lambda: sum(1 for _ in iter_documents([root])))
    read_seconds, blobs = timed(read_all, paths)
    decode_seconds, (texts, by_kind) = timed(decode_all, blobs)
    del blobs
    sanitize_seconds, clean = timed(lambda items: [(path, sanitize(text)) for path, text in items], texts)
    del texts
    documents = [Document(str(index), path, text, "utf-8") for index, (path, text) in enumerate(clean)]
    del clean
    parse_seconds, _ = timed(lambda: [parse(document) for document in documents])
    rest = documents_seconds - read_seconds - decode_seconds - sanitize_seconds
    stages = [
        ("raw read (open + read)", read_seconds),
        ("walk, stat, paths, display names (iter_documents minus the rest)", rest),
        ("decode, all files", decode_seconds),
        *(
            (f"… of which {kind} ({count} files, {seconds / max(count, 1) * 1e6:.0f} µs each)", seconds)
            for kind, (count, seconds) in by_kind.items()
        ),
        ("sanitize (article text)", sanitize_seconds),
        ("parse", parse_seconds),
    ]
    return len(paths), stages, total_seconds


def print_stages(files: int, stages: list[tuple[str, float]], total: float) -> None:
    print(f"## Stages ({files} files; iter_articles pass, median: {total:.2f} s, {total / files * 1e6:.0f} µs/file)\n")
    print("| stage | s | µs/file | share of iter_articles |")
    print("|---|--:|--:|--:|")
    for name, seconds in stages:
        print(f"| {name} | {seconds:.2f} | {seconds / files * 1e6:.1f} | {seconds / total:.0%} |")
    print()


def lower_bounds(root: str, repeat: int) -> list[tuple[str, float]]:
    """Median seconds of deliberately incomplete loaders; non-UTF-8 files are simply skipped."""
    control = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\xa0]")

    def raw_read(paths):
        for path in paths:
            with open(path, "rb") as file:
                file.read()

    def index_only(paths):
        for path in paths:
            with open(path, "rb") as file:
                data = file.read()
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            _header, _, rest = text.partition("\n")
            rest.partition("\n")
            hashlib.blake2b(data, digest_size=16).hexdigest()

    def lines_and_scan(paths):
        for path in paths:
            with open(path, "rb") as file:
                data = file.read()
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            control.search(text)
            [line for line in map(str.strip, text.split("\n")) if line]
            hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()

    paths = corpus_files(root)
    results = []
    for name, work in (
        ("raw read (open + read)", raw_read),
        ("read + strict UTF-8 decode + header/title split + blake2b of the bytes", index_only),
        ("… + one control-character regex scan + split into stripped lines + blake2b of the text", lines_and_scan),
    ):
        seconds = []
        for _ in range(repeat):
            started = time.perf_counter()
            work(paths)
            seconds.append(time.perf_counter() - started)
        results.append((name, statistics.median(seconds)))
    return results


def print_lower_bounds(bounds: list[tuple[str, float]], files: int) -> None:
    raw = bounds[0][1]
    print("## Lower bounds: less work than any correct loader does\n")
    print("| pass | s | µs/file | speed vs raw |")
    print("|---|--:|--:|--:|")
    for name, seconds in bounds:
        print(f"| {name} | {seconds:.2f} | {seconds / files * 1e6:.1f} | {raw / seconds:.0%} |")
    print()


def print_profile(root: str, top: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in iter_articles([root]):
        pass
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    rows = [(func, data) for func, data in stats.stats.items()]

    def name(func) -> str:
        filename, line, function = func
        if filename == "~":
            return function
        shown = os.path.relpath(filename) if "newsreader" in filename else os.path.basename(filename)
        return f"{shown}:{line} {function}"

    for title, column in (("own time (tottime)", 2), ("cumulative time (cumtime)", 3)):
        print(f"## cProfile, by {title}; profiled total {total:.2f} s\n")
        print("| function | calls | s | share |")
        print("|---|--:|--:|--:|")
        for func, data in sorted(rows, key=lambda row: row[1][column], reverse=True)[:top]:
            print(f"| `{name(func)}` | {data[1]} | {data[column]:.3f} | {data[column] / total:.1%} |")
        print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", metavar="CORPUS_DIR", help="folder of article files, e.g. from make_corpus.py")
    parser.add_argument("--top", type=int, default=20, metavar="N", help="functions to list (default %(default)s)")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        metavar="R",
        help="runs of each stage; the median is shown (default %(default)s)",
    )
    options = parser.parse_args(argv)
    if not os.path.isdir(options.corpus):
        parser.error(f"{options.corpus} is not a folder")
    for path in corpus_files(options.corpus):  # warm the page cache
        with open(path, "rb") as file:
            file.read()
    repeat = max(1, options.repeat)
    files, stages, total = stage_times(options.corpus, repeat)
    print_stages(files, stages, total)
    print_profile(options.corpus, options.top)
    print_lower_bounds(lower_bounds(options.corpus, repeat), files)
    return 0


if __name__ == "__main__":
    sys.exit(main())
