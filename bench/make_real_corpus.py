"""Build a benchmark archive from real news text: the factRuEval dev documents, re-dated and re-titled.

    python bench/make_real_corpus.py /tmp/real --count 100000 --seed 1

The generator (make_corpus.py) imitates real typography; this corpus *is* real
text, so a benchmark run on both shows whether the imitation misses something.
The ~122 documents are cycled through: the first pass keeps each document as it
is, every later pass adds "(N)" to the title and shuffles the body paragraphs
after the lede, so no two files are byte-identical. Each file gets a random date
over LAST_DATE - YEARS .. LAST_DATE and is written in the seed format (header
`date YYYY-MM-DD`, title, blank line, lede, body) under the same YYYY/MM/ layout
as make_corpus.py. Same --seed, same bytes.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
import time
from pathlib import Path

from make_corpus import month_folders

DEFAULT_SOURCE = Path(__file__).resolve().parents[2] / "shared" / "eval" / "factru_dev.jsonl"
FIRST_DATE = datetime.date(2019, 1, 1)
LAST_DATE = datetime.date(2025, 12, 31)
# A first paragraph this short and without a full stop is a headline; otherwise the text has none.
MAX_TITLE_CHARS = 200
MADE_UP_TITLE_CHARS = 100


def split_document(text: str) -> tuple[str, list[str]]:
    """Title and paragraphs (lede first) of one factRuEval text.

    Some documents open straight with the lede; their title is its first sentence,
    cut at a word boundary (no "…": it would skew the corpus statistics), and the lede stays whole.
    """
    paragraphs = [" ".join(block.split("\n")).strip() for block in text.split("\n\n")]
    paragraphs = [paragraph for paragraph in paragraphs if paragraph]
    first = paragraphs[0]
    if len(first) <= MAX_TITLE_CHARS and not first.endswith(".") and len(paragraphs) > 1:
        return first, paragraphs[1:]
    sentence = first.split(". ")[0].rstrip(".")
    if len(sentence) > MADE_UP_TITLE_CHARS:
        sentence = sentence[:MADE_UP_TITLE_CHARS].rsplit(" ", 1)[0]
    return sentence, paragraphs


def load_documents(source: Path) -> list[tuple[str, list[str]]]:
    with open(source, encoding="utf-8") as lines:
        return [split_document(json.loads(line)["text"]) for line in lines if line.strip()]


def article_text(date: datetime.date, title: str, paragraphs: list[str]) -> str:
    """One article in the seed format, ending with a newline."""
    return f"date {date.isoformat()}\n{title}\n\n" + "\n\n".join(paragraphs) + "\n"


def make_real_corpus(out_dir: Path, count: int, seed: int, source: Path = DEFAULT_SOURCE) -> int:
    """Write `count` files under `out_dir` from the documents in `source`; return how many documents there were."""
    rng = random.Random(seed)
    documents = load_documents(source)
    span = (LAST_DATE - FIRST_DATE).days
    dates = sorted(FIRST_DATE + datetime.timedelta(days=rng.randint(0, span)) for _ in range(count))
    order: list[int] = []
    created = set()
    for index, (date, folder) in enumerate(zip(dates, month_folders(dates), strict=True)):
        if not order:
            order = list(range(len(documents)))
            rng.shuffle(order)
        title, paragraphs = documents[order.pop()]
        repeat = index // len(documents)
        if repeat:
            title = f"{title} ({repeat + 1})"
            body = paragraphs[1:]
            rng.shuffle(body)
            paragraphs = paragraphs[:1] + body
        if folder not in created:
            (out_dir / folder).mkdir(parents=True, exist_ok=True)
            created.add(folder)
        name = f"{index:06d}_{rng.getrandbits(64):016x}.txt"
        (out_dir / folder / name).write_text(article_text(date, title, paragraphs), encoding="utf-8")
    return len(documents)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", metavar="OUT_DIR", type=Path, help="folder to create the corpus in")
    parser.add_argument("--count", type=int, required=True, metavar="N", help="number of files to write")
    parser.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (default %(default)s)")
    parser.add_argument(
        "--source", type=Path, default=DEFAULT_SOURCE, help="factRuEval JSON Lines file (default %(default)s)"
    )
    options = parser.parse_args(argv)
    if options.count < 1:
        parser.error("--count must be at least 1")
    if not options.source.is_file():
        parser.error(f"{options.source} not found")
    if options.out_dir.exists() and any(options.out_dir.iterdir()):
        parser.error(f"{options.out_dir} exists and is not empty; remove it or choose another folder")
    started = time.perf_counter()
    documents = make_real_corpus(options.out_dir, options.count, options.seed, options.source)
    elapsed = time.perf_counter() - started
    print(
        f"wrote {options.count} files from {documents} documents to {options.out_dir} in {elapsed:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
