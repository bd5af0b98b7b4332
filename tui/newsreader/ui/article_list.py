"""The article list: date and title, one row per article, drawn only when visible."""

from collections.abc import Callable

from rich.segment import Segment
from textual.binding import Binding
from textual.message import Message

from newsreader.parse import Article
from newsreader.store import ArticleView
from newsreader.ui.virtual_list import VirtualList, shorten

UNKNOWN_DATE = "????-??-??"
TITLE_WIDTH_WITH_SNIPPET = 28


class ArticleList(VirtualList):
    """Shows a sequence of articles that the app replaces as loading goes on."""

    BINDINGS = [
        Binding("enter,o", "select", "Open", id="list.open"),
        Binding("s", "reverse_order", "Oldest/newest first", id="list.reverse"),
        Binding("slash", "app.search('archive')", "Search", id="list.search"),
    ]
    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {"article-list--date", "article-list--unread", "article-list--match"}
    UNREAD_MARK = "●"

    class OrderReversed(Message):
        """The user asked for the other date order."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._articles = ArticleView([])
        self.border_title = "Articles"
        self.is_read: Callable[[Article], bool] = lambda article: False
        self.snippet: Callable[[Article], list[Segment]] | None = None
        self.follow: Callable[[bool], None] = lambda stepped: None  # told at once, in the same frame

    def action_reverse_order(self) -> None:
        self.post_message(self.OrderReversed())

    def watch_cursor(self, previous: int, cursor: int) -> None:
        """Besides the Highlighted message, call `follow` now: a message would reach the App a frame later,
        so a jump would paint the list first and the reader in a second frame."""
        super().watch_cursor(previous, cursor)
        if self.row_count:
            self.follow(abs(cursor - previous) == 1)

    def show(self, articles: ArticleView) -> None:
        """Display `articles`; a cursor below the top stays on the same article, one at the top stays there."""
        current = self.article if self.cursor else None
        self._articles = articles
        self.set_row_count(len(articles))
        if current is not None and self.article is not current:
            position = articles.position(current.id)
            if position is not None:
                self.cursor = position
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
        unread = not self.is_read(article)
        return [
            Segment(self.UNREAD_MARK if unread else " ", self.component_style("article-list--unread")),
            Segment(" "),
            Segment(date, self.component_style("article-list--date")),
            Segment("  "),
            Segment(shorten(article.title, width if self.snippet is None else TITLE_WIDTH_WITH_SNIPPET)),
            *(self.snippet(article) if self.snippet else ()),
        ]
