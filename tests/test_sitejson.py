"""The site formats' shared JSON reading: the deep-document decoder agrees with ``json.loads``, times, links."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tuireader.errors import ParseError
from tuireader.formats.sitejson import _decode_iteratively, body_with_link, load_document, split_link, utc_text

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=False)
    | st.text(max_size=6)
    | st.sampled_from(["", "a", "plain words", 'quo"te', "back\\slash", "\x1b[2J", "\u00e9\U0001f986"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=4), children, max_size=4),
    max_leaves=25,
)


def same(first: Any, second: Any) -> bool:
    """Equal as JSON values, with int and float told apart (``1`` is not ``1.0``)."""
    return json.dumps(first) == json.dumps(second) and type(first) is type(second)


@settings(max_examples=150)
@given(json_values, st.sampled_from([None, 0, 2]), st.booleans())
def test_the_deep_decoder_reads_what_json_loads_reads(value: Any, indent: int | None, ascii_only: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    assert same(_decode_iteratively(text), json.loads(text))


@settings(max_examples=150)
@given(json_values, st.data())
def test_the_deep_decoder_fails_where_json_loads_fails(value: Any, data: st.DataObject) -> None:
    text = json.dumps(value, indent=data.draw(st.sampled_from([None, 1])))
    cut = data.draw(st.integers(0, len(text) - 1))
    broken = text[:cut] + data.draw(st.sampled_from(["", ",", "}", "]", ":", '"', "x", " 1", "\x01"])) + text[cut + 1 :]
    try:
        expected: Any = json.loads(broken)
    except json.JSONDecodeError as error:
        with pytest.raises(json.JSONDecodeError) as caught:
            _decode_iteratively(broken)
        assert (caught.value.msg, caught.value.pos) == (error.msg, error.pos)
    else:
        assert same(_decode_iteratively(broken), expected)


def test_words_python_reads_and_numbers_keep_their_type() -> None:
    decoded = _decode_iteratively('{"a": NaN, "b": [-Infinity, Infinity], "c": 1, "d": 1.0, "e": -2E3, "f": 0}')
    assert math.isnan(decoded["a"]) and decoded["b"] == [-math.inf, math.inf]
    assert [type(decoded[key]) for key in "cdef"] == [int, float, float, int]


def test_a_document_deeper_than_the_c_decoder_goes() -> None:
    depth = 20_000
    text = '{"a":' * depth + "[1]" + "}" * depth
    value = load_document(text, "deep.json")
    for _ in range(depth):
        value = value["a"]
    assert value == [1]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('{\n  "a": 1,\n}', 3, "invalid JSON: Expecting property name enclosed in double quotes (column 1)"),
        ("[" * 5000 + "\n}", 2, "invalid JSON: Expecting value (column 1)"),
        ("1" * 5000, None, "invalid JSON: a number too long to read"),
    ],
    ids=["shallow", "deep", "long number"],
)
def test_errors_name_the_line(text: str, line: int | None, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        load_document(text, "bad.json")
    assert (caught.value.line, caught.value.message) == (line, message)


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "1970-01-01T00:00:00Z"),
        (1_614_667_248, "2021-03-02T06:40:48Z"),
        (1_614_667_248.999, "2021-03-02T06:40:48Z"),
        (-1.5, "1969-12-31T23:59:58Z"),
        (True, None),
        ("1614667248", None),
        (math.nan, None),
        (math.inf, None),
        (10**30, None),
    ],
)
def test_utc_text(seconds: object, shown: str | None) -> None:
    assert utc_text(seconds) == shown


def test_a_link_and_the_text_after_it() -> None:
    body = body_with_link("https://example.org/a", "Own words.")
    blocks, rest = split_link(body, "https://example.org/a")
    assert [(span.text, span.link) for block in blocks for span in block.spans] == [("https://example.org/a",) * 2]
    assert rest == "Own words."
    assert split_link("Just words.", "https://example.org/a") == ((), "Just words.")
    assert body_with_link("https://example.org/a", "") == "https://example.org/a"
