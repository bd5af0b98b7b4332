"""A full disk for the SQLite files a module opens, made with SQLite's own page limit.

The module's `open_or_rebuild` is wrapped to keep the connections it opens; `now()` then caps
each at its current size, so the next write that needs a page fails as on a full disk
(SQLITE_FULL). Nothing private is touched: the module is driven through its public API.
"""

import sqlite3
from types import ModuleType

import pytest


class FullDisk:
    def __init__(self, monkeypatch: pytest.MonkeyPatch, module: ModuleType) -> None:
        self.connections: list[sqlite3.Connection] = []
        real_open = module.open_or_rebuild

        def opening(*args, **kwargs) -> sqlite3.Connection:
            connection = real_open(*args, **kwargs)
            self.connections.append(connection)
            return connection

        monkeypatch.setattr(module, "open_or_rebuild", opening)

    def now(self) -> None:
        """From here on no file opened so far can grow."""
        assert self.connections, "nothing was opened"
        for connection in self.connections:
            pages = connection.execute("PRAGMA page_count").fetchone()[0]
            connection.execute(f"PRAGMA max_page_count = {pages}")
