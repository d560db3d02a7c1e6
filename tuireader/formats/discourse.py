"""Discourse topic JSON (what ``/t/ID.json`` serves): a numbered stream of posts, some replying to others.

A topic is flat: each post has a ``post_number`` and maybe a ``reply_to_post_number``,
so a reply can come long after its parent (or, in an odd file, before it) and
``in_reading_order`` is usually false: the model sorts the posts into a tree. The
server sends only the first posts of a long topic (``post_stream.stream`` lists
them all), so a reply to a post left out becomes a top-level post with a note.
Bodies are the server's ``cooked`` HTML, parsed only when a post is read.
"""

from __future__ import annotations

import html
from typing import Any

from tuireader.errors import ParseError
from tuireader.formats.base import DocumentFormat, ParsedSource
from tuireader.formats.site_fields import (
    Fields,
    HtmlBodies,
    Ids,
    adopt_orphans,
    in_reading_order,
    join_note,
    json_start,
    members,
)
from tuireader.formats.sitejson import describe, load_object
from tuireader.model import Post

NAME = "discourse"

_TOPIC_KEYS = frozenset({"archetype", "chunk_size", "highest_post_number", "draft_key"})
"""Top-level keys only a Discourse topic has: a head cut before ``post_stream`` still holds some of them."""
_LIKE = 2
"""The ``actions_summary`` id of a like."""
_POST_TYPES = {2: "moderator action", 3: "topic event", 4: "whisper (only staff see it)"}
"""Notes for the posts that are not regular replies (type 1)."""


def sniff(head: str) -> bool:
    """True for a JSON object with a ``post_stream``, or with two of the keys only a Discourse topic writes.

    Only top-level keys count, so a Discourse topic quoted inside another file's text does not match.
    """
    seen = 0
    for key, where in members(head, json_start(head)):
        if key == "post_stream":
            return head.startswith("{", where)
        if key in _TOPIC_KEYS:
            seen += 1
            if seen == 2:
                return True
    return False


def parse(text: str, path: str) -> ParsedSource:
    """Read a whole topic; raise :class:`ParseError` for invalid JSON or a file with no ``post_stream``."""
    document = load_object(text, path, "a Discourse topic")
    warnings: list[str] = []
    topic = Fields(document, "the topic", warnings)
    stream = topic.mapping("post_stream")
    if stream is None:
        raise ParseError(path, 'not a Discourse topic with its posts: no "post_stream" object', line=1)
    post_stream = Fields(stream, "post_stream", warnings)
    raw_posts = post_stream.items("posts")

    ids = Ids(warnings)
    bodies = HtmlBodies()
    posts: list[Post] = []
    for position, raw in enumerate(raw_posts, 1):
        if type(raw) is dict:
            posts.append(_post(raw, position, ids, bodies, warnings))
        else:
            warnings.append(f"post {position} is {describe(raw)}, not an object; left out")
    adopt_orphans(posts, "replies to post #{parent}, not in this file", warnings, "post", "posts")
    missing = _missing(post_stream.items("stream"), raw_posts)
    if missing:
        warnings.append(f"{missing} of the topic's posts are not in this file (the server sends long topics in parts)")

    return ParsedSource(
        posts=iter(posts),
        source_format=NAME,
        in_reading_order=in_reading_order(posts),
        title=topic.text("title") or html.unescape(topic.text("fancy_title") or ""),
        url=_url(topic),
        closed=topic.flag("closed"),
        warnings=warnings,
        body_loader=bodies.load,
    )


def _post(raw: dict[str, Any], position: int, ids: Ids, bodies: HtmlBodies, warnings: list[str]) -> Post:
    post_id, id_note = ids.take(raw.get("post_number"), position, "post")
    fields = Fields(raw, f"post #{post_id}", warnings)
    username = fields.text("username") or ""
    name = (fields.text("name") or "").strip()
    if name and name.casefold() != username.casefold():
        author = f"{username} ({name})" if username else name
    else:
        author = username
    cooked = fields.text("cooked")
    body = bodies.add(post_id, cooked) if cooked is not None else fields.text("raw") or ""
    kind = fields.integer("post_type")
    kind_note = _POST_TYPES.get(kind) if kind is not None else None
    if kind_note and kind == 3 and (action := fields.text("action_code")):
        kind_note = f"{kind_note}: {action}"
    return Post(
        id=post_id,
        parent=fields.reference("reply_to_post_number"),
        author=author,
        badge=fields.text("user_title") or fields.text("primary_group_name") or None,
        icons=tuple(role for role in ("admin", "moderator") if fields.flag(role)),
        body=body,
        time=fields.text("created_at"),
        score=_likes(fields),
        deleted=fields.text("deleted_at") is not None or fields.flag("user_deleted"),
        note=join_note(
            id_note,
            kind_note,
            "hidden after flags from the community" if fields.flag("hidden") else None,
        ),
    )


def _likes(fields: Fields) -> int | None:
    """The likes a post got: the count of its like action in ``actions_summary``, or ``like_count``."""
    for action in fields.items("actions_summary"):
        if type(action) is dict and type(action.get("id")) is int and action["id"] == _LIKE:
            count = action.get("count")
            if type(count) is int:
                return count
    return fields.integer("like_count")


def _missing(stream: list[Any], raw_posts: list[Any]) -> int:
    """How many posts of the topic's stream (its post ids, in order) the file leaves out.

    Some saved files renumber the stream so that no id matches; then only the counts can be compared.
    """
    listed = {item for item in stream if type(item) is int}
    in_file = {raw["id"] for raw in raw_posts if type(raw) is dict and type(raw.get("id")) is int}
    if listed & in_file:
        return len(listed - in_file)
    return max(len(listed) - len(raw_posts), 0)


def _url(topic: Fields) -> str | None:
    """The topic's path on its site (the JSON does not name the site): ``/t/slug/id``."""
    slug, topic_id = topic.text("slug"), topic.integer("id")
    if topic_id is None:
        return None
    return f"/t/{slug}/{topic_id}" if slug else f"/t/{topic_id}"


FORMAT = DocumentFormat(NAME, "Discourse topic JSON", 30, sniff, parse)
