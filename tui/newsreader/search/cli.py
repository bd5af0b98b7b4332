"""`newsreader search QUERY PATH...`: matching articles as JSON Lines, best first.

Offsets are into `Article.text`, as `newsreader extract` defines them, so
`text[start:end]` of an extract record is each match's `text`.
"""

import json
import sys
import threading

from newsreader.load import LoadWarning
from newsreader.nlp.enrich import Enrichment
from newsreader.parse import Article, iter_articles
from newsreader.search.index import SearchIndex
from newsreader.search.query import parse_query
from newsreader.store import Store

DEFAULT_LIMIT = 200


def run_search(query: str, paths: list[str], max_bytes: int, limit: int = DEFAULT_LIMIT, literal: bool = False) -> int:
    """Load, bring the on-disk index up to date, enrich only if an entity filter needs it, print hits."""
    store = Store()
    for item in iter_articles(paths, max_bytes=max_bytes):
        warning = store.add(item) if isinstance(item, Article) else item
        if isinstance(warning, LoadWarning):
            print(warning, file=sys.stderr)
    parsed = parse_query(query, literal)
    for problem in parsed.problems:
        print(f"newsreader search: {problem}", file=sys.stderr)
    if parsed.entities:
        _enrich(store)
    index = SearchIndex()
    index.add(store)
    hits = index.search(parsed, store, limit)
    for message in index.warnings:
        print(message, file=sys.stderr)
    out = sys.stdout
    out.reconfigure(encoding="utf-8", errors="replace")
    try:
        for hit in hits:
            article = store.get(hit.article_id)
            record = {
                "id": article.id,
                "path": article.path,
                "date": article.date.isoformat() if article.date else None,
                "title": article.title,
                "score": round(hit.score, 6),
                "matches": [{"start": start, "end": end, "text": article.text[start:end]} for start, end in hit.matches],
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()
    except BrokenPipeError:
        sys.stderr.close()
    return 0


def _enrich(store: Store) -> None:
    """Entities for every article, from the enrichment cache or the NLP workers, as `extract` gets them."""
    from newsreader.nlp.service import EnrichmentService

    articles = list(store)
    results: dict[str, Enrichment] = {}
    all_done = threading.Event()

    def keep(article: Article, enrichment: Enrichment) -> None:
        results[article.fingerprint] = enrichment
        if len(results) == len(articles):
            all_done.set()

    service = EnrichmentService(keep, on_warning=lambda message: print(message, file=sys.stderr))
    if articles:
        service.submit(articles)
        all_done.wait()
    service.close()
    for article in articles:
        store.set_enrichment(article.fingerprint, results[article.fingerprint])
