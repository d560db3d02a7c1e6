"""``R`` in the app: fetch a thread again from a real HTTP server on 127.0.0.1, reopen where the reader was,
and mark exactly the replies that are new as unread ("2 new since last visit")."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from helpers import notices, screen_text

from tuireader.app import Reopen
from tuireader.cli import main, prepare_app
from tuireader.fetch.download import fetch
from tuireader.formats import load
from tuireader.state import ReadState

ADDRESS = "https://news.ycombinator.com/item?id=100"


def story(replies: int) -> dict[str, Any]:
    """A made-up Hacker News story in Algolia's item shape, with *replies* comments under it."""
    children = [
        {
            "id": 200 + n,
            "author": f"user{n}",
            "text": f"<p>comment number {n}</p>",
            "created_at": "2026-11-30T10:00:00.000Z",
            "created_at_i": 1_796_032_800,
            "points": None,
            "parent_id": 100,
            "children": [],
            "type": "comment",
        }
        for n in range(replies)
    ]
    return {
        "id": 100,
        "type": "story",
        "author": "poster",
        "title": "A story to fetch twice",
        "url": "https://example.org/story",
        "text": None,
        "points": 10,
        "created_at": "2026-11-30T09:00:00.000Z",
        "created_at_i": 1_796_029_200,
        "parent_id": None,
        "story_id": 100,
        "children": children,
    }


class Site:
    """What the server answers for the story; the test changes it between fetches."""

    def __init__(self) -> None:
        self.body = json.dumps(story(3)).encode()


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    served = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path != "/api/v1/items/100":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(served.body)))
            self.end_headers()
            self.wfile.write(served.body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("TUIREADER_SITE_BASE", f"http://127.0.0.1:{server.server_address[1]}")
    monkeypatch.setenv("TUIREADER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TUIREADER_STATE_DIR", str(tmp_path / "state"))
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()


async def test_r_fetches_again_keeps_the_place_and_marks_only_the_new_replies_unread(site: Site) -> None:
    app = prepare_app([ADDRESS])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("j")
        app.session.read.mark_many(range(len(app.thread)))  # everything read at this visit
        site.body = json.dumps(story(5)).encode()  # two replies more by tomorrow
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
    reopen = app.return_value
    assert isinstance(reopen, Reopen) and reopen.address == ADDRESS and reopen.post_id is not None
    again = prepare_app([ADDRESS], reopen)
    async with again.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        assert any("2 new since last visit" in n.message for n in notices(again))
        index = again.thread_view.cursor_index
        assert index is not None and again.thread.posts[index].id == reopen.post_id
        assert len(again.thread) == 6 and "2 unread" in screen_text(again)


async def test_r_on_a_file_says_there_is_nothing_to_fetch(tmp_path: Path) -> None:
    thread_file = tmp_path / "thread.json"
    thread_file.write_text(json.dumps({"posts": [{"id": "1", "author": "a"}]}), encoding="utf-8")
    app = prepare_app([str(thread_file), "--no-state"])
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("R")
        await pilot.pause()
        assert any("not opened from an address" in n.message for n in notices(app))
        assert app.is_running


def test_saved_lists_the_unread_posts_of_each_thread(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    first = fetch(ADDRESS)
    state = ReadState.open(load(first.path))
    state.mark_many(range(4))
    state.close()
    site.body = json.dumps(story(5)).encode()
    fetch(ADDRESS)
    assert main(["saved"]) == 0
    head, row = capsys.readouterr().out.splitlines()
    assert head.split()[:4] == ["#", "fetched", "posts", "unread"]
    assert re.search(r"\s6\s+2\s+Hacker News\s+A story to fetch twice$", row), row
