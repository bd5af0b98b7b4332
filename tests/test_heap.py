"""The heap is settled: garbage is collected before the survivors are frozen out of the collector's sight."""

import gc
import weakref

from newsreader.runtime import heap


class Node:
    pass


def test_settle_collects_cycles_and_freezes_the_rest():
    garbage, kept = Node(), Node()
    garbage.me = garbage  # a cycle: only the collector can free it
    gone = weakref.ref(garbage)
    del garbage
    frozen_before = gc.get_freeze_count()
    heap.settle()
    assert gone() is None
    assert gc.get_freeze_count() > frozen_before
    assert not any(obj is kept for obj in gc.get_objects())  # frozen objects are no longer the collector's
