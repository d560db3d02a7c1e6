"""HTML comment bodies (Hacker News, Discourse, Mastodon, Lobsters, HTML-only mail) as the body model.

:func:`html_to_text` is the cheap plain text formats take for every post at load time
(tree labels, search); :func:`html_to_blocks` is the structure, parsed when a post is
shown. Neither interprets anything as markup for the terminal: decoded text, control
characters included, reaches the model as plain strings, and the model makes it inert.

Why not :class:`html.parser.HTMLParser`: measured on Python 3.11.7, it takes 3.5 s on
15 KB of ``<a `` and 208 s on 120 KB (every unfinished tag is scanned again to the end
of the input), and raises AssertionError on ``<![``. The tokenizer here follows the
HTML5 tokenizer's states instead: each tag is read by one regular expression that
cannot backtrack, text runs to the next ``<``, comments to their ``-->``, so every
character is read once and nothing can raise. An unfinished tag at the end of the input
is shown as text. Elements are tracked on an explicit stack with, per tag name, the
positions where it is open, so an end tag finds its element in O(1) and a stray one is
ignored; nothing recurses, so a 100,000-deep nesting costs what 100,000 siblings do.

Entities: ``html.unescape`` drops numeric references to control characters (``&#27;``)
and raises ValueError on a reference with more than 4,300 digits; :func:`_prepare`
decodes the first to the characters themselves, so the model shows them as visible
placeholders, and turns the second into U+FFFD, as ``html.unescape`` does for any
number out of range.
"""

from __future__ import annotations

import html
import re
import string
from dataclasses import dataclass

from tuireader.body import CODE, EMPHASIS, STRIKE, STRONG, Body, plain_text
from tuireader.formats.body_builder import BodyBuilder

# Tokenizer ---------------------------------------------------------------------

_ATTRIBUTES = r"((?:[^>\"']+|\"[^\"]*\"|'[^']*')*)(>?)"
"""A tag's attributes with quoted values, then its ``>``; an empty last group means the input ended inside the tag."""
_START_TAG = re.compile(r"<([a-zA-Z][^\t\n\f\r />]*)" + _ATTRIBUTES)
_END_TAG = re.compile(r"</([a-zA-Z][^\t\n\f\r />]*)" + _ATTRIBUTES)
_ATTRIBUTE = re.compile(
    r"([^\t\n\f\r \"'/=>]+)(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:\"([^\"]*)\"|'([^']*)'|([^\t\n\f\r >]+)))?"
)
_ASCII_LETTERS = frozenset(string.ascii_letters)

_SKIPPED_CONTENT = frozenset({"script", "style", "template", "iframe", "noembed", "noframes", "title"})
"""Elements whose content no reader sees: skipped up to their end tag (the rest of the input without one)."""
_SKIPPED_END = {name: re.compile(rf"</{name}(?=[\t\n\f\r />])", re.IGNORECASE) for name in _SKIPPED_CONTENT}

_CONTROL_OR_HUGE_REFERENCE = re.compile(
    r"&#(?:0*([12]?[0-9]|3[01]|127)(?![0-9])|[xX]0*([0-9a-fA-F]|1[0-9a-fA-F]|7[fF])(?![0-9a-fA-F])"
    r"|0*[1-9][0-9]{8,}|[xX]0*[1-9a-fA-F][0-9a-fA-F]{8,});?"
)
"""A numeric reference to a C0 control or DEL, or one with 9 or more digits (beyond any code point)."""
_CONTROLS_UNESCAPE_DROPS = frozenset(code for code in (*range(1, 0x20), 0x7F) if html.unescape(f"&#{code};") == "")


def _control_or_huge_reference(match: re.Match[str]) -> str:
    if match[1] is None and match[2] is None:
        return "\ufffd"
    code = int(match[1], 10) if match[1] is not None else int(match[2], 16)
    return chr(code) if code in _CONTROLS_UNESCAPE_DROPS else match[0]


def _prepare(source: str) -> str:
    """Line ends as LF, and the numeric references ``html.unescape`` would drop or choke on decoded here."""
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", "\n")
    if "&#" in source:
        source = _CONTROL_OR_HUGE_REFERENCE.sub(_control_or_huge_reference, source)
    return source


def _decode(text: str) -> str:
    return html.unescape(text) if "&" in text else text


