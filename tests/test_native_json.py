"""The native JSON format: round trips, sniffing, every kind of error with its line, and load speed."""

from __future__ import annotations

import json
import random
import re

import pytest
from helpers import REPO, assert_same, draw_post, shared_file
from hypothesis import given, settings
from hypothesis import strategies as st

from tuireader.body import CODE, EMPHASIS, ITEM, PARAGRAPH, QUOTE, STRONG, Block, Span, plain_text
from tuireader.errors import ParseError
from tuireader.export import to_json
from tuireader.formats import native_json
from tuireader.model import POST_FIELDS, Post, Thread


def full_thread() -> Thread:
    """A thread that uses every field, with unicode, empty titles, a deleted post, votes, icons and notes."""
    posts = [
        Post(
            "1",
            None,
            "Zoë Ångström",
            "Gold",
            ("Thumb Up",),
            "Première",
            "Ligne un.\nLigne deux.\n\n日本語の段落。",
            "2024-05-02T09:15:00Z",
            12,
            1,
            None,
        ),
        Post("1.1", "1", "Tobias R", None, ("Thumb Down", "Big Brother"), "", "Only a body 🦆", None, 0, 4, None),
        Post("1.1.1", "1.1", "[deleted]", None, (), "", "", None, None, None, None, deleted=True),
        Post(
            "1.2", "1", "Ruth", "Silver", (), "Score only", "x", "2024-05-03", None, None, -3, note="hand-written note"
        ),
        Post("2", "nowhere", "Anon", None, (), "Orphan", "tab\there and ESC \x1b[31m", None, None, None, 7),
    ]
    return Thread.build(
        posts, title="Bänke & Enten", url="https://forum.example.org/t/1", summary="Sum.\n\nMore.", closed=True
    )


def reload(text: str) -> Thread:
    return native_json.parse(text, "t.json").build()


# Round trips ----------------------------------------------------------------


def test_round_trip_keeps_every_field() -> None:
    thread = full_thread()
    exported = to_json(thread)
    again = reload(exported)
    assert_same(thread, again)
    assert again.warnings == []  # the orphan's repair travels in its note, not as a new warning
    assert again.posts[4].note is not None and "nowhere" in again.posts[4].note
    assert again.posts[2].deleted and again.posts[1].icons == ("Thumb Down", "Big Brother")
    assert again.source_format == "json"
    assert to_json(again) == exported


def test_export_is_in_reading_order_so_the_loader_need_not_sort() -> None:
    source = native_json.parse(to_json(full_thread()), "t.json")
    assert source.in_reading_order
    thread = Thread()
    thread.extend(source.posts)  # raises if a post is out of reading order
    assert [post.id for post in thread.posts] == [post.id for post in full_thread().posts]


def hostile_text() -> st.SearchStrategy[str]:
    # Control characters, bidi overrides, zero-width characters, CR/LF and the odd astral character.
    alphabet = st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["\x00", "\x1b", "\x07", "\x9b", "\r", "\n", "\t", "\u202e", "\u200b", "\ufeff", "\u2028"]),
    )
    return st.text(alphabet, max_size=20)


@st.composite
def threads(draw: st.DrawFn) -> Thread:
    # Fields come from a small pool of drawn strings: drawing each one afresh makes generation the slow part.
    text = st.sampled_from(draw(st.lists(hostile_text(), min_size=1, max_size=6)))
    optional_text = st.one_of(st.none(), text)
    count = draw(st.integers(0, 15))
    ids = [f"p{n}" for n in range(count)]
    posts = []
    for n in range(count):
        parent = draw(st.one_of(st.none(), st.sampled_from(ids[:n]) if n else st.none(), text))
        posts.append(draw_post(draw, draw(st.one_of(st.just(ids[n]), text)), parent, text))
    draw(st.randoms()).shuffle(posts)
    return Thread.build(
        posts, title=draw(text), url=draw(optional_text), summary=draw(text), closed=draw(st.booleans())
    )


