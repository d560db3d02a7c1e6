"""Shared pieces of post decoration (badges, icons, votes) for the tree and the reading pane."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from tuireader.model import Post
from tuireader.widgets.palette import Palette

THUMB_UP = "Thumb Up"
THUMB_DOWN = "Thumb Down"
_BADGE_KEYS = {"gold": "badge_gold", "silver": "badge_silver", "bronze": "badge_bronze"}


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


def short_icon(icon: str) -> str:
    """A compact form for the tree: arrows for thumbs, initials for the rest ("Big Brother" -> "BB")."""
    if icon == THUMB_UP:
        return "▲"
    if icon == THUMB_DOWN:
        return "▼"
    initials = "".join(word[0] for word in icon.split() if word)
    return f"‹{initials[:3] or '?'}›"


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


def decoration_pieces(post: Post, palette: Palette, display: Display, *, compact: bool) -> list[Piece]:
    """Badge, icons and votes as pieces, each after a space (compact markers for the tree, words for the pane)."""
    pieces: list[Piece] = []
    if display.badges and post.badge:
        label = f"◆{post.badge[:1].upper()}" if compact else f"◆ {post.badge} badge"
        pieces += [(" ", None), (label, palette.rich_style(badge_style_key(post.badge)))]
    if display.icons:
        for icon in post.icons:
            label = short_icon(icon) if compact else f"[{icon}]"
            pieces += [(" ", None), (label, palette.rich_style(icon_style_key(icon)))]
    if display.votes:
        votes = votes_text(post)
        if votes:
            pieces += [(" ", None), (votes, palette.rich_style("votes"))]
    return pieces


def append_decorations(text: Text, post: Post, palette: Palette, display: Display, *, compact: bool) -> None:
    """Append badge, icons and votes to ``text`` (see :func:`decoration_pieces`)."""
    for piece, style in decoration_pieces(post, palette, display, compact=compact):
        text.append(piece, style=style)


def first_words(body: str, limit: int = 60) -> str:
    """The start of a body on one line, for posts without a title."""
    flat = " ".join(body[: limit * 4].split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def deleted_label(post: Post) -> str:
    """How a deleted post is named: by its author when the file kept one."""
    return f"{post.author} · deleted post" if post.author else "deleted post"
