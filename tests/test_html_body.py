"""HTML bodies into the body model: each construct, hostile input, deep nesting, speed, and real bodies."""

from __future__ import annotations

import json
import re
import string
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import shared_file
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
from tuireader.formats.html_body import html_to_blocks, html_to_text
from tuireader.model import Post, Thread


def kinds(html: str) -> list[tuple[str, int, str, str]]:
    """Each block as (kind, level, marker, text): what a reader sees of the structure."""
    return [(block.kind, block.level, block.marker, block.text) for block in html_to_blocks(html)]


def spans(html: str) -> list[tuple[str, int, str | None]]:
    """The spans of a one-block body."""
    (block,) = html_to_blocks(html)
    return [(span.text, span.style, span.link) for span in block.spans]


# Paragraphs, breaks, whitespace, entities --------------------------------------


def test_paragraph_separators_without_closing_tags_as_hacker_news_writes_them() -> None:
    assert kinds("first<p>second<p>third") == [
        (PARAGRAPH, 0, "", "first"),
        (PARAGRAPH, 0, "", "second"),
        (PARAGRAPH, 0, "", "third"),
    ]


def test_line_breaks_and_whitespace_collapsed_outside_pre() -> None:
    assert kinds("<p>  one \n two\t three  <br>  four<br/><br>five </p>") == [
        (PARAGRAPH, 0, "", "one two three\nfour\n\nfive")
    ]


def test_entities_are_decoded_to_plain_text() -> None:
    assert html_to_blocks("it&#x27;s &gt; 3 &amp;&amp; &lt;b&gt;not bold&lt;/b&gt; &quot;q&quot; &nbsp;x")[0].text == (
        'it\'s > 3 && <b>not bold</b> "q" \xa0x'
    )


def test_decoded_control_characters_reach_the_span_and_the_model_makes_them_visible() -> None:
    blocks = html_to_blocks("<p>title &#27;]0;x&#7; and &#x1B;[31mred</p>")
    assert blocks[0].text == "title \x1b]0;x\x07 and \x1b[31mred"
    thread = Thread.build([Post("1", None, "mallory", body=plain_text(blocks), blocks=blocks)])
    (shown,) = thread.posts[0].blocks or ()
    assert "␛]0;x␇" in shown.text
    assert "\x1b" not in shown.text and "\x07" not in shown.text


def test_markup_looking_text_stays_literal() -> None:
    assert html_to_blocks("[bold]x[/bold] [@click=app.quit]quit[/] [link=file:///etc]")[0].spans == (
        Span("[bold]x[/bold] [@click=app.quit]quit[/] [link=file:///etc]"),
    )


def test_numeric_references_past_any_code_point_become_the_replacement_character() -> None:
    # html.unescape raises ValueError on more than 4,300 digits.
    assert html_to_blocks("a &#" + "9" * 5000 + "; b &#x" + "f" * 5000 + " c")[0].text == "a \ufffd b \ufffd c"
    assert html_to_text("&#" + "9" * 5000 + ";") == "\ufffd"


# Quotes ------------------------------------------------------------------------


def test_nested_blockquotes_carry_their_level() -> None:
    html = "<blockquote><p>one</p><blockquote><p>two</p><blockquote>three</blockquote></blockquote>back</blockquote>out"
    assert kinds(html) == [
        (QUOTE, 1, "", "one"),
        (QUOTE, 2, "", "two"),
        (QUOTE, 3, "", "three"),
        (QUOTE, 1, "", "back"),
        (PARAGRAPH, 0, "", "out"),
    ]


DISCOURSE_QUOTE = (
    '<aside class="quote" data-post="3" data-topic="1"><div class="title">\n<div class="quote-controls"></div>\n'
    '<img alt="" width="20" height="20" src="/avatar.png" class="avatar"> alice:</div>\n'
    "<blockquote><p>Is there a shortcut?</p></blockquote></aside>\n<p>Not yet.</p>"
)


