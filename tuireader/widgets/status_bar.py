"""The line above the key hints: display toggles, the active filter and loading progress, always in view."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from tuireader.widgets.decor import Display


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

    def __init__(self, display: Display, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.display_options = display
        self.filter_text = ""
        self.progress = ""

    def on_mount(self) -> None:
        self.show()

    def set_filter(self, text: str) -> None:
        self.filter_text = text
        self.show()

    def set_progress(self, text: str) -> None:
        self.progress = text
        self.show()

    def show(self) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        for key, label, on in (
            ("b", "badges", self.display_options.badges),
            ("t", "icons", self.display_options.icons),
            ("v", "votes", self.display_options.votes),
        ):
            text.append(f"{key} ", style=Style(bold=True))
            text.append(f"{label} {'on' if on else 'off'}  ", style=Style(dim=not on))
        if self.filter_text:
            text.append("·  ", style=Style(dim=True))
            text.append(self.filter_text, style=Style(bold=True))
            text.append("  (F clears)  ", style=Style(dim=True))
        if self.progress:
            text.append("·  ", style=Style(dim=True))
            text.append(self.progress, style=Style(italic=True))
        self.update(text)
