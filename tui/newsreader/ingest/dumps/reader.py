"""One entry point over every dump format: records and problems, never an exception for bad input."""

import os
from collections.abc import Iterator, Mapping

from newsreader.ingest.dumps.compressed import READ_ERRORS, Budget, Source, sources
from newsreader.ingest.dumps.detect import refine
from newsreader.ingest.dumps.feeds import read_feed
from newsreader.ingest.dumps.fields import RecordMaker
from newsreader.ingest.dumps.html import read_page
from newsreader.ingest.dumps.jsonl import read_json
from newsreader.ingest.dumps.limits import DEFAULT_LIMITS, Limits
from newsreader.ingest.dumps.records import Record, RecordProblem, StopFile
from newsreader.ingest.dumps.tabular import read_table
from newsreader.wording import plural


def iter_records(
    path: str | os.PathLike[str], *, columns: Mapping[str, str] | None = None, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Record | RecordProblem]:
    """The records of a dump file (each member of a zip in turn), streamed, and a problem for each
    row or file that cannot be read. Past `limits.max_problems` row problems, the rest are only
    counted; problems about a whole file are always given."""
    budget = Budget(limits)
    path = os.fspath(path)
    shown = 0
    hidden = 0
    for item in _all_records(path, columns, limits, budget):
        if isinstance(item, RecordProblem) and item.row is not None:
            if shown >= limits.max_problems:
                hidden += 1
                continue
            shown += 1
        yield item
    if hidden:
        yield RecordProblem(None, None, f"{plural(hidden, 'more problem')} not listed")


def _all_records(
    path: str, columns: Mapping[str, str] | None, limits: Limits, budget: Budget
) -> Iterator[Record | RecordProblem]:
    for source in sources(path, budget):
        if isinstance(source, RecordProblem):
            yield source
            continue
        maker = RecordMaker(source.member, limits)
        try:
            yield from _source_records(source, maker, columns, limits)
        except StopFile as stop:
            yield maker.problem(None, str(stop))
            if budget.expanded > limits.max_expanded_bytes:
                return  # the whole zip is over its budget, not just this member
        except (FileNotFoundError, PermissionError, IsADirectoryError) as error:
            yield maker.problem(None, f"cannot be opened: {error.strerror}")
        except READ_ERRORS as error:
            yield maker.problem(None, f"damaged or unreadable, reading stopped: {type(error).__name__}: {error}")


def _source_records(
    source: Source, maker: RecordMaker, columns: Mapping[str, str] | None, limits: Limits
) -> Iterator[Record | RecordProblem]:
    head = source.head()
    kind = refine(source.kind, head)
    if kind == "csv":
        return read_table(source, head, maker, columns, limits)
    if kind in ("json", "jsonl", "json-object"):
        return read_json(source, head, kind, maker, columns, limits)
    if kind == "html":
        return read_page(source, maker, limits)
    return read_feed(source, maker, limits)