def test_a_discourse_quote_says_who_is_quoted_and_drops_the_avatar() -> None:
    assert kinds(DISCOURSE_QUOTE) == [
        (QUOTE, 1, "", "alice wrote:"),
        (QUOTE, 1, "", "Is there a shortcut?"),
        (PARAGRAPH, 0, "", "Not yet."),
    ]


def test_a_discourse_quote_without_a_title_names_its_data_username() -> None:
    html = '<aside class="quote no-group" data-username="bob"><blockquote><p>hi</p></blockquote></aside>'
    assert kinds(html) == [(QUOTE, 1, "", "bob wrote:"), (QUOTE, 1, "", "hi")]


def test_a_discourse_quote_of_another_topic_keeps_the_topic_title() -> None:
    html = (
        '<aside class="quote" data-username="carol"><div class="title"><img class="avatar" src="a.png">'
        '<a href="/t/other/9">Other topic</a></div><blockquote><p>text</p></blockquote></aside>'
    )
    assert kinds(html)[0] == (QUOTE, 1, "", "carol wrote in Other topic:")


def test_lists_and_code_inside_a_quote_stay_quoted() -> None:
    html = "<blockquote><ul><li>point</li></ul><pre>x = 1\n  y</pre></blockquote>"
    assert kinds(html) == [(QUOTE, 1, "", "• point"), (QUOTE, 1, "", "x = 1\n  y")]
    assert html_to_blocks(html)[1].spans[0].style == CODE


# Code, styles, links, images -------------------------------------------------------


def test_pre_code_keeps_its_lines_and_indentation() -> None:
    html = "<p>Try:<pre><code>def f():\n    return  1\n\n# done\n</code></pre>after"
    assert kinds(html) == [
        (PARAGRAPH, 0, "", "Try:"),
        (CODE_BLOCK, 0, "", "def f():\n    return  1\n\n# done"),
        (PARAGRAPH, 0, "", "after"),
    ]
    assert html_to_blocks(html)[1].spans[0].style == 0  # the block is code already


def test_inline_styles() -> None:
    html = "<i>i</i><em>em</em> <b>b</b><strong>st</strong> <code>c</code><tt>t</tt> <s>s</s><del>d</del>"
    html += "<strike>k</strike>"
    assert spans(html) == [
        ("iem", EMPHASIS, None),
        (" ", 0, None),
        ("bst", STRONG, None),
        (" ", 0, None),
        ("ct", CODE, None),
        (" ", 0, None),
        ("sdk", STRIKE, None),
    ]


def test_nested_styles_combine() -> None:
    assert spans("<b>bold <i>both</i></b>") == [("bold ", STRONG, None), ("both", STRONG | EMPHASIS, None)]


def test_links_keep_text_and_target() -> None:
    html = '<p>see <a href="https://example.org/a?b=1&amp;c=2" rel="nofollow">the docs</a> or https://bare.example</p>'
    assert spans(html) == [
        ("see ", 0, None),
        ("the docs", 0, "https://example.org/a?b=1&c=2"),
        (" or https://bare.example", 0, None),
    ]


def test_images_become_text_linking_to_their_source() -> None:
    assert spans('<img alt="a cat" src="https://x/cat.png"> <img src="/y.png">') == [
        ("[image: a cat]", 0, "https://x/cat.png"),
        (" ", 0, None),
        ("[image]", 0, "/y.png"),
    ]


def test_emoji_images_are_their_name() -> None:
    assert spans('ok <img src="/e/smile.png" title=":smile:" class="emoji" alt=":smile:">') == [("ok :smile:", 0, None)]


def test_mastodon_hides_invisible_link_parts_and_shows_an_ellipsis() -> None:
    html = (
        '<p>read <a href="https://example.com/very/long/path" rel="nofollow noopener" target="_blank">'
        '<span class="invisible">https://</span><span class="ellipsis">example.com/very/lo</span>'
        '<span class="invisible">ng/path</span></a> now</p>'
    )
    assert spans(html) == [
        ("read ", 0, None),
        ("example.com/very/lo…", 0, "https://example.com/very/long/path"),
        (" now", 0, None),
    ]


