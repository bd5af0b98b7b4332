"""The date grammar's gate loses nothing: on every text of the given corpora (and the factRuEval dev documents,
when present) the gated PATTERN finds the matches the whole grammar finds without it (spans, rule, groups).

    python bench/check_date_gate.py /work/corpora/real-10k

tests/test_dates_gate.py checks the same on the date tests' texts; run this after changing the gate's words
(nlp/dates/words.py) or the grammar. Exits 1 naming the first text that differs.
"""

import argparse
import json
import re
import sys
import time
from pathlib import Path

from newsreader.folding import lower_aligned
from newsreader.ingest.parse import Article, iter_articles
from newsreader.nlp.dates.patterns import GATE
from newsreader.nlp.dates.rules import PATTERN

FACTRU_DEV = Path(__file__).resolve().parents[2] / "shared/eval/factru_dev.jsonl"


def texts(corpora: list[Path]) -> list[tuple[str, str]]:
    """(where, text) of every article of `corpora`, then of every factRuEval dev document."""
    found = [(str(item.path), item.text) for item in iter_articles(corpora) if isinstance(item, Article)]
    if FACTRU_DEV.is_file():
        lines = FACTRU_DEV.read_text(encoding="utf-8").splitlines()
        found += [(f"{FACTRU_DEV.name}:{number}", json.loads(line)["text"]) for number, line in enumerate(lines, 1)]
    return found


def matches(pattern: re.Pattern[str], text: str) -> list[tuple]:
    return [(match.span(), match.lastgroup, match.groups()) for match in pattern.finditer(lower_aligned(text))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", type=Path, nargs="+")
    options = parser.parse_args()
    ungated = re.compile(PATTERN.pattern.replace(GATE, "", 1))
    spent = {PATTERN: 0.0, ungated: 0.0}
    found = 0
    checked = texts(options.corpora)
    for where, text in checked:
        results = []
        for pattern in spent:
            started = time.process_time()
            results.append(matches(pattern, text))
            spent[pattern] += time.process_time() - started
        if results[0] != results[1]:
            sys.exit(f"{where}: the gated grammar finds other matches")
        found += len(results[0])
    gated_us, ungated_us = (spent[pattern] / len(checked) * 1e6 for pattern in (PATTERN, ungated))
    print(f"{len(checked)} texts, {found} matches, all alike; µs a text: {gated_us:.0f} gated, {ungated_us:.0f} not")


if __name__ == "__main__":
    main()
