"""Command palette entries: navigation, entity filters, timeline zoom, highlight toggles.

Entity names come from articles, so every prompt is built as `Content` (Textual
parses a plain string prompt as markup) and matches are styled by offset.
"""

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

ZOOMS = ("day", "week", "month", "year")
KIND_LABELS = {"PER": "people", "ORG": "organisations", "LOC": "places", "DATE": "dates"}
TOP_ENTITIES = 200


class ReaderCommands(Provider):
    """Everything a key does, plus a filter for each of the most mentioned entities."""

    _all: list[tuple[str, object, str]] = []

    async def startup(self) -> None:
        """Rank the entities once per opening of the palette, not on every keystroke (~0.5 s at 10^5 articles)."""
        try:
            self._all = self._commands()
        except Exception as error:  # Textual would only log it, leaving the palette silently empty
            self.app.notify(f"Command list failed: {type(error).__name__}: {error}", severity="error", markup=False)
            raise

    def _commands(self) -> list[tuple[str, object, str]]:
        app = self.app
        commands = [
            ("Next unread article", app.action_next_unread, "n"),
            ("Previous unread article", app.action_previous_unread, "p"),
            ("First article", partial(app.run_action, "focus_list_and('first')"), "g in the list"),
            ("Last article", partial(app.run_action, "focus_list_and('last')"), "G in the list"),
            ("Mark all articles read", app.action_mark_all_read, "A, undo with u"),
            ("Show load warnings", app.action_warnings, "w"),
            ("Clear the entity filter", app.action_clear_filter, "escape in the list"),
            ("Timeline: cycle all / article / entity", app.action_cycle_timeline_scope, "t"),
        ]
        commands += [(f"Timeline zoom: {zoom}", partial(app.set_timeline_zoom, zoom), "+ / -") for zoom in ZOOMS]
        commands += [
            (f"Toggle highlighting of {label}", partial(app.toggle_highlight, kind), "1–4 in the reader")
            for kind, label in KIND_LABELS.items()
        ]
        for info in app.store.top_entities(TOP_ENTITIES):
            commands.append(
                (f"Filter by {info.name}", partial(app.filter_by_entity, info.key), f"{info.type} · {info.mentions} mentions")
            )
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self._all[:20]:
            yield DiscoveryHit(Content(name), callback, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        if query.strip():  # the same query language as the search bar: words, "phrases", prefix*, per:, date:
            label = Content(f"Search the archive for: {query}")
            yield Hit(1.0, label, partial(self.app.search_archive, query), text=label.plain, help="/ in the list")
        matcher = self.matcher(query)
        for name, callback, help_text in self._all:
            score, offsets = matcher.fuzzy_search.match(query, name)
            if score > 0:
                prompt = Content(name)
                for offset in offsets:
                    prompt = prompt.stylize("bold underline", offset, offset + 1)
                yield Hit(score, prompt, callback, text=name, help=help_text)
