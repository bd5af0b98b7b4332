"""A small prompt for the file an export is written to: Enter writes, Escape cancels."""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class ExportPrompt(ModalScreen[str | None]):
    """Dismissed with the path typed (stripped), or None when cancelled or left empty."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close without exporting", id="export.cancel")]

    def __init__(self, question: str, default_path: str) -> None:
        super().__init__()
        self._question = question  # names the list: an entity's name or a query, so never markup
        self._default_path = default_path

    def compose(self) -> ComposeResult:
        with Vertical(id="export-prompt"):
            yield Static(Content(self._question), id="export-question")
            yield Input(value=self._default_path, id="export-path")
            yield Static("Enter to write · Escape to cancel", id="export-hint")

    @on(Input.Submitted, "#export-path")
    def _chosen(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
