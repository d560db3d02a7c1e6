"""Huge and deep files: a 20 MB line, a 5 MB post, and a chain of 200,000 replies.

This is the slowest hostile module (about 20 s on two cores): the deep thread is
built once per module and shared by the parser, model, export and app tests.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import hostile_payloads as hp
import pytest
from helpers import run_cli, screen_text

from tuireader.app import ReaderApp
from tuireader.export import EXPORTERS
from tuireader.formats import load
from tuireader.model import Thread
from tuireader.session import FIRST_SCREEN_POSTS
from tuireader.widgets.post_view import MAX_BODY_CHARS

DEEP = 200_000
DEEP_TEXT = 3_000
"""A forum-text chain indents two spaces a level, so its size grows with the square of the depth (27 MB here)."""
BIG_LINE = 20_000_000
BIG_POST = 5_000_000


def _generator() -> ModuleType | None:
    path = hp.REPO / "benchmarks" / "generate.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("tuireader_benchmark_generate", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write_deep_json(path: Path, depth: int) -> None:
    """A chain of tiny posts (benchmarks/generate.py writes realistic ones, three times the bytes to load)."""
    with path.open("w", encoding="utf-8") as out:
        out.write('{"format": "tuireader-thread", "title": "deep", "posts": [\n')
        out.write(
            ",\n".join(
                f'{{"id": "{i}", "parent": {json.dumps(str(i - 1)) if i else "null"}, "author": "u{i % 7}", '
                f'"title": "t{i}", "body": "body {i}"}}'
                for i in range(depth)
            )
        )
        out.write("\n]}\n")


def _write_deep_text(path: Path, depth: int) -> None:
    generator = _generator()
    if generator is not None:
        generator.generate(depth, "text", 1, path, deep=True)
        return
    with path.open("w", encoding="utf-8") as out:
        out.write("back to article deep\n\n")
        for level in range(depth):
            pad = "  " * (level + 1)
            out.write(f"{pad}1. u{level % 7}\n\n{pad}  t{level}\n\n{pad}  body {level}\n\n")


@pytest.fixture(scope="module")
def deep_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("deep") / "deep.json"
    _write_deep_json(path, DEEP)
    return path


@pytest.fixture(scope="module")
def deep_thread(deep_json: Path) -> Thread:
    return load(deep_json)


def _assert_chain(thread: Thread, depth: int) -> None:
    assert len(thread) == depth
    assert thread.depth[-1] == depth - 1 and thread.end[0] == depth
    assert thread.ancestors(depth - 1)[:2] == [0, 1]
    assert thread.warnings == []


# The deep chain ---------------------------------------------------------------------------


def test_deep_json_parses_and_builds_without_recursion(deep_thread: Thread) -> None:
    assert sys.getrecursionlimit() < DEEP
    _assert_chain(deep_thread, DEEP)


def test_deep_json_exports_in_every_format(deep_thread: Thread) -> None:
    last = f"body {DEEP - 1}"
    for name, exporter in EXPORTERS.items():
        text = exporter(deep_thread)
        assert text.count(last) == 1, name
        if name == "json":
            assert f'"id": "{DEEP - 1}", "parent": "{DEEP - 2}"' in text
        elif name == "text":
            assert f"(depth {DEEP - 1}) u2" in text
        else:
            assert f"(depth {DEEP - 1})** · **u2**" in text


def test_deep_text_parses_builds_and_exports(tmp_path: Path) -> None:
    path = tmp_path / "deep.txt"
    _write_deep_text(path, DEEP_TEXT)
    thread = load(path)
    _assert_chain(thread, DEEP_TEXT)
    assert f'"parent": "{thread.posts[-2].id}"' in EXPORTERS["json"](thread)
    for name in ("text", "markdown"):
        assert f"(depth {DEEP_TEXT - 1})" in EXPORTERS[name](thread)


async def test_deep_thread_streams_into_the_app_and_every_move_works(deep_thread: Thread) -> None:
    """As the CLI opens a big file: the first screen at once, the rest of the chain loaded in the background."""
    first = Thread.build(deep_thread.posts[:FIRST_SCREEN_POSTS], title="deep")
    app = ReaderApp(first, more_posts=iter(deep_thread.posts[FIRST_SCREEN_POSTS:]))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.loaded.wait()
        await pilot.pause()
        assert not app.loading and len(app.thread) == DEEP
        await pilot.press("G")
        await pilot.pause()
        assert app.thread_view.cursor_index == DEEP - 1
        text = screen_text(app)
        assert f"{DEEP:,} / {DEEP:,}" in text and f"body {DEEP - 1}" in text
        assert f"in reply to … {DEEP - 1 - 6:,} more › " in text
        for keys in (("k", "u", "K", "J", "A", "a"), ("c",), ("e", "G"), ("left",), ("3", "0", "p", "n", "g")):
            await pilot.press(*keys)
            await pilot.pause()
            assert app.is_running
        assert app.thread_view.cursor_index == 0 and "u0 · t0" in screen_text(app).splitlines()[1]
        await pilot.press("q")
    assert app.return_code == 0


async def test_deep_post_tree_line_still_names_its_author(deep_thread: Thread) -> None:
    """Up to MAX_GUIDE_LEVELS (24) guide columns pairs plus "⋯DEPTH " leave no room in a 47-column tree.

    Fix: cap the guides at a share of the width (say a third), summarising the rest as ``⋯DEPTH``.
    """
    app = ReaderApp(deep_thread)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("G")
        await pilot.pause()
        row = app.thread_view.cursor_row - app.thread_view.scroll_offset.y
        line = "".join(segment.text for segment in app.thread_view.render_line(row))
        assert "u2" in line and "t199999" in line, line


# Big files --------------------------------------------------------------------------------


def _export_quickly(path: Path) -> tuple[int, bytes, bytes]:
    started = time.perf_counter()
    result = run_cli("export", str(path), "--to", "text", timeout=30, raw=True)
    assert time.perf_counter() - started < 10
    return result.returncode, result.stdout, result.stderr


def test_a_20mb_line_of_words_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "line.txt"
    path.write_bytes(b"word " * (BIG_LINE // 5))
    status, out, err = _export_quickly(path)
    assert status == 2 and out == b"" and err.startswith(f"tuireader: {path}:1: ".encode()) and err.count(b"\n") == 1


def test_a_20mb_single_line_json_thread_exports_quickly(tmp_path: Path) -> None:
    path = tmp_path / "line.json"
    body = "word " * (BIG_LINE // 5)
    path.write_text(json.dumps({"format": "tuireader-thread", "posts": [{"id": 1, "author": "a", "body": body}]}))
    status, out, err = _export_quickly(path)
    assert status == 0, err
    assert len(out) > BIG_LINE - 100 and out.count(b"word") == BIG_LINE // 5


def test_native_json_without_marker_and_a_long_first_post_is_recognised(tmp_path: Path) -> None:
    """sniff() decodes the first post to check it has "id" and "author"; past SNIFF_CHARS the head is cut and
    raw_decode fails, so a valid file (the marker is optional) is refused as "not a thread file".
    Fix: when the head is cut inside the first post, scan that post's keys member by member instead."""
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"posts": [{"id": 1, "author": "a", "body": "x" * 100_000}]}))
    assert len(load(path)) == 1


@pytest.fixture(scope="module")
def big_post_thread(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Thread]:
    path = tmp_path_factory.mktemp("big") / "big.json"
    paragraph = "A sentence that goes on. " * 40 + "\n\n"
    body = (paragraph * (BIG_POST // len(paragraph) + 1))[:BIG_POST] + "THE END"
    posts = [
        {"id": "1", "author": "long", "title": "Long one", "body": body},
        {"id": "2", "parent": "1", "author": "b"},
    ]
    path.write_text(json.dumps({"format": "tuireader-thread", "posts": posts}))
    yield load(path)


async def test_a_5mb_post_is_cut_in_the_pane_and_says_so(big_post_thread: Thread) -> None:
    body = big_post_thread.posts[0].body
    assert len(body) == BIG_POST + len("THE END")
    app = ReaderApp(big_post_thread)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Long one" in screen_text(app)
        app.pane.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        text = screen_text(app)
        hidden = len(body) - MAX_BODY_CHARS
        assert f"[{hidden:,} more characters not shown" in text  # the notice may wrap after that
        assert "THE END" not in text
        await pilot.press("q")
    assert app.return_code == 0
