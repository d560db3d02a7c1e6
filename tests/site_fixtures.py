"""Shared by the Discourse, Lobsters and Mastodon tests: the real files, the sniffing check and a Pilot check."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from helpers import REPO, screen_text, shared_file

from tuireader.app import ReaderApp
from tuireader.formats import source_for
from tuireader.model import Thread

SNIFF_CUT = 2048
"""A head cut this short must still be recognised."""
_NOT_THREADS = frozenset({"SOURCES.txt", "README.md"})


def fixtures(folder: str) -> list[Path]:
    """Every JSON file in one folder of ``../shared/fixtures`` (the test skips without ../shared)."""
    files = sorted(shared_file("fixtures", folder).glob("*.json"))
    assert files, folder
    return files


def raw_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def other_thread_files(folder: str) -> list[Path]:
    """Every thread file that is not *folder*'s: the other fixtures (Reddit, HN, mail) and the sample threads."""
    root = shared_file("fixtures")
    found = [
        path
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name not in _NOT_THREADS and path.relative_to(root).parts[0] != folder
    ]
    return found + sorted((REPO / "sample_threads").rglob("*.txt"))


def assert_sniffs_only_its_own(sniff: Callable[[str], bool], folder: str) -> None:
    """*sniff* says yes to each file of *folder*, whole or cut after 2 KiB, and no to every other thread file."""
    for path in fixtures(folder):
        head = source_for(path).head
        assert sniff(head) and sniff(head[:SNIFF_CUT]), path
    others = other_thread_files(folder)
    assert len(others) > 10  # the other formats' fixtures are really there
    for path in others:
        head = source_for(path).head
        assert not sniff(head) and not sniff(head[:SNIFF_CUT]), path


async def assert_j_shows_the_second_post(thread: Thread) -> None:
    """Open the reader, press ``j``: the reading pane shows the second post's author."""
    app = ReaderApp(thread)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        text = screen_text(app)
        pane = "\n".join(line.split("▕", 1)[1] for line in text.splitlines() if "▕" in line)
        assert thread.posts[1].author in pane
        assert f"2 / {len(thread)}" in text
        await pilot.press("q")
    assert app.return_code == 0
