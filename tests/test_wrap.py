"""The fast wrapper breaks one-cell text exactly where Rich does."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from tuireader.widgets.wrap import wrap_single_cell

CONSOLE = Console(width=200)
LINE = st.text(alphabet=st.sampled_from("ab cd  -.,xyzw"), max_size=300)


def rich_lines(line: str, width: int) -> list[str]:
    return [wrapped.plain for wrapped in Text(line, overflow="fold").wrap(CONSOLE, width)]


@settings(max_examples=500, deadline=None)
@given(line=LINE, width=st.integers(1, 90))
@example(line="", width=5)
@example(line="     ", width=2)
@example(line="  indented words here", width=4)
@example(line="abcdefghijklmnopqrstuvwxyz tail", width=7)
@example(line="word  " * 20, width=11)
def test_breaks_where_rich_breaks(line: str, width: int) -> None:
    assert wrap_single_cell(line, width) == rich_lines(line, width)
