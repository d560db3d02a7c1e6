"""Small builders shared by the tests."""

from __future__ import annotations

from pathlib import Path

from tuireader.model import Post, Thread

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seeds" / "register-contactpoint.txt"
FIXTURES = SHARED / "fixtures"


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
