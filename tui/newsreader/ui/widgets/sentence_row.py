"""The sentence around a date expression on one row, the expression always in view.

The timeline's event list and the entity panel's timeline both show it; they differ only in how much
context they keep when the sentence is too long, so that is a parameter and the cutting is done here.
Measured in terminal cells; only a bounded window of a long sentence is ever measured.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style

from newsreader.ui.widgets.cells import ELLIPSIS, clip

if TYPE_CHECKING:  # the NLP modules are heavy; a row only displays their results
    from newsreader.nlp.events import Event

FLAT = str.maketrans("\n\t\r", "   ")  # a sentence on one row; same length, so the event's offsets still hold


def sentence_segments(
    text: str,
    event: Event,
    room: int,
    date_style: Style,
    *,
    context_after: int = 0,
    context_before: int | None = None,
    mark_cut_end: bool = True,
) -> list[Segment]:
    """The event's sentence fitted to `room` cells, its date expression in `date_style`.

    When the sentence up to the expression, plus `context_after` cells of what follows it, would not fit,
    its start is cut and marked with an ellipsis, keeping `context_before` cells before the expression
    (as many as the room leaves when None). The end is clipped with an ellipsis when `mark_cut_end`,
    else left for the row to crop.
    """
    sentence = text[event.sentence_start : event.sentence_end].translate(FLAT)
    start, end = event.start - event.sentence_start, event.end - event.sentence_start
    head, date, tail = sentence[:start], sentence[start:end], sentence[end:]
    bound = 2 * max(room, 0) + 2  # more characters than cells in the room: see `clip`
    after = min(cell_len(tail[: 2 * context_after + 2]), context_after)
    date_cells = cell_len(date[:bound])
    if cell_len(head[-bound:]) + date_cells + 1 + after > room:
        keep = max(room - 1 - date_cells - after if context_before is None else context_before, 0)
        if cell_len(head[-bound:]) > keep:
            head = ELLIPSIS + _last_cells(head[-bound:], keep)
    if not mark_cut_end:
        return [Segment(head), Segment(date, date_style), Segment(tail[:bound])]
    row = clip(head + date + tail[:bound], max(room, 1))
    start, end = len(head), len(head) + len(date)
    return [Segment(row[:start]), Segment(row[start:end], date_style), Segment(row[end:])]


def _last_cells(text: str, cells: int) -> str:
    """The end of `text` that fits `cells` columns; a wide character cut in two leaves a space."""
    return set_cell_size(text[::-1], cells)[::-1]
