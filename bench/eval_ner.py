"""Entity recognition: quality and speed of newsreader's recognizer against plain natasha.

    python bench/eval_ner.py [--dev PATH] [--out DIR] [--rounds N]

Quality: both systems tag the FactRuEval dev set; the shared scorer
(../shared/eval/eval_ner.py) scores the predictions by exact span and naeval-style.
Speed: articles per second in this one process, on the dev documents as they are and on
article-sized texts (dev documents joined until >= 3 KB). "plain" is natasha's Segmenter
+ NewsNERTagger through Doc.segment + Doc.tag_ner; "newsreader analyze" is
`EntityRecognizer.analyze` (NER, post-rules, normal forms, keys, sentences); "spans only"
is its entities' (start, end, type). Each variant gets one untimed warm-up pass, then the rounds
alternate the variants and the median round counts, so load from other processes hits
all alike. BLAS runs single-threaded (set before numpy loads): the model's matrices are
small, and on a busy machine a second BLAS thread made natasha slower and the timings
erratic. pymorphy caches stay warm across rounds, as in a long session; the "cold
caches" column clears them before each of its rounds.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

from newsreader.nlp import morph, normal_forms  # noqa: E402
from newsreader.nlp.entities import EntityRecognizer  # noqa: E402

SHARED_EVAL = Path(__file__).resolve().parents[2] / "shared/eval"
DEFAULT_DEV = SHARED_EVAL / "factru_dev.jsonl"
SCORER = SHARED_EVAL / "eval_ner.py"
TYPES = ("PER", "ORG", "LOC", "ALL")
ARTICLE_MIN_BYTES = 3000
TARGET_SPEED_RATIO = 0.8

Spans = list[tuple[int, int, str]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="gold JSONL (default: %(default)s)")
    parser.add_argument("--out", type=Path, help="folder for the prediction files (default: a new temporary folder)")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per variant, corpus (default: %(default)s)")
    args = parser.parse_args()
    if not args.dev.is_file():
        print(f"skipped: no dev set at {args.dev} (pass --dev PATH)")
        return 0
    if not SCORER.is_file():
        print(f"skipped: no scorer at {SCORER}")
        return 0
    out = args.out or Path(tempfile.mkdtemp(prefix="newsreader-ner-"))
    out.mkdir(parents=True, exist_ok=True)
    docs = [json.loads(line) for line in args.dev.read_text(encoding="utf-8").splitlines() if line.strip()]

    plain_spans = plain_natasha()
    recognizer = EntityRecognizer()
    systems = {"plain natasha": plain_spans, "newsreader": partial(newsreader_spans, recognizer)}
    scores = {}
    for name, find in systems.items():
        path = out / f"pred_{name.replace(' ', '_')}.jsonl"
        write_predictions(path, docs, find)
        scores[name] = {mode: score(args.dev, path, mode) for mode in ("exact", "naeval")}
    print(f"## F1 on {args.dev.name} ({len(docs)} documents; predictions in {out})\n")
    print_f1_table(scores)

    articles = concatenated(docs, ARTICLE_MIN_BYTES)
    corpora = {
        f"dev documents (mean {mean_kb(d['text'] for d in docs):.1f} KB)": [d["text"] for d in docs],
        f"dev documents joined to >= 3 KB (mean {mean_kb(articles):.1f} KB)": articles,
    }
    print("\n## Speed, articles/s, single process\n")
    print("| corpus | plain natasha | newsreader analyze | ratio | cold caches | ratio (cold) | spans only |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for corpus, texts in corpora.items():
        speeds = measure(texts, plain_spans, recognizer, args.rounds)
        plain, ours, cold = speeds["plain"], speeds["analyze"], speeds["analyze, cold caches"]
        print(
            f"| {corpus} | {plain:.1f} | {ours:.1f} | {ours / plain:.2f}x | {cold:.1f} | {cold / plain:.2f}x "
            f"| {speeds['spans']:.1f} |"
        )
    print(f"\n(target: newsreader analyze >= {TARGET_SPEED_RATIO}x plain natasha)")
    return 0


def plain_natasha() -> Callable[[str], Spans]:
    from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter

    segmenter, tagger = Segmenter(), NewsNERTagger(NewsEmbedding())

    def find(text: str) -> Spans:
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_ner(tagger)
        return [(span.start, span.stop, span.type) for span in doc.spans]

    return find


def newsreader_spans(recognizer: EntityRecognizer, text: str) -> Spans:
    return [(entity.start, entity.end, entity.type) for entity in recognizer.analyze(text).entities]


def write_predictions(path: Path, docs: list[dict], find: Callable[[str], Spans]) -> None:
    with path.open("w", encoding="utf-8") as file:
        for doc in docs:
            text = doc["text"]
            entities = [{"type": t, "start": s, "stop": e, "text": text[s:e]} for s, e, t in find(text)]
            file.write(json.dumps({"id": doc["id"], "text": text, "entities": entities}, ensure_ascii=False) + "\n")


def score(gold: Path, pred: Path, mode: str) -> dict[str, float]:
    """F1 per type from the official scorer's table."""
    command = [sys.executable, str(SCORER), str(gold), str(pred), "--mode", mode]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rows = {}
    for line in output.splitlines():
        cells = line.split()
        if cells and cells[0] in TYPES:
            rows[cells[0]] = float(cells[3])
    return rows


def print_f1_table(scores: dict[str, dict[str, dict[str, float]]]) -> None:
    (plain_name, plain), (ours_name, ours) = scores.items()
    print(f"| type | exact: {plain_name} | exact: {ours_name} | naeval: {plain_name} | naeval: {ours_name} |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for entity_type in TYPES:
        cells = [plain["exact"], ours["exact"], plain["naeval"], ours["naeval"]]
        print(f"| {entity_type} | " + " | ".join(f"{cell[entity_type]:.4f}" for cell in cells) + " |")


def concatenated(docs: list[dict], min_bytes: int) -> list[str]:
    """Dev documents joined by blank lines into articles of at least `min_bytes` UTF-8 bytes."""
    articles, current = [], ""
    for doc in docs:
        current += doc["text"] + "\n\n"
        if len(current.encode()) >= min_bytes:
            articles.append(current)
            current = ""
    return articles


def measure(
    texts: list[str], plain: Callable[[str], Spans], recognizer: EntityRecognizer, rounds: int
) -> dict[str, float]:
    """Median articles/s of each variant over alternating rounds."""
    variants = {
        "plain": plain,
        "analyze": recognizer.analyze,
        "analyze, cold caches": recognizer.analyze,
        "spans": partial(newsreader_spans, recognizer),
    }
    for run in variants.values():
        for text in texts:
            run(text)
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, run in variants.items():
            if name == "analyze, cold caches":  # the private caches behind morph.parse and inflect
                morph._parse_lowercase.cache_clear()
                normal_forms._lexeme_form.cache_clear()
                normal_forms._name_readings.cache_clear()
            started = time.perf_counter()
            for text in texts:
                run(text)
            times[name].append(time.perf_counter() - started)
    return {name: len(texts) / statistics.median(spent) for name, spent in times.items()}


def mean_kb(texts) -> float:
    sizes = [len(text.encode()) for text in texts]
    return sum(sizes) / len(sizes) / 1000


if __name__ == "__main__":
    sys.exit(main())
