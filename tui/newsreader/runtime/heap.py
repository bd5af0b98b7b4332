"""Keep the garbage collector off the key path of a process holding a whole archive.

CPython's full collections walk every tracked object. With 10^5 articles in the store
that is hundreds of milliseconds, several times a minute, and any key pressed then waits.
The store's objects live as long as the app, so after each batch of them arrives the
young garbage is collected once (cheap: only objects made since the last call are walked)
and everything left is frozen, out of the collector's sight for good. The price: a
screen that was open at a freeze and closed later is not reclaimed, a few kilobytes a time.
"""

import gc


def settle() -> None:
    """Collect the young garbage, then freeze the survivors: later collections skip them.

    Only the two young generations are collected: everything older was frozen by the last call.
    """
    gc.collect(1)
    gc.freeze()


class GcPolicy:
    """The app's one garbage-collection policy: `settle` after each batch of long-lived objects."""

    def settle(self) -> None:
        settle()
