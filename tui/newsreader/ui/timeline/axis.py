"""The timeline's calendar and text layout: days to buckets, labels, bars as text. No Textual, no numpy.

Buckets are numbered absolutely per zoom (a day's ordinal, a week's number since
0001-01-01, year*12+month-1, the year), so a date keeps its bucket whatever the data.
"""

from __future__ import annotations

import datetime

ZOOMS = ("day", "week", "month", "year")


_BLOCKS = " ▁▂▃▄▅▆▇█"


# Label every `stride` buckets; the first stride whose labels fit is used. Multiples of 12 months show the year only.
_STRIDES = {
    "day": (1, 2, 7, 14, 28, 91, 182, 364, 728, 1820),
    "week": (1, 2, 4, 8, 13, 26, 52, 104, 260, 520),
    "month": (1, 2, 3, 6, 12, 24, 60, 120, 240, 600),
    "year": (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000),
}


def zoom_in(zoom: str) -> str:
    return ZOOMS[max(ZOOMS.index(zoom) - 1, 0)]


def zoom_out(zoom: str) -> str:
    return ZOOMS[min(ZOOMS.index(zoom) + 1, len(ZOOMS) - 1)]


def bucket_of(zoom: str, day: datetime.date) -> int:
    """The bucket holding `day`."""
    if zoom == "day":
        return day.toordinal()
    if zoom == "week":
        return (day.toordinal() - 1) // 7  # 0001-01-01 was a Monday
    if zoom == "month":
        return day.year * 12 + day.month - 1
    return day.year


def bucket_start(zoom: str, bucket: int) -> datetime.date:
    """The first day of `bucket`."""
    if zoom == "day":
        return datetime.date.fromordinal(bucket)
    if zoom == "week":
        return datetime.date.fromordinal(bucket * 7 + 1)
    if zoom == "month":
        return datetime.date(bucket // 12, bucket % 12 + 1, 1)
    return datetime.date(bucket, 1, 1)


def bucket_end(zoom: str, bucket: int) -> datetime.date:
    """The last day of `bucket`; a hostile "9999" must not step past the calendar."""
    try:
        return bucket_start(zoom, bucket + 1) - datetime.timedelta(days=1)
    except (ValueError, OverflowError):
        return datetime.date.max


def clamp_day(zoom: str, bucket: int, day: datetime.date | None) -> datetime.date:
    """`day` if it lies in `bucket`, else the bucket's nearer edge; its first day when there is no `day`."""
    first = bucket_start(zoom, bucket)
    return first if day is None else min(max(day, first), bucket_end(zoom, bucket))


def bucket_name(zoom: str, bucket: int) -> str:
    """A bucket as people write it: 2025-03-10, 2025-W11, 2025-03, 2025."""
    start = bucket_start(zoom, bucket)
    if zoom == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return {"day": start.isoformat(), "month": start.isoformat()[:7], "year": str(start.year)}[zoom]


def axis_label(zoom: str, bucket: int, stride: int) -> str:
    """The axis label at `bucket`: a whole date at day and week zoom, a month or a year above."""
    start = bucket_start(zoom, bucket)
    if zoom in ("day", "week"):
        return start.isoformat()
    if zoom == "month" and stride % 12:
        return start.isoformat()[:7]
    return str(start.year)


def label_stride(zoom: str, cell_width: int) -> int:
    """The smallest stride whose labels, one cell of space after each, never touch."""
    for stride in _STRIDES[zoom]:
        if stride * cell_width >= _label_width(zoom, stride) + 1:
            return stride
    return _STRIDES[zoom][-1]


def _label_width(zoom: str, stride: int) -> int:
    """Cells taken by `axis_label`; `date` years never exceed four digits."""
    if zoom in ("day", "week"):
        return len("2025-03-10")
    return len("2025-03") if zoom == "month" and stride % 12 else len("2025")


def axis_labels(zoom: str, first: int, count: int, cell_width: int) -> list[tuple[int, str]]:
    """(column, label) for the `count` buckets shown from bucket `first`, none cut at the right edge."""
    stride = label_stride(zoom, cell_width)
    width = count * cell_width
    phase = 1 if zoom == "day" else 0  # day ordinal 1 was a Monday: weekly labels fall on Mondays
    labelled = range(first + (phase - first) % stride, first + count, stride)
    placed = [((bucket - first) * cell_width, axis_label(zoom, bucket, stride)) for bucket in labelled]
    return [(column, label) for column, label in placed if column + len(label) <= width]


def follow(view_start: int, cursor: int, visible: int) -> int:
    """The first bucket to show so `cursor` is on screen: unchanged while it is, centred once it strays near an edge."""
    margin = min(2, visible // 4)
    return view_start if view_start + margin <= cursor < view_start + visible - margin else cursor - visible // 2


def bar_text(level: int, row: int, rows: int) -> str:
    """The block for a bar `level` eighths tall in `row` (0 at the top) of a strip `rows` high."""
    return _BLOCKS[min(max(level - (rows - 1 - row) * 8, 0), 8)]


def bar_row(levels: list[int], row: int, rows: int, cell_width: int, cursor: int | None) -> tuple[str, str, str]:
    """One row of bars, split into the text before the cursor's bucket, the bucket's own, and after it."""
    bar_width = cell_width - 1 if cell_width >= 3 else cell_width  # wide buckets keep a gap so bars read apart
    cells = [bar_text(level, row, rows) * bar_width + " " * (cell_width - bar_width) for level in levels]
    if cursor is None:
        return "".join(cells), "", ""
    return "".join(cells[:cursor]), cells[cursor], "".join(cells[cursor + 1 :])


def axis_text(zoom: str, first: int, count: int, cell_width: int) -> str:
    """The row of labels under `count` buckets from `first`."""
    axis = [" "] * (count * cell_width)
    for column, label in axis_labels(zoom, first, count, cell_width):
        axis[column : column + len(label)] = label
    return "".join(axis)
