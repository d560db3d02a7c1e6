"""The tree of posts, drawn line by line from the outline so it costs the same at 17 or 1,000,000 posts."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Offset, Region, Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tuireader.outline import Outline
from tuireader.session import (
    CONTEXT,
    FILTER_MASK,
    FIRST_REPLY,
    HIDDEN,
    MOVES,
    MOVES_BY_NAME,
    PREVIOUS_MATCH,
    SEARCH_HIT,
    UNREAD,
    UNREAD_MOVES,
    Move,
    ReadingSession,
)
from tuireader.widgets.decor import Display, Piece, decoration_pieces, deleted_label, first_words
from tuireader.widgets.glyphs import UNICODE, Glyphs
from tuireader.widgets.palette import Palette, PlainPalette
from tuireader.widgets.scrolling import set_virtual_size
from tuireader.widgets.wrap import cell_width, fit_cells

MAX_GUIDE_LEVELS = 24
"""Beyond this depth the guides are summarised as a depth number, so a 10,000-deep post still fits."""
SCROLL_MARGIN = 3
"""Rows kept between the cursor and the top or bottom edge while moving."""
_TOGGLE = Style(meta={"toggle": True})
"""Marks the fold marker, so a click on it folds or unfolds."""
_DIM = Style(dim=True)
_ITALIC = Style(italic=True)


def _move_binding(move: Move) -> Binding:
    """A move key from the session's table of moves."""
    action = f"move('{move.name}')"
    return Binding(move.keys, action, move.description, show=False, tooltip=move.tooltip, id=move.binding_id)


class _Frame(NamedTuple):
    """What every line drawn in one frame shares."""

    top: int
    width: int
    focused: bool
    base: Style
    blank: Strip


