"""A one-line prompt over the screen: the timeline's "go to date", an article's tags."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from newsreader.ui.typing_order import TypedBeforeFocus


class LinePrompt(TypedBeforeFocus, ModalScreen[str | None]):
    """Answers with the text typed (Enter), or None (Escape); reading it is the caller's. The title, hint and
    value may hold article text (a title, a tag), so all are shown as text, never as markup."""

    BINDINGS = [Binding("escape", "dismiss", "Cancel", tooltip="Close without a change", id="prompt.cancel")]

    def __init__(self, title: str, hint: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self._title, self._hint, self._value, self._placeholder = title, hint, value, placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="line-prompt") as frame:
            frame.border_title = Content(self._title)  # may hold an article's title: no markup
            yield Input(self._value, placeholder=self._placeholder, id="line-input")
            yield Static(self._hint, id="line-hint", markup=False)

    def on_input_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        self.dismiss(message.value)

    def typing_field(self) -> Input:
        return self.query_one(Input)
