"""Every move, driven with real key presses on a thread whose structure the test knows."""

from __future__ import annotations

import pytest
from helpers import notices, screen_text, thread_from_outline

from tuireader.app import ReaderApp
from tuireader.model import Post, Thread
from tuireader.screens.help import HelpScreen

SPEC = """
1 alice
1.1 bob
1.1.1 carol
1.1.2 alice
1.2 dave
2 erin
2.1 bob
2.1.1 alice
3 frank
3.1 gina
4 alice
"""


def decorated_thread() -> Thread:
    thread = thread_from_outline(SPEC)
    posts = list(thread.posts)
    posts[2].badge = "Gold"  # 1.1.1
    posts[6].icons = ("Thumb Up",)  # 2.1
    return Thread.build(posts, title="decorated")


def current(app: ReaderApp) -> str:
    index = app.thread_view.cursor_index
    assert index is not None
    return app.thread.posts[index].id


async def press_and_see(app: ReaderApp, pilot: object, *keys: str) -> str:
    await pilot.press(*keys)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    return current(app)


@pytest.mark.parametrize(
    ("start", "keys", "expected"),
    [
        ("1", ["j"], "1.1"),
        ("1", ["down", "down"], "1.1.1"),
        ("1.1", ["k"], "1"),
        ("1.1", ["up"], "1"),
        ("1.1", ["J"], "1.2"),
        ("1.2", ["K"], "1.1"),
        ("1.1.2", ["u"], "1.1"),
        ("1.1.1", ["left"], "1.1"),
        ("1", ["l"], "1.1"),
        ("1", ["right"], "1.1"),
        ("1.1.1", ["n"], "2"),
        ("2", ["n"], "3"),
        ("2.1.1", ["p"], "2"),
        ("2", ["p"], "1"),
        ("2.1", ["G"], "4"),
        ("2.1", ["end"], "4"),
        ("3", ["g"], "1"),
        ("3", ["home"], "1"),
        ("1", ["a"], "1.1.2"),
        ("1.1.2", ["a"], "2.1.1"),
        ("2.1.1", ["A"], "1.1.2"),
        ("1", ["right_square_bracket"], "1.1.1"),
        ("1.1.1", ["right_square_bracket"], "2.1"),
        ("3", ["left_square_bracket"], "2.1"),
    ],
)
async def test_moves(start: str, keys: list[str], expected: str) -> None:
    app = ReaderApp(decorated_thread())
    async with app.run_test(size=(100, 30)) as pilot:
        app.thread_view.select_index(app.thread.index_of[start])
        await pilot.pause()
        assert await press_and_see(app, pilot, *keys) == expected
        assert app.pane.index == app.thread.index_of[expected]


async def test_move_with_nowhere_to_go_stays_and_says_so() -> None:
    app = ReaderApp(decorated_thread())
    async with app.run_test(size=(100, 30)) as pilot:
        assert await press_and_see(app, pilot, "k") == "1"
        assert any("First post" in n.message for n in notices(app))
        assert await press_and_see(app, pilot, "u") == "1"
        assert await press_and_see(app, pilot, "G", "j") == "4"
        assert await press_and_see(app, pilot, "n") == "4"


async def test_left_collapses_first_then_goes_to_parent() -> None:
    app = ReaderApp(decorated_thread())
    async with app.run_test(size=(100, 30)) as pilot:
        assert await press_and_see(app, pilot, "j", "left") == "1.1"
        assert app.outline.is_collapsed(app.thread.index_of["1.1"])
        assert await press_and_see(app, pilot, "left") == "1"
        assert await press_and_see(app, pilot, "right") == "1.1"
        assert await press_and_see(app, pilot, "right") == "1.1.1"
        assert not app.outline.is_collapsed(app.thread.index_of["1.1"])


async def test_jump_into_collapsed_subtree_expands_ancestors() -> None:
    app = ReaderApp(decorated_thread())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert [app.thread.posts[i].id for i in app.outline.rows] == ["1", "2", "3", "4"]
        assert await press_and_see(app, pilot, "a") == "1.1.2"
        assert app.outline.row_of(app.thread.index_of["1.1.2"]) is not None
        assert await press_and_see(app, pilot, "e", "G") == "4"
        assert len(app.outline.rows) == len(app.thread)


