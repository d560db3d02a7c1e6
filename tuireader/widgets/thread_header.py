"""The top line: thread title, closed state and size."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from tuireader.model import Thread


class ThreadHeader(Static):
    """Shows the thread's title (inert text), whether it is closed, and how many posts it has."""

    DEFAULT_CSS = """
    ThreadHeader {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
        text-style: bold;
        padding: 0 1;
    }
    """

    def __init__(self, thread: Thread, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.thread = thread

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        thread = self.thread
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(thread.title or "(untitled thread)")
        if thread.closed:
            text.append("  [closed]", style=Style(bold=False, dim=True))
        text.append(f"  ·  {len(thread):,} posts", style=Style(bold=False, dim=True))
        self.update(text)
