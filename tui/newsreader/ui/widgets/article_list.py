"""The article list: date and title, one row per article, drawn only when visible."""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.segment import Segment
from textual.binding import Binding
from textual.message import Message
from textual.signal import Signal

from newsreader.ingest.parse import Article
from newsreader.store.corpus import ArticleView
from newsreader.ui.widgets.cells import clip
from newsreader.ui.widgets.virtual_list import VirtualList

if TYPE_CHECKING:
    from newsreader.search.results import Hit
    from newsreader.userdata.marks import UserMarks

UNKNOWN_DATE = "????-??-??"
TITLE_WIDTH_WITH_SNIPPET = 28
OUTLET_CELLS = 16  # an outlet's name in a row: lenta.ru, www.kommersant.ru (cut)
ROW_CELLS_FOR_OUTLET = 56  # a narrower row keeps its cells for the title
SNIPPET_LEAD_CHARS = 16  # of the snippet before its first match
MIN_TITLE_CELLS = 16  # tags never squeeze the title below this: they are cut at the row's end instead


class ArticleList(VirtualList):
    """Shows a sequence of articles that the app replaces as loading goes on."""

    BINDINGS = [
        Binding("enter,o", "select", "Open", id="list.open", tooltip="Read the article under the cursor"),
        Binding("s", "reverse_order", "Oldest/newest first", id="list.reverse", tooltip="Reverse the date order"),
        Binding("slash", "screen.search('archive')", "Search", id="list.search", tooltip="Search the whole archive"),
        Binding(
            "c",
            "screen.toggle_stories",
            "Collapse stories",
            show=False,
            id="list.collapse_stories",
            tooltip="Show each story reported by several outlets as one row, with a count (again: every article)",
        ),
        Binding(
            "r",
            "screen.next_report",
            "Next report",
            show=False,
            id="list.next_report",
            tooltip="Open the next article that reports the same story",
        ),
    ]
    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {
        "article-list--date",
        "article-list--unread",
        "article-list--match",
        "article-list--star",
        "article-list--tags",
        "article-list--reports",
    }
    UNREAD_MARK = "●"
    STAR_MARK = "★"
    NOTE_MARK = "✎"

    class OrderReversed(Message):
        """The user asked for the other date order; `newest_first` already holds it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._articles = ArticleView([])
        self.border_title = "Articles"
        self._read: Set[str] = frozenset()
        self._hits: Mapping[str, Hit] | None = None  # search results: each row shows its snippet
        self._marks: UserMarks | None = None
        self.newest_first = True
        self.keeps_article = False  # once an article is chosen, the cursor stays on it as the view changes
        self._replacing = False
        # True for a one-row step. Published as the cursor moves, so a subscriber with immediate=True reacts
        # within the key's own frame: a message would arrive a frame later, and a jump would paint the list
        # first and the reader in a second frame.
        self.cursor_moved: Signal[bool] = Signal(self, "cursor-moved")

    def action_reverse_order(self) -> None:
        self.newest_first = not self.newest_first
        self.keeps_article = True  # the article read stays under the cursor, now at the other end
        self.post_message(self.OrderReversed())

    def watch_cursor(self, previous: int, cursor: int) -> None:
        """A key, a click or the app moving the cursor chooses its article; VirtualList posts Highlighted, and
        `cursor_moved` tells the reader at once."""
        super().watch_cursor(previous, cursor)
        if not self._replacing:
            self.keeps_article = True  # a key, a click or the app chose this article
        if self.row_count:
            self.cursor_moved.publish(abs(cursor - previous) == 1)

    def on_blur(self) -> None:
        """Going to the reader is choosing its article too (VirtualList's own handler also runs)."""
        self.keeps_article = True

    def show_read(self, read: Set[str]) -> None:
        """Fingerprints of the articles read, drawn without the unread mark; the owner of `read` may change it
        and then calls refresh_rows."""
        self._read = read
        self.refresh_rows()

    def show_marks(self, marks: UserMarks) -> None:
        """Stars, tags and notes to draw on the rows: a star beside the unread mark, tags and a note mark at the end."""
        self._marks = marks
        self.refresh_rows()

    def show(self, articles: ArticleView, hits: Mapping[str, Hit] | None = None) -> None:
        """Display `articles`, the cursor on its chosen article at the same height on screen while `articles`
        holds it; the reader, following the cursor, then never changes article by itself. Until an article
        is chosen (a fresh start, still loading) the cursor stays on the top row, the newest article.
        With `hits`, the articles are search results and each row shows its hit's snippet."""
        current = self.article if self.keeps_article else None
        self._articles = articles
        self._hits = hits
        self.set_class(hits is not None, "-with-snippets")  # wider (article_list.tcss): a title and its snippet
        self._replacing = True
        try:
            self.set_row_count(len(articles), articles.position(current.id) if current is not None else None)
        finally:
            self._replacing = False
        self.border_subtitle = f"{len(articles):,}"

    @property
    def article(self) -> Article | None:
        """The article under the cursor."""
        return self._articles[self.cursor] if self._articles else None

    def article_at(self, index: int) -> Article:
        return self._articles[index]

    def render_row(self, index: int, width: int) -> list[Segment]:
        article = self._articles[index]
        date = article.date.isoformat() if article.date else UNKNOWN_DATE
        unread = article.fingerprint not in self._read
        marks = self._marks
        starred = marks is not None and article.fingerprint in marks.starred
        prefix = [
            Segment(self.UNREAD_MARK if unread else " ", self.component_style("article-list--unread")),
            Segment(self.STAR_MARK, self.component_style("article-list--star")) if starred else Segment(" "),
            Segment(date, self.component_style("article-list--date")),
            Segment("  "),
        ]
        if (reports := self._articles.reports(index)) > 1:  # a collapsed story: how many articles tell it
            prefix += [Segment(f"×{reports}", self.component_style("article-list--reports")), Segment(" ")]
        outlet = article.origin.outlet if article.origin is not None else None
        if outlet and width >= ROW_CELLS_FOR_OUTLET:  # a dump's row: which outlet, as the date is shown
            prefix += [Segment(clip(outlet, OUTLET_CELLS), prefix[2].style), Segment("  ")]
        labels = self._labels(article, marks) if marks is not None else ""
        title_cells = width - Segment.get_line_length(prefix)
        if self._hits is not None:  # the snippet gets at least half of what is left
            title_cells = min(TITLE_WIDTH_WITH_SNIPPET, max(MIN_TITLE_CELLS, title_cells // 2))
        title_cells = max(title_cells - cell_len(labels), min(title_cells, MIN_TITLE_CELLS))
        title = clip(article.title, title_cells)  # the ellipsis of a cut falls inside the row
        if self._hits is None:  # tags that do not fit end in an ellipsis too, not cut off by the edge
            labels = clip(labels, width - Segment.get_line_length(prefix) - cell_len(title))
        return [
            *prefix,
            Segment(title),
            *((Segment(labels, self.component_style("article-list--tags")),) if labels else ()),
            *(self._snippet(article, self._hits) if self._hits is not None else ()),
        ]

    def _labels(self, article: Article, marks: UserMarks) -> str:
        """ " #tag #"two words" ✎" after the title: the article's tags (quoted as `tag:` takes them) and whether it
        has a note."""
        tags = "".join(f' #"{tag}"' if " " in tag else f" #{tag}" for tag in marks.tags.get(article.fingerprint, ()))
        return tags + (f" {self.NOTE_MARK}" if article.fingerprint in marks.notes else "")

    def _snippet(self, article: Article, hits: Mapping[str, Hit]) -> list[Segment]:
        hit = hits.get(article.id)
        if hit is None:
            return []
        start, end = hit.snippet
        first = next((match_start for match_start, match_end in hit.matches if start < match_end), start)
        if first - start > SNIPPET_LEAD_CHARS:  # a narrow row must still show the match: begin a few words before it
            space = article.text.find(" ", first - SNIPPET_LEAD_CHARS, first)
            start = space + 1 if space >= 0 else first
        style = self.component_style("article-list--match")
        segments, position = [Segment(" — …" if start > hit.snippet[0] else " — ")], start
        for match_start, match_end in hit.matches:
            if match_end <= start or match_start >= end:
                continue
            segments.append(Segment(article.text[position : max(match_start, start)].replace("\n", " ")))
            segments.append(Segment(article.text[max(match_start, start) : min(match_end, end)], style))
            position = min(match_end, end)
        segments.append(Segment(article.text[position:end].replace("\n", " ")))
        return segments
