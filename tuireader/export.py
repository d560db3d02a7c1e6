"""Writers that turn a thread (or a chosen part of it) into native JSON, plain text or Markdown.

All three take the same selection: ``indices`` picks posts by reading-order index
(default: all), and posts in ``context`` are marked as shown only for context (the
ancestors of a filter's matches). A chosen post whose parent was left out hangs
from its nearest chosen ancestor, so every export is a well-formed thread.

The model has already made every string inert; JSON and text write the strings
as they are, and Markdown escapes them so that no text from a thread becomes markup.
Nothing here recurses, and indentation stops growing at a fixed depth, so a
thread nested ten thousand levels deep exports in linear time and size.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any

from tuireader.body import CODE, CODE_BLOCK, EMPHASIS, HEADING, ITEM, QUOTE, RULE, SIGNATURE, STRIKE, STRONG, Body, Span
from tuireader.formats.native_json import FORMAT_MARKER, VERSION, blocks_to_json
from tuireader.model import Post, Thread

TEXT_MAX_INDENT = 30
"""Text export indents two spaces per level down to this depth; the number shows deeper levels."""
MARKDOWN_MAX_QUOTE = 8
"""Markdown export nests block quotes down to this depth; renderers (and readers) give up beyond it."""

_NUMBER_HEAD = 2
_NUMBER_TAIL = 4
"""A post number longer than head + tail components is shown as ``1.2.….4.1.3.2 (depth N)``."""

_JSON = json.JSONEncoder(ensure_ascii=False)


def to_json(thread: Thread, indices: Sequence[int] | None = None, context: Collection[int] = ()) -> str:
    """The native JSON format (``docs/format.md``), one post per line; loads back to the same posts."""
    encode = _JSON.encode
    posts = thread.posts
    context = set(context)
    lines = []
    structured = thread.body_loader is not None
    for index, parent, _ in _selection(thread, indices):
        post = posts[index]
        body, blocks = thread.body_of(index) if structured else (post.body, post.blocks)
        record: dict[str, Any] = {
            "id": post.id,
            "parent": posts[parent].id if parent >= 0 else None,
            "author": post.author,
            "badge": post.badge,
            "icons": list(post.icons),
            "title": post.title,
            "body": body,
            "time": post.time,
            "up": post.up,
            "down": post.down,
            "score": post.score,
            "deleted": post.deleted,
            "note": post.note,
            "blocks": None if blocks is None else blocks_to_json(blocks),
        }
        if index in context:
            record["context"] = True
        lines.append("    " + encode(record))
    header = [
        ("format", FORMAT_MARKER),
        ("version", VERSION),
        ("title", thread.title),
        ("url", thread.url),
        ("summary", thread.summary),
        ("closed", thread.closed),
    ]
    out = ["{"]
    out.extend(f"  {encode(key)}: {encode(value)}," for key, value in header)
    if lines:
        out.append('  "posts": [')
        out.append(",\n".join(lines))
        out.append("  ]")
    else:
        out.append('  "posts": []')
    out.append("}\n")
    return "\n".join(out)


def to_text(thread: Thread, indices: Sequence[int] | None = None, context: Collection[int] = ()) -> str:
    """Plain text: the header, then each post indented two spaces per level, its strings as they are."""
    out: list[str] = []
    if thread.title:
        out.append(thread.title)
    if thread.url:
        out.append(thread.url)
    if thread.closed:
        out.append("(closed)")
    if thread.summary:
        out.append("")
        out.extend(thread.summary.split("\n"))
    numbers = _Numbers(thread)
    context = set(context)
    for index, _, depth in _selection(thread, indices):
        post = thread.posts[index]
        indent = "  " * min(depth, TEXT_MAX_INDENT)
        if out:
            out.append("")
        details = _details(post)
        if post.deleted:
            details.append("(deleted)")
        if index in context:
            details.append("(context)")
        out.append(f"{indent}{numbers.of(index)} {post.author}{' ' if details else ''}{' '.join(details)}")
        if post.title:
            out.append(indent + post.title)
        body = thread.body_of(index)[0]
        if body:
            out.append("")
            out.extend(indent + line if line else "" for line in body.split("\n"))
        if post.note:
            out.append(f"{indent}[note: {post.note}]")
    out.append("")
    return "\n".join(out)


def to_markdown(thread: Thread, indices: Sequence[int] | None = None, context: Collection[int] = ()) -> str:
    """Markdown: each post a block, replies nested in block quotes; every string escaped to plain text."""
    out: list[str] = []
    if thread.title.strip():
        out += [f"# {_escape_inline(thread.title.strip())}", ""]
    if thread.url:
        out += [f"Source: {_escape_inline(thread.url)}", ""]
    if thread.closed:
        out += ["**Closed.**", ""]
    if thread.summary.strip():
        out += [*_paragraphs(thread.summary, ""), ""]
    if out:
        out += ["---", ""]
    numbers = _Numbers(thread)
    context = set(context)
    for index, _, depth in _selection(thread, indices):
        post = thread.posts[index]
        level = min(depth, MARKDOWN_MAX_QUOTE)
        quote = "> " * level
        gap = quote.rstrip()
        details = [_escape_inline(detail) for detail in _details(post, badge="{}", icons="{}")]
        if index in context:
            details.append("*context*")
        if post.deleted:
            details.append("*deleted*")
        line = f"{quote}**{numbers.of(index)}** · **{_escape_inline(post.author.strip()) or 'anonymous'}**"
        out.append(" · ".join([line, *details]))
        if post.title.strip():
            out += [gap, f"{quote}**{_escape_inline(post.title.strip())}**"]
        body, blocks = thread.body_of(index)
        if body.strip():
            out += [gap, *_markdown_blocks(blocks, quote)]
        if post.note:
            out += [gap, f"{quote}*Note: {_escape_inline(post.note.strip())}*"]
        out.append("")
    return "\n".join(out)


EXPORTERS: dict[str, Callable[..., str]] = {"json": to_json, "text": to_text, "markdown": to_markdown}
"""Export formats by the name ``--to`` takes."""


def _selection(thread: Thread, indices: Sequence[int] | None) -> Iterator[tuple[int, int, int]]:
    """Yield (index, parent, depth) for each chosen post in reading order.

    ``parent`` is the nearest chosen ancestor (-1 for none) and ``depth`` counts the
    chosen ancestors, so a partial export keeps what structure it can.
    """
    if indices is None:
        yield from zip(range(len(thread)), thread.parent_index, thread.depth, strict=True)
        return
    chosen = sorted(set(indices))
    if not chosen:
        return
    if chosen[0] < 0 or chosen[-1] >= len(thread):
        raise IndexError(f"post index out of range: {chosen[0] if chosen[0] < 0 else chosen[-1]}")
    included = bytearray(chosen[-1] + 1)
    for index in chosen:
        included[index] = 1
    # nearest[i]: the closest chosen proper ancestor of post i. Parents come first in reading order.
    parent_index = thread.parent_index
    nearest = [-1] * (chosen[-1] + 1)
    depth = [0] * (chosen[-1] + 1)
    for index in range(chosen[-1] + 1):
        parent = parent_index[index]
        if parent >= 0:
            nearest[index] = parent if included[parent] else nearest[parent]
        above = nearest[index]
        depth[index] = depth[above] + 1 if above >= 0 else 0
    for index in chosen:
        yield index, nearest[index], depth[index]


class _Numbers:
    """Outline numbers (``2.1.3``: the third reply to the first reply to the second post) of the whole thread.

    Each post keeps only the first and last few parts of its number, so deep threads
    cost constant memory per post; the parts are computed on demand up to the highest
    index asked for, since a number depends only on the posts before it.
    """

    def __init__(self, thread: Thread) -> None:
        self._parent_index = thread.parent_index
        self._counts: dict[int, int] = {}
        self._parts: list[tuple[tuple[int, ...], tuple[int, ...], int]] = []

    def of(self, index: int) -> str:
        parts = self._parts
        counts = self._counts
        for position in range(len(parts), index + 1):
            parent = self._parent_index[position]
            ordinal = counts[parent] = counts.get(parent, 0) + 1
            if parent < 0:
                parts.append(((ordinal,), (ordinal,), 1))
            else:
                head, tail, length = parts[parent]
                if len(head) < _NUMBER_HEAD:
                    head += (ordinal,)
                tail = (*tail, ordinal)[-(_NUMBER_HEAD + _NUMBER_TAIL) :]
                parts.append((head, tail, length + 1))
        head, tail, length = parts[index]
        if length <= _NUMBER_HEAD + _NUMBER_TAIL:
            return ".".join(map(str, tail))
        shown = ".".join(map(str, head)) + ".…." + ".".join(map(str, tail[-_NUMBER_TAIL:]))
        return f"{shown} (depth {length - 1})"


def _details(post: Post, badge: str = "[{}]", icons: str = "({})") -> list[str]:
    """The words after the author on a post's first line: ``[Gold] (Thumb Down) +3/-1 …``."""
    details = []
    if post.badge:
        details.append(badge.format(post.badge))
    if post.icons:
        details.append(icons.format(", ".join(post.icons)))
    votes = []
    if post.up is not None:
        votes.append(f"+{post.up}")
    if post.down is not None:
        votes.append(f"-{post.down}")
    if votes:
        details.append("/".join(votes))
    if post.score is not None:
        details.append(f"score {post.score}")
    if post.time:
        details.append(post.time)
    return details


