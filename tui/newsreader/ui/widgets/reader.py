"""The reading pane: one article, shown literally, styled only by offsets.

It draws only the visible lines. The article is wrapped once per width into
(start, end) slices; highlights, the entity cursor, the marked sentence, search
matches and click targets (a meta key naming the mention) are spans over
`Article.text`, built per visible line from the sorted mentions and matches, so a
keystroke neither re-wraps nor restyles a long article. The text itself never
passes through markup.

Wrapping is lazy: the first screen is wrapped when an article opens, the rest by a
worker in slices of a millisecond, so a 10 MB article shows at once and a key
waits a few slices at most. The scrollbar grows as lines arrive; a scroll to a line not
wrapped yet (a restored position, a far mention or match, the end) waits for it.
"""

from __future__ import annotations

import asyncio
import time
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.cache import LRUCache
from textual.content import Content, Span
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.worker import Worker, WorkerState

from newsreader.ingest.parse import PARAGRAPH_SEPARATOR, Article
from newsreader.ui.widgets.scrolling import set_virtual_size
from newsreader.ui.widgets.wrapping import iter_lines

if TYPE_CHECKING:  # the NLP modules are heavy; the reader only displays their results
    from newsreader.nlp.enrich import Enrichment

ROLE_STYLES = {"title": "bold $text-primary", "lede": "italic $text-secondary"}
KIND_STYLES = {
    "PER": "bold $text-warning",
    "ORG": "bold $text-error",
    "LOC": "bold $text-success",
    "DATE": "underline $text-primary",
}
KIND_NAMES = {"PER": "people", "ORG": "organisations", "LOC": "places", "DATE": "dates"}
CURSOR_STYLE = "reverse"
MARK_STYLE = "on $primary 25%"
MATCH_STYLE = "on $warning 30%"
CURRENT_MATCH_STYLE = "bold reverse"
MENTION_META = "newsreader-mention"
META_STYLE = "$text-secondary"
WRAP_SLICE_SECONDS = 0.001  # the longest the wrapping holds the event loop at once: a key passes several turns of it
GROW_SECONDS = 0.1  # how often the scrollbar follows the wrapping


def meta_content(article: Article) -> Content:
    """Date, id, encoding (a dump's row: its outlet) and photo credit on one plain line; for a dump's row, its
    authors and topics on the next, and its URL on the one after."""
    origin = article.origin
    parts = [article.date.isoformat() if article.date else "date unknown", article.id]
    if origin is None:
        parts.append(article.encoding)
    elif origin.outlet:
        parts.append(origin.outlet)
    if article.credit:
        parts.append(f"photo: {article.credit}")
    lines = [" · ".join(parts)]
    if origin is not None:
        about = []
        if origin.authors:
            about.append("by " + ", ".join(origin.authors))
        if origin.topics:
            about.append("topics: " + ", ".join(origin.topics))
        lines += [" · ".join(about)] if about else []
        lines += [origin.url] if origin.url else []
    return Content("\n".join(lines)).stylize(META_STYLE)


def legend_content(hidden: frozenset[str], analysed: bool) -> Content:
    """A key for the colours; switched-off kinds are struck through."""
    parts, spans, position = [], [], 0
    for number, (kind, name) in enumerate(KIND_NAMES.items(), start=1):
        label = f"{number} {name}"
        style = "strike $text-muted" if kind in hidden else KIND_STYLES[kind]
        spans.append(Span(position + 2, position + len(label), style))
        parts.append(label)
        position += len(label) + 3
    text = "   ".join(parts) + ("" if analysed else "   · analysing…")
    return Content(text, spans).stylize_before(META_STYLE)