def _collapse(text: str) -> str:
    """HTML's whitespace (not U+00A0) outside ``<pre>``: every run of it as one space.

    Plain ``replace`` calls: a regular expression for whitespace tries a match at every space, ten times
    slower on a Discourse post. Each pass halves the runs of spaces, so a run of n takes log2(n) passes.
    """
    if "\n" in text or "\t" in text or "\r" in text or "\f" in text:
        text = text.replace("\n", " ").replace("\t", " ").replace("\r", " ").replace("\f", " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def _attributes(text: str) -> dict[str, str]:
    """A tag's attributes by lowercase name, values decoded; the first of a repeated name wins, as in HTML."""
    found: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(text):
        name = match[1].lower()
        if name not in found:
            value = match[2] if match[2] is not None else match[3] if match[3] is not None else match[4] or ""
            found[name] = _decode(value)
    return found


# What each element does ----------------------------------------------------------

_STYLE_OF = {
    "b": STRONG, "strong": STRONG,
    "i": EMPHASIS, "em": EMPHASIS, "cite": EMPHASIS, "var": EMPHASIS, "dfn": EMPHASIS,
    "s": STRIKE, "del": STRIKE, "strike": STRIKE,
    "code": CODE, "tt": CODE, "kbd": CODE, "samp": CODE,
}  # fmt: skip
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "source",
     "track", "wbr"}
)  # fmt: skip
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_LISTS = frozenset({"ul", "ol", "menu", "dir"})
_TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "caption"})
_BLOCKS = frozenset(
    {"p", "div", "blockquote", "aside", "pre", "li", "dl", "dt", "dd", "figure", "figcaption", "header", "footer",
     "article", "section", "nav", "main", "details", "summary", "address", "center", "form", "fieldset", "legend",
     "hgroup", "body", "html", "head", *_HEADINGS, *_LISTS, *_TABLE_PARTS}
)  # fmt: skip
"""Elements that start and end a block of text."""
_ATTRIBUTES_READ = frozenset({"a", "img", "span", "div", "aside", "ol", "li"})

# What closing an element does: the inline ones first (they never end a block).
_INLINE, _ELLIPSIS, _LIGHTBOX, _BOUNDARY, _QUOTE, _CODE, _HEADING, _LIST, _ITEM, _TITLE, _ASIDE = range(11)


@dataclass(slots=True)
class _Open:
    """An open element and the inline state to restore when it closes."""

    name: str
    action: int
    block: bool
    style: int
    link: str | None
    hidden: int


@dataclass(slots=True)
class _QuoteAside:
    """A Discourse quote (``<aside class="quote">``): who is quoted, and whether that was said yet."""

    username: str
    attributed: bool = False


