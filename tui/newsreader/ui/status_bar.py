"""One line under the panes: loading progress, article and warning counts."""

from textual.content import Content
from textual.widgets import Static

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class StatusBar(Static):
    """Counts as plain content; file names never appear here."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Content(" starting…"), id=id)
        self._ticks = 0

    def show_progress(self, articles: int, warnings: int, files_done: bool) -> None:
        self._ticks += 1
        state = "loaded" if files_done else f"{SPINNER[self._ticks % len(SPINNER)]} loading"
        text = f" {state} {articles:,} article{'s' if articles != 1 else ''}"
        if warnings:
            text += f" · {warnings:,} warning{'s' if warnings != 1 else ''} (press w)"
        self.update(Content(text))
