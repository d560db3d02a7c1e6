"""The thread model: reading order, derived structure, repairs of bad links, and no Textual import."""

from __future__ import annotations

import subprocess
import sys

from helpers import SMALL_OUTLINE, chain_thread, thread_from_outline

from tuireader.model import Post, Thread

SPEC = SMALL_OUTLINE + "3 frank\n"


def ids(thread: Thread, indices: object) -> list[str]:
    return [thread.posts[i].id for i in indices]  # type: ignore[attr-defined]


def test_derived_structure() -> None:
    thread = thread_from_outline(SPEC)
    assert [p.id for p in thread.posts] == ["1", "1.1", "1.1.1", "1.2", "2", "2.1", "3"]
    assert thread.depth == [0, 1, 2, 1, 0, 1, 0]
    assert ids(thread, thread.children(-1)) == ["1", "2", "3"]
    assert ids(thread, thread.children(0)) == ["1.1", "1.2"]
    assert thread.reply_count(0) == 3
    assert thread.next_sibling(1) == 3 and thread.next_sibling(3) is None
    assert thread.previous_sibling(3) == 1 and thread.previous_sibling(1) is None
    assert thread.previous_sibling(6) == 4
    assert ids(thread, thread.ancestors(2)) == ["1", "1.1"]
    assert thread.root_of(2) == 0


def test_out_of_order_posts_are_sorted_depth_first_keeping_sibling_order() -> None:
    posts = [
        Post("b1", "a", "x"),
        Post("a", None, "x"),
        Post("c", None, "x"),
        Post("b2", "a", "x"),
        Post("d", "c", "x"),
        Post("b1.1", "b1", "x"),
    ]
    thread = Thread.build(posts)
    assert [p.id for p in thread.posts] == ["a", "b1", "b1.1", "b2", "c", "d"]
    assert thread.warnings == []


def test_missing_parent_becomes_root_with_note() -> None:
    thread = Thread.build([Post("1", None, "x"), Post("2", "nowhere", "y")])
    post = thread.posts[1]
    assert thread.depth[1] == 0 and post.parent is None
    assert post.note is not None and "nowhere" in post.note
    assert any("nowhere" in w for w in thread.warnings)


def test_cycle_is_broken() -> None:
    thread = Thread.build([Post("a", "b", "x"), Post("b", "a", "x"), Post("c", "c", "x")])
    assert len(thread) == 3
    assert sorted(p.id for p in thread.posts) == ["a", "b", "c"]
    assert all(thread.parent_index[i] < i for i in range(3))
    assert len(thread.warnings) == 2


def test_duplicate_ids_are_renamed_and_replies_follow_the_newest() -> None:
    thread = Thread()
    thread.extend([Post("1", None, "a"), Post("1.1", "1", "b"), Post("1.1", "1", "c"), Post("1.1.1", "1.1", "d")])
    assert [p.id for p in thread.posts] == ["1", "1.1", "1.1~2", "1.1.1"]
    assert thread.posts[3].parent == "1.1~2" and thread.parent_index[3] == 2


def test_fields_are_sanitised_once_in_the_model() -> None:
    thread = Thread.build([Post("1", None, "ev\x1b[31mil", title="t\x07", body="a\x1b]0;x\x07\nb")], title="T\x9b")
    post = thread.posts[0]
    assert "\x1b" not in post.author and "\x07" not in post.title and "\x1b" not in post.body
    assert "\n" in post.body and "\x9b" not in thread.title


def test_deep_chain_builds_without_recursion() -> None:
    thread = chain_thread(200_000)
    assert thread.depth[-1] == 199_999
    assert thread.end[0] == 200_000
    assert len(thread.ancestors(199_999)) == 199_999


def test_deep_chain_out_of_order_sorts_without_recursion() -> None:
    depth = 50_000
    posts = [Post(str(i), str(i - 1) if i else None, "x") for i in reversed(range(depth))]
    thread = Thread.build(posts)
    assert thread.depth[-1] == depth - 1


def test_model_does_not_import_textual() -> None:
    code = (
        "import sys, tuireader.model, tuireader.formats, tuireader.outline, tuireader.filters, tuireader.navigation;"
        "print(any(m.startswith('textual') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
