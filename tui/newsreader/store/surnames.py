"""Bare surnames joined to full names, kept up to date as entity keys come and go.

`PER:песков` counts for `PER:дмитрий песков` when that is the one full name in the archive ending with it. Made
again from every key, that join takes seconds at 10^6 keys; kept here, a key appearing or disappearing costs
O(1), on the thread that adds analysis.
"""

from __future__ import annotations


class SurnameAliases:
    """Bare-surname PER key -> the one live full PER key ending with that surname."""

    def __init__(self) -> None:
        self._full: dict[str, set[str]] = {}  # surname -> the live full PER keys ending with it
        self._bare: set[str] = set()  # surnames named bare by a live key
        self.targets: dict[str, str] = {}  # bare-surname key -> its full name's key
        self.alias_of: dict[str, str] = {}  # full name's key -> the bare-surname key joined to it

    def appeared(self, key: str) -> None:
        """Some article names `key` now, none did before."""
        self._change(key, appeared=True)

    def gone(self, key: str) -> None:
        """No article names `key` any more."""
        self._change(key, appeared=False)

    def _change(self, key: str, appeared: bool) -> None:
        kind, _, name = key.partition(":")
        if kind != "PER":
            return
        words = name.split()
        if len(words) >= 2:
            full = self._full.setdefault(words[-1], set())
            if appeared:
                full.add(key)
            else:
                full.discard(key)
            self._join(words[-1])
        if " " not in name:
            if appeared:
                self._bare.add(name)
            else:
                self._bare.discard(name)
            self._join(name)

    def _join(self, surname: str) -> None:
        """Join the bare `surname` to its full name if exactly one is live, else to none."""
        bare = f"PER:{surname}"
        old = self.targets.pop(bare, None)
        if old is not None:
            del self.alias_of[old]
        full = self._full.get(surname, ())
        if surname in self._bare and len(full) == 1:
            target = next(iter(full))
            self.targets[bare] = target
            self.alias_of[target] = bare
        if not full:
            self._full.pop(surname, None)
