"""Keep the garbage collector off the key path of a process holding a whole archive."""

import ctypes
import gc
import time

FIRST_FREEZE = 1000  # long-lived objects held before the first freeze: a small archive needs none
GROWTH = 1.5  # later freezes: once the held count has grown by half since the last ...
MAX_UNFROZEN = 50_000  # ... or by this many, whichever is fewer: what a full collection walks stays bounded
LONGEST_WITHOUT_FULL = 10.0  # seconds a full collection waits for a pause in the keys, at most
NEVER = 1 << 30  # a full-collection threshold the interpreter never reaches


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

    Full collections are the owner's too (`take_full_collections`, then `collect` each second):
    the cyclic garbage the app makes (Textual's rendered lines, analysis results on their way
    to the store) outlives the young collections, and the interpreter collected it in one full
    collection every few seconds, 25-70 ms each with 10^4 objects to free, whenever a key came.
    Collected each second, when the user is not waiting for a frame (no key pressed just before,
    no opened article waiting for its highlights), a full collection frees a second's worth; only
    what is not frozen is walked.

    The freeze and the thresholds are the interpreter's, not this object's, so one app owns one
    policy and calls `close` as it ends: the frozen objects go back to the collector, the
    thresholds are restored, and an app started next in the same process (tests run many) does
    not inherit a heap out of its sight.
    """

    def __init__(self) -> None:
        self._closed = False
        self._frozen_at = 0  # what was held at the last freeze
        self._whole_at: int | None = None  # ... and at the last freeze of a whole archive
        self.freezes = 0
        self._thresholds: tuple[int, int, int] | None = None  # the interpreter's, while full collections are ours
        self._last_full = time.monotonic()

    def take_full_collections(self) -> None:
        """From now on full collections run only in `collect` (or `settle`): the interpreter's own never start."""
        if self._closed or self._thresholds is not None:
            return
        self._thresholds = gc.get_threshold()
        young, middle, _ = self._thresholds
        gc.set_threshold(young, middle, NEVER)

    def collect(self, resting: bool) -> None:
        """A full collection, called each second. It waits while the user waits for something (a key's frame, the
        open article's highlights), LONGEST_WITHOUT_FULL at most: it takes tens of milliseconds."""
        if self._closed or not (resting or time.monotonic() - self._last_full >= LONGEST_WITHOUT_FULL):
            return
        gc.collect()
        self._last_full = time.monotonic()

    def settle(self, held: int, whole: bool = False) -> bool:
        """`held` long-lived objects (articles) are in the app now; freeze if they have grown enough since the
        last freeze, or, with `whole`, if the archive is all in and anything was added since. Returns whether
        it froze.

        Why `whole`: the articles that came after the last freeze by growth (up to a third of them) and the
        lists of the whole archive made once it is in (its date orders) would otherwise stay in sight. A
        full collection walks each of their references, and those lead all over a heap of hundreds of
        megabytes: at 10^5 articles that was ~700 000 references and 60-90 ms a collection, against ~30 ms
        without them.

        Does nothing once closed: a call that comes late must not freeze the heap again."""
        if self._closed or held < FIRST_FREEZE:
            return False
        if whole and held == self._whole_at:  # nothing came since the archive was last whole
            return False
        if not whole and held < min(self._frozen_at * GROWTH, self._frozen_at + MAX_UNFROZEN):
            return False
        gc.collect()
        gc.freeze()
        self._last_full = time.monotonic()
        self._frozen_at = held
        if whole:
            self._whole_at = held
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
        """Hand every frozen object back to the collector (to its oldest generation), and its full collections."""
        self._closed = True
        gc.unfreeze()
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
