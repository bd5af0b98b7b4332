"""An article's note: a small text area over the screen; Ctrl+S keeps it, Escape leaves it as it was."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import TextArea

from newsreader.ui.typing_order import TypedBeforeFocus


class NoteEditor(TypedBeforeFocus, ModalScreen[str | None]):
    """Answers with the note as typed (Ctrl+S), or None (Escape); an emptied note removes it."""

    BINDINGS = [
        Binding("ctrl+s", "keep", "Keep note", tooltip="Keep the note and close", id="note.keep"),
        Binding("escape", "dismiss", "Cancel", tooltip="Close; the note stays as it was", id="note.cancel"),
    ]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self._title, self._note = title, note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-editor") as frame:
            frame.border_title = Content(f"Note · {self._title}")  # an article's title: no markup
            frame.border_subtitle = "ctrl+s keep · escape cancel · empty removes"
            yield TextArea(self._note, id="note-text", soft_wrap=True, show_line_numbers=False)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def typing_field(self) -> TextArea:
        return self.query_one(TextArea)

    def action_keep(self) -> None:
        self.dismiss(self.query_one(TextArea).text)
