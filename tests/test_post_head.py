"""The pane's head stays one line of numbers at any depth, and numbers are written one way everywhere."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuireader.app import ReaderApp
from tuireader.model import Post, Thread
from tuireader.widgets.decor import MAX_ID_CHARS, short_id


def dotted_chain(depth: int) -> Thread:
    """Each post replies to the one before, numbered as forum text numbers them: 1, 1.1, 1.1.1, … 1.1.3.1."""
    parts = ["1"] * (depth - 2) + ["3", "1"]
    ids = [".".join(parts[: level + 1]) for level in range(depth)]
    posts = [Post(ids[level], ids[level - 1] if level else None, f"user{level % 7}") for level in range(depth)]
    posts[-1].author = "last"
    return Thread.build(posts, title="deep")


def pane_lines(app: ReaderApp) -> list[str]:
    """The pane's lines as drawn, without the scroll mark in its last column."""
    return [app.pane.render_line(y).text[:-2].rstrip() for y in range(app.pane.size.height)]


@pytest.mark.parametrize("depth", [30, 2_000])
async def test_the_head_of_a_deep_post_keeps_its_number_and_place_on_one_line(depth: int) -> None:
    thread = dotted_chain(depth)
    last = len(thread) - 1
    app = ReaderApp(thread)
    async with app.run_test(size=(100, 30)) as pilot:
        app.thread_view.select_index(last)
        await pilot.pause()
        lines = pane_lines(app)
        assert lines[0] == "last"
        assert lines[1].startswith(f"#1.1.…({depth - 4:,} more)….3.1  ·  {depth:,} / {depth:,}")
        assert lines[2].startswith("in reply to")
        tree = app.thread_view.render_line(app.thread_view.cursor_row - app.thread_view.scroll_offset.y).text
        assert "last" in tree and (depth < 100 or f"⋯{depth - 1:,} " in tree)


def test_short_ids_name_what_they_leave_out() -> None:
    deep = ".".join(["1"] * 1_998 + ["3", "1"])
    assert short_id(deep) == "1.1.…(1,996 more)….3.1"
    assert short_id("12.4.7") == "12.4.7"
    assert short_id("x" * 10_000) == "x" * 11 + "…" + "x" * 11


@given(st.text(alphabet="1234567890.ab", max_size=300))
def test_a_short_id_is_never_long(post_id: str) -> None:
    shown = short_id(post_id)
    assert len(shown) <= MAX_ID_CHARS or "more)" in shown
    assert len(shown) <= 40
    if len(post_id) <= MAX_ID_CHARS:
        assert shown == post_id


async def test_the_pane_writes_post_counts_as_the_header_does() -> None:
    thread = Thread.build([Post(str(n), None, f"user{n}") for n in range(1, 1_235)], title="many")
    app = ReaderApp(thread)
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        assert "1 / 1,234" in pane_lines(app)[1]
        assert "1,234 posts" in str(app.query_one("#header").render())
