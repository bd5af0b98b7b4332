"""The reading pane: one article, shown literally, styled only by offsets.

Highlights, the entity cursor, the marked sentence and click targets (a meta
key naming the mention) are all spans laid over `Article.text`; the text itself
never passes through markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import Click
from textual.content import Content, Span
from textual.message import Message
from textual.reactive import reactive
from textual.style import Style
from textual.widgets import Static

from newsreader.parse import Article

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
MATCH_STYLE = "on $warning 30%"
CURRENT_MATCH_STYLE = "bold reverse"
MENTION_META = "newsreader-mention"
MARK_STYLE = "on $primary 25%"


def meta_content(article: Article) -> Content:
    """Date, id, encoding and photo credit on one plain line."""
    parts = [article.date.isoformat() if article.date else "date unknown", article.id, article.encoding]
    if article.credit:
        parts.append(f"photo: {article.credit}")
    return Content(" · ".join(parts))


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
    return Content(text, spans)


class ReaderPane(VerticalScroll, can_focus=True):
    """Scrolls the open article; `]`/`[` walk its mentions, enter opens one."""

    BINDINGS = [
        Binding("down,j", "scroll_down", "Down", show=False, id="reader.down"),
        Binding("up,k", "scroll_up", "Up", show=False, id="reader.up"),
        Binding("space,pagedown", "page_down", "Page down", show=False, id="reader.page_down"),
        Binding("b,pageup", "page_up", "Page up", show=False, id="reader.page_up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="reader.top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="reader.bottom"),
        Binding("right_square_bracket", "next_mention", "Next entity", id="reader.next_mention"),
        Binding("left_square_bracket", "previous_mention", "Prev entity", show=False, id="reader.previous_mention"),
        Binding("enter", "open_mention", "Entity panel", id="reader.open_mention"),
        Binding("f", "filter_mention", "Filter by entity", id="reader.filter"),
        Binding("slash", "app.search('article')", "Find", id="reader.search"),
        Binding("n", "next_match", "Next match", id="reader.next_match"),
        Binding("N", "previous_match", "Prev match", show=False, id="reader.previous_match"),
        Binding("1", "toggle_kind('PER')", "Toggle people", show=False, id="reader.toggle_people"),
        Binding("2", "toggle_kind('ORG')", "Toggle organisations", show=False, id="reader.toggle_organisations"),
        Binding("3", "toggle_kind('LOC')", "Toggle places", show=False, id="reader.toggle_places"),
        Binding("4", "toggle_kind('DATE')", "Toggle dates", show=False, id="reader.toggle_dates"),
    ]

    hidden_kinds: reactive[frozenset[str]] = reactive(frozenset())

    class EntityChosen(Message):
        """The user asked for the entity panel of `key`."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    class FilterRequested(EntityChosen):
        """The user asked to filter the article list to the entity `key`."""

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

    def compose(self):
        yield Static(Content("Loading articles…"), id="meta")
        yield Static(legend_content(frozenset(), analysed=False), id="legend")
        yield Static(Content(""), id="body")

    def show(self, article: Article, enrichment: Enrichment | None = None, mark: tuple[int, int] | None = None) -> None:
        """Show an article (from its top when it is a new one), highlighted once its enrichment is known."""
        if article is self.article and enrichment is self.enrichment and mark == self.mark:
            return
        same_article = article is self.article
        if not same_article:
            self.mention = None
            self.matches, self.current_match = [], None
        self.article, self.enrichment, self.mark = article, enrichment, mark
        self.query_one("#meta", Static).update(meta_content(article))
        self._render_body()
        if not same_article:
            self.scroll_home(animate=False)
        if mark is not None:
            self.call_after_refresh(self.scroll_to_offset, mark[0])

    def show_message(self, message: str) -> None:
        """A notice in place of an article, e.g. when nothing could be loaded."""
        self.article = self.enrichment = self.mention = self.mark = None
        self.query_one("#meta", Static).update(Content(message))
        self.query_one("#body", Static).update(Content(""))

    def _visible_mentions(self) -> list[tuple[int, int, str, str]]:
        """(start, end, kind, key) of every highlighted span, in text order."""
        if self.enrichment is None:
            return []
        mentions = [(e.start, e.end, e.type, e.key) for e in self.enrichment.entities]
        mentions += [(d.start, d.end, "DATE", "") for d in self.enrichment.dates]
        return sorted(m for m in mentions if m[2] not in self.hidden_kinds)

    def _render_body(self) -> None:
        article = self.article
        if article is None:
            return
        spans = [Span(s, e, ROLE_STYLES[role]) for s, e, role in article.paragraph_spans() if role in ROLE_STYLES]
        if self.mark is not None:
            spans.append(Span(*self.mark, MARK_STYLE))
        spans += [Span(start, end, MATCH_STYLE) for start, end in self.matches]
        for index, (start, end, kind, key) in enumerate(self._visible_mentions()):
            spans.append(Span(start, end, KIND_STYLES[kind]))
            if key:  # a plain meta key: Textual restyles "@click" spans as links and drops the colour
                spans.append(Span(start, end, Style.from_meta({MENTION_META: index})))
            if index == self.mention:
                spans.append(Span(start, end, CURSOR_STYLE))
        if self.current_match is not None:
            spans.append(Span(*self.matches[self.current_match], CURRENT_MATCH_STYLE))
        self.query_one("#body", Static).update(Content(article.text, spans))
        self.border_subtitle = self.match_status()
        self.query_one("#legend", Static).update(legend_content(self.hidden_kinds, self.enrichment is not None))

    def watch_hidden_kinds(self) -> None:
        self.mention = None
        self._render_body()

    def scroll_to_offset(self, offset: int) -> None:
        """Bring the line holding text offset `offset` into view, a third of the way down."""
        if self.article is None:
            return
        body = self.query_one("#body", Static)
        width = body.content_region.width or 1
        line = len(Content(self.article.text[:offset]).wrap(width)) - 1
        target = body.virtual_region.y + line - self.scrollable_content_region.height // 3
        self.scroll_to(y=max(target, 0), animate=False)

    def _move_mention(self, step: int) -> None:
        mentions = self._visible_mentions()
        if not mentions:
            self.notify("No highlighted entities in this article yet.", severity="warning")
            return
        if self.mention is None:
            self.mention = 0 if step > 0 else len(mentions) - 1
        else:
            self.mention = (self.mention + step) % len(mentions)
        self._render_body()
        self.scroll_to_offset(mentions[self.mention][0])

    def action_next_mention(self) -> None:
        self._move_mention(1)

    def action_previous_mention(self) -> None:
        self._move_mention(-1)

    def _mention_key(self, index: int | None) -> str | None:
        mentions = self._visible_mentions()
        if index is None or not 0 <= index < len(mentions) or not mentions[index][3]:
            self.notify("Move to a person, organisation or place first: ] and [.", severity="warning")
            return None
        return mentions[index][3]

    def open_mention(self, index: int | None = None) -> None:
        """Ask for the entity panel of mention `index` (the cursor's when None)."""
        index = self.mention if index is None else index
        if (key := self._mention_key(index)) is not None:
            self.mention = index
            self._render_body()
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

    # -- search in the article ------------------------------------------------

    def set_matches(self, matches: list[tuple[int, int]]) -> None:
        """Highlight a search's `matches` (offsets into the text) and bring the first into view."""
        self.searching = True
        self.matches = matches
        self.current_match = 0 if matches else None
        self._render_body()
        if matches:
            self.scroll_to_offset(matches[0][0])

    def clear_matches(self) -> None:
        self.searching = False
        self.matches, self.current_match = [], None
        self._render_body()

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
        self._render_body()
        self.scroll_to_offset(self.matches[self.current_match][0])

    def action_next_match(self) -> None:
        self._step_match(1)

    def action_previous_match(self) -> None:
        self._step_match(-1)

    def action_toggle_kind(self, kind: str) -> None:
        self.hidden_kinds = self.hidden_kinds ^ {kind}
