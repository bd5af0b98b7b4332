"""`newsreader analyse`'s work: every article's analysis into one cache, then the search index, with progress.

The cache is the user's (what the reader reads anyway) or, with an output folder, a file in the
documented format (docs/cache-format.md) to copy next to the archive. Either way it is read first,
so a run does only what is not in it yet: a stopped run resumes, and a finished one does no NLP.
"""

import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsreader.analysis.progress import AnalysisFailed, Progress
from newsreader.ingest.parse import Article
from newsreader.nlp.cache import CACHE_FILE, EnrichmentCache, default_cache_path, make_portable

INDEX_PROGRESS_EVERY = 1000


@dataclass(frozen=True, slots=True)
class Summary:
    progress: Progress
    seconds: float  # the analysis, from the cache's first read to its last write
    cache_path: Path
    index_path: Path | None  # None: not asked for, or it could not be used (a warning said why)
    newly_indexed: int

    @property
    def rate(self) -> float:
        """Articles analysed a second (the cached ones cost next to nothing, so they are not counted)."""
        return self.progress.analysed / self.seconds if self.seconds > 0 else 0.0


def analyse_archive(
    articles: Sequence[Article],
    *,
    output: Path | None = None,
    also_read: Sequence[Path] = (),
    workers: int | None = None,
    scheduler: str | None = None,
    index: bool = True,
    on_progress: Callable[[Progress], None] = lambda progress: None,
    on_warning: Callable[[str], None] = lambda message: None,
) -> Summary:
    """Analyse `articles` (distinct) on `workers` local processes, or on the dask cluster at `scheduler`.

    `output`: the folder for a portable cache, instead of the user's; `also_read`: caches beside the
    archive, read first (not with `output`, whose cache must hold every article itself).
    """
    cache_path = output / CACHE_FILE if output is not None else default_cache_path()
    also_read = () if output is not None else also_read
    _check_writable(cache_path)
    started = time.monotonic()
    if scheduler is None:
        from newsreader.analysis.local import analyse_locally

        progress = analyse_locally(articles, cache_path, also_read, workers, on_progress, on_warning)
    else:
        from newsreader.analysis.cluster import analyse_on_cluster

        progress = analyse_on_cluster(articles, scheduler, cache_path, also_read, on_progress, on_warning)
    seconds = time.monotonic() - started
    on_progress(progress)
    if output is not None:
        try:
            make_portable(cache_path)
        except (OSError, sqlite3.Error) as error:
            on_warning(f"{cache_path}: left with its write-ahead log ({error}); copy its -wal file with it")
    index_path, newly_indexed = _index(articles, progress, on_progress, on_warning) if index else (None, 0)
    return Summary(progress, seconds, cache_path, index_path, newly_indexed)


def _check_writable(cache_path: Path) -> None:
    """Hours of analysis must not run into a cache that cannot keep them: the reader's cache turns itself off
    with a warning, but here that is the end."""
    cache = EnrichmentCache(cache_path)
    try:
        if not cache.usable:
            raise AnalysisFailed("; ".join(cache.warnings))
    finally:
        cache.close()


def _index(
    articles: Sequence[Article],
    progress: Progress,
    on_progress: Callable[[Progress], None],
    on_warning: Callable[[str], None],
) -> tuple[Path | None, int]:
    """Add the articles to the user's search index (only those not in it); its path, or None if it is off."""
    from newsreader.search.index import SCAN_NOTE, SearchIndex

    search_index = SearchIndex()
    try:
        progress.indexed = 0
        added = search_index.add(_counted(articles, progress, on_progress))
        progress.indexed = len(articles)
        on_progress(progress)
        usable = not any(SCAN_NOTE in message for message in search_index.warnings)  # it turned itself off
        for message in search_index.warnings:
            on_warning(message)
        return (search_index.path if usable else None), added
    finally:
        search_index.close()


def _counted(
    articles: Sequence[Article], progress: Progress, on_progress: Callable[[Progress], None]
) -> Iterator[Article]:
    for number, article in enumerate(articles, start=1):
        if number % INDEX_PROGRESS_EVERY == 0:
            progress.indexed = number
            on_progress(progress)
        yield article
