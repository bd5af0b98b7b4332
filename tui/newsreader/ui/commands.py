"""Command palette entries: navigation, entity filters, timeline zoom, highlight toggles, typed dates, marks.

Entity names come from articles, so every prompt is built as `Content` (Textual parses
a plain string prompt as markup, `Matcher.highlight` too) and matches are styled with the
matcher's own style. The key hints are the keys bound now, after the user's keymap.
"""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape
from textual.screen import Screen
from textual.style import Style

from newsreader.ui.controllers.exporting import EXPORTS
from newsreader.ui.screens.main import MainScreen
from newsreader.ui.timeline.widget import Timeline
from newsreader.ui.widgets.reader import ReaderPane
from newsreader.ui.widgets.story_reports import report_line
from newsreader.wording import plural

ZOOMS = ("day", "week", "month", "year")
KIND_LABELS = {"PER": "people", "ORG": "organisations", "LOC": "places", "DATE": "dates"}
KIND_BINDINGS = {
    "PER": "reader.toggle_people",
    "ORG": "reader.toggle_organisations",
    "LOC": "reader.toggle_places",
    "DATE": "reader.toggle_dates",
}
TOP_ENTITIES = 200
TOP_TAGS = 100
Entry = tuple[str, Callable[[], object], str]  # what the palette shows, what it does, the key hint


