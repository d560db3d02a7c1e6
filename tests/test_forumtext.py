"""The forum-text format: the seed thread, the bundled sample, each layout variant and hostile input."""

from __future__ import annotations

import inspect
import itertools
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import REPO, shared_file
from hypothesis import given, settings
from hypothesis import strategies as st

from tuireader.errors import ParseError
from tuireader.formats import forumtext
from tuireader.formats.base import ParsedSource
from tuireader.model import Post, Thread

SAMPLE = REPO / "sample_threads" / "sample.txt"
VARIANTS = REPO / "sample_threads" / "variants"

Row = tuple[str, "str | None", str, "str | None", tuple[str, ...], str, int]


def read(path: Path) -> str:
    """The file as the loader hands it over: BOM, CRLF and tabs still in it."""
    return path.read_bytes().decode("utf-8")


def load(text: str) -> Thread:
    return forumtext.parse(text, "thread.txt").build()


def paragraphs(body: str) -> int:
    return len([part for part in body.split("\n\n") if part.strip()])


def rows(thread: Thread) -> list[Row]:
    """Each post as (id, parent, author, badge, icons, title, paragraph count), in reading order."""
    return [(p.id, p.parent, p.author, p.badge, p.icons, p.title, paragraphs(p.body)) for p in thread.posts]


# The seed thread ---------------------------------------------------------------

SEED_ROWS: list[Row] = [
    ("1", None, "Optymystic", None, (), "Smart Move", 1),
    ("1.1", "1", "Dave 3", None, (), "running costs", 1),
    ("1.2", "1", "Graham Marsden", None, ("Thumb Down",), "Smart move??", 2),
    ("2", None, "John Smith 19", "Gold", (), "Cost benefit anlysis", 4),
    ("3", None, "nichomach", None, ("Thumb Down",), "Surprise sur-friggin'-prise...", 2),
    ("4", None, "The Original Ash", None, ("Thumb Down",), "Fire him.", 2),
    ("4.1", "4", "I ain't Spartacus", "Gold", (), "It won't affect your pay", 2),
    ("4.1.1", "4.1", "Time for a career change", None, ("Thumb Up",), "Will it/Won't it go?", 3),
    ("4.2", "4", "Josh 15", None, (), "We'll see more of this kind of thing...", 1),
    ("5", None, "Hieronymus Coward", None, (), "Well that didn't take long...", 1),
    ("6", None, "Anonymous Coward", None, ("Big Brother",), "so, that's what the other hand was doing", 1),
    ("7", None, "iMlite", None, (), "Wheels within wheels", 3),
    ("8", None, "Anonymous Coward", None, ("Anonymous Coward",), "I've said this before....", 1),
    ("9", None, "Phil A", None, (), "Yes Minister anyone?", 1),
    ("10", None, "Anonymous Coward", None, ("Thumb Down",), "meet the new boss..", 2),
    ("11", None, "Melkisadek", None, (), "", 9),
    ("11.1", "11", "John Smith 19", "Gold", ("Thumb Down",), "", 6),
]


@pytest.fixture(scope="module")
def seed_bytes() -> bytes:
    return shared_file("seeds", "register-contactpoint.txt").read_bytes()


@pytest.fixture(scope="module")
def seed(seed_bytes: bytes) -> Thread:
    return load(seed_bytes.decode("utf-8"))


def test_seed_header(seed_bytes: bytes) -> None:
    source = forumtext.parse(seed_bytes.decode("utf-8"), "seed.txt")
    assert source.title == "Government delays ContactPoint closure"
    assert source.summary.startswith("The Department for Education (DfE) has said it will temporarily maintain")
    assert source.summary.endswith("will remain in use but that its operations \u2026")
    assert "\n" not in source.summary
    assert source.closed is True
    assert source.in_reading_order is True
    assert source.source_format == forumtext.NAME == "forum-text"


def test_seed_every_post(seed: Thread) -> None:
    assert rows(seed) == SEED_ROWS
    assert seed.warnings == []
    assert max(seed.depth) == 2
    assert all(post.up is None and post.down is None and not post.deleted for post in seed.posts)


