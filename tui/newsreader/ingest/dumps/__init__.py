"""Archive dumps (CSV/TSV, JSON Lines and arrays, HTML pages, RSS/Atom feeds, compressed or zipped)
read as a stream of records, with a problem for each row or file that cannot be read.

Names are imported on first use: `is_dump`, asked of every file of a folder, costs no more than
its own small module; the readers (~20 ms of standard modules) load with `iter_records`.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsreader.ingest.dumps.columns import parse_columns
    from newsreader.ingest.dumps.detect import is_dump
    from newsreader.ingest.dumps.limits import DEFAULT_LIMITS, Limits
    from newsreader.ingest.dumps.reader import iter_records
    from newsreader.ingest.dumps.records import Record, RecordProblem

_MODULE_OF = {
    "DEFAULT_LIMITS": "limits",
    "Limits": "limits",
    "Record": "records",
    "RecordProblem": "records",
    "is_dump": "detect",
    "iter_records": "reader",
    "parse_columns": "columns",
}
__all__ = ["DEFAULT_LIMITS", "Limits", "Record", "RecordProblem", "is_dump", "iter_records", "parse_columns"]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
