"""The search line: ``/`` opens it at the foot of the screen, Enter searches, Escape closes it (as in less)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input


class SearchBar(Input):
    """Where the user types a search: plain text (smart case) or ``re:`` and a regular expression."""

    DEFAULT_CSS = """
    SearchBar {
        dock: bottom;
        display: none;
        height: 1;
        border: none;
        padding: 0 1;
        background: $panel;
        &:focus { border: none; }
        &.-open { display: block; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", show=False, tooltip="Close the search line", id="search_close"),
    ]

    class Closed(Message):
        """The search line was closed without searching."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(placeholder="search: text (a capital makes it exact), or re:REGEX", id=id)

    def open(self) -> None:
        self.value = ""
        self.add_class("-open")
        self.focus()

    def close(self) -> None:
        self.remove_class("-open")

    def action_close(self) -> None:
        self.close()
        self.post_message(self.Closed())