class _Converter:
    """The element stack and the inline state while the tokenizer walks one body."""

    def __init__(self) -> None:
        self.out = BodyBuilder()
        self.stack: list[_Open] = []
        self.open_at: dict[str, list[int]] = {}
        """Per tag name, the stack positions where it is open: an end tag finds its element without a search."""
        self.blocks_at: list[int] = []
        """Stack positions of the open block elements."""
        self.style = 0
        self.link: str | None = None
        self.hidden = 0
        self.lightbox = 0
        self.capture: list[str] | None = None
        """The text of a Discourse quote's title while it is read: it becomes the "X wrote:" line."""
        self.asides: list[_QuoteAside] = []
        self.cells = 0

    # Events from the tokenizer -------------------------------------------------

    def text(self, raw: str) -> None:
        if self.hidden:
            return
        text = _decode(raw)
        if self.capture is not None:
            self.capture.append(text)
        elif self.out.code_depth:
            self.out.text(text, self.style, self.link)
        else:
            self.out.collapsed_text(_collapse(text), self.style, self.link)

    def start(self, name: str, attribute_text: str) -> None:
        if name in _VOID:
            self._void(name, _attributes(attribute_text) if name == "img" else {})
            return
        block = name in _BLOCKS
        if block and self.blocks_at:
            self._close_implied(name)
        attributes = _attributes(attribute_text) if name in _ATTRIBUTES_READ else {}
        action = self._open(name, attributes)
        if action is None:
            return
        index = len(self.stack)
        self.stack.append(_Open(name, action, block, self.style, self.link, self.hidden))
        self.open_at.setdefault(name, []).append(index)
        if block:
            self.blocks_at.append(index)
        self._apply(name, attributes)

    def end(self, name: str) -> None:
        positions = self.open_at.get(name)
        if not positions:
            if name == "br":  # HTML reads a stray </br> as <br>
                self._void("br", {})
            elif name in _BLOCKS:
                self.out.boundary()
            return
        index = positions[-1]
        if name not in _BLOCKS and self.blocks_at and self.blocks_at[-1] > index:
            return  # an inline element's end tag does not close a block opened inside it
        self._close_to(index)

    def finish(self) -> Body:
        self._close_to(0)
        return self.out.finish()

    # Opening -------------------------------------------------------------------

    def _close_implied(self, name: str) -> None:
        """A block closes an open paragraph; an item closes the item before it (HTML's ``<p>``/``<li>`` rules)."""
        top = self.blocks_at[-1]
        if self.stack[top].name == "p" and name not in _TABLE_PARTS:
            self._close_to(top)
        if name == "li" and self.blocks_at and self.stack[self.blocks_at[-1]].name == "li":
            self._close_to(self.blocks_at[-1])

    def _open(self, name: str, attributes: dict[str, str]) -> int | None:
        """What closing this element will do, or None for an element that changes nothing (it is not kept)."""
        if name in _STYLE_OF:
            return _INLINE
        if name == "a":
            return _LIGHTBOX if "lightbox" in attributes.get("class", "").split() else _INLINE
        if name == "span":
            classes = attributes.get("class", "").split()
            if "invisible" in classes:
                return _INLINE
            return _ELLIPSIS if "ellipsis" in classes else None
        if name in ("td", "th"):
            if self.cells:
                self.text(" | ")
            self.cells += 1
            return None
        if name not in _BLOCKS:
            return None
        if name == "blockquote":
            return _QUOTE
        if name == "pre":
            return _CODE
        if name in _HEADINGS:
            return _HEADING
        if name in _LISTS:
            return _LIST
        if name == "li":
            return _ITEM
        if name == "aside" and "quote" in attributes.get("class", "").split():
            return _ASIDE
        if name == "div":
            classes = attributes.get("class", "").split()
            if "title" in classes and self.asides and not self.asides[-1].attributed and self.capture is None:
                return _TITLE
        return _BOUNDARY

    def _apply(self, name: str, attributes: dict[str, str]) -> None:
        """The element's effect, now that it is on the stack (so closing it undoes this)."""
        entry = self.stack[-1]
        out = self.out
        action = entry.action
        if name in _STYLE_OF:
            self.style |= _STYLE_OF[name]
        elif name == "a":
            href = attributes.get("href", "").strip()
            if href:
                self.link = href
            if action == _LIGHTBOX:
                self.lightbox += 1
        elif name == "span":
            if action == _INLINE:  # class="invisible": Mastodon's hidden part of a long link
                self.hidden += 1
        elif action == _QUOTE:
            if self.asides and not self.asides[-1].attributed:
                self._attribute("")
            out.open_quote()
        elif action == _CODE:
            out.open_code()
        elif action == _HEADING:
            out.open_heading(_HEADINGS[name])
        elif action == _LIST:
            start = _number(attributes.get("start"))
            out.open_list(name == "ol", 1 if start is None else start)
        elif action == _ITEM:
            out.open_item(_number(attributes.get("value")))
        elif action == _ASIDE:
            self.asides.append(_QuoteAside(attributes.get("data-username", "").strip()))
            out.boundary()
        elif action == _TITLE:
            self.capture = []
        else:
            if name == "tr":
                self.cells = 0
            if name == "div" and self.lightbox and "meta" in attributes.get("class", "").split():
                self.hidden += 1  # Discourse's file name and size over an image, shown only on hover
            out.boundary()

    def _void(self, name: str, attributes: dict[str, str]) -> None:
        if self.hidden or self.capture is not None:
            if name == "br" and self.capture is not None:
                self.capture.append(" ")
            return  # an image in a quote's title is the quoted user's avatar
        if name == "br":
            self.out.line_break()
        elif name == "hr":
            self.out.rule()
        elif name == "img":
            alt = _collapse(attributes.get("alt", "")).strip()
            if "emoji" in attributes.get("class", "").split():
                if alt:
                    self.out.collapsed_text(alt, self.style, self.link)
                return
            source = attributes.get("src", "").strip()
            label = f"[image: {alt}]" if alt else "[image]"
            self.out.collapsed_text(label, self.style, source or self.link)

    # Closing -------------------------------------------------------------------

    def _close_to(self, index: int) -> None:
        """Close the element at stack position *index* and every element opened after it."""
        stack = self.stack
        while len(stack) > index:
            entry = stack.pop()
            self.open_at[entry.name].pop()
            if entry.block:
                self.blocks_at.pop()
            action = entry.action
            if action == _ELLIPSIS and not self.hidden:
                self.out.collapsed_text("…", self.style, self.link)
            self.style, self.link, self.hidden = entry.style, entry.link, entry.hidden
            if action == _LIGHTBOX:
                self.lightbox -= 1
            if action <= _LIGHTBOX:
                continue
            out = self.out
            if action == _QUOTE:
                out.close_quote()
            elif action == _CODE:
                out.close_code()
            elif action == _HEADING:
                out.close_heading()
            elif action == _LIST:
                out.close_list()
            elif action == _ITEM:
                out.close_item()
            elif action == _TITLE:
                title = _collapse("".join(self.capture or ())).strip()
                self.capture = None
                self._attribute(title)
            elif action == _ASIDE:
                self.asides.pop()
                out.boundary()
            else:
                out.boundary()

    def _attribute(self, title: str) -> None:
        """The line that says who a Discourse quote quotes: "X wrote:" from its title or its ``data-username``."""
        aside = self.asides[-1]
        aside.attributed = True
        if title.endswith(":"):
            line = f"{title[:-1].rstrip()} wrote:"
        elif title and aside.username:
            line = f"{aside.username} wrote in {title}:"
        else:
            line = title or (f"{aside.username} wrote:" if aside.username else "")
        if line:
            self.out.open_quote()
            self.out.collapsed_text(line)
            self.out.close_quote()


