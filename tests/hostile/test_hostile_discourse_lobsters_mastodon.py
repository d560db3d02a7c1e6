"""Hostile Discourse, Lobsters and Mastodon files: every field inert, links intact, and no crash on any value.

Escapes reach these formats two ways: JSON-escaped in any string (``\\u001b``) and
entity-encoded in the HTML bodies (``&#27;``), which the HTML reader decodes into a
plain string for the model to clean. Either way a reader sees ``␛``, never ESC.
"""

from __future__ import annotations

import html
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
from tuireader.formats import discourse, load, lobsters, mastodon
from tuireader.formats.base import ParsedSource

ENTITY_ESCAPE = "&#27;]0;PWN&#7;ENTITYWORD"
SHOWN_ESCAPE = "␛]0;PWN␇ENTITYWORD"
EVIL = f"{hp.ALL_ESCAPES} {hp.ALL_MARKUP}"
"""Every terminal sequence and every markup, in one string for any field."""
HTML = (
    f"<p>{ENTITY_ESCAPE}</p>"
    f"<p>{html.escape(hp.ALL_MARKUP)}</p>"
    f"<blockquote><p>{html.escape(EVIL)}</p></blockquote>"
    f'<p><a href="javascript:alert(1)&#27;[2J">{html.escape(hp.MARKUP[3])}</a> {hp.BAD_BYTES_MARK}</p>'
)
"""A body with entity-encoded escapes, raw escapes, markup-looking text and a hostile link."""
PLAIN = f"\x1b]0;PWN\x07ENTITYWORD\r\n{EVIL}\r\n{hp.BAD_BYTES_MARK}"
"""The same for a body in plain text (Lobsters' ``comment_plain``), the escape raw in the JSON string."""


def discourse_topic() -> dict[str, Any]:
    return {
        "title": EVIL,
        "slug": EVIL,
        "id": 1,
        "post_stream": {
            "stream": [1, 2, 3, 4],
            "posts": [
                {"post_number": 1, "username": hp.AUTHOR, "name": EVIL, "user_title": EVIL, "cooked": HTML},
                {
                    "post_number": 2,
                    "reply_to_post_number": 1,
                    "username": hp.SECOND_AUTHOR,
                    "primary_group_name": EVIL,
                    "created_at": EVIL,
                    "post_type": 3,
                    "action_code": EVIL,
                    "cooked": HTML,
                },
                {"reply_to_post_number": 99, "username": "nobody", "cooked": HTML},  # no number, a missing parent
            ],
        },
    }


def lobsters_story() -> dict[str, Any]:
    return {
        "short_id": EVIL,
        "short_id_url": EVIL,
        "title": EVIL,
        "url": f"https://example.org/{EVIL}",
        "description": HTML,
        "submitter_user": {"username": hp.AUTHOR},
        "created_at": EVIL,
        "tags": [EVIL, "ok"],
        "comments": [
            {"short_id": hp.TITLE, "parent_comment": None, "commenting_user": hp.SECOND_AUTHOR, "comment": HTML},
            {"short_id": "b", "parent_comment": hp.TITLE, "commenting_user": EVIL, "comment": HTML, "created_at": EVIL},
            {"parent_comment": "b", "commenting_user": "nobody", "comment_plain": PLAIN},
        ],
    }


def mastodon_thread() -> list[Any]:
    account = {"acct": EVIL, "display_name": hp.AUTHOR}
    root = {
        "id": EVIL,
        "in_reply_to_id": None,
        "spoiler_text": EVIL,
        "content": HTML,
        "url": EVIL,
        "created_at": EVIL,
        "account": account,
        "media_attachments": [{"type": EVIL, "url": EVIL, "description": EVIL}],
    }
    reply = {"id": "2", "in_reply_to_id": EVIL, "content": HTML, "account": {"acct": hp.SECOND_AUTHOR}}
    nameless = {"in_reply_to_id": "gone", "content": HTML, "account": {"display_name": "", "acct": "nobody"}}
    return [root, {"ancestors": [], "descendants": [reply, nameless]}]


DOCUMENTS: dict[str, Callable[[], Any]] = {
    "discourse": discourse_topic,
    "lobsters": lobsters_story,
    "mastodon": mastodon_thread,
}
FORMATS = sorted(DOCUMENTS)


