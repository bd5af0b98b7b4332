"""The heap is settled: garbage is collected before the survivors are frozen out of the collector's sight,
and the owner hands them back when it closes the policy."""

import gc
import weakref

from newsreader.runtime.heap import GcPolicy


class Node:
    me: "Node | None" = None


def is_tracked(target: object) -> bool:
    """Frozen objects are no longer the collector's."""
    return any(obj is target for obj in gc.get_objects())


def test_settle_collects_cycles_and_freezes_the_rest():
    policy = GcPolicy()
    garbage, kept = Node(), Node()
    garbage.me = garbage  # a cycle: only the collector can free it
    gone = weakref.ref(garbage)
    del garbage
    frozen_before = gc.get_freeze_count()
    policy.settle()
    assert gone() is None
    assert gc.get_freeze_count() > frozen_before
    assert not is_tracked(kept)


def test_close_hands_the_frozen_heap_back_and_later_settles_do_nothing():
    policy = GcPolicy()
    kept = Node()
    policy.settle()
    policy.close()
    assert gc.get_freeze_count() == 0
    assert is_tracked(kept)
    policy.settle()  # a timer that fired after the app ended
    assert gc.get_freeze_count() == 0
