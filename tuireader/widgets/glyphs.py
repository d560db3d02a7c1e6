"""Every character the reader draws on its own (not the file's text), in a Unicode set and an ASCII set.

The tree, the pane, the decorations and the status line take their marks from one
:class:`Glyphs`, so ``--ascii`` (and ``TERM=linux``, whose console font lacks most of
these) changes them all at once. Each mark of the ASCII set is distinct from the others
where both can appear in the same place, so no meaning is lost with them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Glyphs:
    """The marks of one set; every two-cell mark keeps its width in both sets, so lines line up alike."""

    ascii: bool
    unread: str
    """Before an unread post's row (the row is also styled, but the mark carries the meaning alone)."""
    read: str
    search: str
    """After the author of a post that matches the search."""
    collapsed: str
    expanded: str
    leaf: str
    context: str
    """Before the author of a post shown only because a filtered author answered it."""
    tee: str
    """A post's own connector when a sibling follows it."""
    elbow: str
    """A post's own connector when it is its parent's last reply."""
    pipe: str
    """An ancestor's line continuing past this row."""
    deeper: str
    """Before the depth number of a post deeper than its guides can show."""
    ellipsis: str
    """The last cell of a cut line."""
    separator: str
    """Between an author and a title, and between the parts of the pane's head."""
    chain: str
    """Between the names of "in reply to A › B"."""
    badge: str
    thumb_up: str
    thumb_down: str
    icon_open: str
    icon_close: str
    scroll_track: str
    scroll_thumb: str
    rule: str
    bullet: str
    """A list item's mark (formats write ``•``; the pane draws this instead)."""
    attachment: str
    border: str
    """The Textual border type of the line between the tree and the pane."""


UNICODE = Glyphs(
    ascii=False,
    unread="● ",
    read="  ",
    search=" ⌕",
    collapsed="▸ ",
    expanded="▾ ",
    leaf="• ",
    context="◌ ",
    tee="├─",
    elbow="└─",
    pipe="│ ",
    deeper="⋯",
    ellipsis="…",
    separator="·",
    chain="›",
    badge="◆",
    thumb_up="▲",
    thumb_down="▼",
    icon_open="‹",
    icon_close="›",
    scroll_track="│",
    scroll_thumb="┃",
    rule="─",
    bullet="•",
    attachment="▪",
    border="vkey",
)

ASCII = Glyphs(
    ascii=True,
    unread="* ",
    read="  ",
    search=" /",
    collapsed="+ ",
    expanded="- ",
    leaf=". ",
    context="o ",
    tee="|-",
    elbow="`-",
    pipe="| ",
    deeper="~",
    ellipsis="~",
    separator="-",
    chain=">",
    badge="*",
    thumb_up="^",
    thumb_down="v",
    icon_open="<",
    icon_close=">",
    scroll_track="|",
    scroll_thumb="#",
    rule="-",
    bullet="*",
    attachment="+",
    border="ascii",
)

_KEY_NAMES = {"↑": "up", "↓": "down", "←": "left", "→": "right", "⏎": "enter", "⌫": "backspace"}
ASCII_KEYS = str.maketrans(_KEY_NAMES)
"""Textual's arrows for keys, spelt out for the help screen in ASCII."""
ASCII_FOOTER_KEYS = str.maketrans({**_KEY_NAMES, "⏎": "^M"})
"""The same for the footer, where Enter is ^M (ctrl+m, written as ^p is), so "q Quit" fits in 40 columns."""


def glyphs_for(ascii_only: bool) -> Glyphs:
    return ASCII if ascii_only else UNICODE
