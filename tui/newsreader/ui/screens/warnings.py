"""A screen listing every load warning, virtual so a million bad files stay cheap.

Each warning is shown whole: where it happened, then why, wrapped onto indented continuation lines.
Only the lines on screen are drawn; wrapping all warnings is one pass that counts their lines.
"""

import re
from array import array
from bisect import bisect_right
from itertools import accumulate

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Region
from textual.screen import ModalScreen

from newsreader.ingest.load import LoadWarning
from newsreader.ui.widgets.virtual_list import VirtualList
from newsreader.wording import plural

GAP = "  "  # between where and why
INDENT = "    "  # continuation lines, so a wrapped warning reads as one
LEADING_PATH = re.compile(r"(?:/|~|\\|[A-Za-z]:\\)[^\n]*?(?=: )")  # "/dir/file: reason" from a background task


def where_and_why(warning: LoadWarning) -> tuple[str, str]:
    """The file a warning is about and its reason.

    Background tasks (keymap, reading state, caches) report `LoadWarning(source, "path: reason")`; their path
    is more specific than the source's name, so it takes the source's place and leaves the reason.
    """
    found = LEADING_PATH.match(warning.reason)
    if found is None:
        return warning.path, warning.reason
    return found.group(), warning.reason[found.end() + 2 :]


def _fit(text: str, start: int, room: int) -> int:
    """The end of the longest run from `start` that fits `room` cells (at least one character), for wide characters."""
    used, end = 0, start
    while end < len(text):
        used += get_character_cell_size(text[end])
        if used > room:
            break
        end += 1
    return max(end, start + 1)


def wrap(text: str, width: int) -> list[tuple[int, int]]:
    """The (start, end) of each line of `text` in `width` cells, continuation lines indented; breaks at spaces.

    Runs once per warning whenever the width changes, so the common ASCII case is kept to arithmetic and `rfind`."""
    ascii_only = text.isascii()
    if (len(text) if ascii_only else cell_len(text)) <= width:  # most warnings: one line, cheaply
        return [(0, len(text))]
    lines, start, room, length = [], 0, width, len(text)
    while start < length:
        end = min(length, start + room) if ascii_only else _fit(text, start, room)
        if end < length:
            space = text.rfind(" ", start + 1, end + 1)
            if space > start + room // 3:  # a word is not worth a mostly empty line
                lines.append((start, space))
                start, room = space + 1, width - len(INDENT)
                continue
        lines.append((start, end))
        start, room = end, width - len(INDENT)
    return lines


class WarningList(VirtualList):
    """One warning per row, a row as many lines as its text needs; the cursor steps by warning."""

    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {"warning-list--where"}

    def __init__(self, warnings: list[LoadWarning]) -> None:
        super().__init__(id="warning-list")
        self._warnings = warnings[:]  # the list keeps growing while loading; the row count must not
        self._starts = array("q", [0])  # the first line of each warning, and the line after the last
        self._wrap_width = 0

    @property
    def row_count(self) -> int:
        """Warnings, not lines."""
        return len(self._warnings)

    def _texts(self, index: int) -> tuple[str, str]:
        where, why = where_and_why(self._warnings[index])
        return where, f"{where}{GAP}{why}"

    def _rewrap(self) -> None:
        """Count each warning's lines at the current width; the cursor stays on its warning."""
        width = self.scrollable_content_region.width - 1  # a space before each line
        if width <= len(INDENT) or width == self._wrap_width:
            return
        current = self.warning_at(self.cursor)
        self._wrap_width = width
        counts = (len(wrap(self._texts(index)[1], width)) for index in range(len(self._warnings)))
        self._starts = array("q", accumulate(counts, initial=0))
        self.set_row_count(self._starts[-1])
        self.cursor = self._starts[current]

    def on_mount(self) -> None:
        self._rewrap()

    def on_resize(self) -> None:
        self._rewrap()

    def warning_at(self, line: int) -> int:
        """The warning drawn on `line`."""
        return max(bisect_right(self._starts, line) - 1, 0) if self._warnings else 0

    def validate_cursor(self, cursor: int) -> int:
        """The cursor sits on a warning's first line, whichever of its lines a key or click reached."""
        return self._starts[self.warning_at(super().validate_cursor(cursor))]

    def watch_cursor(self, previous: int, cursor: int) -> None:
        super().watch_cursor(previous, cursor)
        if not self._row_count:
            return
        warning = self.warning_at(cursor)
        self.scroll_to_region(self._region(warning), animate=False, force=True, immediate=True)
        self.refresh_rows()  # every line of both warnings changes, not only the first

    def _region(self, warning: int) -> Region:
        return Region(0, self._starts[warning], 1, self._starts[warning + 1] - self._starts[warning])

    def action_cursor_down(self) -> None:
        self.cursor = self._starts[min(self.warning_at(self.cursor) + 1, len(self._warnings) - 1)]

    def action_cursor_up(self) -> None:
        self.cursor = self._starts[max(self.warning_at(self.cursor) - 1, 0)]

    def render_row(self, index: int, width: int) -> list[Segment]:
        warning = self.warning_at(index)
        where, text = self._texts(warning)
        start, end = wrap(text, self._wrap_width)[index - self._starts[warning]]  # as counted, until the resize
        on_cursor = warning == self.warning_at(self.cursor)
        cursor = self.get_component_rich_style("virtual-list--cursor") if on_cursor else None
        where_style = self.component_style("warning-list--where")
        segments = [Segment(" " if start == 0 else " " + INDENT, cursor)]
        if start < len(where):
            where_cursor = where_style + cursor if cursor else where_style
            segments.append(Segment(text[start : min(end, len(where))], where_cursor))
        if end > len(where):
            segments.append(Segment(text[max(start, len(where)) : end], cursor))
        if cursor:
            segments.append(Segment(" " * width, cursor))  # VirtualList crops; the whole warning is highlighted
        return segments


class WarningsScreen(ModalScreen):
    """Shows the files that were skipped or read with loss, and why."""

    BINDINGS = [Binding("escape,q,w", "dismiss", "Close", tooltip="Close the list of warnings", id="warnings.close")]

    def __init__(self, warnings: list[LoadWarning]) -> None:
        super().__init__()
        self._warnings = warnings

    def compose(self) -> ComposeResult:
        warning_list = WarningList(self._warnings)
        count = len(self._warnings)
        warning_list.border_title = f"{plural(count, 'warning')} — escape to close"
        yield warning_list
