"""Analysis on a dask.distributed cluster: the client sends batches of texts, and writes every result itself.

Results come back to the client, which writes the one cache, rather than workers writing shards to
merge: workers then need no shared file system and no write access anywhere, SQLite keeps its one
writer, and each result is in the cache (one transaction a batch) as soon as it is back, so a run
stopped halfway loses only the batches in flight. The price is that every text and result crosses
the network once: ~3 KB and ~0.7 KB an article, against ~10 ms of analysis each (docs/cluster.md).

At most a window of batches is in flight (two for each worker thread), so the client holds a few
hundred articles whatever the size of the archive, and a stop cancels only those. A batch that
fails is sent again once; if it fails again, its articles are reported failed, one warning each.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from newsreader.analysis.progress import AnalysisFailed, Progress
from newsreader.analysis.worker import analyse_batch
from newsreader.ingest.parse import Article
from newsreader.nlp.cache import EnrichmentCache
from newsreader.nlp.enrich import ENRICHMENT_VERSION
from newsreader.nlp.service import enrichment_or_warning, part_to_analyse
from newsreader.runtime.processes import wire_text

if TYPE_CHECKING:
    from distributed import Client, Future

BATCH_CHARS = 64_000  # ~20 real articles, ~0.2 s of work: dask's own cost a task (~1 ms) is lost in it
BATCHES_PER_THREAD = 2  # one running, one waiting on the worker, so no thread idles while results travel
CONNECT_SECONDS = 30
TRIES = 2


@dataclass(slots=True)
class _Batch:
    articles: list[tuple[Article, str]]  # each with the part of its text analysed
    tries: int = 0


def analyse_on_cluster(
    articles: Sequence[Article],
    address: str,
    cache_path: Path,
    also_read: Sequence[Path],
    on_progress: Callable[[Progress], None],
    on_warning: Callable[[str], None],
) -> Progress:
    """Analyse every article not cached yet on the cluster whose scheduler is at `address`."""
    try:
        from distributed import Client
    except ImportError:
        raise AnalysisFailed("dask.distributed is not installed: pip install 'newsreader[cluster]'") from None
    progress = Progress(len(articles))
    cache = EnrichmentCache(cache_path, also_read=also_read)
    try:
        try:
            client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, ValueError) as error:  # unreachable, refused, timed out (TimeoutError is an OSError)
            raise AnalysisFailed(f"cannot reach the dask scheduler at {address} ({error})") from None
        with client:
            _ClusterRun(client, cache, progress, on_progress, on_warning).run(articles)
    finally:
        cache.close()
    return progress


class _ClusterRun:
    def __init__(
        self,
        client: "Client",
        cache: EnrichmentCache,
        progress: Progress,
        on_progress: Callable[[Progress], None],
        on_warning: Callable[[str], None],
    ) -> None:
        from distributed import as_completed

        self._client = client
        self._cache = cache
        self._progress = progress
        self._on_progress = on_progress
        self._on_warning = on_warning
        self._in_flight: dict[Future, _Batch] = {}
        self._completed = as_completed(loop=client.loop)

    def run(self, articles: Sequence[Article]) -> None:
        """Keep the window full until every batch is back; a stop (or any error) cancels what is in flight."""
        try:
            for batch in self._batches(articles):
                self._send(batch)
                while len(self._in_flight) >= self._window():
                    self._take(next(self._completed))
            while self._in_flight:
                self._take(next(self._completed))
        finally:
            if self._in_flight:
                self._client.cancel(list(self._in_flight))
            self._report()

    def _window(self) -> int:
        """Batches in flight: two a worker thread, asked each time, so workers that join are used at once."""
        return max(BATCHES_PER_THREAD, BATCHES_PER_THREAD * sum(self._client.nthreads().values()))

    def _batches(self, articles: Sequence[Article]) -> Iterator[_Batch]:
        """The articles not cached, up to BATCH_CHARS a batch; the cached ones are counted on the way."""
        chosen: list[tuple[Article, str]] = []
        size = 0
        for article in articles:
            text = article.text  # read once: it may come from the file
            if self._cache.get(article.fingerprint, text) is not None:
                self._progress.cached += 1
                self._report()
                continue
            part = part_to_analyse(article, text, self._on_warning)
            if chosen and size + len(part) > BATCH_CHARS:
                yield _Batch(chosen)
                chosen, size = [], 0
            chosen.append((article, part))
            size += len(part)
        if chosen:
            yield _Batch(chosen)

    def _send(self, batch: _Batch) -> None:
        batch.tries += 1
        wired = [(wire_text(text), article.date) for article, text in batch.articles]
        future = self._client.submit(analyse_batch, wired, pure=False)
        self._in_flight[future] = batch
        self._completed.add(future)

    def _take(self, future: "Future") -> None:
        """Write a finished batch's results, or send it again once; every failure is said."""
        batch = self._in_flight.pop(future)
        try:
            version, results = future.result()
            if version != ENRICHMENT_VERSION:
                raise AnalysisFailed(
                    f"a worker runs analysis {version}, this client {ENRICHMENT_VERSION}: "
                    "install the same newsreader version on every host"
                )
            if len(results) != len(batch.articles):
                raise ValueError(f"{len(results)} results for {len(batch.articles)} articles")
        except AnalysisFailed:
            raise
        except Exception as error:  # the task raised, its worker died, it was cancelled, ...
            if batch.tries < TRIES:
                self._on_warning(f"a batch of {len(batch.articles)} articles failed ({_said(error)}); sent again")
                self._send(batch)
                return
            results = [_said(error)] * len(batch.articles)
        entries = []
        for (article, text), result in zip(batch.articles, results, strict=True):
            enrichment = enrichment_or_warning(article, text, result, self._on_warning)
            if enrichment is None:
                self._progress.failed += 1
            else:
                entries.append((article.fingerprint, enrichment))
        self._cache.put_many(entries)
        self._progress.analysed += len(entries)
        self._report()

    def _report(self) -> None:
        while self._cache.warnings:
            self._on_warning(self._cache.warnings.pop(0))
        self._on_progress(self._progress)


def _said(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"
