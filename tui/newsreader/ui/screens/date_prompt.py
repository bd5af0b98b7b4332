"""The timeline's "go to date" prompt: one line of input, read as a `date:` filter is."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

EXAMPLES = "2019-03-05 · март 2019 · с 3 по 7 марта · прошлая неделя · last week"


class DatePrompt(ModalScreen[str | None]):
    """Answers with the text typed, or None when dismissed; reading it is the caller's (it may take dateparser)."""

    BINDINGS = [Binding("escape", "dismiss", "Cancel", tooltip="Close without going anywhere", id="date_prompt.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="date-prompt") as frame:
            frame.border_title = "Go to date"
            yield Input(placeholder="a date or a period", id="date-input")
            yield Static(EXAMPLES, id="date-examples", markup=False)

    def on_input_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        self.dismiss(message.value if message.value.strip() else None)
