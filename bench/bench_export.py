"""Time and memory of each export format as the archive grows: the rows must stream (issue 14, point 4).

An analysed store of N synthetic articles is built in this process (hand-made analyses: each article
names 4-12 of `--entities` entities and tells one or two dated events), then each format is written to a
temporary file through `export_to`, as `newsreader export` writes it. The peak of Python's allocations
during the write (tracemalloc, above what the store already holds) is what the export itself holds: flat
in N for csv, jsonl and timelinejs (rows written as the articles come), bounded by the entities and their
pairs for the network and the entity table.

    flock /tmp/bench.lock python bench/bench_export.py --articles 1000 10000 50000 [--formats gexf csv]
"""

from __future__ import annotations

import argparse
import datetime
import random
import tempfile
import time
import tracemalloc
from pathlib import Path

from newsreader.export.formats import FORMATS, export_to
from newsreader.ingest.load import Document
from newsreader.ingest.parse import parse
from newsreader.nlp.enrich import Enrichment
from newsreader.nlp.entities import EntityMention
from newsreader.nlp.events import Event
from newsreader.store.corpus import Store

KINDS = ("PER", "ORG", "LOC")


def analysed_store(count: int, entities: int, seed: int = 14) -> tuple[Store, list]:
    random.seed(seed)
    names = [(KINDS[number % 3], f"Имя{number} Фамилия{number}") for number in range(entities)]
    store, articles = Store(), []
    for number in range(count):
        day = datetime.date(2020, 1, 1) + datetime.timedelta(days=number % 1500)
        chosen = random.sample(names, random.randint(4, 12))
        body = ". ".join(f"Сегодня {name} сделал заявление" for _, name in chosen) + f". Это было {day.isoformat()}."
        text = f"date {day.isoformat()}\nСтатья {number}\n\n{body}"
        article, _ = parse(Document(f"{number}.txt", f"root/{number}.txt", text, "utf-8"))
        store.add(article)
        mentions = []
        for kind, name in chosen:
            start = article.text.index(name)
            mentions.append(EntityMention(start, start + len(name), kind, name, name, f"{kind}:{name.lower()}"))
        said = article.text.rindex(day.isoformat())
        event = Event(day.isoformat(), "day", said, said + 10, 0, len(article.text), (mentions[0].key,))
        store.set_enrichment(article.fingerprint, Enrichment(tuple(mentions), (), (event,)))
        articles.append(article)
    return store, articles


def measure(store: Store, articles: list, format_name: str, folder: Path) -> dict:
    """Timed once as it runs, then again under tracemalloc (which slows allocation) for the peak."""
    start = time.perf_counter()
    said = export_to(folder / f"out.{format_name}", format_name, store, articles)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    export_to(folder / f"out.{format_name}", format_name, store, articles)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"format": format_name, "seconds": seconds, "peak_mib": peak / 2**20, "written": said}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--entities", type=int, default=5000)
    parser.add_argument("--formats", nargs="+", choices=list(FORMATS), default=list(FORMATS))
    options = parser.parse_args()
    for count in options.articles:
        store, articles = analysed_store(count, options.entities)
        with tempfile.TemporaryDirectory() as folder:
            for format_name in options.formats:
                row = measure(store, articles, format_name, Path(folder))
                print(
                    f"{count:>8} articles  {row['format']:<13} {row['seconds']:7.2f} s"
                    f"  peak {row['peak_mib']:7.1f} MiB  ({row['written']})",
                    flush=True,
                )


if __name__ == "__main__":
    main()
