"""Small builders shared by the tests."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import strategies as st

from tuireader.body import BLOCK_KINDS, CODE, EMPHASIS, STRIKE, STRONG, Block, Span
from tuireader.model import Post, Thread

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from rich.segment import Segment
    from textual.app import App
    from textual.pilot import Pilot

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seeds" / "register-contactpoint.txt"
FIXTURES = SHARED / "fixtures"
CLOSED_SAMPLE = REPO / "sample_threads" / "closed_topic.txt"
"""Our own thread shaped like the seed: 17 posts, closed, a summary, badges, icons and posts without a title."""


def shared_file(*parts: str) -> Path:
    """A file under ``../shared`` (``shared_file("fixtures", "reddit", "x.json")``); the test skips without it.

    In CI (``CI=true``) ``../shared`` is always laid beside the clone, so a missing file fails the test instead.
    """
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{path} is missing, and CI always has ../shared")
        pytest.skip(f"needs {path}: ../shared is not beside this clone")
    return path


SMALL_OUTLINE = """
1 alice
1.1 bob
1.1.1 carol
1.2 dave
2 erin
2.1 alice
"""
"""A thread with a deep branch, a second branch and an author posting twice, for thread_from_outline."""


def thread_from_outline(spec: str, **kwargs: object) -> Thread:
    """Build a thread from lines like ``"1 alice"``, ``"1.1 bob"``: the id's dots give the parent."""
    posts = []
    for line in spec.strip().splitlines():
        post_id, _, author = line.strip().partition(" ")
        parent = post_id.rpartition(".")[0] or None
        posts.append(Post(post_id, parent, author, title=f"title {post_id}", body=f"body of {post_id}"))
    return Thread.build(posts, title="Test thread", **kwargs)  # type: ignore[arg-type]


def chain_thread(depth: int) -> Thread:
    """One post replying to the one before it, ``depth`` times."""
    posts = [Post(id=str(i), parent=str(i - 1) if i else None, author=f"user{i % 7}") for i in range(depth)]
    return Thread.build(posts, title="chain")


def draw_post(draw: st.DrawFn, post_id: str, parent: str | None, text: st.SearchStrategy[str]) -> Post:
    """A post whose every other field hypothesis draws from *text* (or none, or any integer)."""
    optional_text = st.one_of(st.none(), text)
    optional_int = st.one_of(st.none(), st.integers(-(10**15), 10**15))
    return Post(
        id=post_id,
        parent=parent,
        author=draw(text),
        badge=draw(optional_text),
        icons=tuple(draw(st.lists(text, max_size=3))),
        title=draw(text),
        body=draw(text),
        time=draw(optional_text),
        up=draw(optional_int),
        down=draw(optional_int),
        score=draw(optional_int),
        deleted=draw(st.booleans()),
        note=draw(optional_text),
        blocks=draw(st.one_of(st.none(), st.lists(draw_block(text), max_size=3).map(tuple))),
    )


def draw_block(text: st.SearchStrategy[str]) -> st.SearchStrategy[Block]:
    """A block of any kind, with spans of any style and optional links drawn from *text*."""
    span = st.builds(Span, text, st.integers(0, EMPHASIS | STRONG | CODE | STRIKE), st.one_of(st.none(), text))
    return st.builds(
        Block,
        st.sampled_from(sorted(BLOCK_KINDS)),
        st.lists(span, max_size=3).map(tuple),
        st.integers(0, 9),
        text,
    )


def assert_same(first: Thread, second: Thread) -> None:
    """Two threads are the same to a reader: posts, header and structure."""
    assert second.posts == first.posts
    assert (second.title, second.url, second.summary, second.closed) == (
        first.title,
        first.url,
        first.summary,
        first.closed,
    )
    assert second.parent_index == first.parent_index


_SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([0-9.]+)" y="[0-9.]+" textLength="[0-9.]+" '
    r'clip-path="url\(#terminal-(?:[0-9]+-)?line-([0-9]+)\)">([^<]*)</text>'
)
_CELL_WIDTH = 12.2
"""The width of one cell in Textual's SVG screenshots (Rich's ``export_svg``: 0.61 of a 20-pixel font)."""


def screen_text(app: App[object]) -> str:
    """Everything on screen as plain text, one line per row: what a user reads.

    Read from the public screenshot (``App.export_screenshot``, the SVG the snapshot
    plugin pins), never from Textual's private compositor.
    """
    from rich.cells import cell_len

    width, height = app.size
    rows: list[list[tuple[int, str]]] = [[] for _ in range(height)]
    for x, line, text in _SVG_TEXT.findall(app.export_screenshot()):
        row = int(line)
        if row < height:
            text = html.unescape(text).replace("\xa0", " ").replace("\n", "")
            rows[row].append((round(float(x) / _CELL_WIDTH), text))
    lines = []
    for pieces in rows:
        line = ""
        for column, text in sorted(pieces):
            line += " " * max(column - cell_len(line), 0) + text
        lines.append(line + " " * max(width - cell_len(line), 0))
    return "\n".join(lines)


@dataclass(frozen=True)
class Notice:
    """One notification as the user saw it."""

    message: str
    title: str
    severity: str


def notices(app: App[object]) -> list[Notice]:
    """Every notification the app has shown so far: conftest records them through Textual's public ``notify``."""
    recorded: list[Notice] = app.__dict__.setdefault("recorded_notices", [])
    return recorded


def screen_segments(app: App[object]) -> list[Segment]:
    """Every segment each visible widget of the screen draws, with its style, through the public line API."""
    from textual.geometry import Region

    segments: list[Segment] = []
    for widget in app.screen.walk_children(with_self=True):
        width, height = widget.size
        if widget.display and width and height:
            for strip in widget.render_lines(Region(0, 0, width, height)):
                segments.extend(strip)
    return segments


def run_cli(
    *args: str,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 60,
    raw: bool = False,
) -> subprocess.CompletedProcess[Any]:
    """Run ``python -m tuireader ARGS`` as a user would, with no terminal on standard input.

    The output is text, or with *raw* the bytes as written (to look for stray escape
    sequences); *env* adds to the environment, which keeps this checkout importable.
    """
    environment = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "tuireader", *args],
        capture_output=True,
        text=not raw,
        timeout=timeout,
        env=environment,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )


def read_then_press(key: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A snapshot's ``run_before``: the post on screen read (``m``, as after a moment on screen, a clock snapshots
    stop: see conftest) without the notice saying so, which a moment would not show, then ``key``."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("m")
        pilot.app.clear_notifications()
        await pilot.press(key)
        await pilot.pause()

    return run_before
