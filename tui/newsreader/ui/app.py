"""The newsreader App: app-wide keys and styles, the keymap, stop signals and the GC policy.

The reading itself happens on MainScreen, which the App pushes once it is running.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.app import App
from textual.binding import Binding

from newsreader.ingest.load import DEFAULT_MAX_BYTES, LoadWarning
from newsreader.runtime.heap import GcPolicy
from newsreader.runtime.processes import exit_code_for
from newsreader.store.corpus import Store
from newsreader.ui.binding_ids import declared_binding_ids
from newsreader.ui.commands import ReaderCommands
from newsreader.ui.controllers.keys import KeyClock
from newsreader.ui.controllers.loading import LoadOptions
from newsreader.ui.screens.help import HelpScreen
from newsreader.ui.screens.main import MainScreen
from newsreader.ui.screens.warnings import WarningsScreen
from newsreader.ui.stopping import StopSignals
from newsreader.userdata.keymap import keymap_path, load_keymap
from newsreader.userdata.state import ReadingState


class NewsreaderApp(App):
    """Article list and reader side by side, the timeline below; loading and analysis run in the background."""

    CSS_PATH = ["app.tcss", "screens/warnings.tcss", "screens/help.tcss", "widgets/virtual_list.tcss",
                "screens/entity_panel.tcss", *MainScreen.CSS_PATH]
    TITLE = "newsreader"
    COMMANDS = App.COMMANDS | {ReaderCommands}
    # The reading keys act on the main screen (`screen.…`) but are declared here: the footer and help list them
    # after the focused pane's keys, in this order, and keymap.toml names them by these ids.
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Save the reading position and quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, id="app.interrupt"),  # copies instead where text is selected
        Binding("question_mark", "help", "Keys", id="app.help", tooltip="Every key of the focused pane"),
        Binding("w", "warnings", "Warnings", show=False, id="app.warnings", tooltip="Files and analysis problems"),
        Binding("n", "screen.next_unread", "Next unread", id="app.next_unread", tooltip="Open the next unread article"),
        Binding("p", "screen.previous_unread", "Prev unread", show=False, id="app.previous_unread"),
        Binding("N", "screen.toggle_read", "Read/unread", show=False, id="app.toggle_read"),
        Binding("A", "screen.mark_all_read", "All read", show=False, id="app.mark_all_read"),
        Binding("u", "screen.undo", "Undo", show=False, id="app.undo"),
        Binding("t", "screen.cycle_timeline_scope", "Timeline scope", show=False, id="app.timeline_scope"),
        Binding("escape", "screen.step_back", "Back", show=False, id="app.back"),
    ]

    def __init__(
        self, paths: Sequence[str], max_bytes: int = DEFAULT_MAX_BYTES, enrich: bool = True, workers: int | None = None
    ) -> None:
        super().__init__()
        self.store = Store()
        self.load_warnings: list[LoadWarning] = []
        self.keys = KeyClock()
        self.gc_policy = GcPolicy()
        self._main: MainScreen | None = None  # made when the app starts, when the reading state is opened
        self._options = LoadOptions(paths, max_bytes, enrich, workers)
        self._stop_signals = StopSignals(lambda signum: self.call_later(self._stop_by_signal, signum))
        # the ids are collected (importing and reading UI modules) only when there is a keymap to check
        keymap, problems = load_keymap(known_ids=declared_binding_ids() if keymap_path().exists() else None)
        self.set_keymap(keymap)
        self.load_warnings += [LoadWarning("keymap", problem) for problem in problems]

    def get_default_screen(self) -> MainScreen:
        self._main = MainScreen(self.store, ReadingState(), self.load_warnings, self.keys, self.gc_policy, self._options)
        return self._main

    @property
    def main(self) -> MainScreen:
        """The screen the reading happens on, under any screen pushed over it."""
        assert self._main is not None, "the app has not started"
        return self._main

    def on_mount(self) -> None:
        self._stop_signals.install(owns_process=not self.is_headless)

    async def on_event(self, event: events.Event) -> None:
        """Note when the user last pressed a key: background refreshes wait for a pause in typing."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            self.keys.pressed()
        await super().on_event(event)

    async def action_quit(self) -> None:
        self.main.reading.remember_position()
        await super().action_quit()

    def _stop_by_signal(self, signum: int) -> None:
        """Quit as q does, so the reading position is saved and the workers stop; exit with the shell's code."""
        self.main.reading.remember_position()
        self.exit(return_code=exit_code_for(signum))

    def action_search(self, scope: str) -> None:
        """The reader's / binding names `app.search`: the main screen opens its search bar."""
        self.main.searching.open_bar(scope)

    def action_help(self) -> None:
        focused = self.focused
        where = (focused.border_title or type(focused).__name__) if focused else "newsreader"
        self.push_screen(HelpScreen(self.active_bindings, str(where)))

    def action_warnings(self) -> None:
        self.push_screen(WarningsScreen(self.load_warnings))

    def on_unmount(self) -> None:
        self._stop_signals.restore()
        self.main.stop_background()
