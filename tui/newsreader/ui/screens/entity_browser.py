"""The entity browser: every person, organisation and place with its mentions, articles and first date; sorted,
filtered by type and typed text, several chosen to filter the article list, and what appears with the one under
the cursor.

A million entities are one virtual list. The store keeps their counts as analysis arrives; sorting and
filtering them and the co-occurrence scan run on worker threads, and the list shows the last result until the
next is ready, so no key waits for them. The browser opens on the counts last made, if any; else on the first
rows of the order, found without the first sort of them all (a second at 10^6). An entity's panel opens over the
browser, and closing it comes back here.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Key
from textual.message import Message
from textual.screen import ModalScreen
from textual.signal import Signal
from textual.timer import Timer
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from newsreader.store.corpus import Store
from newsreader.store.facets import SORTS, TYPES, CoOccurrence, FacetCopy, Facets, FacetSelection
from newsreader.ui.screens.entity_panel import EntityPanel, FilterByEntity, OpenArticle
from newsreader.ui.typing_order import type_into
from newsreader.ui.widgets.cells import clip
from newsreader.ui.widgets.virtual_list import VirtualList
from newsreader.wording import plural

CO_OCCURRENCE_CAP = 2000  # the newest articles of an entity scanned for what appears with it
CO_OCCURRENCE_DELAY = 0.15  # the cursor rests this long before the scan starts: j held down starts none
FIRST_ROWS = 200  # listed at once while a first sort of every row is made
NUMBER_WIDTH = 9
DATE_WIDTH = len("2025-03-04")
SORT_NAMES = {"count": "mentions", "name": "name", "date": "first date"}
TYPE_KEYS = {"PER": "1", "ORG": "2", "LOC": "3"}


@dataclass(frozen=True)
class FilterByEntities:
    """The user asked to list the articles naming every one of `keys` (`every`), or any of them."""

    keys: tuple[str, ...]
    every: bool = True


class EntityNames:
    """Display names of the keys drawn, asked of the store once each (a frequent name has thousands of forms)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._names: dict[str, str] = {}

    def name(self, facets: Facets, key: str) -> str:
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = self._store.entity_name(facets.joined_keys(key))
        return name

    def forget(self) -> None:
        """After new analysis: a name may have a new most frequent form."""
        self._names.clear()


class EntityTable(VirtualList):
    """Mark, type, name, mentions, articles and first date of each entity of the selection."""

    BINDINGS = [
        Binding(
            "space", "mark", "Select", tooltip="Select or unselect the entity under the cursor", id="entities.mark"
        ),
    ]
    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {
        "entity-table--per",
        "entity-table--org",
        "entity-table--loc",
        "entity-table--other",
        "entity-table--number",
        "entity-table--mark",
    }

    def __init__(self, names: EntityNames, *, id: str) -> None:
        super().__init__(id=id)
        self.selection: FacetSelection | None = None
        self.marked: dict[str, None] = {}  # the keys selected, in the order they were
        self._names = names

    @property
    def key(self) -> str | None:
        """The key under the cursor."""
        if self.selection is None or not len(self.selection):
            return None
        return self.selection[self.cursor].key

    def show(self, selection: FacetSelection, keep: str | None) -> None:
        """List `selection`; the cursor stays on `keep` if it is listed, else goes to the top."""
        self.selection = selection
        at = selection.index_of(keep) if keep is not None else None
        self.set_row_count(len(selection))
        self.cursor = at or 0

    class MarksChanged(Message):
        """An entity was selected or unselected."""

    def action_mark(self) -> None:
        """Select the entity under the cursor, or unselect it, and step down: space, space selects two."""
        key = self.key
        if key is None:
            return
        if key in self.marked:
            del self.marked[key]
        else:
            self.marked[key] = None
        self.refresh_rows()
        self.post_message(self.MarksChanged())
        self.cursor += 1

    def render_row(self, index: int, width: int) -> list[Segment]:
        assert self.selection is not None, "rows are counted from a selection"
        row = self.selection[index]
        style = self.component_style
        kind_class = f"entity-table--{row.type.lower()}" if row.type in TYPES else "entity-table--other"
        first = row.first.isoformat() if row.first else "—".center(DATE_WIDTH)
        numbers = f"{row.mentions:>{NUMBER_WIDTH},}{row.articles:>{NUMBER_WIDTH},}  {first}"
        name_room = width - 8 - len(numbers) - 1
        name = clip(self._names.name(self.selection.facets, row.key), max(name_room, 4))
        return [
            Segment(" ✓ " if row.key in self.marked else "   ", style("entity-table--mark")),
            Segment(row.type[:3].ljust(4), style(kind_class)),
            Segment(" "),
            Segment(name.ljust(max(name_room, 4))),
            Segment(numbers, style("entity-table--number")),
        ]


