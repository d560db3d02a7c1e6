"""The line above the key hints: display toggles, the active filter and loading progress, always in view."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from tuireader.widgets.decor import Display
from tuireader.widgets.glyphs import UNICODE, Glyphs

COMPACT_BELOW = 60
"""Narrower bars write the toggles as "b:on" so the unread count and the filter still fit."""


class StatusBar(Static):
    """Shows what the reader is filtering and hiding, so the tree never looks complete when it is not."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    def __init__(self, display: Display, glyphs: Glyphs = UNICODE, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.display_options = display
        self.glyphs = glyphs
        self.filter_text = ""
        self.progress = ""
        self.notice = ""
        """A standing remark that must not cover the reading area (theme files left out); it comes first."""
        self.reading = ""
        """Unread posts, or the search in force ("match 3 of 17")."""

    def on_mount(self) -> None:
        self.show()

    def on_resize(self) -> None:
        self.show()

    def set_filter(self, text: str) -> None:
        self.filter_text = text
        self.show()

    def set_progress(self, text: str) -> None:
        self.progress = text
        self.show()

    def set_reading(self, text: str) -> None:
        if text != self.reading:
            self.reading = text
            self.show()

    def set_notice(self, text: str) -> None:
        self.notice = text
        self.show()

    def show(self) -> None:
        # Rich's ellipsis is "…": an ASCII screen is cut short instead.
        text = Text(no_wrap=True, overflow="crop" if self.glyphs.ascii else "ellipsis")
        dot = f"{self.glyphs.separator}  "
        compact = 0 < self.size.width < COMPACT_BELOW
        if self.notice:
            text.append(self.notice, style=Style(italic=True))
            text.append(f"  {dot}", style=Style(dim=True))
        for key, label, on in (
            ("b", "badges", self.display_options.badges),
            ("t", "icons", self.display_options.icons),
            ("v", "votes", self.display_options.votes),
        ):
            state = "on" if on else "off"
            if compact:
                text.append(f"{key}:{state} ", style=Style(bold=on, dim=not on))
                continue
            text.append(f"{key} ", style=Style(bold=True))
            text.append(f"{label} {state}  ", style=Style(dim=not on))
        if compact:
            text.append(" ")
        if self.reading:
            text.append(dot, style=Style(dim=True))
            text.append(self.reading + "  ", style=Style(bold=True))
        if self.filter_text:
            text.append(dot, style=Style(dim=True))
            text.append(self.filter_text, style=Style(bold=True))
            text.append("  (F clears)  ", style=Style(dim=True))
        if self.progress:
            text.append(dot, style=Style(dim=True))
            text.append(self.progress, style=Style(italic=True))
        self.update(text)
