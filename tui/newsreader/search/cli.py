"""`newsreader search QUERY PATH...`: matching articles as JSON Lines, best first.

Offsets are into `Article.text`, as `newsreader extract` defines them, so
`text[start:end]` of an extract record is each match's `text`.
"""

import json
import sys

from newsreader.extract import enrich_all, load_store
from newsreader.search.index import SearchIndex
from newsreader.search.query import parse_query

DEFAULT_LIMIT = 200


def run_search(query: str, paths: list[str], max_bytes: int, limit: int = DEFAULT_LIMIT, literal: bool = False) -> int:
    """Load, bring the on-disk index up to date, enrich only if an entity filter needs it, print hits."""
    store, articles = load_store(paths, max_bytes)
    parsed = parse_query(query, literal)
    for problem in parsed.problems:
        print(f"newsreader search: {problem}", file=sys.stderr)
    if parsed.entities:
        enrich_all(store, articles)
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
