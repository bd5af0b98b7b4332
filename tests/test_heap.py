"""The heap is settled: it is frozen out of the collector's sight only as the archive held grows by a factor,
garbage in cycles is collected before, and the owner hands the frozen heap back when it closes the policy."""

import gc
import math
import weakref

from newsreader.runtime.heap import FIRST_FREEZE, GROWTH, GcPolicy


class Node:
    me: "Node | None" = None


def is_tracked(target: object) -> bool:
    """Frozen objects are no longer the collector's."""
    return any(obj is target for obj in gc.get_objects())


def cycle() -> tuple[Node, weakref.ref]:
    node = Node()
    node.me = node  # a cycle: only the collector can free it
    return node, weakref.ref(node)


def test_a_grown_archive_is_frozen_after_its_garbage_is_collected():
    policy = GcPolicy()
    try:
        garbage, gone = cycle()
        kept = Node()
        del garbage
        assert policy.settle(FIRST_FREEZE)
        assert gone() is None
        assert gc.get_freeze_count() > 0
        assert not is_tracked(kept)
    finally:
        policy.close()


def test_what_is_alive_at_a_settle_without_growth_is_collected_once_it_is_garbage():
    """A rendered line lives a few frames, in a cycle: settling while it lives must not trap it for good
    (freezing at every settle leaked ~125 MiB of them while 10^5 articles loaded)."""
    policy = GcPolicy()
    try:
        policy.settle(FIRST_FREEZE)
        rendered, gone = cycle()
        for _ in range(5):  # batches that bring few articles, and late calls
            assert not policy.settle(FIRST_FREEZE + 10)
        assert is_tracked(rendered)
        del rendered
        gc.collect()
        assert gone() is None
    finally:
        policy.close()


def test_an_archive_arriving_in_many_batches_is_frozen_a_logarithmic_number_of_times():
    policy = GcPolicy()
    try:
        for held in range(0, 1_000_001, 2000):  # a million articles in batches of 2000
            policy.settle(held)
        # 1000 -> 10^6 by factors of GROWTH, and one at the start
        assert policy.freezes <= 2 + int(math.log(1000, GROWTH))
    finally:
        policy.close()


def test_close_hands_the_frozen_heap_back_and_later_settles_do_nothing():
    policy = GcPolicy()
    kept = Node()
    policy.settle(FIRST_FREEZE)
    policy.close()
    assert gc.get_freeze_count() == 0
    assert is_tracked(kept)
    assert not policy.settle(10 * FIRST_FREEZE)  # a call that came after the app ended
    assert gc.get_freeze_count() == 0