@settings(max_examples=60)
@given(threads())
def test_round_trip_of_generated_threads(thread: Thread) -> None:
    exported = to_json(thread)
    again = reload(exported)
    assert_same(thread, again)
    assert to_json(again) == exported


# Reading order, ids and defaults --------------------------------------------------


def doc(*posts: dict[str, object], **header: object) -> str:
    return json.dumps({**header, "posts": list(posts)})


def test_in_reading_order_is_honest() -> None:
    ordered = doc(
        {"id": "a", "author": "x"},
        {"id": "b", "parent": "a", "author": "x"},
        {"id": "c", "parent": "a", "author": "x"},
        {"id": "d", "author": "x"},
    )
    assert native_json.parse(ordered, "t").in_reading_order
    not_ordered = [
        doc({"id": "b", "parent": "a", "author": "x"}, {"id": "a", "author": "x"}),  # reply before its parent
        doc({"id": "a", "author": "x"}, {"id": "b", "author": "x"}, {"id": "c", "parent": "a", "author": "x"}),
        doc({"id": "a", "author": "x"}, {"id": "a", "author": "y"}),  # duplicate id
        doc({"id": "a", "parent": "gone", "author": "x"}),  # unknown parent
        doc({"id": "a", "parent": "a", "author": "x"}),  # replies to itself
        doc({"id": "a\x1b", "author": "x"}, {"id": "b", "parent": "a\x1b", "author": "x"}),  # id the model rewrites
    ]
    for text in not_ordered:
        source = native_json.parse(text, "t")
        assert not source.in_reading_order, text
        thread = source.build()
        assert all(thread.parent_index[i] < i for i in range(len(thread)))


def test_out_of_order_file_loads_sorted() -> None:
    thread = full_thread()
    document = json.loads(to_json(thread))
    random.Random(3).shuffle(document["posts"])
    source = native_json.parse(json.dumps(document), "t.json")
    assert not source.in_reading_order
    again = source.build()
    # Siblings keep the file's order, so only the set of posts (with their parents) must match.
    assert sorted(again.posts, key=lambda post: post.id) == sorted(thread.posts, key=lambda post: post.id)
    assert all(again.parent_index[i] < i for i in range(len(again)))


def test_minimal_file_gets_defaults_and_integer_ids_become_strings() -> None:
    source = native_json.parse('{"posts": [{"id": 7, "author": "me"}, {"id": 8, "parent": 7, "author": "you"}]}', "t")
    assert (source.title, source.url, source.summary, source.closed, source.warnings) == ("", None, "", False, [])
    posts = list(source.posts)
    assert posts[0] == Post("7", None, "me")
    assert posts[1].parent == "7" and posts[1].id == "8"


def test_context_and_unknown_keys_are_ignored() -> None:
    posts = list(
        native_json.parse(doc({"id": "1", "author": "a", "context": True, "future": [1]}, extra={}), "t").posts
    )
    assert posts == [Post("1", None, "a")]


def test_newer_version_loads_with_a_warning() -> None:
    source = native_json.parse(doc({"id": "1", "author": "a"}, format="tuireader-thread", version=3), "t")
    assert len(list(source.posts)) == 1
    assert source.warnings and "version 3" in source.warnings[0]


def test_byte_order_mark_is_accepted() -> None:
    assert list(native_json.parse("\ufeff" + doc({"id": "1", "author": "a"}), "t").posts) == [Post("1", None, "a")]


def test_the_example_in_the_format_docs_loads() -> None:
    text = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
    example = re.search(r"```json\n(.*?)```", text, re.DOTALL)
    assert example is not None
    assert native_json.sniff(example.group(1))
    thread = native_json.parse(example.group(1), "format.md").build()
    assert [post.id for post in thread.posts] == ["1", "2", "3"] and thread.depth == [0, 1, 0]
    assert native_json.parse('{"posts": [{"id": "1", "author": "me"}]}', "t").build().posts[0].author == "me"


def test_post_keys_match_the_model() -> None:
    assert native_json.POST_KEYS == POST_FIELDS


# Sniffing -------------------------------------------------------------------


