"""Memory of the app and its NER worker on a fully analysed archive (issue 11, point 4).

For each corpus given, three headless app processes run one after the other, each with the same fresh
XDG dirs (so the second and third start warm, from the snapshot the first wrote):

1. **floor**: the app on an empty folder, analysis off: what Python, Textual and the app cost with no archive.
2. **loaded**: the app on the corpus, analysis off, cold (every file read): the articles' share.
3. **analysed**: the app on the corpus with one NER worker, until every article is analysed; then the app's
   RSS, the worker's, the store's analysis structures (their deep size) and a census of the heap.

"Fully analysed" without hours of NLP: before run 3, the parent analyses the first `--sample` articles of
the corpus for real (natasha, in this process) and writes into the run's analysis cache, for every other
article but the last `--leave` ones, one of those real results, its spans trimmed to the article's length
(as `bench_ui`'s projection does). The app then takes those results from the cache, through the same path as
a second run over an analysed archive, and its one worker analyses the `--leave` articles left out, so the
worker's RSS is a worker's after real work. What this cannot reproduce: the entity keys of the reused
results repeat those of the sample, so the string table and the number of distinct entities are those of
`--sample` articles, not of the whole corpus (the real corpus repeats 122 documents, so there it is close).

    python bench/bench_memory.py /work/corpora/gen-10k /work/corpora/real-10k --json bench/results/memory-10k.json

RSS is VmRSS from /proc (what the process holds now), peak is VmHWM. MiB throughout; the issue's targets are
in MB (600 MB = 572 MiB, 2 GB = 1907 MiB).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_ui import proc_status

MIB = 2**20
CHILD_TIMEOUT = 3600


def role_of(pid: int, writers: set[int]) -> str:
    """A child by what it runs: the search index's writer (its pool's pids are given), or an NER worker."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "gone"
    if b"resource_tracker" in command:
        return "resource tracker"
    if pid in writers:
        return "search index writer"
    return "NER worker" if b"spawn_main" in command else command[:40].decode(errors="replace")


def process_tree(pid: int, writers: set[int] = frozenset()) -> list[dict]:  # type: ignore[assignment]
    """This process and its descendants: pid, role, RSS and peak in MiB."""
    rows, pending = [], [(pid, True)]
    while pending:
        current, top = pending.pop(0)
        status = proc_status(current)
        if not status:
            continue
        rows.append(
            {
                "pid": current,
                "role": "app" if top else role_of(current, writers),
                "rss_mib": status["VmRSS"] / 1024,
                "hwm_mib": status["VmHWM"] / 1024,
            }
        )
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                pending += [(int(child), False) for child in children.read_text().split()]
            except OSError:
                pass
    return rows


# -- the child: one app ---------------------------------------------------------------------------------


def deep_size(root: object) -> int:
    """Bytes of `root` and everything it reaches through containers (strings shared with others counted once)."""
    seen: set[int] = set()
    stack = [root]
    total = 0
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        total += sys.getsizeof(obj)
        if isinstance(obj, dict):
            stack.extend(obj.keys())
            stack.extend(obj.values())
        elif isinstance(obj, list | tuple | set | frozenset):
            stack.extend(obj)
        elif hasattr(obj, "__dict__") and not isinstance(obj, type):
            stack.append(vars(obj))
        elif hasattr(obj, "__slots__"):
            stack.extend(getattr(obj, name) for name in obj.__slots__ if hasattr(obj, name))
    return total


ANALYSIS_PARTS = (
    "_enrichments",
    "_shelf",
    "_packed_at",
    "_packed_size",
    "_first_event",
    "_event_count",
    "_unpacked",
    "_strings",
    "_entity_articles",
    "_entity_names",
    "_events",
    "_events_by_key",
    "_events_by_article",
    "_live_event_rows",
    "_aliases",
)


def analysis_breakdown(store) -> dict[str, float]:
    """MiB of each of the store's analysis structures that exists (deep size)."""
    return {name: deep_size(getattr(store, name)) / MIB for name in ANALYSIS_PARTS if hasattr(store, name)}


def census(limit: int = 12) -> list[tuple[str, int, float]]:
    """The GC-tracked objects by type (count, shallow MiB), largest first; frozen ones are unfrozen to be seen."""
    import gc
    from collections import Counter

    counts: Counter[str] = Counter()
    sizes: Counter[str] = Counter()
    for obj in gc.get_objects():
        name = type(obj).__qualname__
        counts[name] += 1
        sizes[name] += sys.getsizeof(obj)
    return [(name, counts[name], size / MIB) for name, size in sizes.most_common(limit)]


