"""Reddit-flavoured Markdown into the body model: each construct, hostile input, deep nesting, real comments."""

from __future__ import annotations

import json
import re
import string
import subprocess
import sys
from collections.abc import Iterator

import pytest
from helpers import REPO, shared_file
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz import GROWTH, SLACK, growth

from tuireader.body import (
    CODE,
    CODE_BLOCK,
    EMPHASIS,
    HEADING,
    ITEM,
    PARAGRAPH,
    QUOTE,
    RULE,
    STRIKE,
    STRONG,
    Block,
    Span,
    plain_text,
)
from tuireader.formats import markdown_body
from tuireader.formats.markdown_body import markdown_to_blocks
from tuireader.model import Post, Thread


def kinds(markdown: str) -> list[tuple[str, int, str, str]]:
    """Each block as (kind, level, marker, text): what a reader sees of the structure."""
    return [(block.kind, block.level, block.marker, block.text) for block in markdown_to_blocks(markdown)]


def spans(markdown: str) -> list[tuple[str, int, str | None]]:
    """The spans of a one-block body."""
    (block,) = markdown_to_blocks(markdown)
    return [(span.text, span.style, span.link) for span in block.spans]


# Blocks --------------------------------------------------------------------------


def test_paragraphs_soft_breaks_as_spaces_hard_breaks_as_newlines() -> None:
    assert kinds("one\ntwo\n\nhard  \nbreak\\\nagain") == [
        (PARAGRAPH, 0, "", "one two"),
        (PARAGRAPH, 0, "", "hard\nbreak\nagain"),
    ]


def test_quotes_carry_their_level() -> None:
    assert kinds("> one\n>> two\n> > > three\n\nout") == [
        (QUOTE, 1, "", "one"),
        (QUOTE, 2, "", "two"),
        (QUOTE, 3, "", "three"),
        (PARAGRAPH, 0, "", "out"),
    ]


def test_fenced_and_indented_code_keep_their_lines() -> None:
    assert kinds("    indented\n      more\n\n```python\ndef f():\n    return 1\n\n# end\n```") == [
        (CODE_BLOCK, 0, "", "indented\n  more"),
        (CODE_BLOCK, 0, "", "def f():\n    return 1\n\n# end"),
    ]


def test_nested_lists_with_their_numbers() -> None:
    assert kinds("3. three\n4. four\n   - sub\n     - subsub\n5. five\n\n- x\n\n  second paragraph of x\n- y") == [
        (ITEM, 1, "3.", "three"),
        (ITEM, 1, "4.", "four"),
        (ITEM, 2, "•", "sub"),
        (ITEM, 3, "•", "subsub"),
        (ITEM, 1, "5.", "five"),
        (ITEM, 1, "•", "x\nsecond paragraph of x"),
        (ITEM, 1, "•", "y"),
    ]


def test_headings_and_rules() -> None:
    assert kinds("# One\n\nSetext two\n---\n\n###### Six\n\n***\n\n- - -") == [
        (HEADING, 1, "", "One"),
        (HEADING, 2, "", "Setext two"),
        (HEADING, 6, "", "Six"),
        (RULE, 0, "", ""),
        (RULE, 0, "", ""),
    ]


def test_a_list_and_code_inside_a_quote_stay_quoted() -> None:
    blocks = markdown_to_blocks("> - point\n>\n> ```\n> code\n> ```")
    assert [(block.kind, block.text) for block in blocks] == [(QUOTE, "• point"), (QUOTE, "code")]
    assert blocks[1].spans[0].style == CODE


def test_tables_become_rows_of_cells() -> None:
    assert kinds("name | size\n---|---\na.png | 97 KB") == [
        (PARAGRAPH, 0, "", "name | size"),
        (PARAGRAPH, 0, "", "a.png | 97 KB"),
    ]


# Spans ---------------------------------------------------------------------------


