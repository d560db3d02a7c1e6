"""The reading pane: the selected post in full, wrapped to the pane, with its place in the thread."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tuireader.model import Thread
from tuireader.widgets.decor import Display, append_decorations, deleted_label
from tuireader.widgets.palette import Palette, PlainPalette
from tuireader.widgets.scrolling import set_virtual_size

MAX_BODY_CHARS = 200_000
"""Longer bodies are cut for display (wrapping megabytes would stall the screen); the pane says so."""
WRAPPED_POSTS = 32
"""Posts whose wrapped lines are kept, so going back and forth costs no rewrapping."""
MAX_CHAIN = 6
"""Ancestors named in the reply chain; deeper chains are summarised with a count."""


class PostView(ScrollView, can_focus=True):
    """Shows one post: author, badge, icons, title, position, the chain of ancestors and the body.

    Drawn through the line API from strips wrapped once per post and width (a bounded
    cache), so moving to another post repaints the pane without laying out the screen.
    """

    DEFAULT_CSS = """
    PostView {
        padding: 0 1;
        background: $background;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
        scrollbar-gutter: stable;
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
        self._wrapped: LRUCache[tuple[int | None, int, bool, int, Style], list[Strip]] = LRUCache(WRAPPED_POSTS)
        self._strips: list[Strip] = []
        self._blank = Strip([])
        """The line below the end of the post, made once per wrap rather than once per line drawn."""

    def show(self, index: int | None) -> None:
        """Show post ``index`` (None: nothing selected) and scroll back to its top."""
        self.index = index
        self._rewrap()
        self.scroll_to(y=0, animate=False, immediate=True)
        if index is not None and index + 1 < len(self.thread):
            # Wrap the next post once this one is on screen, so the usual next key finds it ready.
            self.call_after_refresh(self._wrapped_lines, index + 1)

    def refresh_post(self) -> None:
        """Re-render the current post, e.g. after the theme, the display options or the thread grew."""
        self._wrapped.clear()
        self._rewrap()

    def on_resize(self) -> None:
        self._rewrap()

    def render_lines(self, crop: Region) -> list[Strip]:
        # The theme's colours reach this widget's style a moment after the theme changes: lines
        # wrapped in between carry the old background, so fetch them again by the current style.
        strips = self._wrapped_lines(self.index)
        if strips is not None and strips is not self._strips:
            self._strips = strips
            self._blank = Strip.blank(self.scrollable_content_region.width, self.rich_style)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        row = self.scroll_offset.y + y
        if 0 <= row < len(self._strips):
            return self._strips[row]
        return self._blank

    def _rewrap(self) -> None:
        """Point the pane at the current post's lines for the current width."""
        strips = self._wrapped_lines(self.index)
        if strips is None:  # not laid out yet: on_resize wraps once the pane has a size
            return
        self._strips = strips
        self._blank = Strip.blank(self.scrollable_content_region.width, self.rich_style)
        set_virtual_size(self, Size(self.scrollable_content_region.width, len(strips)))
        self.refresh()

    def _wrapped_lines(self, index: int | None) -> list[Strip] | None:
        """Post ``index`` wrapped to the pane's width, from the cache when it was wrapped before."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return None
        post = self.thread.posts[index] if index is not None and index < len(self.thread) else None
        hidden = post is not None and post.author in self.hidden_authors
        base = self.rich_style
        key = (index, width, hidden, len(self.thread), base)
        strips = self._wrapped.get(key)
        if strips is None:
            console = self.app.console
            options = console.options.update(width=width, height=None, no_wrap=False, overflow="fold")
            content = self._content(index, hidden)
            lines = console.render_lines(content, options, style=base, pad=True, new_lines=False)
            strips = self._wrapped[key] = [Strip(line, width) for line in lines]
        return strips

    def _content(self, index: int | None, hidden: bool) -> Text:
        """Everything the pane shows for post ``index``, as one text: head, a blank line, body."""
        if index is None or index >= len(self.thread):
            return Text("No post selected.", style=Style(dim=True))
        if hidden:
            author = self.thread.posts[index].author
            text = Text(f"hidden: {author or '(no name)'}", style=self.palette.rich_style("context"))
            text.append("\n\n")
            text.append("This author is hidden by the filter (F clears it).", style=Style(dim=True))
            return text
        text = self._head(index)
        text.append("\n\n")
        text.append_text(self._body(index))
        return text

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