def test_sniff_accepts_ours_with_or_without_marker_even_truncated() -> None:
    exported = to_json(full_thread())
    assert native_json.sniff(exported)
    assert native_json.sniff(exported[:60])  # the marker comes first
    assert native_json.sniff('  {"posts": []}')
    assert native_json.sniff('{"title": "t", "posts": [{"author": "a", "id": 1}, {"truncated')
    assert native_json.sniff('\ufeff{"format": "tuireader-thread"}')


@pytest.mark.parametrize(
    "head",
    [
        "",
        "not json at all",
        "[1, 2, 3]",
        '{"format": "something-else", "posts": []}',
        '{"posts": [{"no": 1, "com": "an imageboard post"}]}',  # posts, but not our posts
        '{"posts": [{"id": 1, "body": "no author"}]}',
        '{"posts": "a string"}',
        '{"post_stream": {"posts": [{"id": 1, "author": "x"}]}}',  # our keys only count at the top level
        '{"title": "a long value cut off by the head',
        '{"title": "x" "posts": []}',
    ],
)
def test_sniff_rejects_other_text(head: str) -> None:
    assert not native_json.sniff(head)


def test_sniff_rejects_the_other_formats_real_files() -> None:
    fixtures = sorted(shared_file("fixtures").glob("*/*.json"))
    assert fixtures, "../shared/fixtures holds no JSON file"
    for path in [*fixtures, shared_file("seeds", "register-contactpoint.txt")]:
        assert not native_json.sniff(path.read_text(encoding="utf-8")[:65536]), path.name


# Errors ---------------------------------------------------------------------

VALID = """{
  "title": "t",
  "posts": [
    {"id": "1", "author": "a"},
    {"id": "2", "parent": "1", "author": "b", "up": 1, "icons": ["x"]}
  ]
}
"""


def error_of(text: str) -> ParseError:
    with pytest.raises(ParseError) as caught:
        native_json.parse(text, "thread.json")
    assert caught.value.path == "thread.json"
    return caught.value


@pytest.mark.parametrize(
    ("old", "new", "message", "line"),
    [
        ('"up": 1', '"up": "x"', 'posts[1].up: expected an integer or null, got "x"', 5),
        ('"up": 1', '"up": true', "posts[1].up: expected an integer or null, got true", 5),
        ('"up": 1', '"up": 1.5', "posts[1].up: expected an integer or null, got 1.5", 5),
        ('"id": "1"', '"id": 1.0', "posts[0].id: expected a string or an integer, got 1.0", 4),
        ('"id": "1"', '"id": null', "posts[0].id: expected a string or an integer, got null", 4),
        ('"id": "1", ', "", 'posts[0]: missing "id"', 4),
        (', "author": "b"', "", 'posts[1]: missing "author"', 5),
        ('"author": "a"', '"author": ["a"]', "posts[0].author: expected a string, got a list", 4),
        ('"icons": ["x"]', '"icons": "x"', 'posts[1].icons: expected a list of strings, got "x"', 5),
        ('"icons": ["x"]', '"icons": ["x", 3]', "posts[1].icons[1]: expected a string, got 3", 5),
        ('"parent": "1"', '"parent": {}', "posts[1].parent: expected a string, an integer or null, got an object", 5),
        ('"up": 1', '"deleted": 0', "posts[1].deleted: expected true or false, got 0", 5),
        ('"up": 1', '"note": 5', "posts[1].note: expected a string or null, got 5", 5),
        ('{"id": "1", "author": "a"}', '"a post"', 'posts[0]: expected an object (a post), got "a post"', 4),
        ('"title": "t"', '"title": null', "title: expected a string, got null", 2),
        ('"title": "t"', '"closed": "yes"', 'closed: expected true or false, got "yes"', 2),
        ('"title": "t"', '"url": 3', "url: expected a string or null, got 3", 2),
        ('"title": "t"', '"format": "other"', 'format: expected "tuireader-thread", got "other"', 2),
        ('"title": "t"', '"version": "1"', 'version: expected an integer, got "1"', 2),
    ],
)
def test_wrong_types_name_the_json_path_and_line(old: str, new: str, message: str, line: int) -> None:
    assert old in VALID
    error = error_of(VALID.replace(old, new))
    assert error.message == message
    assert error.line == line


