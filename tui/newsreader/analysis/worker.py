"""What a dask worker runs: the reader's own analysis, with its models loaded once per worker thread.

A worker runs tasks on its threads, and a recognizer is not shared between threads; run the
workers with `--nthreads 1` (docs/cluster.md), so each process loads the models once.
"""

import datetime
import threading

_models = threading.local()


def analyse_batch(articles: list[tuple[bytes, datetime.date | None]]) -> tuple[str, list[list | str]]:
    """The analysis version this worker runs, and each (UTF-8 text, published)'s payload or what went wrong."""
    from newsreader.nlp.enrich import ENRICHMENT_VERSION
    from newsreader.nlp.service import payloads

    recognizer = getattr(_models, "recognizer", None)
    if recognizer is None:
        from newsreader.nlp.entities import EntityRecognizer

        recognizer = _models.recognizer = EntityRecognizer()
    return ENRICHMENT_VERSION, payloads(recognizer, articles)
