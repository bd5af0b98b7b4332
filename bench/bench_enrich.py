"""Enrichment speed on one core: plain natasha against newsreader's full enrichment, alone and in batches.

    python bench/bench_enrich.py /work/corpora/gen-10k /work/corpora/real-10k --count 600 --rounds 5

On the same texts of each corpus (the first --count distinct articles of each folder, and the
factRuEval dev documents, ../shared/eval/factru_dev.jsonl, when present):

- plain natasha: Segmenter + NewsNERTagger through Doc.segment + Doc.tag_ner (spans only);
- newsreader, full enrichment (NER + post-rules + normal forms + keys + sentences + dates +
  events), one article a call, as `enrich` does it;
- the same through `enrich_many`, the texts in batches of up to N characters (--budgets), as
  the service's workers get them.

Figures are articles per CPU second of this process, BLAS on one thread: the cost on one
core, which other processes' load inflates less than wall time. The texts go in slices of
SLICE articles, each slice through every variant in turn, so load hits all alike; --rounds
repeat that and the median round counts. Before timing, every batch size's output is checked
against one-at-a-time: the same spans, normal forms, keys, dates and events, or the run fails.
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

from newsreader.ingest.parse import Article, iter_articles  # noqa: E402

FACTRU_DEV = Path(__file__).resolve().parents[2] / "shared/eval/factru_dev.jsonl"
DEV_PUBLISHED = datetime.date(2016, 6, 1)
DEFAULT_BUDGETS = (4_000, 8_000, 16_000, 32_000)
SLICE = 32

Texts = list[tuple[str, datetime.date | None]]


def load_articles(corpus: Path, count: int) -> list[Article]:
    """The first `count` distinct articles (re-posts dropped, as the store does)."""
    articles, seen = [], set()
    for item in iter_articles([corpus]):
        if isinstance(item, Article) and item.fingerprint not in seen:
            seen.add(item.fingerprint)
            articles.append(item)
            if len(articles) == count:
                break
    return articles


def dev_texts() -> Texts:
    lines = FACTRU_DEV.read_text(encoding="utf-8").splitlines()
    return [(json.loads(line)["text"], DEV_PUBLISHED) for line in lines if line.strip()]


def batches(texts: Texts, budget: int) -> list[Texts]:
    """Consecutive texts, as many as fit in `budget` characters (at least one), as the dispatcher groups them."""
    groups: list[Texts] = []
    size = budget + 1
    for item in texts:
        if size + len(item[0]) > budget:
            groups.append([])
            size = 0
        groups[-1].append(item)
        size += len(item[0])
    return groups


def variants(budgets: list[int]) -> dict[str, Callable[[Texts], object]]:
    from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter

    from newsreader.nlp.enrich import enrich, enrich_many
    from newsreader.nlp.entities import EntityRecognizer

    segmenter, tagger = Segmenter(), NewsNERTagger(NewsEmbedding())
    recognizer = EntityRecognizer()

    def plain(texts: Texts) -> None:
        for text, _ in texts:
            doc = Doc(text)
            doc.segment(segmenter)
            doc.tag_ner(tagger)

    def alone(texts: Texts) -> list:
        return [enrich(recognizer, text, published) for text, published in texts]

    def batched(budget: int) -> Callable[[Texts], list]:
        return lambda texts: [result for group in batches(texts, budget) for result in enrich_many(recognizer, group)]

    return {
        "plain natasha": plain,
        "newsreader, one at a time": alone,
        **{f"newsreader, batches of ≤ {budget:,} chars": batched(budget) for budget in budgets},
    }


def check_identical(runs: dict[str, Callable[[Texts], object]], texts: Texts) -> None:
    reference = runs["newsreader, one at a time"](texts)
    for name, run in runs.items():
        if name.startswith("newsreader, batches") and run(texts) != reference:
            raise SystemExit(f"{name}: results differ from one at a time")


def speeds(runs: dict[str, Callable[[Texts], object]], texts: Texts, rounds: int) -> dict[str, float]:
    """Median articles per CPU second of each variant, slices interleaved."""
    spent: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        totals = dict.fromkeys(runs, 0.0)
        for first in range(0, len(texts), SLICE):
            piece = texts[first : first + SLICE]
            for name, run in runs.items():
                started = time.process_time()
                run(piece)
                totals[name] += time.process_time() - started
        for name, total in totals.items():
            spent[name].append(total)
    return {name: len(texts) / statistics.median(times) for name, times in spent.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", type=Path, nargs="+")
    parser.add_argument("--count", type=int, default=600, help="articles of each corpus (default %(default)s)")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds (default %(default)s)")
    parser.add_argument("--budgets", default=",".join(map(str, DEFAULT_BUDGETS)), help="batch sizes, characters")
    options = parser.parse_args()
    runs = variants([int(budget) for budget in options.budgets.split(",")])
    sources = {str(corpus): lambda corpus=corpus: load_articles(corpus, options.count) for corpus in options.corpora}
    corpora: dict[str, Texts] = {
        name: [(article.text, article.date) for article in load()] for name, load in sources.items()
    }
    if FACTRU_DEV.is_file():
        corpora[f"factRuEval dev ({FACTRU_DEV.name})"] = dev_texts()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, BLAS threads {os.environ['OPENBLAS_NUM_THREADS']}")
    results = {}
    for name, texts in corpora.items():
        check_identical(runs, texts)
        mean_kb = statistics.mean(len(text.encode()) for text, _ in texts) / 1024
        load = os.getloadavg()[0]
        results[name] = speeds(runs, texts, options.rounds)
        print(f"{name}: {len(texts)} texts, mean {mean_kb:.1f} KB; identical in batches; load {load:.1f}", flush=True)
    names = list(results)
    print("\n| variant | " + " | ".join(names) + " |\n| --- |" + " ---: |" * len(names))
    for variant in runs:
        cells = []
        for name in names:
            speed, plain = results[name][variant], results[name]["plain natasha"]
            cells.append(f"{speed:.1f}" + ("" if variant == "plain natasha" else f" ({speed / plain:.2f}×)"))
        print(f"| {variant} | " + " | ".join(cells) + " |")
    print("\narticles per CPU second, one core; (×) against plain natasha on the same texts")


if __name__ == "__main__":
    main()
