"""The exporters: JSON against the schema, partial exports, text and Markdown structure, safety and depth."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from helpers import REPO, SMALL_OUTLINE, chain_thread, thread_from_outline

from tuireader.body import CODE_BLOCK, EMPHASIS, ITEM, PARAGRAPH, QUOTE, STRONG, Block, Span, plain_text
from tuireader.export import EXPORTERS, MARKDOWN_MAX_QUOTE, TEXT_MAX_INDENT, to_json, to_markdown, to_text
from tuireader.formats import native_json
from tuireader.model import POST_FIELDS, Post, Thread

SPEC = SMALL_OUTLINE

SCHEMA = json.loads((REPO / "docs" / "thread.schema.json").read_text(encoding="utf-8"))


def sample() -> Thread:
    posts = [
        Post(
            "a",
            None,
            "Marigold",
            "Gold",
            ("Thumb Up",),
            "By the pond",
            "First line.\nSecond line.\n\nNew paragraph.",
            "2024-05-02T09:15:00Z",
            3,
            1,
            None,
        ),
        Post("b", "a", "Tobias", None, ("Thumb Down", "Big Brother"), "", "Ducks.", None, None, None, 5),
        Post("c", "b", "[deleted]", deleted=True),
        Post("d", None, "Ruth", title="Second", body="Me too.", note="replied to a missing post"),
    ]
    return Thread.build(
        posts, title="The bench", url="https://forum.example.org/t/1", summary="Views, please.", closed=True
    )


# JSON -----------------------------------------------------------------------


def test_json_layout_header_first_then_one_post_per_line() -> None:
    text = to_json(sample())
    lines = text.splitlines()
    assert lines[:3] == ["{", '  "format": "tuireader-thread",', '  "version": 2,']
    document = json.loads(text)
    assert lines[7] == '  "posts": [' and lines[-2:] == ["  ]", "}"]
    post_lines = lines[8:-2]
    assert len(post_lines) == 4 and all(line.startswith("    {") for line in post_lines)
    assert [json.loads(line.rstrip(",")) for line in post_lines] == document["posts"]
    assert list(document) == ["format", "version", "title", "url", "summary", "closed", "posts"]
    assert document["posts"][1] == {
        "id": "b",
        "parent": "a",
        "author": "Tobias",
        "badge": None,
        "icons": ["Thumb Down", "Big Brother"],
        "title": "",
        "body": "Ducks.",
        "time": None,
        "up": None,
        "down": None,
        "score": 5,
        "deleted": False,
        "note": None,
        "blocks": None,
    }
    assert text.endswith("}\n")


def test_empty_thread_exports_and_loads() -> None:
    text = to_json(Thread.build([]))
    assert json.loads(text)["posts"] == []
    assert native_json.parse(text, "t").build().posts == []


def test_json_keeps_unicode_readable() -> None:
    thread = Thread.build([Post("1", None, "Zoë", body="日本語")])
    assert "Zoë" in to_json(thread) and "日本語" in to_json(thread)


def test_partial_export_marks_context_and_hangs_posts_from_their_nearest_chosen_ancestor() -> None:
    thread = thread_from_outline(SPEC)  # 0:1 1:1.1 2:1.1.1 3:1.2 4:2 5:2.1
    document = json.loads(to_json(thread, indices=[2, 0, 5], context=[0]))
    posts = document["posts"]
    assert [(p["id"], p["parent"], p.get("context", False)) for p in posts] == [
        ("1", None, True),
        ("1.1.1", "1", False),
        ("2.1", None, False),
    ]
    again = native_json.parse(to_json(thread, indices=[2, 0, 5], context=[0]), "t").build()
    assert again.warnings == [] and again.depth == [0, 1, 0]


def test_indices_out_of_range_are_refused() -> None:
    thread = thread_from_outline(SPEC)
    for exporter in EXPORTERS.values():
        with pytest.raises(IndexError):
            exporter(thread, indices=[0, 6])
        with pytest.raises(IndexError):
            exporter(thread, indices=[-1])


# The schema, checked without a third-party validator ------------------------

_CHECKED_KEYWORDS = {
    "$schema",
    "title",
    "description",
    "type",
    "required",
    "properties",
    "items",
    "$ref",
    "$defs",
    "const",
}
_TYPES: dict[str, Any] = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
    "integer": int,
}


def schema_errors(value: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    """A small validator for exactly the keywords ``docs/thread.schema.json`` uses."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return schema_errors(value, SCHEMA["$defs"][name], where)
    errors = []
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(type(value) is _TYPES[name] for name in names):
            errors.append(f"{where}: {value!r} is not {names}")
    if "const" in schema and value != schema["const"]:
        errors.append(f"{where}: {value!r} is not {schema['const']!r}")
    if isinstance(value, dict):
        errors += [f"{where}: missing {key}" for key in schema.get("required", []) if key not in value]
        for key, item in value.items():
            if key in schema.get("properties", {}):
                errors += schema_errors(item, schema["properties"][key], f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for position, item in enumerate(value):
            errors += schema_errors(item, schema["items"], f"{where}[{position}]")
    return errors


def keywords(schema: Any) -> set[str]:
    found: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found |= {key for key in node if key not in ("properties", "$defs")}
            stack += [value for key, value in node.items() if key not in ("properties", "$defs")]
            stack += list(node.get("properties", {}).values()) + list(node.get("$defs", {}).values())
        elif isinstance(node, list):
            stack += node
    return found - {"string", "null"}


def test_schema_uses_only_the_keywords_the_test_validator_checks() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert keywords(SCHEMA) <= _CHECKED_KEYWORDS


def test_export_validates_against_the_schema() -> None:
    thread = sample()
    document = json.loads(to_json(thread, indices=[0, 2, 3], context=[0]))
    assert schema_errors(document, SCHEMA) == []
    document["posts"][0]["up"] = "3"
    del document["posts"][1]["author"]
    assert len(schema_errors(document, SCHEMA)) == 2


def test_schema_describes_exactly_what_the_exporter_writes_and_the_loader_requires() -> None:
    document = json.loads(to_json(sample(), context=[0]))
    assert set(document) == set(SCHEMA["properties"])
    post_schema = SCHEMA["$defs"]["post"]
    assert set(document["posts"][0]) == set(post_schema["properties"]) == {*POST_FIELDS, "context"}
    # Every key the schema lets a post omit, the loader lets it omit too; the rest it refuses.
    for key in POST_FIELDS:
        text = json.dumps({"posts": [{k: v for k, v in document["posts"][1].items() if k != key}]})
        if key in post_schema["required"]:
            with pytest.raises(Exception, match=f'missing "{key}"'):
                native_json.parse(text, "t")
        else:
            assert len(list(native_json.parse(text, "t").posts)) == 1


def test_schema_validates_with_jsonschema() -> None:
    import jsonschema  # in the test extra: without it the install is broken, so no skip

    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA).validate(json.loads(to_json(sample())))