def test_seed_bodies_are_dedented_paragraphs(seed: Thread) -> None:
    posts = {post.id: post for post in seed.posts}
    assert (
        posts["1.1"].body
        == "Wikipedia lists the runnings costs as \u00a341 million pa. Why keep throwing good money, after bad?"
    )
    assert posts["5"].body == "... how long until temporary becomes permanent?"
    assert posts["10"].body == "Uh huh.\n\nThey haven't actually got rid of id cards yet, either..."
    # The footer after the last post ("This topic is closed ...") belongs to no post.
    assert posts["11.1"].body.endswith("use the full range of their powers stop children dying.")
    assert all(not line.startswith(" ") for post in seed.posts for line in post.body.split("\n"))


def test_seed_matches_shared_expectations(seed: Thread) -> None:
    expected = json.loads(shared_file("checks", "seed.expected.json").read_text(encoding="utf-8"))
    assert len(seed.posts) == expected["posts"]
    assert sum(1 for post in seed.posts if post.parent is None) == expected["roots"]
    assert max(seed.depth) == expected["max_depth"]
    assert seed.title == expected["title"] and seed.closed == expected["closed"]
    posts = {post.id: post for post in seed.posts}
    for post_id, want in expected["by_id"].items():
        post = posts[post_id]
        for key, value in want.items():
            if key == "paragraphs":
                assert paragraphs(post.body) == value, post_id
            elif key == "icons":
                assert list(post.icons) == value, post_id
            else:
                assert getattr(post, key) == value, (post_id, key)


