"""The reading pane: the selected post in full, wrapped to the pane, with its place in the thread."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tuireader.model import Thread
from tuireader.widgets.decor import Display, append_decorations, deleted_label
from tuireader.widgets.palette import Palette, PlainPalette

MAX_BODY_CHARS = 200_000
"""Longer bodies are cut for display (wrapping megabytes would stall the screen); the pane says so."""
MAX_CHAIN = 6
"""Ancestors named in the reply chain; deeper chains are summarised with a count."""


class PostView(VerticalScroll, can_focus=True):
    """Shows one post: author, badge, icons, title, position, the chain of ancestors and the body."""

    DEFAULT_CSS = """
    PostView {
        padding: 0 1;
        background: $background;
        scrollbar-size-vertical: 1;
        & > #post-head { margin-bottom: 1; }
        & > #post-body { width: 1fr; }
    }
    """

    def __init__(
        self,
        thread: Thread,
        *,
        palette: Palette | None = None,
        display: Display | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.thread = thread
        self.palette: Palette = palette or PlainPalette()
        self.display_options = display or Display()
        self.index: int | None = None
        self.hidden_authors: frozenset[str] = frozenset()
        """Authors the kill file hides: their posts show as a stub here too."""
        self.total_shown = 0

    def compose(self) -> ComposeResult:
        yield Static(id="post-head", markup=False)
        yield Static(id="post-body", markup=False)

    def show(self, index: int | None) -> None:
        """Show post ``index`` (None: nothing selected) and scroll back to its top."""
        self.index = index
        self.refresh_post()
        self.scroll_home(animate=False, immediate=True)

    def refresh_post(self) -> None:
        """Re-render the current post, e.g. after the theme, the display options or the thread grew."""
        head, body = self.query_one("#post-head", Static), self.query_one("#post-body", Static)
        if self.index is None or self.index >= len(self.thread):
            head.update(Text("No post selected.", style=Style(dim=True)))
            body.update(Text(""))
            return
        post = self.thread.posts[self.index]
        if post.author in self.hidden_authors:
            head.update(Text(f"hidden: {post.author or '(no name)'}", style=self.palette.rich_style("context")))
            body.update(Text("This author is hidden by the filter (F clears it).", style=Style(dim=True)))
            return
        head.update(self._head(self.index))
        body.update(self._body(self.index))

    def _head(self, index: int) -> Text:
        thread, palette = self.thread, self.palette
        post = thread.posts[index]
        text = Text()
        if post.deleted:
            text.append(deleted_label(post), style=palette.rich_style("deleted"))
        else:
            text.append(post.author or "(no name)", style=palette.rich_style("author"))
            if thread.is_op_reply(index):
                text.append(" OP", style=palette.rich_style("op"))
        append_decorations(text, post, palette, self.display_options, compact=False)
        text.append(f"\n#{post.id}  ·  {index + 1} / {len(thread)}", style=Style(dim=True))
        if post.time:
            text.append(f"  ·  {post.time}", style=Style(dim=True))
        replies = thread.reply_count(index)
        if replies:
            text.append(f"  ·  {replies} {'reply' if replies == 1 else 'replies'} below", style=Style(dim=True))
        chain = self._chain(index)
        if chain:
            text.append("\n")
            text.append_text(chain)
        if post.note:
            text.append(f"\nnote: {post.note}", style=Style(italic=True, dim=True))
        if post.title:
            text.append("\n\n")
            text.append(post.title, style=palette.rich_style("title"))
        return text

    def _chain(self, index: int) -> Text:
        """ "in reply to A › B › C", naming at most MAX_CHAIN ancestors without walking the whole chain."""
        thread = self.thread
        names: list[str] = []
        parent = thread.parent_index[index]
        while parent >= 0 and len(names) < MAX_CHAIN:
            names.append(thread.posts[parent].author or "(no name)")
            parent = thread.parent_index[parent]
        if not names:
            return Text()
        names.reverse()
        text = Text("in reply to ", style=Style(dim=True))
        if parent >= 0:
            text.append(f"… {thread.depth[index] - len(names)} more › ", style=Style(dim=True))
        for position, name in enumerate(names):
            if position:
                text.append(" › ", style=Style(dim=True))
            text.append(name, style=self.palette.rich_style("author") + Style(dim=position < len(names) - 1))
        return text

    def _body(self, index: int) -> Text:
        post = self.thread.posts[index]
        body = post.body
        if post.deleted and not body:
            return Text("This post was deleted.", style=self.palette.rich_style("deleted"))
        cut = len(body) > MAX_BODY_CHARS
        if cut:
            body = body[:MAX_BODY_CHARS]
        text = Text()
        quote = self.palette.rich_style("quote")
        for line in body.split("\n"):
            stripped = line.lstrip()
            text.append(line, style=quote if stripped.startswith((">", '"', "\u201c")) else None)
            text.append("\n")
        if cut:
            hidden = len(post.body) - MAX_BODY_CHARS
            text.append(
                f"\n[{hidden:,} more characters not shown: export the thread to read them all]", style=Style(dim=True)
            )
        text.rstrip()
        return text
