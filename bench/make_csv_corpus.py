"""Generate a CSV dump in the layout of the Lenta.ru news dataset, for benchmarks of dump reading.

Columns `url,title,text,topic,tags`, one article a row, in date order; the date is only in the URL
(https://lenta.ru/news/2018/12/14/slug/), as in the real dataset. The Russian text is that of
bench/make_corpus.py (imported, so both corpora read alike); as in the dataset, a text is one line
(paragraphs joined by a space) unless --paragraphs keeps them as quoted multi-line fields.
The same --seed gives the same bytes.
"""

import argparse
import csv
import datetime
import gzip
import io
import random
import sys
import time
from pathlib import Path

from make_corpus import FIRST_DATE, LAST_DATE, ArticleWriter, typeset

# The topics of make_corpus as Lenta.ru names its rubrics, with tags of the kind Lenta.ru gives them.
LENTA_TOPICS = {
    "politics": ("Россия", ("Политика", "Общество", "Все")),
    "economy": ("Экономика", ("Госэкономика", "Бизнес", "Рынки", "Все")),
    "incidents": ("Россия", ("Происшествия", "Криминал", "Все")),
    "sports": ("Спорт", ("Футбол", "Хоккей", "Зимние виды", "Все")),
    "culture": ("Культура", ("Кино", "Музыка", "Театр", "Все")),
}
SLUG_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def article_row(rng: random.Random, date: datetime.date, paragraphs_kept: bool) -> list[str]:
    writer = ArticleWriter(rng, date)
    title, lede, credit, paragraphs = writer.render()
    lines = typeset(rng, [lede, *paragraphs])
    text = "\n\n".join(lines) if paragraphs_kept else " ".join(lines)
    topic, tags = LENTA_TOPICS[writer.topic]
    slug = "".join(rng.choice(SLUG_LETTERS) for _ in range(rng.randint(6, 14)))
    url = f"https://lenta.ru/news/{date:%Y/%m/%d}/{slug}/"
    return [url, title, text, topic, rng.choice(tags)]


def write_csv(out: io.TextIOBase, count: int, seed: int, paragraphs_kept: bool) -> None:
    rng = random.Random(seed)
    span = (LAST_DATE - FIRST_DATE).days
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["url", "title", "text", "topic", "tags"])
    for index in range(count):
        date = FIRST_DATE + datetime.timedelta(days=index * span // count)
        writer.writerow(article_row(rng, date, paragraphs_kept))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", metavar="OUT", type=Path, help="the CSV file to write (.csv, or .csv.gz with --gzip)")
    parser.add_argument("--count", type=int, required=True, metavar="N", help="number of rows to write")
    parser.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default %(default)s)")
    parser.add_argument("--gzip", action="store_true", help="compress the output with gzip")
    parser.add_argument("--paragraphs", action="store_true", help="keep paragraphs as lines inside quoted fields")
    options = parser.parse_args(argv)
    if options.count < 1:
        parser.error("--count must be at least 1")
    if options.out.exists():
        parser.error(f"{options.out} exists; remove it or choose another name")
    started = time.perf_counter()
    opener = gzip.open if options.gzip else open
    with opener(options.out, "wt", encoding="utf-8", newline="") as out:
        write_csv(out, options.count, options.seed, options.paragraphs)
    elapsed = time.perf_counter() - started
    size = options.out.stat().st_size / 1024 / 1024
    print(f"wrote {options.count} rows to {options.out} ({size:,.1f} MiB) in {elapsed:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
