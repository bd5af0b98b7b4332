"""Analysis time and peak memory against article size, each in a fresh worker process.

    python bench/bench_analysis_size.py [--sizes 1e3,1e4,1e5,1e6,4.6e6,1e7] [--corpora real,generated,...]

For every corpus and size (UTF-8 bytes) a new Python process, as a service worker is,
loads the models, reads the article text (UTF-8, as a worker receives it), enriches it
once (NER, dates, events) and reports wall time, CPU time, its RSS once the models are
loaded, and its peak RSS (VmHWM from /proc) while it analyses: the peak is reset after
loading (/proc/self/clear_refs), since loading itself peaks at ~210 MB for a moment. BLAS is single-threaded, as in the
workers, so CPU time is the one-core cost even on a busy machine.

Corpora, each joined by blank lines and cut to the size:
  real        the factRuEval-2016 dev documents (../shared/eval/factru_dev.jsonl), repeated
  generated   articles from bench/make_corpus.py --seed 1
  char        one letter repeated ("а")           digits   "0123456789" repeated
  punct       ".,;:!?-" repeated                    spaced   ". , ; : ! ? - " repeated (a token per 2 bytes)
  dates       "с 1 по 3 марта 2024 года, " repeated
The last five are the pathological inputs; their default sizes are 0.5, 1 and 2 MB.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

FACTRU_DEV = Path(__file__).resolve().parents[2] / "shared/eval/factru_dev.jsonl"
DEFAULT_SIZES = (1e3, 1e4, 1e5, 1e6, 4.6e6, 1e7)
PATHOLOGICAL_SIZES = (5e5, 1e6, 2e6)
PATTERNS = {
    "char": "а",
    "digits": "0123456789",
    "punct": ".,;:!?-",
    "spaced": ". , ; : ! ? - ",
    "dates": "с 1 по 3 марта 2024 года, ",
}
PUBLISHED = "2024-06-01"


def real_texts() -> list[str]:
    return [json.loads(line)["text"] for line in FACTRU_DEV.read_text(encoding="utf-8").splitlines() if line.strip()]


def generated_texts(folder: Path) -> list[str]:
    from newsreader.ingest.parse import Article, iter_articles

    script = Path(__file__).with_name("make_corpus.py")
    made = subprocess.run(
        [sys.executable, str(script), str(folder), "--count", "3500", "--seed", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        raise RuntimeError(f"make_corpus.py failed: {made.stderr.strip()[-2000:]}")
    return [item.text for item in iter_articles([str(folder)]) if isinstance(item, Article)]


def article_of(texts: list[str], size: int) -> bytes:
    """`texts` joined by blank lines, repeated as needed, cut to `size` UTF-8 bytes."""
    pieces, total, index = [], 0, 0
    while total < size:
        pieces.append(texts[index % len(texts)])
        total += len(pieces[-1].encode()) + 2
        index += 1
    return "\n\n".join(pieces).encode()[:size].decode(errors="ignore").encode()


def measure(path: Path) -> dict:
    """Run one fresh worker on the article in `path`."""
    command = [sys.executable, __file__, "--worker", str(path)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"worker failed on {path}: {result.stderr.strip()[-2000:]}")
    return json.loads(result.stdout)


def worker(path: Path) -> None:
    """Load the models, enrich the article once, print the figures as JSON."""
    import datetime

    from newsreader.nlp.enrich import enrich
    from newsreader.nlp.entities import EntityRecognizer

    recognizer = EntityRecognizer()
    loaded = memory_mb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
    text = path.read_bytes().decode()
    wall, cpu = time.perf_counter(), time.process_time()
    enrichment = enrich(recognizer, text, datetime.date.fromisoformat(PUBLISHED))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        json.dumps(
            {
                "wall": wall,
                "cpu": cpu,
                "peak_mb": memory_mb("VmHWM"),
                "loaded_mb": loaded,
                "entities": len(enrichment.entities),
                "dates": len(enrichment.dates),
                "events": len(enrichment.events),
            }
        )
    )


def memory_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def human(size: int) -> str:
    return f"{size / 1e6:g} MB" if size >= 1e6 else f"{size / 1e3:g} KB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--sizes", help="comma-separated sizes in bytes for real and generated text")
    parser.add_argument("--corpora", default="real,generated," + ",".join(PATTERNS))
    options = parser.parse_args()
    if options.worker:
        worker(options.worker)
        return 0
    sizes = [int(float(size)) for size in options.sizes.split(",")] if options.sizes else None
    with tempfile.TemporaryDirectory() as folder:
        sources: dict[str, Callable[[], list[str]]] = {
            "real": real_texts,
            "generated": lambda: generated_texts(Path(folder) / "corpus"),
            **{name: (lambda pattern=pattern: [pattern * 1000]) for name, pattern in PATTERNS.items()},
        }
        print(
            f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, "
            f"BLAS threads {os.environ['OPENBLAS_NUM_THREADS']}"
        )
        print(
            "\n| corpus | size | wall s | CPU s | CPU s per MB | peak RSS while analysing, MB "
            "| RSS with models loaded, MB "
            "| entities | dates |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for corpus in options.corpora.split(","):
            texts = sources[corpus]()
            default = DEFAULT_SIZES if corpus in ("real", "generated") else PATHOLOGICAL_SIZES
            for size in sizes or [int(size) for size in default]:
                path = Path(folder) / "article.txt"
                path.write_bytes(article_of(texts, size))
                row = measure(path)
                print(
                    f"| {corpus} | {human(size)} | {row['wall']:.2f} | {row['cpu']:.2f} "
                    f"| {row['cpu'] / size * 1e6:.2f} "
                    f"| {row['peak_mb']:.0f} | {row['loaded_mb']:.0f} | {row['entities']} | {row['dates']} |",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
