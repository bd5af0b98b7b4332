"""Enrichment benchmark: plain natasha NER against the full pipeline, on the same articles.

Measures, in one run: plain natasha (Segmenter + NewsNERTagger) articles/s on one
core; full enrichment (NER + rules + normal forms + keys + dates + events) on one
core and through the service on all cores; the cached re-run; peak RSS of a
worker; and the latency of the open article jumping a busy queue.

    python bench/bench_enrich.py bench/corpus-10k --count 1000
"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from newsreader.ingest.parse import Article, iter_articles


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


def children_peak_rss_mb() -> list[float]:
    """VmHWM of every live child process (the pool's workers), from /proc."""
    peaks = []
    for children in Path("/proc/self/task").glob("*/children"):
        for pid in children.read_text().split():
            status = Path(f"/proc/{pid}/status")
            for line in status.read_text().splitlines() if status.exists() else ():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
    return peaks


def articles_per_second(function, articles: list[Article]) -> float:
    function(articles[0])
    started = time.perf_counter()
    for article in articles:
        function(article)
    return len(articles) / (time.perf_counter() - started)


def plain_natasha(articles: list[Article]) -> float:
    from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter

    segmenter, tagger = Segmenter(), NewsNERTagger(NewsEmbedding())

    def run(article: Article) -> None:
        doc = Doc(article.text)
        doc.segment(segmenter)
        doc.tag_ner(tagger)

    return articles_per_second(run, articles)


def full_one_core(articles: list[Article]) -> tuple[float, list[float]]:
    from newsreader.nlp.enrich import enrich
    from newsreader.nlp.entities import EntityRecognizer

    recognizer = EntityRecognizer()
    speed = articles_per_second(lambda article: enrich(recognizer, article.text, article.date), articles)
    latencies = []
    for article in articles[:200]:
        started = time.perf_counter()
        enrich(recognizer, article.text, article.date)
        latencies.append((time.perf_counter() - started) * 1000)
    return speed, latencies


def run_service(articles: list[Article], cache_path: Path, workers: int, urgent: list[Article] = ()) -> dict:
    """Enrich through the service; returns wall time, cache hits and urgent latencies (ms)."""
    from newsreader.nlp.service import EnrichmentService

    delivered_at: dict[str, float] = {}
    everything = {article.fingerprint for article in [*articles, *urgent]}
    finished = threading.Event()

    def keep(article, enrichment):
        delivered_at[article.fingerprint] = time.perf_counter()
        if len(delivered_at) == len(everything):
            finished.set()

    started = time.perf_counter()
    service = EnrichmentService(keep, cache_path=cache_path, workers=workers)
    service.submit(articles)
    asked_at = {}
    first_result_at = None
    for article in urgent:
        while len(delivered_at) < 20:  # the pool is warm and busy before we ask
            time.sleep(0.01)
        first_result_at = first_result_at or time.perf_counter()
        asked_at[article.fingerprint] = time.perf_counter()
        service.submit([article], urgent=True)
        while article.fingerprint not in delivered_at:
            time.sleep(0.001)
    finished.wait()
    wall = time.perf_counter() - started
    worker_peaks = children_peak_rss_mb()
    service.close()
    latencies = [(delivered_at[f] - asked) * 1000 for f, asked in asked_at.items()]
    return {"wall": wall, "from_cache": service.from_cache, "latencies": latencies, "worker_peaks": worker_peaks}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--count", type=int, default=1000, help="articles to enrich (default %(default)s)")
    parser.add_argument("--single-core-count", type=int, default=300, help="articles for the one-core runs")
    options = parser.parse_args()
    workers = os.cpu_count() or 1
    articles = load_articles(options.corpus, options.count + 30)
    urgent, articles = articles[:30], articles[30:]
    sample = articles[: options.single_core_count]
    mean_kb = sum(len(a.text.encode()) for a in articles) / len(articles) / 1024
    print(f"{len(articles)} articles, mean {mean_kb:.1f} KB of text; {workers} cores; Python {sys.version.split()[0]}")

    plain = plain_natasha(sample)
    full, one_latencies = full_one_core(sample)
    with tempfile.TemporaryDirectory() as folder:
        cache_path = Path(folder) / "enrichment.sqlite3"
        cold = run_service(articles, cache_path, workers, urgent)
        warm = run_service(articles, cache_path, workers)
    rows = [
        ("plain natasha NER, 1 core", f"{plain:.1f} articles/s", ""),
        ("full enrichment, 1 core", f"{full:.1f} articles/s", f"{full / plain:.2f}× plain (target ≥ 0.8×)"),
        (
            f"full enrichment, service on {workers} cores (cold, incl. model load)",
            f"{len(articles) / cold['wall']:.1f} articles/s",
            f"{cold['wall']:.1f} s for {len(articles)} (target ≥ 100/s)",
        ),
        (
            "cached re-run, same service",
            f"{len(articles) / warm['wall']:.0f} articles/s",
            f"{warm['wall']:.2f} s, {cold['wall'] / warm['wall']:.0f}× faster than cold (target ≥ 50×); "
            f"{warm['from_cache']} hits",
        ),
        (
            "peak RSS of a worker process",
            f"{max(cold['worker_peaks'], default=0):.0f} MB",
            "VmHWM of each worker: " + ", ".join(f"{peak:.0f}" for peak in cold["worker_peaks"]) + " MB",
        ),
        (
            "one article in process, models loaded",
            f"mean {statistics.mean(one_latencies):.1f} ms",
            f"p95 {percentile(one_latencies, 0.95):.1f} ms (target ≤ 50 ms)",
        ),
        (
            "open article jumping a busy queue",
            f"mean {statistics.mean(cold['latencies']):.1f} ms",
            f"p95 {percentile(cold['latencies'], 0.95):.1f} ms over {len(cold['latencies'])} asks",
        ),
    ]
    print("\n| measure | result | note |\n| --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
