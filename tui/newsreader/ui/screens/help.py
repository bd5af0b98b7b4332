"""`?`: every key that works where the user is, read from the live bindings."""

from collections.abc import Mapping

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import VerticalScroll
from textual.content import Content, Span
from textual.screen import ModalScreen
from textual.widgets import Static

KEY_WIDTH = 22


def help_content(bindings: Mapping[str, ActiveBinding], key_display) -> Content:
    """One line per action: its keys, what it does and its id (for the keymap file)."""
    by_action: dict[tuple[int, str], list[str]] = {}
    details: dict[tuple[int, str], Binding] = {}
    for active in bindings.values():
        binding = active.binding
        if not binding.description:
            continue
        action = (id(active.node), binding.action)
        by_action.setdefault(action, []).append(key_display(binding))
        details[action] = binding
    lines, spans, position = [], [], 0
    for action, keys in by_action.items():
        binding = details[action]
        keys_text = ", ".join(dict.fromkeys(keys))
        keys_text += " " * (KEY_WIDTH - cell_len(keys_text))  # by cells: a key's symbol may be wide
        line = f"{keys_text} {binding.description}" + (f"   ({binding.id})" if binding.id else "")
        spans.append(Span(position, position + len(keys_text), "bold $text-accent"))
        if binding.id:
            spans.append(Span(position + len(line) - len(binding.id) - 2, position + len(line), "$text-muted"))
        lines.append(line)
        position += len(line) + 1
    return Content("\n".join(lines), spans)


class HelpScreen(ModalScreen):
    """Built when opened, so it lists exactly the keys of the focused pane, the screen and the app."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", tooltip="Close this list of keys", id="help.close")
    ]

    def __init__(self, bindings: Mapping[str, ActiveBinding], where: str) -> None:
        super().__init__()
        self._shown_bindings = dict(bindings)
        self._where = where

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help") as scroll:
            scroll.border_title = Content(f"Keys · {self._where} — escape to close")  # may hold an entity name
            scroll.border_subtitle = "rebind any id in keymap.toml (see README)"
            yield Static(help_content(self._shown_bindings, self.app.get_key_display))
