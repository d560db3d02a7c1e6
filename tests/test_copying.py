"""Copying (y, Y): what reaches the clipboard, the notice that says so, and the OSC 52 bytes a real terminal gets."""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import CLOSED_SAMPLE, SMALL_OUTLINE, notices, thread_from_outline

from tuireader.app import ReaderApp
from tuireader.formats import load
from tuireader.model import Post
from tuireader.sharing import post_text

_OSC52 = re.compile(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)(?:\x07|\x1b\\)")


def expected_copy(post: Post) -> str:
    """What y must copy, written out here: author, title, a blank line, the body."""
    return f"{post.author}\n{post.title}\n\n{post.body}"


async def test_y_copies_the_post_and_says_what_it_copied() -> None:
    app = ReaderApp(load(CLOSED_SAMPLE))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("j")
        await pilot.pause()
        post = app.thread.posts[1]
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == expected_copy(post)
        notice = f"Copied the post by {post.author} ({len(expected_copy(post)):,} characters)"
        assert notice in [n.message for n in notices(app)]


def test_a_post_without_a_title_or_a_name_is_copied_readably() -> None:
    assert post_text(Post("1", None, "ann", body="hello"), "hello") == "ann\n\nhello"
    assert post_text(Post("1", None, "", body="hi"), "hi") == "(no name)\n\nhi"
    assert post_text(Post("1", None, "bob", deleted=True), "") == "bob (deleted)\n\n"


async def test_Y_copies_the_thread_address_with_the_post_id() -> None:
    app = ReaderApp(thread_from_outline(SMALL_OUTLINE, url="https://forum.example.org/t/7#top"))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("j", "Y")
        await pilot.pause()
        assert app.clipboard == "https://forum.example.org/t/7#1.1"
        assert "Copied the post's link: https://forum.example.org/t/7#1.1" in [n.message for n in notices(app)]


async def test_Y_copies_the_id_when_the_thread_has_no_address() -> None:
    app = ReaderApp(thread_from_outline(SMALL_OUTLINE))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j", "j", "Y")
        await pilot.pause()
        assert app.clipboard == "1.1.1"


# The real program in tmux ----------------------------------------------------------------

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
CONSOLE_SCRIPT = Path(sys.executable).with_name("tuireader")


@pytest.fixture
def tmux() -> Iterator[list[str]]:
    """The start of a command line for a private tmux server (its socket in a short temporary path)."""
    folder = Path(tempfile.mkdtemp(prefix="tuireader-copy-"))
    command = ["tmux", "-S", str(folder / "socket"), "-f", os.devnull]
    try:
        yield command
    finally:
        subprocess.run([*command, "kill-server"], capture_output=True, timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def _run(command: list[str], *args: str) -> str:
    result = subprocess.run([*command, *args], capture_output=True, text=True, timeout=10)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _wait(condition: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)


@needs_tmux
@pytest.mark.skipif(not CONSOLE_SCRIPT.exists(), reason="the tuireader console script is not installed")
def test_y_writes_the_post_to_the_terminal_as_osc52(tmp_path: Path, tmux: list[str]) -> None:
    log = tmp_path / "terminal.log"
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    reader = f"{CONSOLE_SCRIPT} --no-state --config {config} {CLOSED_SAMPLE}"
    _run(tmux, "new-session", "-d", "-s", "S", "-x", "100", "-y", "30", reader)
    _run(tmux, "set-option", "-t", "S", "remain-on-exit", "on")
    _run(tmux, "pipe-pane", "-o", "-t", "S", f"cat >> {log}")  # what the program writes, before tmux reads it

    def screen() -> str:
        return _run(tmux, "capture-pane", "-p", "-t", "S")

    # The sample opens with its About card; y closes it and then copies. Again if it came while starting up.
    deadline = time.monotonic() + 15
    while "Copied the post" not in screen() and time.monotonic() < deadline:
        _run(tmux, "send-keys", "-t", "S", "y")
        _wait(lambda: "Copied the post" in screen(), 1.5)
    assert "Copied the post by Pat Pending" in screen(), screen()
    _run(tmux, "send-keys", "-t", "S", "q")
    _wait(lambda: _run(tmux, "display", "-p", "-t", "S", "#{pane_dead}").strip() == "1")
    time.sleep(0.2)  # let the recording cat drain

    payloads = _OSC52.findall(log.read_bytes())
    assert payloads, "no OSC 52 sequence reached the terminal"
    first = load(CLOSED_SAMPLE).posts[0]
    assert {base64.b64decode(payload).decode("utf-8") for payload in payloads} == {expected_copy(first)}
