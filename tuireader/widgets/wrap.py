"""Word wrapping of plain one-cell text: where Rich would break a line, at a tenth of the cost.

Wrapping a post with Rich (``Text.wrap``) measures every word's cells and builds a Text
per line: 1-3 ms for an ordinary post, the largest part of a jump to a post not seen
before. Most lines of most posts are ASCII, where a character is a cell; for those the
same breaks follow from string lengths. Other lines still go through Rich.
"""

from __future__ import annotations

import re
from itertools import chain, pairwise

from rich.cells import cell_len, set_cell_size

_WORD = re.compile(r"\s*\S+\s*")
"""A word with the spaces around it, as Rich's wrapper splits a line."""
_TRAILING_SPACE = re.compile(r"\s+$")
_ONE_CELL = frozenset(
    char
    for char in map(
        chr,
        chain(
            range(0x20, 0x7F), range(0xA0, 0x300), range(0x2000, 0x2070), range(0x2190, 0x2200), range(0x2500, 0x2600)
        ),
    )
    if char.isprintable() and cell_len(char) == 1
)
"""Printable ASCII, Latin letters, general punctuation (… “ ” – —), arrows, and the box drawing and shapes
of the tree's guides and markers (├ │ └ ● ▾), each where Rich measures it as one cell."""


def is_single_cell(line: str) -> bool:
    """Whether every character of ``line`` takes one cell, so :func:`wrap_single_cell` may wrap it."""
    return _ONE_CELL.issuperset(line)


def cell_width(text: str) -> int:
    """Cells ``text`` takes, as Rich counts them; its length when every character is one cell.

    Rich's own shortcut covers fewer characters (not "’" or "—"), and its grapheme
    splitting costs 50 µs on a tree line that has one.
    """
    return len(text) if is_single_cell(text) else cell_len(text)


def fit_cells(text: str, width: int) -> str:
    """``text`` cut or padded with spaces to ``width`` cells, as ``rich.cells.set_cell_size`` does, but quicker."""
    if is_single_cell(text):
        return text[:width].ljust(width)
    return set_cell_size(text, width)


def wrap_single_cell(line: str, width: int) -> list[str]:
    """``line`` cut where ``rich.text.Text.wrap`` (fold overflow) cuts it; for text of one-cell characters only.

    The caller checks that with :func:`is_single_cell`. As in Rich, a word keeps its
    following spaces up to the width, and a word longer than the width is folded.
    """
    return [line[begin:end] for begin, end in single_cell_bounds(line, width)]


def single_cell_bounds(line: str, width: int) -> list[tuple[int, int]]:
    """Where each screen line of :func:`wrap_single_cell` starts and ends in ``line``: styled text is cut there too."""
    if len(line) <= width:
        return [(0, len(line))]
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(line):
        start, word = match.start(), match.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            pieces = [word[cut : cut + width] for cut in range(0, len(word), width)]
            for piece in pieces[:-1]:
                if start:
                    breaks.append(start)
                start += len(piece)
            if start:
                breaks.append(start)
            offset = len(pieces[-1])
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    bounds = [0, *breaks, len(line)]
    return [(begin, begin + _fitted_length(line, begin, end, width)) for begin, end in pairwise(bounds)]


def _fitted_length(line: str, begin: int, end: int, width: int) -> int:
    """How much of ``line[begin:end]`` stays once spaces past ``width`` leave its end and it is cut to ``width``."""
    length = end - begin
    excess = length - width
    if excess > 0:
        spaces = _TRAILING_SPACE.search(line, begin, end)
        if spaces is not None:
            length -= min(len(spaces.group()), excess)
    return min(length, width)
