"""Lobsters story JSON: the real story loads as its raw JSON says; both schemas, sniffing, exports and the app."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import shared_file
from site_fixtures import assert_j_shows_the_second_post, assert_sniffs_only_its_own, fixtures, raw_json

from tuireader.body import PARAGRAPH
from tuireader.errors import ParseError
from tuireader.export import EXPORTERS
from tuireader.formats import load, lobsters, native_json


def story_path() -> Path:
    return shared_file("fixtures", "lobsters", "claw_story_tdfoqh_2025_depth_parent_comment.json")


def depths_from_raw(comments: list[dict[str, Any]]) -> dict[str, int]:
    """Each comment's depth below the story (a reply to the story is 1), following ``parent_comment``."""
    parent_of = {comment["short_id"]: comment["parent_comment"] for comment in comments}
    depths = {}
    for short_id in parent_of:
        depth, parent = 1, parent_of[short_id]
        while parent is not None:
            depth += 1
            parent = parent_of[parent]
        depths[short_id] = depth
    return depths


def user(value: str | dict[str, str]) -> str:
    return value if isinstance(value, str) else value["username"]


def test_every_fixture_loads_as_its_raw_json_says() -> None:
    for path in fixtures("lobsters"):
        raw = raw_json(path)
        comments = raw["comments"]
        thread = load(path)
        assert thread.source_format == "lobsters"
        assert len(thread) == len(comments) + 1
        story = thread.posts[0]
        assert (story.id, story.title, story.author) == (raw["short_id"], raw["title"], user(raw["submitter_user"]))
        assert (story.icons, story.score, story.time) == (tuple(raw["tags"]), raw["score"], raw["created_at"])
        assert thread.title == raw["title"] and thread.url == raw["short_id_url"]
        assert [index for index in range(len(thread)) if thread.depth[index] == 0] == [0]  # one tree
        depths = depths_from_raw(comments)
        for comment in comments:
            index = thread.index_of[comment["short_id"]]
            assert thread.depth[index] == depths[comment["short_id"]] == comment["depth"] + 1
            post = thread.posts[index]
            assert (post.author, post.score, post.time) == (
                user(comment["commenting_user"]),
                comment["score"],
                comment["created_at"],
            )
            assert post.deleted == (comment["is_deleted"] or comment["is_moderated"])
        assert max(thread.depth) == max(depths.values())
        assert thread.warnings == []


def test_plain_bodies_lose_their_crlf(tmp_path: Path) -> None:
    raw = raw_json(story_path())
    assert any("\r\n" in comment["comment_plain"] for comment in raw["comments"])
    for comment in raw["comments"]:
        del comment["comment"]
    del raw["description"]
    path = tmp_path / "plain.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    thread = load(path)
    for comment in raw["comments"]:
        index = thread.index_of[comment["short_id"]]
        assert thread.posts[index].body == comment["comment_plain"].replace("\r\n", "\n")
        assert "\r" not in thread.body_of(index)[0]
    assert thread.posts[0].body == raw["description_plain"].replace("\r\n", "\n")


def test_the_sites_html_is_read_when_a_post_is_shown() -> None:
    thread = load(story_path())
    assert all(post.blocks is None for post in thread.posts)
    text, blocks = thread.body_of(1)
    assert blocks and "<p>" not in text and "<blockquote>" not in text


