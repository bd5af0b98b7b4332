"""A Textual interval that ticks late ticks next at the first slot due, not the one after (ui/frame_timer.py)."""

import asyncio

import pytest
from textual import _time, timer
from textual.app import App

from newsreader.ui.frame_timer import skip_to_the_next_slot


class Target:
    """What a timer ticks for (it holds it weakly)."""


async def slots_after_a_late_tick(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """When a 1-second interval ticks, on a clock only its own sleeps move; its first tick takes 1.5 s."""
    clock = [0.0]

    async def sleep(seconds: float) -> None:
        clock[0] += seconds
        await asyncio.sleep(0)

    monkeypatch.setattr(_time, "get_time", lambda: clock[0])
    monkeypatch.setattr(timer, "sleep", sleep)
    ticks: list[float] = []

    async def tick(*, next_timer: float, count: int) -> None:
        ticks.append(clock[0])
        if len(ticks) == 1:
            clock[0] += 1.5  # a frame longer than its slot
        if len(ticks) == 3:
            raise timer.EventTargetGone  # how a timer's loop ends

    target = Target()
    interval = timer.Timer(target, 1.0)
    monkeypatch.setattr(interval, "_tick", tick)
    await asyncio.wait_for(interval._run(), timeout=5)
    return ticks


async def test_after_a_tick_that_overran_its_slot_the_next_comes_at_the_next_slot(monkeypatch):
    assert skip_to_the_next_slot()
    # the first tick at 1 s ends at 2.5 s: the slot at 3 s is the next one due, then 4 s
    assert await slots_after_a_late_tick(monkeypatch) == [1.0, 3.0, 4.0]


async def test_the_fix_is_made_once_and_an_apps_intervals_still_tick_and_end():
    assert skip_to_the_next_slot()
    fixed = timer.Timer._run
    assert skip_to_the_next_slot()
    assert timer.Timer._run is fixed
    ticks: list[int] = []
    app = App()
    async with app.run_test():
        interval = app.set_interval(0.001, lambda: ticks.append(1), repeat=3)
        task = interval._task
        await asyncio.wait_for(task, timeout=5)
    assert ticks and task.done()  # how many: as many slots as came in time (skipped ones count)