def test_inline_styles() -> None:
    assert spans("*em* _em_ **strong** __strong__ `code` ~~gone~~ ***both***") == [
        ("em", EMPHASIS, None),
        (" ", 0, None),
        ("em", EMPHASIS, None),
        (" ", 0, None),
        ("strong", STRONG, None),
        (" ", 0, None),
        ("strong", STRONG, None),
        (" ", 0, None),
        ("code", CODE, None),
        (" ", 0, None),
        ("gone", STRIKE, None),
        (" ", 0, None),
        ("both", EMPHASIS | STRONG, None),
    ]


def test_links_autolinks_and_bare_urls() -> None:
    assert spans("[the docs](https://example.org/a) <https://auto.example> and https://bare.example/x.") == [
        ("the docs", 0, "https://example.org/a"),
        (" ", 0, None),
        ("https://auto.example", 0, "https://auto.example"),
        (" and ", 0, None),
        ("https://bare.example/x", 0, "https://bare.example/x"),
        (".", 0, None),
    ]


def test_file_names_are_not_taken_for_links() -> None:
    assert spans("see setup.py and readme.md") == [("see setup.py and readme.md", 0, None)]


def test_images_become_text_linking_to_their_source() -> None:
    assert spans("![a cat](https://x/cat.png)") == [("[image: a cat]", 0, "https://x/cat.png")]


# Reddit and hostile text ---------------------------------------------------------


def test_raw_html_is_shown_as_text() -> None:
    assert spans("<b>not bold</b> <script>alert(1)</script>") == [
        ("<b>not bold</b> <script>alert(1)</script>", 0, None)
    ]
    assert kinds("<div>\nblock\n</div>") == [(PARAGRAPH, 0, "", "<div> block </div>")]


def test_spoilers_and_superscript_stay_text() -> None:
    assert kinds(">!the ending!< and x^2 and ^(a b)") == [(PARAGRAPH, 0, "", ">!the ending!< and x^2 and ^(a b)")]


def test_markup_looking_text_stays_literal() -> None:
    assert spans(r"[bold]x[/bold] [@click=app.quit]quit[/] \[link]") == [
        ("[bold]x[/bold] [@click=app.quit]quit[/] [link]", 0, None)
    ]


def test_control_characters_reach_the_model_which_makes_them_visible() -> None:
    blocks = markdown_to_blocks("title \x1b]0;x\x07 and &#27;")
    assert blocks[0].text == "title \x1b]0;x\x07 and \ufffd"  # markdown-it itself turns &#27; into U+FFFD
    thread = Thread.build([Post("1", None, "mallory", body=plain_text(blocks), blocks=blocks)])
    (shown,) = thread.posts[0].blocks or ()
    assert "␛]0;x␇" in shown.text and "\x1b" not in shown.text


# Depth, size, speed --------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["> ", "- ", "1. ", "> - "])
def test_100000_deep_nesting_keeps_the_text(prefix: str) -> None:
    blocks = markdown_to_blocks(prefix * 100_000 + "deep\n\nafter")
    assert "deep" in plain_text(blocks) and blocks[-1] == Block(PARAGRAPH, (Span("after"),))
    assert all(block.level <= 8 for block in blocks)


def test_nesting_below_the_parser_limit_keeps_its_structure() -> None:
    blocks = markdown_to_blocks("> " * 12 + "deep")
    assert blocks == (Block(QUOTE, (Span("deep"),), 8),)


GROWTH_CASES = {
    "brackets": lambda n: "[" * n,
    "emphasis": lambda n: "*a" * n,
    "links": lambda n: "[a](" * n,
    "bare urls": lambda n: "https://x.org/ " * n,
    "lines": lambda n: "word *em* [link](http://u) text\n" * n,
    "quote lines": lambda n: "> q\n" * n,
}


@pytest.mark.parametrize("case", GROWTH_CASES)
def test_time_grows_linearly(case: str) -> None:
    ratio = growth(GROWTH_CASES[case], markdown_to_blocks, 100)
    assert ratio < GROWTH * SLACK, f"{case}: {GROWTH}x the input took {ratio:.1f}x the time"


