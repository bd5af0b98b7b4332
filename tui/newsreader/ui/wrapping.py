"""Word wrapping by offsets: which slice of the text each screen line shows.

The reader wraps an article once per width and keeps only (start, end) pairs, so
restyling (highlights, search matches) never re-wraps, and an offset maps to its
line by bisection.
"""

import re

from rich.cells import cell_len

_WORD = re.compile(r"\S+\s*")


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """(start, end) of each screen line of `text` at `width` cells; paragraphs break at newlines."""
    width = max(width, 1)
    lines: list[tuple[int, int]] = []
    position = 0
    for paragraph in text.split("\n"):
        end = position + len(paragraph)
        if not paragraph:
            lines.append((position, position))
        else:
            lines += _wrap_paragraph(text, position, end, width)
        position = end + 1
    return lines


def _wrap_paragraph(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    lines, line_start, used = [], start, 0
    for word in _WORD.finditer(text, start, end):
        cells = cell_len(word.group().rstrip())
        if used and used + cells > width:
            lines.append((line_start, word.start()))
            line_start, used = word.start(), 0
        while cells > width:  # a word longer than the line is folded
            cut = _fold_point(text, line_start, word.end(), width)
            lines.append((line_start, cut))
            line_start, cells = cut, cell_len(text[cut:word.end()].rstrip())
        used += cell_len(word.group())
    lines.append((line_start, end))
    return lines


def _fold_point(text: str, start: int, end: int, width: int) -> int:
    used = 0
    for index in range(start, end):
        used += cell_len(text[index])
        if used > width:
            return max(index, start + 1)
    return end
