"""What a loading batch costs the UI thread to keep the list cursor on its article.

Each batch gives the list a new date-order view and asks where the cursor's article went. A map of
the whole view (how `ArticleView.position` answers) costs O(n) per batch; the store's date-order view
bisects on its sort key instead. Corpus: generated articles (dates over ten years, one text shared,
so memory stays small), batches of `controllers.loading.BATCH_SIZE` as loading posts them.

    .venv/bin/python bench/bench_view_position.py --articles 100000 1000000
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import time

from newsreader.ingest.parse import Article
from newsreader.store.corpus import ArticleView, Store
from newsreader.ui.controllers.loading import BATCH_SIZE

RUNS = 5


def generated(number: int, rng: random.Random) -> Article:
    date = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(3650))
    return Article(
        f"a{number}",
        f"root/{number}.txt",
        date,
        "Заголовок",
        0,
        None,
        "utf-8",
        f"f{number}",
        held_text="Заголовок\n\nТекст.",
    )


def milliseconds(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return (time.perf_counter() - start) * 1000, result


def measure(count: int) -> dict[str, float]:
    rng, store = random.Random(1), Store()
    for number in range(count - BATCH_SIZE * RUNS):
        store.add(generated(number, rng))
    store.ordered()
    held = store.ordered()[len(store) // 2]  # the cursor's article, somewhere in the middle
    timings: dict[str, list[float]] = {"view": [], "bisect": [], "map": []}
    for run in range(RUNS):
        for number in range(count - BATCH_SIZE * (RUNS - run), count - BATCH_SIZE * (RUNS - run - 1)):
            store.add(generated(number, rng))
        took, view = milliseconds(store.ordered)
        timings["view"].append(took)
        took, found = milliseconds(lambda view=view: view.position(held.id))
        timings["bisect"].append(took)
        took, mapped = milliseconds(lambda view=view: ArticleView(view._articles).position(held.id))  # noqa: SLF001 - the old way
        timings["map"].append(took)
        assert found == mapped and view[found] is held
    return {name: statistics.median(values) for name, values in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[100_000, 1_000_000])
    for count in parser.parse_args().articles:
        result = measure(count)
        print(
            f"{count:>9,} articles, batch of {BATCH_SIZE}: new view {result['view']:.1f} ms; "
            f"position by bisection {result['bisect'] * 1000:.0f} µs, "
            f"by a map of the view {result['map']:.1f} ms (median of {RUNS})"
        )


if __name__ == "__main__":
    main()