# Markdown ------------------------------------------------------------------

# Characters that start markup anywhere in a line (emphasis, code, links, raw HTML,
# entities, tables, strike-through, math), and the ones that only do at a line's start
# (headings, quotes, list items, setext underlines, ordered lists).
_INLINE = str.maketrans({char: "\\" + char for char in "\\`*_[]<>&|~$"})
_LINE_START = re.compile(r"^([ \t]*)(?:([#>+=-])|(\d+)([.)]))", re.MULTILINE)


def _escape_inline(text: str) -> str:
    """One-line *text* inside a Markdown line: a backslash before every character that could start markup."""
    return text.translate(_INLINE)


def _escape(text: str) -> str:
    """Multi-line *text* as literal Markdown, including the markers that only count at a line's start."""
    return _LINE_START.sub(_escape_line_start, _escape_inline(text))


def _escape_line_start(match: re.Match[str]) -> str:
    space, marker, digits, stop = match.groups()
    return f"{space}\\{marker}" if marker else f"{space}{digits}\\{stop}"


def _markdown_blocks(blocks: Body, quote: str) -> list[str]:
    """The body model as Markdown under *quote*: structure written as Markdown, every text escaped.

    Quotes nest as ``>``, code blocks are fenced (with a fence longer than any backtick run
    inside), list items keep their markers, emphasis and links become Markdown's own;
    nothing a post wrote is ever read back as markup.
    """
    out: list[str] = []
    gap = quote.rstrip()
    for block in blocks:
        if out:
            out.append(gap)
        if block.kind == CODE_BLOCK:
            text = block.text.strip("\n")
            fence = "`" * max(3, _longest_backtick_run(text) + 1)
            out += [quote + fence, *(quote + line for line in text.split("\n")), quote + fence]
            continue
        if block.kind == RULE:
            out.append(quote + "---")
            continue
        inline = "".join(_markdown_span(span) for span in block.spans)
        if block.kind == QUOTE:
            lines = _paragraphs_inline(inline, quote + "> " * min(max(block.level, 1), MARKDOWN_MAX_QUOTE))
        elif block.kind == ITEM:
            marker = block.marker if re.fullmatch(r"[0-9]{1,9}\.", block.marker) else "-"
            indent = "  " * min(max(block.level - 1, 0), MARKDOWN_MAX_QUOTE)
            lines = _paragraphs_inline(inline, quote + indent + marker + " ")
        elif block.kind == HEADING:
            lines = [quote + "#" * min(max(block.level, 1), 6) + " " + inline.replace("\n", " ")]
        elif block.kind == SIGNATURE:
            lines = [quote + "-- \\", *_paragraphs_inline(inline, quote)]
        else:
            lines = _paragraphs_inline(inline, quote)
        out += lines
    return out


