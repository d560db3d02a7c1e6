"""The visible-rows index checked against a plain reference implementation on random trees and operations."""

from __future__ import annotations

from helpers import thread_from_outline
from hypothesis import given
from hypothesis import strategies as st

from tuireader.model import Post, Thread
from tuireader.outline import Outline


def reference_rows(thread: Thread, collapsed: set[int], included: set[int] | None) -> list[int]:
    """Visible posts by definition: kept by the filter, and no ancestor collapsed."""
    rows = []
    for index in range(len(thread)):
        if included is not None and index not in included:
            continue
        if any(ancestor in collapsed for ancestor in thread.ancestors(index)):
            continue
        rows.append(index)
    return rows


@st.composite
def random_threads(draw: st.DrawFn) -> Thread:
    size = draw(st.integers(min_value=1, max_value=40))
    parents = [None] + [draw(st.one_of(st.none(), st.integers(0, i - 1))) for i in range(1, size)]
    posts = [Post(str(i), None if p is None else str(p), f"a{i % 3}") for i, p in enumerate(parents)]
    return Thread.build(posts)


operations = st.lists(
    st.tuples(
        st.sampled_from(["collapse", "expand", "toggle", "reveal", "collapse_all", "expand_all", "fold", "filter"]),
        st.integers(0, 60),
    ),
    max_size=25,
)


@given(random_threads(), operations)
def test_rows_match_reference(thread: Thread, ops: list[tuple[str, int]]) -> None:
    outline = Outline(thread)
    collapsed: set[int] = set()
    included: set[int] | None = None
    n = len(thread)
    has_replies = {i for i in range(n) if thread.end[i] > i + 1}
    for op, arg in ops:
        index = arg % n
        if op == "collapse":
            outline.collapse(index)
            if index in has_replies:
                collapsed.add(index)
        elif op == "expand":
            outline.expand(index)
            collapsed.discard(index)
        elif op == "toggle":
            outline.toggle(index)
            if index in collapsed:
                collapsed.discard(index)
            elif index in has_replies:
                collapsed.add(index)
        elif op == "reveal":
            outline.reveal(index)
            collapsed -= set(thread.ancestors(index))
        elif op == "collapse_all":
            outline.collapse_all()
            collapsed = set(has_replies)
        elif op == "expand_all":
            outline.expand_all()
            collapsed = set()
        elif op == "fold":
            level = arg % 4
            outline.fold_to_level(level)
            collapsed = set() if level == 0 else {i for i in has_replies if thread.depth[i] == level - 1}
        elif op == "filter":
            if arg % 3 == 0:
                included = None
                outline.set_filter(None)
            else:
                author = f"a{arg % 3}"
                keep = {i for i in range(n) if thread.posts[i].author == author}
                for i in list(keep):
                    keep.update(thread.ancestors(i))
                included = keep
                outline.set_filter(bytearray(i in keep for i in range(n)))
        assert outline.rows == reference_rows(thread, collapsed, included), (op, arg)
        for row, index in enumerate(outline.rows):
            assert outline.row_of(index) == row


@given(random_threads(), st.integers(1, 39), st.lists(st.integers(0, 60), max_size=5))
def test_grow_matches_reference(thread: Thread, split: int, collapse: list[int]) -> None:
    """Posts appended while loading get rows exactly when no collapsed ancestor hides them."""
    split = min(split, len(thread))
    partial = Thread.build(thread.posts[:split])
    outline = Outline(partial)
    collapsed = set()
    for arg in collapse:
        index = arg % split
        if outline.collapse(index):
            collapsed.add(index)
    partial.extend(thread.posts[split:])
    outline.grow()
    assert outline.rows == reference_rows(partial, collapsed, None)


def test_collapse_hides_and_counts() -> None:
    thread = thread_from_outline("1 a\n1.1 b\n1.1.1 c\n1.2 d\n2 e")
    outline = Outline(thread)
    assert outline.collapse(0)
    assert outline.rows == [0, 4]
    assert outline.is_collapsed(0) and not outline.collapse(4)
    assert outline.row_of(2) is None and outline.nearest_row(2) == 0
    outline.reveal(2)
    assert outline.rows == [0, 1, 2, 3, 4]
