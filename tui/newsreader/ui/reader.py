"""The reading pane: one article, shown literally, styled only by offsets."""

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content, Span
from textual.widgets import Static

from newsreader.parse import Article

ROLE_STYLES = {"title": "bold $text-primary", "lede": "italic $text-secondary"}


def article_content(article: Article) -> Content:
    """The article's `text` with styles laid over its offsets; never parsed as markup."""
    spans = [Span(start, end, ROLE_STYLES[role]) for start, end, role in article.paragraph_spans() if role in ROLE_STYLES]
    return Content(article.text, spans)


def meta_content(article: Article) -> Content:
    """Date, id, encoding and photo credit on one plain line."""
    parts = [article.date.isoformat() if article.date else "date unknown", article.id, article.encoding]
    if article.credit:
        parts.append(f"photo: {article.credit}")
    return Content(" · ".join(parts))


class ReaderPane(VerticalScroll, can_focus=True):
    """Scrolls the open article; vim keys as aliases of the arrows."""

    BINDINGS = [
        Binding("down,j", "scroll_down", "Down", show=False, id="reader.down"),
        Binding("up,k", "scroll_up", "Up", show=False, id="reader.up"),
        Binding("space,pagedown", "page_down", "Page down", show=False, id="reader.page_down"),
        Binding("b,pageup", "page_up", "Page up", show=False, id="reader.page_up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="reader.top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="reader.bottom"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Article"
        self.article: Article | None = None

    def compose(self):
        yield Static(Content("Loading articles…"), id="meta")
        yield Static(Content(""), id="body")

    def show(self, article: Article) -> None:
        """Replace the pane's article and go back to its top."""
        if article is self.article:
            return
        self.article = article
        self.query_one("#meta", Static).update(meta_content(article))
        self.query_one("#body", Static).update(article_content(article))
        self.scroll_home(animate=False)

    def show_message(self, message: str) -> None:
        """A notice in place of an article, e.g. when nothing could be loaded."""
        self.article = None
        self.query_one("#meta", Static).update(Content(message))
        self.query_one("#body", Static).update(Content(""))