def write(directory: Path, fmt: str) -> Path:
    """The hostile file of *fmt*, with bytes that are not UTF-8 inside one of its bodies."""
    return hp.write_json(directory / f"{fmt}.json", DOCUMENTS[fmt]())


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_field_is_inert_and_markup_is_kept_as_typed(tmp_path: Path, fmt: str) -> None:
    thread = load(write(tmp_path, fmt))
    assert thread.source_format == fmt
    shown = hp.every_text(thread)
    assert not hp.unsafe_chars(shown), hp.unsafe_chars(shown)
    for sequence in hp.forbidden_sequences():
        assert sequence not in shown
    assert "␛[31mREDALERT" in shown and "␛]0;PWNTITLE␇AFTERTITLE" in shown
    for markup in hp.MARKUP:
        assert markup in shown, markup
    assert any("not valid UTF-8" in warning for warning in thread.warnings)
    assert "\ufffd" in shown


@pytest.mark.parametrize("fmt", FORMATS)
def test_entity_encoded_escapes_reach_the_pane_as_pictures(tmp_path: Path, fmt: str) -> None:
    thread = load(write(tmp_path, fmt))
    for index in range(len(thread)):
        text, blocks = thread.body_of(index)
        assert SHOWN_ESCAPE in text, thread.posts[index]
        assert any(SHOWN_ESCAPE in block.text for block in blocks)
        assert hp.MARKUP[3] in text  # [@click=app.quit]QUIT[/], as typed
        assert "\x1b" not in thread.posts[index].body and SHOWN_ESCAPE in thread.posts[index].body


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("to", ["text", "markdown", "json"])
def test_exports_carry_the_pictures_not_the_escapes(
    tmp_path: Path, fmt: str, to: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, fmt)
    assert main(["export", str(path), "--to", to]) == 0
    captured = capsys.readouterr()
    for output in (captured.out, captured.err):
        assert not hp.unsafe_chars(output), hp.unsafe_chars(output)
        for sequence in hp.forbidden_sequences():
            assert sequence not in output
    if to == "text":
        assert captured.out.count(SHOWN_ESCAPE) >= len(load(path))  # in every post's body
        assert "[bold]x[/bold]" in captured.out
    assert "not valid UTF-8" in captured.err


def test_hostile_ids_still_link_replies_and_bodies(tmp_path: Path) -> None:
    """An id full of escapes is cleaned once, the same way for the post and for every reply naming it."""
    story = load(write(tmp_path, "lobsters"))
    assert [story.depth[index] for index in range(len(story))] == [0, 1, 2, 3]
    status = load(write(tmp_path, "mastodon"))
    reply = status.index_of["2"]
    assert status.parent_index[reply] == 0 and SHOWN_ESCAPE in status.body_of(reply)[0]


@pytest.mark.parametrize("fmt", FORMATS)
def test_missing_ids_are_made_up_with_a_note(tmp_path: Path, fmt: str) -> None:
    thread = load(write(tmp_path, fmt))
    made_up = [post for post in thread.posts if post.note and "the file gives this post no usable id" in post.note]
    assert len(made_up) == 1
    assert any("has no id; it is shown as" in warning for warning in thread.warnings)


# Cycles ------------------------------------------------------------------------


def cycle(fmt: str) -> str:
    """Two posts replying to each other and one replying to itself, in *fmt*."""
    if fmt == "discourse":
        posts = [
            {"post_number": 1, "reply_to_post_number": 2, "username": "a", "cooked": "<p>1</p>"},
            {"post_number": 2, "reply_to_post_number": 1, "username": "b", "cooked": "<p>2</p>"},
            {"post_number": 3, "reply_to_post_number": 3, "username": "c", "cooked": "<p>3</p>"},
        ]
        return json.dumps({"post_stream": {"posts": posts}})
    if fmt == "lobsters":
        comments = [
            {"short_id": "a", "parent_comment": "b", "commenting_user": "a", "comment": "<p>1</p>"},
            {"short_id": "b", "parent_comment": "a", "commenting_user": "b", "comment": "<p>2</p>"},
            {"short_id": "c", "parent_comment": "c", "commenting_user": "c", "comment": "<p>3</p>"},
        ]
        return json.dumps({"short_id": "s", "submitter_user": "s", "comments": comments})
    statuses = [
        {"id": "a", "in_reply_to_id": "b", "content": "<p>1</p>", "account": {"acct": "a"}},
        {"id": "b", "in_reply_to_id": "a", "content": "<p>2</p>", "account": {"acct": "b"}},
        {"id": "c", "in_reply_to_id": "c", "content": "<p>3</p>", "account": {"acct": "c"}},
    ]
    return json.dumps({"ancestors": [], "descendants": statuses})