def test_importing_the_module_leaves_markdown_it_unloaded_and_the_parser_is_made_once() -> None:
    code = "import sys, tuireader.formats.markdown_body; print('markdown_it' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert result.stdout.strip() == "False"
    assert markdown_body._parser() is markdown_body._parser()


# Property tests ------------------------------------------------------------------

WORDS = st.text(string.ascii_letters + string.digits, min_size=1, max_size=8)
SYNTAX = ["*", "**", "_", "> ", ">> ", "- ", "1. ", "# ", "\n", "\n\n", "    ", "---", " ", "\\", "  \n", "***"]
"""Markdown that never swallows a word: no link targets, fence info strings, reference definitions or table cells."""
WRAPPED = ["`{}`", "~~{}~~", "**{}**", "_{}_"]
SOUP = [*SYNTAX, "[", "]", "](", ")", "<", ">", "`", "```", "~~~", "|", "&#", "&amp;", ">!", "!<", "^", "!["]


@st.composite
def markdown_with_words(draw: st.DrawFn) -> tuple[str, list[str]]:
    words: list[str] = []
    pieces: list[str] = []
    for kind in draw(st.lists(st.sampled_from(["word", "syntax", "wrapped"]), max_size=40)):
        if kind == "syntax":
            pieces.append(draw(st.sampled_from(SYNTAX)))
            continue
        word = draw(WORDS)
        words.append(word)
        pieces.append(word if kind == "word" else draw(st.sampled_from(WRAPPED)).format(word))
    return "".join(pieces), words


@given(markdown_with_words())
def test_every_word_of_the_input_is_in_the_plain_text(drawn: tuple[str, list[str]]) -> None:
    markdown, words = drawn
    text = plain_text(markdown_to_blocks(markdown))
    for word in words:
        assert word in text


@given(st.one_of(st.text(), st.lists(st.sampled_from([*SOUP, "x", "1", "\x1b", "\x00", "\r"])).map("".join)))
def test_any_text_converts_without_raising(markdown: str) -> None:
    blocks = markdown_to_blocks(markdown)
    assert isinstance(blocks, tuple) and all(isinstance(block, Block) for block in blocks)
    assert all(block.text.strip() or block.kind == RULE for block in blocks)


# Real comments -------------------------------------------------------------------


def reddit_bodies() -> Iterator[str]:
    """Every comment ``body`` in the Reddit fixtures, with Reddit's HTML escaping undone as the Reddit format does."""
    for name in (
        "praw_3hahrw.json",
        "rtv_collegebasketball_31owr1.json",
        "rtv_iama_z1c9z.json",
        "rtv_python_2xmo63.json",
    ):
        stack: list[object] = [json.loads(shared_file("fixtures", "reddit", name).read_text(encoding="utf-8"))]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                if isinstance(node.get("body"), str):
                    yield node["body"].replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)


def test_reddit_comments_convert_with_their_quotes_and_links() -> None:
    bodies = list(reddit_bodies())
    assert bodies
    quoted = [body for body in bodies if re.search(r"^ {0,3}>(?!!)[ >]*\S", body, re.MULTILINE)]
    outside_code = {body: re.sub(r"^(?: {4}|\t).*", "", body, flags=re.MULTILINE) for body in bodies}
    linked = [body for body in bodies if re.search(r"\]\(https?://|(?<![(<\[])\bhttps?://", outside_code[body])]
    assert quoted and linked
    converted = {body: markdown_to_blocks(body) for body in bodies}
    assert all(blocks for body, blocks in converted.items() if re.search(r"\w", body))  # ">" alone is an empty quote
    assert all(any(block.kind == QUOTE for block in converted[body]) for body in quoted)
    assert all(any(span.link for block in converted[body] for span in block.spans) for body in linked)
