"""The open command end to end in-process: flags and config reach the app; big files load in the background."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import CLOSED_SAMPLE, notices

from tuireader.app import ReaderApp
from tuireader.cli import prepare_app
from tuireader.filters import AuthorFilter
from tuireader.model import Post, Thread
from tuireader.session import FIRST_SCREEN_POSTS


def forum_text(top_level: int, replies: int = 2) -> str:
    """A numbered forum-text thread: each top-level post with a few replies."""
    lines = ["back to article A generated thread", "", "Summary.", ""]
    for number in range(1, top_level + 1):
        lines += [f"  {number}. author{number % 50}", "", f"    Title {number}", "", f"    Body of post {number}.", ""]
        for reply in range(1, replies + 1):
            lines += [
                f"    {reply}. replier{reply}",
                "",
                f"      Re {number}.{reply}",
                "",
                f"      Reply body {reply}.",
                "",
            ]
    return "\n".join(lines) + "\n"


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config-home"))
    monkeypatch.delenv("NO_COLOR", raising=False)


def test_display_flags_and_config_defaults(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[display]\nvotes = false\nicons = true\n", encoding="utf-8")
    app = prepare_app([str(CLOSED_SAMPLE), "--config", str(config), "--no-badges"])
    options = app.display_options
    assert (options.badges, options.icons, options.votes) == (False, True, False)


async def test_author_flag_starts_filtered() -> None:
    app = prepare_app([str(CLOSED_SAMPLE), "--author", "Bea Keeper 7"])
    assert app.author_filter == AuthorFilter.of(["Bea Keeper 7"])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert [app.thread.posts[i].id for i in app.outline.rows] == ["2", "11", "11.1"]


async def test_big_file_shows_first_posts_then_loads_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(forum_text(1500), encoding="utf-8")  # 4,500 posts
    app = prepare_app([str(path)])
    assert isinstance(app, ReaderApp) and app.loading
    assert len(app.thread) == FIRST_SCREEN_POSTS
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.loading
        await app.loaded.wait()
        await pilot.pause()
        assert not app.loading
        assert len(app.thread) == 4500 and len(app.outline.rows) == 4500
        await pilot.press("G")
        await pilot.pause()
        assert app.thread.posts[app.thread_view.cursor_index or 0].id == "1500.2"


async def test_keys_during_loading_say_they_acted_on_part() -> None:
    release = threading.Event()

    def slow_rest() -> Iterator[Post]:
        release.wait(10)  # the loader is held here until the test has pressed its keys
        yield Post("3", None, "late")

    thread = Thread.build([Post("1", None, "a"), Post("1.1", "1", "b"), Post("2", None, "c")])
    app = ReaderApp(thread, more_posts=slow_rest())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert any("Still loading" in n.message for n in notices(app))
        assert "loading…" in str(app.status.render())
        release.set()
        await app.loaded.wait()
        await pilot.pause()
        assert len(app.thread) == 4 and not app.loading


async def test_late_warnings_and_closed_line_reach_the_app(tmp_path: Path) -> None:
    """A bad byte and a 'closed' line near the end of a big file are only seen after the first screen."""
    text = forum_text(45_000, replies=0) + "\n  This topic is closed for new posts.\n"  # 2.5 MB: several chunks
    data = text.encode("utf-8")
    data = data[:-200] + b"\xff" + data[-200:]  # invalid UTF-8 near the end
    path = tmp_path / "late.txt"
    path.write_bytes(data)
    app = prepare_app([str(path)])
    assert not app.thread.closed and not app.thread.warnings
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await app.loaded.wait()
        await pilot.pause()
        assert app.thread.closed
        assert any("not valid UTF-8" in w for w in app.thread.warnings)
        assert any("not valid UTF-8" in n.message for n in notices(app))


def test_header_only_thread_opens_empty(tmp_path: Path) -> None:
    path = tmp_path / "lonely.txt"
    path.write_text("back to article Nobody replied\n\nA summary.\n", encoding="utf-8")
    app = prepare_app([str(path)])
    assert len(app.thread) == 0 and app.thread.title == "Nobody replied"