def test_the_file_name_does_not_matter(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(story_path().read_bytes())
    assert load(path).source_format == "lobsters"


def test_sniffs_only_lobsters_stories() -> None:
    assert_sniffs_only_its_own(lobsters.sniff, "lobsters")
    assert not lobsters.sniff('{"short_id": "abc", "title": "x"}')  # short_id alone is too common a key
    assert lobsters.sniff('{"short_id": "abc", "short_id_url": "https://lobste.rs/s/abc", "description": "<p>cut')


# Files written here ------------------------------------------------------------


OLD_SCHEMA = {
    "short_id": "old1",
    "short_id_url": "https://example.org/s/old1",
    "title": "An old story",
    "url": "https://example.org/article",
    "upvotes": 9,
    "downvotes": 1,
    "score": 8,
    "description": "",
    "submitter_user": {"username": "alice", "karma": 10},
    "tags": ["practices", "meta"],
    "comments": [
        {"short_id": "c1", "indent_level": 1, "comment": "<p>first</p>", "commenting_user": {"username": "bob"}},
        {"short_id": "c2", "indent_level": 2, "comment": "<p>reply</p>", "commenting_user": {"username": "carol"}},
        {"short_id": "c3", "indent_level": 3, "comment": "<p>deeper</p>", "commenting_user": {"username": "bob"}},
        {"short_id": "c4", "indent_level": 2, "comment": "<p>second reply</p>", "commenting_user": {"username": "d"}},
        {
            "short_id": "c5",
            "indent_level": 1,
            "comment": "",
            "is_deleted": True,
            "commenting_user": {"username": "e"},
            "upvotes": 2,
            "downvotes": 3,
        },
        {"short_id": "c6", "indent_level": 1, "comment": "<p>gone</p>", "is_moderated": True, "commenting_user": "f"},
    ],
}


def test_the_older_schema_nests_by_indent_level() -> None:
    source = lobsters.parse(json.dumps(OLD_SCHEMA), "old.json")
    assert source.in_reading_order
    thread = source.build()
    assert [post.id for post in thread.posts] == ["old1", "c1", "c2", "c3", "c4", "c5", "c6"]
    assert [post.parent for post in thread.posts] == [None, "old1", "c1", "c2", "c1", "old1", "old1"]
    story = thread.posts[0]
    assert (story.author, story.up, story.down, story.score, story.icons) == ("alice", 9, 1, 8, ("practices", "meta"))
    assert [post.author for post in thread.posts[1:]] == ["bob", "carol", "bob", "d", "e", "f"]
    deleted, moderated = thread.posts[5], thread.posts[6]
    assert deleted.deleted and (deleted.up, deleted.down) == (2, 3)
    assert moderated.deleted and moderated.note == "removed by a moderator"


def test_the_story_link_comes_first_in_its_body() -> None:
    thread = lobsters.parse(json.dumps(OLD_SCHEMA), "old.json").build()
    assert thread.posts[0].body == "https://example.org/article"
    _, blocks = thread.body_of(0)
    assert blocks[0].kind == PARAGRAPH and blocks[0].spans[0].link == "https://example.org/article"


def test_a_reply_to_a_comment_not_in_the_file_is_a_root_with_a_note() -> None:
    story = {
        "short_id": "s",
        "submitter_user": "a",
        "comments": [
            {"short_id": "x", "parent_comment": "gone", "depth": 1, "comment": "<p>x</p>", "commenting_user": "b"},
            {"short_id": "y", "parent_comment": "x", "depth": 2, "comment": "<p>y</p>", "commenting_user": "c"},
        ],
    }
    thread = lobsters.parse(json.dumps(story), "t.json").build()
    index = thread.index_of["x"]
    assert thread.depth[index] == 0 and thread.posts[index].note == "replies to comment gone, not in this file"
    assert thread.depth[thread.index_of["y"]] == 1
    assert thread.warnings == ["1 comment replies to comment gone, which is not in this file; shown as top-level posts"]


def test_errors_name_the_problem() -> None:
    with pytest.raises(ParseError, match=r"t\.json:2: invalid JSON"):
        lobsters.parse('{"short_id": "a",\n "comments": [}', "t.json")
    with pytest.raises(ParseError, match="got \"short_id\""):
        lobsters.parse('"short_id"', "t.json")


@pytest.mark.parametrize("to", sorted(EXPORTERS))
def test_exports(to: str) -> None:
    thread = load(story_path())
    out = EXPORTERS[to](thread, None, ())
    assert thread.title.split("'")[0] in out and all(post.author in out for post in thread.posts)
    if to == "json":
        again = native_json.parse(out, "again.json").build()
        assert [post.parent for post in again.posts] == [post.parent for post in thread.posts]


async def test_the_reader_opens_a_story_and_j_shows_the_next_post() -> None:
    await assert_j_shows_the_second_post(load(story_path()))
