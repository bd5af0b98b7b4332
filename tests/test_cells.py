"""One way to fit untrusted text into terminal columns: by cells, not characters, and cheaply."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from newsreader.ui.widgets.cells import clip


@pytest.mark.parametrize(
    "text, cells, expected",
    [
        ("Москва", 10, "Москва"),
        ("Москва", 6, "Москва"),
        ("Москва", 5, "Моск…"),
        ("北京北京北京", 5, "北京…"),  # wide characters: two columns each, never overflowing the row
        ("北京北京北京", 6, "北京 …"),  # a wide character that would straddle the edge becomes a space
        ("anything", 0, ""),
    ],
)
def test_clip_counts_columns(text, cells, expected):
    assert clip(text, cells) == expected


@given(st.text(), st.integers(min_value=1, max_value=60))
def test_clip_never_overflows_and_keeps_a_prefix(text, cells):
    clipped = clip(text, cells)
    assert cell_len(clipped) <= cells
    # a wide character straddling the edge becomes a space
    assert clipped == text or text.startswith(clipped.removesuffix("…").rstrip(" "))


def test_a_huge_title_is_cut_without_measuring_all_of_it():
    assert clip("ж" * 2_000_000, 20) == "ж" * 19 + "…"
