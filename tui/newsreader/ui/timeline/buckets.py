"""Event counts per bucket, vectorised with numpy: a timeline meets up to 10^6 events.

Imported with the first events, not at start: numpy costs ~40 ms of the first paint.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np

from newsreader.ui.timeline.axis import bucket_end, bucket_of, bucket_start

MAX_SPAN_BUCKETS = 400  # an interval covers at most this many buckets, so a decade costs no more than a year


_EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()


def buckets_of(zoom: str, ordinals: np.ndarray) -> np.ndarray:
    """`bucket_of` for an array of day ordinals at once."""
    if zoom == "day":
        return ordinals
    if zoom == "week":
        return (ordinals - 1) // 7
    days = (ordinals - _EPOCH_ORDINAL).astype("datetime64[D]")
    if zoom == "month":
        return days.astype("datetime64[M]").astype(np.int64) + 1970 * 12
    return days.astype("datetime64[Y]").astype(np.int64) + 1970


@dataclass(frozen=True, eq=False)
class Buckets:
    """Event counts per bucket at one zoom, and each event's first and last bucket."""

    zoom: str
    origin: int  # the bucket at counts[0]
    counts: np.ndarray
    nonempty: np.ndarray  # buckets with a count, ascending
    firsts: np.ndarray  # per event
    lasts: np.ndarray  # per event, at most MAX_SPAN_BUCKETS after its first
    peak: int  # the largest count

    @classmethod
    def build(cls, zoom: str, first_days: np.ndarray, last_days: np.ndarray) -> Buckets:
        """Count with a difference array: an event adds one at its first bucket and takes it back after its last."""
        empty = np.zeros(0, np.int64)
        return cls(zoom, 0, empty, empty, empty, empty, 0).extend(first_days, last_days)

    def extend(self, first_days: np.ndarray, last_days: np.ndarray) -> Buckets:
        """These counts with more events added after the known ones; only the new events are counted."""
        firsts = buckets_of(self.zoom, np.asarray(first_days, np.int64))
        lasts = np.minimum(
            np.maximum(buckets_of(self.zoom, np.asarray(last_days, np.int64)), firsts), firsts + MAX_SPAN_BUCKETS - 1
        )
        if not len(firsts):
            return self
        origin = min(int(firsts.min()), self.origin if len(self.counts) else int(firsts.min()))
        size = max(int(lasts.max()) + 1, self.end) - origin + 1
        steps = np.bincount(firsts - origin, minlength=size) - np.bincount(lasts - origin + 1, minlength=size)
        counts = np.cumsum(steps[:-1])
        if len(self.counts):
            counts[self.origin - origin : self.end - origin] += self.counts
        return Buckets(
            self.zoom,
            origin,
            counts,
            np.flatnonzero(counts) + origin,
            np.concatenate((self.firsts, firsts)),
            np.concatenate((self.lasts, lasts)),
            int(counts.max()),
        )

    @property
    def end(self) -> int:
        """One past the last bucket."""
        return self.origin + len(self.counts)

    def bar_levels(self, first: int, count: int, rows: int) -> list[int]:
        """Heights in eighths of a row of `count` bars from bucket `first`; square-root scale so a quiet bucket
        stays visible beside a busy one."""
        peak = self.peak
        counts = self.counts[first - self.origin : first - self.origin + count]
        if peak <= 0:
            return [0] * len(counts)
        return np.ceil(np.sqrt(counts / peak) * (rows * 8)).astype(np.int64).tolist()

    def count(self, bucket: int) -> int:
        return int(self.counts[bucket - self.origin]) if self.origin <= bucket < self.end else 0

    def events_in(self, bucket: int, first_days: np.ndarray, last_days: np.ndarray) -> np.ndarray:
        """Indexes of the events overlapping `bucket`: those within it first, earliest first (by first day, then
        last day); then those reaching past it, the narrowest first. March 2019 opens on March's own events,
        not on the year's "в этом году"."""
        found = np.flatnonzero((self.firsts <= bucket) & (self.lasts >= bucket))
        firsts, lasts = first_days[found], last_days[found]
        reaching_past = (self.firsts[found] != bucket) | (self.lasts[found] != bucket)
        width = np.where(reaching_past, lasts - firsts, 0)
        return found[np.lexsort((lasts, firsts, width, reaching_past))]

    def next_nonempty(self, bucket: int) -> int | None:
        position = int(np.searchsorted(self.nonempty, bucket, side="right"))
        return int(self.nonempty[position]) if position < len(self.nonempty) else None

    def previous_nonempty(self, bucket: int) -> int | None:
        position = int(np.searchsorted(self.nonempty, bucket, side="left"))
        return int(self.nonempty[position - 1]) if position else None

    def jump(self, bucket: int, where: str) -> int | None:
        """The "previous", "next", "first" or "last" non-empty bucket, seen from `bucket`."""
        if where == "previous":
            return self.previous_nonempty(bucket)
        if where == "next":
            return self.next_nonempty(bucket)
        return int(self.nonempty[0 if where == "first" else -1]) if len(self.nonempty) else None

    def nearest_nonempty(self, bucket: int) -> int | None:
        """The non-empty bucket closest to `bucket`, the later one on a tie."""
        if self.count(bucket):
            return bucket
        candidates = [b for b in (self.previous_nonempty(bucket), self.next_nonempty(bucket)) if b is not None]
        return min(candidates, key=lambda b: (abs(b - bucket), -b), default=None)

    def first_nonempty_within(self, first: int, last: int) -> int | None:
        found = self.next_nonempty(first - 1)
        return found if found is not None and found <= last else None

    def landing(self, previous_zoom: str, day: datetime.date) -> int | None:
        """Where a cursor on `day` goes on zooming here from `previous_zoom`: the day's bucket if busy, else the
        first busy one inside the old bucket, else the nearest busy one; so zooming in and back out returns home."""
        here = bucket_of(self.zoom, day)
        if self.count(here):
            return here
        old = bucket_of(previous_zoom, day)
        edges = (bucket_start(previous_zoom, old), bucket_end(previous_zoom, old))
        first, last = (bucket_of(self.zoom, edge) for edge in edges)
        inside = self.first_nonempty_within(first, last)
        return inside if inside is not None else self.nearest_nonempty(here)

    def densest(self) -> int | None:
        """The busiest bucket, the latest on a tie: a sensible first place to look."""
        if not len(self.counts):
            return None
        return self.origin + len(self.counts) - 1 - int(np.argmax(self.counts[::-1]))
