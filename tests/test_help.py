"""The help screen's lines: descriptions line up in one column whatever the keys' symbols."""

from rich.cells import cell_len
from textual.binding import ActiveBinding, Binding

from newsreader.ui.screens.help import KEY_WIDTH, help_content


def test_descriptions_start_in_one_column_when_a_key_symbol_is_wide():
    node = object()
    bindings = {
        "a": ActiveBinding(node, Binding("a", "first", "First", id="x.first"), True),
        "b": ActiveBinding(node, Binding("b", "second", "Second"), True),
    }
    wide = {"a": "全", "b": "b"}  # an East Asian key label takes two cells

    lines = help_content(bindings, lambda binding: wide[binding.key]).plain.splitlines()

    columns = [
        cell_len(line[: line.index(description)]) for line, description in zip(lines, ["First", "Second"], strict=True)
    ]
    assert columns == [KEY_WIDTH + 1, KEY_WIDTH + 1]
    assert lines[0].endswith("(x.first)")
