"""The entity panel: who or what a mention is, its roles, every article naming it, its timeline, what it said.

The lists are virtual: a frequent name can appear in a hundred thousand articles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from rich.cells import cell_len
from rich.segment import Segment
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.content import Content
from textual.events import Click
from textual.screen import ModalScreen
from textual.signal import Signal
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from newsreader.ingest.parse import Article
from newsreader.store.corpus import Store, TimelineEvent
from newsreader.store.speech import SaidQuote
from newsreader.ui.widgets.article_list import UNKNOWN_DATE
from newsreader.ui.widgets.cells import clip
from newsreader.ui.widgets.mention_chart import MentionChart
from newsreader.ui.widgets.reader import KIND_STYLES
from newsreader.ui.widgets.sentence_row import FLAT, sentence_segments
from newsreader.ui.widgets.virtual_list import VirtualList
from newsreader.wording import plural

if TYPE_CHECKING:  # the NLP modules are heavy; the panel only displays their results
    from newsreader.nlp.events import Event
    from newsreader.nlp.quotes import Quote

TYPE_NAMES = {"PER": "person", "ORG": "organisation", "LOC": "place"}
VALUE_WIDTH = len("2025-03-04")
CHART_INLINE_ARTICLES = 2000  # an entity in more articles has its mentions by month counted on a worker (~1 µs each)


@dataclass(frozen=True)
class OpenArticle:
    """The user chose an article, and maybe an event or a quote in it, whose sentence the reader marks."""

    article_id: str
    event: Event | Quote | None = None


@dataclass(frozen=True)
class FilterByEntity:
    """The user asked to narrow the article list to the articles naming `key`."""

    key: str


class PanelList(VirtualList):
    """A list of the panel: it keeps its cursor on the same item as the data grows."""

    TITLE = ""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.border_title = self.TITLE
        self.items: Sequence[Any] = []

    def show(self, items: Sequence[Any]) -> None:
        """Display `items`; a cursor below the top stays on its item, one at the top stays there."""
        current = self.items[self.cursor] if self.cursor else None
        self.items = items
        self.set_row_count(len(items))
        if current is not None and current in items:
            self.cursor = items.index(current)
        self.border_subtitle = f"{len(items):,}"

    def choice(self, index: int) -> OpenArticle:
        """What choosing row `index` opens; subclasses override."""
        raise NotImplementedError

    def on_click(self, event: Click) -> None:
        """One click chooses: unlike the main list, there is no preview for a first click to show."""
        event.prevent_default()
        offset = event.get_content_offset(self)
        if offset is not None and 0 <= self.scroll_offset.y + offset.y < self.row_count:
            self.cursor = self.scroll_offset.y + offset.y
            self.action_select()


class EntityArticles(PanelList):
    """Date and title of each article naming the entity, newest first."""

    TITLE = "Articles"
    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {"entity-articles--date"}

    def choice(self, index: int) -> OpenArticle:
        return OpenArticle(self.items[index].id)

    def render_row(self, index: int, width: int) -> list[Segment]:
        article: Article = self.items[index]
        date = article.date.isoformat() if article.date else UNKNOWN_DATE
        return [
            Segment(" "),
            Segment(date, self.component_style("entity-articles--date")),
            Segment("  "),
            Segment(clip(article.title, width)),
        ]


class EntityTimeline(PanelList):
    """The entity's events in time order: value, article title, and the sentence around the date."""

    TITLE = "Timeline"
    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {
        "entity-timeline--value",
        "entity-timeline--title",
        "entity-timeline--expression",
    }

    def __init__(self, store: Store, *, id: str) -> None:
        super().__init__(id=id)
        self._store = store

    def choice(self, index: int) -> OpenArticle:
        item: TimelineEvent = self.items[index]
        return OpenArticle(item.article_id, item.event)

    def render_row(self, index: int, width: int) -> list[Segment]:
        item: TimelineEvent = self.items[index]
        event = item.event
        article = self._store.get(item.article_id)
        style = self.component_style
        value = event.value.ljust(VALUE_WIDTH)
        segments = [Segment(" "), Segment(value, style("entity-timeline--value")), Segment("  ")]
        if article is None:  # as the main timeline words an article it cannot find
            return segments + [Segment(item.article_id)]
        title = clip(article.title, max(width // 5, 8))
        room = width - (1 + len(value) + 2 + cell_len(title) + 2)
        date_style = style("entity-timeline--expression")
        return [
            *segments,
            Segment(title, style("entity-timeline--title")),
            Segment("  "),
            *sentence_segments(article.text, event, room, date_style, context_after=room // 3, mark_cut_end=False),
        ]


class EntityQuotes(PanelList):
    """What the person said, newest first: date and the quote, «direct» or reported, cut to the row."""

    TITLE = "Quotes"
    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {"entity-quotes--date"}

    def __init__(self, store: Store, *, id: str) -> None:
        super().__init__(id=id)
        self._store = store

    def _quote(self, said: SaidQuote) -> Quote | None:
        enrichment = self._store.enrichment(said.article_id)
        return enrichment.quotes[said.index] if enrichment is not None else None

    def choice(self, index: int) -> OpenArticle:
        said: SaidQuote = self.items[index]
        return OpenArticle(said.article_id, self._quote(said))

    def render_row(self, index: int, width: int) -> list[Segment]:
        said: SaidQuote = self.items[index]
        article, quote = self._store.get(said.article_id), self._quote(said)
        date = article.date.isoformat() if article is not None and article.date else UNKNOWN_DATE
        segments = [Segment(" "), Segment(date, self.component_style("entity-quotes--date")), Segment("  ")]
        if article is None or quote is None:
            return segments + [Segment(said.article_id)]
        said_text = article.text[quote.start : quote.end].translate(FLAT)
        shown = f"«{said_text}»" if quote.kind == "direct" else said_text
        return segments + [Segment(clip(shown, width - 3 - len(date)))]


class EntityPanel(ModalScreen[OpenArticle | FilterByEntity | None]):
    """Everything the store knows of one entity; dismisses with what the user chose to do."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-wide")]
    BINDINGS = [
        Binding(
            "f",
            "filter",
            "Filter list",
            tooltip="Close the panel and list only the articles naming this entity",
            id="entity.filter",
        ),
        Binding("tab", "app.focus_next", "Next list", tooltip="Move to the other list", id="entity.next_list"),
        Binding(
            "shift+tab",
            "app.focus_previous",
            "Previous list",
            show=False,
            tooltip="Move to the other list",
            id="entity.previous_list",
        ),
        Binding("escape,q", "close", "Close", tooltip="Close the entity panel", id="entity.close"),
    ]

    def __init__(self, store: Store, key: str, updated: Signal[None]) -> None:
        """`updated` is published whenever analysis may have added to the store."""
        super().__init__()
        self._store = store
        self.key = key
        self._updated = updated
        self._enriched_seen = -1

    def compose(self) -> ComposeResult:
        with Vertical(id="entity-panel"):
            yield Static(id="entity-name")
            yield Static(id="entity-facts")
            yield MentionChart(id="mention-chart")
            with Container(id="entity-lists"):
                yield EntityArticles(id="entity-articles")
                yield EntityTimeline(self._store, id="entity-timeline")
            yield EntityQuotes(self._store, id="entity-quotes")
        yield Footer()

    def on_mount(self) -> None:
        self._reload()
        self._updated.subscribe(self, self._follow_analysis, immediate=True)  # as soon as published, as a call would

    def _follow_analysis(self, _: None) -> None:
        """Show what analysis has added since; nothing to do, and no store scan, if it added nothing."""
        if self._store.enriched_count != self._enriched_seen:
            self._reload()

    def _reload(self) -> None:
        self._enriched_seen = self._store.enriched_count
        info = self._store.entity(self.key)
        if info is not None:
            self.key = info.key  # a bare surname resolves to its full name once that is known
        kind, _, name_from_key = self.key.partition(":")
        kind_name = (TYPE_NAMES.get(kind, kind.lower()), KIND_STYLES.get(kind, "bold"))
        articles: Sequence[Article | None] = []
        events: Sequence[TimelineEvent] = []
        roles: list[str] = []
        quotes: list[SaidQuote] = []
        if info is None:
            counts, name = "not analysed yet", name_from_key
        else:
            counts = f"{plural(info.mentions, 'mention')} in {plural(len(info.article_ids), 'article')}"
            name, events = info.name, self._store.events(self.key).in_time_order()
            articles = [self._store.get(article_id) for article_id in info.article_ids]
            roles, quotes = self._store.roles(self.key), self._store.quotes(self.key)
        self.query_one("#entity-name", Static).update(Content(name))
        held = ("\nroles: " + " · ".join(roles)) if roles else ""  # roles come from the text: no markup
        self.query_one("#entity-facts", Static).update(Content.assemble(kind_name, " · ", counts, held))
        self.query_one(EntityArticles).show(articles)
        self.query_one(EntityTimeline).show(events)
        self.query_one(EntityQuotes).show(quotes)
        self.query_one(EntityQuotes).display = bool(quotes)
        if info is None or len(info.article_ids) <= CHART_INLINE_ARTICLES:
            self.query_one(MentionChart).show(self._store.mentions_by_month(self.key) if info is not None else {})
        else:
            self._count_by_month(self.key)

    @work(thread=True, exclusive=True, group="mention-chart", exit_on_error=False, description="mentions by month")
    def _count_by_month(self, key: str) -> None:
        """The chart of an entity in many articles, counted off the UI thread (15 ms at 14,500 articles)."""
        try:
            by_month = self._store.mentions_by_month(key)
        except Exception as error:
            self.app.call_from_thread(self._count_failed, error)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._counted, key, by_month)

    def _counted(self, key: str, by_month: dict[int, int]) -> None:
        if key == self.key:
            self.query_one(MentionChart).show(by_month)

    def _count_failed(self, error: Exception) -> None:
        message = f"Could not count the mentions by month: {type(error).__name__}: {error}"
        self.notify(message, severity="error", markup=False)

    @on(VirtualList.Selected, "PanelList")
    def _dismiss_with_choice(self, message: VirtualList.Selected) -> None:
        """Choosing a row of either list closes the panel with what that row opens."""
        message.stop()
        self.dismiss(cast(PanelList, message.control).choice(message.index))

    def action_filter(self) -> None:
        self.dismiss(FilterByEntity(self.key))

    def action_close(self) -> None:
        self.dismiss(None)