class CoOccurrenceList(VirtualList):
    """The entities named in the same articles as the one under the table's cursor, most shared first."""

    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {"co-occurrence--number"}

    def __init__(self, names: EntityNames, *, id: str) -> None:
        super().__init__(id=id)
        self.border_title = "Appears with"
        self.found: CoOccurrence | None = None
        self.facets: Facets | None = None
        self._names = names

    def show(self, found: CoOccurrence, facets: Facets) -> None:
        self.found, self.facets = found, facets
        self.set_row_count(len(found.counts))
        self.cursor = 0
        scanned = f"the newest {found.scanned:,} of " if found.scanned < found.total else ""
        self.border_subtitle = f"in {scanned}{plural(found.total, 'article')}"

    def clear(self) -> None:
        """No entity under the cursor (a filter that lists none): nothing appears with it."""
        self.found = None
        self.set_row_count(0)
        self.border_title = "Appears with"
        self.border_subtitle = ""

    def render_row(self, index: int, width: int) -> list[Segment]:
        assert self.found is not None and self.facets is not None, "rows are counted from a scan"
        key, shared = self.found.counts[index]
        count = f"{shared:>{NUMBER_WIDTH},}"
        name = clip(self._names.name(self.facets, key), max(width - len(count) - 2, 4))
        return [
            Segment(" "),
            Segment(name.ljust(max(width - len(count) - 2, 4))),
            Segment(count, self.component_style("co-occurrence--number")),
        ]