def allocators() -> dict[str, float]:
    """Where the heap's bytes are, MiB: Python's small-object allocator (arenas in use, and how much of them is
    free blocks), glibc malloc (in use, and free but not given back), and the RSS once malloc gives back what
    it can (`malloc_trim`)."""
    import ctypes
    import re

    found: dict[str, float] = {}
    with tempfile.TemporaryFile() as captured:
        saved = os.dup(2)
        os.dup2(captured.fileno(), 2)
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        captured.seek(0)
        stats = captured.read().decode(errors="replace")
    for name, pattern in (
        ("obmalloc_arenas_mib", r"# bytes in allocated blocks\s*=\s*([\d,]+)"),
        ("obmalloc_free_blocks_mib", r"# bytes in available blocks\s*=\s*([\d,]+)"),
        ("obmalloc_total_mib", r"Total\s*=\s*([\d,]+)"),
    ):
        match = re.search(pattern, stats)
        if match:
            found[name] = int(match.group(1).replace(",", "")) / MIB
    libc = ctypes.CDLL("libc.so.6")

    class MallInfo2(ctypes.Structure):
        _fields_ = [
            (name, ctypes.c_size_t)
            for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks")
        ] + [("keepcost", ctypes.c_size_t)]

    if hasattr(libc, "mallinfo2"):
        libc.mallinfo2.restype = MallInfo2
        info = libc.mallinfo2()
        found["malloc_in_use_mib"] = (info.uordblks + info.hblkhd) / MIB
        found["malloc_free_kept_mib"] = info.fordblks / MIB
    started = time.perf_counter()
    libc.malloc_trim(0)
    found["malloc_trim_ms"] = (time.perf_counter() - started) * 1000
    found["rss_after_malloc_trim_mib"] = proc_status(os.getpid())["VmRSS"] / 1024
    return found


def run_child(options: dict) -> dict:
    import asyncio
    import gc

    from newsreader.ui.app import NewsreaderApp

    result: dict = {"mode": options["mode"]}
    app = NewsreaderApp([options["path"]], enrich=options["mode"] == "analysed", workers=1)

    async def run() -> None:
        started = time.monotonic()
        async with app.run_test(headless=True, size=(120, 40)):
            loader = app.main.loader
            while not loader.done or loader.checking:
                await asyncio.sleep(0.1)
            result["load_s"] = time.monotonic() - started
            result["articles"] = len(app.store)
            index = app.main.archive_index
            while (
                options["index"]
                and not (index.ready or index.failed)
                and time.monotonic() - started < CHILD_TIMEOUT / 2
            ):
                await asyncio.sleep(0.2)  # its writer process ends with it: what stays is measured
            result["indexed_s"] = time.monotonic() - started
            if options["mode"] == "analysed":
                while app.store.enriched_count < len(app.store):
                    if time.monotonic() - started > CHILD_TIMEOUT - 60:
                        break
                    await asyncio.sleep(0.2)
                result["analysed_s"] = time.monotonic() - started
                service = loader.service
                result["from_cache"] = service.from_cache if service else 0
            result["analysed"] = app.store.enriched_count
            await asyncio.sleep(3)  # the views refresh once a second: let them catch up
            result["events"] = len(app.store.events())
            result["entities"] = len(app.store.entity_keys())
            pool = index._writer_pool  # still indexing (it timed out): its process is told apart
            result["memory"] = process_tree(os.getpid(), set(getattr(pool, "_processes", None) or ()))
            result["objects_tracked"] = len(gc.get_objects())
            result["objects_frozen"] = gc.get_freeze_count()
            gc.collect()
            result["rss_after_full_gc_mib"] = proc_status(os.getpid())["VmRSS"] / 1024
            result["allocators"] = allocators()
            if options["mode"] == "analysed":
                result["store_analysis_mib"] = analysis_breakdown(app.store)
                gc.unfreeze()  # for the census only: the app is about to end
                result["census"] = census()
            app.exit()

    asyncio.run(run())
    return result


# -- the parent -------------------------------------------------------------------------------------------


