"""Stars, tags and notes on articles: kept in the state file as read marks are, shown on the list's rows,
and found by the search language's `tag:`, `note:` and `is:` filters."""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from textual.screen import Screen

from newsreader.ingest.parse import Article
from newsreader.ui.controllers.reading import ReadingController
from newsreader.ui.screens.line_prompt import LinePrompt
from newsreader.ui.screens.note_editor import NoteEditor
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.reader import ReaderPane
from newsreader.userdata.marks import UserMarks, clean_note, parse_tags
from newsreader.wording import plural

Value = TypeVar("Value", tuple[str, ...], str)
TAG_PLACEHOLDER = "tags, e.g. проверить, Белоусов"
TAG_HINT = "commas between tags · empty removes them all · enter keeps · escape cancels"


class MarkingController:
    """The marks of every article; `marks` is a snapshot a search thread may hold while the user marks on."""

    def __init__(self, screen: Screen, reading: ReadingController) -> None:
        self._screen = screen
        self._reading = reading
        self.marks = reading.state.user_marks()

    def start(self) -> None:
        self._screen.query_one(ArticleList).show_marks(self.marks)

    def target(self) -> Article | None:
        """The article a mark key acts on: the one being read when the reader has focus, else the list's."""
        reader = self._screen.query_one(ReaderPane)
        if reader.has_focus and reader.article is not None:
            return reader.article
        return self._screen.query_one(ArticleList).article

    def toggle_star(self) -> None:
        article = self.target()
        if article is None:
            return
        starred = article.fingerprint not in self.marks.starred
        self._reading.state.set_star([article.fingerprint], starred)
        changed = self.marks.starred | {article.fingerprint} if starred else self.marks.starred - {article.fingerprint}
        self._show(replace(self.marks, starred=changed))
        self._screen.notify("Starred." if starred else "Star removed.")

    def edit_tags(self) -> None:
        article = self.target()
        if article is None:
            return
        tags = ", ".join(self.marks.tags.get(article.fingerprint, ()))
        prompt = LinePrompt(f"Tags · {article.title}", TAG_HINT, value=tags, placeholder=TAG_PLACEHOLDER)
        self._screen.app.push_screen(prompt, lambda typed: self._set_tags(article, typed))

    def _set_tags(self, article: Article, typed: str | None) -> None:
        if typed is None:
            return
        tags = parse_tags(typed)
        self._reading.state.set_tags(article.fingerprint, tags)
        self._show(replace(self.marks, tags=_replaced(self.marks.tags, article.fingerprint, tags)))
        self._screen.notify(f"Tagged {', '.join(tags)}." if tags else "Tags removed.", markup=False)

    def edit_note(self) -> None:
        article = self.target()
        if article is None:
            return
        editor = NoteEditor(article.title, self.marks.notes.get(article.fingerprint, ""))
        self._screen.app.push_screen(editor, lambda typed: self._set_note(article, typed))

    def _set_note(self, article: Article, typed: str | None) -> None:
        if typed is None:
            return
        note = clean_note(typed)
        self._reading.state.set_note(article.fingerprint, note)
        self._show(replace(self.marks, notes=_replaced(self.marks.notes, article.fingerprint, note)))
        self._screen.notify(f"Note kept ({plural(len(note), 'character')})." if note else "Note removed.")

    def _show(self, marks: UserMarks) -> None:
        """A new snapshot (never changed in place: a search may be reading the old one) on the list's rows."""
        self.marks = marks
        self._reading.report_state_warnings()
        self._screen.query_one(ArticleList).show_marks(marks)


def _replaced(by_article: dict[str, Value], fingerprint: str, value: Value) -> dict[str, Value]:
    """A copy with the article's tags or note set, or left out when empty (a search may hold the old one)."""
    changed = {**by_article, fingerprint: value}
    if not value:
        del changed[fingerprint]
    return changed
