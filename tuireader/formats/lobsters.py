"""Lobsters story JSON (what ``/s/ID.json`` serves): the story and its comments in thread order.

The story is the root post (title, link, text); comments reply to it or to each
other. Two schemas are read: the older one gives each comment an ``indent_level``
(from 1) and a ``commenting_user`` object, the newer a ``depth`` (from 0), a
``parent_comment`` short id and the user's name as a string. Bodies are HTML
(``comment``, ``description``), parsed only when a post is read; a file with only
the Markdown source (``comment_plain``, written with CRLF) shows that as plain text.
"""

from __future__ import annotations

from tuireader.body import PARAGRAPH, Block, Body, Span, blocks_from_text
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
    user_name,
)
from tuireader.formats.sitejson import describe, load_object
from tuireader.formats.textfile import universal_newlines
from tuireader.model import Post

NAME = "lobsters"

_STORY_KEYS = frozenset({"short_id_url", "submitter_user", "comments_url"})
"""Top-level keys that, beside ``short_id``, only a Lobsters story writes."""


def sniff(head: str) -> bool:
    """True for a JSON object whose top-level keys include ``short_id`` and one of :data:`_STORY_KEYS`."""
    keys: set[str] = set()
    for key, _ in members(head, json_start(head)):
        keys.add(key)
        if "short_id" in keys and not keys.isdisjoint(_STORY_KEYS):
            return True
    return False


def parse(text: str, path: str) -> ParsedSource:
    """Read a whole story; raise :class:`ParseError` for invalid JSON or a document that is not an object."""
    document = load_object(text, path, "a Lobsters story")
    warnings: list[str] = []
    ids = Ids(warnings)
    bodies = HtmlBodies()
    story = Fields(document, "the story", warnings)
    root = _story(story, ids, bodies)
    posts = [root]
    open_at_level: list[str] = []  # the old schema: the comment open at each indent level, from 1
    for position, raw in enumerate(story.items("comments"), 1):
        if type(raw) is not dict:
            warnings.append(f"comment {position} is {describe(raw)}, not an object; left out")
            continue
        comment_id, id_note = ids.take(raw.get("short_id"), position, "comment")
        fields = Fields(raw, f"comment {comment_id!r}", warnings)
        level = fields.integer("indent_level")
        depth = fields.integer("depth")
        if level is None and depth is not None:
            level = depth + 1
        if "parent_comment" in raw:
            parent = fields.reference("parent_comment") or root.id
        elif level is not None:
            del open_at_level[max(level - 1, 0) :]
            parent = open_at_level[-1] if open_at_level else root.id
            open_at_level.append(comment_id)
        else:
            parent = root.id
        posts.append(_comment(fields, comment_id, parent, id_note, bodies))
    adopt_orphans(posts, "replies to comment {parent}, not in this file", warnings, "comment", "comments")
    return ParsedSource(
        posts=iter(posts),
        source_format=NAME,
        in_reading_order=in_reading_order(posts),
        title=root.title,
        url=story.text("short_id_url") or story.text("comments_url"),
        warnings=warnings,
        body_loader=bodies.load,
    )


def _story(story: Fields, ids: Ids, bodies: HtmlBodies) -> Post:
    """The root post: the story's title, its link (first in the body) and its text."""
    story_id, id_note = ids.take(story.raw.get("short_id"), 1, "story")
    link = story.text("url")
    lead: Body = (Block(PARAGRAPH, (Span(link, link=link),)),) if link else ()
    description = story.text("description")
    if description is None:
        lead += blocks_from_text(universal_newlines(story.text("description_plain") or ""))
    return Post(
        id=story_id,
        parent=None,
        author=user_name(story, "submitter_user") or "",
        icons=story.strings("tags"),
        title=story.text("title") or "",
        body=bodies.add(story_id, description or "", before=lead),
        time=story.text("created_at"),
        up=story.integer("upvotes"),
        down=story.integer("downvotes"),
        score=story.integer("score"),
        note=id_note,
    )


def _comment(fields: Fields, comment_id: str, parent: str, id_note: str | None, bodies: HtmlBodies) -> Post:
    html = fields.text("comment")
    if html is None:
        body = universal_newlines(fields.text("comment_plain") or "")
    else:
        body = bodies.add(comment_id, html)
    moderated = fields.flag("is_moderated")
    return Post(
        id=comment_id,
        parent=parent,
        author=user_name(fields, "commenting_user") or "",
        body=body,
        time=fields.text("created_at"),
        up=fields.integer("upvotes"),
        down=fields.integer("downvotes"),
        score=fields.integer("score"),
        deleted=fields.flag("is_deleted") or moderated,
        note=join_note(id_note, "removed by a moderator" if moderated else None),
    )


FORMAT = DocumentFormat(NAME, "Lobsters story JSON", 32, sniff, parse)
