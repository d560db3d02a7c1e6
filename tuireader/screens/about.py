"""About this thread: the title, address and summary a file starts with, which no other screen shows."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

from tuireader.model import Thread

MAX_SUMMARY_CHARS = 2_000
"""A summary is a standfirst of a few sentences; a file that puts a whole article there is cut, with a mark."""
_DIM = Style(dim=True)


def about_text(thread: Thread, format_label: str, *, loading: bool) -> Group:
    """What the card says, every string from the file as plain text (never markup)."""
    title = Text(thread.title or "(untitled thread)", style=Style(bold=True))
    lines: list[Text] = [title]
    if thread.url:
        lines.append(Text(thread.url, style=_DIM))
    if thread.summary:
        summary = thread.summary
        if len(summary) > MAX_SUMMARY_CHARS:
            summary = summary[: MAX_SUMMARY_CHARS - 1].rstrip() + "…"
        lines += [Text(), Text(summary)]
    posts = f"{len(thread):,} {'post' if len(thread) == 1 else 'posts'}"
    facts = [format_label, f"{posts} so far (still loading)" if loading else posts]
    facts.append("closed for new posts" if thread.closed else "open for new posts")
    lines += [Text(), Text("  ·  ".join(facts), style=_DIM)]
    lines.append(Text("Any key closes this card; a key of the reader then does its usual job", style=_DIM))
    return Group(*lines)


class AboutScreen(ModalScreen[None]):
    """The thread's header as a card over the reader: shown at start when there is a summary, and on ``i``.

    It never holds a key back: any key but its own closes it and then does its usual job,
    so a reader who starts moving at once loses nothing.
    """

    DEFAULT_CSS = """
    AboutScreen {
        align: center middle;
        & > Static {
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
        Binding(
            "escape,i", "close", "Close", tooltip="Close the About card (any other key closes it too)", id="close_about"
        ),
    ]

    def __init__(self, thread: Thread, format_label: str, *, loading: bool) -> None:
        super().__init__()
        self.thread = thread
        self.format_label = format_label
        self.still_loading = loading
        """Not ``loading``: that is Textual's own, which covers a widget with a loading indicator."""

    def compose(self) -> ComposeResult:
        card = Static(about_text(self.thread, self.format_label, loading=self.still_loading), id="about", markup=False)
        card.border_title = "About this thread"
        yield card

    def on_key(self, event: events.Key) -> None:
        if event.key in self.active_bindings:
            return  # its own key: the binding closes the screen
        event.stop()
        self.dismiss(None)
        self.app.simulate_key(event.key)  # the reader's screen is on top again: the key goes there

    def on_click(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
