"""What the Discourse, Lobsters and Mastodon formats share: their objects' fields, ids, sniffing and bodies.

Decoding is :func:`tuireader.formats.sitejson.load_document`'s, as for the other
sites. A site's JSON is whatever its server (or someone imitating it) wrote, so every
field is read by type: a wrong type is left out with a warning naming the post,
never a TypeError. Ids are cleaned and made unique here, as the model would, so
the raw HTML kept for :class:`HtmlBodies` is found again under the id the model
keeps. Sniffers read a head cut anywhere, so :func:`members` reads an object's
keys only as far as the text goes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from tuireader.body import Block, Body, plain_text
from tuireader.formats.html_body import html_to_blocks, html_to_text
from tuireader.formats.sitejson import describe
from tuireader.model import Post
from tuireader.sanitize import clean_line

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


# Sniffing ----------------------------------------------------------------------


def json_start(head: str) -> int:
    """The offset of the head's first JSON character (past a BOM and whitespace)."""
    return len(head) - len(head.lstrip("\ufeff \t\n\r"))


def members(text: str, position: int) -> Iterator[tuple[str, int]]:
    """The members of the object starting at *position* as (key, offset of its value), as far as *text* goes.

    The value is skipped only after the caller had its turn, so a key whose value
    the head cuts off is still seen; nothing after a cut is.
    """
    try:
        if text[position] != "{":
            return
        position = _skip(text, position + 1)
        while text[position] == '"':
            key, position = _DECODER.raw_decode(text, position)
            position = _skip(text, position)
            if text[position] != ":":
                return
            position = _skip(text, position + 1)
            yield key, position
            _, position = _DECODER.raw_decode(text, position)
            position = _skip(text, position)
            if text[position] != ",":
                return
            position = _skip(text, position + 1)
    except (ValueError, IndexError, RecursionError):
        return  # the head ends here, or it is not JSON


def first_element(text: str, position: int) -> int | None:
    """The offset of the first element of the list starting at *position*; None for no list or an empty one."""
    if position >= len(text) or text[position] != "[":
        return None
    position = _skip(text, position + 1)
    return None if position >= len(text) or text[position] == "]" else position


def _skip(text: str, position: int) -> int:
    match = _WHITESPACE.match(text, position)
    return position if match is None else match.end()


# Fields ------------------------------------------------------------------------


class Fields:
    """One raw object's fields read by type: a value of the wrong type is warned about (naming *who*) and ignored."""

    def __init__(self, raw: dict[str, Any], who: str, warnings: list[str]) -> None:
        self.raw = raw
        self.who = who
        self.warnings = warnings

    def _wrong(self, key: str, value: Any, expected: str) -> None:
        self.warnings.append(f"{self.who}: {key!r} is {describe(value)}, not {expected}; ignored")

    def text(self, key: str) -> str | None:
        """A string field; None when absent, null or of another type."""
        value = self.raw.get(key)
        if value is None or type(value) is str:
            return value
        self._wrong(key, value, "a string")
        return None

    def integer(self, key: str) -> int | None:
        """An integer field (true/false and 1.5 are not integers)."""
        value = self.raw.get(key)
        if value is None or type(value) is int:
            return value
        self._wrong(key, value, "an integer")
        return None

    def flag(self, key: str) -> bool:
        """A true/false field; absent, null or another type is false."""
        value = self.raw.get(key)
        if value is None or type(value) is bool:
            return bool(value)
        self._wrong(key, value, "true or false")
        return False

    def mapping(self, key: str) -> dict[str, Any] | None:
        value = self.raw.get(key)
        if value is None or type(value) is dict:
            return value
        self._wrong(key, value, "an object")
        return None

    def items(self, key: str) -> list[Any]:
        """A list field; empty when absent, null or of another type."""
        value = self.raw.get(key)
        if value is None:
            return []
        if type(value) is list:
            return value
        self._wrong(key, value, "a list")
        return []

    def strings(self, key: str) -> tuple[str, ...]:
        """A list of strings (tags); other items are warned about and left out."""
        found = []
        for item in self.items(key):
            if type(item) is str:
                found.append(item)
            else:
                self.warnings.append(f"{self.who}: an item of {key!r} is {describe(item)}, not a string; left out")
        return tuple(found)

    def reference(self, key: str) -> str | None:
        """Another object's id (a string or an integer), cleaned as :class:`Ids` cleans ids; an empty one names none."""
        value = self.raw.get(key)
        if value is None or value == "":
            return None
        if type(value) in (str, int):
            return clean_line(str(value))
        self._wrong(key, value, "an id")
        return None


