"""Entity browser benchmark (issue 14): the facet table at 10^6 entities, co-occurrence, and the browser's keys.

1. The store's facet table filled with `--entities` synthetic keys (people, organisations and places, Zipf-like
   mention counts, `--surnames` bare surnames each joined to one full name), article by article as analysis
   adds them: the cost an analysed article adds on the UI thread. Then what the browser does with it: the copy
   (UI thread), joining the surnames (worker), the first rows of an order without sorting them all, each sort
   the first time and cached, a type toggle and typed text fresh and narrowed (worker), and the rebuild after
   `--analysed` more articles, its orders carried over from the last (worker).
2. Co-occurrence and the mention chart on a real store of `--articles` analysed articles (15 mentions each
   from a pool of 10^5 keys): the most named entity's scan (capped at the browser's 2,000 newest articles)
   and its mentions by month.
3. The browser itself, headless (`run_test`) over the 10^6-entity table: time until the table lists its first
   rows and until it lists them all, the same when opened again, j held down (median and worst of the pilot's
   press round-trip, which waits for the key's frame), j pressed
   while a worker sorts the million rows, and a typed letter until its rows are listed.

    flock /tmp/bench.lock python bench/bench_entity_browser.py --entities 1000000

Say the load average (printed) with every figure: the machine is shared.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
from array import array

from textual.app import App
from textual.signal import Signal

from newsreader.ingest.load import Document
from newsreader.ingest.parse import parse
from newsreader.nlp.enrich import Enrichment
from newsreader.nlp.entities import EntityMention
from newsreader.store.corpus import Store
from newsreader.store.facets import TYPES, FacetTable
from newsreader.ui.screens.entity_browser import CO_OCCURRENCE_CAP, FIRST_ROWS, EntityBrowser, EntityTable

SYLLABLES = "ба ва га да же зи ка ла ма на по ро са та фу ха це чи ша ще ю як ов ин ск ен ар ол ий ес".split()
MENTIONS_PER_ARTICLE = 15


def word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables))


def synthetic_keys(count: int, surnames: int, rng: random.Random) -> tuple[list[str], list[str]]:
    """`count` distinct keys, half people, and `surnames` bare surnames each ending exactly one full name."""
    keys: dict[str, None] = {}
    unique = [f"PER:{word(rng, 2)} уник{index}" for index in range(surnames)]
    keys.update(dict.fromkeys(unique))
    while len(keys) < count - surnames:
        kind = rng.choices(TYPES, weights=(5, 3, 2))[0]
        name = f"{word(rng, 2)} {word(rng, 3)}" if kind == "PER" else word(rng, rng.randint(2, 5))
        keys[f"{kind}:{name}"] = None
    bare = [f"PER:{key.rsplit(' ', 1)[1]}" for key in unique]
    return list(keys), bare


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def fill_table(keys: list[str], bare: list[str], rng: random.Random) -> tuple[FacetTable, float]:
    """The table as analysis fills it: an article at a time, each naming 15 keys, every key at least once."""
    table = FacetTable()
    all_keys = keys + bare
    rng.shuffle(all_keys)
    zipf = [int(1 / (rank + 1) ** 0.8 * 5000) + 1 for rank in range(len(all_keys))]
    spent, articles = 0.0, 0
    for start in range(0, len(all_keys), MENTIONS_PER_ARTICLE):
        named = [(key, rng.randint(1, 3)) for key in all_keys[start : start + MENTIONS_PER_ARTICLE]]
        day = 730_000 + rng.randint(0, 5000)
        began = time.perf_counter()
        table.add(named, day)
        spent += time.perf_counter() - began
        articles += 1
    for row, extra in enumerate(zipf):  # the frequent ones: counted in bulk, not timed
        table.mentions[row] += extra
    return table, spent / articles


def store_over(table: FacetTable, bare: list[str]) -> Store:
    """A store whose facet table is `table`, each bare surname naming one article (what its joined row counts)."""
    store = Store()
    store._facets = table
    for key in bare:
        store._entity_articles[key] = array("i", [1, 1])
    return store


def bench_table(args, rng: random.Random) -> tuple[FacetTable, list[str]]:
    (keys, bare), generated = timed(synthetic_keys, args.entities, args.surnames, rng)
    print(f"synthetic keys: {len(keys) + len(bare):,} in {generated:.1f} s")
    table, per_article = fill_table(keys, bare, rng)
    print(f"add (UI thread, per analysed article of {MENTIONS_PER_ARTICLE} keys): {per_article * 1e6:.1f} µs")
    copy, copied = timed(table.copy)
    print(f"copy of {len(copy.keys):,} rows (UI thread): {copied * 1000:.1f} ms")
    store = store_over(table, bare)
    facets, joined = timed(store.facets, copy)
    print(f"join {len(facets.surnames):,} bare surnames (worker): {joined * 1000:.0f} ms -> {len(facets):,} rows")
    for sort in ("count", "date"):
        first, took = timed(facets.first_rows, sort, FIRST_ROWS)
        print(f"first {len(first)} rows by {sort}, no full sort (worker): {took * 1000:.0f} ms")
    for sort in ("count", "name", "date"):
        _, first = timed(facets.order, sort)
        _, cached = timed(facets.order, sort)
        print(f"sort by {sort} (worker): {first:.2f} s first, {cached * 1e6:.0f} µs cached")
    every = frozenset(TYPES)
    _, toggled = timed(facets.select, "count", frozenset({"ORG", "LOC"}), "")
    print(f"toggle people off (worker): {toggled * 1000:.0f} ms")
    previous = None
    for typed in ("ба", "бав", "бава"):
        fresh, took = timed(facets.select, "count", every, typed)
        narrowed, narrowing = timed(facets.select, "count", every, typed, previous)
        assert list(fresh.rows) == list(narrowed.rows)
        print(f"typed {typed!r}: {len(fresh):,} rows, fresh {took * 1000:.0f} ms, narrowed {narrowing * 1000:.0f} ms")
        previous = fresh
    bench_rebuild(store, table, args.analysed, rng)
    return table, bare


def bench_rebuild(store: Store, table: FacetTable, articles: int, rng: random.Random) -> None:
    """`articles` more analysed, each naming 15 keys (a third of them new), then the browser's rebuild."""
    for index in range(articles):
        old = [(rng.choice(table.keys), rng.randint(1, 3)) for _ in range(MENTIONS_PER_ARTICLE * 2 // 3)]
        new = [(f"ORG:новое {index} {each}", 1) for each in range(MENTIONS_PER_ARTICLE // 3)]
        table.add(old + new, 730_000 + rng.randint(0, 5000))
    began = time.perf_counter()
    facets = store.facets(table.copy())
    carried = sorted(facets._orders)
    for sort in ("count", "name", "date"):
        facets.order(sort)
    took = time.perf_counter() - began
    orders = ", ".join(carried)
    print(f"rebuild after {articles} more articles, orders {orders} carried over (worker): {took * 1000:.0f} ms")


def analysed_store(articles: int, rng: random.Random) -> Store:
    pool = [f"{rng.choice(TYPES)}:{word(rng, 3)} {index}" for index in range(100_000)]
    weights = [1 / (rank + 1) for rank in range(len(pool))]
    store = Store()
    for index in range(articles):
        date = f"20{10 + index % 15}-{1 + index % 12:02d}-{1 + index % 28:02d}"
        article = parse(Document(f"a{index}", f"a{index}.txt", f"date {date}\nСтатья {index}\n\nТекст.\n", "utf-8"))[0]
        store.add(article)
        named = rng.choices(pool, weights, k=MENTIONS_PER_ARTICLE)
        mentions = tuple(EntityMention(0, 1, key[:3], "С", key, key) for key in named)
        store.set_enrichment(article.fingerprint, Enrichment(mentions, (), ()))
    return store


def bench_co_occurrence(args, rng: random.Random) -> None:
    store, built = timed(analysed_store, args.articles, rng)
    facets = store.facets(store.facet_table())
    top = facets.keys[facets.order("count")[0]]
    found, took = timed(store.co_occurrence, facets, top, CO_OCCURRENCE_CAP)
    print(
        f"co-occurrence of the top entity ({found.total:,} of {args.articles:,} articles, {built:.0f} s to build): "
        f"{took * 1000:.0f} ms scanning {found.scanned:,} (worker)"
    )
    months, took = timed(store.mentions_by_month, top)
    print(f"mentions by month of it ({len(months)} months, a worker for over 2,000 articles): {took * 1000:.0f} ms")


class BrowserApp(App):
    BINDINGS = [("e", "open_browser")]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.updated: Signal[None] = Signal(self, "updated")

    def on_mount(self) -> None:
        self.action_open_browser()

    def action_open_browser(self) -> None:
        self.push_screen(EntityBrowser(self.store, self.updated))


async def until(predicate, pilot, limit: float = 120.0) -> float:
    start = time.perf_counter()
    while not predicate():
        if time.perf_counter() - start > limit:
            raise TimeoutError("the browser did not get there")
        await pilot.pause(0.01)
    return time.perf_counter() - start


def every_row_listed(browser: EntityBrowser) -> bool:
    """The counts are made and listed, not only the first rows."""
    selection = browser.table.selection
    return browser.facets is not None and selection is not None and not selection.partial


async def held_j(app: BrowserApp, pilot, presses: int) -> list[float]:
    """The pilot's round-trip of each j (it waits for the key's frame)."""
    table = app.screen.query_one(EntityTable)
    await until(lambda: table.row_count > 0, pilot)
    took = []
    for _ in range(presses):
        began = time.perf_counter()
        await pilot.press("j")
        took.append(time.perf_counter() - began)
    return took


async def bench_ui(table: FacetTable, bare: list[str]) -> None:
    small, small_bare = FacetTable(), []
    small.add([(key, 1) for key in table.keys[:100]], 730_000)
    tiny = BrowserApp(store_over(small, small_bare))
    async with tiny.run_test(size=(160, 50)) as pilot:
        floor = await until(lambda: tiny.screen.query_one(EntityTable).row_count > 0, pilot)
        await pilot.press("escape")
        began = time.perf_counter()
        await pilot.press("e")
        floor_again = time.perf_counter() - began + await until(lambda: every_row_listed(tiny.screen), pilot)
        baseline = await held_j(tiny, pilot, 60)
    print(f"over 100 entities (the floor): open until listed {floor * 1000:.0f} ms, again {floor_again * 1000:.0f} ms")
    print(f"j x60 over 100 entities (the pilot's own round-trip): median {statistics.median(baseline) * 1000:.1f} ms")
    app = BrowserApp(store_over(table, bare))
    async with app.run_test(size=(160, 50)) as pilot:
        browser = app.screen
        listed = await until(lambda: browser.query_one(EntityTable).row_count > 0, pilot)
        first = browser.query_one(EntityTable).row_count
        every = listed + await until(lambda: every_row_listed(browser), pilot)
        print(f"browser open until its first {first:,} rows listed: {listed * 1000:.0f} ms")
        print(f"  until all {browser.table.row_count:,} rows listed: {every:.2f} s")
        await pilot.press("escape")
        began = time.perf_counter()
        await pilot.press("e")  # (the pilot waits for the new screen's first frame)
        pressed = time.perf_counter() - began
        again = await until(lambda: isinstance(app.screen, EntityBrowser) and every_row_listed(app.screen), pilot)
        print(f"opened again (the counts last made): e {pressed * 1000:.0f} ms, then all listed {again * 1000:.0f} ms")
        browser = app.screen
        presses = await held_j(app, pilot, 60)
        print(f"j x60: median {statistics.median(presses) * 1000:.1f} ms, worst {max(presses) * 1000:.1f} ms")
        browser.facets._orders.pop("date", None)  # a sort not yet cached, as the first time
        await pilot.press("s", "s")  # by name (cached), then by first date: a sort of a million rows on a worker
        during = []
        for _ in range(10):
            began = time.perf_counter()
            await pilot.press("j")
            during.append(time.perf_counter() - began)
        print(f"j x10 while the worker sorts: worst {max(during) * 1000:.1f} ms")
        table_widget = browser.query_one(EntityTable)
        await until(lambda: table_widget.selection.sort == "date", pilot)
        began = time.perf_counter()
        await pilot.press("б")
        pressed = time.perf_counter() - began
        waited = await until(lambda: table_widget.selection.needle == "б", pilot)
        print(
            f"typed 'б': key {pressed * 1000:.1f} ms, {len(table_widget.selection):,} rows listed after "
            f"{(pressed + waited) * 1000:.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--surnames", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=20_000, help="analysed articles for the co-occurrence part")
    parser.add_argument("--analysed", type=int, default=100, help="articles analysed before a rebuild")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    rng = random.Random(14)
    table, bare = bench_table(args, rng)
    asyncio.run(bench_ui(table, bare))
    bench_co_occurrence(args, rng)
    print(f"load average after: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")


if __name__ == "__main__":
    main()
