"""CSV for spreadsheets: UTF-8 with a byte-order mark, and no cell a spreadsheet would run as a formula.

Article text is untrusted. A cell beginning with = + - @ (or a tab or carriage return, which some
spreadsheets skip before looking) is read by Excel, LibreOffice and Google Sheets as a formula,
so a headline such as `=HYPERLINK("http://evil", "click")` would run on opening. Such a cell is
written with a leading apostrophe (`'=HYPERLINK...`), which spreadsheets show as the text itself.
The byte-order mark is what makes Excel read the file as UTF-8 (Cyrillic intact); Python's
`encoding="utf-8-sig"` and LibreOffice drop it.
"""

import csv
from collections.abc import Iterable, Sequence
from typing import IO

CSV_ENCODING = "utf-8-sig"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "  # several values in one cell: authors, topics, entity names


def spreadsheet_cell(value: object) -> object:
    """The value as a CSV cell: lists joined, None empty, and text that would start a formula quoted."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(out: IO[str], columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """A header row, then each row as it comes (never all in memory); the number of rows.

    `out` must be opened with newline="" (the csv module writes its own line ends)."""
    writer = csv.writer(out)
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([spreadsheet_cell(value) for value in row])
        count += 1
    return count
