"""The tree of posts, drawn line by line from the outline so it costs the same at 17 or 1,000,000 posts."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tuireader import navigation
from tuireader.outline import Outline
from tuireader.widgets.decor import Display, Piece, decoration_pieces, deleted_label, first_words
from tuireader.widgets.palette import Palette, PlainPalette
from tuireader.widgets.scrolling import set_virtual_size

_NOWHERE = {
    "next_row": "Last post",
    "previous_row": "First post",
    "next_sibling": "No next reply at this level",
    "previous_sibling": "No previous reply at this level",
    "parent": "Top-level post: no parent",
    "first_reply": "No replies",
    "next_top_level": "Last top-level post",
    "previous_top_level": "First top-level post",
    "first_post": "Already at the first post",
    "last_post": "Already at the last post",
    "next_by_author": "No later post by this author",
    "previous_by_author": "No earlier post by this author",
    "next_decorated": "No later post with a badge or an icon",
    "previous_decorated": "No earlier post with a badge or an icon",
}
MAX_GUIDE_LEVELS = 24
"""Beyond this depth the guides are summarised as a depth number, so a 10,000-deep post still fits."""
SCROLL_MARGIN = 3
"""Rows kept between the cursor and the top or bottom edge while moving."""
_TOGGLE = Style(meta={"toggle": True})
"""Marks the fold marker, so a click on it folds or unfolds."""
_DIM = Style(dim=True)
_ITALIC = Style(italic=True)


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
        Binding("down,j", "move('next_row')", "Next", show=False, tooltip="Next post in reading order", id="next"),
        Binding(
            "up,k", "move('previous_row')", "Prev", show=False, tooltip="Previous post in reading order", id="previous"
        ),
        Binding(
            "J",
            "move('next_sibling')",
            "Next sibling",
            show=False,
            tooltip="Next reply to the same post",
            id="next_sibling",
        ),
        Binding(
            "K",
            "move('previous_sibling')",
            "Prev sibling",
            show=False,
            tooltip="Previous reply to the same post",
            id="previous_sibling",
        ),
        Binding("u", "move('parent')", "Parent", show=False, tooltip="The post this one replies to", id="parent"),
        Binding(
            "left",
            "left",
            "Collapse/parent",
            show=False,
            tooltip="Collapse this post's replies, or go to its parent",
            id="left",
        ),
        Binding(
            "l,right",
            "first_reply",
            "First reply",
            show=False,
            tooltip="First reply (expands a collapsed post)",
            id="first_reply",
        ),
        Binding(
            "n", "move('next_top_level')", "Next top", show=False, tooltip="Next top-level post", id="next_top_level"
        ),
        Binding(
            "p",
            "move('previous_top_level')",
            "Prev top",
            show=False,
            tooltip="Previous top-level post",
            id="previous_top_level",
        ),
        Binding("g,home", "move('first_post')", "First", show=False, tooltip="First post", id="first_post"),
        Binding("G,end", "move('last_post')", "Last", show=False, tooltip="Last post", id="last_post"),
        Binding(
            "a",
            "move('next_by_author')",
            "Author ↓",
            show=False,
            tooltip="Next post by the same author",
            id="next_by_author",
        ),
        Binding(
            "A",
            "move('previous_by_author')",
            "Author ↑",
            show=False,
            tooltip="Previous post by the same author",
            id="previous_by_author",
        ),
        Binding(
            "]",
            "move('next_decorated')",
            "Marked ↓",
            show=False,
            tooltip="Next post with a badge or an icon",
            id="next_decorated",
        ),
        Binding(
            "[",
            "move('previous_decorated')",
            "Marked ↑",
            show=False,
            tooltip="Previous post with a badge or an icon",
            id="previous_decorated",
        ),
        Binding("enter,space", "toggle_fold", "Fold", tooltip="Collapse or expand this post's replies", id="toggle"),
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

    cursor_row: var[int] = var(0, always_update=True, init=False)
    """The cursor's row in the outline; its watcher repaints just the rows that changed."""
    highlighted: var[int | None] = var(None, init=False)
    """The post under the cursor. Watch it (rather than wait for a message) to draw in the same frame as the tree."""

    def __init__(
        self,
        outline: Outline,
        *,
        palette: Palette | None = None,
        display: Display | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.outline = outline
        self.palette: Palette = palette or PlainPalette()
        self.display_options = display or Display()
        self._line_cache: LRUCache[tuple[int, int, bool, bool, bool, Style], Strip] = LRUCache(1024)
        self.history = navigation.History()
        self.partial = False
        """True while the thread is still loading: whole-thread keys then say they acted on part of it."""
        self.matches: bytearray | None = None
        self.hide_unmatched = False
        self.thread_index = navigation.ThreadIndex(outline.thread)
        self._frame = _Frame(0, 0, False, Style(), Strip([]))
        self._sync_size()

    # Public API ---------------------------------------------------------------

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

    def keep(self, index: int) -> bool:
        """Whether moves may land on post ``index``: only posts the author filter matches."""
        return self.matches is None or bool(self.matches[index])

    def set_matches(self, matches: bytearray | None, *, hide: bool) -> None:
        """Mark which posts the filter matches; others show as context (only-mode) or as stubs (hide-mode)."""
        self.matches = matches
        self.hide_unmatched = hide
        self.restyle()

    def _target(self, move: str, index: int) -> int | None:
        thread, outline, keep = self.outline.thread, self.outline, self.keep
        moves: dict[str, Callable[[], int | None]] = {
            "next_row": lambda: navigation.next_row(outline, index, keep),
            "previous_row": lambda: navigation.previous_row(outline, index, keep),
            "next_sibling": lambda: navigation.next_sibling(thread, index, keep),
            "previous_sibling": lambda: navigation.previous_sibling(thread, index, keep),
            "parent": lambda: navigation.parent(thread, index),
            "first_reply": lambda: navigation.first_reply(thread, index, keep),
            "next_top_level": lambda: navigation.next_top_level(thread, index, keep),
            "previous_top_level": lambda: navigation.previous_top_level(thread, index, keep),
            "first_post": lambda: navigation.first_post(outline, keep),
            "last_post": lambda: navigation.last_post(outline, keep),
            "next_by_author": lambda: navigation.next_by_author(self.thread_index, index, keep),
            "previous_by_author": lambda: navigation.previous_by_author(self.thread_index, index, keep),
            "next_decorated": lambda: navigation.next_decorated(self.thread_index, index, keep),
            "previous_decorated": lambda: navigation.previous_decorated(self.thread_index, index, keep),
        }
        return moves[move]()

    def action_move(self, move: str) -> None:
        """Move the cursor; every move but the next/previous row is a jump that history remembers."""
        index = self.cursor_index
        if index is None:
            return
        target = self._target(move, index)
        if target is None or target == index:
            self.notify(_NOWHERE.get(move, "Nowhere to go"), timeout=1.5)
            return
        if move not in ("next_row", "previous_row"):
            self.history.record(index)
        self.select_index(target)
        if move == "last_post":
            self._say_if_partial()

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
        if self.partial:
            self.notify(f"Still loading: this acted on the {len(self.outline.thread):,} posts read so far", timeout=3)

    def action_back(self) -> None:
        self._travel(self.history.back, "No earlier jump to go back to")

    def action_forward(self) -> None:
        self._travel(self.history.forward, "Nothing to go forward to")

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
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        frame = self._frame
        row = frame.top + y
        if not 0 <= row < len(self.outline.rows):
            return frame.blank
        index = self.outline.rows[row]
        selected = row == self.cursor_row
        key = (index, frame.width, selected, frame.focused, self.outline.is_collapsed(index), frame.base)
        strip = self._line_cache.get(key)
        if strip is None:
            line_style = frame.base
            if selected:
                line_style += self.palette.rich_style("selection")
                if not frame.focused:
                    line_style += Style(dim=True)
            strip = self._line_cache[key] = self._render_row(index, frame.width, line_style)
        return strip

    def _render_row(self, index: int, width: int, line_style: Style) -> Strip:
        """One tree line, cut with an ellipsis or padded to ``width``.

        Built as segments and made into one Strip: a rich Text, or Strip's own crop and pad
        (each makes a new Strip), costs several times as much per line.
        """
        if width <= 0:
            return Strip([])
        segments: list[Segment] = []
        room = width
        pieces = [piece for piece in self._row_pieces(index, width) if piece[0]]
        for position, (text, style) in enumerate(pieces):
            length = cell_len(text)
            segment_style = line_style + style if style else line_style
            if length > room or (length == room and position < len(pieces) - 1):
                segments.append(Segment(set_cell_size(text, room - 1), segment_style))
                segments.append(Segment("…", line_style))
                return Strip(segments, width)
            segments.append(Segment(text, segment_style))
            room -= length
        if room:
            segments.append(Segment(" " * room, line_style))
        return Strip(segments, width)

    def _row_pieces(self, index: int, width: int) -> list[Piece]:
        thread = self.outline.thread
        post = thread.posts[index]
        palette = self.palette
        pieces = self._guides(index, width)
        collapsed = self.outline.is_collapsed(index)
        marker = ("▸ " if collapsed else "▾ ") if self.outline.has_replies(index) else "• "
        pieces.append((marker, _TOGGLE + palette.depth_style(thread.depth[index])))
        unmatched = self.matches is not None and not self.matches[index]
        if unmatched and self.hide_unmatched:
            pieces.append((f"hidden: {post.author or '(no name)'}", palette.rich_style("context")))
        elif post.deleted:
            pieces.append((deleted_label(post), palette.rich_style("deleted")))
        else:
            pieces.append((post.author or "(no name)", palette.rich_style("author")))
            if thread.is_op_reply(index):
                pieces.append((" OP", palette.rich_style("op")))
            pieces += decoration_pieces(post, palette, self.display_options, compact=True)
            label = post.title or first_words(post.body)
            if label:
                pieces.append((" · ", _DIM))
                pieces.append((label, palette.rich_style("title") if post.title else _ITALIC))
        if collapsed:
            hidden = thread.reply_count(index)
            pieces.append((f"  (+{hidden} {'reply' if hidden == 1 else 'replies'})", _DIM))
        if unmatched and not self.hide_unmatched:
            context = palette.rich_style("context")
            pieces = [(text, style + context if style else context) for text, style in pieces]
        return pieces

    def _guides(self, index: int, width: int) -> list[Piece]:
        """Tree guides for post ``index``: one column pair per ancestor level, coloured by depth.

        At most a third of the line (and MAX_GUIDE_LEVELS levels) goes to guides; deeper
        levels are summarised as ``⋯DEPTH``, so a deep post still shows its author and the
        cost of drawing it stays bounded.
        """
        thread = self.outline.thread
        depth = thread.depth[index]
        guides: list[Piece] = []
        if depth == 0:
            return guides
        room = max(1, min(MAX_GUIDE_LEVELS, (width // 3 - len(f"⋯{depth} ")) // 2))
        levels: list[tuple[int, bool]] = []
        node = index
        while thread.parent_index[node] >= 0 and len(levels) < room:
            levels.append((thread.depth[node], thread.next_sibling(node) is not None))
            node = thread.parent_index[node]
        levels.reverse()
        if thread.parent_index[node] >= 0:
            guides.append((f"⋯{depth} ", _DIM))
        for position, (level, has_next) in enumerate(levels):
            if position == len(levels) - 1:
                glyph = "├─" if has_next else "└─"  # the post's own connector
            else:
                glyph = "│ " if has_next else "  "  # an ancestor's line continuing past this row
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
