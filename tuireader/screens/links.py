"""The link picker (``o``): every link of the current post, numbered as the pane numbers them, to open or copy.

The screen only chooses; the app opens (with its opener) or copies, since only the app
knows the terminal and the desktop. Link texts and targets come from the file and are
shown as plain text, never markup.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tuireader.sharing import is_openable

HINT = " enter opens (or copies, with no display) · c copies · esc closes "
NOT_OPENED = "  not opened: only http, https and mailto links are"
_DIM = Style(dim=True)


class LinkChoice(NamedTuple):
    """The link the user picked, and whether to copy it rather than open it."""

    target: str
    copy: bool


class LinkPicker(ModalScreen[LinkChoice | None]):
    """A numbered list of a post's links (text, then target); Enter opens one, ``c`` copies it."""

    DEFAULT_CSS = """
    LinkPicker {
        align: center middle;
        & > Vertical {
            width: 84;
            max-width: 95%;
            height: auto;
            max-height: 80%;
            border: round $primary;
            background: $surface;
            padding: 0 1;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,o,q", "close", "Close", tooltip="Close the link picker", id="close_links"),
        Binding(
            "enter",
            "choose(False)",
            "Open",
            priority=True,
            tooltip="Open the highlighted link (with no display: copy it)",
            id="links_open",
        ),
        Binding("c,y", "choose(True)", "Copy", tooltip="Copy the highlighted link", id="links_copy"),
    ]

    def __init__(self, links: list[tuple[str, str]]) -> None:
        super().__init__()
        self.links = links
        """(text, target) of each link, in the body's order: number N is ``links[N - 1]``."""

    def compose(self) -> ComposeResult:
        with Vertical() as frame:
            frame.border_title = f"Links in this post ({len(self.links):,})"
            frame.border_subtitle = HINT
            yield OptionList(*(self._option(number, *link) for number, link in enumerate(self.links, 1)))

    @staticmethod
    def _option(number: int, text: str, target: str) -> Option:
        label = f"[{number}] "
        prompt = Text(label, style=Style(bold=True))
        prompt.append(" ".join(text.split()) or target)  # a link text may span lines of its paragraph
        prompt.append("\n" + " " * len(label))
        prompt.append(target, style=Style(underline=True) if is_openable(target) else _DIM)
        if not is_openable(target):
            prompt.append(NOT_OPENED, style=_DIM)
        return Option(prompt)

    def action_choose(self, copy: bool) -> None:
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None:
            self.dismiss(LinkChoice(self.links[highlighted][1], copy))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A click on a link opens it, as Enter does."""
        event.stop()
        self.dismiss(LinkChoice(self.links[event.option_index][1], False))

    def action_close(self) -> None:
        self.dismiss(None)
