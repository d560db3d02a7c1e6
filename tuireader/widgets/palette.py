"""How widgets ask for the reader's own colours, so they need not know where a theme came from."""

from __future__ import annotations

from typing import ClassVar, Protocol

from rich.style import Style


class Palette(Protocol):
    """Styles for the thread-specific parts of the screen (``[thread]`` keys of a theme).

    The app hands widgets a :class:`tuireader.themes.ReaderTheme`, which is one; widgets
    only ever ask for styles, so they redraw correctly whatever theme is swapped in.
    """

    def rich_style(self, key: str) -> Style: ...

    def depth_style(self, depth: int) -> Style: ...


class PlainPalette:
    """A palette with fixed styles, for a widget used without the app (the app always passes a theme)."""

    _STYLES: ClassVar[dict[str, str]] = {
        "author": "bold #8fbcbb",
        "op": "bold #ebcb8b",
        "badge_gold": "bold #ffd700",
        "badge_silver": "bold #c0c0c0",
        "badge_bronze": "bold #cd7f32",
        "badge_other": "bold #b48ead",
        "thumb_up": "#a3be8c",
        "thumb_down": "#bf616a",
        "icon": "#81a1c1",
        "votes": "#d08770",
        "title": "bold",
        "quote": "italic #a0a0a0",
        "deleted": "dim strike",
        "context": "dim",
        "search_match": "black on #ebcb8b",
        "unread": "bold #88c0d0",
        "selection": "on #3b4252",
    }
    _DEPTH = ("#5e81ac", "#a3be8c", "#b48ead", "#d08770", "#88c0d0", "#ebcb8b")

    def rich_style(self, key: str) -> Style:
        return Style.parse(self._STYLES.get(key, ""))

    def depth_style(self, depth: int) -> Style:
        return Style.parse(self._DEPTH[depth % len(self._DEPTH)])
