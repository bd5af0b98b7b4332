"""`newsreader extract`: one JSON object per article on stdout, warnings on stderr."""

import contextlib
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence

from newsreader.analysis.progress import Progress
from newsreader.cli.jsonl import write_json_lines
from newsreader.cli.progress import ProgressLine
from newsreader.export.records import article_record
from newsreader.ingest.load import LoadWarning
from newsreader.ingest.parse import Article, iter_articles
from newsreader.nlp.enrich import Enrichment
from newsreader.runtime.processes import exit_code_for, stop_signals
from newsreader.store.corpus import Store
from newsreader.store.stories import Stories
from newsreader.store.story_cache import GroupCache, SignatureCache, find_stories

QUIET_SECONDS = 2.0  # an analysis shorter than this shows no progress line


class Stopped(BaseException):
    """A stop signal arrived. Like KeyboardInterrupt it passes `except Exception`, so it unwinds every `finally`."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def stopping_on_signals() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP raise Stopped in the main thread for the duration."""

    def stop(signum: int, frame) -> None:
        raise Stopped(signum)

    previous = {signum: signal.signal(signum, stop) for signum in stop_signals()}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def load_store(
    paths: list[str], max_bytes: int, columns: Mapping[str, str] | None = None
) -> tuple[Store, list[Article]]:
    """Every article of `paths` in a store (duplicates dropped), warnings to stderr; articles in load order."""
    store = Store()
    articles = []
    for item in iter_articles(paths, max_bytes=max_bytes, columns=columns):
        if isinstance(item, Article):
            item = store.add(item) or item
        if isinstance(item, LoadWarning):
            print(item, file=sys.stderr)
        else:
            articles.append(item)
    return store, articles


class AnalysisStopped(RuntimeError):
    """The analysis thread died: waiting on would hang for ever."""


def enrich_all(
    store: Store, articles: list[Article], workers: int | None = None, paths: Sequence[str] = ()
) -> dict[str, Enrichment]:
    """Enrich on all cores (caches beside the archive `paths`, then the user's, first), wait for every article,
    and index the results in the store. A run that lasts shows its progress on stderr: an archive analysed
    for the first time takes minutes, and a script's user must not take that for a hang."""
    from newsreader.nlp.cache import caches_beside
    from newsreader.nlp.service import EnrichmentService

    results: dict[str, Enrichment] = {}
    all_done = threading.Event()
    line, started = ProgressLine(sys.stderr), time.monotonic()

    def keep(article: Article, enrichment: Enrichment) -> None:
        results[article.fingerprint] = enrichment
        if len(results) == len(articles):
            all_done.set()

    service = EnrichmentService(keep, workers=workers, on_warning=line.warn, also_read=caches_beside(paths))
    try:
        if articles:
            service.submit(articles)
            while not all_done.wait(timeout=0.5):
                if not service.running and not all_done.is_set():  # it reported why on stderr
                    raise AnalysisStopped(f"analysis stopped with {len(results)} of {len(articles)} articles done")
                if time.monotonic() - started >= QUIET_SECONDS:
                    analysed = service.done - service.from_cache - service.failed
                    line.show(Progress(len(articles), analysed, service.from_cache, service.failed))
    finally:  # a stop signal too: the workers end now, not after their current article
        line.close()
        service.close()
    for article in articles:
        store.set_enrichment(article.fingerprint, results[article.fingerprint])
    return results


def find_stories_reporting(articles: list[Article], paths: list[str]) -> Stories:
    """The stories across outlets, the caches' warnings on stderr."""
    warnings: list[str] = []
    stories = find_stories(articles, SignatureCache(), warnings, groups=GroupCache.for_archive(paths))
    for warning in warnings:
        print(warning, file=sys.stderr)
    return stories


def run_extract(
    paths: list[str], max_bytes: int, workers: int | None = None, columns: Mapping[str, str] | None = None
) -> int:
    """Load everything, enrich it, then print in load order with corpus-canonical keys.

    A stop signal ends it with the shell's code for that signal and no traceback: the workers are
    stopped, and the lines already written reach stdout. Keys are canonical for the whole corpus,
    so nothing is printed before every article is analysed.
    """

    def work() -> int:
        store, articles = load_store(paths, max_bytes, columns)
        results = enrich_all(store, articles, workers, paths)
        stories = find_stories_reporting(articles, paths)
        records = (
            article_record(
                article, results[article.fingerprint], store.canonical_key, stories.story(article.fingerprint)
            )
            for article in articles
        )
        return write_json_lines(records, "newsreader extract")

    return run_stoppably("newsreader extract", work)


def run_stoppably(command: str, work: Callable[[], int]) -> int:
    """`work()`'s status, or, when the analysis dies or a stop signal comes, one line on stderr and its status.

    A stop signal ends it with the shell's code for that signal and no traceback (the workers
    are stopped, every `finally` runs); `command` names the program in the line.
    """
    try:
        with stopping_on_signals():
            return work()
    except AnalysisStopped as stopped:
        print(f"{command}: {stopped}", file=sys.stderr)
        return 1
    except Stopped as stop:
        print(f"{command}: stopped by {signal.Signals(stop.signum).name}", file=sys.stderr)
        return exit_code_for(stop.signum)