def test_discourse_image_file_details_shown_on_hover_are_left_out() -> None:
    html = (
        '<p><div class="lightbox-wrapper"><a href="//x/original.png" class="lightbox" title="a.png">'
        '<img src="//x/small.png" width="645"><div class="meta"><span class="filename">a.png</span>'
        '<span class="informations">800x620 97.3 KB</span></div></a></div></p>'
    )
    assert kinds(html) == [(PARAGRAPH, 0, "", "[image]")]


# Lists, headings, rules ------------------------------------------------------------


def test_nested_lists_with_levels_and_markers() -> None:
    html = "<ul><li>a</li><li>b<ul><li>b1<li>b2</ul></li></ul><ol start=3><li>three<li value=7>seven<li>eight</ol>"
    assert kinds(html) == [
        (ITEM, 1, "•", "a"),
        (ITEM, 1, "•", "b"),
        (ITEM, 2, "•", "b1"),
        (ITEM, 2, "•", "b2"),
        (ITEM, 1, "3.", "three"),
        (ITEM, 1, "7.", "seven"),
        (ITEM, 1, "8.", "eight"),
    ]


def test_paragraphs_of_one_item_stay_in_that_item() -> None:
    assert kinds("<ol><li><p>first</p><p>second</p></li><li>next</li></ol>") == [
        (ITEM, 1, "1.", "first\nsecond"),
        (ITEM, 1, "2.", "next"),
    ]


def test_headings_and_rules() -> None:
    html = "<h1>Top</h1><h3>Third</h3><hr><h6>Six</h6>"
    assert kinds(html) == [
        (HEADING, 1, "", "Top"),
        (HEADING, 3, "", "Third"),
        (RULE, 0, "", ""),
        (HEADING, 6, "", "Six"),
    ]


def test_table_rows_are_lines_with_cells_apart() -> None:
    html = "<table><tr><th>name</th><th>size</th></tr><tr><td>a.png</td><td>97 KB</td></tr></table>"
    assert kinds(html) == [(PARAGRAPH, 0, "", "name | size"), (PARAGRAPH, 0, "", "a.png | 97 KB")]


# What is dropped, what is kept ---------------------------------------------------


def test_scripts_styles_and_comments_are_dropped_unknown_tags_kept_as_their_text() -> None:
    html = "<script>alert('x')</script><style>p{}</style><!-- note --><custom-tag>kept</custom-tag> <font>too</font>"
    assert kinds(html) == [(PARAGRAPH, 0, "", "kept too")]


def test_adjacent_spans_merge_and_empty_paragraphs_go() -> None:
    blocks = html_to_blocks("<p></p><p> \n </p><p><b>a</b><b>b</b><strong>c</strong></p><p><i></i></p><div> </div>")
    assert isinstance(blocks, tuple)
    assert blocks == (Block(PARAGRAPH, (Span("abc", STRONG),)),)
    assert html_to_blocks("") == () and html_to_blocks("   ") == ()


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("unclosed <b>bold <i>both", [(PARAGRAPH, 0, "", "unclosed bold both")]),
        ("stray</p> close</b></blockquote>", [(PARAGRAPH, 0, "", "stray"), (PARAGRAPH, 0, "", "close")]),
        ("if a < b and c > d", [(PARAGRAPH, 0, "", "if a < b and c > d")]),
        ("x<<y", [(PARAGRAPH, 0, "", "x<<y")]),
        ("cut off <a href='http://x", [(PARAGRAPH, 0, "", "cut off <a href='http://x")]),
        ("<b>open</p>", [(PARAGRAPH, 0, "", "open")]),
        ("a</>b<![CDATA[x]]>c<?php d ?>e<!doctype html>f", [(PARAGRAPH, 0, "", "abcef")]),
        ("<!-- never closed <p>lost", []),
        ("<script>never closed", []),
    ],
)
def test_malformed_html_never_raises(html: str, expected: list[tuple[str, int, str, str]]) -> None:
    assert kinds(html) == expected


