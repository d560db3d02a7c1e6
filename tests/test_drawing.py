"""How the reader draws: moving and folding repaint lines, they never lay out the whole screen.

A screen layout costs more than the rest of a key press (see docs/performance.md); these
tests catch a change that brings one back, such as a widget whose height follows its content.
"""

from __future__ import annotations

from typing import Any

import pytest
from helpers import SEED
from textual.screen import Screen

from tuireader.app import ReaderApp
from tuireader.formats import load

pytestmark = pytest.mark.skipif(not SEED.exists(), reason="../shared is not here")


async def test_moving_and_folding_never_lay_out_the_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    layouts: list[bool] = []
    lay_out = Screen._refresh_layout

    def counted(self: Screen[Any], *args: Any, **kwargs: Any) -> None:
        layouts.append(bool(kwargs.get("scroll")))
        lay_out(self, *args, **kwargs)

    app = ReaderApp(load(SEED))
    # Tall enough that every seed post fits the pane: a post that needs a scrollbar rightly lays out.
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        for key in ("j", "j", "u", "n", "G", "g", "enter", "enter", "c", "e", "k", "j"):
            await pilot.press(key)
        await pilot.pause()
        assert app.thread_view.cursor_index == 1
        assert "2 / 17" in "".join(strip.text for strip in app.screen._compositor.render_strips())
    assert layouts == []


async def test_the_pane_follows_the_cursor_without_waiting_for_a_message() -> None:
    app = ReaderApp(load(SEED))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.thread_view.select_index(5)  # no pause: the pane must already show post 6
        assert app.pane.index == 5
