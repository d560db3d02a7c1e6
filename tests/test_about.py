"""The thread's summary, title and address: shown once at start, and again on i."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import CLOSED_SAMPLE, screen_text
from rich.cells import cell_len
from rich.text import Text

from tuireader.app import ReaderApp
from tuireader.cli import prepare_app
from tuireader.formats import load
from tuireader.model import Post, Thread
from tuireader.screens.about import AboutScreen, about_text


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config-home"))


def summary_start() -> str:
    """The first words of the sample's summary, read from the file (the third line)."""
    return CLOSED_SAMPLE.read_text(encoding="utf-8").splitlines()[2][:40]


async def test_the_summary_greets_the_reader_and_the_first_key_goes_on_to_the_tree() -> None:
    app = prepare_app([str(CLOSED_SAMPLE)])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, AboutScreen)
        text = screen_text(app)
        assert summary_start() in text
        assert "forum text" in text and "17 posts" in text and "closed for new posts" in text
        await pilot.press("j")
        await pilot.pause()
        assert not isinstance(app.screen, AboutScreen)
        assert app.thread_view.cursor_index == 1  # the key that closed it also moved
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, AboutScreen) and summary_start() in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AboutScreen) and app.thread_view.cursor_index == 1


async def test_no_summary_no_greeting_but_i_still_tells_about_the_thread(tmp_path: Path) -> None:
    path = tmp_path / "bare.txt"
    path.write_text("  1. Ann Teak\n\n    Hello\n\n    Anyone here?\n", encoding="utf-8")
    app = prepare_app([str(path)])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, AboutScreen)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, AboutScreen)
        assert "(untitled thread)" in screen_text(app) and "1 post " in screen_text(app)


async def test_the_about_screen_shows_hostile_text_as_typed() -> None:
    thread = Thread.build(
        [Post("1", None, "a")],
        title="[bold]t[/bold]",
        url="https://example.org/[@click=app.quit]",
        summary="[red]s[/red] \x1b]0;PWNED\x07 end",
    )
    app = ReaderApp(thread, about_at_start=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "[bold]t[/bold]" in text and "[@click=app.quit]" in text and "[red]s[/red]" in text
        assert "\x1b" not in text and "\x07" not in text
        assert app.is_running


async def test_the_greeting_is_for_the_command_line_only() -> None:
    app = ReaderApp(load(CLOSED_SAMPLE))  # tests and tools that build the app get the reader at once
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, AboutScreen)


async def test_a_summary_the_size_of_an_article_is_cut_to_fit_the_card() -> None:
    thread = Thread.build([Post("1", None, "a")], title="long", summary="word " * 20_000 + "LAST")
    app = ReaderApp(thread, about_at_start=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "About this thread" in text and "LAST" not in text
    card = about_text(thread, "forum text", loading=False)
    assert sum(cell_len(line.plain) for line in card.renderables if isinstance(line, Text)) < 3_000
