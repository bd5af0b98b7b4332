"""The user's keys: the keymap they chose, and when they last pressed one (background work gives way to typing)."""

import time

from newsreader.ingest.load import LoadWarning
from newsreader.ui.binding_ids import declared_binding_ids
from newsreader.userdata.keymap import keymap_path, load_keymap


def user_keymap() -> tuple[dict[str, str], list[LoadWarning]]:
    """keymap.toml's bindings by id, and a warning for each entry that could not be used."""
    # the ids are collected (importing and reading UI modules) only when there is a keymap to check
    keymap, problems = load_keymap(known_ids=declared_binding_ids() if keymap_path().exists() else None)
    return keymap, [LoadWarning("keymap", problem) for problem in problems]


class KeyClock:
    """The App notes every key here; refreshes wait for a pause, and a restore does not take back a chosen article."""

    def __init__(self) -> None:
        self.last_key_at = 0.0

    def pressed(self) -> None:
        self.last_key_at = time.monotonic()

    def pressed_within(self, seconds: float) -> bool:
        return time.monotonic() - self.last_key_at < seconds

    @property
    def any_pressed(self) -> bool:
        return bool(self.last_key_at)
