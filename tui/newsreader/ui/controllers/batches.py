"""When a loading thread hands its batch of rows to the UI.

Each batch costs the UI a pass over the whole list (the date order is re-sorted, the list view rebuilt): a few
dozen ns a row already listed. Batches of a fixed size would make storing 10^6 rows quadratic: 2,000-row batches
cost 500 such passes, 20 s of a dump's second start. So a batch is due when it holds an eighth of what is listed
(a few dozen passes in all, linear overall) or when it is old, and "old" also grows with the list, keeping the
UI's share of the work about constant while rows trickle in (a cold start's files).
"""

import time

BATCH_SIZE = 2000  # rows: a batch is never held back past this while the list is small
BATCH_SECONDS = 0.1  # ... nor past this
GROWTH_DIVISOR = 8  # a batch of listed / 8 rows is due at once
SECONDS_PER_LISTED_ROW = 1e-6  # a batch waits up to 1 s at 10^6 rows listed
MAX_BATCH_SECONDS = 1.0


class BatchPacer:
    """Says when a batch is due, from the rows listed so far (`listed`) and the time of the last one."""

    def __init__(self, listed: int = 0) -> None:
        self.listed = listed
        self._last = time.monotonic()

    def due(self, rows: int) -> bool:
        return rows >= max(BATCH_SIZE, self.listed // GROWTH_DIVISOR) or self.old()

    def old(self) -> bool:
        """Due for its age alone (a check for changes that finds nothing new still reports its progress)."""
        return time.monotonic() - self._last >= self.wait_seconds

    @property
    def wait_seconds(self) -> float:
        return min(MAX_BATCH_SECONDS, max(BATCH_SECONDS, self.listed * SECONDS_PER_LISTED_ROW))

    def posted(self, rows: int) -> None:
        self.listed += rows
        self._last = time.monotonic()
