"""Sanitising real text: the current `sanitize` against an older copy of the module; same output, speed.

Runs on the factRuEval dev texts (../shared/eval/factru_dev.jsonl) and the seed as they are,
and with one no-break space or one tab added to each (a third of real Russian news articles
hold a no-break space). First checks that both give the same output on those texts and on
200 000 random strings of the characters sanitising acts on.

    git show 9311f86:tui/newsreader/ingest/sanitize.py > /tmp/sanitize_old.py
    python bench/bench_sanitize.py /tmp/sanitize_old.py
"""

import argparse
import importlib.util
import json
import random
import time
from pathlib import Path

from newsreader.ingest import sanitize as current

ROOT = Path(__file__).resolve().parents[1]
FACTRU_DEV = ROOT.parent / "shared" / "eval" / "factru_dev.jsonl"
HOSTILE = list("abc АБВ абв\t\n\r\x00\x01\x1b[31m\x9b\x9d\x07«»—…\u00a0\u2007\u202f\u2028\u2029\u200b\u202e\ufeff")
HOSTILE += list("\u0301\u0300\u0302\u0303\ud800") + ["\x1b]0;t\x07", "\r\n", "e\u0301"]


def load_module(path: Path):
    spec = importlib.util.spec_from_file_location("older_sanitize", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def real_texts() -> list[str]:
    with FACTRU_DEV.open(encoding="utf-8") as lines:
        texts = [json.loads(line)["text"] for line in lines]
    return texts + [path.read_text("utf-8") for path in sorted((ROOT / "seeds").glob("*.txt"))]


def best_seconds(sanitize, sample: list[str], repeat: int = 30) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for text in sample:
            sanitize(text)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("older", type=Path, help="a copy of an older sanitize.py")
    older = load_module(parser.parse_args().older)
    texts = real_texts()
    rng = random.Random(1)
    randoms = ["".join(rng.choice(HOSTILE) for _ in range(rng.randint(0, 60))) for _ in range(200_000)]
    differ = [text for text in texts + randoms if older.sanitize(text) != current.sanitize(text)]
    print(f"{len(texts) + len(randoms):,} texts compared, {len(differ)} differ {differ[:3]!r}")
    print(f"real texts: {len(texts)} (factRuEval dev + seed), mean {sum(map(len, texts)) // len(texts):,} characters")
    samples = {
        "as they are": texts,
        "each with one no-break space": [text + "\u00a0" for text in texts],
        "each with one tab": [text + "\t" for text in texts],
    }
    for name, sample in samples.items():
        before, after = best_seconds(older.sanitize, sample), best_seconds(current.sanitize, sample)
        print(
            f"{name}: older {before / len(sample) * 1e6:.0f} µs a text, now {after / len(sample) * 1e6:.0f} µs "
            f"({before / after:.1f}×), best of 30"
        )


if __name__ == "__main__":
    main()
