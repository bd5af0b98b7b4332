"""The reading pane: one article, shown literally, styled only by offsets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content, Span
from textual.widgets import Static

from newsreader.parse import Article

if TYPE_CHECKING:  # the NLP modules are heavy; the reader only displays their results
    from newsreader.nlp.enrich import Enrichment

ROLE_STYLES = {"title": "bold $text-primary", "lede": "italic $text-secondary"}
KIND_STYLES = {
    "PER": "bold $text-warning",
    "ORG": "bold $text-accent",
    "LOC": "bold $text-success",
    "DATE": "underline $text-primary",
}


def article_content(article: Article, enrichment: Enrichment | None = None) -> Content:
    """The article's `text` with styles laid over its offsets; never parsed as markup."""
    spans = [Span(start, end, ROLE_STYLES[role]) for start, end, role in article.paragraph_spans() if role in ROLE_STYLES]
    if enrichment is not None:
        spans += [Span(e.start, e.end, KIND_STYLES[e.type]) for e in enrichment.entities]
        spans += [Span(d.start, d.end, KIND_STYLES["DATE"]) for d in enrichment.dates]
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
        self.enrichment: Enrichment | None = None

    def compose(self):
        yield Static(Content("Loading articles…"), id="meta")
        yield Static(Content(""), id="body")

    def show(self, article: Article, enrichment: Enrichment | None = None) -> None:
        """Show an article from its top, highlighted when its enrichment is known."""
        if article is self.article and enrichment is self.enrichment:
            return
        same_article = article is self.article
        self.article, self.enrichment = article, enrichment
        self.query_one("#meta", Static).update(meta_content(article))
        self.query_one("#body", Static).update(article_content(article, enrichment))
        if not same_article:
            self.scroll_home(animate=False)

    def show_message(self, message: str) -> None:
        """A notice in place of an article, e.g. when nothing could be loaded."""
        self.article = self.enrichment = None
        self.query_one("#meta", Static).update(Content(message))
        self.query_one("#body", Static).update(Content(""))
