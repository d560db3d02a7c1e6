"""Reddit-flavoured Markdown comment bodies as the body model, through markdown-it-py.

Input is the Markdown as its author typed it. Reddit's JSON ``body`` field has ``&``,
``<`` and ``>`` HTML-escaped (``&amp;``, ``&lt;``, ``&gt;``) unless fetched with
``raw_json=1``: the Reddit format undoes exactly that (``&amp;`` last) before calling
:func:`markdown_to_blocks`. Entities the author typed (``&nbsp;``) are then decoded
by Markdown itself, as Reddit does when it shows the comment.

What Reddit's Markdown adds to CommonMark: strikethrough ``~~x~~`` and tables are
parsed, bare ``https://`` links become links; superscript ``^x`` and spoilers
``>!x!<`` stay as text (a spoiler at the start of a line is kept from reading as a
quote). Raw HTML is never interpreted: markdown-it shows it as text.

markdown-it nests its block parser once per quote or list level and stops, silently
dropping the rest of the text, at ``maxNesting`` (20) levels; a body that deep (only a
hostile one) is split into paragraphs and ``>`` quotes as plain text instead, so no
word is lost. The token stream is walked in one loop; nothing here recurses.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from tuireader.body import CODE, EMPHASIS, STRIKE, STRONG, Body, blocks_from_text
from tuireader.formats.body_builder import MAX_LEVEL, BodyBuilder

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_MAX_NESTING = 20
_LINE_STARTING_SPOILER = re.compile(r"^( {0,3})>!", re.MULTILINE)
_INLINE_STYLES = {"em": EMPHASIS, "strong": STRONG, "s": STRIKE}
_INSIDE_A_ROW = frozenset({"th_close", "td_close", "thead_open", "thead_close", "tbody_open", "tbody_close"})
"""Table tokens that do not end a row: a row is one block, its cells apart by " | "."""


@functools.cache
def _parser() -> MarkdownIt:
    """The one parser of the process, made at first use: importing markdown-it and compiling its rules takes time."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False, "linkify": True, "maxNesting": _MAX_NESTING})
    parser.enable(["strikethrough", "table", "linkify"])
    # Only links with a scheme, as Reddit makes them: fuzzy matching would link "setup.py" and "readme.md".
    assert parser.linkify is not None, "textual requires markdown-it-py[linkify], which brings linkify-it-py"
    parser.linkify.set({"fuzzy_link": False, "fuzzy_email": False})
    return parser


def markdown_to_blocks(markdown: str) -> Body:
    """The body's structure: paragraphs, quotes with their level, code, lists, headings, rules, styled and linked text.

    Never raises for any text.
    """
    tokens = _parser().parse(_LINE_STARTING_SPOILER.sub(r"\1\\>!", markdown))
    if any(token.level >= _MAX_NESTING - 1 for token in tokens):
        return tuple(
            replace(block, level=MAX_LEVEL) if block.level > MAX_LEVEL else block
            for block in blocks_from_text(markdown)
        )
    out = BodyBuilder()
    cells = 0
    for token in tokens:
        kind = token.type
        if kind == "inline":
            _inline(out, token.children or ())
        elif kind in ("fence", "code_block"):
            out.open_code()
            out.text(token.content)
            out.close_code()
        elif kind == "blockquote_open":
            out.open_quote()
        elif kind == "blockquote_close":
            out.close_quote()
        elif kind == "bullet_list_open":
            out.open_list(False)
        elif kind == "ordered_list_open":
            out.open_list(True, _start(token))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            out.close_list()
        elif kind == "list_item_open":
            out.open_item(int(token.info) if token.info.isdigit() else None)
        elif kind == "list_item_close":
            out.close_item()
        elif kind == "heading_open":
            out.open_heading(int(token.tag[1:]))
        elif kind == "heading_close":
            out.close_heading()
        elif kind == "hr":
            out.rule()
        elif kind == "tr_open":
            out.boundary()
            cells = 0
        elif kind in ("th_open", "td_open"):
            if cells:
                out.text(" | ")
            cells += 1
        elif kind not in _INSIDE_A_ROW:  # paragraph_open and _close, table_open, tr_close: a block starts or ends
            out.boundary()
    return out.finish()


def _start(token: Token) -> int:
    start = token.attrs.get("start", 1)
    return start if isinstance(start, int) else 1


def _inline(out: BodyBuilder, children: Sequence[Token]) -> None:
    """One paragraph's inline tokens: styles and links open and close as flat tokens, so a counter per style does."""
    depth = dict.fromkeys(_INLINE_STYLES.values(), 0)
    style = 0
    links: list[str | None] = []
    link: str | None = None
    for child in children:
        kind = child.type
        if kind == "text":
            out.text(child.content, style, link)
        elif kind == "softbreak":
            out.text(" ", style, link)
        elif kind == "hardbreak":
            out.line_break()
        elif kind == "code_inline":
            out.text(child.content, style | CODE, link)
        elif kind == "link_open":
            links.append(link)
            href = child.attrs.get("href")
            link = href if isinstance(href, str) and href else link
        elif kind == "link_close":
            link = links.pop() if links else None
        elif kind == "image":
            source = child.attrs.get("src")
            alt = child.content.strip()
            out.text(f"[image: {alt}]" if alt else "[image]", style, source if isinstance(source, str) else link)
        elif kind.endswith(("_open", "_close")) and child.tag in _INLINE_STYLES:
            bit = _INLINE_STYLES[child.tag]
            depth[bit] = max(depth[bit] + (1 if child.nesting > 0 else -1), 0)
            style = style | bit if depth[bit] else style & ~bit
        elif child.content:  # a token this walk does not know (a newer markdown-it may add one): keep its text
            out.text(child.content, style, link)
