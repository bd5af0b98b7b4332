"""The heap is settled: it is frozen out of the collector's sight only as the archive held grows by a factor,
garbage in cycles is collected before, and the owner hands the frozen heap back when it closes the policy."""

import gc
import math
import weakref

import pytest

from newsreader.runtime import heap
from newsreader.runtime.heap import FIRST_FREEZE, GROWTH, MAX_UNFROZEN, GcPolicy


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


def test_an_archive_arriving_in_many_batches_is_frozen_a_few_times_and_never_left_unfrozen_long():
    policy = GcPolicy()
    try:
        frozen_at = 0
        for held in range(0, 1_000_001, 2000):  # a million articles in batches of 2000
            if policy.settle(held):
                frozen_at = held
            assert held - frozen_at <= max(FIRST_FREEZE, MAX_UNFROZEN, frozen_at * (GROWTH - 1)) + 2000
        # from 1000 by factors of GROWTH until a step would exceed MAX_UNFROZEN, then by MAX_UNFROZEN
        by_factor = math.ceil(math.log(MAX_UNFROZEN / (GROWTH - 1) / FIRST_FREEZE, GROWTH))
        assert policy.freezes <= 2 + by_factor + 1_000_000 // MAX_UNFROZEN
    finally:
        policy.close()


def test_a_whole_archive_is_frozen_whatever_it_grew_by_and_again_only_once_more_came():
    """Once the archive is all in, the articles since the last freeze and its date orders leave the collector's
    sight."""
    policy = GcPolicy()
    try:
        assert not policy.settle(FIRST_FREEZE - 1, whole=True)  # a small archive needs no freeze
        assert policy.settle(FIRST_FREEZE)
        late = Node()  # an article that came after the last freeze by growth, or the list of all of them
        assert not policy.settle(FIRST_FREEZE + 10)
        assert is_tracked(late)
        assert policy.settle(FIRST_FREEZE + 10, whole=True)
        assert not is_tracked(late)
        assert not policy.settle(FIRST_FREEZE + 10, whole=True)  # nothing came since
        assert policy.settle(FIRST_FREEZE + 11, whole=True)  # the check for changes found a new file
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


def resident_mib() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(heap._malloc_trim is None, reason="glibc's malloc_trim")
def test_trim_gives_the_holes_malloc_keeps_back_to_the_system():
    policy = GcPolicy()
    held = [bytes(16_000) for _ in range(4000)]  # 64 MB from malloc's heap, not Python's small-object allocator
    held = held[::8]  # the rest is freed: holes that malloc keeps
    before = resident_mib()
    policy.trim()
    assert resident_mib() < before - 20
    policy.close()
    policy.trim()  # also after close: it only hands memory back


def test_full_collections_are_the_policys_while_keys_are_pressed_they_wait_ten_seconds_at_most(monkeypatch):
    before = gc.get_threshold()
    policy = GcPolicy()
    policy.take_full_collections()
    try:
        assert gc.get_threshold()[2] == heap.NEVER  # the interpreter starts none by itself
        node, alive = cycle()
        gc.collect(1)  # alive: it moves to the oldest generation
        del node
        gc.collect(1)  # garbage now, but a young collection does not look there
        assert alive() is not None
        policy.collect(resting=False)
        assert alive() is not None, "a key was just pressed: the full collection waits"
        policy.collect(resting=True)
        assert alive() is None
        node, alive = cycle()
        gc.collect(1)
        del node
        clock = [heap.time.monotonic() + heap.LONGEST_WITHOUT_FULL]
        monkeypatch.setattr(heap.time, "monotonic", lambda: clock[0])
        policy.collect(resting=False)
        assert alive() is None, "keys pressed for ten seconds do not hold the collection back longer"
    finally:
        policy.close()
    assert gc.get_threshold() == before
