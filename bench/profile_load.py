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
   close to the raw read speed a loader of this design can get at all; beside them
   the loader's own `read_article`, and a list-only pass: what a first pass of a
   two-phase loader would cost (title, lede, credit, a fingerprint of the bytes).

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

from newsreader.ingest.decode import NotText, decode, plain_utf8
from newsreader.ingest.linerules import is_boilerplate
from newsreader.ingest.load import DEFAULT_MAX_BYTES, WALKED, LoadWarning, iter_listed, read_listed
from newsreader.ingest.parse import (
    BOILERPLATE_MAX_CHARS,
    _credit_at,
    _header,
    _parse_lines,
    article_of,
    iter_articles,
    read_article,
)
from newsreader.ingest.sanitize import _only_common, clean_utf8, sanitize

PATTERN_SUFFIX = ".txt"
LIST_ONLY_HEAD_CHARS = 1500  # enough for header, title, lede and credit of a news article


def corpus_files(root: str) -> list[str]:
    return sorted(
        os.path.join(folder, name)
        for folder, _, names in os.walk(root)
        for name in names
        if name.lower().endswith(PATTERN_SUFFIX)
    )


def stage_times(root: str, repeat: int) -> tuple[int, list[tuple[str, float]], float]:
    """Median CPU seconds per stage over `repeat` runs, and of a whole iter_articles pass to compare with."""

    def timed(work, *args) -> tuple[float, object]:
        seconds = []
        for _ in range(repeat):
            started = time.process_time()
            result = work(*args)
            seconds.append(time.process_time() - started)
        return statistics.median(seconds), result

    # The whole pass first, while no stage's output is alive to slow the garbage collector.
    total_seconds, _ = timed(lambda: sum(1 for _ in iter_articles([root], keep_text=False)))
    walk_seconds, listed = timed(lambda: [found for found in iter_listed([root]) if not isinstance(found, LoadWarning)])
    read_seconds, reads = timed(lambda: [read_listed(path, how, DEFAULT_MAX_BYTES) for path, _, how in listed])
    blobs = [read[0] for read in reads if not isinstance(read, str)]
    del reads

    def one_pass(items: list[bytes]) -> tuple[list[tuple[str, list[str]]], list[bytes]]:
        clean, other = [], []
        for data in items:
            text = plain_utf8(data)
            lines = None if text is None else clean_utf8(data, text)
            if lines is None:
                other.append(data)
            else:
                clean.append((lines[0], lines))
        return clean, other

    check_seconds, (clean, other) = timed(one_pass, blobs)
    del blobs

    def general(items: list[bytes]) -> list[list[str]]:
        texts = []
        for data in items:
            try:
                texts.append(sanitize(decode(data).text).split("\n"))
            except NotText:
                pass
        return texts

    general_seconds, texts = timed(general, other)
    everything = [lines for _, lines in clean] + texts
    del clean, texts
    parse_seconds, _ = timed(lambda: [_parse_lines(list(lines)) for lines in everything])
    fields = [(*_parse_lines(list(lines))[0], "utf-8", 1, 2) for lines in everything]
    merge_seconds, _ = timed(lambda: [article_of("a.txt", "a.txt", "a.txt", each, False) for each in fields])
    files = len(listed)
    return (
        files,
        [
            ("walk (iter_listed)", walk_seconds),
            ("safe read (read_listed: open, fstat, read, fstat, close)", read_seconds),
            (f"decode + check, one pass (plain_utf8 + clean_utf8; {files - len(other)} files pass)", check_seconds),
            (f"general path for the other {len(other)} files (decode + sanitize)", general_seconds),
            ("parse (header, strip, boilerplate, credit, lede, join, fingerprint)", parse_seconds),
            ("Article and FileStamp (article_of)", merge_seconds),
        ],
        total_seconds,
    )


def print_stages(files: int, stages: list[tuple[str, float]], total: float) -> None:
    per_file = total / files * 1e6
    print(f"## Stages ({files} files; iter_articles pass, CPU median: {total:.2f} s, {per_file:.0f} µs/file)\n")
    print("| stage | CPU s | µs/file | share of iter_articles |")
    print("|---|--:|--:|--:|")
    for name, seconds in stages:
        print(f"| {name} | {seconds:.2f} | {seconds / files * 1e6:.1f} | {seconds / total:.0%} |")
    print()


def lower_bounds(root: str, repeat: int) -> list[tuple[str, float]]:
    """Median seconds of deliberately incomplete loaders (in the first three, non-UTF-8 files are simply
    skipped), of the loader's own reading of each file, and of a list-only first pass a two-phase design
    would make."""
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

    def list_only(paths):
        """What a first pass that gives the list only would do (the body parsed when opened): the safe
        read, strict decode, common-character check (`clean_utf8`'s), title, lede and credit from the first
        lines, and a fingerprint of the bytes as read, not of the parsed text: a new fingerprint, and no
        duplicates found across encodings or spacing. Other files are read in full."""
        for path in paths:
            read = read_listed(path, WALKED, DEFAULT_MAX_BYTES)
            text = None if isinstance(read, str) else plain_utf8(read[0])
            if text is None or "\t" in text or not _only_common(text):
                read_article(path, WALKED, DEFAULT_MAX_BYTES)
                continue
            head = text[:LIST_ONLY_HEAD_CHARS].split("\n")
            del head[-1]  # maybe cut
            if not head:
                read_article(path, WALKED, DEFAULT_MAX_BYTES)
                continue
            _header(head[0])
            short = BOILERPLATE_MAX_CHARS
            kept = [
                line for line in filter(None, map(str.strip, head[1:])) if len(line) > short or not is_boilerplate(line)
            ]
            if (credit_at := _credit_at(kept)) is not None:
                kept.pop(credit_at)
            hashlib.blake2b(read[0], digest_size=16).hexdigest()

    def loader(paths):
        for path in paths:
            read_article(path, WALKED, DEFAULT_MAX_BYTES)

    paths = corpus_files(root)
    results = []
    for name, work in (
        ("raw read (open + read)", raw_read),
        ("read + strict UTF-8 decode + header/title split + blake2b of the bytes", index_only),
        ("… + one control-character regex scan + split into stripped lines + blake2b of the text", lines_and_scan),
        ("the loader: `read_article` (safe read, decode, sanitise, parse, fingerprint of the text)", loader),
        ("list-only pass: safe read + decode + character check + first lines parsed + blake2b of the bytes", list_only),
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
    print("## Lower bounds (less work than a correct loader does), the loader, and a list-only pass\n")
    print("| pass | s | µs/file | speed vs raw |")
    print("|---|--:|--:|--:|")
    for name, seconds in bounds:
        print(f"| {name} | {seconds:.2f} | {seconds / files * 1e6:.1f} | {raw / seconds:.0%} |")
    print()


def print_profile(root: str, top: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in iter_articles([root], keep_text=False):
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