# Text -----------------------------------------------------------------------


def test_text_shows_header_and_structure() -> None:
    assert to_text(sample()) == "\n".join(
        [
            "The bench",
            "https://forum.example.org/t/1",
            "(closed)",
            "",
            "Views, please.",
            "",
            "1 Marigold [Gold] (Thumb Up) +3/-1 2024-05-02T09:15:00Z",
            "By the pond",
            "",
            "First line.",
            "Second line.",
            "",
            "New paragraph.",
            "",
            "  1.1 Tobias (Thumb Down, Big Brother) score 5",
            "",
            "  Ducks.",
            "",
            "    1.1.1 [deleted] (deleted)",
            "",
            "2 Ruth",
            "Second",
            "",
            "Me too.",
            "[note: replied to a missing post]",
            "",
        ]
    )


def test_text_partial_export_marks_context_and_keeps_real_numbers() -> None:
    thread = thread_from_outline(SPEC)
    text = to_text(thread, indices=[0, 2, 5], context=[0])
    headers = [line for line in text.splitlines() if re.match(r" *\d", line)]
    assert headers == ["1 alice (context)", "  1.1.1 carol", "2.1 alice"]


def test_text_writes_strings_as_they_are_and_adds_no_control_characters() -> None:
    thread = Thread.build([Post("1", None, "ev\x1b[31mil", title="*t*", body="a\x07\r\nb <b>")], title="T\x9b")
    text = to_text(thread)
    assert "*t*" in text and "<b>" in text
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", text)


def test_text_of_a_very_deep_thread_stops_indenting_and_numbers_keep_the_depth() -> None:
    thread = chain_thread(10_000)
    text = to_text(thread)
    headers = [line for line in text.splitlines() if line.strip()][1:]  # after the title
    assert len(headers) == 10_000
    assert headers[3] == "      1.1.1.1 user3"
    assert headers[6] == " " * 12 + "1.1.….1.1.1.1 (depth 6) user6"
    assert headers[-1] == " " * (2 * TEXT_MAX_INDENT) + "1.1.….1.1.1.1 (depth 9999) user3"
    assert len(text) < 10_000 * 120


