"""Property tests for every parser: any input gives a thread or the project's own error, in linear time.

Each parser gets arbitrary text and text built from its own structural pieces
(numbered lines, badges, vote digits, JSON posts with wrong types), so the search
reaches deep into the format instead of stopping at the first character. The
growth tests time each parser on an input and on one eight times bigger; a
quadratic parser shows a ratio near 64 where a linear one stays near 8. About
12 s in all on two cores, two thirds of it in the property tests.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import assert_same, draw_post
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tuireader.errors import InputError
from tuireader.export import to_json
from tuireader.formats import decode, forumtext, load, native_json, open_source
from tuireader.model import Thread
from tuireader.sanitize import clean, clean_line, is_safe, is_safe_line

# What counts as unsafe, written down here without looking at tuireader.sanitize:
# every control (C0, DEL, C1), surrogates, line and paragraph separators, bidi
# controls and zero-width characters, and the joiners ZWNJ and ZWJ unless they join
# two letters, marks or symbols (Persian, Indic scripts and emoji sequences need them).
BIDI_AND_ZERO_WIDTH = frozenset(
    "\u061c\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)


def unsafe(char: str) -> bool:
    return (
        unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp")
        or char in BIDI_AND_ZERO_WIDTH
        or "\U000e0000" <= char <= "\U000e007f"  # tag characters: invisible ASCII
    )


def loose_joiners(text: str) -> list[int]:
    """Where a ZWNJ or ZWJ stands without a non-ASCII letter, mark or symbol (emoji) on each side."""

    def joinable(position: int) -> bool:
        if not 0 <= position < len(text) or text[position] < "\x80":
            return False
        category = unicodedata.category(text[position])
        return category[0] in "LM" or category in ("So", "Sk")

    return [i for i, char in enumerate(text) if char in "\u200c\u200d" and not (joinable(i - 1) and joinable(i + 1))]


NASTY = [
    "\x00", "\x07", "\x08", "\t", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x1b", "\x1b[31m", "\x1b]0;t\x07",
    "\x1b]52;c;eA==\x07", "\x1bP", "\x1b\\", "\x7f", "\x85", "\x9b", "\x9d", "\xa0", "\u00ad", "\u061c",
    "\u200b", "\u200d", "\u200e", "\u2028", "\u2029", "\u202e", "\u2066", "\u2069", "\u2060", "\ufeff",
    "\ufffd", "\ud800", "\udfff", "\U0001f986", "\U000e0041", "\U000e007f", "[bold]", "[/]", "[@click=app.quit]",
    "\\", '"', "\u200c", "\u0645", "\u094d", "\ufe0f",
]  # fmt: skip
"""Characters and sequences a hostile file would try."""

nasty_text = st.one_of(
    st.text(max_size=12),
    st.lists(st.sampled_from([*NASTY, "a", "Word", " ", "1.", "  "]), max_size=8).map("".join),
)


# sanitize --------------------------------------------------------------------------------------


@settings(max_examples=400)
@given(st.one_of(st.text(), nasty_text))
def test_clean_is_idempotent_and_leaves_nothing_unsafe(text: str) -> None:
    once = clean(text)
    assert clean(once) == once
    assert not [char for char in once if unsafe(char) and char != "\n"] and not loose_joiners(once)
    line = clean_line(text)
    assert clean_line(line) == line
    assert not [char for char in line if unsafe(char)] and not loose_joiners(line)
    assert is_safe(text) == (once == text)
    assert is_safe_line(text) == (line == text)


@settings(max_examples=200)
@given(st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"))))
def test_clean_keeps_ordinary_text_as_it_is(text: str) -> None:
    # Besides the unsafe characters, cleaning also replaces invisible operators and annotation marks.
    assume(not any(unsafe(char) or "\u2060" <= char <= "\u206f" or "\ufff9" <= char <= "\ufffb" for char in text))
    assume(not loose_joiners(text))
    assert clean(text) == text and clean_line(text) == text


# Structural invariants of whatever a parser built ---------------------------------------------------


def assert_sound(thread: Thread) -> None:
    """A thread any input may give: inert strings, and a tree the rest of the reader can trust."""
    for index, post in enumerate(thread.posts):
        for value in (
            post.id,
            post.author,
            post.title,
            post.badge or "",
            post.time or "",
            post.note or "",
            *post.icons,
        ):
            assert not [char for char in value if unsafe(char)] and not loose_joiners(value), (index, value)
        assert not [char for char in post.body if unsafe(char) and char != "\n"] and not loose_joiners(post.body)
        parent = thread.parent_index[index]
        assert -1 <= parent < index
        assert thread.depth[index] == (thread.depth[parent] + 1 if parent >= 0 else 0)
        assert index < thread.end[index] <= (thread.end[parent] if parent >= 0 else len(thread))
        assert (post.parent is None) == (parent < 0)
        if parent >= 0:
            assert post.parent == thread.posts[parent].id
    assert len(thread.index_of) == len(thread), "ids are unique"


def build_or_input_error(parse: Callable[[], object]) -> None:
    """Run a parser to the end: it may give a thread or raise InputError, nothing else."""
    try:
        source = parse()
        thread = source.build()  # type: ignore[attr-defined]
    except InputError as error:
        assert "\n" not in error.describe()
        return
    assert_sound(thread)


# native JSON -----------------------------------------------------------------------------------

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True), nasty_text)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(nasty_text, inner, max_size=3),
    max_leaves=4,
)
VALID_FIELDS: dict[str, st.SearchStrategy[object]] = {
    "id": st.one_of(st.sampled_from(["1", "2", "3", "1.1", "\x1b"]), st.integers(0, 3)),
    "parent": st.one_of(st.none(), st.sampled_from(["1", "2", "3", "9", "\x1b"]), st.integers(0, 3)),
    "author": nasty_text,
    "badge": st.one_of(st.none(), nasty_text),
    "icons": st.lists(nasty_text, max_size=2),
    "title": nasty_text,
    "body": nasty_text,
    "time": st.one_of(st.none(), nasty_text),
    "up": st.one_of(st.none(), st.integers(-5, 10**20)),
    "down": st.one_of(st.none(), st.integers(-5, 5)),
    "score": st.one_of(st.none(), st.integers(-5, 5)),
    "deleted": st.booleans(),
    "note": st.one_of(st.none(), nasty_text),
}


@st.composite
def json_posts(draw: st.DrawFn) -> object:
    """A post: right types in all fields but, now and then, one wrong value, one missing key or no object at all."""
    post = {key: draw(value) for key, value in VALID_FIELDS.items() if key in ("id", "author") or draw(st.booleans())}
    trouble = draw(st.sampled_from(["none"] * 8 + ["wrong", "missing", "extra", "not an object"] + ["none"] * 8))
    if trouble == "wrong":
        post[draw(st.sampled_from(list(VALID_FIELDS)))] = draw(json_values)
    elif trouble == "missing":
        post.pop(draw(st.sampled_from(["id", "author"])))
    elif trouble == "extra":
        post[draw(nasty_text)] = draw(json_values)
    elif trouble == "not an object":
        return draw(json_values)
    return post


def mostly(valid: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """Usually a right value, now and then any JSON value at all (not at either end: those come up most)."""
    return st.integers(0, 9).flatmap(lambda roll: json_values if roll == 4 else valid)


json_documents = st.fixed_dictionaries(
    {"posts": mostly(st.lists(json_posts(), max_size=8))},
    optional={
        "format": mostly(st.just("tuireader-thread")),
        "version": mostly(st.integers(0, 3)),
        "title": mostly(nasty_text),
        "url": mostly(st.one_of(st.none(), nasty_text)),
        "summary": mostly(nasty_text),
        "closed": mostly(st.booleans()),
    },
)


@st.composite
def json_texts(draw: st.DrawFn) -> str:
    """A JSON document, sometimes cut short or with a few characters changed."""
    text = json.dumps(draw(json_documents), ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 1])))
    damage = draw(st.sampled_from(["none"] * 4 + ["cut", "poke"] + ["none"] * 4))
    if damage == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    elif damage == "poke" and text:
        position = draw(st.integers(0, len(text) - 1))
        text = (
            text[:position]
            + draw(st.sampled_from(["", "{", "[", '"', ",", "\\", "\x00", "1e999"]))
            + text[position + 1 :]
        )
    return text


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(json_texts(), st.text(), nasty_text))
def test_native_json_gives_a_sound_thread_or_a_parse_error(text: str) -> None:
    build_or_input_error(lambda: native_json.parse(text, "fuzz.json"))
    native_json.sniff(text)  # never raises either


# forum text ------------------------------------------------------------------------------------

FORUM_PIECES = [
    "1.", "2.", "1. Name", "12. Name Gold badge", "3. Gold badge", "999999999. x", "1234567890. x",
    "This post has been deleted by its author", "Thumb Up", "Big Brother", "Re: Title", "Re: Re: Title",
    "Title", "back to article T", "This topic is closed for new posts.", "Page: 1 2 3", "Page: next",
    "0", "7", "42", "", "", "", "body text", "> quoted", "\t", "\ufeff", "\r",
]  # fmt: skip


@st.composite
def forum_posts(draw: st.DrawFn) -> list[str]:
    """Lines of numbered posts at wandering depths, their parts sometimes missing, nasty or out of place."""
    lines = [draw(st.sampled_from(["back to article T", "", "Title only", "This topic is closed for new posts."])), ""]
    depth = 0
    for number in range(1, draw(st.integers(1, 8)) + 1):
        depth = max(0, depth + draw(st.integers(-2, 1)))
        pad = "  " * (depth + 1) + " " * draw(st.sampled_from([0, 0, 0, 0, 1]))
        badge = draw(st.sampled_from(["", "", " Gold badge", " Silver badge", " badge"]))
        lines.append(f"{pad}{draw(st.sampled_from([number, number, 1, 0]))}. {draw(nasty_text)}{badge}")
        lines += [
            f"{pad}  {draw(st.sampled_from(['Thumb Up', 'Big Brother']))}" for _ in range(draw(st.integers(0, 2)))
        ]
        lines += [""] * draw(st.integers(0, 3))
        for _ in range(draw(st.integers(0, 4))):
            lines.append(f"{pad}  {draw(st.one_of(nasty_text, st.sampled_from(FORUM_PIECES)))}")
            lines += [""] * draw(st.integers(0, 1))
        if draw(st.booleans()):
            lines += [f"{pad}  {draw(st.integers(0, 99))}", f"{pad}  {draw(st.integers(0, 99))}", ""]
    return lines


@st.composite
def forum_lines(draw: st.DrawFn) -> list[str]:
    """Loose lines of forum-text pieces at assorted indents (the flat layout and page furniture among them)."""
    lines = []
    for _ in range(draw(st.integers(0, 30))):
        indent = " " * draw(st.sampled_from([0, 1, 2, 2, 4, 4, 6, 8, 10]))
        lines.append(indent + draw(st.one_of(st.sampled_from(FORUM_PIECES), nasty_text)))
    return lines


@st.composite
def forum_texts(draw: st.DrawFn) -> str:
    lines = draw(st.one_of(forum_posts(), forum_posts(), forum_lines()))
    return draw(st.sampled_from(["\n", "\n", "\r\n", "\r"])).join(lines)


@settings(max_examples=300)
@given(st.one_of(forum_texts(), st.text(), nasty_text))
def test_forum_text_gives_a_sound_thread_or_a_parse_error(text: str) -> None:
    build_or_input_error(lambda: forumtext.parse(text, "fuzz.txt"))
    forumtext.sniff(text)


# Bytes through the loader ----------------------------------------------------------------------

BOMS = [b"", b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]


@st.composite
def file_bytes(draw: st.DrawFn) -> bytes:
    """What a file may hold: raw bytes, or a plausible thread in some encoding, with a BOM or not."""
    kind = draw(st.sampled_from(["raw", "forum", "json"]))
    if kind == "raw":
        return draw(st.binary(max_size=200))
    text = draw(forum_texts() if kind == "forum" else json_texts())
    encoding = draw(st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "latin-1", "utf-8"]))
    data = text.encode(encoding, errors="replace" if encoding != "utf-8" else "surrogatepass")
    return draw(st.sampled_from(BOMS)) + data


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="tuireader-fuzz-") as folder:
        yield Path(folder)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(file_bytes(), st.binary()))
def test_any_file_loads_soundly_or_fails_with_an_input_error(scratch: Path, data: bytes) -> None:
    path = scratch / "thread"
    path.write_bytes(data)
    build_or_input_error(lambda: open_source(path))
    try:
        text, warnings = decode(data, "thread")
    except InputError:
        return
    if warnings:
        assert len(warnings) == 1 and warnings[0].startswith("thread:") and "\ufffd" in text


# Export, then load ---------------------------------------------------------------------------


@st.composite
def threads(draw: st.DrawFn) -> Thread:
    """Threads with every kind of link trouble: unknown parents, cycles, repeated ids, any order."""
    # Strings come from a small drawn pool: drawing each field afresh makes generation the slow part.
    text = st.sampled_from(draw(st.lists(nasty_text, min_size=1, max_size=6)))
    optional_text = st.one_of(st.none(), text)
    ids = draw(st.lists(st.sampled_from(["1", "2", "3", "a", "a~2", "\x1b", "", "[b]"]) | text, max_size=12))
    posts = [draw_post(draw, post_id, draw(st.one_of(st.none(), st.sampled_from(ids), text)), text) for post_id in ids]
    return Thread.build(
        posts, title=draw(text), url=draw(optional_text), summary=draw(text), closed=draw(st.booleans())
    )


@settings(max_examples=100)
@given(thread=threads())
def test_exported_json_loads_back_unchanged(scratch: Path, thread: Thread) -> None:
    assert_sound(thread)
    exported = to_json(thread)
    path = scratch / "exported.json"
    path.write_text(exported, encoding="utf-8")
    again = load(path)  # through the real loader: decoding and sniffing included
    assert_same(thread, again)
    assert to_json(again) == exported


# Linear time ---------------------------------------------------------------------------------

GROWTH = 8
SLACK = 2.5
"""A linear parser's time may grow up to GROWTH * SLACK (20x) for GROWTH times the input; a quadratic one's ~64x."""


def growth(make: Callable[[int], str], parse: Callable[[str], object], n: int) -> float:
    """How much more CPU time ``parse`` takes on ``make(GROWTH * n)`` than on ``make(n)``.

    CPU time of this process, not the wall clock, so other work on the machine matters less; the
    two sizes are timed in turn, and the best of each kept.
    """
    small, big = make(n), make(GROWTH * n)
    best_small = best_big = float("inf")
    for _ in range(2):
        for text, is_big in ((small, False), (small, False), (big, True)):
            started = time.process_time()
            parse(text)
            spent = time.process_time() - started
            if is_big:
                best_big = min(best_big, spent)
            else:
                best_small = min(best_small, spent)
    return best_big / max(best_small, 1e-6)


def forum(text: str) -> object:
    try:
        return forumtext.parse(text, "t.txt").build()
    except InputError:
        return None


def native(text: str) -> object:
    try:
        return native_json.parse(text, "t.json").build()
    except InputError:
        return None


def forum_thread(n: int) -> str:
    rng = random.Random(n)
    lines = ["back to article Growth", "", "Summary.", ""]
    depth = 0
    for number in range(1, n + 1):
        depth = max(0, min(depth + rng.choice([-2, -1, 0, 1]), 6))
        pad = "  " * (depth + 1)
        lines += [
            f"{pad}{number}. Author {number % 13} Gold badge",
            f"{pad}  Thumb Up",
            "",
            f"{pad}  Title {number}",
            "",
        ]
        lines += [f"{pad}  Some words for post {number}, and more words.", "", f"{pad}  3", f"{pad}  1", ""]
    return "\n".join(lines)


def json_thread(n: int) -> str:
    posts = [
        {"id": str(i), "parent": str(i // 3) if i else None, "author": f"a{i % 13}", "body": "words " * 8}
        for i in range(n)
    ]
    return json.dumps({"format": "tuireader-thread", "posts": posts})


def deep_forum(n: int) -> str:
    """A chain whose indentation grows a level a post: ``n`` sets the size (about n**2 / 2 bytes), not the depth."""
    depth = int((2 * n) ** 0.5)
    return "\n".join(f"{'  ' * (level + 1)}1. a{level}\n\n\n{'  ' * (level + 2)}b\n" for level in range(depth))


LINEAR_CASES: dict[str, tuple[Callable[[int], str], Callable[[str], object], int]] = {
    "forum-text posts": (forum_thread, forum, 250),
    "forum-text lines of '1.'": (lambda n: "  1. a\n\n    x\n" + "1.\n" * n, forum, 12_500),
    "forum-text numbers at every indent": (
        lambda n: "  1. a\n\n    x\n" + "".join(f"{' ' * (i % 40)}{i}. b\n" for i in range(n)),
        forum,
        5_000,
    ),
    "forum-text deep indentation": (deep_forum, forum, 60_000),
    "forum-text blank runs": (lambda n: "  1. a\n\n    x\n" + ("  2. b\n" + "   \n" * 50) * (n // 50), forum, 10_000),
    "forum-text flat layout": (
        lambda n: (
            "alice\n\nFirst\n\nhello\n\n3\n1\n"
            + "".join(f"bob{i}\n\nRe: First\n\nreply {i}\n\n2\n0\n" for i in range(n))
        ),
        forum,
        500,
    ),
    "native JSON posts": (json_thread, native, 500),
    "native JSON bad last post": (lambda n: json_thread(n)[:-3] + ', {"id": 1.5, "author": "x"}]}', native, 1_000),
    "clean": (lambda n: "\x1b[31mred\x9b\u202e text\r\n\t" * n, clean, 2_500),
}


@pytest.mark.parametrize("case", LINEAR_CASES)
def test_parsing_time_grows_linearly(case: str) -> None:
    make, parse, n = LINEAR_CASES[case]
    ratio = growth(make, parse, n)
    assert ratio < GROWTH * SLACK, f"{case}: {GROWTH}x the input took {ratio:.1f}x the time"


def _post_then(line: str) -> str:
    return f"back to article T\n\n  1. alice\n\n    Title\n\n    {line}\n    more \n"


PATHOLOGICAL_LINES: dict[str, tuple[Callable[[int], str], Callable[[str], object], int]] = {
    # Each of these once made a backtracking regex or a loop over prefixes quadratic in the line's length.
    # The sizes are small on purpose: should that come back, the test fails in a second instead of hanging.
    "forum-text: a long run of spaces inside a body line": (lambda n: _post_then("x" + " " * n + "y"), forum, 1_000),
    "forum-text: spaces before a 'badge' word on an author line": (
        lambda n: f"back to article T\n\n  1. a{' ' * n}b badge\n\n    Title\n\n    body\n",
        forum,
        800,
    ),
    "forum-text flat layout: a title of many 'Re: '": (
        lambda n: f"alice\n\nFirst\n\nhello\n\n3\n1\nbob\n\n{'Re: ' * n}zzz\n\nreply\n\n2\n0\n",
        forum,
        700,
    ),
}


@pytest.mark.parametrize("case", PATHOLOGICAL_LINES)
def test_pathological_lines_parse_in_linear_time(case: str) -> None:
    make, parse, n = PATHOLOGICAL_LINES[case]
    ratio = growth(make, parse, n)
    assert ratio < GROWTH * SLACK, f"{GROWTH}x the input took {ratio:.1f}x the time"


def test_many_posts_with_one_id_build_in_linear_time() -> None:
    """Every repeat of an id is renamed ("1~2", "1~3", ...) without counting up from 2 each time."""
    ratio = growth(lambda n: json.dumps({"posts": [{"id": "1", "author": "a"}] * n}), native, 1_000)
    assert ratio < GROWTH * SLACK, f"{GROWTH}x the posts took {ratio:.1f}x the time"
