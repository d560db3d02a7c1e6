"""Small builders shared by the tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import strategies as st

from tuireader.body import BLOCK_KINDS, CODE, EMPHASIS, STRIKE, STRONG, Block, Span
from tuireader.model import Post, Thread

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seeds" / "register-contactpoint.txt"
FIXTURES = SHARED / "fixtures"


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