class EntityBrowser(ModalScreen[FilterByEntities | FilterByEntity | OpenArticle | None]):
    """Every entity of the archive; dismisses with what the user chose to do, here or in an entity's panel."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    BINDINGS = [
        Binding("s", "cycle_sort", "Sort", tooltip="Sort by mentions, name or first date", id="entities.sort"),
        Binding("1", "toggle_type('PER')", "People", tooltip="Show or hide people", id="entities.toggle_people"),
        Binding(
            "2", "toggle_type('ORG')", "Orgs", tooltip="Show or hide organisations", id="entities.toggle_organisations"
        ),
        Binding("3", "toggle_type('LOC')", "Places", tooltip="Show or hide places", id="entities.toggle_places"),
        Binding(
            "f",
            "filter(True)",
            "Filter: all",
            tooltip="List the articles naming every selected entity (or the one under the cursor)",
            id="entities.filter_all",
        ),
        Binding(
            "F",
            "filter(False)",
            "Filter: any",
            tooltip="List the articles naming any of the selected entities",
            id="entities.filter_any",
        ),
        Binding("slash", "find", "Find", show=False, tooltip="Type to filter the names", id="entities.find"),
        Binding("c", "clear_marks", "Unselect all", show=False, tooltip="Unselect every entity", id="entities.clear"),
        Binding("tab", "app.focus_next", "Next list", show=False, tooltip="Move to the next list", id="entities.next"),
        Binding(
            "shift+tab",
            "app.focus_previous",
            "Previous list",
            show=False,
            tooltip="Move to the previous list",
            id="entities.previous",
        ),
        Binding(
            "down", "to_table", "To the list", show=False, tooltip="From the filter to the list", id="entities.to_list"
        ),
        Binding("escape", "close", "Close", tooltip="Leave the filter; close the browser", id="entities.close"),
    ]

    def __init__(self, store: Store, updated: Signal[None]) -> None:
        """`updated` is published whenever analysis may have added to the store."""
        super().__init__()
        self._store = store
        self._updated = updated
        self._names = EntityNames(store)
        self.facets: Facets | None = None
        self.sort = SORTS[0]
        self.types = frozenset(TYPES)
        self._building = False
        self._stale = False  # analysis added to the store during the rebuild
        self._co_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="entity-browser") as frame:
            frame.border_title = "Entities"
            yield Input(placeholder="Type to filter the names", select_on_focus=False, compact=True, id="entity-filter")
            yield Static(id="entity-browser-status")
            with Horizontal(id="entity-browser-lists"):
                with Vertical(id="entity-table-pane"):
                    yield Static(id="entity-table-header")
                    yield EntityTable(self._names, id="entity-table")
                yield CoOccurrenceList(self._names, id="co-occurrence")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(EntityTable).focus()
        self.facets = self._store.built_facets
        self._show_status()
        self._select()
        if self.facets is None or self.facets.version != self._store.facet_version:
            self._rebuild()
        self._updated.subscribe(self, self._follow_analysis, immediate=True)

    @property
    def table(self) -> EntityTable:
        return self.query_one(EntityTable)

    # -- the table, rebuilt and selected on worker threads ----------------------

    def _follow_analysis(self, _: None) -> None:
        """New counts once analysis has added some, one rebuild at a time: news during a rebuild start the next."""
        if self._building:
            self._stale = True
        elif self.facets is not None and self.facets.version != self._store.facet_version:
            self._rebuild()

    def _rebuild(self) -> None:
        self._building, self._stale = True, False
        self._build(self._store.facet_table())  # copied here, on the thread that adds to it

    @work(thread=True, group="entity-facets", exit_on_error=False, description="entity counts")  # no repr of a million
    def _build(self, table: FacetCopy) -> None:
        try:
            facets = self._store.facets(table)
            sort = self.sort
            if self.facets is None and not facets.has_order(sort):  # nothing listed yet: the first rows meanwhile
                first = FacetSelection(facets, sort, frozenset(TYPES), "", facets.first_rows(sort, FIRST_ROWS), True)
                self.app.call_from_thread(self._listed_first, first)
            facets.order(sort)
        except Exception as error:
            self.app.call_from_thread(self._build_failed, error)
            return
        self.app.call_from_thread(self._built, facets)

    def _listed_first(self, first: FacetSelection) -> None:
        """List the first rows, unless the counts are in or the list was sorted, typed or filtered meanwhile."""
        text = self.query_one("#entity-filter", Input).value.strip()
        if self.facets is None and (first.sort, first.types, text) == (self.sort, self.types, ""):
            self.table.show(first, keep=None)
            self._show_status()
            self._show_header()

    def _build_failed(self, error: Exception) -> None:
        self._building = False
        self._failed("entity counts", error)

    def _built(self, facets: Facets) -> None:
        self._building = False
        self.facets = facets
        self._names.forget()
        self._select(keep=self.table.key)
        if self._stale:
            self._follow_analysis(None)

    def _select(self, keep: str | None = None) -> None:
        """List the table as sorted, typed and filtered now; narrow the listed rows when text was added."""
        if self.facets is None:
            return
        within = self.table.selection
        text = self.query_one("#entity-filter", Input).value
        self._select_rows(self.facets, self.sort, self.types, text, within, keep)

    @work(thread=True, exclusive=True, group="entity-select", exit_on_error=False, description="entity list")
    def _select_rows(
        self,
        facets: Facets,
        sort: str,
        types: frozenset[str],
        text: str,
        within: FacetSelection | None,
        keep: str | None,
    ) -> None:
        try:
            selection = facets.select(sort, types, text, within)
        except Exception as error:
            self.app.call_from_thread(self._failed, "the entity list", error)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._selected, selection, keep)

    def _selected(self, selection: FacetSelection, keep: str | None) -> None:
        self.table.show(selection, keep)
        self._show_status()
        self._show_header()
        self._co_occurrence_soon()

    def _failed(self, what: str, error: Exception) -> None:
        self.notify(f"Could not make {what}: {type(error).__name__}: {error}", severity="error", markup=False)

    def _show_status(self) -> None:
        table = self.table
        listed = len(table.selection) if table.selection is not None else 0
        total = len(self.facets) if self.facets is not None else 0
        types = " ".join(
            f"{TYPE_KEYS[kind]}:{kind}" if kind in self.types else f"{TYPE_KEYS[kind]}:---" for kind in TYPES
        )
        if self.facets is not None:
            counting = f"{listed:,} of {plural(total, 'entity', 'entities')}"
        elif table.selection is not None:  # the first rows, while the rest are sorted
            counting = f"the first {listed:,} of {plural(len(table.selection.facets), 'entity', 'entities')}, sorting…"
        else:
            counting = "counting…"
        marked = f" · {len(table.marked)} selected" if table.marked else ""
        self.query_one("#entity-browser-status", Static).update(
            Content(f"{counting} · sorted by {SORT_NAMES[self.sort]} · {types}{marked}")
        )

    def _show_header(self) -> None:
        width = self.table.scrollable_content_region.width
        numbers = f"{'mentions':>{NUMBER_WIDTH}}{'articles':>{NUMBER_WIDTH}}  {'first':<{DATE_WIDTH}}"
        header = "   type name".ljust(max(width - len(numbers) - 1, 12)) + numbers
        sorted_label = {"count": "mentions", "name": "name", "date": "first"}[self.sort]
        at = header.index(sorted_label)
        self.query_one("#entity-table-header", Static).update(
            Content(header).stylize("bold underline", at, at + len(sorted_label))
        )

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_header)

    # -- co-occurrence --------------------------------------------------------

    @on(VirtualList.Highlighted, "EntityTable")
    def _cursor_moved(self, message: VirtualList.Highlighted) -> None:
        message.stop()
        self._co_occurrence_soon()

    def _co_occurrence_soon(self) -> None:
        if self._co_timer is not None:
            self._co_timer.stop()
        self._co_timer = self.set_timer(CO_OCCURRENCE_DELAY, self._co_occurrence)

    def _co_occurrence(self) -> None:
        self._co_timer = None
        key, facets = self.table.key, self.facets
        if key is None or facets is None:
            self.query_one(CoOccurrenceList).clear()
            return
        name = self._names.name(facets, key)
        self.query_one(CoOccurrenceList).border_title = Content(f"Appears with {name}")
        self._scan(facets, key)

    @work(thread=True, exclusive=True, group="co-occurrence", exit_on_error=False, description="co-occurrence")
    def _scan(self, facets: Facets, key: str) -> None:
        try:
            found = self._store.co_occurrence(facets, key, CO_OCCURRENCE_CAP)
        except Exception as error:
            self.app.call_from_thread(self._failed, "the co-occurrence list", error)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._scanned, found, facets)

    def _scanned(self, found: CoOccurrence, facets: Facets) -> None:
        if found.key == self.table.key:
            self.query_one(CoOccurrenceList).show(found, facets)

    # -- keys --------------------------------------------------------------------

    @on(Input.Changed, "#entity-filter")
    def _typed(self) -> None:
        self._select()

    @on(Input.Submitted, "#entity-filter")
    def action_to_table(self) -> None:
        self.table.focus()

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """A character none of the browser's keys takes is the filter's: the app's keys (q, n, …) do not apply
        here; ? still shows the keys."""
        own = key in self._bindings.key_to_bindings or key == "question_mark"
        return not own and character is not None and character.isprintable()

    def on_key(self, event: Key) -> None:
        """A character no key is bound to starts the filter: names are mostly Cyrillic, the keys Latin (/ then
        types any)."""
        filter_input = self.query_one("#entity-filter", Input)
        bound = event.key in self.active_bindings  # (handlers see a key before bindings do)
        if self.focused is not filter_input and not bound and event.is_printable and event.character:
            type_into(filter_input, event)

    def action_find(self) -> None:
        self.query_one("#entity-filter", Input).focus()

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._show_status()
        self._select(keep=self.table.key)

    def action_toggle_type(self, kind: str) -> None:
        self.types = self.types ^ {kind}
        self._show_status()
        self._select(keep=self.table.key)

    def action_clear_marks(self) -> None:
        self.table.marked.clear()
        self.table.refresh_rows()
        self._show_status()

    @on(EntityTable.MarksChanged)
    def _marks_changed(self) -> None:
        self._show_status()

    def action_filter(self, every: bool) -> None:
        keys = tuple(self.table.marked) or ((self.table.key,) if self.table.key else ())
        if keys:
            self.dismiss(FilterByEntities(keys, every))

    @on(VirtualList.Selected, "EntityTable")
    def _open_entity(self, message: VirtualList.Selected) -> None:
        """The entity's panel over the browser: closing it comes back here, choosing in it closes both."""
        message.stop()
        if self.table.key is not None:
            self.app.push_screen(EntityPanel(self._store, self.table.key, self._updated), self._panel_closed)

    def _panel_closed(self, result: FilterByEntity | OpenArticle | None) -> None:
        if result is not None:
            self.dismiss(result)

    @on(VirtualList.Selected, "CoOccurrenceList")
    def _jump_to_shared(self, message: VirtualList.Selected) -> None:
        """The articles naming both the entity under the table's cursor and the one chosen here."""
        message.stop()
        found = self.query_one(CoOccurrenceList).found
        if found is not None and message.index < len(found.counts):
            self.dismiss(FilterByEntities((found.key, found.counts[message.index][0]), every=True))

    def action_close(self) -> None:
        if self.focused is self.query_one("#entity-filter", Input):
            self.table.focus()
        else:
            self.dismiss(None)
