"""The help screen: every key the reader answers to, read from the live bindings so it cannot drift."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.keys import format_key
from textual.screen import ModalScreen
from textual.widgets import Static


def describe_bindings(bindings: list[tuple[str, Binding]]) -> list[tuple[str, str]]:
    """Group (key, binding) pairs by binding into ("key, key", description) rows, in first-seen order."""
    keys_for: dict[str, list[str]] = {}
    description_for: dict[str, str] = {}
    for key, binding in bindings:
        ident = binding.id or f"action:{binding.action}"
        display = binding.key_display or format_key(key)
        keys = keys_for.setdefault(ident, [])
        if display not in keys:
            keys.append(display)
        description_for.setdefault(ident, binding.tooltip or binding.description or binding.action)
    return [(", ".join(keys_for[ident]), description_for[ident]) for ident in keys_for]


class HelpScreen(ModalScreen[None]):
    """A modal list of keys and what they do; Escape or ? closes it."""

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
    ]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=True, header_style=Style(bold=True), title="Keys", expand=False)
        table.add_column("Key", style=Style(bold=True), no_wrap=True)
        table.add_column("Does")
        for keys, description in self.rows:
            table.add_row(keys, description)
        with VerticalScroll():
            yield Static(table, id="help-table")

    def action_close(self) -> None:
        self.dismiss(None)
