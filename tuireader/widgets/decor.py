"""Shared pieces of post decoration (badges, icons, votes) for the tree and the reading pane."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import NamedTuple

from rich.style import Style

from tuireader.model import Post
from tuireader.widgets.glyphs import UNICODE, Glyphs
from tuireader.widgets.palette import Palette

THUMB_UP = "Thumb Up"
THUMB_DOWN = "Thumb Down"
_BADGE_KEYS = {"gold": "badge_gold", "silver": "badge_silver", "bronze": "badge_bronze"}
LEGEND_ROWS = 40
"""The legend names this many badges and icons at most, the most used first (a file may hold thousands)."""
MAX_ID_CHARS = 24
"""A post number longer than this is shortened in the middle, so a post 2,000 replies deep keeps a one-line head."""


@dataclass
class Display:
    """Which decorations the reader wants to see (toggled with keys, flags and config)."""

    badges: bool = True
    icons: bool = True
    votes: bool = True


def badge_style_key(badge: str) -> str:
    return _BADGE_KEYS.get(badge.lower(), "badge_other")


def icon_style_key(icon: str) -> str:
    if icon == THUMB_UP:
        return "thumb_up"
    if icon == THUMB_DOWN:
        return "thumb_down"
    return "icon"


def short_icon(icon: str, glyphs: Glyphs = UNICODE) -> str:
    """A compact form for the tree: arrows for thumbs, initials for the rest ("Big Brother" -> "‹BB›")."""
    if icon == THUMB_UP:
        return glyphs.thumb_up
    if icon == THUMB_DOWN:
        return glyphs.thumb_down
    initials = "".join(word[0] for word in icon.split() if word)
    return f"{glyphs.icon_open}{initials[:3] or '?'}{glyphs.icon_close}"


def badge_mark(badge: str, glyphs: Glyphs = UNICODE) -> str:
    """A badge in the tree: a diamond and its first letter ("Gold" -> "◆G")."""
    return f"{glyphs.badge}{badge[:1].upper()}"


class Mark(NamedTuple):
    """One row of the legend: a mark as the tree draws it, its style, and what it stands for."""

    mark: str
    style: Style | None
    meaning: str


def legend(posts: Sequence[Post], palette: Palette, glyphs: Glyphs = UNICODE) -> list[Mark]:
    """The tree's marks for the badges and icons these posts carry, drawn by the functions that draw the tree.

    Badges come first, then icons, each most used first; past :data:`LEGEND_ROWS` a last row counts the rest.
    """
    # Counted by C code over the posts' fields (formats share one tuple per set of icons): 20 ms at 100,000 posts.
    badges = {badge: count for badge, count in Counter(map(attrgetter("badge"), posts)).items() if badge}
    icons: Counter[str] = Counter()
    for icon_set, count in Counter(map(attrgetter("icons"), posts)).items():
        for icon in icon_set:
            icons[icon] += count
    marks = [
        Mark(badge_mark(badge, glyphs), palette.rich_style(badge_style_key(badge)), f"{badge} badge")
        for badge in _most_used(badges)
    ]
    marks += [
        Mark(short_icon(icon, glyphs), palette.rich_style(icon_style_key(icon)), icon) for icon in _most_used(icons)
    ]
    if len(marks) > LEGEND_ROWS:
        hidden = len(marks) - LEGEND_ROWS + 1
        marks[LEGEND_ROWS - 1 :] = [Mark(glyphs.ellipsis, None, f"{hidden:,} more badges and icons")]
    return marks


def _most_used(counts: Mapping[str, int]) -> list[str]:
    return sorted(counts, key=lambda name: (-counts[name], name.casefold()))


def short_id(post_id: str, glyphs: Glyphs = UNICODE) -> str:
    """A post number that fits on one line: ``1.1.…(1,994 more)….3.1`` when deep and dotted, else cut in the middle."""
    if len(post_id) <= MAX_ID_CHARS:
        return post_id
    parts = post_id.split(".")
    kept = [*parts[:2], *parts[-2:]]
    if len(parts) > 4 and sum(len(part) for part in kept) <= MAX_ID_CHARS // 2:
        cut = glyphs.ellipsis
        return f"{kept[0]}.{kept[1]}.{cut}({len(parts) - 4:,} more){cut}.{kept[2]}.{kept[3]}"
    half = MAX_ID_CHARS // 2 - 1
    return f"{post_id[:half]}{glyphs.ellipsis}{post_id[-half:]}"


def votes_text(post: Post) -> str:
    """Up/down counts and score as the file gives them, or empty."""
    parts = []
    if post.up is not None:
        parts.append(f"+{post.up}")
    if post.down is not None:
        parts.append(f"-{post.down}")
    if post.score is not None:
        parts.append(f"{post.score} pts")
    return " ".join(parts)


Piece = tuple[str, Style | None]
"""A run of text and its style: what lines are built from where a rich Text would cost too much."""


def decoration_pieces(
    post: Post, palette: Palette, display: Display, *, compact: bool, glyphs: Glyphs = UNICODE
) -> list[Piece]:
    """Badge, icons and votes as pieces, each after a space (compact markers for the tree, words for the pane)."""
    pieces: list[Piece] = []
    if display.badges and post.badge:
        label = badge_mark(post.badge, glyphs) if compact else f"{glyphs.badge} {post.badge} badge"
        pieces += [(" ", None), (label, palette.rich_style(badge_style_key(post.badge)))]
    if display.icons:
        for icon in post.icons:
            label = short_icon(icon, glyphs) if compact else f"[{icon}]"
            pieces += [(" ", None), (label, palette.rich_style(icon_style_key(icon)))]
    if display.votes:
        votes = votes_text(post)
        if votes:
            pieces += [(" ", None), (votes, palette.rich_style("votes"))]
    return pieces


def first_words(body: str, limit: int = 60, ellipsis: str = "…") -> str:
    """The start of a body on one line, for posts without a title."""
    flat = " ".join(body[: limit * 4].split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + ellipsis


def deleted_label(post: Post, glyphs: Glyphs = UNICODE) -> str:
    """How a deleted post is named: by its author when the file kept one."""
    return f"{post.author} {glyphs.separator} deleted post" if post.author else "deleted post"