def test_an_inline_end_tag_does_not_close_a_block_opened_inside_it() -> None:
    assert kinds("<b><blockquote>quoted</b> still quoted</blockquote>") == [(QUOTE, 1, "", "quoted still quoted")]


# Depth and size ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "depth"),
    [
        ("blockquote", 100_000),
        ("b", 100_000),
        *((tag, 20_000) for tag in ("ul", "li", "a href=x", "aside class=quote")),
    ],
)
def test_deep_nesting_converts_and_caps_levels(tag: str, depth: int) -> None:
    name = tag.split()[0]
    blocks = html_to_blocks(f"<{tag}>" * depth + "deep" + f"</{name}>" * depth + "<p>after")
    assert "deep" in plain_text(blocks) and blocks[-1] == Block(PARAGRAPH, (Span("after"),))
    assert all(block.level <= 8 for block in blocks)
    if name == "blockquote":
        assert blocks[0] == Block(QUOTE, (Span("deep"),), 8)


def test_a_megabyte_of_html_converts_in_well_under_a_second() -> None:
    html = "<p>Some <i>words</i> and <a href='https://example.org/x'>a link</a> &amp; more.\n" * 12_000
    started = time.process_time()
    blocks = html_to_blocks(html)
    spent = time.process_time() - started
    assert len(blocks) == 12_000
    assert spent < 2.0  # about 0.4 s on the two-core development machine


GROWTH_CASES = {
    "unfinished tags": lambda n: "<a href='x' " * n,
    "unclosed quotes": lambda n: "<a href='" * n,
    "nested quotes": lambda n: "<blockquote>" * n + "x" + "</blockquote>" * n,
    "stray inline ends": lambda n: "<b><div>" + "<i>" * n + "</b>" * n,
    "paragraphs": lambda n: "word<p>" * n,
    "open items": lambda n: "<ul>" * n + "<li>x" * n,
    "less-than signs": lambda n: "a<" * n,
    "comment openers": lambda n: "<!--" * n,
    "whitespace runs": lambda n: "<p>" * n + " \n\t" * n + "x",
}


@pytest.mark.parametrize("case", GROWTH_CASES)
def test_time_grows_linearly(case: str) -> None:
    for convert in (html_to_blocks, html_to_text):
        ratio = growth(GROWTH_CASES[case], convert, 1_000)
        assert ratio < GROWTH * SLACK, f"{case}, {convert.__name__}: {GROWTH}x the input took {ratio:.1f}x the time"


# Property tests ------------------------------------------------------------------

WORDS = st.text(string.ascii_letters + string.digits, min_size=1, max_size=8)
TAGS = [
    "<p>", "</p>", "<b>", "</b>", "<i>", "</em>", "<blockquote>", "</blockquote>", "<ul>", "<ol start='2'>", "</ul>",
    "</ol>", "<li>", "</li>", "<pre>", "</pre>", "<code>", "</code>", "<br>", "<hr>", "<h2>", "</h2>",
    "<a href='https://x.org/'>", "</a>", "<div>", "</div>", "<table><tr><td>", "</td><td>", "</tr>", "<s>",
    "<aside class='quote' data-username='u'>", "<div class='title'>", "</aside>", "<span class='ellipsis'>",
    "</span>", "<img alt='pic' src='p.png'>", "<unknown>", " ", "\n", "&amp;", "&#x27;",
]  # fmt: skip
SOUP = [*TAGS, "<", "</", ">", "<!--", "-->", "<a href='", '"', "'", "&", "&#", "&#27;", ";", "<script>", "<![", "<?"]


@st.composite
def html_with_words(draw: st.DrawFn) -> tuple[str, list[str]]:
    pieces = draw(
        st.lists(st.one_of(WORDS.map(lambda word: (True, word)), st.sampled_from(TAGS).map(lambda t: (False, t))))
    )
    return "".join(text for _, text in pieces), [text for is_word, text in pieces if is_word]