class ReaderCommands(Provider):
    """Everything a key does, plus a filter for each of the most mentioned entities."""

    def __init__(self, screen: Screen[Any], match_style: Style | None = None) -> None:
        super().__init__(screen, match_style)
        # the reading screen, also under the entity panel or help the palette may be opened over
        self._main = next((each for each in screen.app.screen_stack if isinstance(each, MainScreen)), None)
        self._all: list[Entry] = []  # (name, what it does, key hint) of every entry, made at startup

    async def startup(self) -> None:
        """Rank the entities once per opening of the palette, not on every keystroke (~0.5 s at 10^5 articles)."""
        if self._main is None:
            return
        try:
            self._all = self._commands(self._main)
        except Exception as error:  # Textual would only log it, leaving the palette silently empty
            self.app.notify(f"Command list failed: {type(error).__name__}: {error}", severity="error", markup=False)
            raise

    def _keys(self, binding_id: str, where: str = "") -> str:
        """The keys bound to `binding_id` now, as the footer shows them; empty where it is not active."""
        bindings = self._main.active_bindings.values() if self._main is not None else ()
        keys = [self.app.get_key_display(active.binding) for active in bindings if active.binding.id == binding_id]
        return " / ".join(keys) + where if keys else ""

    def _commands(self, main: MainScreen) -> list[Entry]:
        reading, keys, undo = main.reading, self._keys, self._keys("app.undo")
        commands: list[Entry] = [
            ("Next unread article", partial(reading.step_unread, 1), keys("app.next_unread")),
            ("Previous unread article", partial(reading.step_unread, -1), keys("app.previous_unread")),
            ("First article", partial(main.action_focus_list_and, "first"), keys("list.first", " in the list")),
            ("Last article", partial(main.action_focus_list_and, "last"), keys("list.last", " in the list")),
            (
                "Mark all articles read",
                reading.mark_all_read,
                keys("app.mark_all_read", f", undo with {undo}" if undo else ""),
            ),
            ("Browse entities: people, organisations, places", main.action_entities, keys("app.entities")),
            ("Show load warnings", partial(self.app.run_action, "app.warnings"), keys("app.warnings")),
            ("Timeline: cycle all / article / entity", reading.cycle_timeline_scope, keys("app.timeline_scope")),
        ]
        commands += self._mark_commands(main)
        commands += self._story_commands(main)
        if reading.filter_keys:  # offered only while the list is filtered
            commands.append(("Clear the entity filter", reading.clear_filter, keys("app.back", " in the list")))
        zoom_keys = " / ".join(filter(None, (keys("timeline.zoom_in"), keys("timeline.zoom_out"))))
        commands += [(f"Timeline zoom: {zoom}", partial(reading.set_timeline_zoom, zoom), zoom_keys) for zoom in ZOOMS]
        commands += [
            (
                f"Toggle highlighting of {label}",
                partial(reading.toggle_highlight, kind),
                keys(KIND_BINDINGS[kind], " in the reader"),
            )
            for kind, label in KIND_LABELS.items()
        ]
        commands += [
            (f"Export the list: {described}…", partial(main.exporting.ask, format_name), "to a file you name")
            for format_name, (described, _) in EXPORTS.items()
        ]
        commands += [
            (
                f"Filter by {info.name}",
                partial(reading.filter_by_entity, info.key),
                f"{info.type} · {plural(info.mentions, 'mention')}",
            )
            for info in main.store.top_entities(TOP_ENTITIES)
        ]
        return commands

    def _mark_commands(self, main: MainScreen) -> list[Entry]:
        """Star, tag and note the article, and list the starred, the annotated and each tag's articles."""
        marking, keys, search = main.marking, self._keys, main.searching.search_archive
        marks = marking.marks
        commands: list[Entry] = [
            ("Star or unstar the article", marking.toggle_star, keys("app.star")),
            ("Tag the article…", marking.edit_tags, keys("app.tags")),
            ("Note on the article…", marking.edit_note, keys("app.note")),
            ("Batch search: queries from a file…", main.batch_search.ask, "one query a line, every hit listed"),
            ("Starred articles", partial(search, "is:starred"), plural(len(marks.starred), "article")),
            ("Articles with a note", partial(search, "is:noted"), plural(len(marks.notes), "article")),
        ]
        commands += [
            (f"Articles tagged {tag}", partial(search, f'tag:"{tag}"'), plural(count, "article"))
            for tag, count in marks.all_tags()[:TOP_TAGS]
        ]
        return commands

    def _story_commands(self, main: MainScreen) -> list[Entry]:
        """Collapsing stories, and each other report of the open article's story (outlets and titles: plain text)."""
        reading, keys = main.reading, self._keys
        commands: list[Entry] = [
            (
                "Stories: one row each / every article",
                main.action_toggle_stories,
                keys("list.collapse_stories", " in the list"),
            ),
            ("Next report of this story", reading.next_report, keys("list.next_report", " in the list")),
        ]
        article = main.query_one(ReaderPane).article
        for other in main.stories.others(article) if article is not None else []:
            commands.append(
                (f"Also reported by {report_line(other).plain}", partial(reading.open_article_by_id, other.id), "")
            )
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self._all[:20]:
            yield DiscoveryHit(Content(name), callback, text=name, help=_markup(help_text))

    async def search(self, query: str) -> Hits:
        if query.strip() and self._main is not None:  # the search bar's language: words, "phrases", per: ...
            label = Content(f"Search the archive for: {query}")
            keys = self._keys("list.search", " in the list")
            search = partial(self._main.searching.search_archive, query)
            yield Hit(1.0, label, search, text=label.plain, help=_markup(keys))
            for hit in await self._date_hits(self._main, query):
                yield hit
        matcher = self.matcher(query)
        for name, callback, help_text in self._all:
            score, offsets = matcher.fuzzy_search.match(query, name)
            if score > 0:
                prompt = Content(name)
                for offset in offsets:
                    if not name[offset].isspace():
                        prompt = prompt.stylize(matcher.match_style, offset, offset + 1)
                yield Hit(score, prompt, callback, text=name, help=_markup(help_text))

    async def _date_hits(self, main: MainScreen, query: str) -> list[Hit]:
        """A query that reads as a date or a period ("март 2019", "last week") gets its articles and its timeline."""
        from newsreader.search.query import parse_date_range

        period = await asyncio.to_thread(parse_date_range, query, datetime.date.today())
        if period is None:
            return []
        first, last, named = period.first, period.last, period.named
        articles = Content(f"Articles dated {named}")
        search = partial(main.searching.search_archive, f"date:{first:%Y-%m-%d}..{last:%Y-%m-%d}")
        timeline = Content(f"Timeline: go to {named}")
        go_to = partial(main.query_one(Timeline).go_to, first, last)
        keys = self._keys("timeline.go_to_date", " in the timeline")
        return [
            Hit(1.0, articles, search, text=articles.plain),
            Hit(1.0, timeline, go_to, text=timeline.plain, help=_markup(keys)),
        ]


def _markup(help_text: str) -> str | None:
    """The palette parses help as markup: a key such as [ must show as itself."""
    return escape(help_text) if help_text else None
