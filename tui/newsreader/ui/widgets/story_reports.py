""" "Also reported by": under the reader, the other articles of the open article's story; enter or a click opens one."""

from __future__ import annotations

from pathlib import PurePosixPath

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from newsreader.ingest.parse import Article
from newsreader.ui.widgets.cells import clip

OUTLET_CELLS = 24
TITLE_CELLS = 200  # a title may be a whole hostile file: the line is cut long before that
REPORTS_AT_ONCE = 40  # options made at a time: all 800 of a much reprinted story took 140-230 ms at each step


def outlet_of(article: Article) -> str:
    """Who printed it: a dump row's outlet; for a text file, the nearest folder not named by a number (a date
    part: 2019/03), else the file's name."""
    if article.origin is not None and article.origin.outlet:
        return article.origin.outlet
    path = PurePosixPath(article.id.replace("\\", "/"))
    named = [part for part in path.parent.parts if not part.isdigit() and part not in ("/", ".", "..")]
    return named[-1] if named else path.name


def report_line(article: Article) -> Content:
    """Outlet, date and title on one plain line: all three come from the archive, so never markup."""
    date = article.date.isoformat() if article.date else "date unknown"
    return Content(f"{clip(outlet_of(article), OUTLET_CELLS)} · {date} · {clip(article.title, TITLE_CELLS)}")


class StoryReports(OptionList):
    """Shown once the archive has stories, at one height: an article with no other report then changes no layout
    (the reader above would wrap its text again at each step between the two)."""

    class Chosen(Message):
        """The user chose the article `article_id` among the reports."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._reports: list[Article] = []
        self.display = False
        self.border_title = "Also reported by"

    @property
    def reports(self) -> list[Article]:
        return list(self._reports)

    def show_reports(self, reports: list[Article], archive_has_stories: bool) -> None:
        """The other articles of the story, in the order given. Only the first REPORTS_AT_ONCE are made into
        options now (the open article waits for this frame), the next ones as the highlight or the view nears
        the end of those made."""
        self.display = archive_has_stories
        if [each.id for each in reports] == [each.id for each in self._reports] and self.option_count:
            return
        self._reports = list(reports)
        if reports:
            self.set_options(self._options_from(0, REPORTS_AT_ONCE))
        else:
            self.set_options([Option(Content("no other outlet reports this story"), disabled=True)])
        self.border_title = f"Also reported by {len(reports)}" if reports else "Also reported by"

    def _options_from(self, start: int, count: int) -> list[Option]:
        return [Option(report_line(article)) for article in self._reports[start : start + count]]

    def _make_more(self, near: float) -> None:
        """The next reports made into options, if `near` (an option or a line) is within a page of the last."""
        made = self.option_count
        if made < len(self._reports) and near >= made - max(self.size.height, REPORTS_AT_ONCE // 4):
            self.add_options(self._options_from(made, REPORTS_AT_ONCE))

    def on_option_list_option_highlighted(self, message: OptionList.OptionHighlighted) -> None:
        self._make_more(message.option_index)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._make_more(new_value + self.size.height)

    def action_last(self) -> None:
        """The last report of all, not of those made so far."""
        self.add_options(self._options_from(self.option_count, len(self._reports)))
        super().action_last()

    def on_option_list_option_selected(self, message: OptionList.OptionSelected) -> None:
        message.stop()
        if 0 <= message.option_index < len(self._reports):
            self.post_message(self.Chosen(self._reports[message.option_index].id))
