"""A late tick of a Textual interval is followed by the next tick due, not the one after it.

Textual draws a screen from an interval timer (60 a second). When a tick comes late (a frame that
took longer than its slot, or one started between slots by a refresh), Textual 8's `Timer._run`
skips to the second slot after now instead of the first: `count = int(elapsed / interval + 1)`,
then waits for slot `count + 1`. So the frame after any long frame waits 17-33 ms instead of 0-17.
An opened article is drawn plain in one long frame (the list jumps and the reader fills), and the
frame with its highlights came one slot late: 8 ms on average, 17 ms at worst (docs/benchmarks.md,
"Reading experience at 100k articles").

The fix is that one line. It is made to Textual's own source of the method, and only while that
line is there exactly once: a Textual that changed the method keeps its own.
"""

import inspect
import textwrap
from typing import Any

from textual import timer

LATE_SKIP = "count = int((now - start) / _interval + 1)"
NEXT_SLOT = "count = int((now - start) / _interval)"  # then slot count + 1, the first after now


def skip_to_the_next_slot() -> bool:
    """Fix `textual.timer.Timer._run` in place (once per process); returns whether the fix is in."""
    run = timer.Timer._run
    if getattr(run, "skips_to_the_next_slot", False):
        return True
    try:
        source = textwrap.dedent(inspect.getsource(run))
    except (OSError, TypeError):  # no source to read (a frozen build): Textual's stays
        return False
    if source.count(LATE_SKIP) != 1:
        return False
    made: dict[str, Any] = {}
    exec(compile(source.replace(LATE_SKIP, NEXT_SLOT), inspect.getfile(run), "exec"), vars(timer), made)  # noqa: S102
    fixed = made[run.__name__]
    fixed.skips_to_the_next_slot = True
    fixed.__qualname__ = run.__qualname__
    timer.Timer._run = fixed  # type: ignore[method-assign]
    return True
