"""The reading pane wraps bodies with its own fast wrapper: the lines must be exactly Rich's."""

from __future__ import annotations

import random

from rich.text import Text
from textual.strip import Strip

from tuireader.app import ReaderApp
from tuireader.model import Post, Thread
from tuireader.widgets.wrap import is_single_cell

WORDS = [
    *("a", "word", "longer", "  ", "> quoted", "-", "end.", "   ", '"q"', "x" * 45),
    *("“curly”", "naïve…", "–", "\u00a0", "é" * 50),  # one cell each, not ASCII
    *("漢字", "😀", "e\u0301", "soft\u00adhyphen"),  # wide, combining, zero-width: wrapped by Rich
]
ONE_CELL_WORDS = [word for word in WORDS if is_single_cell(word)]


def random_body(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(0, 8)):
        lines.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 30))))
    return "\n".join(lines) + rng.choice(["", "\n", "  \n\n", "   "])


def cells(strips: list[Strip]) -> list[list[tuple[str, object]]]:
    return [[(char, segment.style) for segment in strip for char in segment.text] for strip in strips]


async def test_wrapped_posts_match_rich_wrapping_the_whole_post() -> None:
    rng = random.Random(6)
    posts = [Post(id=str(n), parent=None, author=f"user{n}", body=random_body(rng)) for n in range(150)]
    posts.append(Post(id="deleted", parent=None, author="", deleted=True))
    app = ReaderApp(Thread.build(posts))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        pane = app.pane
        base = pane.rich_style
        for index in range(len(posts)):
            width = rng.randint(1, 70)
            head, lines = pane._parts(index, False)
            assert head is not None
            lines = [line for line in lines if not line[2]]  # quotes draw their marks beside Rich's lines
            whole = head.copy()
            whole.append("\n\n" if lines else "\n")  # the blank line under the head, and the body
            for number, (line, style, _) in enumerate(lines):
                whole.append_text(
                    Text("\n" if number else "").append_text(
                        line if isinstance(line, Text) else Text(line, style=style or "")
                    )
                )
            assert cells(pane._wrap(head, lines, width, base)) == cells(pane._rich_strips(whole, width, base)), index


STYLES = ["bold", "italic", "underline", "red", "on blue", "link https://example.org", "dim strike"]


def random_text(rng: random.Random) -> Text:
    """A line (sometimes several) with overlapping styled spans, a style of its own, now and then a wide character."""
    words = WORDS if rng.random() < 0.2 else ONE_CELL_WORDS
    plain = "\n".join(" ".join(rng.choice(words) for _ in range(rng.randint(0, 30))) for _ in range(rng.randint(1, 3)))
    text = Text(plain, style=rng.choice(["", "green", "bold"]))
    for _ in range(rng.randint(0, 6)):
        start = rng.randint(0, len(text))
        text.stylize(rng.choice(STYLES), start, start + rng.randint(0, 40))
    return text


async def test_styled_lines_match_rich_wrapping_them() -> None:
    """Links, emphasis and heads are styled Text: the pane cuts them itself when every character is one cell."""
    rng = random.Random(14)
    app = ReaderApp(Thread.build([Post(id="1", parent=None, author="ann", body="hi")]))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        pane = app.pane
        base = pane.rich_style
        for case in range(400):
            text, width = random_text(rng), rng.randint(1, 70)
            assert cells(pane._wrap_line(text, None, width, base)) == cells(pane._rich_strips(text, width, base)), case
