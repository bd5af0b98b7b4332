"""Every built-in theme is legible: each character the panes draw stands out from the background it is drawn on.

The check reads the composed screen (colours resolved, alpha blended, dim applied), so it covers styles set
in TCSS, in Python and in `Content` alike. ANSI colours are measured as Textual's stand-in palette shows
them; a real terminal's palette may differ.
"""

from rich.color import Color as RichColor
from rich.style import Style
from rich.terminal_theme import TerminalTheme
from textual.app import App
from textual.widget import Widget
from textual.widgets import Footer, Header

from newsreader.ingest.load import LoadWarning
from newsreader.ui.screens.entity_panel import EntityPanel
from newsreader.ui.screens.help import HelpScreen
from newsreader.ui.screens.warnings import WarningsScreen
from newsreader.ui.timeline.widget import EventList, Timeline
from newsreader.ui.widgets.article_list import ArticleList
from newsreader.ui.widgets.reader import ReaderPane
from newsreader.ui.widgets.status_bar import StatusBar
from test_snapshots import analysed, seed_app

MIN_CONTRAST = 3.0  # WCAG's floor for bold or large text; rows here are short labels and highlights
FRAMES = {*map(chr, range(0x2500, 0x2580)), "▏", "▕"}  # pane borders and the footer's divider: quiet on purpose
THEMES = sorted(App().available_themes)
SIZE = (100, 30)
PANES = (ArticleList, Timeline, StatusBar, ReaderPane, Header, Footer)


def luminance(color: RichColor, terminal: TerminalTheme, foreground: bool) -> float:
    """WCAG relative luminance."""
    channels = [value / 255 for value in color.get_truecolor(terminal, foreground=foreground)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(style: Style, terminal: TerminalTheme) -> float:
    """WCAG contrast ratio of a style's text against its background."""
    text, background = luminance(style.color, terminal, True), luminance(style.bgcolor, terminal, False)
    light, dark = sorted((text, background), reverse=True)  # the same pair when reversed
    return (light + 0.05) / (dark + 0.05)


def illegible(*widgets: Widget) -> list[str]:
    """Every run of text in `widgets` (borders and titles included, scrollbars not) below MIN_CONTRAST."""
    app, screen = widgets[0].app, widgets[0].screen
    strips = screen._compositor.render_strips()  # the composed screen, before the terminal's filters
    found = []
    for widget in widgets:
        region = widget.region
        right = widget.vertical_scrollbar.region.x if widget.show_vertical_scrollbar else region.right
        for y in range(region.y, region.bottom):
            strip = strips[y].crop(region.x, right)
            for line_filter in app.get_line_filters():  # dim, and ANSI colours as truecolor
                strip = strip.apply_filter(line_filter, screen.styles.background)
            for text, style, _ in strip:
                visible = "".join(char for char in text if not char.isspace() and char not in FRAMES)
                if visible and style is not None and style.color is not None and style.bgcolor is not None:
                    ratio = contrast(style, app.ansi_theme)
                    if ratio < MIN_CONTRAST:
                        found.append(f"{type(widget).__name__} {visible[:24]!r} {ratio:.2f} ({style})")
    return found


async def in_every_theme(pilot, *widgets: Widget) -> list[str]:
    """Switch through every theme, as the command palette's "Theme" does, checking `widgets` in each."""
    found = []
    for theme in THEMES:
        pilot.app.theme = theme
        await pilot.pause()
        found += [f"{theme}: {item}" for item in illegible(*widgets)]
    return found


async def test_every_theme_is_legible_and_switches_live():
    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        await analysed(pilot)
        await pilot.press("enter", "right_square_bracket")  # an article open, its first mention under the cursor
        panes = [app.query_one(pane) for pane in PANES]
        found = []
        for focused in (Timeline, ArticleList):  # each pane's cursor with and without focus
            app.query_one(focused).focus()
            found += await in_every_theme(pilot, *panes)
        overlays = [
            (EntityPanel(app.store, "PER:евгений белоусов", app.main.corpus_updated), "#entity-panel"),
            (HelpScreen(app.active_bindings, "list"), "#help"),
            (WarningsScreen([LoadWarning("archive/a.txt", "not valid text in any known encoding")]), "#warning-list"),
        ]
        for screen, panel in overlays:
            await app.push_screen(screen)
            found += await in_every_theme(pilot, screen.query_one(panel))
            app.pop_screen()
        await pilot.press("escape", "slash", *"россиянин", "enter")  # results in the list, a match highlighted
        await pilot.pause(0.3)
        found += await in_every_theme(pilot, app.query_one(ArticleList))
    assert not found, "\n".join(found)


async def test_a_theme_switch_redraws_rows_already_drawn():
    """List rows are cached once drawn; a new theme must not leave them in the old colours."""
    app = seed_app()
    async with app.run_test(size=SIZE) as pilot:
        await analysed(pilot)
        lists = [app.query_one(ArticleList), app.query_one(EventList)]
        cursor_rows = [virtual_list.render_line(0) for virtual_list in lists]  # row 0 holds each cursor
        app.theme = "textual-light"
        await pilot.pause()
        for virtual_list, old in zip(lists, cursor_rows, strict=True):
            new = virtual_list.render_line(0)
            cursor_background = virtual_list.get_component_rich_style("virtual-list--cursor").bgcolor
            assert new.text == old.text
            assert {segment.style.bgcolor for segment in new} == {cursor_background}
            assert cursor_background not in {segment.style.bgcolor for segment in old}