async def test_enter_and_space_fold_and_show_hidden_count() -> None:
    app = ReaderApp(decorated_thread())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert [app.thread.posts[i].id for i in app.outline.rows][:2] == ["1", "2"]
        line = "".join(segment.text for segment in app.thread_view.render_line(0))
        assert "+4 replies" in line
        await pilot.press("space")
        await pilot.pause()
        assert len(app.outline.rows) == len(app.thread)


async def test_fold_by_level_and_back() -> None:
    app = ReaderApp(decorated_thread())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        assert [app.thread.posts[i].id for i in app.outline.rows] == ["1", "2", "3", "4"]
        await pilot.press("2")
        await pilot.pause()
        assert [app.thread.posts[i].id for i in app.outline.rows] == ["1", "1.1", "1.2", "2", "2.1", "3", "3.1", "4"]
        await pilot.press("0")
        await pilot.pause()
        assert len(app.outline.rows) == len(app.thread)


async def test_history_back_and_forward() -> None:
    app = ReaderApp(decorated_thread())
    async with app.run_test(size=(100, 30)) as pilot:
        assert await press_and_see(app, pilot, "G") == "4"
        assert await press_and_see(app, pilot, "p") == "3"
        assert await press_and_see(app, pilot, "backspace") == "4"
        assert await press_and_see(app, pilot, "ctrl+o") == "1"
        assert await press_and_see(app, pilot, "ctrl+o") == "1"  # nothing further back
        assert await press_and_see(app, pilot, "ctrl+f") == "4"
        assert await press_and_see(app, pilot, "ctrl+f") == "3"


async def test_pane_scrolls_without_leaving_the_tree() -> None:
    long_body = "\n\n".join(f"paragraph {i}" for i in range(200))
    many = [Post(str(i), None, f"user{i}") for i in range(2, 200)]  # a tree long enough to scroll too
    thread = Thread.build([Post("1", None, "a", body=long_body), *many])
    app = ReaderApp(thread)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("pagedown")
        await pilot.pause()
        assert app.pane.scroll_y > 0 and app.thread_view.scroll_y == 0
        assert app.thread_view.has_focus and current(app) == "1"
        await pilot.press("ctrl+u")
        await pilot.pause()
        assert app.pane.scroll_y == 0
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert app.pane.scroll_y > 0


async def test_selected_post_stays_in_view() -> None:
    thread = thread_from_outline("\n".join(f"{i} user{i}" for i in range(1, 200)))
    app = ReaderApp(thread)
    async with app.run_test(size=(100, 20)) as pilot:
        for _ in range(60):
            await pilot.press("j")
        await pilot.pause()
        row = app.thread_view.cursor_row
        top = app.thread_view.scroll_offset.y
        height = app.thread_view.scrollable_content_region.height
        assert top <= row < top + height
        assert row - top <= height - 3  # kept a few lines from the edge


async def test_help_screen_lists_every_binding_and_closes() -> None:
    app = ReaderApp(decorated_thread())
    async with app.run_test(size=(120, 100)) as pilot:  # tall enough for every key at once
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        described = dict((desc, keys) for keys, desc in app.screen.rows)
        drawn = screen_text(app)
        assert "Next post by the same author" in drawn and "Scroll the reading pane down a page" in drawn
        assert "Page Down" not in drawn  # no inherited scroll binding shadows the pane keys
        assert described["Next post by the same author"] == "a"
        assert described["Next post in reading order"] == "↓, j"
        for binding in [*app.thread_view.BINDINGS, *ReaderApp.BINDINGS]:
            assert binding.tooltip in described  # type: ignore[union-attr]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark", "question_mark")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_mouse_click_selects_and_marker_toggles() -> None:
    app = ReaderApp(decorated_thread())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.click("#tree", offset=(20, 4))
        await pilot.pause()
        assert current(app) == "1.2"
        await pilot.click("#tree", offset=(2, 0))  # the fold marker, after the unread mark
        await pilot.pause()
        assert current(app) == "1" and app.outline.is_collapsed(0)


async def test_a_click_in_a_scrolled_tree_selects_the_row_under_the_mouse() -> None:
    app = ReaderApp(thread_from_outline("\n".join(f"{n} user{n % 5}" for n in range(1, 201))))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("G")
        await pilot.pause()
        top = app.thread_view.scroll_offset.y
        assert top > 100
        await pilot.click("#tree", offset=(20, 2))
        await pilot.pause()
        assert current(app) == str(top + 3)  # rows count from 0, post numbers from 1
