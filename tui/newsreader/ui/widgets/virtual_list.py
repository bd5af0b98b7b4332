"""A one-line-per-row list that renders only the rows on screen.

Archives hold up to a million articles, so rows are drawn on demand by
`render_line` from an index, never mounted as widgets.
"""

from rich.segment import Segment
from rich.style import Style
from textual import on
from textual.binding import Binding
from textual.cache import LRUCache
from textual.events import Blur, Click, Focus
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from newsreader.ui.widgets.scrolling import set_virtual_size


class VirtualList(ScrollView, can_focus=True):
    """Subclasses say how many rows there are and how to draw one as segments."""

    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False, tooltip="Move the cursor down a row", id="list.down"),
        Binding("up,k", "cursor_up", "Up", show=False, tooltip="Move the cursor up a row", id="list.up"),
        Binding("home,g", "first", "First", show=False, tooltip="Move the cursor to the first row", id="list.first"),
        Binding("end,G", "last", "Last", show=False, tooltip="Move the cursor to the last row", id="list.last"),
        Binding(
            "pagedown,space",
            "page_down",
            "Page down",
            show=False,
            tooltip="Move the cursor down a page",
            id="list.page_down",
        ),
        Binding("pageup,b", "page_up", "Page up", show=False, tooltip="Move the cursor up a page", id="list.page_up"),
        Binding("enter", "select", "Open", tooltip="Open the row under the cursor", id="list.select"),
    ]
    COMPONENT_CLASSES = {"virtual-list--cursor"}

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)  # watch_cursor redraws two rows

    class Highlighted(Message):
        """The cursor moved to `index`; `stepped` when it moved by one row (j/k, maybe held down)."""

        def __init__(self, virtual_list: "VirtualList", index: int, stepped: bool = False) -> None:
            super().__init__()
            self.virtual_list = virtual_list
            self.index = index
            self.stepped = stepped

        @property
        def control(self) -> "VirtualList":
            """The list, so `@on(VirtualList.Selected, "#id")` picks one list's messages by a selector."""
            return self.virtual_list

    class Selected(Highlighted):
        """The row at `index` was chosen with enter or a click."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._row_count = 0
        self._strips: LRUCache[tuple, Strip] = LRUCache(maxsize=512)

    @property
    def row_count(self) -> int:
        return self._row_count

    def set_row_count(self, count: int, moved_to: int | None = None) -> None:
        """Change how many rows exist; rows already drawn may have changed too.

        `moved_to`: where the cursor's row now stands, rows having come or gone above it. The cursor goes
        there at the same height on screen, untold: the row under it is the same, so nothing moved for the user."""
        screen_row = self.cursor - self.scroll_offset.y
        self._row_count = count
        self._strips.clear()
        set_virtual_size(self, Size(self.scrollable_content_region.width, count))
        if moved_to is None:
            self.cursor = min(self.cursor, max(count - 1, 0))
        else:
            self.set_reactive(VirtualList.cursor, moved_to)
            if 0 <= screen_row < self.scrollable_content_region.height:
                self.scroll_to(y=moved_to - screen_row, animate=False, force=True, immediate=True)
            else:  # the wheel had scrolled the cursor away: it is brought into view, as a move would
                self.scroll_to_region(Region(0, moved_to, 1, 1), animate=False, force=True, immediate=True)
        self.refresh()

    def refresh_rows(self) -> None:
        """Redraw every row, e.g. after what a row shows (read marks, focus styling) changed."""
        self._strips.clear()
        self.refresh()

    def component_style(self, name: str) -> Style:
        """What component `name` sets (colour, background, text style), resolved in the current theme.

        A row segment's style, laid over the row's. Textual's partial component style would drop a colour's
        alpha (`$accent 40%` at full strength) and turn `auto` colours (`$text-muted`) white."""
        resolved, own = self.get_component_rich_style(name), self.get_component_styles(name)
        colours = Style(
            color=resolved.color if own.has_rule("color") or own.has_rule("auto_color") else None,
            bgcolor=resolved.bgcolor if own.has_rule("background") else None,
        )
        return colours + own.text_style

    def notify_style_update(self) -> None:
        """Rows drawn in the old colours go: the theme, focus or classes changed."""
        super().notify_style_update()
        self._strips.clear()

    def render_row(self, index: int, width: int) -> list[Segment]:
        """The segments of row `index`; subclasses override."""
        raise NotImplementedError

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if index >= self._row_count:
            return Strip.blank(width, self.rich_style)
        on_cursor = index == self.cursor
        key = (index, width, on_cursor, self.has_focus)
        strip = self._strips.get(key)
        if strip is None:
            row_style = self.rich_style  # walks the ancestors' styles: only for rows not drawn before
            if on_cursor:
                row_style += self.get_component_rich_style("virtual-list--cursor")
            row = self.render_row(index, width)
            segments = [Segment(text, row_style + style if style else row_style) for text, style, _ in row]
            strip = Strip(segments).crop_extend(0, width, row_style)
            self._strips[key] = strip
        return strip

    def on_resize(self) -> None:
        set_virtual_size(self, Size(self.scrollable_content_region.width, self._row_count))
        self._strips.clear()

    @on(Focus)
    @on(Blur)
    def _restyle_cursor_row(self) -> None:
        """The cursor row is styled by focus."""
        self.refresh_rows()

    def watch_cursor(self, previous: int, cursor: int) -> None:
        if self._row_count == 0:
            return
        self.scroll_to_region(Region(0, cursor, 1, 1), animate=False, force=True, immediate=True)
        self.refresh_line(previous)  # two rows, not the whole list: a frame is cheaper by the lines it skips
        self.refresh_line(cursor)  # (a scroll above has already asked for all of them)
        self.post_message(self.Highlighted(self, cursor, stepped=abs(cursor - previous) == 1))

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, self._row_count - 1))

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self._row_count - 1

    def action_page_down(self) -> None:
        self.cursor += max(self.scrollable_content_region.height - 1, 1)

    def action_page_up(self) -> None:
        self.cursor -= max(self.scrollable_content_region.height - 1, 1)

    def action_select(self) -> None:
        if self._row_count:
            self.post_message(self.Selected(self, self.cursor))

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = self.scroll_offset.y + offset.y
        if 0 <= index < self._row_count:
            self.cursor = index
            if event.chain >= 2:
                self.action_select()