class ThreadView(ScrollView, can_focus=True, inherit_bindings=False):
    """A collapsible tree of posts: guides, fold marker, author, badge, icons and title on each line."""

    DEFAULT_CSS = """
    ThreadView {
        background: $surface;
        /* No scrollbar (the pane's head gives the position), and never one to show or hide:
           that would lay out the whole screen, as when collapsing leaves fewer rows than fit. */
        overflow-y: scroll;
        scrollbar-visibility: hidden;
        scrollbar-size-vertical: 0;
        &:focus { background-tint: $foreground 3%; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *[_move_binding(move) for move in MOVES[:5]],
        Binding(
            "left,h",
            "left",
            "Collapse/parent",
            show=False,
            tooltip="Collapse this post's replies, or go to its parent",
            id="left",
        ),
        Binding(
            FIRST_REPLY.keys,
            "first_reply",
            FIRST_REPLY.description,
            show=False,
            tooltip=FIRST_REPLY.tooltip,
            id=FIRST_REPLY.binding_id,
        ),
        *[_move_binding(move) for move in MOVES[5:]],
        Binding("enter", "toggle_fold", "Fold", tooltip="Collapse or expand this post's replies", id="toggle"),
        *[_move_binding(move) for move in UNREAD_MOVES],
        _move_binding(PREVIOUS_MATCH),
        Binding("m", "toggle_read", "Read/unread", show=False, tooltip="Mark this post read or unread", id="mark"),
        Binding(
            "M",
            "mark_subtree_read",
            "Replies read",
            show=False,
            tooltip="Mark this post and every reply below it read",
            id="mark_subtree",
        ),
        Binding("c", "collapse_all", "Collapse all", show=False, tooltip="Collapse every post", id="collapse_all"),
        Binding("e", "expand_all", "Expand all", show=False, tooltip="Expand every post", id="expand_all"),
        *[
            Binding(
                str(level),
                f"fold({level})",
                f"Level {level}",
                show=False,
                tooltip=f"Show only posts down to depth {level}",
                id=f"fold_{level}",
            )
            for level in range(1, 10)
        ],
        Binding("0", "fold(0)", "All levels", show=False, tooltip="Show posts at every depth", id="fold_0"),
        Binding(
            "backspace,ctrl+o", "back", "Back", show=False, tooltip="Back to where the last jump started", id="back"
        ),
        Binding(
            "ctrl+f", "forward", "Forward", show=False, tooltip="Forward again through the jump history", id="forward"
        ),
    ]

    class ReadMarksChanged(Message):
        """The user marked posts read or unread: the status line's count changes."""

    class PostOpened(Message):
        """A folded post was opened on purpose (Enter on a hidden author's stub, or on a content warning)."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    cursor_row: var[int] = var(0, always_update=True, init=False)
    """The cursor's row in the outline; its watcher repaints just the rows that changed."""
    highlighted: var[int | None] = var(None, init=False)
    """The post under the cursor. Watch it (rather than wait for a message) to draw in the same frame as the tree."""

    def __init__(
        self,
        session: ReadingSession,
        *,
        palette: Palette | None = None,
        display: Display | None = None,
        glyphs: Glyphs = UNICODE,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.session = session
        self.palette: Palette = palette or PlainPalette()
        self.display_options = display or Display()
        self.glyphs = glyphs
        self._line_cache: LRUCache[tuple[int, int, bool, bool, bool, int, Style], Strip] = LRUCache(1024)
        """Lines by what they show: a post whose state changes gets a new key, so only its line is drawn again."""
        self._frame = _Frame(0, 0, False, Style(), Strip([]))
        self._sync_size()

    # Public API ---------------------------------------------------------------

    @property
    def outline(self) -> Outline:
        return self.session.outline

    @property
    def cursor_index(self) -> int | None:
        """The post under the cursor, or None when no row is visible."""
        rows = self.outline.rows
        return rows[self.cursor_row] if 0 <= self.cursor_row < len(rows) else None

    def select_index(self, index: int) -> None:
        """Put the cursor on post ``index``, expanding its ancestors when it is hidden."""
        if self.outline.row_of(index) is None:
            self.outline.reveal(index)
            self.rows_changed()
        row = self.outline.row_of(index)
        if row is not None:
            self.cursor_row = row

    def rows_changed(self, keep_index: int | None = None) -> None:
        """Redraw after the outline changed; keep the cursor on ``keep_index`` (or the current post).

        Lines already drawn stay cached: a line depends on its post and fold state, not on its row.
        """
        index = self.cursor_index if keep_index is None else keep_index
        self._sync_size()
        if index is not None:
            self.cursor_row = self.outline.nearest_row(index)
        else:
            self.cursor_row = min(self.cursor_row, max(len(self.outline) - 1, 0))
        self.refresh()

    def restyle(self) -> None:
        """Redraw every line, after the theme, the display options, the filter or the thread changed."""
        self._line_cache.clear()
        self.refresh()

    # Actions --------------------------------------------------------------------

    def action_move(self, move: str) -> None:
        """Move the cursor; every move but the next/previous row is a jump that history remembers.

        While a search is in force, n and N go to its matches (the session says which move a key makes).
        """
        index = self.cursor_index
        if index is None:
            return
        move = self.session.move_for(move)
        target = self.session.target(move, index)
        if target is None or target == index:
            self.notify(MOVES_BY_NAME[move].nowhere, timeout=1.5)
            return
        if MOVES_BY_NAME[move].jump:
            self.session.history.record(index)
        self.select_index(target)
        if move == "last_post":
            self._say_if_partial()

    def action_toggle_read(self) -> None:
        index = self.cursor_index
        if index is None:
            return
        read = self.session.toggle_read(index)
        self.refresh_post_line(index)
        self.post_message(self.ReadMarksChanged())
        self.notify("Marked read" if read else "Marked unread", timeout=1)

    def action_mark_subtree_read(self) -> None:
        index = self.cursor_index
        if index is None:
            return
        changed = self.session.mark_subtree_read(index)
        self.refresh()
        self.post_message(self.ReadMarksChanged())
        self.notify(f"{changed:,} {'post' if changed == 1 else 'posts'} marked read", timeout=1.5)

    def refresh_post_line(self, index: int) -> None:
        """Redraw one post's line after its state changed (read, a search hit): its cache key changed with it."""
        row = self.outline.row_of(index)
        if row is not None:
            self._refresh_row(row)

    def action_left(self) -> None:
        index = self.cursor_index
        if index is None:
            return
        if self.outline.has_replies(index) and not self.outline.is_collapsed(index):
            self.outline.collapse(index)
            self.rows_changed(index)
        else:
            self.action_move("parent")

    def action_first_reply(self) -> None:
        index = self.cursor_index
        if index is None:
            return
        if self.outline.is_collapsed(index):
            self.outline.expand(index)
            self.rows_changed(index)
        self.action_move("first_reply")

    def action_toggle_fold(self) -> None:
        index = self.cursor_index
        if index is None:
            return
        if self.session.open_post(index):
            self.post_message(self.PostOpened(index))
            self._refresh_row(self.cursor_row)
            return
        if not self.outline.toggle(index):
            self.notify("No replies to fold", timeout=1.5)
            return
        self.rows_changed(index)

    def action_collapse_all(self) -> None:
        index = self.cursor_index
        self.outline.collapse_all()
        self.rows_changed(None if index is None else self.outline.thread.root_of(index))
        self._say_if_partial()

    def action_expand_all(self) -> None:
        self.outline.expand_all()
        self.rows_changed()
        self._say_if_partial()

    def action_fold(self, level: int) -> None:
        self.outline.fold_to_level(level)
        self.rows_changed()
        self.notify("Showing every level" if level == 0 else f"Showing posts down to level {level}", timeout=1.5)
        self._say_if_partial()

    def _say_if_partial(self) -> None:
        if self.session.loading:
            self.notify(f"Still loading: this acted on the {len(self.outline.thread):,} posts read so far", timeout=3)

    def action_back(self) -> None:
        self._travel(self.session.history.back, "No earlier jump to go back to")

    def action_forward(self) -> None:
        self._travel(self.session.history.forward, "Nothing to go forward to")

    def _travel(self, step: Callable[[int], int | None], nowhere: str) -> None:
        index = self.cursor_index
        if index is None:
            return
        target = step(index)
        if target is None:
            self.notify(nowhere, timeout=1.5)
            return
        self.select_index(target)

    # Rendering -----------------------------------------------------------------

    def watch_cursor_row(self, old_row: int, new_row: int) -> None:
        clamped = max(0, min(new_row, len(self.outline) - 1))
        if clamped != new_row:
            self.cursor_row = clamped
            return
        self._refresh_row(old_row)
        self._refresh_row(new_row)
        self._scroll_to_cursor()
        if self.cursor_index is not None:
            self.highlighted = self.cursor_index

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every line of this frame shares, looked up once rather than once per line.
        base = self.rich_style
        width = self.scrollable_content_region.width
        self._frame = _Frame(self.scroll_offset.y, width, self.has_focus, base, Strip.blank(width, base))
        if self.has_focus:
            self._place_terminal_cursor()
        return super().render_lines(crop)

    def _place_terminal_cursor(self) -> None:
        """Put the terminal's own (hidden) cursor on the selected row, at its author.

        Screen readers and braille displays follow the terminal's cursor, so they read the
        post the user is on; Textual moves the cursor there after every frame it draws.
        """
        index = self.cursor_index
        region = self.scrollable_content_region
        y = self.cursor_row - self.scroll_offset.y
        if index is None or not 0 <= y < region.height:
            return
        guides = sum(cell_len(text) for text, _ in self._guides(index, region.width))
        column = min(cell_len(self.glyphs.unread) + guides + cell_len(self.glyphs.leaf), max(region.width - 1, 0))
        self.app.cursor_position = Offset(region.x + column, region.y + y)

    def render_line(self, y: int) -> Strip:
        frame = self._frame
        row = frame.top + y
        if not 0 <= row < len(self.outline.rows):
            return frame.blank
        index = self.outline.rows[row]
        selected = row == self.cursor_row
        state = self.session.line_state(index)
        key = (index, frame.width, selected, frame.focused, self.outline.is_collapsed(index), state, frame.base)
        strip = self._line_cache.get(key)
        if strip is None:
            line_style = frame.base
            if selected:
                line_style += self.palette.rich_style("selection")
                if not frame.focused:
                    line_style += Style(dim=True)
            strip = self._line_cache[key] = self._render_row(index, frame.width, line_style, state)
        return strip

    def _render_row(self, index: int, width: int, line_style: Style, state: int) -> Strip:
        """One tree line, cut with an ellipsis or padded to ``width``.

        Built as segments and made into one Strip: a rich Text, or Strip's own crop and pad
        (each makes a new Strip), costs several times as much per line.
        """
        if width <= 0:
            return Strip([])
        segments: list[Segment] = []
        room = width
        pieces = [piece for piece in self._row_pieces(index, width, state) if piece[0]]
        for position, (text, style) in enumerate(pieces):
            length = cell_width(text)
            segment_style = line_style + style if style else line_style
            if length > room or (length == room and position < len(pieces) - 1):
                segments.append(Segment(fit_cells(text, room - 1), segment_style))
                segments.append(Segment(self.glyphs.ellipsis, line_style))
                return Strip(segments, width)
            segments.append(Segment(text, segment_style))
            room -= length
        if room:
            segments.append(Segment(" " * room, line_style))
        return Strip(segments, width)

    def _row_pieces(self, index: int, width: int, state: int) -> list[Piece]:
        thread = self.outline.thread
        post = thread.posts[index]
        palette, glyphs = self.palette, self.glyphs
        shown = state & FILTER_MASK
        # Unread and search matches each have a glyph as well as a style, so no meaning rests on colour alone.
        pieces: list[Piece] = [(glyphs.unread, palette.rich_style("unread")) if state & UNREAD else (glyphs.read, None)]
        pieces += self._guides(index, width)
        collapsed = self.outline.is_collapsed(index)
        marker = glyphs.leaf
        if self.outline.has_replies(index):
            marker = glyphs.collapsed if collapsed else glyphs.expanded
        pieces.append((marker, _TOGGLE + palette.depth_style(thread.depth[index])))
        if shown == CONTEXT:  # a mark as well as the context style, which a theme may leave plain
            pieces.append((glyphs.context, None))
        if shown == HIDDEN:
            pieces.append((f"hidden: {post.author or '(no name)'}", palette.rich_style("context")))
        elif post.deleted:
            pieces.append((deleted_label(post, glyphs), palette.rich_style("deleted")))
        else:
            pieces.append((post.author or "(no name)", palette.rich_style("author")))
            if state & SEARCH_HIT:
                pieces.append((glyphs.search, palette.rich_style("search_match")))
            if thread.is_op_reply(index):
                pieces.append((" OP", palette.rich_style("op")))
            pieces += decoration_pieces(post, palette, self.display_options, compact=True, glyphs=glyphs)
            label = post.title or first_words(post.body, ellipsis=glyphs.ellipsis)
            if label:
                pieces.append((f" {glyphs.separator} ", _DIM))
                pieces.append((label, palette.rich_style("title") if post.title else _ITALIC))
        if collapsed:
            hidden = thread.reply_count(index)
            pieces.append((f"  (+{hidden:,} {'reply' if hidden == 1 else 'replies'})", _DIM))
        if shown == CONTEXT:
            context = palette.rich_style("context")
            pieces = [(text, style + context if style else context) for text, style in pieces]
        return pieces

    def _guides(self, index: int, width: int) -> list[Piece]:
        """Tree guides for post ``index``: one column pair per ancestor level, coloured by depth.

        At most a third of the line (and MAX_GUIDE_LEVELS levels) goes to guides; deeper
        levels are summarised as ``⋯DEPTH``, so a deep post still shows its author and the
        cost of drawing it stays bounded.
        """
        thread, glyphs = self.outline.thread, self.glyphs
        depth = thread.depth[index]
        guides: list[Piece] = []
        if depth == 0:
            return guides
        deeper = f"{glyphs.deeper}{depth:,} "
        room = max(1, min(MAX_GUIDE_LEVELS, (width // 3 - len(deeper)) // 2))
        levels: list[tuple[int, bool]] = []
        node = index
        while thread.parent_index[node] >= 0 and len(levels) < room:
            levels.append((thread.depth[node], thread.next_sibling(node) is not None))
            node = thread.parent_index[node]
        levels.reverse()
        if thread.parent_index[node] >= 0:
            guides.append((deeper, _DIM))
        for position, (level, has_next) in enumerate(levels):
            if position == len(levels) - 1:
                glyph = glyphs.tee if has_next else glyphs.elbow  # the post's own connector
            else:
                glyph = glyphs.pipe if has_next else "  "  # an ancestor's line continuing past this row
            guides.append((glyph, self.palette.depth_style(level - 1)))
        return guides

    # Helpers ---------------------------------------------------------------

    def _sync_size(self) -> None:
        set_virtual_size(self, Size(0, len(self.outline)))

    def _refresh_row(self, row: int) -> None:
        y = row - self.scroll_offset.y
        if 0 <= y < self.size.height:  # a row off screen would stretch the repainted area over other widgets
            self.refresh(Region(0, y, self.size.width, 1))

    def _scroll_to_cursor(self) -> None:
        margin = min(SCROLL_MARGIN, max((self.scrollable_content_region.height - 1) // 2, 0))
        top = max(self.cursor_row - margin, 0)
        self.scroll_to_region(
            Region(0, top, 1, self.cursor_row - top + margin + 1),
            animate=False,
            force=True,
            x_axis=False,
            immediate=True,
        )

    def on_resize(self, event: events.Resize) -> None:
        self._line_cache.clear()
        self._scroll_to_cursor()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = self.scroll_offset.y + offset.y
        if not 0 <= row < len(self.outline):
            return
        self.cursor_row = row
        if event.style.meta.get("toggle"):
            self.action_toggle_fold()
