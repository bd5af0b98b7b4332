"""Analysis on this machine's cores: the reader's own EnrichmentService, which reads the cache first."""

import itertools
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from newsreader.analysis.progress import AnalysisFailed, Progress
from newsreader.ingest.parse import Article

PROGRESS_SECONDS = 0.2


def analyse_locally(
    articles: Sequence[Article],
    cache_path: Path,
    also_read: Sequence[Path],
    workers: int | None,
    on_progress: Callable[[Progress], None],
    on_warning: Callable[[str], None],
) -> Progress:
    """Analyse every article not cached yet on `workers` processes; the service writes results as they come
    (in batches, and the rest when it is closed, by a stop signal too)."""
    from newsreader.nlp.service import EnrichmentService

    progress = Progress(len(articles))
    finished = threading.Event()
    delivered = itertools.count(1)

    def count(article: Article, enrichment: object) -> None:
        if next(delivered) >= len(articles):
            finished.set()

    service = EnrichmentService(
        count, cache_path=cache_path, workers=workers, on_warning=on_warning, also_read=also_read
    )
    try:
        if articles:
            service.submit(articles)
        else:
            finished.set()
        while not finished.wait(PROGRESS_SECONDS):
            if not service.running:  # it said why
                raise AnalysisFailed(f"analysis stopped with {service.done:,} of {len(articles):,} articles done")
            on_progress(_tally(service, progress))
    finally:
        service.close()
    return _tally(service, progress)


def _tally(service, progress: Progress) -> Progress:
    progress.cached, progress.failed = service.from_cache, service.failed
    progress.analysed = service.done - service.from_cache - service.failed
    return progress
