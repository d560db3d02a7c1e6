"""The block builder the HTML and Markdown converters share: styled text in, a flat tuple of blocks out.

A converter walks its markup iteratively and tells the builder what opens and closes
(quotes, lists, items, headings, code) and what text comes with which style and link.
The builder decides what kind of block each run of text becomes, so both converters
agree on it: a quote wins over everything (a list or code inside a quote stays quoted,
its item marker written into the text), then code, then a heading, then a list item.
Blocks start lazily, at the first visible text after a boundary, so empty paragraphs
never appear. Every call costs O(1) (amortized over the text it appends), whatever the
nesting depth, and nothing recurses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tuireader.body import CODE, CODE_BLOCK, HEADING, ITEM, PARAGRAPH, QUOTE, RULE, STRONG, Block, Body, Span

MAX_LEVEL = 8
"""Deepest quote and list level a block records: deeper nesting is shown at this level."""

BULLET = "•"


@dataclass(slots=True)
class _Item:
    """An open list item: its marker and depth, and whether its first block is out yet."""

    marker: str
    level: int
    started: bool = False


@dataclass(slots=True)
class _SpanParts:
    style: int
    link: str | None
    parts: list[str] = field(default_factory=list)
    """The span's text in pieces: joined once when the block is done, so appending stays O(1)."""