def test_outline_numbers_count_siblings() -> None:
    thread = thread_from_outline(SPEC.strip() + "\n2.2 x\n2.2.1 y\n3 z")
    numbers = [line.split()[0] for line in to_text(thread).splitlines() if re.match(r" *\d", line)]
    assert numbers == ["1", "1.1", "1.1.1", "1.2", "2", "2.1", "2.2", "2.2.1", "3"]


# Markdown -------------------------------------------------------------------


def test_markdown_nests_replies_in_block_quotes() -> None:
    text = to_markdown(sample())
    assert text.startswith(
        "# The bench\n\nSource: https://forum.example.org/t/1\n\n**Closed.**\n\nViews, please.\n\n---\n"
    )
    assert "\n**1** · **Marigold** · Gold · Thumb Up · +3/-1 · 2024-05-02T09:15:00Z\n" in text
    assert "\n> **1.1** · **Tobias** · Thumb Down, Big Brother · score 5\n>\n> Ducks.\n" in text
    assert "\n> > **1.1.1** · **\\[deleted\\]** · *deleted*\n" in text
    assert "\nFirst line.\\\nSecond line.\n\nNew paragraph.\n" in text
    assert "\n*Note: replied to a missing post*\n" in text


@pytest.mark.parametrize("separator", ["\n", "\n\n"])  # within a paragraph, and each line its own
def test_markdown_renders_hostile_text_as_plain_text(separator: str) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    body = separator.join(
        [
            "# not a heading",
            "1. not a list",
            "- nor this",
            "> nor a quote",
            "---",
            "```",
            "<script>x()</script>",
            "[link](javascript:alert(1)) ![img](http://x/y.png) *em* __strong__ `code` a|b &amp; $x$ ~~s~~ \\",
            "   + indented",
            "text",
            "===",
        ]
    )
    thread = Thread.build([Post("1", None, "<b>me</b>", "[x](y)", ("*i*",), "# t `c`", body)], title="<h1>T</h1>")
    html = markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough").render(to_markdown(thread))
    # The only markup is the exporter's own: one heading, strong headers, a rule, paragraphs and line breaks,
    # and the quote that a "> " line is in the body model (as in mail), its text still escaped.
    assert set(re.findall(r"<(\w+)", html)) <= {"h1", "p", "strong", "hr", "br", "blockquote"}
    assert html.count("<blockquote>") == 1 and "nor a quote" in html
    assert html.count("<h1>") == 1 and "&lt;h1&gt;T&lt;/h1&gt;" in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html and "&amp;amp;" in html
    assert "[link](javascript:alert(1))" in html and "# not a heading" in html and "1. not a list" in html


def test_markdown_of_a_very_deep_thread_caps_the_quotes() -> None:
    thread = chain_thread(10_000)
    text = to_markdown(thread)
    headers = [line for line in text.splitlines() if "**" in line]
    assert len(headers) == 10_000
    assert headers[1] == "> **1.1** · **user1**"
    assert headers[-1] == "> " * MARKDOWN_MAX_QUOTE + "**1.1.….1.1.1.1 (depth 9999)** · **user3**"
    assert len(text) < 10_000 * 120


def test_exporters_by_name() -> None:
    thread = sample()
    assert set(EXPORTERS) == {"json", "text", "markdown"}
    assert EXPORTERS["json"](thread) == to_json(thread)
    assert EXPORTERS["text"](thread, [0]) == to_text(thread, [0])
    assert EXPORTERS["markdown"](thread, None, [0]) == to_markdown(thread, None, [0])


def test_markdown_keeps_the_body_structure_and_escapes_its_text() -> None:
    blocks = (
        Block(QUOTE, (Span("you said *this*"),), level=2),
        Block(PARAGRAPH, (Span("see "), Span("the [docs]", EMPHASIS, "https://example.org/a b"), Span(" now"))),
        Block(CODE_BLOCK, (Span("x = `1`\n```\nprint(x)"),)),
        Block(ITEM, (Span("first"),), level=1, marker="1."),
        Block(ITEM, (Span("<b>second</b>", STRONG),), level=2, marker="•"),
    )
    thread = Thread.build([Post("1", None, "ann", body=plain_text(blocks), blocks=blocks)])
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").render(to_markdown(thread))
    assert "<blockquote>\n<blockquote>\n<p>you said *this*</p>" in html  # two levels, the stars escaped
    assert '<em>the [docs]</em></a>' in html and 'href="https://example.org/a%20b"' in html
    assert "<pre><code>x = `1`\n```\nprint(x)\n</code></pre>" in html  # a fence longer than the text's
    assert "<ol>" in html and "<strong>&lt;b&gt;second&lt;/b&gt;</strong>" in html
    assert to_text(thread).count("you said *this*") == 1
