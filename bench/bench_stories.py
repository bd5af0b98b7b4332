"""Stories across outlets at 10^5 articles: cold hashing and grouping, a warm start, a grown archive, `c`.

    flock /tmp/bench.lock python bench/bench_stories.py /work/corpora/real-100k
    flock /tmp/bench.lock python bench/bench_stories.py /work/corpora/gen-100k --grown 0.1

The articles are loaded as the app keeps them (released: each text is read again from its file when
hashed, as the app's stories thread does), then `store.story_cache.find_stories` runs here, in one
process at normal priority (the app runs the same hashing and grouping in one low-priority process):
- cold: no cache; every article hashed (text read, shingled, MinHash), grouped, both caches written;
- warm: both caches there, nothing changed: the stories read back (no hashing, no LSH);
- regrouped: the signature cache only (as before the groups were cached): nothing hashed, all grouped;
- grown (--grown F): caches of all but the last F of the articles, then the whole archive: those hashed,
  the LSH index filled again with the others, and only those queried.
Also collapsing the whole list: what the stories thread does once the stories come (`CollapsedView`), and
what `c` then does on the key path (the controller's view, and where the cursor's article stands). The
caches' sizes, and what was found: stories, articles in them, the largest. CPU time is this process's; the
machine is shared, so the load average is printed with every figure.
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
from newsreader.store.stories import CollapsedView, Grouping
from newsreader.store.story_cache import GroupCache, SignatureCache, find_stories
from newsreader.ui.controllers.stories import CollapsedReady, StoriesController, StoriesFound


def timed(label: str, work):
    load = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:<44} {wall:8.3f} s wall {cpu:8.3f} s CPU   (load {load:.2f} → {os.getloadavg()[0]:.2f})")
    return result


def phases(articles: list[Article], cache: SignatureCache | None, groups: GroupCache | None) -> stories.Stories:
    """find_stories with its hashing and its grouping timed apart."""
    spent = {"hash": 0.0, "group": 0.0}

    def clocked(part: str, work):
        def run(*arguments):
            start = time.perf_counter()
            try:
                return work(*arguments)
            finally:
                spent[part] += time.perf_counter() - start

        return run

    warnings: list[str] = []
    found = find_stories(
        articles,
        cache,
        warnings,
        hash_bodies=clocked("hash", stories.signatures),
        group_rows=clocked("group", regrouping),
        groups=groups,
    )
    for warning in warnings:
        print("warning:", warning)
    print(f"    of which hashing {spent['hash']:.2f} s (text read included), grouping {spent['group']:.2f} s")
    return found


def regrouping(before: Grouping, matrix):
    """`stories.regroup`, saying how many rows it queried."""
    print(f"    grouping: {len(matrix) - before.rows:,} of {len(matrix):,} rows queried")
    return stories.regroup(before, matrix)


def collapsing(ordered, found: stories.Stories) -> None:
    """The list collapsed as the app does it: on the stories thread when they come, then `c` on the key path."""
    controller = StoriesController(None, Store(), [])  # type: ignore[arg-type]  # no screen: nothing is posted
    controller.found(StoriesFound(found))
    made = timed("collapse the whole list (the stories thread)", lambda: CollapsedView(ordered, found))
    controller.collapsed_ready(CollapsedReady(ordered, found, made))
    controller.collapsed = True

    def key() -> int:
        view = controller.view(ordered)
        view.position(ordered[len(ordered) // 2].id)  # where the list's cursor goes
        return len(view)

    rows = timed("c: the collapsed list shown (the key path)", key)
    controller.collapsed = False
    timed("c again: every article", lambda: len(controller.view(ordered)))
    print(f"{len(ordered):,} rows → {rows:,}")
    controller.stop()


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
    with tempfile.TemporaryDirectory(prefix="bench-stories-") as name:
        folder = Path(name)
        cache, groups = SignatureCache(folder / "signatures.bin"), GroupCache(folder / "groups.bin")
        found = timed("cold: hash, group, write the caches", lambda: phases(articles, cache, groups))
        print(f"cache files: signatures {cache.path.stat().st_size / 2**20:.1f} MiB, ", end="")
        print(f"groups {groups.path.stat().st_size / 2**20:.1f} MiB")
        warm = timed("warm: the stories read back", lambda: phases(articles, cache, groups))
        assert warm == found, "the cached stories are those found"
        timed("regrouped: the signatures read, all grouped", lambda: phases(articles, cache, None))
        cut = int(len(articles) * (1 - options.grown))
        grown_cache, grown_groups = SignatureCache(folder / "grown.bin"), GroupCache(folder / "grown-groups.bin")
        find_stories(articles[:cut], grown_cache, [], groups=grown_groups)
        label = f"grown: {len(articles) - cut:,} new of {len(articles):,}"
        grown = timed(label, lambda: phases(articles, grown_cache, grown_groups))
        assert grown == found, "grouped in two goes, the stories are those of one"
    sizes = Counter(len(members) for members in found.members.values())
    grouped = sum(size * count for size, count in sizes.items())
    print(f"found {len(found):,} stories holding {grouped:,} articles ({grouped / max(len(articles), 1):.1%})")
    print("story sizes (size: stories):", ", ".join(f"{size}: {count}" for size, count in sorted(sizes.items())))
    view = Store()
    view.add_many(articles)
    collapsing(view.ordered(newest_first=True), found)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
