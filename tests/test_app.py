"""The reader opened on our closed sample thread, driven with real keys through Textual's Pilot."""

from __future__ import annotations

from helpers import CLOSED_SAMPLE, screen_text

from tuireader.app import ReaderApp
from tuireader.formats import load


async def test_open_move_collapse_quit() -> None:
    app = ReaderApp(load(CLOSED_SAMPLE))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Council keeps its old library catalogue" in text and "closed" in text
        assert "forty years of loan history" in text  # the first post's body, in the reading pane
        assert "1 / 17" in text
        await pilot.press("down")
        await pilot.pause()
        text = screen_text(app)
        assert "nine thousand a year" in text and "2 / 17" in text
        assert "in reply to Pat Pending" in text
        await pilot.press("up", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "(+2 replies)" in text
        assert "Rob Otto" not in text.split("▕")[0] if "▕" in text else True
        assert app.outline.row_of(app.thread.index_of["1.1"]) is None
        await pilot.press("q")
    assert app.return_code == 0


async def test_tree_shows_badges_icons_and_titles() -> None:
    app = ReaderApp(load(CLOSED_SAMPLE))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        lines = screen_text(app).splitlines()
        line = next(line for line in lines if "Bea Keeper 7" in line)
        assert "◆G" in line and "Was anyone counting?" in line
        assert any("Sue Doku ▼" in line for line in lines)
        assert any("Ella Vator ▲" in line for line in lines)
        assert any("Anonymous Coward ‹BB›" in line for line in lines)
        # A post with no title shows its first words instead.
        assert any("Dewey Decimal · This is what happens" in line for line in lines)


async def test_reading_pane_shows_full_decorations_and_wraps() -> None:
    app = ReaderApp(load(CLOSED_SAMPLE))
    async with app.run_test(size=(120, 40)) as pilot:
        app.thread_view.select_index(app.thread.index_of["11.1"])
        await pilot.pause()
        text = screen_text(app)
        assert "◆ Gold badge" in text and "[Thumb Down]" in text
        assert "17 / 17" in text
        assert "in reply to Dewey Decimal" in text
        pane_lines = [line.split("▕", 1)[1] for line in text.splitlines() if "▕" in line]
        assert max(len(line.rstrip()) for line in pane_lines) <= app.pane.outer_size.width
        assert any(line.startswith(" Has that number changed since") for line in pane_lines)
