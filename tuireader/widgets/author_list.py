"""The author picker's list: one line per author, drawn only where it is on screen.

Textual's OptionList measures every option when its options are set, about a second
for 100,000 authors on each key; this list draws the thirty or so lines in view, from
the picker's index, so narrowing the list costs the same at 20 authors or 100,000.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tuireader.author_search import AuthorIndex
from tuireader.widgets.scrolling import set_virtual_size
from tuireader.widgets.wrap import cell_width, fit_cells

NO_MATCH = "no author matches"
_DIM = Style(dim=True)
_BOLD = Style(bold=True)


class AuthorList(ScrollView, can_focus=False):
    """Authors with their post counts and marks, one line each; the search box keeps the focus."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"author-list--highlighted"}
    DEFAULT_CSS = """
    AuthorList {
        height: 1fr;
        background: $surface;
        scrollbar-size-vertical: 1;
        & > .author-list--highlighted {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
    }
    """

    class Chosen(Message):
        """A row was clicked: the picker applies it, as Enter would."""

    def __init__(self, index: AuthorIndex, marked: set[str], *, ellipsis: str = "…", id: str | None = None) -> None:
        super().__init__(id=id)
        self.index = index
        self.ellipsis = ellipsis
        """The last cell of a name cut short ("…", or an ASCII mark on an ASCII screen)."""
        self.marked = marked
        """The picker's marked authors (the same set: a mark shows as soon as it is made)."""
        self.rows: Sequence[int] = range(len(index))
        """Positions in the index, in the order shown."""
        self.highlighted: int | None = 0 if len(index) else None
        """The highlighted row, or None when no author matches."""
        self._lines: LRUCache[tuple[int, bool, bool, int, Style], Strip] = LRUCache(256)
        set_virtual_size(self, Size(0, len(self.rows)))

    # Public API ---------------------------------------------------------------

    @property
    def highlighted_author(self) -> str | None:
        row = self.highlighted
        return None if row is None else self.index.names[self.rows[row]]

    def show(self, rows: Sequence[int], index: AuthorIndex | None = None) -> None:
        """Show these authors (positions in the index, or in a new ``index``), highlighting the first."""
        if index is not None and index is not self.index:
            self.index = index
            self._lines.clear()
        self.rows = rows
        self.highlighted = 0 if rows else None
        set_virtual_size(self, Size(0, len(rows)))
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    def move(self, step: int) -> None:
        """Move the highlight by *step* rows, stopping at either end."""
        if self.highlighted is None:
            return
        self._highlight(max(0, min(len(self.rows) - 1, self.highlighted + step)))

    def redraw_highlighted(self) -> None:
        """Draw the highlighted row again (its mark changed)."""
        if self.highlighted is not None:
            self._refresh_row(self.highlighted)

    def row_text(self, row: int) -> str:
        """A row as plain text: ``[x] Name  3``."""
        position = self.rows[row]
        return "".join(text for text, _ in self._pieces(position))

    # Rendering -----------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        row = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if not self.rows:
            return Strip([Segment(fit_cells(NO_MATCH if y == 0 else "", width), base + _DIM)], width)
        if not 0 <= row < len(self.rows):
            return Strip.blank(width, base)
        position = self.rows[row]
        selected = row == self.highlighted
        author = self.index.names[position]
        key = (position, selected, author in self.marked, width, base)
        strip = self._lines.get(key)
        if strip is None:
            if selected:
                base += self.get_component_rich_style("author-list--highlighted")
            strip = self._lines[key] = _line(self._pieces(position), width, base, self.ellipsis)
        return strip

    def _pieces(self, position: int) -> list[tuple[str, Style]]:
        author = self.index.names[position]
        marked = author in self.marked
        return [
            ("[x] " if marked else "[ ] ", _BOLD if marked else Style()),
            (author or "(no name)", _BOLD if marked else Style()),
            (f"  {self.index.counts[position]}", _DIM),
        ]

    def _highlight(self, row: int) -> None:
        old, self.highlighted = self.highlighted, row
        if old is not None:
            self._refresh_row(old)
        self._refresh_row(row)
        self.scroll_to_region(Region(0, row, 1, 1), animate=False, force=True, x_axis=False, immediate=True)

    def _refresh_row(self, row: int) -> None:
        y = row - self.scroll_offset.y
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def on_resize(self, event: events.Resize) -> None:
        self._lines.clear()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not 0 <= self.scroll_offset.y + offset.y < len(self.rows):
            return
        self._highlight(self.scroll_offset.y + offset.y)
        self.post_message(self.Chosen())


def _line(pieces: list[tuple[str, Style]], width: int, base: Style, ellipsis: str) -> Strip:
    """The pieces on one line, cut with an ellipsis or padded to *width*."""
    segments: list[Segment] = []
    room = width
    for text, style in pieces:
        length = cell_width(text)
        if length > room:
            if room > 0:
                segments.append(Segment(fit_cells(text, room - 1) + ellipsis, base + style))
            return Strip(segments, width)
        segments.append(Segment(text, base + style))
        room -= length
    segments.append(Segment(" " * room, base))
    return Strip(segments, width)
