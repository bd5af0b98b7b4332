"""Hostile and huge queries: how long each step takes, so a pasted 100 KB query cannot stall the reader.

    python bench/bench_hostile_queries.py [/work/shared/eval/factru_dev.jsonl]

Corpus: the texts of the JSON Lines file (factRuEval-2016 dev by default), indexed in
a temporary folder. Each query is 100 KB of real words from the corpus (repeated, all
different, as a phrase, as a literal) or many filters; each figure is the median of
REPEATS runs of: parsing, the index search, the scan without index, and the in-article
find (both passes) over a 100 KB article made of the corpus texts.
"""

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from newsreader.ingest.parse import Document, parse
from newsreader.search.index import SearchIndex
from newsreader.search.matching import find_matches
from newsreader.search.normalise import words
from newsreader.search.query import parse_query
from newsreader.search.scan import search_without_index
from newsreader.store.corpus import Store

QUERY_BYTES = 100_000
REPEATS = 3


def milliseconds(step) -> float:
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        step()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def to_size(pieces: list[str], separator: str = " ") -> str:
    text, index = [], 0
    while sum(map(len, text)) + len(text) < QUERY_BYTES // 2:  # Cyrillic: two UTF-8 bytes a character
        text.append(pieces[index % len(pieces)])
        index += 1
    return separator.join(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", default="/work/shared/eval/factru_dev.jsonl")
    corpus = Path(parser.parse_args().corpus)
    texts = [json.loads(line)["text"] for line in corpus.read_text("utf-8").splitlines() if line.strip()]
    store = Store()
    for number, text in enumerate(texts):
        store.add(parse(Document(f"d{number}", f"{corpus.name}/{number}", text, "utf-8"))[0])
    vocabulary = sorted({word for text in texts for word in words(text)})
    random.Random(9).shuffle(vocabulary)
    article = to_size(texts, "\n\n")
    queries = {
        "one word x 100 KB": to_size(["Москва"]),
        "distinct words, 100 KB": to_size(vocabulary),
        "phrase of 100 KB": '"' + to_size(vocabulary) + '"',
        "bad dates, 100 KB": to_size([f"date:{year}-13-45" for year in range(1000, 9999)]),
        "dates that narrow, 100 KB": to_size([f"date:{year}..2020" for year in range(1000, 2020)]),
        "FTS/SQL syntax": 'NEAR("москва" OR россия) AND NOT ^путин* \'; DROP TABLE words; -- {forms}:x',
    }
    with tempfile.TemporaryDirectory() as folder:
        index = SearchIndex(Path(folder) / "search.sqlite3")
        index.add(store)
        print(f"corpus: {corpus} ({len(store)} articles); article for find: {len(article):,} characters")
        print(f"{'query':28} {'chars':>8} {'parse':>8} {'index':>8} {'scan':>8} {'find':>8} {'find lit':>8}  ms")
        for name, query in queries.items():
            parse_query(query)  # word forms cached, as they are from the second keystroke on
            row = [
                milliseconds(lambda query=query: parse_query(query)),
                milliseconds(lambda query=query: index.search(query, store)),
                milliseconds(lambda query=query: search_without_index(query, store)),
                milliseconds(lambda query=query: find_matches(article, query)),
                milliseconds(lambda query=query: find_matches(article, query, literal=True)),
            ]
            print(f"{name:28} {len(query):8,} " + " ".join(f"{value:8.1f}" for value in row))
        literal = to_size(vocabulary)
        row = [
            milliseconds(lambda: index.search(parse_query(literal, literal=True), store)),
            milliseconds(lambda: search_without_index(parse_query(literal, literal=True), store)),
        ]
        print(f"{'literal of 100 KB':28} {len(literal):8,} {'':8} " + " ".join(f"{value:8.1f}" for value in row))
        assert not index.warnings, index.warnings
        index.close()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
