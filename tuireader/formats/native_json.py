"""The reader's own JSON format (see ``docs/format.md``): what ``tuireader export --to json`` writes.

Loading must stay close to the speed of ``json.loads`` on threads of 100,000
posts, so each post takes a fast path (one C-level key lookup and one set
membership test of its field types); only a post that fails it goes through
the slow path that finds the exact field to blame.
"""

from __future__ import annotations

import json
import re
from itertools import product
from operator import itemgetter
from typing import Any

from tuireader.body import BLOCK_KINDS, STYLE_NAMES, Block, Body, Span
from tuireader.errors import ParseError
from tuireader.formats.base import DocumentFormat, ParsedSource
from tuireader.formats.sitejson import collector_paused
from tuireader.model import Post
from tuireader.sanitize import clean_line

NAME = "json"
FORMAT_MARKER = "tuireader-thread"
VERSION = 2
"""Version 2 added each post's ``blocks`` (the body's structure); version 1 files have none and still load."""

_NONE = type(None)

# Each post field: the Python types ``json`` may give it, its default when absent
# (``_REQUIRED`` when it may not be absent) and what the error says it expected.
_REQUIRED = object()
_POST_FIELDS: tuple[tuple[str, tuple[type, ...], Any, str], ...] = (
    ("id", (str, int), _REQUIRED, "a string or an integer"),
    ("parent", (str, int, _NONE), None, "a string, an integer or null"),
    ("author", (str,), _REQUIRED, "a string"),
    ("badge", (str, _NONE), None, "a string or null"),
    ("icons", (list,), [], "a list of strings"),
    ("title", (str,), "", "a string"),
    ("body", (str,), "", "a string"),
    ("time", (str, _NONE), None, "a string or null"),
    ("up", (int, _NONE), None, "an integer or null"),
    ("down", (int, _NONE), None, "an integer or null"),
    ("score", (int, _NONE), None, "an integer or null"),
    ("deleted", (bool,), False, "true or false"),
    ("note", (str, _NONE), None, "a string or null"),
    ("blocks", (list, _NONE), None, "a list of blocks or null"),
)
POST_KEYS: tuple[str, ...] = tuple(name for name, _, _, _ in _POST_FIELDS)
"""The post keys in the order :class:`~tuireader.model.Post` takes them (and the exporter writes them)."""

_get_all = itemgetter(*POST_KEYS)
# Every valid combination of field types, matched exactly (``type(x) is int``), so
# true/false never pass as vote counts and 1.0 never passes as an integer.
_VALID_TYPES = frozenset(product(*(types for _, types, _, _ in _POST_FIELDS)))

_HEADER_FIELDS: tuple[tuple[str, tuple[type, ...], Any, str], ...] = (
    ("title", (str,), "", "a string"),
    ("url", (str, _NONE), None, "a string or null"),
    ("summary", (str,), "", "a string"),
    ("closed", (bool,), False, "true or false"),
)

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def sniff(head: str) -> bool:
    """True when *head* (the file's start) is a JSON object with our marker or a ``posts`` list of posts.

    Only the top-level members before ``posts`` are decoded, so a truncated head
    works and other formats' nested ``posts`` lists (Discourse) do not match.
    """
    text = head.lstrip("\ufeff \t\n\r")
    if not text.startswith("{"):
        return False
    try:
        position = _skip(text, 1)
        while text[position] == '"':
            key, position = _DECODER.raw_decode(text, position)
            position = _skip(text, position)
            if text[position] != ":":
                return False
            position = _skip(text, position + 1)
            if key == "format":
                value, position = _DECODER.raw_decode(text, position)
                return bool(value == FORMAT_MARKER)
            if key == "posts":
                if text[position] != "[":
                    return False
                position = _skip(text, position + 1)
                if text[position] == "]":
                    return True
                keys = _leading_keys(text, position)
                return "id" in keys and "author" in keys
            _, position = _DECODER.raw_decode(text, position)
            position = _skip(text, position)
            if text[position] != ",":
                return False
            position = _skip(text, position + 1)
    except (ValueError, IndexError, RecursionError):
        pass  # truncated or not JSON: not ours
    return False


def _leading_keys(text: str, position: int) -> set[str]:
    """The keys of the object starting at *position*, read member by member up to where *text* is cut.

    A first post longer than the sniffing window (a huge body) is still recognised,
    as long as its ``id`` and ``author`` come before the cut.
    """
    keys: set[str] = set()
    if text[position] != "{":
        return keys
    try:
        position = _skip(text, position + 1)
        while text[position] == '"':
            key, position = _DECODER.raw_decode(text, position)
            keys.add(key)
            position = _skip(text, position)
            if text[position] != ":":
                break
            _, position = _DECODER.raw_decode(text, _skip(text, position + 1))
            position = _skip(text, position)
            if text[position] != ",":
                break
            position = _skip(text, position + 1)
    except (ValueError, IndexError, RecursionError):
        pass  # the window ends inside this post: what was read so far decides
    return keys


def parse(text: str, path: str) -> ParsedSource:
    """Read a whole native JSON thread; raise :class:`ParseError` naming the JSON path and line of a bad value."""
    with collector_paused():
        return _parse(text, path)


