"""The top line: thread title, closed state and size."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from tuireader.model import Thread
from tuireader.widgets.glyphs import UNICODE, Glyphs


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

    def __init__(self, thread: Thread, glyphs: Glyphs = UNICODE, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.thread = thread
        self.glyphs = glyphs

    def on_mount(self) -> None:
        self.show()

    def on_resize(self) -> None:
        self.show()

    def show(self) -> None:
        """The title, cut to leave room for the closed mark and the post count, which always show."""
        thread, glyphs = self.thread, self.glyphs
        facts = Text(style=Style(bold=False, dim=True))
        if thread.closed:
            facts.append("  [closed]")
        facts.append(f"  {glyphs.separator}  {len(thread):,} posts")
        title = Text(thread.title or "(untitled thread)", no_wrap=True)
        room = self.content_region.width - facts.cell_len
        if 0 < room < title.cell_len:
            title.truncate(room - 1)
            title.append(glyphs.ellipsis)
        elif room <= 0 < self.content_region.width:
            title = Text()
            facts = Text(f"{len(thread):,} posts", style=Style(bold=False, dim=True))
        self.update(title + facts)
