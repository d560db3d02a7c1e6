"""The reading pane: the selected post in full, wrapped to the pane, with its place in the thread."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Offset, Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tuireader.body import (
    ATTACHMENT,
    CODE,
    CODE_BLOCK,
    EMPHASIS,
    HEADING,
    ITEM,
    PARAGRAPH,
    QUOTE,
    RULE,
    SIGNATURE,
    STRIKE,
    STRONG,
    Block,
    Span,
)
from tuireader.search import Search
from tuireader.session import CONTEXT, ReadingSession
from tuireader.sharing import is_openable
from tuireader.widgets.decor import Display, decoration_pieces, deleted_label, short_id
from tuireader.widgets.glyphs import UNICODE, Glyphs
from tuireader.widgets.palette import Palette, PlainPalette
from tuireader.widgets.scrolling import set_virtual_size
from tuireader.widgets.wrap import is_single_cell, single_cell_bounds, wrap_single_cell

MAX_BODY_CHARS = 200_000
"""Longer bodies are cut for display (wrapping megabytes would stall the screen); the pane says so."""
WRAPPED_POSTS = 32
"""Posts whose wrapped lines are kept, so going back and forth costs no rewrapping."""
MAX_CHAIN = 6
"""Ancestors named in the reply chain; deeper chains are summarised with a count."""
_QUOTE_MARKS = ('"', "\u201c")
"""A paragraph line starting (after spaces) with one of these is shown in the theme's quote style."""
_DIM = Style(dim=True)
Line = tuple[str | Text, Style | None, str]
"""One line of a post's body (plain, or styled Text), its style, and the indent drawn before each screen line."""
MAX_QUOTE_MARKS = 8
"""Quote marks (and list indents) stop growing at this depth, so a deeply quoted line keeps room for its text."""
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
        /* Focused (ctrl+w), a bar down its left edge: a glyph, so mono and ASCII show it too. */
        &:focus { padding: 0; border-left: outer $accent; }
    }
    """

    def __init__(
        self,
        session: ReadingSession,
        *,
        palette: Palette | None = None,
        display: Display | None = None,
        glyphs: Glyphs = UNICODE,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.session = session
        self.thread = session.thread
        self.palette: Palette = palette or PlainPalette()
        self.display_options = display or Display()
        self.glyphs = glyphs
        self.index: int | None = None
        self._wrapped: LRUCache[tuple[int | None, int, bool, bool, bool, tuple[int, bool], int, Style], list[Strip]] = (
            LRUCache(WRAPPED_POSTS)
        )
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
            track = Segment(f" {self.glyphs.scroll_track}", base + _DIM)
            thumb = Segment(f" {self.glyphs.scroll_thumb}", base + Style(bold=True))
            size = max(1, height * height // lines)
            top = round(self.scroll_offset.y * (height - size) / (lines - height))
            bottom = top + size
        self._frame = _Frame(Strip.blank(self._text_width(), base), track, thumb, top, bottom)
        if self.has_focus:  # the terminal's cursor on the top line, for screen readers (see ThreadView)
            region = self.scrollable_content_region
            self.app.cursor_position = Offset(region.x, region.y)
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
        hidden = folded = context = False
        if index is not None and index < len(self.thread):
            hidden, folded = self.session.is_hidden(index), self.session.is_behind_warning(index)
            context = self.session.filter_state(index) == CONTEXT
        base = self.rich_style
        search = self.session.search
        look = (id(search) if search is not None else 0, self.session.hide_quotes)
        key = (index, width, hidden, folded, context, look, len(self.thread), base)
        strips = self._wrapped.get(key)
        if strips is None:
            strips = self._wrapped[key] = self._wrap(*self._parts(index, hidden, folded, width), width, base)
        return strips

    def _parts(
        self, index: int | None, hidden: bool, folded: bool = False, width: int = 80
    ) -> tuple[Text | None, list[Line]]:
        """What the pane shows for post ``index`` at ``width``: a head (above a blank line) and the body's lines."""
        if index is None or index >= len(self.thread):
            return None, [("No post selected.", _DIM, "")]
        if hidden:
            author = self.thread.posts[index].author
            head = Text(f"hidden: {author or '(no name)'}", style=self.palette.rich_style("context"))
            return head, [("This author is hidden by the filter (Enter shows this post, F clears it).", _DIM, "")]
        if folded:
            notice = "Content warning: the post is folded. Enter shows it."
            return self._head(index, width), [(notice, self.palette.rich_style("context"), "")]
        return self._head(index, width), self._body_lines(index)

    def _wrap(self, head: Text | None, lines: list[Line], width: int, base: Style) -> list[Strip]:
        """Head and body wrapped to ``width`` over the pane's ``base`` style, one strip per screen line.

        Plain body lines of one-cell characters go through :func:`wrap_single_cell` (the same breaks as
        Rich, far cheaper); the head, styled lines and any other line through Rich. A line's indent (quote
        marks, a list's depth) is drawn before each of its screen lines.
        """
        strips: list[Strip] = []
        if head is not None:
            strips += self._text_strips(head, width, base)
            strips.append(Strip.blank(width, base))
        for line in lines:
            content, style, indent = line
            room = width - len(indent)
            if room < 4:  # a pane too narrow for the indent: drop it rather than the text
                indent, room = "", width
            pieces = self._wrap_line(content, style, room, base)
            if indent:
                mark = Segment(indent, base + self.palette.rich_style("quote") if indent.strip() else base)
                pieces = [Strip([mark, *piece], width) for piece in pieces]
            strips += pieces
        return strips

    def _wrap_line(self, content: str | Text, style: Style | None, width: int, base: Style) -> list[Strip]:
        if isinstance(content, Text):
            return self._text_strips(content, width, base)
        if not is_single_cell(content):
            return self._rich_strips(Text(content, style=style or ""), width, base)
        line_style = base + style if style else base
        strips = []
        for piece in wrap_single_cell(content, width):
            if not piece:
                strips.append(Strip.blank(width, base))
            elif len(piece) < width:
                strips.append(Strip([Segment(piece, line_style), Segment(" " * (width - len(piece)), base)], width))
            else:
                strips.append(Strip([Segment(piece, line_style)], width))
        return strips

    def _text_strips(self, text: Text, width: int, base: Style) -> list[Strip]:
        """Styled text wrapped as Rich wraps it: cut at :func:`single_cell_bounds` when every character
        is one cell, about half the cost of Rich's wrapper; through Rich otherwise."""
        if text.justify is not None or text.overflow not in (None, "fold") or text.no_wrap:
            return self._rich_strips(text, width, base)
        lines = text.split("\n", allow_blank=True) if "\n" in text.plain else [text]
        if not all(is_single_cell(line.plain) for line in lines):
            return self._rich_strips(text, width, base)
        console, joiner = self.app.console, Text("\n")
        strips: list[Strip] = []
        for line in lines:
            for begin, end in single_cell_bounds(line.plain, width):
                # Joined as Rich joins its wrapped lines, so the line's own style becomes a span as there.
                segments = [
                    Segment(piece, base + style if style else base)
                    for piece, style, _ in joiner.join([line[begin:end]]).render(console)
                    if piece
                ]
                if end - begin < width:
                    segments.append(Segment(" " * (width - end + begin), base))
                strips.append(Strip(segments, width))
        return strips

    def _rich_strips(self, text: Text, width: int, base: Style) -> list[Strip]:
        console = self.app.console
        options = console.options.update(width=width, height=None, no_wrap=False, overflow="fold")
        return [Strip(line, width) for line in console.render_lines(text, options, style=base, new_lines=False)]

    def _head(self, index: int, width: int) -> Text:
        """Who wrote the post, its marks, its place and its parents: each part whole on a line where it fits.

        A narrow pane breaks the head between its parts ("Gold badge", "3 replies below"), never inside one.
        """
        thread, palette, glyphs = self.thread, self.palette, self.glyphs
        post = thread.posts[index]
        who = Text()
        if post.deleted:
            who.append(deleted_label(post, glyphs), style=palette.rich_style("deleted"))
        else:
            who.append(post.author or "(no name)", style=palette.rich_style("author"))
            if thread.is_op_reply(index):
                who.append(" OP", style=palette.rich_style("op"))
        marks = decoration_pieces(post, palette, self.display_options, compact=False, glyphs=glyphs)
        units = [who, *(Text(piece, style=style or "") for piece, style in marks if piece != " ")]
        text = _flowed(units, Text(" "), width)
        dim = Style(dim=True)
        place = [Text(f"#{short_id(post.id, glyphs)}", style=dim), Text(f"{index + 1:,} / {len(thread):,}", style=dim)]
        if post.time:
            place.append(Text(post.time, style=dim))
        replies = thread.reply_count(index)
        if replies:
            place.append(Text(f"{replies:,} {'reply' if replies == 1 else 'replies'} below", style=dim))
        if self.session.filter_state(index) == CONTEXT:  # said in words too: the dim style may not show
            place.append(Text("context: not by the filtered authors", style=palette.rich_style("context")))
        text.append("\n")
        text.append_text(_flowed(place, Text(f"  {glyphs.separator}  ", style=dim), width))
        chain = self._chain(index, width)
        if chain:
            text.append("\n")
            text.append_text(chain)
        if post.note:
            text.append(f"\nnote: {post.note}", style=Style(italic=True, dim=True))
        if post.title:
            text.append("\n\n")
            text.append(post.title, style=palette.rich_style("title"))
        return text

    def _chain(self, index: int, width: int) -> Text:
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
        glyphs, dim = self.glyphs, Style(dim=True)
        units: list[Text] = []
        if parent >= 0:
            units.append(Text(f"{glyphs.ellipsis} {thread.depth[index] - len(names):,} more", style=dim))
        for position, name in enumerate(names):
            units.append(Text(name, style=self.palette.rich_style("author") + Style(dim=position < len(names) - 1)))
        lead = Text("in reply to ", style=dim)
        return lead + _flowed(units, Text(f" {glyphs.chain} ", style=dim), width, start=lead.cell_len)

    def _body_lines(self, index: int) -> list[Line]:
        """The body's blocks as lines: quotes marked by level, code kept, spans styled, links live (OSC 8).

        Past MAX_BODY_CHARS, a notice instead of the rest.
        """
        post = self.thread.posts[index]
        text, blocks = self.thread.body_of(index)
        if post.deleted and not text:
            return [("This post was deleted.", self.palette.rich_style("deleted"), "")]
        lines: list[Line] = []
        budget = MAX_BODY_CHARS
        link_numbers = count(1)  # [1], [2]… after each link, as the link picker (o) numbers them
        for block in blocks:
            if budget <= 0:
                hidden = len(text) - MAX_BODY_CHARS
                notice = f"[{max(hidden, 1):,} more characters not shown: export the thread to read them all]"
                lines += [("", None, ""), (notice, _DIM, "")]
                break
            if lines:
                lines.append(("", None, ""))
            block_lines = self._block_lines(block, budget, link_numbers)
            if block.kind == QUOTE and self.session.hide_quotes and len(block_lines) > 1:
                first, style, indent = block_lines[0]
                block_lines = [(first, style, indent), ("[quote folded: Q shows it]", _DIM, indent)]
            lines += block_lines
            budget -= len(block.text)
        search = self.session.search
        if search is not None:
            lines = [self._highlighted(line, search) for line in lines]
        return lines

    def _highlighted(self, line: Line, search: Search) -> Line:
        """The line with the search's matches in the theme's search style (and still readable in mono: reverse)."""
        content, style, indent = line
        plain = content.plain if isinstance(content, Text) else content
        spans = search.spans(plain) if plain else []
        if not spans:
            return line
        text = content.copy() if isinstance(content, Text) else Text(content, style=style or "")
        mark = self.palette.rich_style("search_match")
        for start, end in spans:
            text.stylize(mark, start, end)
        return (text, None, indent)

    def _block_lines(self, block: Block, budget: int, link_numbers: Iterator[int]) -> list[Line]:
        palette = self.palette
        kind = block.kind
        if kind == RULE:
            return [(self.glyphs.rule * 8, _DIM, "")]
        indent = ""
        style: Style | None = None
        if kind == QUOTE:
            indent, style = "> " * min(max(block.level, 1), MAX_QUOTE_MARKS), palette.rich_style("quote")
        elif kind == ITEM:
            indent = "  " * min(max(block.level - 1, 0), MAX_QUOTE_MARKS)
        elif kind == HEADING:
            style = palette.rich_style("title")
        elif kind in (SIGNATURE, ATTACHMENT):
            style = _DIM
        elif kind == CODE_BLOCK:
            style = palette.rich_style("icon")
        marker = block.marker if block.marker and block.marker != UNICODE.bullet else self.glyphs.bullet
        prefix = {ITEM: f"{marker} ", SIGNATURE: "-- \n", ATTACHMENT: f"{self.glyphs.attachment} "}.get(kind, "")
        plain = all(span.style == 0 and span.link is None for span in block.spans)
        if plain:
            body = prefix + block.text[:budget]
            if kind == PARAGRAPH:  # a forum paragraph quoting its parent in double quotes reads as a quote
                quote = palette.rich_style("quote")
                return [(line, quote if _is_quoting(line) else None, "") for line in body.split("\n")]
            return [(line, style, indent) for line in body.split("\n")]
        text = Text(prefix, style=style or "")
        for span in block.spans:
            text.append(span.text, style=self._span_style(span, style))
            if span.link:
                text.append(f"[{next(link_numbers)}]", style=_DIM)
        text.truncate(budget + len(prefix))
        return [(line, None, indent) for line in text.split("\n")]

    def _span_style(self, span: Span, base: Style | None) -> Style:
        style = base or Style()
        if span.style & STRONG:
            style += Style(bold=True)
        if span.style & EMPHASIS:
            style += Style(italic=True)
        if span.style & STRIKE:
            style += Style(strike=True)
        if span.style & CODE:
            style += self.palette.rich_style("icon")
        if span.link:
            style += self.palette.rich_style("icon") + Style(underline=True)
            if is_openable(span.link):  # a live (OSC 8) link only where o may open it: never javascript: or file:
                style += Style(link=span.link)
        return style


def _flowed(units: list[Text], joiner: Text, width: int, start: int = 0) -> Text:
    """``units`` joined by ``joiner``, each on a new line where it would not fit ``width`` after ``start`` cells.

    Breaking between units only keeps a name or a "Gold badge" whole; a unit wider than the
    pane is left for Rich to fold.
    """
    text = Text()
    used = start
    for unit in units:
        gap = joiner.cell_len if text else 0
        if used and used + gap + unit.cell_len > width:
            text.append("\n")
            used = 0
        elif gap:
            text.append_text(joiner)
            used += gap
        text.append_text(unit)
        used = min(used + unit.cell_len, width)
    return text


def _is_quoting(line: str) -> bool:
    return line.lstrip().startswith(_QUOTE_MARKS)
