"""Tree lines are built as segments by hand (for speed): they must still fit the width exactly."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len, set_cell_size
from rich.style import Style

from tests.helpers import thread_from_outline
from tuireader.model import Post, Thread
from tuireader.session import MATCHED, ReadingSession
from tuireader.widgets.thread_view import ThreadView

# Wide (CJK, emoji) and narrow characters, so cuts fall inside double-width characters too.
LABEL = st.text(alphabet=st.sampled_from("ab ·漢字😀é-"), max_size=40)


def natural_line(view: ThreadView, index: int, width: int) -> str:
    return "".join(text for text, _ in view._row_pieces(index, width, MATCHED))


@settings(max_examples=200, deadline=None)
@given(author=LABEL, title=LABEL, depth=st.integers(0, 12), width=st.integers(1, 70))
def test_a_line_fills_its_width_and_ends_in_an_ellipsis_if_cut(author: str, title: str, depth: int, width: int) -> None:
    posts = [Post(id=str(level), parent=str(level - 1) if level else None, author="x") for level in range(depth)]
    posts.append(Post(id="last", parent=str(depth - 1) if depth else None, author=author, title=title, badge="Gold"))
    view = ThreadView(ReadingSession(Thread.build(posts)))
    index = len(posts) - 1

    line = view._render_row(index, width, Style(), MATCHED)
    text = line.text
    assert line.cell_length == width
    assert cell_len(text) == width
    natural = natural_line(view, index, width)
    if cell_len(natural) > width:
        assert text == set_cell_size(natural, width - 1) + "…"
    else:
        assert text == natural + " " * (width - cell_len(natural))


def test_the_selection_style_lies_under_every_piece() -> None:
    view = ThreadView(ReadingSession(thread_from_outline("1 alice\n1.1 bob")))
    selection = Style(bgcolor="red")
    line = view._render_row(1, 40, selection, MATCHED)
    assert all(segment.style is not None and segment.style.bgcolor == selection.bgcolor for segment in line)
