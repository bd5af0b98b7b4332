"""The timeline pane: how many events fall in each day, week, month or year, and those of the chosen one.

Nothing here is one widget per event: the strip draws only the buckets that fit, the list only
the rows on screen, and all text is laid out as segments, never parsed as markup.
"""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.segment import Segment
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.events import Click, MouseScrollDown, MouseScrollLeft, MouseScrollRight, MouseScrollUp
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from newsreader.store.corpus import EventView, Store, TimelineEvent
from newsreader.ui.screens.line_prompt import LinePrompt
from newsreader.ui.timeline import axis as ta
from newsreader.ui.widgets.cells import clip
from newsreader.ui.widgets.sentence_row import sentence_segments
from newsreader.ui.widgets.virtual_list import VirtualList
from newsreader.wording import plural

if TYPE_CHECKING:  # numpy and the date grammar are imported with the first events, not for the first paint
    import numpy as np

    from newsreader.nlp.events import Event
    from newsreader.ui.timeline.buckets import Buckets

MAX_CELL_WIDTH = 6  # a bucket widens up to this when few buckets fill the pane
# The zoom a period is shown at: the shortest whose bucket holds (most of) it. Longer ones get years.
ZOOM_FOR_DAYS = ((1, "day"), (7, "week"), (92, "month"))
DATE_EXAMPLES = "2019-03-05 · март 2019 · с 3 по 7 марта · прошлая неделя · last week"


