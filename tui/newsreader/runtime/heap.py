"""Keep the garbage collector off the key path of a process holding a whole archive."""

import ctypes
import gc

FIRST_FREEZE = 1000  # long-lived objects held before the first freeze: a small archive needs none
GROWTH = 1.5  # later freezes: once the held count has grown by half since the last ...
MAX_UNFROZEN = 50_000  # ... or by this many, whichever is fewer: what a full collection walks stays bounded


def _find_malloc_trim():
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


_malloc_trim = _find_malloc_trim()


class GcPolicy:
    """Freeze the heap out of the collector's sight, but only as the archive held grows by a factor.

    Why freeze: CPython's full collections walk every tracked object. With 10^5 articles in
    the store that is hundreds of milliseconds, several times a minute, and any key pressed
    then waits. The store's objects live as long as the app, so after a batch of them arrives
    the owner calls `settle` with how many it holds: when that has grown by GROWTH since the
    last freeze, the heap is collected in full (garbage in cycles is never frozen) and what is
    left is frozen. Later collections walk only what was made since.

    Why only then: whatever else is alive at a freeze is frozen with the store and is never
    reclaimed, even once it becomes garbage: Textual's rendered lines and its line caches are
    in reference cycles and live a few frames. Freezing every second (as this policy once did)
    trapped ~125 MiB of them while 10^5 articles loaded. Freezing on growth by a factor freezes
    O(log n) times while n articles arrive (and every MAX_UNFROZEN past 10^5, so a full collection
    between two freezes never walks more than that many articles' objects), so what freezes trap
    stays a few screens' worth.

    The freeze is the interpreter's, not this object's, so one app owns one policy and calls
    `close` as it ends: the frozen objects go back to the collector, and an app started
    next in the same process (tests run many) does not inherit a heap out of its sight.
    """

    def __init__(self) -> None:
        self._closed = False
        self._frozen_at = 0  # what was held at the last freeze
        self.freezes = 0

    def settle(self, held: int) -> bool:
        """`held` long-lived objects (articles) are in the app now; freeze if they have grown enough since the
        last freeze. Returns whether it froze.

        Does nothing once closed: a call that comes late must not freeze the heap again."""
        if self._closed or held < max(FIRST_FREEZE, min(self._frozen_at * GROWTH, self._frozen_at + MAX_UNFROZEN)):
            return False
        gc.collect()
        gc.freeze()
        self._frozen_at = held
        self.freezes += 1
        return True

    def trim(self) -> None:
        """Give what malloc holds free back to the system (glibc's `malloc_trim`; elsewhere nothing).

        Analysis reads every article's text again and builds its result, and all of it is freed, but among
        what stays: glibc keeps the holes. At 10^5 articles that was 20-30 MiB of the app's RSS (and it takes
        under a millisecond); the owner calls this when the analysis has finished."""
        if _malloc_trim is not None:
            _malloc_trim(0)

    def close(self) -> None:
        """Hand every frozen object back to the collector (to its oldest generation)."""
        self._closed = True
        gc.unfreeze()
