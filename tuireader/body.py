"""The one body model: a post's text as blocks of styled spans, whatever format it came from.

HTML (Hacker News, Discourse, Mastodon, Lobsters), Markdown (Reddit), mail and
forum text all become a tuple of :class:`Block`; the reading pane draws it, search
and the text exporter read its plain text, and the Markdown exporter and the native
JSON keep its structure. Nothing here imports Textual, and nothing here recurses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tuireader.sanitize import clean, clean_line, is_safe, is_safe_line

EMPHASIS = 1
STRONG = 2
CODE = 4
STRIKE = 8
STYLE_NAMES: dict[int, str] = {EMPHASIS: "em", STRONG: "strong", CODE: "code", STRIKE: "strike"}
"""Span style bits and the names the native JSON writes them as."""

PARAGRAPH = "paragraph"
QUOTE = "quote"
"""A quoted passage; ``level`` is how deeply it is quoted (1 for ``>``, 2 for ``>>``)."""
CODE_BLOCK = "code"
"""Preformatted text: its lines are kept as they are, never re-wrapped into one."""
ITEM = "item"
"""A list item; ``level`` is its nesting depth from 1, ``marker`` is ``•`` or its number."""
HEADING = "heading"
SIGNATURE = "signature"
"""A mail signature, after a ``-- `` line."""
ATTACHMENT = "attachment"
"""A line naming an attachment (never its content)."""
RULE = "rule"
BLOCK_KINDS = frozenset({PARAGRAPH, QUOTE, CODE_BLOCK, ITEM, HEADING, SIGNATURE, ATTACHMENT, RULE})


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text with one style: a bit set of EMPHASIS, STRONG, CODE, STRIKE, and a link target."""

    text: str
    style: int = 0
    link: str | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph, quote, code block, list item, heading, signature, attachment line or rule."""

    kind: str
    spans: tuple[Span, ...] = ()
    level: int = 0
    marker: str = ""

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)


Body = tuple[Block, ...]


def plain_text(blocks: Iterable[Block]) -> str:
    """The body as plain text, paragraphs apart by a blank line: what search, the tree and text export read.

    Quotes keep their ``>`` marks and items their markers, so the text still reads as the post did.
    """
    parts: list[str] = []
    for block in blocks:
        text = block.text
        if block.kind == QUOTE:
            mark = ">" * max(block.level, 1) + " "
            text = "\n".join(mark + line if line else mark.rstrip() for line in text.split("\n"))
        elif block.kind == ITEM:
            text = "  " * max(block.level - 1, 0) + (block.marker or "•") + " " + text
        elif block.kind == SIGNATURE:
            text = "-- \n" + text
        elif block.kind == RULE:
            text = "---"
        parts.append(text)
    return "\n\n".join(parts)


_QUOTE_PREFIX = re.compile(r"(?:> ?)+")


def blocks_from_text(text: str) -> Body:
    """Plain text as blocks: paragraphs split at blank lines, runs of ``>`` lines as quotes with their level.

    Forum text and plain mail bodies arrive this way. Line breaks inside a paragraph are kept.
    """
    blocks: list[Block] = []
    paragraph: list[str] = []
    quote: list[str] = []
    quote_level = 0

    def flush_paragraph() -> None:
        if paragraph:
            blocks.append(Block(PARAGRAPH, (Span("\n".join(paragraph)),)))
            paragraph.clear()

    def flush_quote() -> None:
        if quote:
            blocks.append(Block(QUOTE, (Span("\n".join(quote)),), level=quote_level))
            quote.clear()

    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        if stripped.startswith(">"):
            prefix = _QUOTE_PREFIX.match(stripped)
            assert prefix is not None
            level = prefix.group().count(">")
            flush_paragraph()
            if level != quote_level:
                flush_quote()
                quote_level = level
            quote.append(stripped[prefix.end() :])
            continue
        flush_quote()
        quote_level = 0
        if line.strip():
            paragraph.append(line)
        else:
            flush_paragraph()
    flush_paragraph()
    flush_quote()
    return tuple(blocks)


def links(blocks: Iterable[Block]) -> Iterator[tuple[str, str]]:
    """Every link in the body as (text, target), in order."""
    for block in blocks:
        for span in block.spans:
            if span.link:
                yield span.text, span.link


def cleaned_blocks(blocks: Body) -> Body:
    """*blocks* with every span's text and link made inert; the same tuple when already safe.

    Span text may hold newlines (a code block's lines, a paragraph's line breaks);
    link targets and markers are one-line fields.
    """
    def safe(block: Block) -> bool:
        return is_safe_line(block.marker) and all(
            is_safe(span.text) and (span.link is None or is_safe_line(span.link)) for span in block.spans
        )

    if all(safe(block) for block in blocks):
        return blocks
    return tuple(
        block
        if safe(block)
        else Block(
            block.kind if block.kind in BLOCK_KINDS else PARAGRAPH,
            tuple(
                Span(clean(span.text), span.style, None if span.link is None else clean_line(span.link))
                for span in block.spans
            ),
            block.level,
            clean_line(block.marker),
        )
        for block in blocks
    )