class DensityStrip(Widget):
    """Bars of eighth blocks per bucket over a row of axis labels; one row shows bars only."""

    COMPONENT_CLASSES = {"timeline--bar", "timeline--cursor", "timeline--label", "timeline--notice"}

    class BucketClicked(Message):
        def __init__(self, bucket: int) -> None:
            super().__init__()
            self.bucket = bucket

    def __init__(self) -> None:
        super().__init__()
        self.buckets: Buckets | None = None
        self.cursor: int | None = None
        self.notice = ""
        self._view_start = 0  # the leftmost bucket drawn
        self._followed: int | None = None  # the cursor the view last scrolled to

    def show(self, buckets: Buckets | None, cursor: int | None, notice: str) -> None:
        if self.buckets is None or buckets is None or buckets.zoom != self.buckets.zoom:
            self._followed = None
        self.buckets, self.cursor, self.notice = buckets, cursor, notice
        self.refresh()

    def _view(self, buckets: Buckets, width: int) -> tuple[int, int, int]:
        """First bucket drawn, how many, and the cells each takes; scrolls to a cursor that moved."""
        cell = max(1, min(MAX_CELL_WIDTH, width // max(len(buckets.counts), 1)))
        visible = max(width // cell, 1)
        if self.cursor is not None and self.cursor != self._followed:  # the wheel may pan away from a still cursor
            self._followed, self._view_start = self.cursor, ta.follow(self._view_start, self.cursor, visible)
        self._view_start = max(buckets.origin, min(self._view_start, buckets.end - visible))
        return self._view_start, min(visible, buckets.end - self._view_start), cell

    def render_line(self, y: int) -> Strip:
        """Bar rows from the top, then the axis; bars only when one row high."""
        width, height = self.size
        base, buckets = self.rich_style, self.buckets
        if buckets is None or not len(buckets.counts):
            text = f" {self.notice}" if y == 0 else ""
            notice = base + self.get_component_rich_style("timeline--notice")
            return Strip([Segment(text, notice)]).crop_extend(0, width, base)
        first, count, cell = self._view(buckets, width)
        rows = max(height - 1, 1)
        if y >= rows:
            axis = ta.axis_text(buckets.zoom, first, count, cell)
            label = base + self.get_component_rich_style("timeline--label")
            return Strip([Segment(axis, label)]).crop_extend(0, width, base)
        levels = buckets.bar_levels(first, count, rows)
        cursor = self.cursor - first if self.cursor is not None and first <= self.cursor < first + count else None
        before, at, after = ta.bar_row(levels, y, rows, cell, cursor)
        bar, highlight = (base + self.get_component_rich_style(name) for name in ("timeline--bar", "timeline--cursor"))
        return Strip([Segment(before, bar), Segment(at, highlight), Segment(after, bar)]).crop_extend(0, width, base)

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or self.buckets is None or not len(self.buckets.counts):
            return
        first, count, cell = self._view(self.buckets, self.size.width)
        if offset.x < count * cell:
            self.post_message(self.BucketClicked(first + offset.x // cell))

    def _pan(self, event: MouseScrollDown | MouseScrollUp | MouseScrollLeft | MouseScrollRight, direction: int) -> None:
        """The wheel pans time, later down or right, leaving the cursor where it is."""
        event.stop()
        self._view_start += direction * max(self.size.width // 8, 1)
        self.refresh()

    @on(MouseScrollDown)
    @on(MouseScrollRight)
    def _pan_later(self, event: MouseScrollDown | MouseScrollRight) -> None:
        self._pan(event, 1)

    @on(MouseScrollUp)
    @on(MouseScrollLeft)
    def _pan_earlier(self, event: MouseScrollUp | MouseScrollLeft) -> None:
        self._pan(event, -1)


class EventList(VirtualList, can_focus=False):
    """The events of one bucket. The Timeline holds focus and forwards keys, so the pane is one tab stop."""

    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {"timeline--value", "timeline--title", "timeline--date"}

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store
        self._events: EventView | None = None
        self._rows: Sequence[int] | np.ndarray = ()  # positions in _events, in the order shown

    def show(self, events: EventView | None, rows: Sequence[int] | np.ndarray, keep_place: bool) -> None:
        """Show the events at `rows` of `events`; with `keep_place` the cursor stays on the event it was on."""
        current = self._table_row(self.cursor) if keep_place else None
        self._events, self._rows = events, rows
        self.set_row_count(len(rows))
        if current is not None and self._table_row(self.cursor) != current:
            self.cursor = next((i for i in range(len(rows)) if self._table_row(i) == current), self.cursor)
        elif not keep_place:
            self.cursor = 0

    def _table_row(self, index: int) -> int | None:
        """The event's id at list row `index`: positions change as events arrive, ids do not."""
        if self._events is None or index >= len(self._rows):
            return None
        return self._events.row(int(self._rows[index]))

    def _event_at(self, index: int) -> TimelineEvent | None:
        if self._events is None or index >= len(self._rows):
            return None
        return self._events[int(self._rows[index])]

    @property
    def event(self) -> TimelineEvent | None:
        """The event under the cursor."""
        return self._event_at(self.cursor)

    def show_focus(self, focused: bool) -> None:
        """Style the cursor row as focused while the Timeline that owns this list is."""
        self.set_class(focused, "-focused")
        self.refresh_rows()

    def render_row(self, index: int, width: int) -> list[Segment]:
        item = self._event_at(index)
        if item is None:  # no row is drawn past the events
            return []
        article, event = self._store.get(item.article_id), item.event
        style = self.component_style
        segments = [Segment(" "), Segment(f"{event.value:<10}", style("timeline--value")), Segment("  ")]
        if article is None:
            return segments + [Segment(item.article_id)]
        title = clip(article.title, max(width // 3, 12))
        segments += [Segment(title, style("timeline--title")), Segment(" — ")]
        room = width - Segment.get_line_length(segments)
        date_style = style("timeline--date")
        return segments + sentence_segments(article.text, event, room, date_style, context_before=room // 4)

    def on_click(self, event: Click) -> None:
        """One click chooses: moving to an event without opening it is what the keys are for."""
        event.prevent_default()  # the base class would choose a second time on a double click
        offset = event.get_content_offset(self)
        if offset is not None and 0 <= self.scroll_offset.y + offset.y < self.row_count:
            self.cursor = self.scroll_offset.y + offset.y
            self.action_select()


class Timeline(Widget, can_focus=True):
    """The bottom pane: density of events over time and the list of those in the cursor's bucket."""

    BINDINGS = [
        Binding(
            "left,h",
            "jump('previous')",
            "Earlier",
            show=False,
            tooltip="Go to the previous period with events",
            id="timeline.previous",
        ),
        Binding(
            "right,l",
            "jump('next')",
            "Later",
            show=False,
            tooltip="Go to the next period with events",
            id="timeline.next",
        ),
        Binding(
            "home",
            "jump('first')",
            "First",
            show=False,
            tooltip="Go to the earliest period with events",
            id="timeline.first",
        ),
        Binding(
            "end", "jump('last')", "Last", show=False, tooltip="Go to the latest period with events", id="timeline.last"
        ),
        Binding(
            "plus,equals_sign",
            "zoom_in",
            "Zoom in",
            key_display="+",
            tooltip="Shorter periods: year, month, week, day",
            id="timeline.zoom_in",
        ),
        Binding(
            "minus",
            "zoom_out",
            "Zoom out",
            key_display="-",
            tooltip="Longer periods: day, week, month, year",
            id="timeline.zoom_out",
        ),
        Binding(
            "down,j",
            "move_in_list('cursor_down')",
            "Next event",
            show=False,
            tooltip="Move to the next event of this period",
            id="timeline.down",
        ),
        Binding(
            "up,k",
            "move_in_list('cursor_up')",
            "Previous event",
            show=False,
            tooltip="Move to the previous event of this period",
            id="timeline.up",
        ),
        Binding(
            "pagedown",
            "move_in_list('page_down')",
            "Page down",
            show=False,
            tooltip="Move down a page of events",
            id="timeline.page_down",
        ),
        Binding(
            "pageup",
            "move_in_list('page_up')",
            "Page up",
            show=False,
            tooltip="Move up a page of events",
            id="timeline.page_up",
        ),
        Binding(
            "d,colon",
            "go_to_date",
            "Go to date",
            tooltip="Type a date or a period (2019-03, март 2019, прошлая неделя) and go there",
            id="timeline.go_to_date",
        ),
        Binding(
            "enter",
            "choose_event",
            "Go to event",
            tooltip="Open the article of the event under the cursor at its sentence",
            id="timeline.open",
        ),
    ]

    zoom: reactive[str] = reactive("month", init=False, bindings=True)

    class EventChosen(Message):
        """An event was picked: open `article_id` at `event`."""

        def __init__(self, article_id: str, event: Event) -> None:
            super().__init__()
            self.article_id = article_id
            self.event = event

    def __init__(self, store: Store, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._strip = DensityStrip()
        self._list = EventList(store)
        self._events: EventView | None = None
        self._days: tuple[np.ndarray, np.ndarray] | None = None  # first and last day ordinals of every event shown
        self._by_zoom: dict[str, Buckets] = {}
        self.cursor_day: datetime.date | None = None  # where the cursor stands; survives zooming and new events
        self._scope, self._analysing = "all articles", False

    def compose(self) -> ComposeResult:
        yield self._strip
        yield self._list

    def on_mount(self) -> None:
        self._redraw(keep_place=False)

    def show(self, events: EventView, scope: str, *, analysing: bool = False) -> None:
        """Show these events, keeping the cursor's date when it can; `analysing` words an empty pane.

        When `events` is a later view of the events shown (same source, more rows), only the new
        rows are counted: the whole archive's timeline grows every second during analysis.
        """
        shown = self._events
        grown = shown is not None and events.source == shown.source and len(events) >= len(shown)
        new_from = len(shown) if shown is not None and grown else 0
        unchanged = grown and new_from == len(events)
        self._events, self._scope, self._analysing = events, scope, analysing
        if not unchanged:
            self._count(events, new_from)
        buckets, day = self.buckets, self.cursor_day
        if buckets is not None:
            bucket = buckets.densest() if day is None else buckets.nearest_nonempty(ta.bucket_of(self.zoom, day))
            self._put_cursor(bucket)
        if self.is_mounted:  # else on_mount draws
            self._redraw(keep_place=True)

    def _count(self, events: EventView, new_from: int) -> None:
        """Add the day columns of events[new_from:] to the counts; from scratch when `new_from` is 0."""
        if not len(events) and self._days is None:
            return  # nothing to count yet: numpy is not even imported
        import numpy as np

        from newsreader.ui.timeline.buckets import Buckets

        firsts, lasts = (np.frombuffer(column, np.int32).astype(np.int64) for column in events.day_columns(new_from))
        if new_from == 0 or self._days is None:
            self._days, self._by_zoom = (firsts, lasts), {}
        else:
            self._days = (np.concatenate((self._days[0], firsts)), np.concatenate((self._days[1], lasts)))
        known = self._by_zoom.get(self.zoom)
        self._by_zoom = {
            self.zoom: known.extend(firsts, lasts)
            if known is not None and new_from
            else Buckets.build(self.zoom, *self._days)
        }

    @property
    def buckets(self) -> Buckets | None:
        """Counts at the current zoom, None before any event; other zooms are built on first use."""
        if self._days is None:
            return None
        buckets = self._by_zoom.get(self.zoom)
        if buckets is None:
            from newsreader.ui.timeline.buckets import Buckets

            buckets = self._by_zoom[self.zoom] = Buckets.build(self.zoom, *self._days)
        return buckets

    @property
    def cursor_bucket(self) -> int | None:
        return None if self.cursor_day is None else ta.bucket_of(self.zoom, self.cursor_day)

    def _put_cursor(self, bucket: int | None) -> None:
        """Stand on `bucket`, on the same day as before if that lies inside it."""
        self.cursor_day = None if bucket is None else ta.clamp_day(self.zoom, bucket, self.cursor_day)

    def _redraw(self, keep_place: bool) -> None:
        buckets, bucket = self.buckets, self.cursor_bucket
        self.border_title = Content(f"Timeline · {self._scope} · {self.zoom}")
        notice = "analysing…" if self._analysing else "no events yet"
        self._strip.show(buckets, bucket, notice)
        days = self._days
        rows = () if buckets is None or bucket is None or days is None else buckets.events_in(bucket, *days)
        self._list.show(self._events, rows, keep_place)
        count = plural(len(rows), "event")
        self.border_subtitle = Content(f"{ta.bucket_name(self.zoom, bucket)} · {count}") if bucket is not None else None

    def _move_to(self, bucket: int | None) -> None:
        if bucket is not None and bucket != self.cursor_bucket:
            self.cursor_day = ta.bucket_start(self.zoom, bucket)
            self._redraw(keep_place=False)

    def watch_zoom(self, previous: str, zoom: str) -> None:
        if self.cursor_day is not None and self.buckets is not None:
            self._put_cursor(self.buckets.landing(previous, self.cursor_day))
        if self.is_mounted:
            self._redraw(keep_place=False)

    def validate_zoom(self, zoom: str) -> str:
        return zoom if zoom in ta.ZOOMS else self.zoom

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out zooming past day or year in the footer."""
        limit = {"zoom_in": ta.ZOOMS[0], "zoom_out": ta.ZOOMS[-1]}.get(action)
        return None if self.zoom == limit else True

    def on_focus(self) -> None:
        self._list.show_focus(True)

    def on_blur(self) -> None:
        """Not `has_focus`: this handler runs before Textual's own, which clears it."""
        self._list.show_focus(False)

    def on_density_strip_bucket_clicked(self, message: DensityStrip.BucketClicked) -> None:
        message.stop()
        if self.buckets is not None:
            self._move_to(self.buckets.nearest_nonempty(message.bucket))

    @on(VirtualList.Highlighted)  # and so Selected too
    def _keep_list_messages_in(self, message: VirtualList.Highlighted) -> None:
        """The event list is part of this pane: what it reports is answered here, never by the App."""
        message.stop()

    @on(VirtualList.Selected)
    def _choose_selected_event(self) -> None:
        self.action_choose_event()

    def action_jump(self, where: str) -> None:
        """To the previous, next, first or last bucket with events; empty ones are skipped."""
        if self.cursor_bucket is not None and self.buckets is not None:
            self._move_to(self.buckets.jump(self.cursor_bucket, where))

    def action_zoom_in(self) -> None:
        self.zoom = ta.zoom_in(self.zoom)

    def action_zoom_out(self) -> None:
        self.zoom = ta.zoom_out(self.zoom)

    def action_move_in_list(self, move: str) -> None:
        """The event list's own cursor actions, run from here since the Timeline holds focus."""
        getattr(self._list, f"action_{move}")()

    def action_choose_event(self) -> None:
        item = self._list.event
        if item is not None:
            self.post_message(self.EventChosen(item.article_id, item.event))

    def action_go_to_date(self) -> None:
        prompt = LinePrompt("Go to date", DATE_EXAMPLES, placeholder="a date or a period")
        self.app.push_screen(prompt, self._go_to_typed)

    def _go_to_typed(self, typed: str | None) -> None:
        if typed is not None and typed.strip():
            self.run_worker(self._read_and_go(typed), group="go-to-date", exclusive=True)

    async def _read_and_go(self, typed: str) -> None:
        """Read as a `date:` filter is, on a thread: a date only dateparser knows costs ~0.2 s the first time."""
        from newsreader.search.query import parse_date_range

        try:
            period = await asyncio.to_thread(parse_date_range, typed, datetime.date.today())
        except Exception as error:  # a bug in a date reader must not take the reader down
            reason = f"{type(error).__name__}: {error}"
            self.app.notify(reason, title="Go to date failed", severity="error", markup=False)
            return
        if period is None:
            self.app.notify(f"Not a date or a period: {typed}", title="Go to date", severity="warning", markup=False)
        else:
            self.go_to(period.first, period.last)

    def go_to(self, first: datetime.date, last: datetime.date) -> None:
        """Zoom to the period's length and stand on its first bucket with events, else on the nearest one."""
        days = (last - first).days + 1
        self.zoom = next((zoom for longest, zoom in ZOOM_FOR_DAYS if days <= longest), "year")
        buckets = self.buckets
        if buckets is None:
            self.app.notify("The timeline has no events yet", title="Go to date", markup=False)
            return
        start = ta.bucket_of(self.zoom, first)
        bucket = buckets.first_nonempty_within(start, ta.bucket_of(self.zoom, last))
        if bucket is None:
            bucket = buckets.nearest_nonempty(start)
            self.app.notify("No events in that period: the nearest are shown", title="Go to date", markup=False)
        self._move_to(bucket)
        self.focus()
