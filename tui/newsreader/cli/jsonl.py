"""JSON Lines on stdout, the one way `extract` and `search` print records.

One object a line, UTF-8 whatever the locale says (Cyrillic as itself, not `\\u` escapes),
`json.dumps`' default separators (the README's examples show them). A reader that goes
away early (`| head`) is not an error: the rest is dropped quietly, stderr stays usable,
and the status is 0. Output that cannot be written at all (stdout closed, disk full) is
one line on stderr and status 1, not a traceback.
"""

import io
import os
import sys
from collections.abc import Iterable
from typing import Any

from newsreader.export.records import write_record_lines

EXIT_WRITE_FAILED = 1


def write_json_lines(records: Iterable[dict[str, Any]], command: str) -> int:
    """Print each record as one line of JSON; the exit status. `command` names the program in a failure."""
    out = sys.stdout
    try:
        if out is None:  # started with stdout closed
            raise OSError("stdout is closed")
        if isinstance(out, io.TextIOWrapper):
            out.reconfigure(encoding="utf-8", errors="replace")
        write_record_lines(out, records)
        out.flush()
    except BrokenPipeError:
        _drop_unwritten_output(out)
    except OSError as error:
        print(f"{command}: cannot write the output ({error.strerror or error})", file=sys.stderr)
        return EXIT_WRITE_FAILED
    return 0


def _drop_unwritten_output(out: Any) -> None:
    """Point stdout at /dev/null, so what is still buffered does not fail again when Python exits."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, out.fileno())
    finally:
        os.close(devnull)
