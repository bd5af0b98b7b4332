"""The newsreader App: app-wide keys and styles, the keymap, stop signals, the GC policy; the reading itself
happens on MainScreen, the App's default screen."""

import sys
from collections.abc import Mapping, Sequence

from textual import events
from textual.app import App
from textual.binding import Binding

from newsreader.ingest.load import DEFAULT_MAX_BYTES
from newsreader.runtime.heap import GcPolicy
from newsreader.runtime.processes import exit_code_for
from newsreader.store.corpus import Store
from newsreader.ui.commands import ReaderCommands
from newsreader.ui.controllers.keys import KeyClock, user_keymap
from newsreader.ui.controllers.loading import LoadOptions
from newsreader.ui.frame_timer import skip_to_the_next_slot
from newsreader.ui.screens.help import HelpScreen
from newsreader.ui.screens.main import READING_BINDINGS, MainScreen
from newsreader.ui.screens.warnings import WarningsScreen
from newsreader.ui.stopping import StopSignals
from newsreader.ui.typing_order import KeyHandled, KeysInOrder
from newsreader.userdata.state import ReadingState

SWITCH_SECONDS = 0.001  # how long a thread may hold the GIL while another waits for it (CPython's default: 5 ms)
APP_CSS = (
    "app",
    "screens/warnings",
    "screens/help",
    "widgets/virtual_list",
    "screens/entity_panel",
    "screens/line_prompt",
    "screens/note_editor",
    "screens/entity_browser",
)

skip_to_the_next_slot()  # a frame after a long frame comes at the next slot, not the one after


class NewsreaderApp(App):
    """Article list and reader side by side, the timeline below; loading and analysis run in the background."""

    CSS_PATH = [*(f"{name}.tcss" for name in APP_CSS), *MainScreen.CSS_PATH]  # see MainScreen.CSS_PATH
    TITLE = "newsreader"
    COMMANDS = App.COMMANDS | {ReaderCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit; the reading position is kept"),
        Binding("ctrl+c", "quit", "Quit", show=False, id="app.interrupt", tooltip="Quit (copies selected text)"),
        Binding("question_mark", "help", "Keys", id="app.help", tooltip="Every key that works here"),
        Binding("w", "warnings", "Warnings", show=False, id="app.warnings", tooltip="Skipped files, failed tasks"),
        *READING_BINDINGS,
    ]

    def __init__(
        self,
        paths: Sequence[str],
        max_bytes: int = DEFAULT_MAX_BYTES,
        enrich: bool = True,
        workers: int | None = None,
        columns: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.store = Store()
        self.keys = KeyClock()
        self._keys_in_order = KeysInOrder(self, self._hand_out)
        self.gc_policy = GcPolicy()
        self._main: MainScreen | None = None
        self._options = LoadOptions(paths, max_bytes, enrich, workers, columns=columns)
        self._stop_signals = StopSignals(lambda signum: self.call_later(self._stop_by_signal, signum))
        self._switch_interval = sys.getswitchinterval()
        keymap, self.load_warnings = user_keymap()  # its warnings come first: the state's and the files' follow
        self.set_keymap(keymap)

    def get_default_screen(self) -> MainScreen:
        """Made as the app starts, which is when the reading state is opened (not when the App is made)."""
        state = ReadingState()
        self._main = MainScreen(self.store, state, self.load_warnings, self.keys, self.gc_policy, self._options)
        return self._main

    @property
    def main(self) -> MainScreen:
        """The screen the reading happens on, under any screen pushed over it."""
        assert self._main is not None, "the app has not started"
        return self._main

    def on_mount(self) -> None:
        """Why the switch interval: the analysis dispatcher and the process pool's threads hand the open article
        to a worker and its result back in short steps, and each step waited up to 5 ms for the GIL while the
        UI thread drew the article (4 steps: 8-15 ms of its wait for its highlights). A key's handler waits
        as long for a thread loading files; neither holds the GIL much longer with 1 ms."""
        self._stop_signals.install(owns_process=not self.is_headless)
        sys.setswitchinterval(SWITCH_SECONDS)

    async def on_event(self, event: events.Event) -> None:
        """Note when the user last pressed a key: background refreshes wait for a pause in typing. Keep the keys
        of a burst in order when one of them opens a text field (see typing_order)."""
        if isinstance(event, events.Key):
            if not event.is_forwarded:
                self.keys.pressed()
                await self._keys_in_order.arrived(event)
                return
            if self._keys_in_order.came_back(event):
                return
        await super().on_event(event)

    async def _hand_out(self, key: events.Key) -> None:
        await super().on_event(key)

    async def on_key_handled(self, message: KeyHandled) -> None:
        await self._keys_in_order.handled(message)

    async def action_quit(self) -> None:
        self.main.reading.remember_position()
        await super().action_quit()

    def _stop_by_signal(self, signum: int) -> None:
        """Quit as q does, so the reading position is saved and the workers stop; exit with the shell's code."""
        self.main.reading.remember_position()
        self.exit(return_code=exit_code_for(signum))

    def action_help(self) -> None:
        focused = self.focused
        where = (focused.border_title or type(focused).__name__) if focused else "newsreader"
        self.push_screen(HelpScreen(self.active_bindings, str(where)))

    def action_warnings(self) -> None:
        self.push_screen(WarningsScreen(self.load_warnings))

    def on_unmount(self) -> None:
        self._stop_signals.restore()
        self.main.stop_background()
        self.gc_policy.close()  # unfreeze: the heap is not frozen for whatever runs in this process next
        sys.setswitchinterval(self._switch_interval)
