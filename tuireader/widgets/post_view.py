"""The reading pane: the selected post in full, wrapped to the pane, with its place in the thread."""

from __future__ import annotations

from typing import NamedTuple

from rich.segment import Segment
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
from tuireader.widgets.wrap import is_single_cell, wrap_single_cell

MAX_BODY_CHARS = 200_000
"""Longer bodies are cut for display (wrapping megabytes would stall the screen); the pane says so."""
WRAPPED_POSTS = 32
"""Posts whose wrapped lines are kept, so going back and forth costs no rewrapping."""
MAX_CHAIN = 6
"""Ancestors named in the reply chain; deeper chains are summarised with a count."""
_QUOTE_MARKS = (">", '"', "\u201c")
"""A body line starting (after spaces) with one of these is shown in the theme's quote style."""
_DIM = Style(dim=True)
Line = tuple[str, Style | None]
"""One line of a post's body and its style."""
_MARK_WIDTH = 2
"""A space, then the scroll mark: a thumb over a thin track when the post is longer than the pane."""
_NO_MARK = Segment("  ")


class _Frame(NamedTuple):
    """What the lines of one frame share: the blank line below a post and the scroll mark's pieces."""

    blank: Strip
    track: Segment
    thumb: Segment
    top: int
    bottom: int
    """The thumb covers the pane's rows top to bottom - 1."""


class PostView(ScrollView, can_focus=True):
    """Shows one post: author, badge, icons, title, position, the chain of ancestors and the body.

    Drawn through the line API from strips wrapped once per post and width (a bounded
    cache), so moving to another post repaints the pane without laying out the screen.
    The pane draws its own scroll mark in its last column: Textual's scrollbar costs a
    screen layout whenever it appears or goes (a short post after a long one) and a
    tenth of a key's time to repaint.
    """

    DEFAULT_CSS = """
    PostView {
        padding: 0 0 0 1;
        background: $background;
        overflow-x: hidden;
        overflow-y: scroll;
        scrollbar-visibility: hidden;
        scrollbar-size-vertical: 0;
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
        self._frame = _Frame(Strip([]), _NO_MARK, _NO_MARK, 0, 0)

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
        # The same goes for a head that changed while the thread loads ("12 / 80,000").
        strips = self._wrapped_lines(self.index)
        if strips is not None:
            self._strips = strips
            set_virtual_size(self, Size(self.scrollable_content_region.width, len(strips)))
        base = self.rich_style
        height, lines = self.scrollable_content_region.height, len(self._strips)
        if lines <= height:
            track = thumb = Segment(" " * _MARK_WIDTH, base)
            top = bottom = 0
        else:
            track = Segment(" │", base + _DIM)
            thumb = Segment(" ┃", base + Style(bold=True))
            size = max(1, height * height // lines)
            top = round(self.scroll_offset.y * (height - size) / (lines - height))
            bottom = top + size
        self._frame = _Frame(Strip.blank(self._text_width(), base), track, thumb, top, bottom)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        frame = self._frame
        row = self.scroll_offset.y + y
        text = self._strips[row] if 0 <= row < len(self._strips) else frame.blank
        mark = frame.thumb if frame.top <= y < frame.bottom else frame.track
        return Strip([*text, mark], text.cell_length + _MARK_WIDTH)

    def _rewrap(self) -> None:
        """Point the pane at the current post's lines for the current width."""
        strips = self._wrapped_lines(self.index)
        if strips is None:  # not laid out yet: on_resize wraps once the pane has a size
            return
        self._strips = strips
        set_virtual_size(self, Size(self.scrollable_content_region.width, len(strips)))
        self.refresh()

    def _text_width(self) -> int:
        """The width posts are wrapped to: the pane less its scroll mark."""
        return self.scrollable_content_region.width - _MARK_WIDTH

    def _wrapped_lines(self, index: int | None) -> list[Strip] | None:
        """Post ``index`` wrapped to the pane's width, from the cache when it was wrapped before."""
        width = self._text_width()
        if width <= 0:
            return None
        post = self.thread.posts[index] if index is not None and index < len(self.thread) else None
        hidden = post is not None and post.author in self.hidden_authors
        base = self.rich_style
        key = (index, width, hidden, len(self.thread), base)
        strips = self._wrapped.get(key)
        if strips is None:
            strips = self._wrapped[key] = self._wrap(*self._parts(index, hidden), width, base)
        return strips

    def _parts(self, index: int | None, hidden: bool) -> tuple[Text | None, list[Line]]:
        """What the pane shows for post ``index``: a head (above a blank line) and the body's lines."""
        if index is None or index >= len(self.thread):
            return None, [("No post selected.", _DIM)]
        if hidden:
            author = self.thread.posts[index].author
            head = Text(f"hidden: {author or '(no name)'}", style=self.palette.rich_style("context"))
            return head, [("This author is hidden by the filter (F clears it).", _DIM)]
        return self._head(index), self._body_lines(index)

    def _wrap(self, head: Text | None, lines: list[Line], width: int, base: Style) -> list[Strip]:
        """Head and body wrapped to ``width`` over the pane's ``base`` style, one strip per screen line.

        The body's lines of one-cell characters go through :func:`wrap_single_cell` (the same breaks as Rich,
        far cheaper); the head and any other line through Rich.
        """
        strips: list[Strip] = []
        if head is not None:
            strips += self._rich_strips(head, width, base)
            strips.append(Strip.blank(width, base))
        for line, style in lines:
            if not is_single_cell(line):
                strips += self._rich_strips(Text(line, style=style or ""), width, base)
                continue
            line_style = base + style if style else base
            for piece in wrap_single_cell(line, width):
                if not piece:
                    strips.append(Strip.blank(width, base))
                elif len(piece) < width:
                    strips.append(Strip([Segment(piece, line_style), Segment(" " * (width - len(piece)), base)], width))
                else:
                    strips.append(Strip([Segment(piece, line_style)], width))
        return strips

    def _rich_strips(self, text: Text, width: int, base: Style) -> list[Strip]:
        console = self.app.console
        options = console.options.update(width=width, height=None, no_wrap=False, overflow="fold")
        return [Strip(line, width) for line in console.render_lines(text, options, style=base, new_lines=False)]

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

    def _body_lines(self, index: int) -> list[Line]:
        """The body's lines with quotes styled; past MAX_BODY_CHARS, a notice instead of the rest."""
        post = self.thread.posts[index]
        body = post.body
        if post.deleted and not body:
            return [("This post was deleted.", self.palette.rich_style("deleted"))]
        quote = self.palette.rich_style("quote")
        cut = len(body) > MAX_BODY_CHARS
        shown = body[:MAX_BODY_CHARS] if cut else body.rstrip()
        lines: list[Line] = [
            (line, quote if line.lstrip().startswith(_QUOTE_MARKS) else None) for line in shown.split("\n")
        ]
        if cut:
            hidden = len(body) - MAX_BODY_CHARS
            notice = f"[{hidden:,} more characters not shown: export the thread to read them all]"
            lines += [("", None), (notice, _DIM)]
        return lines