class ReaderPane(ScrollView, can_focus=True):
    """Scrolls the open article; `]`/`[` walk its mentions, enter opens one, `/` finds text."""

    BINDINGS = [
        Binding(
            "down,j", "scroll_down", "Down", show=False, tooltip="Scroll the article down a line", id="reader.down"
        ),
        Binding("up,k", "scroll_up", "Up", show=False, tooltip="Scroll the article up a line", id="reader.up"),
        Binding(
            "space,pagedown",
            "page_down",
            "Page down",
            show=False,
            tooltip="Scroll the article down a page",
            id="reader.page_down",
        ),
        Binding(
            "b,pageup", "page_up", "Page up", show=False, tooltip="Scroll the article up a page", id="reader.page_up"
        ),
        Binding("g,home", "scroll_home", "Top", show=False, tooltip="Go to the start of the article", id="reader.top"),
        Binding(
            "r",
            "screen.next_report",
            "Next report",
            show=False,
            id="reader.next_report",
            tooltip="Open the next article that reports the same story",
        ),
        Binding(
            "G,end", "scroll_end", "Bottom", show=False, tooltip="Go to the end of the article", id="reader.bottom"
        ),
        Binding(
            "right_square_bracket",
            "next_mention",
            "Next entity",
            tooltip="Move the entity cursor to the next highlighted name or date",
            id="reader.next_mention",
        ),
        Binding(
            "left_square_bracket",
            "previous_mention",
            "Prev entity",
            show=False,
            tooltip="Move the entity cursor to the previous highlighted name or date",
            id="reader.previous_mention",
        ),
        Binding(
            "enter",
            "open_mention",
            "Entity panel",
            tooltip="Open the entity panel for the name under the entity cursor",
            id="reader.open_mention",
        ),
        Binding(
            "f",
            "filter_mention",
            "Filter by entity",
            tooltip="List only the articles naming the entity under the cursor",
            id="reader.filter",
        ),
        Binding("slash", "screen.search('article')", "Find", tooltip="Find text in this article", id="reader.search"),
        Binding(
            "n",
            "next_match",
            "Next match",
            tooltip="Go to the next match of the search in this article",
            id="reader.next_match",
        ),
        Binding(
            "N",
            "previous_match",
            "Prev match",
            show=False,
            tooltip="Go to the previous match of the search in this article",
            id="reader.previous_match",
        ),
        Binding(
            "1",
            "toggle_kind('PER')",
            "Toggle people",
            show=False,
            tooltip="Show or hide the highlighting of people",
            id="reader.toggle_people",
        ),
        Binding(
            "2",
            "toggle_kind('ORG')",
            "Toggle organisations",
            show=False,
            tooltip="Show or hide the highlighting of organisations",
            id="reader.toggle_organisations",
        ),
        Binding(
            "3",
            "toggle_kind('LOC')",
            "Toggle places",
            show=False,
            tooltip="Show or hide the highlighting of places",
            id="reader.toggle_places",
        ),
        Binding(
            "4",
            "toggle_kind('DATE')",
            "Toggle dates",
            show=False,
            tooltip="Show or hide the highlighting of dates",
            id="reader.toggle_dates",
        ),
    ]

    hidden_kinds: reactive[frozenset[str]] = reactive(frozenset())

    class EntityChosen(Message):
        """The user asked for the entity panel of `key`."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    class FilterRequested(Message):
        """The user asked to filter the article list to the entity `key`.

        Not a subclass of EntityChosen: a handler is found by the name of the message's own class.
        """

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Article"
        self.article: Article | None = None
        self.enrichment: Enrichment | None = None
        self.mention: int | None = None
        self.mark: tuple[int, int] | None = None
        self.matches: list[tuple[int, int]] = []
        self.current_match: int | None = None
        self.searching = False
        self.notice = Content("Loading articles…")
        self.legend = legend_content(frozenset(), analysed=False)
        self._header: list[Content] = []
        # Each screen line's (start, end) in the text, as two arrays: 100 000s of lines make no objects for the GC.
        self._line_starts, self._line_ends = array("q"), array("q")
        self._wrapping: Iterator[tuple[int, int]] | None = None  # the lines still to come; None once all are in
        self._pending_scroll: Callable[[], float | None] | None = None  # a target row, None while unknown
        self._wide_spans: list[Span] = []  # title, lede, marked sentence: few and long
        self._all_mentions: list[tuple[int, int, str, str]] = []  # sorted once per analysis
        self._all_mentions_of: Enrichment | None = None
        self._mentions: list[tuple[int, int, str, str]] = []  # those of kinds not hidden
        self._mentions_of: tuple[Enrichment | None, frozenset[str]] = (None, frozenset())
        self._mention_starts = array("q")
        self._mention_longest = 0
        self._match_longest = 0
        self._strips: LRUCache[tuple[int, int], Strip] = LRUCache(maxsize=256)
        self.drawn = True  # no change of what the pane shows is waiting for a frame

    def notify_style_update(self) -> None:
        """Lines drawn in the old theme's colours go."""
        super().notify_style_update()
        self._strips.clear()

    # -- what is shown --------------------------------------------------------

    def show(self, article: Article, enrichment: Enrichment | None = None, mark: tuple[int, int] | None = None) -> None:
        """Show an article (from its top when it is a new one), highlighted once its enrichment is known."""
        if article is self.article and enrichment is self.enrichment and mark == self.mark:
            return
        same_article = article is self.article
        if not same_article:
            self.mention = None
            self.matches, self.current_match, self.searching = [], None, False
            self._pending_scroll = None
        self.article, self.enrichment, self.mark = article, enrichment, mark
        if same_article:
            self._restyle()  # new highlights or mark: the lines are wrapped already
        else:
            self._relayout()
            self.scroll_home(animate=False, immediate=True)
        if mark is not None:
            self.scroll_to_offset(mark[0])

    def show_message(self, message: str) -> None:
        """A notice in place of an article, e.g. when nothing could be loaded."""
        self.article = self.enrichment = self.mention = self.mark = None
        self._pending_scroll = None
        self.notice = Content(message)
        self._relayout()

    @property
    def header_height(self) -> int:
        """Rows above the article's first line: its date and id, the colour key, a blank row."""
        return len(self._header)

    def line_span(self, line: int) -> tuple[int, int] | None:
        """(start, end) in the text of wrapped line `line`, 0 being the first below the header; None for a
        line not wrapped yet (wrapping runs in slices) or past the end."""
        if 0 <= line < len(self._line_starts):
            return self._line_starts[line], self._line_ends[line]
        return None

    def visible_mentions(self) -> Sequence[tuple[int, int, str, str]]:
        """(start, end, kind, key) of every highlighted span, in text order; `mention` indexes it. Sorted once per
        analysis and filtered once per toggled kind, never for a move of the cursor; the key is "" for a date.
        A role standing for a person ("глава государства") is a mention of that person."""
        if self._all_mentions_of is not self.enrichment:
            mentions = []
            if self.enrichment is not None:
                mentions = [(e.start, e.end, e.type, e.key) for e in self.enrichment.entities]
                mentions += [(r.start, r.end, "PER", r.key) for r in self.enrichment.roles if r.kind == "reference"]
                mentions += [(d.start, d.end, "DATE", "") for d in self.enrichment.dates]
            self._all_mentions, self._all_mentions_of = sorted(mentions), self.enrichment
        enrichment, hidden = self._mentions_of
        if enrichment is not self.enrichment or hidden != self.hidden_kinds:
            self._mentions = [m for m in self._all_mentions if m[2] not in self.hidden_kinds]
            self._mentions_of = (self.enrichment, self.hidden_kinds)
            self._mention_starts = array("q", (start for start, _, _, _ in self._mentions))
            self._mention_longest = max((end - start for start, end, _, _ in self._mentions), default=0)
        return self._mentions

    def _relayout(self) -> None:
        """Wrap for the current width (only on a new article or a resize): a slice now, the rest in a worker.

        A worker still wrapping an earlier layout sees that its lines are no longer wanted and stops.
        """
        width = self.scrollable_content_region.width
        self._line_starts, self._line_ends = array("q"), array("q")
        self._wrapping = iter_lines(self.article.text, width) if self.article is not None and width > 0 else None
        self._wrap_slice(minimum=self.scrollable_content_region.height)
        if self._wrapping is not None:
            self.run_worker(self._wrap_rest(self._wrapping), group="wrap", exit_on_error=False)
        self._restyle()
        self._settle_scroll()

    def _wrap_slice(self, minimum: int = 0) -> None:
        """Wrap at least `minimum` more lines, then on until the slice's time is up or the article ends.

        The clock is read after every line: a line of wide characters costs up to a millisecond.
        """
        if self._wrapping is None:
            return
        deadline = time.perf_counter() + WRAP_SLICE_SECONDS
        for start, end in self._wrapping:
            self._line_starts.append(start)
            self._line_ends.append(end)
            minimum -= 1
            if minimum <= 0 and time.perf_counter() > deadline:
                return
        self._wrapping = None

    async def _wrap_rest(self, wrapping: Iterator[tuple[int, int]]) -> None:
        """Wrap the rest of the article a slice at a time; keys are handled between slices."""
        grown_at = time.monotonic()
        while True:
            await asyncio.sleep(0)
            if self._wrapping is not wrapping:
                return
            self._wrap_slice()
            if self._wrapping is None or time.monotonic() - grown_at > GROW_SECONDS:
                grown_at = time.monotonic()
                self._grow()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "wrap" and event.state == WorkerState.ERROR:
            self._wrapping = None
            self._grow()
            problem = f"Could not lay out the rest of this article: {event.worker.error}"
            self.notify(problem, severity="error", markup=False)

    def _grow(self) -> None:
        """Let the scrollbar follow the wrapping, draw lines that arrived on screen, land a waiting scroll."""
        shown_to = self.virtual_size.height
        set_virtual_size(self, Size(self.virtual_size.width, self.header_height + len(self._line_starts)))
        if self.scroll_offset.y + self.size.height > shown_to:
            self.refresh()
        self._settle_scroll()

    def _restyle(self) -> None:
        """Rebuild the header and the long spans; the visible lines are redrawn, and build their own short spans."""
        width = self.scrollable_content_region.width
        if self.article is None:
            self._header = self.notice.wrap(max(width, 1))
        else:
            self.legend = legend_content(self.hidden_kinds, self.enrichment is not None)
            lines = max(width, 1)
            self._header = [*meta_content(self.article).wrap(lines), *self.legend.wrap(lines), Content("")]
        wide = [Span(s, e, ROLE_STYLES[role]) for s, e, role in self._paragraph_roles()]
        if self.mark is not None:
            wide.append(Span(*self.mark, MARK_STYLE))
        self._wide_spans = wide
        set_virtual_size(self, Size(width, self.header_height + len(self._line_starts)))
        self.border_subtitle = self.match_status()
        self._strips.clear()
        self.drawn = False
        self.refresh()

    def _paragraph_roles(self) -> list[tuple[int, int, str]]:
        """The title and lede spans, from their lengths: `paragraph_spans` would split the whole text."""
        if self.article is None:
            return []
        roles = [(0, len(self.article.title), "title")]
        if self.article.lede is not None:
            lede_start = len(self.article.title) + len(PARAGRAPH_SEPARATOR)
            roles.append((lede_start, lede_start + len(self.article.lede), "lede"))
        return roles

    # -- drawing --------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        self.drawn = True  # lines are drawn within a frame: the frame with the latest style is under way
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        strip = self._strips.get((index, width))
        if strip is None:
            strip = Strip(self._line_content(index).render_segments(self.visual_style)).crop_extend(
                0, width, self.rich_style
            )
            if index < self.header_height + len(self._line_starts):  # a row below the wrapped lines is filled later
                self._strips[(index, width)] = strip
        return strip

    def _line_content(self, index: int) -> Content:
        if index < self.header_height:
            return self._header[index]
        line = self.line_span(index - self.header_height)
        if self.article is None or line is None:
            return Content("")
        start, end = line
        spans = [
            Span(max(span.start, start) - start, min(span.end, end) - start, span.style)
            for span in self._spans_over(start, end)
        ]
        return Content(self.article.text[start:end], spans)

    def _spans_over(self, start: int, end: int) -> list[Span]:
        """The spans that touch text[start:end], in drawing order; matches and mentions are found by bisection."""
        mentions = self.visible_mentions()
        narrow = []
        low = bisect_left(self.matches, (start - self._match_longest,))
        narrow += [Span(*match, MATCH_STYLE) for match in self.matches[low : bisect_left(self.matches, (end,))]]
        first = bisect_left(self._mention_starts, start - self._mention_longest)
        for index in range(first, bisect_left(self._mention_starts, end)):
            mention_start, mention_end, kind, key = mentions[index]
            narrow.append(Span(mention_start, mention_end, KIND_STYLES[kind]))
            if key:  # a plain meta key: Textual restyles "@click" spans as links and drops the colour
                narrow.append(Span(mention_start, mention_end, Style.from_meta({MENTION_META: index})))
            if index == self.mention:
                narrow.append(Span(mention_start, mention_end, CURSOR_STYLE))
        if self.current_match is not None:
            narrow.append(Span(*self.matches[self.current_match], CURRENT_MATCH_STYLE))
        narrow.sort(key=lambda span: span.start)
        return [span for span in (*self._wide_spans, *narrow) if span.start < end and span.end > start]

    def on_resize(self) -> None:
        """Rewrap for the new width, keeping the text at the top of the pane there."""
        top = self.scroll_offset.y - self.header_height
        if self._pending_scroll is None and 0 < top < len(self._line_starts):
            self._pending_scroll = self._offset_target(self._line_starts[top], row=0)
        self._relayout()

    def action_scroll_down(self) -> None:
        """A line at once: the default smooth scroll shows the first moved frame ~40 ms after the key."""
        self._pending_scroll = None
        self.scroll_relative(y=1, animate=False, immediate=True)

    def action_scroll_up(self) -> None:
        self._pending_scroll = None
        self.scroll_relative(y=-1, animate=False, immediate=True)

    def action_page_down(self) -> None:
        self._pending_scroll = None
        super().action_page_down()

    def action_page_up(self) -> None:
        self._pending_scroll = None
        super().action_page_up()

    def action_scroll_home(self) -> None:
        self._pending_scroll = None
        super().action_scroll_home()

    def action_scroll_end(self) -> None:
        """The end of what is wrapped now, and the real end once the wrapping gets there."""
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)
        self._scroll_when_wrapped(lambda: self.max_scroll_y if self._wrapping is None else None)

    def scroll_to_offset(self, offset: int, row: int | None = None) -> None:
        """Bring the line holding text offset `offset` into view, `row` lines down (a third of the pane by default)."""
        row = self.scrollable_content_region.height // 3 if row is None else row
        self._scroll_when_wrapped(self._offset_target(offset, row))

    def _offset_target(self, offset: int, row: int) -> Callable[[], float | None]:
        def target() -> float | None:
            if self._wrapping is not None and not (self._line_ends and offset < self._line_ends[-1]):
                return None
            return max(self.header_height + bisect_right(self._line_starts, offset) - 1 - row, 0)

        return target

    def scroll_to_line(self, y: float) -> None:
        """Scroll to row `y` (a remembered position), once the wrapping has got that far."""
        self._scroll_when_wrapped(lambda: y)

    @property
    def reading_position(self) -> float:
        """The scroll offset to remember: a target still waiting for the wrapping counts as reached."""
        target = self._pending_scroll() if self._pending_scroll is not None else None
        return self.scroll_y if target is None else target

    def _scroll_when_wrapped(self, target: Callable[[], float | None]) -> None:
        self._pending_scroll = target
        self._settle_scroll()

    def _settle_scroll(self) -> None:
        """Scroll to the waiting target once it is known and a screenful below it is wrapped (or everything is)."""
        if self._pending_scroll is None or self.scrollable_content_region.width <= 0:
            return
        y = self._pending_scroll()
        if y is None:
            return
        if self._wrapping is None or y + self.scrollable_content_region.height <= self.virtual_size.height:
            self._pending_scroll = None
            self.scroll_to(y=y, animate=False, immediate=True)

    def watch_hidden_kinds(self) -> None:
        self.mention = None
        self._restyle()

    # -- the entity cursor ----------------------------------------------------

    def _move_mention(self, step: int) -> None:
        mentions = self.visible_mentions()
        if not mentions:
            self.notify("No highlighted entities in this article yet.", severity="warning")
            return
        if self.mention is None:
            self.mention = 0 if step > 0 else len(mentions) - 1
        else:
            self.mention = (self.mention + step) % len(mentions)
        self._restyle()
        self.scroll_to_offset(mentions[self.mention][0])

    def action_next_mention(self) -> None:
        self._move_mention(1)

    def action_previous_mention(self) -> None:
        self._move_mention(-1)

    def _mention_key(self, index: int | None) -> str | None:
        mentions = self.visible_mentions()
        if index is None or not 0 <= index < len(mentions) or not mentions[index][3]:
            self.notify("Move to a person, organisation or place first: ] and [.", severity="warning")
            return None
        return mentions[index][3]

    def open_mention(self, index: int | None = None) -> None:
        """Ask for the entity panel of mention `index` (the cursor's when None)."""
        index = self.mention if index is None else index
        if (key := self._mention_key(index)) is not None:
            self.mention = index
            self._restyle()
            self.post_message(self.EntityChosen(key))

    def action_open_mention(self) -> None:
        self.open_mention()

    def on_click(self, event: Click) -> None:
        index = event.style.meta.get(MENTION_META)
        if index is not None:
            self.open_mention(index)

    def action_filter_mention(self) -> None:
        if (key := self._mention_key(self.mention)) is not None:
            self.post_message(self.FilterRequested(key))

    def action_toggle_kind(self, kind: str) -> None:
        self.hidden_kinds = self.hidden_kinds ^ {kind}

    # -- search in the article ------------------------------------------------

    def set_matches(self, matches: list[tuple[int, int]]) -> None:
        """Highlight a search's `matches` (offsets into the text) and bring the first into view."""
        self.searching = True
        self.matches = matches
        self._match_longest = max((end - start for start, end in matches), default=0)
        self.current_match = 0 if matches else None
        self._restyle()
        if matches:
            self.scroll_to_offset(matches[0][0])

    def clear_matches(self) -> None:
        self.searching = False
        self.matches, self.current_match = [], None
        self._restyle()

    def match_status(self) -> str:
        if self.current_match is None:
            return "no matches" if self.searching else ""
        return f"match {self.current_match + 1}/{len(self.matches)} · n/N"

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """n/N belong to the search only while there are matches; otherwise the App's n (next unread) runs."""
        if action in ("next_match", "previous_match"):
            return bool(self.matches)
        return True

    def _step_match(self, step: int) -> None:
        self.current_match = ((self.current_match or 0) + step) % len(self.matches)
        self._restyle()
        self.scroll_to_offset(self.matches[self.current_match][0])

    def action_next_match(self) -> None:
        self._step_match(1)

    def action_previous_match(self) -> None:
        self._step_match(-1)
