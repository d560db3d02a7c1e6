"""Hacker News threads as JSON, in the two shapes tools save them in; the story is the root post.

- Algolia's item API (``hn.algolia.com/api/v1/items/ID``): each item has ``author``,
  ``text`` (HTML), ``points``, ``created_at`` and its replies in ``children``; a deleted
  comment keeps its id but has ``author`` and ``text`` null.
- The HNPWA shape (``node-hnapi``, ``api.hnpwa.com``): ``user``, ``content`` (HTML),
  ``time`` (Unix seconds) and ``time_ago``, replies in ``comments``, ``deleted`` and
  ``dead`` flags.

Bodies are HTML: at load time each post gets the cheap :func:`html_to_text` and the
HTML is kept, by post id, for the body loader, which makes the blocks when the post
is read. Replies are walked depth-first on an explicit stack, so a reply chain of
any depth loads (see :mod:`tuireader.formats.sitejson` for the decoding).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from tuireader.body import Body, plain_text
from tuireader.formats.base import DocumentFormat, ParsedSource
from tuireader.formats.html_body import html_to_blocks, html_to_text
from tuireader.formats.sitejson import (
    body_with_link,
    collector_paused,
    describe,
    load_object,
    split_link,
    utc_text,
)
from tuireader.model import Post
from tuireader.sanitize import clean_line

NAME = "hackernews"
ITEM_URL = "https://news.ycombinator.com/item?id="
DEAD_ICON = "dead"

_KEY = re.compile(r'(?<!\\)"([A-Za-z_]+)"\s*:')


@dataclass(frozen=True)
class _Shape:
    """Where one of the two shapes keeps each field."""

    name: str
    author: str
    html: str
    seconds: str
    time_text: tuple[str, ...]
    replies: str


ALGOLIA = _Shape("Algolia", "author", "text", "created_at_i", ("created_at",), "children")
HNPWA = _Shape("HNPWA", "user", "content", "time", ("time_ago", "timeago"), "comments")


def sniff(head: str) -> bool:
    """True when *head* starts a JSON object whose keys are those of an Algolia or HNPWA item.

    Keys are looked for anywhere in the head, not only at the top, so a file whose
    keys come sorted (the replies list before the rest) is still recognised.
    """
    text = head.lstrip("\ufeff \t\n\r")
    return text.startswith("{") and _shape_of_keys(set(_KEY.findall(text))) is not None


def _shape_of_keys(keys: set[str]) -> _Shape | None:
    if {"author", "children", "created_at_i"} <= keys and ("story_id" in keys or "parent_id" in keys):
        return ALGOLIA
    if "user" in keys and ("time_ago" in keys or "timeago" in keys) and ("comments" in keys or "content" in keys):
        return HNPWA
    return None


def parse(text: str, path: str) -> ParsedSource:
    """Read the whole thread, in reading order: the story, then its comments depth-first.

    The posts are made at once, while the collector is paused for the decoding (see :mod:`.reddit`).
    """
    with collector_paused():
        document = load_object(text, path, "a Hacker News item")
        shape = ALGOLIA if ALGOLIA.replies in document or ALGOLIA.author in document else HNPWA
        reader = _Reader(path, shape)
        posts = list(reader.posts(document))
    title = document.get("title")
    story_id = document.get("id")
    return ParsedSource(
        posts=iter(posts),
        source_format=NAME,
        in_reading_order=True,
        title=title if type(title) is str else "",
        url=f"{ITEM_URL}{story_id}" if type(story_id) in (int, str) and story_id != "" else None,
        warnings=reader.warnings,
        body_loader=reader.load_body,
    )


class _Reader:
    """One file's reading: its warnings, and the HTML the body loader reads later."""

    def __init__(self, path: str, shape: _Shape) -> None:
        self.path = path
        self.shape = shape
        self.warnings: list[str] = []
        self.html_of: dict[str, str] = {}
        """Each post's HTML body by its (cleaned) id, for :meth:`load_body`."""
        self.link = ""
        """The story's address, the first line of its body."""
        self.unnamed = 0

    def posts(self, story: dict[str, Any]) -> Iterator[Post]:
        """The story, then every comment depth-first, each parent before its replies."""
        stack: list[tuple[Any, str | None]] = [(story, None)]
        while stack:
            item, parent = stack.pop()
            if type(item) is not dict:
                where = f"below {parent!r}" if parent is not None else "at the top"
                self.warnings.append(f"{self.path}: {where}: skipped {describe(item)} that is not a comment")
                continue
            post = self._post(item, parent)
            yield post
            replies = item.get(self.shape.replies)
            if type(replies) is list:
                stack.extend((reply, post.id) for reply in reversed(replies))
            elif replies is not None:
                self._wrong(post.id, self.shape.replies, replies)

    def _post(self, item: dict[str, Any], parent: str | None) -> Post:
        """One item as a post; a field of the wrong type is left out with a warning naming the item."""
        shape, get = self.shape, item.get
        post_id, note = get("id"), None
        if type(post_id) is int:
            post_id = str(post_id)
        elif type(post_id) is not str or not post_id:
            post_id, note = self._unnamed(post_id)
        author = get(shape.author)
        if type(author) is not str:
            author = "" if author is None else self._wrong(post_id, shape.author, author, "")
        raw_html = get(shape.html)
        if type(raw_html) is not str:
            raw_html = "" if raw_html is None else self._wrong(post_id, shape.html, raw_html, "")
        body = html_to_text(raw_html) if raw_html else ""
        if raw_html:
            self.html_of[clean_line(post_id)] = raw_html
        title = ""
        if parent is None:
            title = self._text(get("title"), post_id, "title")
            url = get("url")
            if type(url) is str and url:
                self.link = clean_line(url)
                body = body_with_link(self.link, body)
        deleted = get("deleted") is True or (not author and not raw_html and parent is not None)
        icons = (DEAD_ICON,) if get("dead") is True else ()
        points = get("points")
        if type(points) is not int:
            points = None if points is None else self._wrong(post_id, "points", points, None)
        time = self._time(get, post_id)
        return Post(post_id, parent, author, None, icons, title, body, time, None, None, points, deleted, note)

    def _time(self, get: Callable[[str], Any], post_id: str) -> str | None:
        """ISO 8601 UTC from the Unix seconds; else the shape's own time text (``created_at``, ``time_ago``)."""
        seconds = get(self.shape.seconds)
        if seconds is not None:
            shown = utc_text(seconds)
            if shown is not None:
                return shown
            self._wrong(post_id, self.shape.seconds, seconds)
        for key in self.shape.time_text:
            value = get(key)
            if type(value) is str and value:
                return value
        return None

    def _text(self, value: Any, post_id: str, field: str) -> str:
        if type(value) is str:
            return value
        return "" if value is None else self._wrong(post_id, field, value, "")

    def _wrong(self, post_id: str, field: str, value: Any, default: Any = None) -> Any:
        self.warnings.append(f"{self.path}: item {post_id!r}: {field} is {describe(value)}; left out")
        return default

    def _unnamed(self, post_id: Any) -> tuple[str, str]:
        """A made-up id for an item the file gives none (or a wrongly typed one), and the note saying so."""
        self.unnamed += 1
        made_up = f"item-{self.unnamed}"
        given = "no id" if post_id is None or post_id == "" else f"the id {describe(post_id)}"
        note = f"item with {given}; shown as {made_up!r}"
        self.warnings.append(f"{self.path}: {note}")
        return made_up, note

    def load_body(self, post: Post) -> tuple[str, Body | None]:
        """A post's body as blocks, from the HTML kept for it; the story's address first."""
        link, _ = split_link(post.body, self.link) if post.parent is None else ((), "")
        raw_html = self.html_of.get(post.id, "")
        blocks = link + (html_to_blocks(raw_html) if raw_html else ())
        return plain_text(blocks), blocks


FORMAT = DocumentFormat(NAME, "Hacker News JSON", 42, sniff, parse)
