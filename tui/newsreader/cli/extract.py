"""`newsreader extract`: one JSON object per article on stdout, warnings on stderr."""

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence

from newsreader.cli.jsonl import source_fields, write_json_lines
from newsreader.ingest.load import LoadWarning
from newsreader.ingest.parse import Article, iter_articles
from newsreader.nlp.enrich import Enrichment
from newsreader.runtime.processes import exit_code_for, stop_signals
from newsreader.store.corpus import Store


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


def article_record(article: Article, enrichment: Enrichment, canonical_key=lambda key: key) -> dict:
    """The documented extract schema for one article; keys are corpus-canonical."""
    text = article.text
    roles_of: dict[str, list[str]] = {}
    for role in enrichment.roles:
        held = roles_of.setdefault(canonical_key(role.key), [])
        held += [] if role.role in held else [role.role]
    return {
        "id": article.id,
        "path": article.path,
        "date": article.date.isoformat() if article.date else None,
        "title": article.title,
        "lede": article.lede,
        "credit": article.credit,
        "encoding": article.encoding,
        **source_fields(article),
        "text": text,
        "entities": [
            {
                "type": e.type,
                "start": e.start,
                "end": e.end,
                "text": e.text,
                "normal": e.normal,
                "key": canonical_key(e.key),
                "roles": roles_of.get(canonical_key(e.key), []),
            }
            for e in enrichment.entities
        ],
        "dates": [
            {"start": d.start, "end": d.end, "text": d.text, "value": d.value, "granularity": d.granularity}
            for d in enrichment.dates
        ],
        "events": [
            {
                "value": v.value,
                "granularity": v.granularity,
                "start": v.start,
                "end": v.end,
                "text": text[v.start : v.end],
                "sentence_start": v.sentence_start,
                "sentence_end": v.sentence_end,
                "keys": list(dict.fromkeys(canonical_key(key) for key in v.keys)),
            }
            for v in enrichment.events
        ],
        "roles": [
            {
                "start": r.start,
                "end": r.end,
                "text": text[r.start : r.end],
                "role": r.role,
                "key": canonical_key(r.key),
                "kind": r.kind,
            }
            for r in enrichment.roles
        ],
        "quotes": [
            {
                "start": q.start,
                "end": q.end,
                "text": text[q.start : q.end],
                "key": canonical_key(q.key),
                "kind": q.kind,
                "sentence_start": q.sentence_start,
                "sentence_end": q.sentence_end,
            }
            for q in enrichment.quotes
        ],
    }


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
    and index the results in the store."""
    from newsreader.nlp.cache import caches_beside
    from newsreader.nlp.service import EnrichmentService

    results: dict[str, Enrichment] = {}
    all_done = threading.Event()

    def keep(article: Article, enrichment: Enrichment) -> None:
        results[article.fingerprint] = enrichment
        if len(results) == len(articles):
            all_done.set()

    service = EnrichmentService(
        keep,
        workers=workers,
        on_warning=lambda message: print(message, file=sys.stderr),
        also_read=caches_beside(paths),
    )
    try:
        if articles:
            service.submit(articles)
            while not all_done.wait(timeout=0.5):
                if not service.running and not all_done.is_set():  # it reported why on stderr
                    raise AnalysisStopped(f"analysis stopped with {len(results)} of {len(articles)} articles done")
    finally:  # a stop signal too: the workers end now, not after their current article
        service.close()
    for article in articles:
        store.set_enrichment(article.fingerprint, results[article.fingerprint])
    return results


def run_extract(
    paths: list[str], max_bytes: int, workers: int | None = None, columns: Mapping[str, str] | None = None
) -> int:
    """Load everything, enrich it, then print in load order with corpus-canonical keys.

    A stop signal ends it with the shell's code for that signal and no traceback: the workers are
    stopped, and the lines already written reach stdout. Keys are canonical for the whole corpus,
    so nothing is printed before every article is analysed.
    """
    try:
        with stopping_on_signals():
            store, articles = load_store(paths, max_bytes, columns)
            results = enrich_all(store, articles, workers, paths)
            return write_json_lines(
                (article_record(article, results[article.fingerprint], store.canonical_key) for article in articles),
                "newsreader extract",
            )
    except AnalysisStopped as stopped:
        print(f"newsreader extract: {stopped}", file=sys.stderr)
        return 1
    except Stopped as stop:
        print(f"newsreader extract: stopped by {signal.Signals(stop.signum).name}", file=sys.stderr)
        return exit_code_for(stop.signum)