PARSERS: dict[str, Callable[[str, str], ParsedSource]] = {
    "discourse": discourse.parse,
    "lobsters": lobsters.parse,
    "mastodon": mastodon.parse,
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_reply_cycles_load_with_every_post(fmt: str) -> None:
    source = PARSERS[fmt](cycle(fmt), "cycle.json")
    assert not source.in_reading_order  # so the model sorts, and breaks the cycles
    thread = source.build()
    assert len(thread) == (4 if fmt == "lobsters" else 3)
    assert all(thread.parent_index[index] < index for index in range(len(thread)))
    assert any("reply cycle" in warning for warning in thread.warnings)
    assert any("replies to itself" in warning for warning in thread.warnings)
    assert [thread.body_of(index)[0] for index in range(len(thread))]


# Wrong types -------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3),
    max_leaves=6,
)
"""Any JSON value, in place of what a field should hold."""

FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # format: (keys of the document, keys of each post)
    "discourse": (
        ("title", "fancy_title", "slug", "id", "closed"),
        (
            "post_number",
            "reply_to_post_number",
            "username",
            "name",
            "cooked",
            "raw",
            "created_at",
            "user_title",
            "primary_group_name",
            "admin",
            "moderator",
            "actions_summary",
            "like_count",
            "deleted_at",
            "user_deleted",
            "post_type",
            "action_code",
            "hidden",
        ),
    ),
    "lobsters": (
        (
            "short_id",
            "short_id_url",
            "comments_url",
            "title",
            "url",
            "description",
            "description_plain",
            "submitter_user",
            "tags",
            "score",
            "upvotes",
            "created_at",
        ),
        (
            "short_id",
            "parent_comment",
            "indent_level",
            "depth",
            "commenting_user",
            "comment",
            "comment_plain",
            "score",
            "downvotes",
            "created_at",
            "is_deleted",
            "is_moderated",
        ),
    ),
    "mastodon": (
        (),
        (
            "id",
            "in_reply_to_id",
            "account",
            "content",
            "spoiler_text",
            "url",
            "uri",
            "created_at",
            "favourites_count",
            "reblogs_count",
            "media_attachments",
        ),
    ),
}


def document(fmt: str, header: dict[str, Any], first: dict[str, Any], second: dict[str, Any]) -> Any:
    """A small valid file of *fmt* with the drawn values put over some of its fields."""
    if fmt == "discourse":
        posts = [
            {"post_number": 1, "username": "a", "cooked": "<p>a</p>", **first},
            {"post_number": 2, "reply_to_post_number": 1, "username": "b", "cooked": "<p>b</p>", **second},
        ]
        return {"title": "t", **header, "post_stream": {"posts": posts}}
    if fmt == "lobsters":
        comments = [
            {"short_id": "c1", "parent_comment": None, "commenting_user": "a", "comment": "<p>a</p>", **first},
            {"short_id": "c2", "parent_comment": "c1", "commenting_user": "b", "comment": "<p>b</p>", **second},
        ]
        return {"short_id": "s", "submitter_user": "s", **header, "comments": comments}
    root = {"id": "1", "in_reply_to_id": None, "content": "<p>a</p>", "account": {"acct": "a"}, **first}
    reply = {"id": "2", "in_reply_to_id": "1", "content": "<p>b</p>", "account": {"acct": "b"}, **second}
    return [root, {"ancestors": [], "descendants": [reply]}]


@st.composite
def overrides(draw: st.DrawFn, keys: tuple[str, ...]) -> dict[str, Any]:
    if not keys:
        return {}
    return draw(st.dictionaries(st.sampled_from(keys), json_values, max_size=4))


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=40)
@given(data=st.data())
def test_any_value_in_any_field_loads_or_is_a_parse_error(fmt: str, data: st.DataObject) -> None:
    header_keys, post_keys = FIELDS[fmt]
    raw = document(
        fmt, data.draw(overrides(header_keys)), data.draw(overrides(post_keys)), data.draw(overrides(post_keys))
    )
    try:
        thread = PARSERS[fmt](json.dumps(raw), "typed.json").build()
    except ParseError:
        return
    assert len(thread) >= 2 if fmt != "lobsters" else len(thread) >= 3
    for index, post in enumerate(thread.posts):
        assert isinstance(post.id, str) and isinstance(post.author, str) and isinstance(post.body, str)
        assert all(isinstance(value, int) for value in (post.up, post.down, post.score) if value is not None)
        assert isinstance(thread.body_of(index)[0], str)
    assert not hp.unsafe_chars(hp.every_text(thread))
