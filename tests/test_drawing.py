"""How the reader draws: moving and folding repaint lines, they never lay out the whole screen.

A screen layout costs more than the rest of a key press (see docs/performance.md); these
tests catch a change that brings one back, such as a widget whose height follows its content.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers import CLOSED_SAMPLE, screen_text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

from tuireader.app import ReaderApp
from tuireader.formats import load


async def test_moving_and_folding_never_lay_out_the_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    layouts: list[bool] = []
    lay_out = Screen._refresh_layout

    def counted(self: Screen[Any], *args: Any, **kwargs: Any) -> None:
        layouts.append(bool(kwargs.get("scroll")))
        lay_out(self, *args, **kwargs)

    app = ReaderApp(load(CLOSED_SAMPLE))
    # Low enough that some posts overflow the pane and others fit: the scroll mark comes and goes.
    async with app.run_test(size=(100, 16)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        for key in ("j", "j", "j", "k", "u", "n", "G", "g", "enter", "enter", "c", "e", "j"):
            await pilot.press(key)
        await pilot.pause()
        assert app.thread_view.cursor_index == 1
        screen = screen_text(app)
        assert "2 / 17" in screen
    assert layouts == []


async def test_a_long_post_shows_a_scroll_mark_that_follows_the_pane() -> None:
    app = ReaderApp(load(CLOSED_SAMPLE))
    async with app.run_test(size=(90, 14)) as pilot:

        def marks() -> list[str]:
            """The last column of the pane as drawn in the last frame."""
            return [app.pane.render_line(y).text[-1] for y in range(app.pane.size.height)]

        await pilot.press("j", "j", "j")  # Bea Keeper 7's post, longer than the pane
        await pilot.pause()
        assert marks()[0] == "┃" and marks()[-1] == "│"
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert marks()[0] == "│" and marks()[-1] == "┃"
        await pilot.press("k", "k")  # a post that fits: no mark
        await pilot.pause()
        assert set(marks()) == {" "}


async def test_the_pane_follows_the_cursor_without_waiting_for_a_message() -> None:
    app = ReaderApp(load(CLOSED_SAMPLE))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.thread_view.select_index(5)  # no pause: the pane must already show post 6
        assert app.pane.index == 5


def wheel_down(widget: Widget) -> events.MouseScrollDown:
    """A turn of the mouse wheel over *widget* (Pilot has no public wheel)."""
    return events.MouseScrollDown(widget, 1, 1, 0, 1, 0, False, False, False)


async def test_the_mouse_wheel_scrolls_a_long_post_and_the_tree() -> None:
    app = ReaderApp(load(CLOSED_SAMPLE))
    async with app.run_test(size=(90, 14)) as pilot:
        await pilot.press("j", "j", "j")  # a post longer than the pane
        for _ in range(3):
            app.pane.post_message(wheel_down(app.pane))
        await pilot.pause()
        assert app.pane.scroll_offset.y > 0
        for _ in range(3):
            app.thread_view.post_message(wheel_down(app.thread_view))
        await pilot.pause()
        assert app.thread_view.scroll_offset.y > 0
