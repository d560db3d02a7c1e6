"""Hostile Reddit and Hacker News files: every field inert, markup kept as typed, no crash on any value, any depth.

Escapes reach these formats JSON-escaped in any string (``\\u001b``) and, in Hacker
News's HTML, entity-encoded (``&#27;``): the HTML reader decodes them into plain
strings and the model cleans those, so a reader sees ``␛``, never ESC.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import hostile_payloads as hp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuireader.cli import main
from tuireader.errors import ParseError
from tuireader.export import EXPORTERS
from tuireader.formats import hackernews, load, reddit
from tuireader.model import Thread

ENTITY_ESCAPE = "&#27;]0;PWN&#7;ENTITYWORD"
SHOWN_ESCAPE = "␛]0;PWN␇ENTITYWORD"
EVIL = f"{hp.ALL_ESCAPES} {hp.ALL_MARKUP}"
"""Every terminal sequence and every markup, in one string for any field."""
HTML = (
    f"<p>{ENTITY_ESCAPE}</p>"
    f"<p>{EVIL.replace('&', '&amp;').replace('<', '&lt;')}</p>"
    f'<p><a href="javascript:alert(1)&#27;[2J">{hp.MARKUP[3]}</a> {hp.BAD_BYTES_MARK}</p>'
)
"""An HTML body with entity-encoded escapes, raw escapes, markup-looking text and a hostile link."""
MARKDOWN = f"{ENTITY_ESCAPE}\n\n> {EVIL}\n\n[{hp.MARKUP[3]}](javascript:alert(1)\x1b[2J) {hp.BAD_BYTES_MARK}\r\rend"
DEPTH = 100_000


def listing(*children: Any) -> dict[str, Any]:
    return {"kind": "Listing", "data": {"children": list(children)}}


def reddit_thread() -> list[Any]:
    submission = {
        "id": hp.TITLE,
        "title": EVIL,
        "author": hp.AUTHOR,
        "author_flair_text": EVIL,
        "distinguished": EVIL,
        "selftext": MARKDOWN,
        "url": f"https://example.org/{EVIL}",
        "permalink": f"/r/x/{EVIL}",
        "created_utc": 1_600_000_000,
        "edited": 1_600_000_100.5,
    }
    stub = {"kind": "more", "data": {"id": EVIL, "count": 3, "children": []}}
    reply = {"kind": "t1", "data": {"id": EVIL, "author": EVIL, "body": MARKDOWN, "author_flair_text": EVIL}}
    first = {
        "id": "c1",
        "author": hp.SECOND_AUTHOR,
        "author_flair_text": EVIL,
        "distinguished": EVIL,
        "is_submitter": True,
        "body": MARKDOWN,
        "replies": listing(reply, stub),
    }
    return [listing({"kind": "t3", "data": submission}), listing({"kind": "t1", "data": first})]


def algolia_story() -> dict[str, Any]:
    reply = {"id": EVIL, "author": EVIL, "text": HTML, "created_at": EVIL, "children": []}
    comment = {"id": 2, "author": hp.SECOND_AUTHOR, "text": HTML, "created_at_i": 1, "children": [reply]}
    return {
        "id": hp.TITLE,
        "created_at_i": 1_600_000_000,
        "author": hp.AUTHOR,
        "title": EVIL,
        "url": f"https://example.org/{EVIL}",
        "text": HTML,
        "points": 1,
        "story_id": None,
        "children": [comment],
    }


def hnpwa_story() -> dict[str, Any]:
    reply = {"id": EVIL, "user": EVIL, "content": HTML, "time_ago": EVIL, "dead": True, "comments": []}
    comment = {"id": 2, "user": hp.SECOND_AUTHOR, "content": HTML, "time": 1, "comments": [reply]}
    return {
        "id": 3,
        "title": EVIL,
        "user": hp.AUTHOR,
        "time_ago": EVIL,
        "url": f"https://example.org/{EVIL}",
        "content": HTML,
        "comments": [comment],
    }


DOCUMENTS: dict[str, tuple[Callable[[], Any], str]] = {
    "reddit": (reddit_thread, "reddit"),
    "algolia": (algolia_story, "hackernews"),
    "hnpwa": (hnpwa_story, "hackernews"),
}
FILES = sorted(DOCUMENTS)
HTML_FILES = ["algolia", "hnpwa"]


def write(directory: Path, name: str) -> Path:
    """The hostile file *name*, with bytes that are not UTF-8 inside one of its bodies."""
    return hp.write_json(directory / f"{name}.json", DOCUMENTS[name][0]())


@pytest.mark.parametrize("name", FILES)
def test_every_field_is_inert_and_markup_is_kept_as_typed(tmp_path: Path, name: str) -> None:
    thread = load(write(tmp_path, name))
    assert thread.source_format == DOCUMENTS[name][1]
    shown = hp.every_text(thread)
    assert not hp.unsafe_chars(shown), hp.unsafe_chars(shown)
    for sequence in hp.forbidden_sequences():
        assert sequence not in shown
    assert "␛[31mREDALERT" in shown and "␛]0;PWNTITLE␇AFTERTITLE" in shown
    for markup in hp.MARKUP:
        assert markup in shown, markup
    assert hp.AUTHOR.split(" \x1b")[0] in thread.posts[0].author  # "[bold]x[/bold] [@click=app.quit]", as typed
    assert any("not valid UTF-8" in warning for warning in thread.warnings)
    assert "\ufffd" in shown
    assert [thread.depth[index] for index in range(len(thread))][:3] == [0, 1, 2]  # hostile ids still link


@pytest.mark.parametrize("name", HTML_FILES)
def test_entity_encoded_escapes_reach_the_pane_as_pictures(tmp_path: Path, name: str) -> None:
    thread = load(write(tmp_path, name))
    for index in range(len(thread)):
        text, blocks = thread.body_of(index)
        assert SHOWN_ESCAPE in text, thread.posts[index]
        assert any(SHOWN_ESCAPE in block.text for block in blocks)
        assert hp.MARKUP[3] in text  # [@click=app.quit]QUIT[/], as typed
        assert "\x1b" not in thread.posts[index].body and SHOWN_ESCAPE in thread.posts[index].body


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("to", sorted(EXPORTERS))
def test_exports_carry_the_pictures_not_the_escapes(
    tmp_path: Path, name: str, to: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, name)
    assert main(["export", str(path), "--to", to]) == 0
    captured = capsys.readouterr()
    for output in (captured.out, captured.err):
        assert not hp.unsafe_chars(output), hp.unsafe_chars(output)
        for sequence in hp.forbidden_sequences():
            assert sequence not in output
    if to == "text":
        assert "[bold]x[/bold]" in captured.out
        if name in HTML_FILES:
            assert captured.out.count(SHOWN_ESCAPE) >= len(load(path))  # in every post's body
    assert "not valid UTF-8" in captured.err


def test_reddit_line_ends_and_entities_in_markdown(tmp_path: Path) -> None:
    thread = load(write(tmp_path, "reddit"))
    post = thread.posts[1]
    assert post.body.endswith("\n\nend")  # "\r\r" ended two lines, as Markdown reads it
    assert ENTITY_ESCAPE in post.body  # the Markdown source as typed: entities are Markdown's to decode
    text, _ = thread.body_of(1)
    # Markdown decodes the entities, and makes a control character's a replacement character: inert either way.
    assert "]0;PWN" in text and "&#27;" not in text and not hp.unsafe_chars(text)


# Depth -----------------------------------------------------------------------------


def reddit_chain(depth: int) -> str:
    """A thread whose comments each reply to the one before, *depth* levels deep (four JSON containers each)."""
    head = '[{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"id":"s","title":"deep"}}]}},'
    level = '{"kind":"t1","data":{"id":"c%d","author":"a%d","body":"b","replies":{"kind":"Listing","data":{"children":['
    return head + '{"kind":"Listing","data":{"children":[' + "".join(
        level % (number, number % 7) for number in range(depth)
    ) + "]}}}}" * depth + "]}}]"


def algolia_chain(depth: int) -> str:
    level = '{"id":%d,"author":"a%d","text":"<p>b</p>","children":['
    head = '{"id":0,"title":"deep","author":"op","created_at_i":1,"story_id":null,"children":['
    return head + "".join(level % (number + 1, number % 7) for number in range(depth)) + "]}" * depth + "]}"


@pytest.mark.parametrize("chain", [reddit_chain, algolia_chain], ids=["reddit", "algolia"])
def test_a_100000_deep_reply_chain_loads(tmp_path: Path, chain: Callable[[int], str]) -> None:
    path = tmp_path / "deep.json"
    path.write_text(chain(DEPTH), encoding="utf-8")
    thread = load(path)
    assert len(thread) == DEPTH + 1
    assert thread.depth[-1] == DEPTH and thread.posts[-1].author == f"a{(DEPTH - 1) % 7}"
    assert thread.body_of(DEPTH)[0] == "b"


# Bad documents ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parse", "text", "message", "line"),
    [
        (reddit.parse, '[{"kind": "Listing",\n "data": {"children": [}}]', "invalid JSON", 2),
        (reddit.parse, '{"kind": "Listing"}', "expected a Reddit thread", 1),
        (reddit.parse, '["Listing"]', "[0]: expected a Listing object", 1),
        (reddit.parse, '[{"data": {}}, {"data": {"children": "none"}}]', "[1].data.children: expected a list", 1),
        (hackernews.parse, '{"id": 1,\n\n "children": [1,]}', "invalid JSON", 3),
        (hackernews.parse, '[{"id": 1}]', "expected a Hacker News item", 1),
    ],
)
def test_bad_documents_name_what_is_wrong(
    parse: Callable[[str, str], object], text: str, message: str, line: int
) -> None:
    with pytest.raises(ParseError) as caught:
        parse(text, "bad.json")
    assert message in caught.value.message and caught.value.line == line


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3),
    max_leaves=6,
)
"""Any JSON value, in place of what a field should hold."""

REDDIT_COMMENT_FIELDS = (
    "id",
    "author",
    "body",
    "body_html",
    "score",
    "score_hidden",
    "created_utc",
    "author_flair_text",
    "distinguished",
    "is_submitter",
    "edited",
    "replies",
)
REDDIT_SUBMISSION_FIELDS = (
    "id",
    "title",
    "author",
    "selftext",
    "selftext_html",
    "url",
    "is_self",
    "permalink",
    "score",
    "created_utc",
    "locked",
    "archived",
    "distinguished",
    "edited",
    "author_flair_text",
)
REDDIT_MORE_FIELDS = ("id", "count", "children")
HN_FIELDS = (
    "id",
    "author",
    "user",
    "text",
    "content",
    "points",
    "created_at",
    "created_at_i",
    "time",
    "time_ago",
    "deleted",
    "dead",
    "title",
    "url",
    "children",
    "comments",
)


def overrides(fields: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(fields), json_values, max_size=4)


def assert_reads_whole(thread: Thread) -> None:
    """Every body reads and every export writes: no field value leads to a crash later either."""
    for index in range(len(thread)):
        thread.body_of(index)
    for export in EXPORTERS.values():
        export(thread)


@settings(max_examples=60)
@given(overrides(REDDIT_SUBMISSION_FIELDS), overrides(REDDIT_COMMENT_FIELDS), overrides(REDDIT_MORE_FIELDS))
def test_any_value_in_any_reddit_field_loads(
    submission: dict[str, Any], comment: dict[str, Any], more: dict[str, Any]
) -> None:
    reply = {"kind": "t1", "data": {"id": "r", "author": "b", "body": "hi", **comment}}
    stub = {"kind": "more", "data": {"id": "m", "count": 2, "children": ["x"], **more}}
    first = {"kind": "t1", "data": {"id": "c", "author": "a", "body": "yo", "replies": listing(reply, stub)}}
    base = {"id": "s", "title": "t", "author": "op", "selftext": "", "permalink": "/r/x/s/"}
    document = [listing({"kind": "t3", "data": {**base, **submission}}), listing(first, "not a comment")]
    thread = reddit.parse(json.dumps(document), "t.json").build()
    assert len(thread) >= 3  # the submission, the first comment and the stub or the reply survive
    assert any("not a comment" in warning for warning in thread.warnings)
    assert_reads_whole(thread)


@settings(max_examples=60)
@given(overrides(HN_FIELDS), overrides(HN_FIELDS), st.sampled_from(["children", "comments"]))
def test_any_value_in_any_hacker_news_field_loads(
    story: dict[str, Any], comment: dict[str, Any], replies: str
) -> None:
    author = "author" if replies == "children" else "user"
    reply = {"id": 3, author: "b", **comment}
    document = {"id": 1, "title": "t", author: "op", replies: [{"id": 2, author: "a", replies: [reply]}], **story}
    thread = hackernews.parse(json.dumps(document), "t.json").build()
    assert len(thread) >= 1
    assert_reads_whole(thread)
