"""Changing how much a pane scrolls without laying out the whole screen."""

from textual.geometry import Size
from textual.scroll_view import ScrollView


def set_virtual_size(view: ScrollView, size: Size) -> None:
    """Set `view.virtual_size` for a pane whose own size is fixed by CSS, never by its content.

    Assigning the reactive asks Textual for a layout of every widget on the screen, which at
    ~10 ms made each new article or list a slow frame. The scrollbars are still updated, and
    a scrollbar that appears or goes away still gets its layout.
    """
    if size != view.virtual_size:
        view.set_reactive(ScrollView.virtual_size, size)
        view._scroll_update(size)  # noqa: SLF001 - what the reactive's watcher would have done
