"""The reading pane wraps bodies with its own fast wrapper: the lines must be exactly Rich's."""

from __future__ import annotations

import random

from rich.text import Text
from textual.strip import Strip

from tuireader.app import ReaderApp
from tuireader.model import Post, Thread

WORDS = [
    *("a", "word", "longer", "  ", "> quoted", "-", "end.", "   ", '"q"', "x" * 45),
    *("“curly”", "naïve…", "–", "\u00a0", "é" * 50),  # one cell each, not ASCII
    *("漢字", "😀", "e\u0301", "soft\u00adhyphen"),  # wide, combining, zero-width: wrapped by Rich
]


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
