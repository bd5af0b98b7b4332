"""Word wrapping by offsets: properties for any text and width, and the cases real articles hold."""

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len, chop_cells, get_character_cell_size

from newsreader.ui.widgets.wrapping import BREAKING_SPACES, SINGLE_CELL_RANGES, iter_lines

TRAILING_SPACES = re.compile(f"[{BREAKING_SPACES}]+$")
TOKEN = re.compile(f"[^{BREAKING_SPACES}]+[{BREAKING_SPACES}]*|[{BREAKING_SPACES}]+")

widths = st.integers(min_value=-3, max_value=90)
# What makes wrapping hard, drawn often: wide, zero-width and joining characters, no-break and wide
# spaces, tabs, newlines, plus anything at all.
HARD = list("ab я—\u00a0\u2007\u202f\t\n\u3000\u2003中👍\U0001f3fd\u0301\u200d\ufe0f❤\x00")
hard_texts = st.text(alphabet=st.sampled_from(HARD) | st.characters(), max_size=300)
# Characters whose cells add up however a line is cut (no joiners or emoji selectors): the wrap must
# then be exactly the greedy one a naive, quadratic wrapper computes.
additive_texts = st.text(alphabet=st.sampled_from(list("ab яё—\u00a0\t\n\u3000\u2003中\u0301")), max_size=200)


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    return list(iter_lines(text, width))


def greedy_wrap(text: str, width: int) -> list[tuple[int, int]]:
    """The rules of `wrapping`, the slow and obvious way: measure the whole line again for each word."""
    width, lines, position = max(width, 1), [], 0
    for paragraph in text.split("\n"):
        start, end = position, position + len(paragraph)
        line_start = start
        for token in TOKEN.finditer(text, start, end):
            word_end = token.start() + len(TRAILING_SPACES.sub("", token.group()))
            if line_start < token.start() and cell_len(text[line_start:word_end]) > width:
                lines.append((line_start, token.start()))
                line_start = token.start()
            while len(pieces := [piece for piece in chop_cells(text[line_start:word_end], width) if piece]) > 1:
                lines.append((line_start, line_start + len(pieces[0])))
                line_start += len(pieces[0])
        lines.append((line_start, end))
        position = end + 1
    return lines


@settings(max_examples=400)
@given(hard_texts, widths)
@example("", 10)
@example("\n\n", 1)
@example("中 x", 1)
@example("a\u200d b", 1)
def test_lines_cover_every_character_once_in_order(text, width):
    covered = 0
    for start, end in wrap_offsets(text, width):
        if start != covered:
            assert start == covered + 1 and text[covered] == "\n", "only a paragraph's newline between two lines"
        assert start <= end and "\n" not in text[start:end]
        if start == end:
            paragraph_starts = start == 0 or text[start - 1] == "\n"
            assert paragraph_starts and (end == len(text) or text[end] == "\n"), "empty only for an empty paragraph"
        covered = end
    assert covered == len(text)


@settings(max_examples=400)
@given(hard_texts, widths)
def test_each_line_fits_the_width_but_a_single_wider_grapheme(text, width):
    for start, end in wrap_offsets(text, width):
        shown = TRAILING_SPACES.sub("", text[start:end])
        one_grapheme = len([piece for piece in chop_cells(shown, max(width, 1)) if piece]) == 1
        assert cell_len(shown) <= max(width, 1) or one_grapheme, (shown, width)


@settings(max_examples=400)
@given(additive_texts, st.integers(min_value=1, max_value=40))
@example("abcdefgh ij", 5)
@example("   abcdefgh", 5)
@example("ab  \u3000cd", 3)
def test_the_wrap_is_the_greedy_one(text, width):
    assert wrap_offsets(text, width) == greedy_wrap(text, width)


def test_lines_are_computed_as_they_are_taken():
    text = "я" * 2_000_000 + " конец"
    lines = iter_lines(text, 80)
    assert [next(lines) for _ in range(3)] == [(0, 80), (80, 160), (160, 240)]


def show(text: str, width: int) -> list[str]:
    return [text[start:end] for start, end in wrap_offsets(text, width)]


def test_real_text_cases():
    no_break = "МИД\u00a0России "
    assert show(f"Глава {no_break}прибыл", 12) == ["Глава ", no_break, "прибыл"], "no break at a no-break space"
    assert show("30\u00a0июня — 1\u00a0июля", 9) == ["30\u00a0июня — ", "1\u00a0июля"]
    assert show("Заголовок\n\nТекст", 20) == ["Заголовок", "", "Текст"]
    assert show("中文中文 ok", 5) == ["中文", "中文 ", "ok"], "wide characters take two cells"
    assert show("e\u0301e\u0301e\u0301 x", 3) == ["e\u0301e\u0301e\u0301 ", "x"], "combining marks take none"
    assert show("👍\U0001f3fd👍\U0001f3fd", 2) == ["👍\U0001f3fd", "👍\U0001f3fd"], "a modifier stays with its emoji"
    assert show("a\tb c", 3) == ["a\tb ", "c"], "a tab is no break and takes no cell"
    assert show("abc", 0) == show("abc", 1) == ["a", "b", "c"]


def test_the_character_classes_say_what_they_claim():
    """The counting path trusts SINGLE_CELL_RANGES; the word path trusts BREAKING_SPACES. Check both against rich."""
    single = re.compile(f"[{SINGLE_CELL_RANGES}]")
    breaking = re.compile(f"[{BREAKING_SPACES}]")
    for code in range(0x10000):  # both classes are written in the Basic Multilingual Plane
        character = chr(code)
        if single.match(character):
            assert get_character_cell_size(character) == 1, hex(code)
            assert character == " " or not breaking.match(character), hex(code)
        if breaking.match(character):
            assert character.isspace() and get_character_cell_size(character) >= 1, hex(code)
