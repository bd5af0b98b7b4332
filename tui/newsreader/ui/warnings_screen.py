"""A screen listing every load warning, virtual so a million bad files stay cheap."""

from rich.segment import Segment
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen

from newsreader.load import LoadWarning
from newsreader.ui.virtual_list import VirtualList


class WarningList(VirtualList):
    """One warning per row: the reason first, so the list reads by kind of problem."""

    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {"warning-list--reason"}

    def __init__(self, warnings: list[LoadWarning]) -> None:
        super().__init__(id="warning-list")
        self._warnings = warnings

    def on_mount(self) -> None:
        self.set_row_count(len(self._warnings))

    def render_row(self, index: int, width: int) -> list[Segment]:
        warning = self._warnings[index]
        return [
            Segment(" "),
            Segment(warning.reason, self.component_style("warning-list--reason")),
            Segment("  "),
            Segment(warning.path),
        ]


class WarningsScreen(ModalScreen):
    """Shows the files that were skipped or read with loss, and why."""

    BINDINGS = [Binding("escape,q,w", "dismiss", "Close", id="warnings.close")]

    def __init__(self, warnings: list[LoadWarning]) -> None:
        super().__init__()
        self._warnings = warnings

    def compose(self) -> ComposeResult:
        warning_list = WarningList(self._warnings)
        count = len(self._warnings)
        warning_list.border_title = f"{count:,} warning{'s' if count != 1 else ''} — escape to close"
        yield warning_list
