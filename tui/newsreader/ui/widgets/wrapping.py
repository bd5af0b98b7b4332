"""Word wrapping by offsets: which slice of the text each screen line shows.

The reader keeps only (start, end) pairs, so restyling never re-wraps and an offset maps to its
line by bisection. `iter_lines` is lazy and each line costs about its own length, so the reader
takes the first screen at once and the rest in slices, and a 2 MB word costs no more than 2 MB of
ordinary words.

The rules: a newline ends a paragraph and belongs to no line (an empty paragraph is one empty
line). Lines break after a run of breaking spaces, which stays on the line it ends and may overflow
it (it is cropped). No-break spaces (U+00A0, U+2007, U+202F) hold their words together. A word
wider than the line is folded between graphemes. Every line fits the width, except a line holding
a single grapheme wider than the width. Tabs and other controls take no cell and never break (the
loader has expanded tabs and removed controls before the reader sees a text).
"""

import re
from collections.abc import Iterator

from rich.cells import cell_len, chop_cells, get_character_cell_size

# White space a line may break after: every Unicode space that takes a cell, except the no-break ones.
BREAKING_SPACES = " \u1680\u2000-\u2006\u2008-\u200a\u205f\u3000"
_BREAK = re.compile(f"[{BREAKING_SPACES}]")
_SPACES = re.compile(f"[{BREAKING_SPACES}]*")
# Characters one cell wide that are neither a breaking space other than " " nor part of a longer grapheme:
# Latin, Greek, Cyrillic, general punctuation, currency and letterlike signs. A line made of these is
# measured by counting, and found with one `rfind`.
SINGLE_CELL_RANGES = (
    "\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0482\u048a-\u052f\u2010-\u2027\u2030-\u205e\u20a0-\u20c0\u2100-\u214f"
)
_NOT_SINGLE_CELL = re.compile(f"[^{SINGLE_CELL_RANGES}]")
MAX_TRAILING_SPACES = 4096  # a longer run of spaces goes on to the next line, so no line costs more than this
_JOINER = "\u200d"


def iter_lines(text: str, width: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each screen line of `text` at `width` cells, computed as they are taken."""
    width = max(width, 1)
    start, size = 0, len(text)
    while True:
        end = text.find("\n", start)
        end = size if end < 0 else end
        if start == end:
            yield start, end
        while start < end:
            line_end = _line_end(text, start, end, width)
            yield start, line_end
            start = line_end
        if end == size:
            return
        start = end + 1


def _line_end(text: str, start: int, end: int, width: int) -> int:
    """Where the line that starts at `start` ends, in the paragraph that ends at `end`."""
    limit = start + width
    if _NOT_SINGLE_CELL.search(text, start, min(end, limit + 1)):
        return _measured_line_end(text, start, end, width)
    if end <= limit:
        return end
    space = text.rfind(" ", start, limit + 1)
    return limit if space < 0 else _spaces_end(text, space, end)


def _measured_line_end(text: str, start: int, end: int, width: int) -> int:
    """The same greedy rule for lines holding wide, zero-width or unusual characters: word by word, by cells."""
    used, position = 0, start
    while position < end:
        cells, word_end = _measure_word(text, position, end, width - used)
        if word_end < 0 or used + cells > width:
            if position > start:
                return position
            fold = _fold_end(text, start, end, width)
            if word_end < 0 or fold < word_end:
                return fold  # else the word is one grapheme wider than the line: it keeps its spaces
        position = _spaces_end(text, word_end, end)
        used += cells + cell_len(text[word_end:position])
    return end


def _measure_word(text: str, start: int, end: int, limit: int) -> tuple[int, int]:
    """Cells and end of the word at `start`; measured only until it exceeds `limit` cells, and then its end is -1."""
    cells, position = 0, start
    while True:
        stop = min(end, position + max(limit - cells, 0) + 1)
        space = _BREAK.search(text, position, stop)
        stop = space.start() if space else _grapheme_end(text, stop, end)
        cells += cell_len(text[position:stop])
        if space or stop >= end or _BREAK.match(text, stop):
            return cells, stop
        if cells > limit:
            return cells, -1
        position = stop


def _fold_end(text: str, start: int, end: int, width: int) -> int:
    """End of the first line of a word wider than the line: the graphemes that fit, at least one."""
    stop = start
    while True:
        stop = _grapheme_end(text, min(end, stop + width + 1), end)
        pieces = [piece for piece in chop_cells(text[start:stop], width) if piece]
        if len(pieces) > 1 or stop >= end:
            return start + len(pieces[0]) if pieces else stop


def _grapheme_end(text: str, position: int, end: int) -> int:
    """Move `position` past characters that join the grapheme before it (marks, joiners, selectors)."""
    while position < end and (text[position - 1] == _JOINER or not get_character_cell_size(text[position])):
        if _BREAK.match(text, position):
            break
        position += 1
    return position


def _spaces_end(text: str, start: int, end: int) -> int:
    spaces = _SPACES.match(text, start, min(end, start + MAX_TRAILING_SPACES))
    return spaces.end() if spaces else start
