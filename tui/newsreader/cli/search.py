"""`newsreader search QUERY PATH...`: matching articles as JSON Lines, best first.

Offsets are into `Article.text`, as `newsreader extract` defines them, so
`text[start:end]` of an extract record is each match's `text`.

A query that cannot be run as typed (an unreadable date, too many words, nothing to
look for) is refused before anything is loaded: one line on stderr and exit status 2,
so a script never gets results for a query it did not ask for.
"""

import sys
from collections.abc import Mapping
from typing import Any

from newsreader.cli.extract import enrich_all, load_store
from newsreader.cli.jsonl import source_fields, write_json_lines
from newsreader.cli.main import EXIT_USAGE
from newsreader.search.index import SearchIndex
from newsreader.search.marks import saved_marks, with_marks
from newsreader.search.query import Query, parse_query
from newsreader.search.results import Hit
from newsreader.store.corpus import Store

DEFAULT_LIMIT = 200


def query_error(parsed: Query, literal: bool) -> str | None:
    """Why the query is not run, in one line; None when it can be."""
    if parsed.problems:  # each note's first clause is the fact; what the bar does about it does not apply here
        return "; ".join(problem.split("; ")[0] for problem in parsed.problems) + " (nothing searched)"
    if parsed.empty:
        return "nothing to search for" + ("" if literal else ": no word or filter in the query (try --literal)")
    return None


def run_search(
    query: str,
    paths: list[str],
    max_bytes: int,
    limit: int = DEFAULT_LIMIT,
    literal: bool = False,
    columns: Mapping[str, str] | None = None,
) -> int:
    """Load, bring the on-disk index up to date, enrich only if an entity filter needs it, print hits."""
    parsed = parse_query(query, literal)
    if parsed.marks:  # tag:, note:, is: read the marks the app keeps
        marks, problems = saved_marks()
        for problem in problems:
            print(problem, file=sys.stderr)
        parsed = with_marks(parsed, marks)
    error = query_error(parsed, literal) or (None if limit >= 1 else f"--limit must be at least 1, not {limit}")
    if error:
        print(f"newsreader search: {error}", file=sys.stderr)
        return EXIT_USAGE
    store, articles = load_store(paths, max_bytes, columns)
    if parsed.entities:
        enrich_all(store, articles, paths=paths)
    index = SearchIndex()
    index.add(store)
    hits = index.search(parsed, store, limit)
    for message in index.warnings:
        print(message, file=sys.stderr)
    if len(hits) >= limit:  # a count by `wc -l` must not pass for all there are
        print(f"newsreader search: the best {limit} matches are printed (--limit N for more)", file=sys.stderr)
    return write_json_lines((_hit_record(hit, store) for hit in hits), "newsreader search")


def _hit_record(hit: Hit, store: Store) -> dict[str, Any]:
    article = store.get(hit.article_id)
    assert article is not None, "the index answers only with articles of this store"
    return {
        "id": article.id,
        "path": article.path,
        "date": article.date.isoformat() if article.date else None,
        "title": article.title,
        **source_fields(article),
        "score": round(hit.score, 6),
        "matches": [{"start": start, "end": end, "text": article.text[start:end]} for start, end in hit.matches],
    }
