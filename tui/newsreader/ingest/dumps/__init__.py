"""Archive dumps (CSV/TSV, JSON Lines and arrays, HTML pages, RSS/Atom feeds, compressed or zipped)
read as a stream of records, with a problem for each row or file that cannot be read."""

from newsreader.ingest.dumps.columns import parse_columns
from newsreader.ingest.dumps.detect import is_dump
from newsreader.ingest.dumps.limits import DEFAULT_LIMITS, Limits
from newsreader.ingest.dumps.reader import iter_records
from newsreader.ingest.dumps.records import Record, RecordProblem

__all__ = ["DEFAULT_LIMITS", "Limits", "Record", "RecordProblem", "is_dump", "iter_records", "parse_columns"]