def fill_cache(corpus: Path, cache_file: Path, sample: int, leave: int) -> dict:
    """Analyse the first `sample` articles for real; give every other article but the last `leave` one of those
    results, trimmed to its text, in the analysis cache at `cache_file`."""
    from newsreader.ingest.parse import Article, iter_articles
    from newsreader.nlp.cache import EnrichmentCache
    from newsreader.nlp.enrich import enrich_many, from_payload, to_payload
    from newsreader.nlp.entities import EntityRecognizer

    started = time.monotonic()
    articles = [item for item in iter_articles([str(corpus)]) if isinstance(item, Article)]
    read_s = time.monotonic() - started
    unique = list({article.fingerprint: article for article in articles}.values())
    recognizer = EntityRecognizer()
    started = time.monotonic()
    real = unique[:sample]
    payloads = []
    for at in range(0, len(real), 16):
        chunk = real[at : at + 16]
        payloads += [to_payload(e) for e in enrich_many(recognizer, [(a.text, a.date) for a in chunk])]
    analyse_s = time.monotonic() - started
    cache = EnrichmentCache(cache_file)
    given = unique[: len(unique) - leave] if leave else unique
    batch = []
    for number, article in enumerate(given):
        text = article.text
        if number < len(real):
            payload = payloads[number]
        else:
            entities, dates, events = payloads[number % len(payloads)]
            size = len(text)
            payload = [
                [each for each in entities if each[1] <= size],
                [each for each in dates if each[1] <= size],
                [each for each in events if each[5] <= size],
            ]
        batch.append((article.fingerprint, from_payload(payload, text)))
        if len(batch) >= 2000:
            cache.put_many(batch)
            batch = []
    cache.put_many(batch)
    cache.close()
    return {
        "articles": len(unique),
        "cached": len(given),
        "analysed_for_real": len(real),
        "read_s": read_s,
        "analyse_s": analyse_s,
        "cache_mib": cache_file.stat().st_size / MIB,
    }


def child(mode: str, path: Path, home: Path, index: bool) -> dict:
    environment = dict(os.environ)
    for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        environment[name] = str(home / name.lower())
    report = home / f"{mode}.json"
    command = [
        sys.executable,
        __file__,
        "--child",
        json.dumps({"mode": mode, "path": str(path), "index": index}),
        str(report),
    ]
    subprocess.run(command, env=environment, check=True, timeout=CHILD_TIMEOUT, stdout=subprocess.DEVNULL)
    return json.loads(report.read_text())


def one_corpus(corpus: Path, sample: int, leave: int, index: bool = True) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as folder:
        home = Path(folder)
        empty = home / "empty"
        empty.mkdir()
        floor = child("floor", empty, home, index)
        loaded = child("loaded", corpus, home, index)
        cache_file = home / "xdg_cache_home" / "newsreader" / "enrichment.sqlite3"
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        filled = fill_cache(corpus, cache_file, sample, leave)
        analysed = child("analysed", corpus, home, index)
    return {"corpus": str(corpus), "floor": floor, "loaded": loaded, "filled": filled, "analysed": analysed}


def memory_of(run: dict, role: str) -> float:
    return sum(row["rss_mib"] for row in run["memory"] if row["role"] == role)


def report(row: dict) -> None:
    floor, loaded, analysed = row["floor"], row["loaded"], row["analysed"]
    app, worker = memory_of(analysed, "app"), memory_of(analysed, "NER worker")
    articles = analysed["articles"]
    print(f"\n{row['corpus']}: {articles:,} articles, {analysed['analysed']:,} analysed, {analysed['events']:,} events")
    print(f"  floor (empty app)          {memory_of(floor, 'app'):7.1f} MiB")
    print(
        f"  loaded, not analysed       {memory_of(loaded, 'app'):7.1f} MiB  "
        f"(search writer {memory_of(loaded, 'search index writer'):.0f})"
    )
    print(f"  fully analysed: app        {app:7.1f} MiB  (after a full GC {analysed['rss_after_full_gc_mib']:.1f})")
    print(f"  fully analysed: NER worker {worker:7.1f} MiB")
    writer = memory_of(analysed, "search index writer")
    if writer:
        print(f"  search index writer        {writer:7.1f} MiB  (still indexing; not counted below)")
    for name, value in analysed.get("allocators", {}).items():
        print(f"    {name:28} {value:8.1f}")
    print(f"  app + one NER worker       {app + worker:7.1f} MiB = {(app + worker) * MIB / 1e6:.0f} MB")
    per = (app - memory_of(loaded, "app")) * MIB / max(1, analysed["analysed"])
    print(f"  analysis in the app: {per:.0f} B an article; store structures (deep MiB):")
    for name, size in analysed.get("store_analysis_mib", {}).items():
        print(f"    {name:20} {size:8.1f}")
    print("  tracked objects by type (count, shallow MiB):")
    for name, count, size in analysed.get("census", []):
        print(f"    {name:28} {count:10,} {size:8.1f}")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        result = run_child(json.loads(sys.argv[2]))
        Path(sys.argv[3]).write_text(json.dumps(result))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="+", type=Path)
    parser.add_argument("--sample", type=int, default=300, help="articles analysed for real (default 300)")
    parser.add_argument("--leave", type=int, default=64, help="articles left to the app's worker (default 64)")
    parser.add_argument(
        "--no-index-wait",
        action="store_true",
        help="measure without waiting for the search index (at 10^6 it takes ~20 min); its writer is listed apart",
    )
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()
    rows = []
    for corpus in options.corpora:
        row = one_corpus(corpus, options.sample, options.leave, not options.no_index_wait)
        report(row)
        rows.append(row)
    if options.json:
        options.json.parent.mkdir(parents=True, exist_ok=True)
        options.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
