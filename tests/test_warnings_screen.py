"""The warnings screen shows every warning whole, in one layout: where, then why."""

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.app import App

import newsreader.ui
from newsreader.ingest.load import LoadWarning
from newsreader.ui.screens.warnings import INDENT, WarningList, WarningsScreen, where_and_why, wrap

INDEX_PATH = "/tmp/trial/cachefile/newsreader/search.sqlite3"
INDEX_REASON = (
    f"cannot open the search index ([Errno 20] Not a directory: '{INDEX_PATH}'); "
    "the corrupt file was kept as search.sqlite3.corrupt-1, and search scans the articles instead"
)
KEYMAP_PATH = "/home/reader/.config/newsreader/bindings.toml"
KEYMAP_REASON = "line 3, column 7: skipped list.frobnicate: no binding has this id (? lists them)"
WARNINGS = [
    LoadWarning("search index", f"{INDEX_PATH}: {INDEX_REASON}"),
    LoadWarning("archive/a.txt", "not valid text in any known encoding"),
    LoadWarning("keymap", f"{KEYMAP_PATH}: {KEYMAP_REASON}"),
    LoadWarning("archive/" + "очень-длинное-имя-файла-" * 6 + ".txt", "empty file, skipped"),
    LoadWarning("loading", "loading stopped (OSError: disk gone)"),
]


class WarningsApp(App):
    CSS_PATH = [
        Path(newsreader.ui.__file__).parent / name
        for name in ("app.tcss", "screens/warnings.tcss", "widgets/virtual_list.tcss")
    ]

    def __init__(self, warnings: list[LoadWarning]) -> None:
        super().__init__()
        self.warnings = warnings

    def on_mount(self) -> None:
        self.push_screen(WarningsScreen(self.warnings))


def lines_of(warning_list: WarningList) -> list[str]:
    return [warning_list.render_line(y).text for y in range(warning_list.scrollable_content_region.height)]


def entries(lines: list[str]) -> list[str]:
    """The warnings as read on screen: a line starting with one space begins one, indented lines continue it."""
    found = []
    for line in filter(str.strip, lines):
        if line.startswith("  "):
            if found:  # not a warning whose start is above the screen
                found[-1] += " " + line.strip()
        else:
            found.append(line.strip())
    return found


def squeezed(text: str) -> str:
    """The characters without the spaces: wrapping may break a word with none to break at."""
    return "".join(text.split())


async def test_long_warnings_are_whole_at_80_columns():
    app = WarningsApp(WARNINGS)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        warning_list = app.screen.query_one(WarningList)
        lines = lines_of(warning_list)
        assert all(len(line) == warning_list.scrollable_content_region.width for line in lines)
        shown = entries(lines)
        expected = [squeezed("".join(where_and_why(warning))) for warning in WARNINGS]
        assert [squeezed(entry) for entry in shown] == expected
        assert len(lines) > len(WARNINGS) and warning_list.row_count == len(WARNINGS)


async def test_every_warning_reads_where_then_why_and_names_its_path_once():
    app = WarningsApp(WARNINGS)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        shown = entries(lines_of(app.screen.query_one(WarningList)))
        assert shown[0].startswith(f"{INDEX_PATH}  cannot open the search index")
        assert shown[1] == "archive/a.txt  not valid text in any known encoding"
        assert shown[2] == f"{KEYMAP_PATH}  {KEYMAP_REASON}"
        assert shown[4] == "loading  loading stopped (OSError: disk gone)"
        assert shown[0].count(INDEX_PATH) == 2, "once as where, once inside the OS error it quotes"
        assert shown[2].count(KEYMAP_PATH) == 1
        assert not any(entry.endswith(("keymap", "search index")) for entry in shown), "no source after the reason"


async def test_the_cursor_steps_by_warning_and_stays_on_it_through_a_resize():
    app = WarningsApp(WARNINGS)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        warning_list = app.screen.query_one(WarningList)
        await pilot.press("down", "down")
        assert warning_list.warning_at(warning_list.cursor) == 2
        highlighted = [
            line
            for y, line in enumerate(lines_of(warning_list))
            if list(warning_list.render_line(y))[-1].style.bgcolor != warning_list.rich_style.bgcolor
        ]
        assert squeezed("".join(highlighted)) == squeezed(KEYMAP_PATH + KEYMAP_REASON), "all its lines, no others"
        await pilot.resize_terminal(200, 30)
        await pilot.pause()
        assert warning_list.warning_at(warning_list.cursor) == 2
        assert len(lines_of(warning_list)[2]) == warning_list.scrollable_content_region.width
        await pilot.press("up")
        assert warning_list.warning_at(warning_list.cursor) == 1
        await pilot.press("end")
        assert warning_list.warning_at(warning_list.cursor) == len(WARNINGS) - 1


async def test_a_hundred_thousand_warnings_draw_only_the_lines_on_screen(monkeypatch):
    drawn = []
    render_row = WarningList.render_row
    monkeypatch.setattr(
        WarningList, "render_row", lambda self, index, width: drawn.append(index) or render_row(self, index, width)
    )
    reason = "not valid text in any known encoding "
    many = [LoadWarning(f"archive/{number}.txt", reason * (number % 4)) for number in range(100_000)]
    app = WarningsApp(many)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        warning_list = app.screen.query_one(WarningList)
        await pilot.press("end")
        await pilot.pause()
        assert warning_list.warning_at(warning_list.cursor) == len(many) - 1
        assert entries(lines_of(warning_list))[-1].startswith("archive/99999.txt  not valid text")
        assert len(set(drawn)) <= 3 * warning_list.scrollable_content_region.height


@given(st.text(st.sampled_from("ab €界😀 -/"), max_size=300), st.integers(len(INDENT) + 2, 120))
def test_wrapped_lines_fit_their_width_and_lose_only_the_spaces_broken_at(text, width):
    lines = wrap(text, width)
    assert all(
        cell_len(text[start:end]) <= (width if number == 0 else width - len(INDENT))
        for number, (start, end) in enumerate(lines)
    )
    assert squeezed("".join(text[start:end] for start, end in lines)) == squeezed(text)
    assert lines[0][0] == 0
    for (_, end), start in zip(lines, [start for start, _ in lines[1:]] + [len(text)], strict=True):
        assert start == end or (start == end + 1 and text[end] == " "), "a break's space is the only gap"
