"""The link picker (o): numbered as in the pane, opened with the app's opener, or copied when it may not be opened."""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest
from helpers import REPO, notices, read_then_press, screen_text

from tuireader.app import ReaderApp
from tuireader.body import ITEM, PARAGRAPH, QUOTE, Block, Span, links
from tuireader.model import Post, Thread
from tuireader.screens.links import LinkPicker
from tuireader.session import CONTENT_WARNING
from tuireader.sharing import can_open_links, is_openable
from tuireader.themes import ThemeSources, choose_theme

SnapCompare = Callable[..., bool]
BLOCKS = (
    Block(
        PARAGRAPH,
        (
            Span("See "),
            Span("the manual", link="https://example.org/manual"),
            Span(" or "),
            Span("write to me", link="mailto:ann@example.org"),
            Span("."),
        ),
    ),
    Block(QUOTE, (Span("an old "), Span("page", link="http://example.org/old")), level=1),
    Block(ITEM, (Span("never this: "), Span("[red]click[/red]", link="javascript:alert(1)")), level=1, marker="•"),
)
"""A post of our own with two web links, a mail link and one that must never be opened (with markup in its text)."""


def link_thread(icons: tuple[str, ...] = ()) -> Thread:
    posts = [
        Post("1", None, "Ann Teak", icons=icons, title="Links", body="", blocks=BLOCKS),
        Post("2", "1", "Bob", title="None here", body="no links in this one"),
    ]
    return Thread.build(posts, title="Links thread", url="https://forum.example.org/t/7")


class Opener:
    """The fake opener: records what it was asked to open and answers as told."""

    def __init__(self, works: bool = True) -> None:
        self.opened: list[str] = []
        self.works = works

    def __call__(self, target: str) -> bool:
        self.opened.append(target)
        return self.works


@pytest.fixture
def desktop(monkeypatch: pytest.MonkeyPatch) -> None:
    """A graphical session on the machine itself, whatever the machine running the tests is."""
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")


def reader(opener: Opener, thread: Thread | None = None) -> ReaderApp:
    app = ReaderApp(thread or link_thread())
    app.open_link = opener
    return app


def messages(app: ReaderApp) -> list[str]:
    return [notice.message for notice in notices(app)]


def test_only_web_and_mail_links_may_be_opened() -> None:
    for target in ("https://example.org", "HTTP://EXAMPLE.ORG", "mailto:ann@example.org"):
        assert is_openable(target), target
    for target in ("javascript:alert(1)", "file:///etc/passwd", "/r/foo", "-e open", "ftp://example.org", ""):
        assert not is_openable(target), target


def test_a_display_is_needed_to_open_a_link() -> None:
    assert can_open_links({"DISPLAY": ":0"}, "linux")
    assert can_open_links({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not can_open_links({}, "linux")
    assert not can_open_links({"DISPLAY": ":0", "SSH_CONNECTION": "10.0.0.1 5000 10.0.0.2 22"}, "linux")
    assert can_open_links({}, "darwin") and can_open_links({}, "win32")
    assert not can_open_links({"SSH_CONNECTION": "10.0.0.1 5000 10.0.0.2 22"}, "darwin")


async def test_the_picker_numbers_the_links_as_the_pane_does(desktop: None) -> None:
    app = reader(Opener())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        pane = screen_text(app)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, LinkPicker)
        picker = screen_text(app)
        for number, (text, target) in enumerate(links(BLOCKS), 1):
            assert f"{text}[{number}]" in pane  # after the link's text in the pane
            assert f"[{number}] {text}" in picker and target in picker
        assert "[red]click[/red]" in picker  # the file's text, not markup
        assert "not opened: only http, https and mailto" in picker
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, LinkPicker)


async def test_enter_opens_the_link_with_the_apps_opener(desktop: None) -> None:
    opener = Opener()
    app = reader(opener)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("o", "down", "enter")
        await pilot.pause()
        assert opener.opened == ["mailto:ann@example.org"]
        assert not isinstance(app.screen, LinkPicker)
        assert any(message.startswith("Opening mailto:ann@example.org") for message in messages(app))


async def test_a_javascript_link_is_copied_never_opened(desktop: None) -> None:
    opener = Opener()
    app = reader(opener)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("o", "end", "enter")
        await pilot.pause()
        assert opener.opened == []
        assert app.clipboard == "javascript:alert(1)"
        assert any(message.startswith("Not opened") for message in messages(app))


async def test_over_ssh_the_link_is_copied_and_shown(desktop: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.1 5000 10.0.0.2 22")
    opener = Opener()
    app = reader(opener)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("o", "enter")
        await pilot.pause()
        assert opener.opened == []
        assert app.clipboard == "https://example.org/manual"
        assert "No display to open it on: copied https://example.org/manual" in messages(app)
        assert "https://example.org/manual" in screen_text(app)  # the notice shows it


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="macOS and Windows always have a desktop")
async def test_without_a_display_on_linux_the_link_is_copied(desktop: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    opener = Opener()
    app = reader(opener)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("o", "enter")
        await pilot.pause()
        assert opener.opened == [] and app.clipboard == "https://example.org/manual"


async def test_c_copies_and_a_failing_opener_copies_too(desktop: None) -> None:
    opener = Opener(works=False)
    app = reader(opener)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("o", "down", "down", "c")
        await pilot.pause()
        assert opener.opened == [] and app.clipboard == "http://example.org/old"
        await pilot.press("o", "enter")
        await pilot.pause()
        assert opener.opened == ["https://example.org/manual"] and app.clipboard == "https://example.org/manual"
        assert any(message.startswith("Could not open it: copied") for message in messages(app))


async def test_a_post_without_links_says_so() -> None:
    app = reader(Opener())
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("j", "o")
        await pilot.pause()
        assert not isinstance(app.screen, LinkPicker)
        assert "No links in this post" in messages(app)


async def test_a_folded_post_keeps_its_links_folded() -> None:
    app = reader(Opener(), link_thread(icons=(CONTENT_WARNING,)))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("o")
        await pilot.pause()
        assert not isinstance(app.screen, LinkPicker)
        await pilot.press("enter", "o")  # Enter shows the post: now its links may be listed
        await pilot.pause()
        assert isinstance(app.screen, LinkPicker)


def test_the_link_picker(snap_compare: SnapCompare) -> None:
    choice = choose_theme("dark", ThemeSources(bundled_dir=REPO / "themes"), {})

    app = ReaderApp(link_thread(), themes=choice)
    assert snap_compare(app, terminal_size=(100, 30), run_before=read_then_press("o"))
