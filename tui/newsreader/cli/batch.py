"""`newsreader search --batch FILE [PATH...]`: every query of FILE (one a line), every hit a row.

Rows are JSON Lines on stdout, or go to --output FILE as JSON Lines or CSV (by --format, else by
the file's extension); the file is replaced only when complete. Each query's count is said on
stderr as it is run, and with --counts FILE written as CSV (line, query, hits, complete, error).
A bad query is named with its line and skipped; the others run, and the status is then 2.
"""

import contextlib
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from newsreader.atomic_files import atomic_output
from newsreader.cli.export import run_writing
from newsreader.cli.extract import enrich_all, load_store
from newsreader.cli.jsonl import write_json_lines
from newsreader.cli.main import EXIT_USAGE
from newsreader.cli.search import indexed, marks_said, say_warnings
from newsreader.export.cells import CSV_ENCODING
from newsreader.export.hits import batch_hit_record, write_counts, write_hit_table
from newsreader.export.records import write_record_lines
from newsreader.ingest.load import display_path
from newsreader.ingest.sanitize import sanitize_line
from newsreader.search.batch import BatchFileError, BatchLine, batch_lines, batch_text
from newsreader.search.marks import with_marks
from newsreader.wording import plural

COMMAND = "newsreader search"
ROW_FORMATS = ("jsonl", "csv")


def row_format(chosen: str | None, output: str | None) -> str:
    """--format when given, else CSV for an output named *.csv, else JSON Lines."""
    if chosen:
        return chosen
    return "csv" if output and output.lower().endswith(".csv") else "jsonl"


def run_batch_search(
    batch_file: str,
    paths: list[str],
    max_bytes: int,
    output: str | None = None,
    format_name: str = "jsonl",
    counts_file: str | None = None,
    limit: int | None = None,
    literal: bool = False,
    columns: Mapping[str, str] | None = None,
) -> int:
    """Read and parse every query first (a file that cannot be read stops here), then load once and run them."""
    problem = None if limit is None or limit >= 1 else f"--limit must be at least 1, not {limit}"
    if format_name == "csv" and output is None:
        problem = "CSV rows need --output FILE (stdout gets JSON Lines)"
    lines: list[BatchLine] = []
    if problem is None:
        try:
            lines = list(batch_lines(batch_text(Path(batch_file).read_bytes()), literal))
        except OSError as error:
            problem = f"cannot read {display_path(batch_file)}: {error.strerror or error}"
        except BatchFileError as error:
            problem = f"{display_path(batch_file)}: {error}"
    if problem is None and not lines:
        problem = f"{display_path(batch_file)} holds no query (only blank lines and # comments)"
    if problem:
        print(f"{COMMAND}: {problem}", file=sys.stderr)
        return EXIT_USAGE
    for line in lines:
        if line.error:
            print(f"{COMMAND}: {_where(batch_file, line)}: {line.error}", file=sys.stderr)
    refused = any(line.error for line in lines)

    def work() -> int:
        with contextlib.ExitStack() as files:
            out = None if output is None else files.enter_context(_opened(output, format_name == "csv"))
            counts_out = None if counts_file is None else files.enter_context(_opened(counts_file, True))
            store, articles = load_store(paths, max_bytes, columns)
            if any(line.query.entities for line in lines if not line.error):
                enrich_all(store, articles, paths=paths)
            counted: list[tuple[BatchLine, int, bool]] = []
            records = _records(store, lines, batch_file, limit, counted)
            if out is None:
                status = write_json_lines(records, COMMAND)
            else:
                (write_hit_table if format_name == "csv" else write_record_lines)(out, records)
                status = 0
            if counts_out is not None:
                write_counts(counts_out, counted)
        return status or (EXIT_USAGE if refused else 0)

    return run_writing(COMMAND, [name for name in (output, counts_file) if name] or ["stdout"], work)


def _opened(path: str, csv: bool):
    return atomic_output(path, encoding=CSV_ENCODING, newline="") if csv else atomic_output(path)


def _records(
    store, lines: list[BatchLine], batch_file: str, limit: int | None, counted: list
) -> Iterator[dict[str, Any]]:
    """The rows of each query in turn; each query's count said on stderr and added to `counted` once it is run."""
    index = indexed(store)
    most = limit or max(len(store), 1)
    marks = marks_said() if any(line.query.marks for line in lines) else None  # the state file once, not a line
    for line in lines:
        if line.error:
            counted.append((line, 0, False))
            continue
        query = with_marks(line.query, marks) if marks is not None else line.query
        hits = index.search(query, store, most)
        say_warnings(index)
        complete = limit is None or len(hits) < limit
        counted.append((line, len(hits), complete))
        more = "" if complete else f" (the best {limit}; --limit N for more)"
        print(
            f"{COMMAND}: {_where(batch_file, line)}: {plural(len(hits), 'hit')}{more}: {sanitize_line(line.text)}",
            file=sys.stderr,
        )
        for rank, hit in enumerate(hits, start=1):
            yield batch_hit_record(line, rank, hit, store)


def _where(batch_file: str, line: BatchLine) -> str:
    return f"{display_path(batch_file)}, line {line.number}"