def user_name(fields: Fields, key: str) -> str | None:
    """A user given as a name or as an object with a ``username`` (the two Lobsters schemas do one each)."""
    value = fields.raw.get(key)
    if type(value) is dict:
        return Fields(value, fields.who, fields.warnings).text("username")
    return fields.text(key)


def join_note(*notes: str | None) -> str | None:
    """The notes that are there, one after the other."""
    return "; ".join(note for note in notes if note) or None


class Ids:
    """Post ids as the model keeps them: cleaned, unique, and made up (with a note) where the file has none."""

    def __init__(self, warnings: list[str]) -> None:
        self.warnings = warnings
        self.taken: set[str] = set()

    def take(self, raw: Any, position: int, what: str) -> tuple[str, str | None]:
        """The id for the *position*-th object (from 1) and a note when it is not the file's own."""
        given = clean_line(str(raw)) if type(raw) in (str, int) and raw != "" else None
        if given is None:
            post_id, note = self._free(f"{what}-{position}"), "the file gives this post no usable id"
            self.warnings.append(f"{what} {position} has no id; it is shown as {post_id!r}")
        elif given in self.taken:
            post_id, note = self._free(given), f"duplicate id {given!r}"
            self.warnings.append(f"{what} {given!r} appears twice; the second is shown as {post_id!r}")
        else:
            post_id, note = given, None
        self.taken.add(post_id)
        return post_id, note

    def _free(self, base: str) -> str:
        if base not in self.taken:
            return base
        number = 2
        while f"{base}~{number}" in self.taken:
            number += 1
        return f"{base}~{number}"


def adopt_orphans(posts: list[Post], note: str, warnings: list[str], one: str, many: str) -> None:
    """Make posts whose parent is not in the file top-level posts, each with *note* (``{parent}`` is filled in).

    One warning says how many: naming the parent when they all reply to the same one
    (a Mastodon context saved without its status, a Discourse topic's first page).
    """
    known = {post.id for post in posts}
    missing: set[str] = set()
    orphans = 0
    for position, post in enumerate(posts):
        if post.parent is not None and post.parent not in known:
            missing.add(post.parent)
            posts[position] = replace(post, parent=None, note=join_note(post.note, note.format(parent=post.parent)))
            orphans += 1
    if orphans:
        replies = f"{orphans} {one if orphans == 1 else many} {'replies' if orphans == 1 else 'reply'} to"
        parents = f"{one} {next(iter(missing))}, which is" if len(missing) == 1 else f"{len(missing)} {many}"
        warnings.append(f"{replies} {parents} not in this file; shown as top-level posts")


def in_reading_order(posts: Iterable[Post]) -> bool:
    """True when every post replies to the post before it or one of that post's ancestors (ids are unique here).

    Anything else (a reply before its parent, a cycle) is False, so the model sorts and repairs.
    """
    spine: list[str] = []  # the previous post and its ancestors
    for post in posts:
        if post.parent is None:
            spine.clear()
        else:
            while spine and spine[-1] != post.parent:
                spine.pop()
            if not spine:
                return False
        spine.append(post.id)
    return True


class HtmlBodies:
    """Raw HTML bodies kept by post id, turned into blocks only when a post is read.

    At load time a post gets :func:`html_to_text` (cheap, for the tree and search);
    :meth:`load` is the :attr:`ParsedSource.body_loader` that parses the kept HTML.
    Blocks the format adds around the HTML (a story's link, a status's attachments)
    are kept with it.
    """

    def __init__(self) -> None:
        self._kept: dict[str, tuple[Body, str, Body]] = {}

    def add(self, post_id: str, html: str, before: Body = (), after: Body = ()) -> str:
        """Keep the body of *post_id*; return its cheap plain text."""
        self._kept[post_id] = (before, html, after)
        parts = (plain_text(before), html_to_text(html), plain_text(after))
        return "\n\n".join(part for part in parts if part)

    def load(self, post: Post) -> tuple[str, Body | None]:
        kept = self._kept.get(post.id)
        if kept is None:  # a plain-text body
            return post.body, None
        before, html, after = kept
        blocks: tuple[Block, ...] = (*before, *html_to_blocks(html), *after)
        return plain_text(blocks), blocks