def _markdown_span(span: Span) -> str:
    if span.style & CODE and "\n" not in span.text:
        fence = "`" * (_longest_backtick_run(span.text) + 1)
        pad = " " if span.text.startswith("`") or span.text.endswith("`") else ""
        text = f"{fence}{pad}{span.text}{pad}{fence}"
    else:
        text = _escape(span.text)
        stripped = text.strip()
        if stripped:
            lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
            if span.style & STRONG:
                stripped = f"**{stripped}**"
            if span.style & EMPHASIS:
                stripped = f"*{stripped}*"
            if span.style & STRIKE:
                stripped = f"~~{stripped}~~"
            text = lead + stripped + trail
    if span.link:
        target = span.link.replace("(", "%28").replace(")", "%29").replace(" ", "%20").replace("<", "%3C")
        text = f"[{text}]({target.replace('>', '%3E')})"
    return text


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall("`+", text)), default=0)


def _paragraphs_inline(markdown: str, prefix: str) -> list[str]:
    """Already-escaped inline Markdown under *prefix*; its line breaks kept as hard breaks."""
    lines = [line.rstrip() for line in markdown.strip("\n").split("\n")]
    continuation = " " * len(prefix) if prefix.rstrip().endswith(("-", ".")) else prefix
    return [
        (prefix if number == 0 else continuation) + line + ("\\" if number + 1 < len(lines) and line else "")
        for number, line in enumerate(lines)
    ]


def _paragraphs(text: str, quote: str) -> list[str]:
    """Body text as Markdown lines under *quote*: blank lines part paragraphs, other line breaks are kept."""
    lines = [line.rstrip() for line in _escape(text.strip("\n")).split("\n")]
    gap = quote.rstrip()
    out = []
    for position, line in enumerate(lines):
        if not line.strip():
            out.append(gap)
        elif position + 1 < len(lines) and lines[position + 1].strip():
            out.append(f"{quote}{line}\\")  # a hard line break
        else:
            out.append(quote + line)
    return out
