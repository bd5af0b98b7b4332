"""Stories across outlets at 10^5 articles: cold hashing and grouping, a warm start, a grown archive.

    flock /tmp/bench.lock python bench/bench_stories.py /work/corpora/real-100k
    flock /tmp/bench.lock python bench/bench_stories.py /work/corpora/gen-100k --grown 0.1

The articles are loaded as the app keeps them (released: each text is read again from its file when
hashed, as the app's stories thread does), then `store.stories.find_stories` runs here, in one
process at normal priority (the app runs the same hashing and grouping in one low-priority process):
- cold: no cache; every article hashed (text read, shingled, MinHash), grouped, the cache written;
- warm: the cache read back, nothing hashed, grouped again (a warm start);
- grown (--grown F): a cache of all but the last F of the articles, then the whole archive (only those
  hashed: a grown archive).
Also the cost of collapsing the whole list (`CollapsedView`, built on the key that toggles it), the
cache's size, and what was found: stories, articles in them, the largest. CPU time is this process's;
the machine is shared, so the load average is printed with every figure.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from newsreader.ingest.parse import Article, iter_articles
from newsreader.store import stories
from newsreader.store.corpus import Store
from newsreader.store.stories import CollapsedView, SignatureCache, find_stories


def timed(label: str, work):
    load = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:<44} {wall:8.2f} s wall {cpu:8.2f} s CPU   (load {load:.2f} → {os.getloadavg()[0]:.2f})")
    return result


def phases(articles: list[Article], cache: SignatureCache | None) -> stories.Stories:
    """find_stories with its hashing and its grouping timed apart."""
    spent = {"hash": 0.0, "group": 0.0}

    def clocked(part: str, work):
        def run(argument):
            start = time.perf_counter()
            try:
                return work(argument)
            finally:
                spent[part] += time.perf_counter() - start

        return run

    warnings: list[str] = []
    found = find_stories(
        articles,
        cache,
        warnings,
        hash_bodies=clocked("hash", stories.signatures),
        group_rows=clocked("group", stories.group),
    )
    for warning in warnings:
        print("warning:", warning)
    print(f"    of which hashing {spent['hash']:.2f} s (text read included), grouping {spent['group']:.2f} s")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus")
    parser.add_argument("--grown", type=float, default=0.1, help="share of the archive new in the grown run")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    options = parser.parse_args()
    print(f"corpus {options.corpus}, Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    print(f"parameters: words={stories.SHINGLE_WORDS} perm={stories.NUM_PERM} lsh={stories.LSH_THRESHOLD}")
    print(
        f"            same story >= {stories.SAME_STORY}, min shingles {stories.MIN_SHINGLES}, cap {stories.MAX_STORY}"
    )

    def load() -> list[Article]:
        store = Store()
        for item in iter_articles([options.corpus], keep_text=False):
            if isinstance(item, Article):
                store.add(item)
                if options.limit and len(store) >= options.limit:
                    break
        return list(store.ordered(newest_first=False))

    articles = timed(f"load {options.corpus} (not part of the stories)", load)
    print(f"{len(articles):,} articles")
    with tempfile.TemporaryDirectory(prefix="bench-stories-") as folder:
        cache = SignatureCache(Path(folder) / "signatures.bin")
        found = timed("cold: hash, group, write the cache", lambda: phases(articles, cache))
        print(f"cache file {cache.path.stat().st_size / 2**20:.1f} MiB")
        timed("warm: read the cache, group", lambda: phases(articles, cache))
        cut = int(len(articles) * (1 - options.grown))
        grown_cache = SignatureCache(Path(folder) / "grown.bin")
        find_stories(articles[:cut], grown_cache, [])
        timed(f"grown: {len(articles) - cut:,} new of {len(articles):,}", lambda: phases(articles, grown_cache))
    sizes = Counter(len(members) for members in found.members.values())
    grouped = sum(size * count for size, count in sizes.items())
    print(f"found {len(found):,} stories holding {grouped:,} articles ({grouped / max(len(articles), 1):.1%})")
    print("story sizes (size: stories):", ", ".join(f"{size}: {count}" for size, count in sorted(sizes.items())))
    view = Store()
    view.add_many(articles)
    ordered = view.ordered(newest_first=True)
    collapsed = timed("collapse the whole list (c, on the key path)", lambda: CollapsedView(ordered, found))
    print(f"{len(ordered):,} rows → {len(collapsed):,}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
