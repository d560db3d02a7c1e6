"""The rows a thread view shows: which posts are visible given collapsed posts and a filter.

Rows are kept as a sorted list of post indices. Because every subtree is a
contiguous run of the thread's reading order, collapsing is one slice deletion
and finding a post's row is one binary search, so the cost of a key press does
not grow with the thread. Only whole-thread operations (expand all, fold by
level, a new filter) walk every post, once.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import compress, repeat
from operator import gt, lt

from tuireader.model import Thread


class Outline:
    """Visible rows over a :class:`Thread`, with expand/collapse state and an optional filter."""

    def __init__(self, thread: Thread) -> None:
        self.thread = thread
        self.collapsed = bytearray(len(thread))
        self.included: bytearray | None = None
        """Posts the filter keeps (None: all). Always closed under ancestors: a kept post's parent is kept."""
        self.rows: list[int] = list(range(len(thread)))

    def __len__(self) -> int:
        return len(self.rows)

    # Lookups -----------------------------------------------------------------

    def row_of(self, index: int) -> int | None:
        """The row showing post ``index``, or None when it is hidden."""
        row = bisect_left(self.rows, index)
        if row < len(self.rows) and self.rows[row] == index:
            return row
        return None

    def nearest_row(self, index: int) -> int:
        """The row of post ``index`` or, when it is hidden, of the closest visible post before it."""
        if not self.rows:
            return 0
        row = bisect_left(self.rows, index)
        if row < len(self.rows) and self.rows[row] == index:
            return row
        return max(row - 1, 0)

    def has_replies(self, index: int) -> bool:
        return self.thread.end[index] > index + 1

    def is_collapsed(self, index: int) -> bool:
        return bool(self.collapsed[index]) and self.has_replies(index)

    def is_kept(self, index: int) -> bool:
        return self.included is None or bool(self.included[index])

    # Single posts ------------------------------------------------------------

    def collapse(self, index: int) -> bool:
        """Hide the replies of post ``index``; False when there was nothing to hide."""
        if not self.has_replies(index) or self.collapsed[index]:
            return False
        self.collapsed[index] = 1
        row = self.row_of(index)
        if row is not None:
            stop = bisect_left(self.rows, self.thread.end[index], row + 1)
            del self.rows[row + 1 : stop]
        return True

    def expand(self, index: int) -> bool:
        """Show the replies of post ``index`` (keeping nested collapsed posts collapsed)."""
        if not self.has_replies(index) or not self.collapsed[index]:
            return False
        self.collapsed[index] = 0
        row = self.row_of(index)
        if row is not None:
            self.rows[row + 1 : row + 1] = self._visible_between(index + 1, self.thread.end[index])
        return True

    def toggle(self, index: int) -> bool:
        return self.expand(index) if self.collapsed[index] else self.collapse(index)

    def reveal(self, index: int) -> None:
        """Expand every collapsed ancestor of post ``index`` so that it gets a row."""
        for ancestor in self.thread.ancestors(index):
            if self.collapsed[ancestor]:
                self.expand(ancestor)

    # Whole thread ------------------------------------------------------------

    def collapse_all(self) -> None:
        end = self.thread.end
        self.collapsed = bytearray(map(gt, end, range(1, len(end) + 1)))  # has replies: end[i] > i + 1
        roots = list(compress(range(len(end)), map(lt, self.thread.parent_index, repeat(0))))
        self.rows = roots if self.included is None else [i for i in roots if self.included[i]]

    def expand_all(self) -> None:
        self.collapsed = bytearray(len(self.thread))
        self._reset_rows()

    def fold_to_level(self, level: int) -> None:
        """Show posts down to ``level`` (1 is top-level posts only); 0 shows everything."""
        if level <= 0:
            self.expand_all()
            return
        depth, end = self.thread.depth, self.thread.end
        self.collapsed = bytearray(depth[i] == level - 1 and end[i] > i + 1 for i in range(len(depth)))
        shallow = [d < level for d in depth]
        if self.included is not None:
            shallow = [keep and bool(inc) for keep, inc in zip(shallow, self.included, strict=True)]
        self.rows = list(compress(range(len(depth)), shallow))

    def set_filter(self, included: bytearray | None) -> None:
        """Keep only the posts marked in ``included`` (closed under ancestors), or all with None."""
        self.included = included
        self._reset_rows()

    def grow(self) -> None:
        """Add rows for posts appended to the thread since the last call (progressive loading)."""
        thread = self.thread
        start = len(self.collapsed)
        total = len(thread)
        if total == start:
            return
        self.collapsed.extend(bytes(total - start))
        if self.included is not None:
            self.included.extend(b"\1" * (total - start))
        parent_index = thread.parent_index
        hidden = bytearray(total - start)
        rows = self.rows
        for index in range(start, total):
            parent = parent_index[index]
            if parent < 0:
                rows.append(index)
            elif parent >= start:
                if hidden[parent - start] or self.collapsed[parent]:
                    hidden[index - start] = 1
                else:
                    rows.append(index)
            elif self.collapsed[parent] or self.row_of(parent) is None:
                hidden[index - start] = 1
            else:
                rows.append(index)

    # Internals ---------------------------------------------------------------

    def _reset_rows(self) -> None:
        if not any(self.collapsed):
            total = len(self.thread)
            self.rows = list(range(total)) if self.included is None else list(compress(range(total), self.included))
            return
        self.rows = self._visible_between(0, len(self.thread))

    def _visible_between(self, start: int, stop: int) -> list[int]:
        """Visible posts among ``start..stop`` (a run of whole subtrees), skipping collapsed replies."""
        end, collapsed, included = self.thread.end, self.collapsed, self.included
        visible: list[int] = []
        index = start
        while index < stop:
            if included is not None and not included[index]:
                index = end[index]
                continue
            visible.append(index)
            index = end[index] if collapsed[index] else index + 1
        return visible
