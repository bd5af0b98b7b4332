"""Keep the garbage collector off the key path of a process holding a whole archive."""

import gc


class GcPolicy:
    """Collect the young garbage, then freeze what survives: later collections never walk it again.

    Why freeze: CPython's full collections walk every tracked object. With 10^5 articles in
    the store that is hundreds of milliseconds, several times a minute, and any key pressed
    then waits. The store's objects live as long as the app, so after each batch of them
    arrives (and by interval) the owner calls `settle`: the young garbage is collected once
    (cheap: only objects made since the last call are walked) and everything left is frozen,
    out of the collector's sight. The price: a screen that was open at a freeze and closed
    later is not reclaimed, a few kilobytes a time.

    The freeze is the interpreter's, not this object's, so one app owns one policy and calls
    `close` as it ends: the frozen objects go back to the collector, and an app started
    next in the same process (tests run many) does not inherit a heap out of its sight.
    """

    def __init__(self) -> None:
        self._closed = False

    def settle(self) -> None:
        """Collect the two young generations (everything older was frozen by the last call), freeze the rest.

        Does nothing once closed: a timer that fires late must not freeze the heap again."""
        if self._closed:
            return
        gc.collect(1)
        gc.freeze()

    def close(self) -> None:
        """Hand every frozen object back to the collector (to its oldest generation)."""
        self._closed = True
        gc.unfreeze()
