"""The reader opened on the seed thread, driven with real keys through Textual's Pilot."""

from __future__ import annotations

import pytest
from helpers import SEED

from tuireader.app import ReaderApp
from tuireader.formats import load

pytestmark = pytest.mark.skipif(not SEED.exists(), reason="../shared is not here")


def screen_text(app: ReaderApp) -> str:
    """Everything on screen as plain text (what a user reads)."""
    return "\n".join("".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips())


async def test_open_move_collapse_quit() -> None:
    app = ReaderApp(load(SEED))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Government delays ContactPoint closure" in text and "closed" in text
        assert "ConDems" in text  # the first post's body, in the reading pane
        assert "1 / 17" in text
        await pilot.press("down")
        await pilot.pause()
        text = screen_text(app)
        assert "Wikipedia lists the runnings costs" in text and "2 / 17" in text
        assert "in reply to Optymystic" in text
        await pilot.press("up", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "(+2 replies)" in text
        assert "Dave 3" not in text.split("▕")[0] if "▕" in text else True
        assert app.outline.row_of(app.thread.index_of["1.1"]) is None
        await pilot.press("q")
    assert app.return_code == 0


async def test_tree_shows_badges_icons_and_titles() -> None:
    app = ReaderApp(load(SEED))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        lines = screen_text(app).splitlines()
        line = next(line for line in lines if "John Smith 19" in line)
        assert "◆G" in line and "Cost benefit anlysis" in line
        assert any("Graham Marsden ▼" in line for line in lines)
        assert any("Time for a career change ▲" in line for line in lines)
        # A post with no title shows its first words instead.
        assert any("Melkisadek · See, this is what happens" in line for line in lines)


async def test_reading_pane_shows_full_decorations_and_wraps() -> None:
    app = ReaderApp(load(SEED))
    async with app.run_test(size=(120, 40)) as pilot:
        app.thread_view.select_index(app.thread.index_of["11.1"])
        await pilot.pause()
        text = screen_text(app)
        assert "◆ Gold badge" in text and "[Thumb Down]" in text
        assert "17 / 17" in text
        assert "in reply to Melkisadek" in text
        pane_lines = [line.split("▕", 1)[1] for line in text.splitlines() if "▕" in line]
        assert max(len(line.rstrip()) for line in pane_lines) <= app.pane.outer_size.width
        assert any(line.startswith(" Has that dropped since Contactpoint") for line in pane_lines)