@given(html_with_words())
def test_every_word_of_the_input_is_in_the_plain_text(drawn: tuple[str, list[str]]) -> None:
    html, words = drawn
    text = plain_text(html_to_blocks(html))
    quick = html_to_text(html)
    for word in words:
        assert word in text
        assert word in quick


@given(st.one_of(st.text(), st.lists(st.sampled_from([*SOUP, "x", "\x1b", "\x00"])).map("".join)))
def test_any_text_converts_without_raising(html: str) -> None:
    blocks = html_to_blocks(html)
    assert isinstance(blocks, tuple) and all(isinstance(block, Block) for block in blocks)
    assert all(block.text.strip() or block.kind == RULE for block in blocks)
    assert isinstance(html_to_text(html), str)


# The quick text --------------------------------------------------------------------


def test_quick_text_drops_tags_decodes_entities_and_keeps_paragraphs_apart() -> None:
    html = "first &amp; <i>it&#x27;s</i><p>second<br>line <a href='x'>link</a></p><ul><li>item</ul>"
    assert html_to_text(html) == "first & it's\n\nsecond\nline link\n\nitem"
    assert html_to_text("plain &lt;b&gt; \n  text") == "plain <b> text"
    assert html_to_text("&#27;]0;x&#7;") == "\x1b]0;x\x07"


def test_quick_text_leaves_out_what_nobody_sees() -> None:
    assert html_to_text("a<script>x<p>y</script><!-- <p>z --><style>s</style>b") == "ab"


# Real bodies -----------------------------------------------------------------------


def bodies(folder: str, key: str) -> Iterator[str]:
    """Every string under *key* in the folder's JSON files, however deep."""
    for path in sorted(Path(shared_file("fixtures", folder)).glob("*.json")):
        stack: list[object] = [json.loads(path.read_text(encoding="utf-8"))]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                for name, value in node.items():
                    if name == key and isinstance(value, str):
                        yield value
                    else:
                        stack.append(value)
            elif isinstance(node, list):
                stack.extend(node)


def words(text: str) -> list[str]:
    return text.split()


def test_hacker_news_bodies_read_the_same_both_ways() -> None:
    contents = [*bodies("hackernews", "content"), *bodies("hackernews-algolia", "text")]
    assert contents
    for html in contents:
        blocks = html_to_blocks(html)
        assert words(plain_text(blocks)) == words(html_to_text(html))
        paragraphs = [part for part in re.split(r"<p>|</p>", html) if re.sub(r"<[^>]*>", "", part).strip()]
        assert len(blocks) == len(paragraphs) or "<pre>" in html


def test_every_discourse_quote_names_who_it_quotes() -> None:
    cooked = list(bodies("discourse", "cooked"))
    asides = sum(len(re.findall(r'<aside class="quote"', html)) for html in cooked)
    assert asides
    lines = [block.text for html in cooked for block in html_to_blocks(html) if block.text.endswith(" wrote:")]
    assert len(lines) == asides
    assert all(block.kind == QUOTE for html in cooked for block in html_to_blocks(html) if block.text in lines)


def test_mastodon_links_show_as_the_web_client_shows_them() -> None:
    contents = list(bodies("mastodon", "content"))
    hidden = sum(html.count('<span class="invisible">') for html in contents)
    ellipses = sum(html.count('<span class="ellipsis">') for html in contents)
    assert hidden and ellipses
    link_texts = [span.text for html in contents for block in html_to_blocks(html) for span in block.spans if span.link]
    assert not any(text.startswith(("https://", "http://")) for text in link_texts)
    assert sum(text.endswith("…") for text in link_texts) == ellipses


def test_quick_text_is_faster_than_the_structure() -> None:
    contents = list(bodies("mastodon", "content"))

    def cost(convert: object) -> float:
        assert callable(convert)
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            for html in contents:
                convert(html)
            best = min(best, time.process_time() - started)
        return best

    assert cost(html_to_text) < cost(html_to_blocks) / 2
