"""Reddit thread JSON: real threads load with what their raw JSON holds, and each Reddit field lands where it should.

Counts, depths and authors are read from the raw files here, by a walk of their
own, never from the parser; the small threads written below try one field each.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from site_fixtures import assert_j_shows_the_second_post, assert_sniffs_only_its_own, fixtures, raw_json

from tuireader.body import CODE_BLOCK, QUOTE, links
from tuireader.export import EXPORTERS
from tuireader.formats import load, reddit
from tuireader.model import Thread

GONE = ("[deleted]", "[removed]")
ICON_OF = {"moderator": "mod", "admin": "admin", "special": "special"}


def raw_items(document: list[Any]) -> list[tuple[str, dict[str, Any], int]]:
    """(kind, data, depth) of every comment and ``more`` stub, in the order Reddit nests them (depth 1: top level)."""
    found: list[tuple[str, dict[str, Any], int]] = []

    def walk(children: list[Any], depth: int) -> None:
        for item in children:
            found.append((item["kind"], item["data"], depth))
            replies = item["data"].get("replies")
            if replies:
                walk(replies["data"]["children"], depth + 1)

    walk(document[1]["data"]["children"], 1)
    return found


def lines_as_typed(body: str) -> str:
    """A body with its line ends as Markdown reads them: CR LF and a lone CR end a line, like LF."""
    return body.replace("\r\n", "\n").replace("\r", "\n")


def iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def fixture_ids() -> list[str]:
    return ["praw_3hahrw", "rtv_collegebasketball_31owr1", "rtv_iama_z1c9z", "rtv_python_2xmo63"]


@pytest.fixture(params=fixture_ids())
def fixture(request: pytest.FixtureRequest) -> Path:
    path = next(path for path in fixtures("reddit") if path.stem == request.param)
    return path


# Real threads ------------------------------------------------------------------


def test_a_real_thread_loads_every_comment_and_stub_at_its_depth(fixture: Path) -> None:
    document = raw_json(fixture)
    items = raw_items(document)
    submission = document[0]["data"]["children"][0]["data"]
    thread = load(fixture)

    assert thread.source_format == "reddit"
    assert len(thread) == 1 + len(items)
    root = thread.posts[0]
    assert (root.id, root.parent, root.title) == (submission["id"], None, submission["title"])
    assert thread.title == submission["title"]
    assert thread.url == "https://www.reddit.com" + submission["permalink"]
    assert thread.reply_count(0) == len(items)
    assert max(thread.depth) == max(depth for _, _, depth in items)
    for index, (kind, data, depth) in enumerate(items, 1):
        post = thread.posts[index]
        assert thread.depth[index] == depth, post
        if kind == "t1":
            assert post.id == data["id"]
            assert post.author == ("" if data["author"] in GONE else data["author"])
            assert post.deleted == (data["author"] in GONE or data["body"] in GONE)
            assert post.time == iso(data["created_utc"])
        else:
            count = data["count"] or len(data["children"])
            assert post.author == "" and not post.deleted and post.note is not None
            assert post.note.startswith(f"{count:,} more repl" if count else "more replies"), post.note
            assert "not in this file" in post.note
    assert sum(post.deleted for post in thread.posts[1:]) == sum(
        kind == "t1" and (data["author"] in GONE or data["body"] in GONE) for kind, data, _ in items
    )


def test_flair_distinguished_and_edited_become_badge_and_icons(fixture: Path) -> None:
    items = raw_items(raw_json(fixture))
    thread = load(fixture)
    for index, (kind, data, _) in enumerate(items, 1):
        if kind != "t1":
            continue
        post = thread.posts[index]
        assert post.badge == (data.get("author_flair_text") or None)
        assert (ICON_OF.get(data["distinguished"]) in post.icons) if data.get("distinguished") else True
        assert ("edited" in post.icons) == bool(data["edited"])
        assert post.score == (None if data.get("score_hidden") else data["score"])


def test_the_iama_shows_its_moderator_admin_and_flair() -> None:
    path = next(path for path in fixtures("reddit") if path.stem == "rtv_iama_z1c9z")
    items = raw_items(raw_json(path))
    thread = load(path)
    icons = {icon for post in thread.posts for icon in post.icons}
    assert {"mod", "admin", "special"} <= icons
    flair_posts = [index for index, (kind, data, _) in enumerate(items, 1) if data.get("author_flair_text")]
    assert flair_posts and all(thread.posts[index].badge for index in flair_posts)


def test_escaped_markdown_is_unescaped_and_raw_markdown_kept() -> None:
    escaped = next(path for path in fixtures("reddit") if path.stem == "rtv_python_2xmo63")
    items = raw_items(raw_json(escaped))
    thread = load(escaped)
    quoted = [index for index, (kind, data, _) in enumerate(items, 1) if kind == "t1" and "&gt;" in data["body"]]
    assert quoted
    for index in quoted:
        assert "&gt;" not in thread.posts[index].body and ">" in thread.posts[index].body

    raw = next(path for path in fixtures("reddit") if path.stem == "praw_3hahrw")  # saved with raw_json=1
    items = raw_items(raw_json(raw))
    thread = load(raw)
    for index, (kind, data, _) in enumerate(items, 1):
        if kind == "t1" and data["body"] not in GONE:
            assert thread.posts[index].body == lines_as_typed(data["body"])


def test_a_link_post_starts_with_its_link() -> None:
    path = next(path for path in fixtures("reddit") if path.stem == "rtv_python_2xmo63")
    submission = raw_json(path)[0]["data"]["children"][0]["data"]
    thread = load(path)
    assert not submission["is_self"]
    assert thread.posts[0].body.split("\n")[0] == submission["url"]
    _, blocks = thread.body_of(0)
    assert (submission["url"], submission["url"]) in list(links(blocks))


def test_body_of_gives_quotes_links_and_code_their_structure() -> None:
    path = next(path for path in fixtures("reddit") if path.stem == "rtv_python_2xmo63")
    items = raw_items(raw_json(path))
    thread = load(path)

    def first(test: Any) -> int:
        return next(index for index, (kind, data, _) in enumerate(items, 1) if kind == "t1" and test(data["body"]))

    quote = first(lambda body: body.startswith("&gt;") or "\n&gt;" in body)
    assert any(block.kind == QUOTE for block in thread.body_of(quote)[1])
    link = first(lambda body: "](http" in body)
    assert any(target.startswith("http") for _, target in links(thread.body_of(link)[1]))
    code = first(lambda body: "\n\n    " in body)
    assert any(block.kind == CODE_BLOCK for block in thread.body_of(code)[1])


@pytest.mark.parametrize("to", sorted(EXPORTERS))
def test_every_export_works(fixture: Path, to: str, tmp_path: Path) -> None:
    thread = load(fixture)
    text = EXPORTERS[to](thread)
    if to == "markdown":
        text = text.replace("\\", "")  # Markdown escapes the title's brackets and underscores
    assert thread.title in text if to != "json" else json.loads(text)["title"] == thread.title
    assert thread.posts[-1].author.replace("\\", "") in text
    if to == "json":
        again = tmp_path / "again.json"
        again.write_text(text, encoding="utf-8")
        reloaded = load(again)
        assert [post.author for post in reloaded.posts] == [post.author for post in thread.posts]
        assert reloaded.depth == thread.depth


def test_the_sniffer_knows_reddit_and_nothing_else() -> None:
    assert_sniffs_only_its_own(reddit.sniff, "reddit")


async def test_j_moves_to_the_first_comment() -> None:
    path = next(path for path in fixtures("reddit") if path.stem == "rtv_python_2xmo63")
    await assert_j_shows_the_second_post(load(path))


# One field at a time -------------------------------------------------------------------


def listing(*children: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "Listing", "data": {"children": list(children)}}


def comment(comment_id: str, author: str = "ann", body: str = "hello", **fields: Any) -> dict[str, Any]:
    return {"kind": "t1", "data": {"id": comment_id, "author": author, "body": body, "score": 1, **fields}}


def thread_of(*comments: dict[str, Any], **submission: Any) -> list[Any]:
    post = {"id": "abc", "title": "A pond", "author": "op", "selftext": "", "permalink": "/r/ponds/comments/abc/"}
    return [listing({"kind": "t3", "data": {**post, **submission}}), listing(*comments)]


def parsed(document: Any) -> Thread:
    return reddit.parse(json.dumps(document), "t.json").build()


def test_more_stubs_say_how_many_replies_are_missing() -> None:
    more = {"kind": "more", "data": {"count": 0, "children": ["x", "y"], "id": "x"}}
    deeper = {"kind": "more", "data": {"count": 0, "children": [], "id": "_"}}
    many = {"kind": "more", "data": {"count": 1234, "children": ["z"], "id": "z"}}
    thread = parsed(thread_of(comment("a", replies=listing(more, deeper)), many))
    notes = [post.note for post in thread.posts[2:]]
    assert notes[0] == "2 more replies not in this file"
    assert notes[1] is not None and notes[1].startswith("more replies not in this file")
    assert notes[2] == "1,234 more replies not in this file"
    assert [thread.depth[index] for index in range(len(thread))] == [0, 1, 2, 2, 1]
    assert len({post.id for post in thread.posts}) == len(thread)


def test_deleted_and_removed_posts() -> None:
    thread = parsed(
        thread_of(
            comment("a", author="[deleted]", body="[deleted]"),
            comment("b", body="[removed]"),
            comment("c", author="[deleted]", body="kept words"),
        )
    )
    a, b, c = thread.posts[1:]
    assert a.deleted and a.author == "" and a.body == ""
    assert b.deleted and b.author == "ann" and b.note == reddit.REMOVED_NOTE
    assert c.deleted and c.body == "kept words"


def test_the_submitter_icon_only_where_the_name_cannot_show_it() -> None:
    thread = parsed(
        thread_of(comment("a", author="op", is_submitter=True), comment("b", author="[deleted]", is_submitter=True))
    )
    assert thread.posts[1].icons == () and thread.is_op_reply(1)
    assert thread.posts[2].icons == ("OP",)


def test_header_and_closed_and_hidden_scores() -> None:
    thread = parsed(thread_of(comment("a", score_hidden=True), archived=True, hide_score=True, score=5))
    assert thread.closed and thread.url == "https://www.reddit.com/r/ponds/comments/abc/"
    assert thread.posts[0].score is None and thread.posts[1].score is None


def test_a_body_only_in_html_is_read_from_it() -> None:
    html = "&lt;div class=&quot;md&quot;&gt;&lt;p&gt;Only &amp;amp; HTML&lt;/p&gt;&lt;/div&gt;"
    data = {"id": "a", "author": "ann", "body_html": html}
    thread = parsed(thread_of({"kind": "t1", "data": data}))
    assert thread.posts[1].body == "Only & HTML"
    assert thread.body_of(1)[0] == "Only & HTML"


def test_a_file_without_a_submission_shows_its_comments_at_the_top() -> None:
    thread = parsed([listing(), listing(comment("a"), comment("b", replies=listing(comment("c"))))])
    assert [post.id for post in thread.posts] == ["a", "b", "c"]
    assert thread.depth == [0, 0, 1]
    assert any("no submission" in warning for warning in thread.warnings)
