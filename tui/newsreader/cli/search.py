"""`newsreader search QUERY PATH...`: matching articles as JSON Lines, best first.

Offsets are into `Article.text`, as `newsreader extract` defines them, so
`text[start:end]` of an extract record is each match's `text`.

A query that cannot be run as typed (an unreadable date, too many words, nothing to
look for) is refused before anything is loaded: one line on stderr and exit status 2,
so a script never gets results for a query it did not ask for.
"""

import sys
from collections.abc import Mapping

from newsreader.cli.extract import enrich_all, load_store
from newsreader.cli.jsonl import write_json_lines
from newsreader.cli.main import EXIT_USAGE
from newsreader.export.records import hit_record
from newsreader.search.index import SearchIndex
from newsreader.search.marks import saved_marks, with_marks
from newsreader.search.query import Query, parse_query, query_error
from newsreader.store.corpus import Store
from newsreader.userdata.marks import UserMarks

DEFAULT_LIMIT = 200


def run_search(
    query: str,
    paths: list[str],
    max_bytes: int,
    limit: int = DEFAULT_LIMIT,
    literal: bool = False,
    columns: Mapping[str, str] | None = None,
) -> int:
    """Load, bring the on-disk index up to date, enrich only if an entity filter needs it, print hits."""
    parsed = with_saved_marks(parse_query(query, literal))
    error = query_error(parsed, literal) or (None if limit >= 1 else f"--limit must be at least 1, not {limit}")
    if error:
        print(f"newsreader search: {error}", file=sys.stderr)
        return EXIT_USAGE
    store, articles = load_store(paths, max_bytes, columns)
    if parsed.entities:
        enrich_all(store, articles, paths=paths)
    index = indexed(store)
    hits = index.search(parsed, store, limit)
    say_warnings(index)
    if len(hits) >= limit:  # a count by `wc -l` must not pass for all there are
        print(f"newsreader search: the best {limit} matches are printed (--limit N for more)", file=sys.stderr)
    return write_json_lines((hit_record(hit, store) for hit in hits), "newsreader search")


def with_saved_marks(parsed: Query) -> Query:
    """The query with its tag:, note: and is: filters read from the marks the app keeps; unchanged without them."""
    return with_marks(parsed, marks_said()) if parsed.marks else parsed


def marks_said() -> UserMarks:
    """The marks the app keeps, read once by the caller; the state file's problems on stderr."""
    marks, problems = saved_marks()
    for problem in problems:
        print(problem, file=sys.stderr)
    return marks


def indexed(store: Store) -> SearchIndex:
    """The on-disk search index, brought up to date with the store (or a scan of it, with a warning, if it cannot be
    used)."""
    index = SearchIndex()
    index.add(store)
    return index


def say_warnings(index: SearchIndex) -> None:
    """The index's warnings so far, on stderr, each once."""
    for message in index.warnings:
        print(message, file=sys.stderr)
    index.warnings.clear()