class BodyBuilder:
    """Collects blocks; the converters drive it with the open/close calls and :meth:`text`."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.quote_level = 0
        self.code_depth = 0
        self.heading_level = 0
        self.headings: list[int] = []
        self.lists: list[list[int]] = []
        """Per open list: [1 for ordered else 0, the next item's number]."""
        self.items: list[_Item] = []
        self._boundary = True
        self._spans: list[_SpanParts] = []
        self._kind = PARAGRAPH
        self._level = 0
        self._marker = ""
        self._item: _Item | None = None
        self._extra_style = 0
        """Style a code or heading run takes when the block it lands in is not a code block or heading."""
        self._last = "\n"
        """The block's last character so far ("\\n" before any): whitespace collapsing looks at it."""

    # Structure ---------------------------------------------------------------

    def boundary(self) -> None:
        """The next text starts a new block (or a new line of the current list item)."""
        self._boundary = True

    def open_quote(self) -> None:
        self._boundary = True
        self.quote_level += 1

    def close_quote(self) -> None:
        self._boundary = True
        self.quote_level = max(self.quote_level - 1, 0)

    def open_code(self) -> None:
        self._boundary = True
        self.code_depth += 1

    def close_code(self) -> None:
        self._boundary = True
        self.code_depth = max(self.code_depth - 1, 0)

    def open_heading(self, level: int) -> None:
        self._boundary = True
        self.headings.append(self.heading_level)
        self.heading_level = min(max(level, 1), 6)

    def close_heading(self) -> None:
        self._boundary = True
        self.heading_level = self.headings.pop() if self.headings else 0

    def open_list(self, ordered: bool, start: int = 1) -> None:
        self._boundary = True
        self.lists.append([int(ordered), start])

    def close_list(self) -> None:
        self._boundary = True
        if self.lists:
            self.lists.pop()

    def open_item(self, number: int | None = None) -> None:
        """A list item; *number* is an ordered item's own number (HTML ``value``, a Markdown item's digits)."""
        self._boundary = True
        marker = BULLET
        if self.lists and self.lists[-1][0]:
            current = self.lists[-1]
            if number is not None:
                current[1] = number
            marker = f"{current[1]}."
            current[1] += 1
        self.items.append(_Item(marker, min(max(len(self.lists), 1), MAX_LEVEL)))

    def close_item(self) -> None:
        self._boundary = True
        if self.items:
            self.items.pop()

    def rule(self) -> None:
        self.flush()
        self.blocks.append(Block(RULE))

    # Text --------------------------------------------------------------------

    def text(self, text: str, style: int = 0, link: str | None = None) -> None:
        """Append *text* as it is (newlines kept), starting a block first if one is due."""
        if not text:
            return
        if self._boundary:
            self._begin()
        style |= self._extra_style
        if self._kind == CODE_BLOCK:
            style &= ~CODE
        spans = self._spans
        if spans and spans[-1].style == style and spans[-1].link == link:
            spans[-1].parts.append(text)
        else:
            spans.append(_SpanParts(style, link, [text]))
        self._last = text[-1]

    def collapsed_text(self, text: str, style: int = 0, link: str | None = None) -> None:
        """Append HTML text whose whitespace runs are already one space: no space at a line start or after one."""
        if text[:1] == " " and (self._boundary or self._last in " \n"):
            text = text[1:]
        self.text(text, style, link)

    def line_break(self) -> None:
        """A hard line break inside the current block; nothing at the start of one."""
        if not self._boundary:
            self._end_line()

    def flush(self) -> None:
        """Finish the current block: trailing whitespace trimmed, dropped when nothing visible is left."""
        self._boundary = True
        if not self._spans:
            return
        spans = self._spans
        self._spans = []
        if self._kind == CODE_BLOCK:
            self._trim_end("\n", spans)
            while spans and not spans[0].parts[0].strip("\n"):  # blank first lines, as HTML drops after <pre>
                del spans[0].parts[0]
                if not spans[0].parts:
                    del spans[0]
            if spans:
                spans[0].parts[0] = spans[0].parts[0].lstrip("\n")
        else:
            self._trim_end(" \n", spans)
        made = tuple(Span("".join(span.parts), span.style, span.link) for span in spans)
        if not any(span.text.strip() for span in made):
            return
        self.blocks.append(Block(self._kind, made, self._level, self._marker))

    def finish(self) -> Body:
        self.flush()
        return tuple(self.blocks)

    # Inside ------------------------------------------------------------------

    def _begin(self) -> None:
        """Start the block the current context calls for, or continue the current list item on a new line."""
        self._boundary = False
        item = self.items[-1] if self.items else None
        if self.quote_level:
            kind, level, marker = QUOTE, min(self.quote_level, MAX_LEVEL), ""
        elif self.code_depth:
            kind, level, marker = CODE_BLOCK, 0, ""
        elif self.heading_level:
            kind, level, marker = HEADING, self.heading_level, ""
        elif item is not None and self._item is item and self._kind == ITEM and self._spans:
            self._end_line(" \n")  # another paragraph of the same item: a new line of it
            return
        elif item is not None and not item.started:
            kind, level, marker = ITEM, item.level, item.marker
        else:
            kind, level, marker = PARAGRAPH, 0, ""
        self.flush()
        self._boundary = False
        self._kind, self._level, self._marker, self._item = kind, level, marker, item
        self._extra_style = (CODE if self.code_depth and kind != CODE_BLOCK else 0) | (
            STRONG if self.heading_level and kind != HEADING else 0
        )
        self._last = "\n"
        if item is not None and kind in (ITEM, QUOTE) and not item.started:
            item.started = True
            if kind == QUOTE:
                self.text("  " * (item.level - 1) + item.marker + " ")

    def _end_line(self, trailing: str = " ") -> None:
        """End the block's current line: *trailing* characters go, a newline joins the last span whatever its style."""
        self._trim_end(trailing)
        if self._spans:
            self._spans[-1].parts.append("\n")
            self._last = "\n"

    def _trim_end(self, chars: str, spans: list[_SpanParts] | None = None) -> None:
        """Strip *chars* from the end of the block's text, across span and part boundaries."""
        spans = self._spans if spans is None else spans
        while spans:
            parts = spans[-1].parts
            while parts:
                trimmed = parts[-1].rstrip(chars)
                if trimmed:
                    parts[-1] = trimmed
                    self._last = trimmed[-1]
                    return
                parts.pop()
            spans.pop()
        self._last = "\n"