def test_the_later_of_two_repeated_keys_is_blamed() -> None:
    error = error_of('{"posts": [\n{"id": "1", "author": "a", "up": 1,\n"up": "late"}\n]}')
    assert (error.message, error.line) == ('posts[0].up: expected an integer or null, got "late"', 3)


def test_long_bad_values_are_shortened_and_inert() -> None:
    error = error_of(doc({"id": "1", "author": "a", "time": 5, "up": "\x1b[2J" + "x" * 100}))
    assert error.message.startswith("posts[0].time: expected a string or null, got 5")
    error = error_of(doc({"id": "1", "author": "a", "up": "\x1b[2J" + "x" * 100}))
    assert "\x1b" not in error.describe() and error.message.endswith("...") and len(error.message) < 100


def test_invalid_json_reports_the_decoder_line() -> None:
    error = error_of('{\n  "posts": [\n    {"id": "1" "author": "a"}\n  ]\n}\n')
    assert error.message.startswith("invalid JSON: Expecting ',' delimiter")
    assert error.line == 3


def test_truncated_json_is_an_error_at_its_end() -> None:
    text = to_json(full_thread())
    cut = text[: len(text) // 2]
    error = error_of(cut)
    assert error.message.startswith("invalid JSON:")
    assert error.line == cut.count("\n") + 1


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("[1, 2]", 'expected a JSON object with a "posts" list, got a list', 1),
        ('{"title": "no posts"}', 'missing "posts" (the list of posts)', 1),
        ('{\n"posts": {"1": {}}}', "posts: expected a list of posts, got an object", 2),
        ("[" * 100_000, "invalid JSON: nested too deeply", None),
        (
            '{"posts": [{"id": "1", "author": "a", "up": 1' + "0" * 5000 + "}]}",
            "invalid JSON: a number too long to read",
            None,
        ),
    ],
)
def test_wrong_shapes(text: str, message: str, line: int | None) -> None:
    error = error_of(text)
    assert (error.message, error.line) == (message, line)


def test_version_2_keeps_the_body_structure_and_version_1_files_still_load() -> None:
    blocks = (
        Block(QUOTE, (Span("Is it sunny?"),), level=2),
        Block(PARAGRAPH, (Span("Yes, see "), Span("the photo", EMPHASIS | STRONG, "https://example.org/p.jpg"))),
        Block(ITEM, (Span("one", CODE),), level=1, marker="1."),
    )
    thread = Thread.build([Post("1", None, "ann", body=plain_text(blocks), blocks=blocks), Post("2", "1", "bob")])
    again = native_json.parse(to_json(thread), "t").build()
    assert again.posts == thread.posts
    assert again.posts[0].blocks == blocks and again.posts[1].blocks is None
    version_1 = doc({"id": "1", "author": "a", "body": "plain"}, format="tuireader-thread", version=1)
    (post,) = native_json.parse(version_1, "t").posts
    assert post.blocks is None and post.body == "plain"


@pytest.mark.parametrize(
    ("blocks", "message"),
    [
        ("x", "posts[0].blocks: expected a list of blocks or null"),
        ([{"kind": "poem"}], "posts[0].blocks[0].kind: expected one of attachment, code"),
        ([{"kind": "quote", "level": "2"}], "posts[0].blocks[0].level: expected an integer"),
        ([{"kind": "quote", "spans": [{"text": 3}]}], "posts[0].blocks[0].spans[0].text: expected a string"),
        ([{"kind": "quote", "spans": [{"text": "a", "style": ["blink"]}]}], "spans[0].style: expected a list of em"),
        ([{"kind": "quote", "spans": [{"text": "a", "link": 7}]}], "spans[0].link: expected a string or null"),
    ],
)
def test_bad_blocks_name_their_json_path(blocks: object, message: str) -> None:
    with pytest.raises(ParseError, match=re.escape(message)):
        native_json.parse(doc({"id": "1", "author": "a", "blocks": blocks}), "t")