def _parse(text: str, path: str) -> ParsedSource:
    text = text.removeprefix("\ufeff")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ParseError(path, f"invalid JSON: {error.msg} (column {error.colno})", line=error.lineno) from None
    except RecursionError:
        raise ParseError(path, "invalid JSON: nested too deeply") from None
    except ValueError:  # the one other failure: an integer with more digits than Python converts
        raise ParseError(path, "invalid JSON: a number too long to read") from None
    if type(document) is not dict:
        raise ParseError(path, f'expected a JSON object with a "posts" list, got {_describe(document)}', line=1)

    warnings: list[str] = []
    marker = document.get("format", FORMAT_MARKER)
    if marker != FORMAT_MARKER:
        raise _field_error(text, path, ["format"], f'expected "{FORMAT_MARKER}"', marker)
    version = document.get("version", VERSION)
    if type(version) is not int:
        raise _field_error(text, path, ["version"], "expected an integer", version)
    if version > VERSION:
        warnings.append(f"the file is format version {version}; this reader knows {VERSION} and may miss fields")
    header = {}
    for name, types, default, expected in _HEADER_FIELDS:
        value = document.get(name, default)
        if type(value) not in types:
            raise _field_error(text, path, [name], f"expected {expected}", value)
        header[name] = value
    if "posts" not in document:
        raise ParseError(path, 'missing "posts" (the list of posts)', line=1)
    raw_posts = document["posts"]
    if type(raw_posts) is not list:
        raise _field_error(text, path, ["posts"], "expected a list of posts", raw_posts)

    posts = _posts(raw_posts, text, path)
    return ParsedSource(
        posts=iter(posts),
        source_format=NAME,
        in_reading_order=_in_reading_order(posts),
        title=header["title"],
        url=header["url"],
        summary=header["summary"],
        closed=header["closed"],
        warnings=warnings,
    )


def _posts(raw_posts: list[Any], text: str, path: str) -> list[Post]:
    """Make a :class:`Post` of every raw post, checking types on the fast path described above."""
    posts: list[Post] = []
    append = posts.append
    valid = _VALID_TYPES
    get_all = _get_all
    for index, raw in enumerate(raw_posts):
        try:
            values = get_all(raw)
        except (KeyError, TypeError):  # a key is missing or the post is not an object
            values = _with_defaults(raw, index, text, path)
        if tuple(map(type, values)) not in valid:
            raise _post_error(values, index, text, path)
        post_id, parent, author, badge, icons, title, body, time, up, down, score, deleted, note, blocks = values
        if icons:
            for position, icon in enumerate(icons):
                if type(icon) is not str:
                    raise _field_error(text, path, ["posts", index, "icons", position], "expected a string", icon)
        if type(post_id) is int:
            post_id = str(post_id)
        if type(parent) is int:
            parent = str(parent)
        if blocks is not None:
            blocks = _blocks(blocks, ["posts", index, "blocks"], text, path)
        icons = tuple(icons)
        append(Post(post_id, parent, author, badge, icons, title, body, time, up, down, score, deleted, note, blocks))
    return posts


_STYLE_BITS = {name: bit for bit, name in STYLE_NAMES.items()}


def _blocks(raw_blocks: list[Any], where: list[str | int], text: str, path: str) -> Body:
    """A post's ``blocks`` list as the body model, or a ParseError naming the first bad value's JSON path."""
    blocks: list[Block] = []
    for position, raw in enumerate(raw_blocks):
        here = [*where, position]
        if type(raw) is not dict:
            raise _field_error(text, path, here, "expected an object (a block)", raw)
        kind, level, marker, raw_spans = (raw.get(key, default) for key, default in _BLOCK_DEFAULTS)
        if kind not in BLOCK_KINDS:
            expected = "one of " + ", ".join(sorted(BLOCK_KINDS))
            raise _field_error(text, path, [*here, "kind"], f"expected {expected}", kind)
        if type(level) is not int:
            raise _field_error(text, path, [*here, "level"], "expected an integer", level)
        if type(marker) is not str:
            raise _field_error(text, path, [*here, "marker"], "expected a string", marker)
        if type(raw_spans) is not list:
            raise _field_error(text, path, [*here, "spans"], "expected a list of spans", raw_spans)
        spans = []
        for number, raw_span in enumerate(raw_spans):
            at = [*here, "spans", number]
            if type(raw_span) is not dict:
                raise _field_error(text, path, at, "expected an object (a span)", raw_span)
            span_text, style_names, link = (raw_span.get(key, default) for key, default in _SPAN_DEFAULTS)
            if type(span_text) is not str:
                raise _field_error(text, path, [*at, "text"], "expected a string", span_text)
            if type(link) not in (str, _NONE):
                raise _field_error(text, path, [*at, "link"], "expected a string or null", link)
            if type(style_names) is not list or any(name not in _STYLE_BITS for name in style_names):
                expected = "a list of " + ", ".join(_STYLE_BITS)
                raise _field_error(text, path, [*at, "style"], f"expected {expected}", style_names)
            spans.append(Span(span_text, sum({_STYLE_BITS[name] for name in style_names}), link))
        blocks.append(Block(kind, tuple(spans), level, marker))
    return tuple(blocks)


