"""One search bar for both scopes: the open article, or the whole archive.

What is typed or pasted is cleaned in the input itself, as the query parser would
clean it: no escape sequence or control character reaches the terminal through the
input's own rendering, and the text shown is the text searched.
"""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, Static

from newsreader.ui.typing_order import focus_now

SCOPE_LABELS = {"article": "Find in article", "archive": "Search archive"}


class SearchBar(Horizontal):
    """Hidden until `open()`; reports every edit, enter and escape to the App."""

    BINDINGS = [
        Binding(
            "escape",
            "close",
            "Close search",
            tooltip="Close the search bar and clear its highlights",
            id="search.close",
        ),
        Binding(
            "ctrl+t",
            "toggle_literal",
            "Exact/any form",
            tooltip="Match the exact text typed, or words in any grammatical form",
            id="search.toggle_literal",
        ),
    ]

    literal: reactive[bool] = reactive(False)

    class Changed(Message):
        """The query or its mode changed (as you type)."""

        def __init__(self, scope: str, query: str, literal: bool) -> None:
            super().__init__()
            self.scope, self.query, self.literal = scope, query, literal

    class Submitted(Changed):
        """Enter: keep the results and go to them."""

    class Closed(Message):
        """Escape: drop the search in `scope`."""

        def __init__(self, scope: str) -> None:
            super().__init__()
            self.scope = scope

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scope = "article"

    def compose(self) -> ComposeResult:
        yield Static(Content(SCOPE_LABELS["article"]), id="search-label")
        yield Input(placeholder='words, "a phrase", prefix*, per: org: loc: date:', id="search-input")
        yield Static(Content(""), id="search-count")

    def open(self, scope: str, query: str = "") -> None:
        """Show the bar for `scope` with `query` in it, focused."""
        self.scope = scope
        self.display = True
        self._show_label()
        search_input = self.query_one(Input)
        search_input.value = query
        search_input.placeholder = (
            "any text; words match in any form"
            if scope == "article"
            else 'words, "a phrase", prefix*, per:Путин org: loc: date:2025-10 src: author: topic:'
        )
        focus_now(search_input)  # the keys typed right after / are the query's

    def show_count(self, text: str) -> None:
        self.query_one("#search-count", Static).update(Content(text))

    def _show_label(self) -> None:
        mode = "exact" if self.literal else "any form"
        self.query_one("#search-label", Static).update(Content(f"{SCOPE_LABELS[self.scope]} ({mode})"))

    def watch_literal(self) -> None:
        if self.is_mounted:
            self._show_label()
            self.post_message(self.Changed(self.scope, self.query_one(Input).value, self.literal))

    def on_input_changed(self, event: Input.Changed) -> None:
        from newsreader.search.query import clean_query_text  # the search modules load on first use

        event.stop()
        cleaned = clean_query_text(event.value)
        if cleaned != event.value:
            event.input.value = cleaned  # which comes back here as the next change
            return
        self.post_message(self.Changed(self.scope, event.value, self.literal))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.display = False
        self.post_message(self.Submitted(self.scope, event.value, self.literal))

    def action_toggle_literal(self) -> None:
        self.literal = not self.literal

    def action_close(self) -> None:
        self.display = False
        self.show_count("")
        self.post_message(self.Closed(self.scope))
