"""`newsreader export --format F --output FILE [--query QUERY] [PATH...]`: articles, entities, the timeline or the
co-occurrence network of an archive (or of a query's hits) written to a file.

The output file is created (as a temporary file beside it) before anything is loaded, so an
output that cannot be written is said at once, not after the analysis; it replaces FILE only
when complete. A bad query is refused before anything is loaded, as `newsreader search` refuses it.
"""

import sys
from collections.abc import Callable, Iterable, Mapping

from newsreader.atomic_files import atomic_output
from newsreader.cli.extract import enrich_all, find_stories_reporting, load_store, run_stoppably
from newsreader.cli.main import EXIT_USAGE
from newsreader.cli.search import indexed, say_warnings, with_saved_marks
from newsreader.export.articles import alone
from newsreader.export.formats import FORMATS, STORIED_FORMATS, ExportSettings
from newsreader.ingest.load import display_path
from newsreader.ingest.parse import Article
from newsreader.search.query import Query, parse_query, query_error
from newsreader.store.corpus import Store

EXIT_WRITE_FAILED = 1
COMMAND = "newsreader export"


def run_export(
    format_name: str,
    output: str,
    paths: list[str],
    max_bytes: int,
    query: str | None = None,
    literal: bool = False,
    workers: int | None = None,
    columns: Mapping[str, str] | None = None,
    min_weight: int = 1,
) -> int:
    """Load and analyse everything (keys are canonical for the whole archive), choose, write; the exit status."""
    parsed = None if query is None else with_saved_marks(parse_query(query, literal))
    error = None if parsed is None else query_error(parsed, literal)
    if error:
        print(f"{COMMAND}: {error}", file=sys.stderr)
        return EXIT_USAGE
    chosen = FORMATS[format_name]

    def work() -> int:
        with atomic_output(output, **chosen.file_options()) as out:
            store, articles = load_store(paths, max_bytes, columns)
            enrich_all(store, articles, workers, paths)
            selected = articles if parsed is None else query_hits(store, parsed)
            # the stories are the whole archive's, as extract finds them; found only for a format that has them
            story_of = find_stories_reporting(articles, paths).story if format_name in STORIED_FORMATS else alone
            count = chosen.write(out, store, selected, ExportSettings(query or "newsreader", min_weight, story_of))
        print(f"{COMMAND}: {chosen.said(count)} written to {display_path(output)}", file=sys.stderr)
        return 0

    return run_writing(COMMAND, [output], work)


def run_writing(command: str, outputs: list[str], work: Callable[[], int]) -> int:
    """`run_stoppably`, with output files that cannot be written said in one line (none is left half-written)."""
    try:
        return run_stoppably(command, work)
    except OSError as error:
        reason = error.strerror or str(error)
        shown = " or ".join(display_path(output) for output in outputs)
        print(f"{command}: cannot write {shown}: {reason}; nothing written", file=sys.stderr)
        return EXIT_WRITE_FAILED


def query_hits(store: Store, parsed: Query) -> Iterable[Article]:
    """Every article the query finds, best first, as `newsreader search` ranks them (no --limit)."""
    index = indexed(store)
    hits = index.search(parsed, store, limit=max(len(store), 1))
    say_warnings(index)
    return (article for hit in hits if (article := store.get(hit.article_id)) is not None)