def _number(text: str | None) -> int | None:
    """An ``<ol start>`` or ``<li value>`` number, or None when it is not a sane one."""
    text = (text or "").strip()
    if text[:1] in ("+", "-"):
        sign, digits = text[0], text[1:]
    else:
        sign, digits = "", text
    if not digits.isascii() or not digits.isdigit() or len(digits) > 9:
        return None
    return int(sign + digits)


# The two conversions ---------------------------------------------------------------


def html_to_blocks(html_text: str) -> Body:
    """The body's structure: paragraphs, quotes (Discourse's with who is quoted), code, lists, headings, links.

    Never raises, for any input, and takes time linear in its length.
    """
    text = _prepare(html_text)
    converter = _Converter()
    position, size, find = 0, len(text), text.find
    while position < size:
        opening = find("<", position)
        if opening < 0:
            converter.text(text[position:])
            break
        if opening > position:
            converter.text(text[position:opening])
        after = text[opening + 1 : opening + 2]
        if after in _ASCII_LETTERS:
            tag = _START_TAG.match(text, opening)
            assert tag is not None
            if not tag[3]:
                converter.text(text[opening:])
                break
            name = tag[1].lower()
            position = tag.end()
            if name in _SKIPPED_CONTENT:
                ending = _SKIPPED_END[name].search(text, position)
                if ending is None:
                    break
                close = _END_TAG.match(text, ending.start())
                assert close is not None
                position = close.end() if close[3] else size
            else:
                converter.start(name, tag[2])
        elif after == "/":
            tag = _END_TAG.match(text, opening)
            if tag is None:  # "</" and no name: a bogus comment up to ">" ("</>" is nothing)
                closing = find(">", opening)
                position = size if closing < 0 else closing + 1
            elif not tag[3]:
                converter.text(text[opening:])
                break
            else:
                converter.end(tag[1].lower())
                position = tag.end()
        elif after == "!" and text.startswith("<!--", opening):
            closing = find("-->", opening + 2)
            position = size if closing < 0 else closing + 3
        elif after in ("!", "?"):  # a doctype, CDATA or processing instruction: nothing to show
            closing = find(">", opening)
            position = size if closing < 0 else closing + 1
        else:
            converter.text("<")
            position = opening + 1
    return converter.finish()


_HARD = re.compile(r"<(?:[!?]|(?:script|style|template|iframe|noembed|noframes|title)[\t\n\f\r />])", re.IGNORECASE)
"""What the quick text would get wrong (content nobody sees, comments): such bodies take the full conversion."""
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|blockquote|aside|pre|li|ul|ol|dl|dt|dd|h[1-6]|tr|table|hr|header|footer|article|section|figure"
    r"|figcaption)(?=[\t\n\f\r />])[^<>]*>",
    re.IGNORECASE,
)
_BREAK_TAG = re.compile(r"<br(?=[\t\n\f\r />])[^<>]*>", re.IGNORECASE)
_CELL_TAG = re.compile(r"<t[dh](?=[\t\n\f\r />])[^<>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
"""A tag, up to the next ``>`` or ``<``: stopping at ``<`` keeps the strip linear on unfinished tags."""


def html_to_text(html_text: str) -> str:
    """A cheap plain text for tree labels and search: tags dropped, entities decoded, paragraphs apart by a blank line.

    A handful of regular-expression passes, several times faster than :func:`html_to_blocks`;
    quotes get no ``>`` marks and links no targets. Bodies with comments or hidden
    content (scripts, styles) take the full conversion instead, so their text stays right.
    """
    text = _prepare(html_text)
    if "<" in text:
        if _HARD.search(text):
            return plain_text(html_to_blocks(html_text))
        text = _BLOCK_TAG.sub("\n\n", _collapse(text))
        text = _BREAK_TAG.sub("\n", text)
        text = _CELL_TAG.sub(" ", text)
        text = _ANY_TAG.sub("", text)
    else:
        text = _collapse(text)
    text = _decode(text).replace(" \n", "\n").replace("\n ", "\n")  # collapsed: one space at most by a newline
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip(" \n")
