"""Rows of a batch search: one a hit, naming the query (and its line in the batch file) that found it."""

from collections.abc import Iterable
from typing import IO, Any

from newsreader.export.cells import write_csv
from newsreader.export.records import hit_record
from newsreader.search.batch import BatchLine
from newsreader.search.results import Hit
from newsreader.store.corpus import Store

HIT_COLUMNS = (
    "line",
    "query",
    "rank",
    "id",
    "path",
    "date",
    "title",
    "url",
    "outlet",
    "authors",
    "topics",
    "score",
    "matches",
    "snippet",
)
COUNT_COLUMNS = ("line", "query", "hits", "complete", "error")


def batch_hit_record(line: BatchLine, rank: int, hit: Hit, store: Store) -> dict[str, Any]:
    """`newsreader search`'s record of the hit, after the query's line, the query and the hit's rank (from 1),
    with the snippet the reader shows."""
    record = hit_record(hit, store)
    article = store.get(hit.article_id)
    start, end = hit.snippet
    snippet = article.text[start:end] if article is not None else ""
    return {"line": line.number, "query": line.text, "rank": rank, **record, "snippet": snippet}


def write_hit_table(out: IO[str], records: Iterable[dict[str, Any]]) -> int:
    """The records as CSV; a hit's matches are counted (their offsets are in the JSON Lines)."""
    rows = (
        [len(record["matches"]) if column == "matches" else record[column] for column in HIT_COLUMNS]
        for record in records
    )
    return write_csv(out, HIT_COLUMNS, rows)


def write_counts(out: IO[str], counts: Iterable[tuple[BatchLine, int, bool]]) -> int:
    """One row a query of the file: its hits and whether they are all of them (false when --limit cut them);
    a query not run has no count and says why."""
    rows = (
        (line.number, line.text, None if line.error else hits, None if line.error else complete, line.error)
        for line, hits, complete in counts
    )
    return write_csv(out, COUNT_COLUMNS, rows)
