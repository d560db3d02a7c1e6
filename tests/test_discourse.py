"""Discourse topic JSON: the real topic loads as its raw JSON says; sniffing, odd files, exports and the app."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import shared_file
from site_fixtures import assert_j_shows_the_second_post, assert_sniffs_only_its_own, fixtures, raw_json

from tuireader.body import QUOTE
from tuireader.errors import ParseError
from tuireader.export import EXPORTERS
from tuireader.formats import discourse, load, native_json
from tuireader.model import Thread

LIKE = 2


def topic_path() -> Path:
    return shared_file("fixtures", "discourse", "perceval_topic_1148_ublock_origin.json")


def depths_from_raw(posts: list[dict[str, Any]]) -> dict[str, int]:
    """Each post's depth, following ``reply_to_post_number`` up through the posts the file holds."""
    by_number = {post["post_number"]: post for post in posts}
    depths = {}
    for post in posts:
        depth, parent = 0, post.get("reply_to_post_number")
        while parent in by_number:
            depth += 1
            parent = by_number[parent].get("reply_to_post_number")
        depths[str(post["post_number"])] = depth
    return depths


def author_from_raw(post: dict[str, Any]) -> str:
    name, username = (post.get("name") or "").strip(), post["username"]
    return f"{username} ({name})" if name and name.casefold() != username.casefold() else username


def test_every_fixture_loads_as_its_raw_json_says() -> None:
    for path in fixtures("discourse"):
        raw = raw_json(path)
        posts = raw["post_stream"]["posts"]
        thread = load(path)
        assert thread.source_format == "discourse"
        assert len(thread) == len(posts)
        assert thread.title == raw["title"] and thread.url == f"/t/{raw['slug']}/{raw['id']}"
        assert {post.id: thread.depth[index] for index, post in enumerate(thread.posts)} == depths_from_raw(posts)
        assert max(thread.depth) >= 2  # the fixture nests
        for raw_post in posts:
            post = thread.posts[thread.index_of[str(raw_post["post_number"])]]
            assert post.author == author_from_raw(raw_post)
            assert post.time == raw_post["created_at"]
            assert post.deleted == bool(raw_post["deleted_at"] or raw_post.get("user_deleted"))
            likes = [action["count"] for action in raw_post["actions_summary"] if action["id"] == LIKE]
            assert post.score == (likes[0] if likes else raw_post.get("like_count"))
            assert post.blocks is None  # bodies are parsed when read
        first = min(posts, key=lambda raw_post: raw_post["post_number"])
        assert thread.posts[0].id == str(first["post_number"]) and thread.depth[0] == 0
        missing = len(raw["post_stream"]["stream"]) - len(posts)
        assert missing > 0
        warning = f"{missing} of the topic's posts are not in this file"
        assert any(line.startswith(warning) for line in thread.warnings)


def test_names_and_likes_are_the_posters() -> None:
    thread = load(topic_path())
    raw = raw_json(topic_path())["post_stream"]["posts"]
    named = next(post for post in raw if post.get("name") and post["name"] != post["username"])
    assert thread.posts[thread.index_of[str(named["post_number"])]].author == f"{named['username']} ({named['name']})"
    liked = sum(1 for post in raw if any(action["id"] == LIKE for action in post["actions_summary"]))
    assert sum(1 for post in thread.posts if post.score is not None) == liked


def test_quote_asides_become_quote_blocks_when_read() -> None:
    raw = raw_json(topic_path())["post_stream"]["posts"]
    quoting = [str(post["post_number"]) for post in raw if '<aside class="quote"' in post["cooked"]]
    assert quoting
    thread = load(topic_path())
    for post_id in quoting:
        text, blocks = thread.body_of(thread.index_of[post_id])
        assert any(block.kind == QUOTE for block in blocks), post_id
        assert "<aside" not in text and "<blockquote" not in text


def test_a_reply_to_a_post_not_in_the_file_is_a_root_with_a_note(tmp_path: Path) -> None:
    raw = raw_json(topic_path())
    posts = raw["post_stream"]["posts"]
    target = next(post["reply_to_post_number"] for post in posts if post.get("reply_to_post_number"))
    replies = [str(post["post_number"]) for post in posts if post.get("reply_to_post_number") == target]
    raw["post_stream"]["posts"] = [post for post in posts if post["post_number"] != target]
    path = tmp_path / "topic.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    thread = load(path)
    assert len(thread) == len(posts) - 1
    for post_id in replies:
        index = thread.index_of[post_id]
        assert thread.depth[index] == 0
        assert thread.posts[index].note == f"replies to post #{target}, not in this file"
    missing = len(raw["post_stream"]["stream"]) - len(raw["post_stream"]["posts"])
    assert any(warning.startswith(f"{missing} of the topic's posts") for warning in thread.warnings)
    assert any(f"post {target}, which is not in this file" in warning for warning in thread.warnings)


