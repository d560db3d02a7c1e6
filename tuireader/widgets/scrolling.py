"""Resizing a line-API view's scrollable area without laying out the whole screen."""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView


def set_virtual_size(view: ScrollView, size: Size) -> None:
    """Give ``view`` a new scrollable size; the screen is laid out again only if a scrollbar appears or goes.

    Assigning ``virtual_size`` makes Textual lay out every widget on the screen (7-17 ms at
    120x40 on the benchmark machine, more than the rest of a key press), although a line-API
    view's place on screen never depends on its content. Setting the value quietly and then
    updating the scrollbars is what that layout would have done for this widget; a scrollbar
    that must appear or disappear still asks for a layout through its own reactive.
    """
    if size == view.virtual_size:
        return
    view.set_reactive(ScrollView.virtual_size, size)
    view._scroll_update(size)  # Textual's own scrollbar refresh (private in Textual 8: pinned <9 in pyproject)
    view.refresh()