def _tabbed(data: bytes) -> bytes:
    """Each line's leading spaces as tabs (8 columns each) plus the remaining spaces."""
    out = []
    for line in data.split(b"\n"):
        body = line.lstrip(b" ")
        indent = len(line) - len(body)
        out.append(b"\t" * (indent // 8) + b" " * (indent % 8) + body)
    return b"\n".join(out)


@pytest.mark.parametrize(
    "transform",
    [
        pytest.param(lambda data: data.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda data: b"\xef\xbb\xbf" + data, id="bom"),
        pytest.param(lambda data: b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"), id="bom-crlf"),
        pytest.param(_tabbed, id="tabs"),
        pytest.param(lambda data: data.replace(b"\n", b"  \n"), id="trailing-spaces"),
        pytest.param(
            lambda data: data.replace(b"\n  5. ", b"\nPage: 1 2 3\n  5. ").replace(b"\n\n", b"\n\nPage: 1\n", 1),
            id="pages",
        ),
    ],
)
def test_seed_variants_read_the_same(seed_bytes: bytes, seed: Thread, transform: Callable[[bytes], bytes]) -> None:
    data = transform(seed_bytes)
    assert data != seed_bytes
    thread = load(data.decode("utf-8"))
    assert thread.posts == seed.posts
    assert (thread.title, thread.summary, thread.closed) == (seed.title, seed.summary, seed.closed)
    assert thread.warnings == []


def test_seed_streams_in_reading_order(seed_bytes: bytes) -> None:
    source = forumtext.parse(seed_bytes.decode("utf-8"), "seed.txt")
    posts = source.posts
    assert inspect.isgenerator(posts)
    thread = Thread()
    thread.extend(source.posts)  # raises if a post is out of reading order
    assert [post.id for post in thread.posts] == [row[0] for row in SEED_ROWS]


# The bundled sample -----------------------------------------------------------


def test_sample_thread_structure() -> None:
    source = forumtext.parse(read(SAMPLE), str(SAMPLE))
    assert source.title == "Ten years on, the office laptop that refuses to die"
    assert source.summary.startswith("A reader's office laptop from 2014")
    assert source.closed is False
    thread = source.build()
    posts = thread.posts
    assert len(posts) == 40
    assert sum(1 for post in posts if post.parent is None) == 11
    assert max(thread.depth) >= 4
    assert thread.warnings == []
    assert {post.badge for post in posts} == {None, "Gold", "Silver", "Bronze"}
    icons = {icon for post in posts for icon in post.icons}
    assert {"Thumb Up", "Thumb Down", "Anonymous Coward"} <= icons and len(icons) >= 6
    assert sum(post.up is not None for post in posts) >= 3
    assert [post.id for post in posts if post.deleted] == ["3.2"]
    assert any(post.title == "" and post.body and not post.deleted for post in posts)
    assert sum(post.title.startswith("Re: ") for post in posts) >= 2
    by_id = {post.id: post for post in posts}
    listing = by_id["2"].body.split("\n\n")[1].split("\n")
    assert [line[:3] for line in listing] == ["1. ", "2. ", "3. "]
    assert [post.id for post in posts if post.parent == "2"] == ["2.1", "2.2", "2.3"]
    assert all("Browse more" not in post.body and "Page:" not in post.body for post in posts)
    # What sits in the sample file, read independently of the parser.
    text = read(SAMPLE)
    assert len(re.findall(r"^ *\d+\. ", text, re.MULTILINE)) == 40 + 3  # the posts and the three list items


# The variants -----------------------------------------------------------------


def test_variant_badges_icons_and_two_digit_numbers() -> None:
    thread = load(read(VARIANTS / "badges_icons.txt"))
    got = {row[0]: row for row in rows(thread)}
    assert len(thread.posts) == 14
    assert got["1"] == ("1", None, "Hazel Nutt", "Silver", ("Thumb Up", "Pint"), "Nine years", 1)
    assert got["2"][2:4] == ("Gus Tofwind", "Bronze")
    assert got["2.1"] == ("2.1", "2", "", "Silver", ("Headdesk",), "Too true", 1)
    assert got["10"] == ("10", None, "Anonymous Coward", None, ("Anonymous Coward", "Coat"), "Cushions", 1)
    assert got["10.1"][:4] == ("10.1", "10", "Bea Minor", "Gold")
    assert [row[0] for row in rows(thread) if row[1] is None] == [str(n) for n in range(1, 13)]


def test_variant_numbered_list_in_body_is_not_a_reply() -> None:
    thread = load(read(VARIANTS / "numbered_list.txt"))
    assert [(p.id, p.parent, p.author) for p in thread.posts] == [
        ("1", None, "Tess Tickle"),
        ("1.1", "1", "Rob Otto"),
        ("1.1.1", "1.1", "Tess Tickle"),
        ("2", None, "Anne Droid"),
        ("2.1", "2", "Marty Graw"),
    ]
    first, second = thread.posts[0], thread.posts[3]
    assert first.body.split("\n\n") == [
        "This worked for me:",
        "1. Download the desktop app.\n"
        "2. Plug the phone in with a data cable, not a charging-only one.\n"
        "3. Copy the whole camera folder somewhere safe.",
        "Then check that a few files open before you wipe anything.",
    ]
    assert second.body.split("\n\n")[1:] == [
        "1. Turn off automatic deletion in the cloud app first.",
        "2. Keep the old phone until you have checked the copy.\n   That second point matters more than the first.",
    ]


def test_variant_vote_counts_and_deleted_posts_in_numbered_layout() -> None:
    thread = load(read(VARIANTS / "votes.txt"))
    got = [(p.id, p.parent, p.author, p.title, p.up, p.down, p.deleted) for p in thread.posts]
    assert got == [
        ("1", None, "Ink Blot", "Refill kits", 17, 2, False),
        ("1.1", "1", "Paige Turner", "Re: Refill kits", 4, 0, False),
        ("1.1.1", "1.1", "", "", None, None, True),
        ("1.1.2", "1.1", "Ink Blot", "Re: Re: Refill kits", 0, 9, False),
        ("2", None, "Cal Culator", "The number", None, None, False),
        ("3", None, "Anonymous Coward", "", None, None, True),
        ("4", None, "Paige Turner", "Laser", 8, 1, False),
    ]
    by_id = {post.id: post for post in thread.posts}
    assert by_id["1"].body == "The refill kit paid for itself on the second go."
    assert by_id["1.1.1"].body == by_id["3"].body == ""
    # A lone number inside a body is text, not a vote count.
    assert by_id["2"].body.split("\n\n") == [
        "I worked out what I pay per page. The answer was",
        "42",
        "and that was pence, not pennies.",
    ]


def test_variant_flat_layout_rebuilds_replies_from_titles() -> None:
    source = forumtext.parse(read(VARIANTS / "flat.txt"), "flat.txt")
    assert source.in_reading_order is False
    assert source.title == "Councils told to keep paper copies of the bin rota"
    assert source.summary.startswith("Councils have been asked")
    assert source.closed is True
    in_file_order = list(source.posts)
    assert [(p.id, p.parent, p.author, p.badge, p.title, p.up, p.down, p.deleted) for p in in_file_order] == [
        ("1", None, "Penny Farthing", None, "Paper never crashes", 14, 2, False),
        ("2", "1", "", "Silver", "Re: Paper never crashes", 5, 0, False),
        ("3", None, "", None, "", None, None, True),
        ("4", "2", "Quentin Quill", "Bronze", "Re: Re: Paper never crashes", 9, 1, False),
        ("5", None, "Anonymous Coward", None, "Spreadsheet anyone?", 3, 3, False),
        ("6", None, "Marjorie Daw", None, "", 0, 0, True),
        ("7", None, "Penny Farthing", None, "", 2, 0, False),
        ("8", "5", "Penny Farthing", None, "Re: Spreadsheet anyone?", 6, 1, False),
    ]
    assert in_file_order[0].icons == ("Thumb Up",)
    assert in_file_order[3].icons == ("Thumb Down", "Facepalm")
    assert in_file_order[3].body == "A laminator costs less than the software licence.\n\nAnd it works in a power cut."
    assert in_file_order[4].body.split("\n\n")[-2:] == ["42", "as usual."]
    assert in_file_order[6].body == "Keeping the old laptop under the desk is the real backup plan."
    thread = Thread.build(in_file_order)
    assert [post.id for post in thread.posts] == ["1", "2", "4", "3", "5", "8", "6", "7"]
    assert thread.depth[2] == 2


@pytest.mark.parametrize("name", ["crlf_bom.txt", "tabs.txt", "trailing_spaces.txt"])
def test_variant_whitespace_files(name: str) -> None:
    raw = (VARIANTS / name).read_bytes()
    if name == "crlf_bom.txt":
        assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    elif name == "tabs.txt":
        assert b"\n\t" in raw
    else:
        assert b"   \n" in raw
    thread = load(raw.decode("utf-8"))
    assert thread.title == "Lighthouse keeper's radio restored by volunteers"
    assert thread.summary == "The valve set from 1958 works again after two winters of evenings in a shed."
    assert thread.closed is True
    assert rows(thread) == [
        ("1", None, "Val Vesmith", "Gold", ("Thumb Up",), "Two winters", 1),
        ("1.1", "1", "Sol Dering", None, (), "Parts", 1),
        ("1.1.1", "1.1", "Val Vesmith", "Gold", (), "Swap meets", 1),
        ("2", None, "Anonymous Coward", None, ("Big Brother",), "", 2),
    ]
    assert thread.posts[1].body == "Where did they find replacement valves?"
    for post in thread.posts:
        assert not any(line != line.strip() for line in post.body.split("\n")), post.id


def test_variant_page_lines_are_skipped_anywhere() -> None:
    thread = load(read(VARIANTS / "pages.txt"))
    assert thread.title == "Allotment society goes paperless, briefly"
    assert thread.summary == "The plot waiting list moved to an app, then back to a clipboard."
    assert [(p.id, p.parent, p.author) for p in thread.posts] == [
        ("1", None, "Rhoda Dendron"),
        ("1.1", "1", "Chris Anthemum"),
        ("2", None, "Bud Ding"),
    ]
    assert thread.posts[0].body.split("\n\n") == [
        "Nobody has ever had to update the clipboard.",
        "Page: this is not navigation, it is the first word of a sentence.",
    ]
    assert thread.warnings == []


def test_every_variant_is_sniffed_as_forum_text() -> None:
    files = sorted(VARIANTS.glob("*.txt"))
    assert len(files) == 8
    for path in [SAMPLE, *files]:
        assert forumtext.sniff(read(path)[: 64 * 1024]), path.name


# Streaming ----------------------------------------------------------------------

Parsed = tuple[str, str, bool, bool, list[Post], list[str]]


def everything(source: ParsedSource) -> Parsed:
    """All a source gives, read to the end: header, posts in file order, then closed and warnings."""
    posts = list(source.posts)
    return (source.title, source.summary, source.closed, source.in_reading_order, posts, source.warnings)


def cut(text: str, at: list[int]) -> list[str]:
    """``text`` cut at the given offsets."""
    bounds = [0, *sorted(set(at)), len(text)]
    return [text[start:end] for start, end in itertools.pairwise(bounds) if end > start]


def line_ends(text: str) -> list[int]:
    return [match.end() for match in re.finditer("\n", text)]


def test_seed_streamed_a_line_at_a_time_reads_the_same(seed_bytes: bytes) -> None:
    text = seed_bytes.decode("utf-8")
    lines = text.splitlines(keepends=True)
    assert len(lines) > 100
    assert everything(forumtext.parse_stream(lines, "seed.txt")) == everything(forumtext.parse(text, "seed.txt"))


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_seed_streamed_in_random_pieces_reads_the_same(seed_bytes: bytes, data: st.DataObject) -> None:
    text = seed_bytes.decode("utf-8")
    ends = line_ends(text)
    at = data.draw(st.lists(st.sampled_from(ends), max_size=40))
    anywhere = data.draw(st.lists(st.integers(0, len(text)), max_size=5))  # cuts inside lines work too
    whole = everything(forumtext.parse(text, "seed.txt"))
    assert everything(forumtext.parse_stream(cut(text, at), "seed.txt")) == whole
    assert everything(forumtext.parse_stream(cut(text, at + anywhere), "seed.txt")) == whole


def test_crlf_split_between_pieces_and_a_lone_cr_at_a_piece_end() -> None:
    lines = ["back to article T", "", "  1. Ann", "", "    Title", "", "    Body", "    more", "  2. Bob", "", "    Yo"]
    text = "".join(line + "\r\n" for line in lines)
    whole = everything(forumtext.parse(text, "t.txt"))
    assert [(post.author, post.title, post.body) for post in whole[4]] == [
        ("Ann", "Title", "Body\nmore"),
        ("Bob", "Yo", ""),
    ]
    # Every piece ends with "\r", its "\n" starting the next piece.
    pieces = cut(text, [end - 1 for end in line_ends(text)])
    assert all(piece.endswith("\r") for piece in pieces[:-1])
    assert everything(forumtext.parse_stream(pieces, "t.txt")) == whole
    # Old Mac line ends (no LF anywhere), a piece a line.
    mac = text.replace("\r\n", "\r")
    mac_pieces = cut(mac, [match.end() for match in re.finditer("\r", mac)])
    assert everything(forumtext.parse_stream(mac_pieces, "t.txt")) == whole


def test_a_post_spanning_many_pieces() -> None:
    paragraphs = [f"Paragraph {n} of a very long post." for n in range(3_000)]
    body = "\n\n".join(paragraphs)
    text = (
        "back to article Long\n\n  1. Ann\n\n    Epic\n\n"
        + "".join(f"    {paragraph}\n\n" for paragraph in paragraphs)
        + "    1. a numbered list line, not a reply\n\n"
        + "    1. Bob\n\n      Short\n\n      ok\n"
    )
    ends = line_ends(text)
    pieces = cut(text, ends[::7])
    assert len(pieces) > 800
    posts = everything(forumtext.parse_stream(pieces, "t.txt"))[4]
    assert [(post.id, post.parent, post.title) for post in posts] == [("1", None, "Epic"), ("1.1", "1", "Short")]
    assert posts[0].body == body + "\n\n1. a numbered list line, not a reply"
    assert posts[1].body == "ok"


def test_streaming_reads_pieces_only_as_posts_are_asked_for() -> None:
    text = "back to article T\n\nSummary.\n\n" + "".join(
        f"  {n}. Author {n}\n\n    Title {n}\n\n    Body {n}\n" for n in range(1, 1_001)
    )
    taken: list[str] = []

    def pieces() -> Iterator[str]:
        for piece in cut(text, line_ends(text)):
            taken.append(piece)
            yield piece

    source = forumtext.parse_stream(pieces(), "t.txt")
    assert (source.title, source.summary) == ("T", "Summary.")
    # The header, the first post's line and the line after it, searched each time the text read has
    # doubled, and one piece ahead: a few of the 5,004 lines.
    assert len(taken) <= 20
    first = [next(source.posts) for _ in range(10)]
    assert [post.title for post in first] == [f"Title {n}" for n in range(1, 11)]
    assert len(taken) <= 20 + 10 * 5
    assert len(list(source.posts)) == 990
    assert len(taken) == len(text.splitlines())


def test_closed_line_at_the_end_only() -> None:
    text = "back to article T\n\n  1. Ann\n\n    Hi\n\n    Text.\n\nThis topic is closed for new posts.\n"
    assert forumtext.parse(text, "t.txt").closed is True  # the whole text: seen at once
    source = forumtext.parse_stream(cut(text, line_ends(text)), "t.txt")
    assert source.closed is False  # not read that far yet
    assert [post.body for post in source.posts] == ["Text."]
    assert source.closed is True  # set when the posts run out, before build() reads it
    assert forumtext.parse_stream(cut(text, line_ends(text)), "t.txt").build().closed is True
    padded = text + "\n\n\n"  # blank lines after it, each a piece of its own
    assert forumtext.parse_stream(cut(padded, line_ends(padded)), "t.txt").build().closed is True
    # Inside a post, the sentence is body text.
    inside = text.replace("\nThis topic", "\n    This topic")
    assert forumtext.parse_stream(cut(inside, line_ends(inside)), "t.txt").build().closed is False


def test_stray_line_numbers_and_errors_are_the_same_when_streamed() -> None:
    text = (
        "back to article T\n\n  1. Ann\n\n    Hi\n\n    Text.\n\nNavigation\nMore\n"
        + "  2. Bob\n\n    Yo\n\n    More.\n\nNavigation\n  3. Cy\n\n    Hey\n\n    Last.\n"
    )
    for pieces in ([text], cut(text, line_ends(text)), cut(text, line_ends(text)[::3])):
        source = forumtext.parse_stream(pieces, "t.txt")
        assert len(list(source.posts)) == 3
        assert source.warnings == [
            "2 lines from line 9: text outside any post, between posts, was skipped",
            "line 17: text outside any post, between posts, was skipped",
        ]
    notes = "\n\nJust some notes.\nNothing numbered here.\n"
    with pytest.raises(ParseError) as caught:
        forumtext.parse_stream(cut(notes, line_ends(notes)), "notes.txt")
    assert caught.value.line == 3


def test_long_header_before_the_first_post() -> None:
    summary = [f"Summary line {n}." for n in range(5_000)]
    text = "back to article T\n\n" + "\n".join(summary) + "\n\n  1. Ann\n\n    Hi\n\n    Text.\n"
    source = forumtext.parse_stream(cut(text, line_ends(text)), "t.txt")
    assert source.summary == "\n".join(summary)
    assert [post.author for post in source.posts] == ["Ann"]


def test_page_line_between_paragraphs_leaves_one_blank_line() -> None:
    text = (
        "  1. Ann\n\n    Hi\n\n    First.\n\nPage: 2\n\n    Second.\n"
        + "  2. Bob\n\n    Yo\n\n    A.\n\nPage: 3\n\n    B.\n"
    )
    assert [post.body for post in load(text).posts] == ["First.\n\nSecond.", "A.\n\nB."]
    flat = "Ann\n\nHi\n\nFirst.\n\nPage: 2\n\nSecond.\n\n3\n1\n"
    assert load(flat).posts[0].body == "First.\n\nSecond."


def test_repeated_authors_badges_and_icons_share_one_object() -> None:
    text = "".join(f"  {n}. Ann Gold badge\n    Thumb Up\n\n    T\n\n    B\n" for n in range(1, 4))
    posts = load(text).posts
    assert [(post.author, post.badge, post.icons) for post in posts] == [("Ann", "Gold", ("Thumb Up",))] * 3
    assert posts[0].author is posts[2].author and posts[0].icons is posts[2].icons


# Lines that once took quadratic time ------------------------------------------


def test_spaces_before_the_badge_word() -> None:
    spaces = " " * 50_000
    text = f"  1. Ann{spaces}Gold badge\n\n    T\n\n    B\n  2. a{spaces}b badge\n\n    T\n\n    B\n"
    posts = load(text).posts
    assert (posts[0].author, posts[0].badge) == ("Ann", "Gold")
    assert (posts[1].author, posts[1].badge) == (f"a{spaces}b badge", None)


def test_a_long_run_of_spaces_inside_a_line_is_kept() -> None:
    spaces = " " * 50_000
    assert load(f"  1. Ann\n\n    T\n\n    x{spaces}y   \n").posts[0].body == f"x{spaces}y"


def test_flat_titles_of_many_re_prefixes() -> None:
    many = "Re: " * 50_000
    text = (
        "alice\n\nFirst\n\nhello\n\n3\n1\n"
        "bob\n\nRE:re: first\n\nreply\n\n2\n0\n"  # any case and spacing of the prefixes
        f"cy\n\n{many}First\n\nreply\n\n2\n0\n"
        f"dee\n\n{many}Other\n\nreply\n\n2\n0\n"
    )
    posts = list(forumtext.parse(text, "flat.txt").posts)
    # Each quotes the latest post with the fewest prefixes taken off: bob skips the missing "Re: First".
    assert [(post.id, post.parent) for post in posts] == [("1", None), ("2", "1"), ("3", "2"), ("4", None)]


def test_a_run_of_deleted_notes_in_the_flat_layout() -> None:
    notes = (forumtext.DELETED_NOTE + "\n") * 20_000
    text = f"alice\n\nFirst\n\nhello\n\n3\n1\n{notes}bob\n\nRe: First\n\nreply\n\n2\n0\n"
    posts = list(forumtext.parse(text, "flat.txt").posts)
    assert len(posts) == 20_002
    assert all(post.deleted for post in posts[1:-1])
    assert (posts[-1].author, posts[-1].parent, posts[-1].up) == ("bob", "1", 2)


# Structure rules and edge cases ----------------------------------------------


def _deep(depth: int) -> str:
    lines = ["back to article Deep", ""]
    lines += [f"{'  ' * (level + 1)}1. user{level}" for level in range(depth)]
    pad = "  " * (depth + 1)
    lines += ["", f"{pad}Bottom", "", f"{pad}the bottom"]
    return "\n".join(lines) + "\n"


def test_ten_thousand_deep_thread_without_recursion() -> None:
    thread = load(_deep(10_000))
    assert len(thread.posts) == 10_000
    assert max(thread.depth) == 9_999
    assert thread.posts[-1].parent == thread.posts[-2].id
    assert thread.posts[-1].id.count(".") == 9_999
    assert (thread.posts[-1].title, thread.posts[-1].body) == ("Bottom", "the bottom")


def test_reply_deeper_than_one_level_is_body_text() -> None:
    text = "  1. Ann\n\n    Hi\n\n    Text.\n\n        1. Not a reply\n\n          Deeper text.\n"
    thread = load(text)
    assert [post.id for post in thread.posts] == ["1"]
    assert thread.posts[0].body == "Text.\n\n    1. Not a reply\n\n      Deeper text."


def test_repeated_numbers_get_distinct_ids() -> None:
    text = "  1. Ann\n\n    A\n\n  1. Bob\n\n    B\n\n    1. Cy\n\n      C\n\n  1. Dee\n\n    D\n"
    thread = load(text)
    # The model renames a repeated id; the reply to the second "1." hangs from it.
    assert [(p.id, p.parent) for p in thread.posts] == [("1", None), ("1~2", None), ("1.1", "1~2"), ("1~3", None)]
    assert len(thread.warnings) == 2 and all("appears twice" in warning for warning in thread.warnings)


def test_text_between_posts_is_skipped_with_a_warning_but_the_footer_is_not_warned_about() -> None:
    text = "  1. Ann\n\n    Hi\n\n    Text.\n\nNavigation\nMore navigation\n  2. Bob\n\n    Yo\n\n    More.\n\nFooter\n"
    source = forumtext.parse(text, "t.txt")
    first = next(source.posts)
    assert first.body == "Text." and source.warnings == []  # nothing after the first post was read yet
    rest = list(source.posts)
    assert [post.body for post in rest] == ["More."]
    assert source.warnings == ["2 lines from line 7: text outside any post, between posts, was skipped"]


def test_text_without_posts_is_a_parse_error_with_a_line_number() -> None:
    with pytest.raises(ParseError) as caught:
        forumtext.parse("\n\nJust some notes.\nNothing numbered here.\n", "notes.txt")
    assert caught.value.line == 3
    assert caught.value.path == "notes.txt"
    assert "no forum posts" in caught.value.message


def test_header_only_and_empty_text_have_no_posts() -> None:
    source = forumtext.parse("back to article Quiet news day\n\nNobody commented.\n", "t.txt")
    assert (source.title, source.summary, list(source.posts)) == ("Quiet news day", "Nobody commented.", [])
    assert list(forumtext.parse("\ufeff \n", "t.txt").posts) == []


def test_file_starting_with_a_post_and_old_mac_line_ends() -> None:
    thread = load("1. Ann\r  Hello\r\r\r  Body line\r")
    assert rows(thread) == [("1", None, "Ann", None, ("Hello",), "", 1)]
    assert thread.title == "" and thread.summary == ""


@pytest.mark.parametrize(
    "text",
    [
        "  1. Ann\n    hello\n\n  2. Bob\n\n    Title\n\n    Body.\n",
        "  1. Ann\n    hello\n    A second body line.\n",
        "  1. Ann\n    hello",
    ],
    ids=["before-next-post", "two-lines", "at-end-of-file"],
)
def test_lines_right_under_the_author_with_no_blank_line_after_are_the_body(text: str) -> None:
    """Icons are the lines between the author and a blank line; with no blank line they are what the post says."""
    ann = load(text).posts[0]
    lines = [line.strip() for line in text.split("\n\n")[0].rstrip("\n").split("\n")[1:]]
    assert (ann.author, ann.icons, ann.title, ann.body) == ("Ann", (), "", "\n".join(lines))


def test_flat_layout_lines_under_the_author_with_no_blank_line_after_are_the_body() -> None:
    text = (
        "back to article T\n\nSummary.\n\nPenny\nThumb Up\n\nFirst\n\nBody one.\n\n4\n1\n"
        "Quentin\nhello, no blank line\n\n3\n1\nAnn\n\nLast\n\nWords.\n"
    )
    posts = load(text).posts
    assert [(p.author, p.icons, p.body) for p in posts] == [
        ("Penny", ("Thumb Up",), "Body one."),
        ("Quentin", (), "hello, no blank line"),
        ("Ann", (), "Words."),
    ]


def test_an_icon_line_of_only_wide_spaces_is_no_icon() -> None:
    ann = load("  1. Ann\n    Thumb Up\n    \u3000\n\n    Title\n\n    Body.\n").posts[0]
    assert (ann.icons, ann.title, ann.body) == (("Thumb Up",), "Title", "Body.")


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('{"posts": []}', False),
        ("  [1, 2]", False),
        ("<html><body>", False),
        # Mail is the mail format's to claim (it is tried first); the fallback knows nothing of it.
        ("Return-Path: <a@example.org>\nReceived: from x\n\nbody", True),
        ("", False),
        ("\ufeff\n  \n", False),
        ("back to article Something\n\nSummary.\n", True),
        ("Page: 1 2\nback to article Something\n", True),
        ("  1. Ann\n\n    Title\n", True),
        ("Any other plain text at all", True),
    ],
)
def test_sniff(head: str, expected: bool) -> None:
    assert forumtext.sniff(head) is expected


# Hostile input ----------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "\n",
        "\n\n",
        "  ",
        "    ",
        "\t",
        "\r\n",
        "1. ",
        "12. ",
        "0.",
        "Ann",
        " Gold badge",
        "Silver badge",
        "Thumb Up",
        "Re: ",
        "title",
        "7\n3\n",
        forumtext.DELETED_NOTE,
        forumtext.CLOSED_LINE,
        "back to article ",
        "Page: 1 2",
        "\ufeff",
        "\x1b[31m",
        "\u202e",
        " ",
    ]
)


def _check(text: str) -> None:
    try:
        source = forumtext.parse(text, "fuzz.txt")
    except ParseError as error:
        assert error.line is not None and error.line >= 1
        return
    assert isinstance(source, ParsedSource)
    posts = list(source.posts)
    ids = [post.id for post in posts]
    assert len(set(ids)) == len(ids)
    seen: set[str] = set()
    for post in posts:
        assert "" not in post.icons, post
        assert post.parent is None or post.parent in seen
        seen.add(post.id)
    if source.in_reading_order:
        Thread().extend(posts)
    Thread.build(posts)


@given(st.text())
def test_arbitrary_text_raises_only_parse_error(text: str) -> None:
    _check(text)


@given(st.lists(_PIECES, max_size=60).map("".join))
def test_forum_like_noise_raises_only_parse_error(text: str) -> None:
    _check(text)