def test_the_file_name_does_not_matter(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(topic_path().read_bytes())
    assert load(path).source_format == "discourse"


def test_sniffs_only_discourse_topics() -> None:
    assert_sniffs_only_its_own(discourse.sniff, "discourse")
    # Keys of another Discourse endpoint, or only one topic key, are not a topic.
    assert not discourse.sniff('{"topic_list": {"topics": []}}')
    assert not discourse.sniff('{"archetype": "regular", "title": "x"}')
    assert discourse.sniff('{"post_stream": {"posts": [')


# Files written here ------------------------------------------------------------


def topic(*posts: dict[str, Any], **fields: Any) -> str:
    return json.dumps({"title": "A topic", "slug": "a-topic", "id": 7, **fields, "post_stream": {"posts": list(posts)}})


def post(number: int, reply_to: int | None = None, **fields: Any) -> dict[str, Any]:
    return {
        "post_number": number,
        "reply_to_post_number": reply_to,
        "username": f"user{number}",
        "cooked": f"<p>Post {number}</p>",
        **fields,
    }


def test_reading_order_is_honest_and_parents_after_children_are_sorted() -> None:
    ordered = discourse.parse(topic(post(1), post(2, 1), post(3, 2), post(4, 1), post(5)), "t.json")
    assert ordered.in_reading_order
    odd = discourse.parse(topic(post(3, 5), post(5, 1), post(1)), "t.json")
    assert not odd.in_reading_order
    thread = odd.build()
    assert [post.id for post in thread.posts] == ["1", "5", "3"]
    assert thread.depth == [0, 1, 2]
    assert thread.body_of(2)[0] == "Post 3"


def test_badges_icons_deleted_and_special_posts() -> None:
    thread = discourse.parse(
        topic(
            post(1, user_title="Leader", primary_group_name="staff", admin=True, like_count=4),
            post(2, primary_group_name="translators", deleted_at="2016-01-01T00:00:00Z"),
            post(3, post_type=3, action_code="closed.enabled", cooked=""),
            post(4, hidden=True, user_deleted=True, name="User Four", post_type=4),
            closed=True,
        ),
        "t.json",
    ).build()
    first, second, third, fourth = thread.posts
    assert (first.badge, first.icons, first.score) == ("Leader", ("admin",), 4)
    assert second.badge == "translators" and second.deleted
    assert third.note == "topic event: closed.enabled"
    assert fourth.deleted and fourth.author == "user4 (User Four)"
    assert fourth.note == "whisper (only staff see it); hidden after flags from the community"
    assert thread.closed and thread.title == "A topic" and thread.url == "/t/a-topic/7"


def test_fancy_title_is_unescaped_when_there_is_no_title() -> None:
    source = discourse.parse(json.dumps({"fancy_title": "Caf&eacute; &amp; co", "post_stream": {"posts": []}}), "t")
    assert source.title == "Café & co" and source.url is None


def test_errors_name_the_problem() -> None:
    with pytest.raises(ParseError, match=r"t\.json:3: invalid JSON"):
        discourse.parse('{"post_stream":\n {"posts": [\n  {,]}}', "t.json")
    with pytest.raises(ParseError, match="no \"post_stream\" object"):
        discourse.parse('{"archetype": "regular", "chunk_size": 20}', "t.json")
    with pytest.raises(ParseError, match="got a list"):
        discourse.parse("[]", "t.json")


@pytest.mark.parametrize("to", sorted(EXPORTERS))
def test_exports(to: str) -> None:
    thread = load(topic_path())
    out = EXPORTERS[to](thread, None, ())
    unescaped = out.replace("\\", "")  # Markdown escapes the underscores in names
    assert all(post.author in unescaped for post in thread.posts)
    if to == "json":
        again: Thread = native_json.parse(out, "again.json").build()
        assert [post.id for post in again.posts] == [post.id for post in thread.posts]
        assert again.posts[0].body == thread.body_of(0)[0]


async def test_the_reader_opens_a_topic_and_j_shows_the_next_post() -> None:
    await assert_j_shows_the_second_post(load(topic_path()))
