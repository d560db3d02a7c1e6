"""The help screen: every key the reader offers, as the README's table lists them, and what the tree's marks mean.

The rows come from the reader's own binding table (:func:`tuireader.keys.help_rows`) with the
keymap in force, not from Textual's active bindings: those change order when a key is
remapped and include Textual's own keys (focus, copy) that the reader does not offer.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tuireader.widgets.decor import Mark

_BOLD = Style(bold=True)


class HelpScreen(ModalScreen[None]):
    """A modal list of keys and what they do, then the legend of marks; Escape or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > VerticalScroll {
            width: 84;
            max-width: 95%;
            height: 90%;
            border: round $primary;
            background: $surface;
            padding: 0 1;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", tooltip="Close the help screen", id="close_help"),
        Binding("j,down", "scroll(1)", "Down", show=False, tooltip="Scroll the help screen down", id="help_down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, tooltip="Scroll the help screen up", id="help_up"),
    ]

    def __init__(self, rows: list[tuple[str, str]], legend: list[Mark]) -> None:
        super().__init__()
        self.rows = rows
        """(keys in force, what they do), in the README's order."""
        self.legend = legend
        """The marks the tree draws for this thread's badges and icons."""

    def compose(self) -> ComposeResult:
        keys = Table(box=None, show_header=True, header_style=_BOLD, title="Keys", expand=False)
        keys.add_column("Key", style=_BOLD, no_wrap=True)
        keys.add_column("Does")
        for shown, description in self.rows:
            keys.add_row(Text(shown), Text(description))
        parts: list[RenderableType] = [keys]
        if self.legend:
            marks = Table(box=None, show_header=False, title="Marks in the tree", expand=False)
            marks.add_column("Mark", no_wrap=True)
            marks.add_column("Means")
            for mark in self.legend:  # the icon names come from the thread file: plain Text, never markup
                marks.add_row(Text(mark.mark, style=mark.style or ""), Text(mark.meaning))
            parts += [Text(), marks]
        with VerticalScroll():
            yield Static(Group(*parts), id="help-table")

    def action_scroll(self, lines: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
