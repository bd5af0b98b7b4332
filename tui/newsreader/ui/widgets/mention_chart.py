"""An entity's mentions over time as a bar chart of block characters: one bar a month, or a few months when the
months do not fit the width. The counts come from the store (each article's date and mentions), never the text."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from newsreader.store.facets import bar_rows, month_buckets, month_label
from newsreader.wording import plural

BAR_ROWS = 3
MAX_BAR_WIDTH = 4


class MentionChart(Widget):
    """Bars over a line naming the first and last month and the busiest bar; hidden with no dated mention."""

    COMPONENT_CLASSES = {"mention-chart--bar", "mention-chart--label"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._by_month: dict[int, int] = {}
        self.display = False  # until there is something to show

    def show(self, by_month: dict[int, int]) -> None:
        """Chart `by_month` (month index, as `facets.month_index` -> mentions)."""
        self._by_month = by_month
        self.display = bool(by_month)
        self.refresh()

    def render(self) -> Text:
        width = self.content_region.width
        buckets = month_buckets(self._by_month, width)
        if not buckets:
            return Text()
        bar_style = self.get_component_rich_style("mention-chart--bar")
        label_style = self.get_component_rich_style("mention-chart--label")
        columns = max(1, min(width // len(buckets), MAX_BAR_WIDTH))  # a few months: wider bars
        chart = Text(no_wrap=True, overflow="crop")
        for row in bar_rows([bucket.mentions for bucket in buckets], BAR_ROWS):
            chart.append("".join(block * columns for block in row) + "\n", bar_style)
        first, last = month_label(buckets[0].first_month), month_label(buckets[-1].last_month)
        axis = _ends(first, last, len(buckets) * columns)
        busiest = max(buckets, key=lambda bucket: bucket.mentions)
        size = busiest.last_month - busiest.first_month + 1
        peak = f"   peak {plural(busiest.mentions, 'mention')} in {month_label(busiest.first_month)}"
        bar = " · a bar is " + ("a month" if size == 1 else f"{size} months")
        candidates = (axis + peak + bar, f"{first} – {last}{peak}{bar}", axis + peak, f"{first} – {last}{peak}")
        chart.append(next((label for label in candidates if len(label) <= width), axis), label_style)
        return chart

    def get_content_height(self, container, viewport, width: int) -> int:
        return BAR_ROWS + 1


def _ends(left: str, right: str, width: int) -> str:
    """`left` and `right` at the ends of `width` columns (or one space apart), or `left` alone for one month."""
    if left == right:
        return left
    return left + " " * max(width - len(left) - len(right), 1) + right
