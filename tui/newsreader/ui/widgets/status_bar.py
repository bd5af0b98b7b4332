"""One line under the panes: loading progress, article and warning counts."""

from textual.content import Content
from textual.widgets import Static

from newsreader.wording import plural

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class StatusBar(Static):
    """Counts as plain content; file names never appear here."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Content(" starting…"), id=id)
        self._ticks = 0
        # stories across outlets: (hashed, to hash) while sought ((0, 0): grouping), then how many were found
        self.stories: tuple[int, int] | int = 0

    def show_progress(
        self,
        articles: int,
        warnings: int,
        files_done: bool,
        enriched: int = 0,
        to_enrich: int = 0,
        checked: tuple[int, int] | None = None,
    ) -> None:
        """`checked`: (files checked, files known) while a warm start checks the files for changes."""
        self._ticks += 1
        spinner = SPINNER[self._ticks % len(SPINNER)]
        state = "loaded" if files_done else f"{spinner} loading"
        text = f" {state} {plural(articles, 'article')}"
        if checked is not None:
            text += f" · {spinner} checking files for changes {checked[0]:,}/{checked[1]:,}"
        if to_enrich:
            if enriched < to_enrich:
                text += f" · {spinner} analysing {enriched:,}/{to_enrich:,} {_bar(enriched / to_enrich)}"
            else:
                text += f" · analysed {enriched:,}"
        text += self._stories_part(spinner)
        if warnings:
            text += f" · {plural(warnings, 'warning')} (press w)"
        self.update(Content(text), layout=False)  # one line, always: no layout of the screen

    def _stories_part(self, spinner: str) -> str:
        stories = self.stories
        if isinstance(stories, int):
            return f" · {plural(stories, 'story', 'stories')}" if stories else ""
        hashed, to_hash = stories
        if to_hash:
            return f" · {spinner} hashing stories {hashed:,}/{to_hash:,} {_bar(hashed / to_hash)}"
        return f" · {spinner} grouping stories"


def _bar(fraction: float, width: int = 12) -> str:
    filled = round(fraction * width)
    return "█" * filled + "░" * (width - filled)
