"""razdel's tokens of a text of any size, found piece by piece, kept as two arrays of offsets.

razdel builds an object per atom of the whole text and joins a token's atoms by string
concatenation, so a 10 MB text costs gigabytes, and one long run without spaces ("----",
"1.1.1.1") takes quadratic time. Here the text is cut into pieces of about
`PIECE_CHARS` at a space between two letters or digits: razdel decides a token bound
from the atoms beside it, and an atom of letters or digits next to a space never joins
across it, so the tokens are exactly razdel's. A run of more than `MAX_TOKEN_CHARS`
non-space characters is not language; it becomes tokens of `MAX_TOKEN_CHARS` each.
"""

import re
from array import array
from collections.abc import Iterator

from razdel.segmenters.punct import DASHES, ENDINGS
from razdel.segmenters.tokenize import ATOM, INT, LAT, OTHER, PUNCT, RU, SMILE
from razdel.substring import Substring

PIECE_CHARS = 16_000
MAX_TOKEN_CHARS = 1_000
CUT_WINDOW = 2 * MAX_TOKEN_CHARS  # how far past PIECE_CHARS a cut is looked for

SAFE_CUT = re.compile(r"(?<=[^\W_])\s+(?=[^\W_])")  # a space between a letter/digit and a letter/digit
ANY_SPACE = re.compile(r"\s")
Atom = tuple[int, int, str]  # start, stop, razdel's atom type
LONG_RUN = re.compile(rf"(?<!\S)\S{{{MAX_TOKEN_CHARS + 1},}}")


class Tokens:
    """The tokens of `text`: token `i` is `text[starts[i]:stops[i]]`; 16 bytes a token."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = array("q")
        self.stops = array("q")
        for start, stop in _token_bounds(text):
            self.starts.append(start)
            self.stops.append(stop)

    def __len__(self) -> int:
        return len(self.starts)

    def word(self, index: int) -> str:
        return self.text[self.starts[index] : self.stops[index]]

    def words(self, first: int, last: int) -> list[str]:
        """The texts of tokens first..last-1."""
        text, starts, stops = self.text, self.starts, self.stops
        return [text[starts[i] : stops[i]] for i in range(first, last)]

    def substrings(self, first: int, last: int) -> list[Substring]:
        return [Substring(self.starts[i], self.stops[i], self.word(i)) for i in range(first, last)]


def _token_bounds(text: str) -> Iterator[tuple[int, int]]:
    for start, end in pieces(text):
        piece, position = text[start:end], 0
        for run in LONG_RUN.finditer(piece):  # a run cut off by the piece's start counts from there
            yield from _razdel_bounds(piece[position : run.start()], start + position)
            for cut in range(run.start(), run.end(), MAX_TOKEN_CHARS):
                yield start + cut, start + min(cut + MAX_TOKEN_CHARS, run.end())
            position = run.end()
        yield from _razdel_bounds(piece[position:], start + position)


def _razdel_bounds(text: str, offset: int) -> Iterator[tuple[int, int]]:
    """razdel.tokenize's token bounds (offset by `offset`): its atoms, joined where its rules join them, as
    razdel/segmenters/tokenize.py decides, but without three objects per atom (six times faster)."""
    atoms = [(match.start(), match.end(), match.lastgroup) for match in ATOM.finditer(text)]
    if not atoms:
        return
    start = atoms[0][0]
    for index in range(1, len(atoms)):
        if atoms[index][0] != atoms[index - 1][1] or not _joined(text, atoms, index, start):
            yield offset + start, offset + atoms[index - 1][1]
            start = atoms[index][0]
    yield offset + start, offset + atoms[-1][1]


def _joined(text: str, atoms: list[Atom], index: int, token_start: int) -> bool:
    """Whether razdel joins the adjacent atoms `index - 1` and `index`: any of its rules says so
    (dash, underscore, float, fraction, punct, other, yahoo); none of them ever says split."""
    left_atom, right_atom = atoms[index - 1], atoms[index]
    left, right = text[left_atom[0] : left_atom[1]], text[right_atom[0] : right_atom[1]]
    before = atoms[index - 2] if index > 1 else None
    after = atoms[index + 1] if index + 1 < len(atoms) else None
    for is_delimiter, joins in _RULES_2112:  # a delimiter atom, joined if the atoms on either side of it fit
        outer_left: Atom | None
        outer_right: Atom | None
        if is_delimiter(left):
            outer_left, outer_right = before, right_atom
        elif is_delimiter(right):
            outer_left, outer_right = left_atom, after
        else:
            continue
        if outer_left is not None and outer_right is not None and joins(outer_left[2], outer_right[2]):
            return True
    left_type, right_type = left_atom[2], right_atom[2]
    if left_type == PUNCT and right_type == PUNCT:
        if SMILE.match(text[token_start : left_atom[1]] + right) or (left in ENDINGS and right in ENDINGS):
            return True
        if left + right in ("--", "**"):
            return True
    if left_type == OTHER and right_type in (OTHER, RU, LAT) or left_type in (OTHER, RU, LAT) and right_type == OTHER:
        return True
    return left.lower() == "yahoo" and right == "!"


def _neither_punct(left: str, right: str) -> bool:
    return left != PUNCT and right != PUNCT


def _both_int(left: str, right: str) -> bool:
    return left == INT and right == INT


_RULES_2112 = (
    (DASHES.__contains__, _neither_punct),
    ("_".__eq__, _neither_punct),
    (".,".__contains__, _both_int),
    ("/\\".__contains__, _both_int),
)


def pieces(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of consecutive pieces of about PIECE_CHARS; a cut is at a safe space if one
    is near, else at any space, else anywhere (then inside a run longer than MAX_TOKEN_CHARS)."""
    start = 0
    while start < len(text):
        end = start + PIECE_CHARS
        if end + CUT_WINDOW >= len(text):
            cut = SAFE_CUT.search(text, end)
            end = cut.start() if cut else len(text)
        else:
            cut = SAFE_CUT.search(text, end, end + CUT_WINDOW) or ANY_SPACE.search(text, end, end + CUT_WINDOW)
            end = cut.start() if cut else end
        yield start, end
        start = end
