"""Where each move lands, as pure functions of the thread and outline (no screen needed to test them).

Every function takes the current post index and returns the target post index,
or None when the move has nowhere to go. Moves never wrap around. Lookups by
author or decoration use indexes built once per thread, so a key press costs a
binary search, not a scan of the thread.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable

from tuireader.model import Thread
from tuireader.outline import Outline


class ThreadIndex:
    """Sorted post positions per author and for decorated posts, built lazily once per thread size."""

    def __init__(self, thread: Thread) -> None:
        self.thread = thread
        self._size = -1
        self._by_author: dict[str, list[int]] = {}
        self._decorated: list[int] = []

    def _update(self) -> None:
        posts = self.thread.posts
        if self._size == len(posts):
            return
        start = max(self._size, 0)
        for index in range(start, len(posts)):
            post = posts[index]
            self._by_author.setdefault(post.author, []).append(index)
            if post.badge or post.icons:
                self._decorated.append(index)
        self._size = len(posts)

    def by_author(self, author: str) -> list[int]:
        self._update()
        return self._by_author.get(author, [])

    def author_counts(self) -> dict[str, int]:
        self._update()
        return {author: len(indices) for author, indices in self._by_author.items()}

    def decorated(self) -> list[int]:
        self._update()
        return self._decorated


Keep = Callable[[int], bool]
"""Which posts a move may land on (the active filter's matches)."""


def _every(_: int) -> bool:
    return True


def _after(positions: list[int], index: int, keep: Keep) -> int | None:
    for position in range(bisect_right(positions, index), len(positions)):
        if keep(positions[position]):
            return positions[position]
    return None


def _before(positions: list[int], index: int, keep: Keep) -> int | None:
    for position in range(bisect_left(positions, index) - 1, -1, -1):
        if keep(positions[position]):
            return positions[position]
    return None


def next_row(outline: Outline, index: int, keep: Keep = _every) -> int | None:
    """The next visible post in reading order."""
    rows = outline.rows
    for row in range(bisect_right(rows, index), len(rows)):
        if keep(rows[row]):
            return rows[row]
    return None


def previous_row(outline: Outline, index: int, keep: Keep = _every) -> int | None:
    """The previous visible post in reading order."""
    rows = outline.rows
    row = bisect_left(rows, index)
    for candidate in range(row - 1, -1, -1):
        if keep(rows[candidate]):
            return rows[candidate]
    return None


def next_sibling(thread: Thread, index: int, keep: Keep = _every) -> int | None:
    sibling = thread.next_sibling(index)
    while sibling is not None and not keep(sibling):
        sibling = thread.next_sibling(sibling)
    return sibling


def previous_sibling(thread: Thread, index: int, keep: Keep = _every) -> int | None:
    sibling = thread.previous_sibling(index)
    while sibling is not None and not keep(sibling):
        sibling = thread.previous_sibling(sibling)
    return sibling


def parent(thread: Thread, index: int) -> int | None:
    found = thread.parent_index[index]
    return found if found >= 0 else None


def first_reply(thread: Thread, index: int, keep: Keep = _every) -> int | None:
    for child in thread.children(index):
        if keep(child):
            return child
    return None


def next_top_level(thread: Thread, index: int, keep: Keep = _every) -> int | None:
    return next_sibling(thread, thread.root_of(index), keep)


def previous_top_level(thread: Thread, index: int, keep: Keep = _every) -> int | None:
    """The top-level post above: this post's own top-level post when inside a branch, else the one before."""
    root = thread.root_of(index)
    if root != index and keep(root):
        return root
    return previous_sibling(thread, root, keep)


def first_post(outline: Outline, keep: Keep = _every) -> int | None:
    return next((index for index in outline.rows if keep(index)), None)


def last_post(outline: Outline, keep: Keep = _every) -> int | None:
    return next((index for index in reversed(outline.rows) if keep(index)), None)


def next_by_author(index_of: ThreadIndex, index: int, keep: Keep = _every) -> int | None:
    author = index_of.thread.posts[index].author
    return _after(index_of.by_author(author), index, keep)


def previous_by_author(index_of: ThreadIndex, index: int, keep: Keep = _every) -> int | None:
    author = index_of.thread.posts[index].author
    return _before(index_of.by_author(author), index, keep)


def next_decorated(index_of: ThreadIndex, index: int, keep: Keep = _every) -> int | None:
    return _after(index_of.decorated(), index, keep)


def previous_decorated(index_of: ThreadIndex, index: int, keep: Keep = _every) -> int | None:
    return _before(index_of.decorated(), index, keep)


class History:
    """Back and forward through the posts a jump left, like a browser or vim's jump list."""

    LIMIT = 500

    def __init__(self) -> None:
        self._back: list[int] = []
        self._forward: list[int] = []

    def record(self, origin: int) -> None:
        """Remember ``origin`` before a jump away from it (a new jump clears the forward list)."""
        if not self._back or self._back[-1] != origin:
            self._back.append(origin)
            del self._back[: -self.LIMIT]
        self._forward.clear()

    def back(self, current: int) -> int | None:
        if not self._back:
            return None
        self._forward.append(current)
        return self._back.pop()

    def forward(self, current: int) -> int | None:
        if not self._forward:
            return None
        self._back.append(current)
        return self._forward.pop()
