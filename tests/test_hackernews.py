"""Hacker News JSON in Algolia's and the HNPWA shape: real threads load with what their raw JSON holds.

Counts, depths, authors and deleted comments are read from the raw files here, by a
walk of their own; the small threads written below try one field each.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from site_fixtures import SNIFF_CUT, assert_j_shows_the_second_post, fixtures, other_thread_files, raw_json

from tuireader.body import CODE_BLOCK, EMPHASIS, links
from tuireader.export import EXPORTERS
from tuireader.formats import hackernews, load, source_for
from tuireader.model import Thread

FOLDERS = {"hackernews-algolia": ("children", "author", "text"), "hackernews": ("comments", "user", "content")}
"""Each fixture folder's shape: where it keeps replies, the author and the HTML body."""


def raw_comments(story: dict[str, Any], replies: str) -> list[tuple[dict[str, Any], int]]:
    """(item, depth) of every comment below the story, as the file nests them (depth 1: a reply to the story)."""
    found: list[tuple[dict[str, Any], int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            found.append((item, depth))
            walk(item.get(replies) or [], depth + 1)

    walk(story[replies], 1)
    return found


def iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture(params=sorted(FOLDERS))
def folder(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def the_fixture(folder: str) -> Path:
    (path,) = fixtures(folder)
    return path


# Real threads ------------------------------------------------------------------


def test_a_real_thread_loads_the_story_and_every_comment_at_its_depth(folder: str) -> None:
    replies, author_key, html_key = FOLDERS[folder]
    story = raw_json(the_fixture(folder))
    comments = raw_comments(story, replies)
    thread = load(the_fixture(folder))

    assert thread.source_format == "hackernews"
    assert len(thread) == 1 + len(comments)
    root = thread.posts[0]
    assert (root.id, root.parent, root.title) == (str(story["id"]), None, story["title"])
    assert root.author == story[author_key]
    assert root.score == story["points"]
    assert root.body.split("\n")[0] == story["url"]
    assert thread.title == story["title"]
    assert thread.url == f"https://news.ycombinator.com/item?id={story['id']}"
    assert thread.reply_count(0) == len(comments)
    assert max(thread.depth) == max(depth for _, depth in comments)
    for index, (item, depth) in enumerate(comments, 1):
        post = thread.posts[index]
        assert (post.id, thread.depth[index]) == (str(item["id"]), depth)
        assert post.author == (item.get(author_key) or "")
        assert post.time == iso(item["created_at_i"] if folder == "hackernews-algolia" else item["time"])
    deleted = sum(
        bool(item.get("deleted")) or (item.get(author_key) is None and item.get(html_key) is None)
        for item, _ in comments
    )
    assert sum(post.deleted for post in thread.posts) == deleted
    if folder == "hackernews-algolia":
        assert deleted > 0  # the file has comments deleted by their authors, with author and text null


def test_entities_in_the_html_are_decoded(folder: str) -> None:
    replies, _, html_key = FOLDERS[folder]
    comments = raw_comments(raw_json(the_fixture(folder)), replies)
    thread = load(the_fixture(folder))
    quoted = [index for index, (item, _) in enumerate(comments, 1) if "&#x27;" in (item.get(html_key) or "")]
    assert quoted
    for index in quoted:
        assert "&#x27;" not in thread.posts[index].body and "'" in thread.posts[index].body
        assert "<p>" not in thread.posts[index].body


def test_body_of_gives_links_code_and_emphasis_their_structure() -> None:
    replies, _, html_key = FOLDERS["hackernews-algolia"]
    comments = raw_comments(raw_json(the_fixture("hackernews-algolia")), replies)
    thread = load(the_fixture("hackernews-algolia"))

    def first(marker: str) -> int:
        return next(index for index, (item, _) in enumerate(comments, 1) if marker in (item.get(html_key) or ""))

    assert any(target.startswith("http") for _, target in links(thread.body_of(first("<a href"))[1]))
    assert any(block.kind == CODE_BLOCK for block in thread.body_of(first("<pre><code>"))[1])
    emphasised = thread.body_of(first("<i>"))[1]
    assert any(span.style & EMPHASIS for block in emphasised for span in block.spans)


def test_the_story_link_is_a_link_block(folder: str) -> None:
    story = raw_json(the_fixture(folder))
    _, blocks = load(the_fixture(folder)).body_of(0)
    assert next(links(blocks)) == (story["url"], story["url"])


@pytest.mark.parametrize("to", sorted(EXPORTERS))
def test_every_export_works(folder: str, to: str, tmp_path: Path) -> None:
    thread = load(the_fixture(folder))
    text = EXPORTERS[to](thread)
    assert thread.title in text
    assert thread.posts[-1].author.replace("_", "") in text.replace("\\", "").replace("_", "")
    if to == "json":
        again = tmp_path / "again.json"
        again.write_text(text, encoding="utf-8")
        reloaded = load(again)
        assert [post.author for post in reloaded.posts] == [post.author for post in thread.posts]
        assert reloaded.depth == thread.depth


def test_the_sniffer_knows_both_shapes_and_nothing_else() -> None:
    for folder in FOLDERS:
        head = source_for(the_fixture(folder)).head
        assert hackernews.sniff(head) and hackernews.sniff(head[:SNIFF_CUT]), folder
    others = [path for path in other_thread_files("hackernews") if "hackernews-algolia" not in path.parts]
    assert len(others) > 10
    for path in others:
        head = source_for(path).head
        assert not hackernews.sniff(head) and not hackernews.sniff(head[:SNIFF_CUT]), path


async def test_j_moves_to_the_first_comment(folder: str) -> None:
    await assert_j_shows_the_second_post(load(the_fixture(folder)))


# One field at a time -------------------------------------------------------------------


def parsed(document: Any) -> Thread:
    return hackernews.parse(json.dumps(document), "t.json").build()


def algolia(*children: dict[str, Any], **story: Any) -> dict[str, Any]:
    fields = {"id": 1, "author": "pg", "title": "A pond", "url": None, "text": None, "points": 3, "story_id": None}
    return {**fields, "created_at_i": 1_600_000_000, "children": list(children), **story}


def test_an_ask_story_shows_its_own_text_and_sorted_keys_still_sniff() -> None:
    document = algolia({"id": 2, "author": "ann", "text": "<p>Yes &amp; no</p>", "children": []}, text="<p>Ask?</p>")
    thread = parsed(document)
    assert thread.posts[0].body == "Ask?" and thread.posts[1].body == "Yes & no"
    assert hackernews.sniff(json.dumps(document, sort_keys=True)[:SNIFF_CUT])


def test_hnpwa_flags_and_time_text() -> None:
    story = {
        "id": 5,
        "title": "Show HN: ducks",
        "user": "ann",
        "time_ago": "2 hours ago",
        "comments": [
            {"id": 6, "user": "bob", "content": "<p>dead words", "dead": True, "time_ago": "1 hour ago"},
            {"id": 7, "deleted": True, "comments": [{"id": 8, "user": "cy", "content": "under it", "timeago": "now"}]},
        ],
    }
    thread = parsed(story)
    assert thread.posts[1].icons == ("dead",) and not thread.posts[1].deleted
    assert thread.posts[1].time == "1 hour ago" and thread.posts[3].time == "now"
    assert thread.posts[2].deleted and thread.depth == [0, 1, 1, 2]


def test_items_without_ids_get_one_with_a_note() -> None:
    thread = parsed(algolia({"author": "ann", "text": "x", "children": [{"id": 9, "author": "bob", "text": "y"}]}))
    post = thread.posts[1]
    assert post.id and post.note is not None and "no id" in post.note
    assert thread.posts[2].parent == post.id
    assert any("no id" in warning for warning in thread.warnings)
