"""HTML to plain text: tags dropped, entities resolved, script and style content gone. For saved pages, feed
entries, and the text fields of CSV and JSON dumps that hold HTML (scraped bodies often do)."""

import re
from html.parser import HTMLParser

_BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li"
    " main nav ol p pre section table td th tr ul".split()
)
_DECLARATION = re.compile(r"<!(?!--)")  # any "<!" but a comment's
_HIDDEN = frozenset(("script", "style", "template", "noscript", "iframe", "object", "svg", "math", "head"))
_LOOKS_LIKE_HTML = re.compile(
    r"</?(?:p|br|div|span|a|b|i|em|strong|ul|ol|li|h[1-6]|script|style|img|table)\b[^<>]*>", re.I
)


def looks_like_html(text: str) -> bool:
    """Whether a text field holds HTML markup (a tag a news body uses), not just a "<" in prose."""
    return "<" in text and _LOOKS_LIKE_HTML.search(text) is not None


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: tags dropped, entities resolved, script and style content gone,
    block elements on lines of their own."""
    try:
        parts = _parsed(fragment)
    except AssertionError:  # html.parser refuses some "<!" declarations ("<![foo[") by assertion
        parts = _parsed(_DECLARATION.sub("&lt;!", fragment))
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _parsed(fragment: str) -> list[str]:
    parser = _TextParser()
    parser.feed(fragment)
    parser.close()
    return parser.parts


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)