def _style_names(style: int) -> list[str]:
    return [name for bit, name in STYLE_NAMES.items() if style & bit]


_BLOCK_DEFAULTS: tuple[tuple[str, Any], ...] = (("kind", None), ("level", 0), ("marker", ""), ("spans", []))
_SPAN_DEFAULTS: tuple[tuple[str, Any], ...] = (("text", None), ("style", []), ("link", None))


def blocks_to_json(blocks: Body) -> list[dict[str, Any]]:
    """The body model as the ``blocks`` list of a post (what :func:`_blocks` reads back)."""
    return [
        {
            "kind": block.kind,
            "level": block.level,
            "marker": block.marker,
            "spans": [
                {"text": span.text, "style": _style_names(span.style), "link": span.link} for span in block.spans
            ],
        }
        for block in blocks
    ]


def _with_defaults(raw: Any, index: int, text: str, path: str) -> tuple[Any, ...]:
    """The slow path for a post with missing keys: fill the defaults, or fail on a required one."""
    if type(raw) is not dict:
        raise _field_error(text, path, ["posts", index], "expected an object (a post)", raw)
    values = []
    for name, _, default, _ in _POST_FIELDS:
        if name in raw:
            values.append(raw[name])
        elif default is _REQUIRED:
            raise ParseError(path, f'posts[{index}]: missing "{name}"', line=_line_of(text, ["posts", index]))
        else:
            values.append(default)
    return tuple(values)


def _post_error(values: tuple[Any, ...], index: int, text: str, path: str) -> ParseError:
    """The error for the first field of post *index* whose type is wrong."""
    for (name, types, _, expected), value in zip(_POST_FIELDS, values, strict=True):
        if type(value) not in types:
            return _field_error(text, path, ["posts", index, name], f"expected {expected}", value)
    raise AssertionError("a post failed the type check but no field is wrong")  # pragma: no cover


def _in_reading_order(posts: list[Post]) -> bool:
    """True only when the posts can go straight to ``Thread.extend``: unique ids, each reply after its parent.

    Every parent must be the previous post or one of its ancestors; ids and parents
    must be unchanged by cleaning, so the model sees the same links. Anything else
    (even an unknown parent) returns False and ``Thread.build`` sorts and repairs.
    """
    index_of: dict[str, int] = {}
    spine: list[int] = []  # the previous post and its ancestors
    for position, post in enumerate(posts):
        post_id, parent = post.id, post.parent
        if post_id in index_of or clean_line(post_id) != post_id:
            return False
        if parent is None:
            spine.clear()
        else:
            parent_index = index_of.get(parent, -1)
            if parent_index < 0 or clean_line(parent) != parent:
                return False
            while spine and spine[-1] != parent_index:
                spine.pop()
            if not spine:
                return False
        index_of[post_id] = position
        spine.append(position)
    return True


def _field_error(text: str, path: str, where: list[str | int], expected: str, value: Any) -> ParseError:
    return ParseError(path, f"{_json_path(where)}: {expected}, got {_describe(value)}", line=_line_of(text, where))


def _json_path(where: list[str | int]) -> str:
    parts: list[str] = []
    for step in where:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        else:
            parts.append(f".{step}" if parts else step)
    return "".join(parts)


def _describe(value: Any) -> str:
    """A short, inert rendering of a bad value for an error message."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    shown = json.dumps(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _line_of(text: str, where: list[str | int]) -> int | None:
    """The line of the value at JSON path *where* in *text*, found again by scanning (only on errors)."""
    try:
        position = _find(text, _skip(text, 0), where)
    except (ValueError, IndexError, RecursionError):
        return None
    return None if position is None else text.count("\n", 0, position) + 1


def _find(text: str, position: int, where: list[str | int]) -> int | None:
    """The offset of the value at *where* below the value starting at *position*.

    Walks objects member by member and lists element by element, decoding the values
    it skips; a repeated key counts at its last occurrence, as ``json.loads`` does.
    """
    for step in where:
        if isinstance(step, int):
            if text[position] != "[":
                return None
            position = _skip(text, position + 1)
            for _ in range(step):
                _, position = _DECODER.raw_decode(text, position)
                position = _skip(text, _skip(text, position) + 1)  # past the comma
        else:
            if text[position] != "{":
                return None
            found = None
            position = _skip(text, position + 1)
            while text[position] == '"':
                key, position = _DECODER.raw_decode(text, position)
                position = _skip(text, _skip(text, position) + 1)  # past the colon
                if key == step:
                    found = position
                _, position = _DECODER.raw_decode(text, position)
                position = _skip(text, position)
                if text[position] != ",":
                    break
                position = _skip(text, position + 1)
            if found is None:
                return None
            position = found
    return position


def _skip(text: str, position: int) -> int:
    match = _WHITESPACE.match(text, position)
    return position if match is None else match.end()


FORMAT = DocumentFormat(NAME, "tuireader's own JSON", 10, sniff, parse)
