"""When the user last pressed a key: background work gives way to typing."""

import time


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
