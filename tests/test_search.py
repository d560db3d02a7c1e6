"""Search: what a query finds (smart case, ``re:``), n/N under a filter, "match N of M", highlighting,
the first near match in a 100,000-post thread, and a catastrophic regular expression that cannot hang the reader."""

from __future__ import annotations

import re
import threading
import time

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tuireader.errors import InputError
from tuireader.filters import AuthorFilter
from tuireader.model import Post, Thread
from tuireader.search import FIRST_CHUNK, PENDING, REGEX_PREFIX, Chunk, Query, Search
from tuireader.session import ReadingSession


def thread_of(*posts: tuple[str, str, str, str]) -> Thread:
    """Top-level posts from (author, title, body) triples, ids 1, 2, 3…; the first item of each is the id."""
    return Thread.build([Post(post_id, None, author, title=title, body=body) for post_id, author, title, body in posts])


SAMPLE = thread_of(
    ("1", "Alice", "Welcome", "First post about Python."),
    ("2", "bob", "python tips", "Use a virtualenv."),
    ("3", "carol", "Off topic", "I prefer snakes: a PYTHON is one."),
    ("4", "python_fan", "Hello", "Nothing to see."),
    ("5", "dave", "Last", "No match here."),
)


def scanned(search: Search) -> Search:
    """The search with every chunk merged, as the UI thread does it as the worker hands them over."""
    for chunk in search.chunks():
        search.add(chunk)
    return search


def hits(typed: str, thread: Thread = SAMPLE) -> list[str]:
    search = scanned(Search(thread, Query.parse(typed)))
    return [thread.posts[index].id for index in search.hits]


# What a query finds --------------------------------------------------------------------------------


def test_lower_case_ignores_case_in_author_title_and_body() -> None:
    assert hits("python") == ["1", "2", "3", "4"]  # body, title, body in capitals, author
    assert hits("alice") == ["1"]


def test_a_capital_makes_the_search_match_case() -> None:
    assert hits("Python") == ["1"]
    assert hits("PYTHON") == ["3"]
    assert hits("Alice") == ["1"] and hits("ALICE") == []


def test_a_regular_expression_after_re() -> None:
    assert hits("re:^python") == ["2", "4"]  # the title "python tips" and the author "python_fan"
    assert hits(r"re:\bpython\b") == ["1", "2", "3"]  # "python_fan" is one word
    assert hits("re:P[Yy]") == ["1", "3"]  # a capital: case counts


def test_capitals_in_escapes_and_group_names_keep_the_search_case_blind() -> None:
    assert Query.parse(r"re:\Spython").ignore_case
    assert Query.parse(r"re:(?P<Word>python)").ignore_case
    assert Query.parse(r"re:\N{LATIN SMALL LETTER P}ython").ignore_case
    assert not Query.parse(r"re:\sPython").ignore_case
    assert hits(r"re:\N{LATIN SMALL LETTER P}ython\b") == ["1", "2", "3"]


def test_a_bad_regular_expression_is_a_clear_error_with_pythons_message() -> None:
    with pytest.raises(re.error) as python:
        re.compile("(unclosed")
    with pytest.raises(InputError) as error:
        Query.parse("re:(unclosed")
    assert error.value.describe() == f"bad regular expression: {python.value}"
    for typed in ("re:a{2,1}", "re:[z-a]", r"re:\p{Lu}"):  # the last is valid only in other regex dialects
        with pytest.raises(InputError, match="bad regular expression"):
            Query.parse(typed)


def test_an_empty_query_is_refused() -> None:
    for typed in ("", "re:"):
        with pytest.raises(InputError):
            Query.parse(typed)


def test_plain_text_is_never_a_pattern() -> None:
    thread = thread_of(("1", "a", "", "costs $5 (or more)"), ("2", "b", "", "costs 5 or more"))
    assert hits("$5 (or", thread) == ["1"]
    assert hits("re:5 \\(?or", thread) == ["1", "2"]


def test_a_body_the_format_loads_later_is_searched_as_loaded() -> None:
    thread = thread_of(("1", "a", "", "**raw** markup"), ("2", "b", "", "other"))
    thread.body_loader = lambda post: (f"loaded text of {post.id}", None)
    assert hits("loaded text of 2", thread) == ["2"]
    assert hits("**raw**", thread) == []


# Moves, count and position ------------------------------------------------------------------------


def test_next_and_previous_match_respect_an_author_filter() -> None:
    session = ReadingSession(SAMPLE, author_filter=AuthorFilter.of(["bob", "python_fan"]))
    search = scanned(Search(SAMPLE, Query.parse("python")))
    assert search.next_match(0) == 1
    assert search.next_match(1, session.keep) == 3  # post 3 ("carol") matches but the filter hides it
    assert search.next_match(3, session.keep) is None
    assert search.previous_match(3, session.keep) == 1
    assert search.previous_match(1, session.keep) is None
    assert search.previous_match(3) == 2


def test_status_says_match_n_of_m_counting_what_the_filter_keeps() -> None:
    search = scanned(Search(SAMPLE, Query.parse("python")))
    assert search.done and search.count() == 4
    assert search.status(2) == "match 3 of 4"
    assert search.status(4) == "4 matches"  # the cursor is on a post that does not match
    keep = ReadingSession(SAMPLE, author_filter=AuthorFilter.of(["bob", "python_fan"])).keep
    assert search.status(3, keep) == "match 2 of 2"
    assert scanned(Search(SAMPLE, Query.parse("zebra"))).status(0) == "no matches"


def test_moves_wait_for_posts_not_scanned_yet() -> None:
    thread = thread_of(*((str(i), "a", "", "needle" if i in (10, 990) else "hay") for i in range(1000)))
    search = Search(thread, Query.parse("needle"), origin=500)
    assert search.next_match(500) is PENDING and search.status(500) == "no matches yet, searching… 0%"
    chunks = search.chunks()
    search.add(next(chunks))  # posts 500 to 500 + FIRST_CHUNK
    assert search.next_match(500) is PENDING and search.previous_match(500) is PENDING
    for chunk in chunks:
        search.add(chunk)
    assert (search.previous_match(500), search.next_match(500)) == (10, 990)
    assert search.status(990) == "match 2 of 2"


def test_a_stale_chunk_from_an_earlier_worker_is_ignored() -> None:
    search = Search(SAMPLE, Query.parse("python"))
    first = next(Search(SAMPLE, Query.parse("python"), origin=3).chunks())
    search.add(first)  # it does not start where this search's scanned run ends
    assert search.hits == [] and not search.done


def test_posts_loaded_after_the_scan_are_scanned_by_another_run() -> None:
    thread = thread_of(("1", "a", "", "needle"), ("2", "b", "", "hay"))
    search = scanned(Search(thread, Query.parse("needle")))
    thread.extend([Post("3", None, "c", body="another needle")])
    assert not search.done and search.next_match(0) is PENDING
    scanned(search)
    assert search.hits == [0, 2] and search.next_match(0) == 2


# Highlighting --------------------------------------------------------------------------------------


def test_spans_show_every_match_in_a_text() -> None:
    search = Search(SAMPLE, Query.parse("py"))
    text = "Py, py and PY: spy"
    assert [text[start:end] for start, end in search.spans(text)] == ["Py", "py", "PY", "py"]
    regex = Search(SAMPLE, Query.parse(r"re:\d+|x*"))  # x* matches empty strings: nothing to highlight there
    assert regex.spans("a 12 b 345") == [(2, 4), (7, 10)]
    assert Search(SAMPLE, Query.parse("Py")).spans(text) == [(0, 2)]


def test_offsets_stay_right_after_a_letter_that_lower_case_lengthens() -> None:
    search = Search(SAMPLE, Query.parse("istanbul"))
    text = "İzmir and Istanbul"  # "İ".lower() is two characters
    assert [text[start:end] for start, end in search.spans(text)] == ["Istanbul"]


ANY_TEXT = st.characters(codec="utf-8")


@given(st.text(ANY_TEXT, max_size=40), st.text(ANY_TEXT, min_size=1, max_size=3))
def test_a_post_the_search_counts_always_has_something_highlighted(text: str, typed: str) -> None:
    assume(not typed.startswith(REGEX_PREFIX))
    query = Query.parse(typed)
    spans = query.spans(text)
    assert query.matches(text) == bool(spans)
    if not query.ignore_case:
        assert all(text[start:end] == typed for start, end in spans)


# A big thread --------------------------------------------------------------------------------------


BIG = 100_000
NEEDLE_AT = (1_234, 50_300, 77_777)


@pytest.fixture(scope="module")
def big_thread() -> Thread:
    """100,000 posts in branches of five; three of them say "needle"."""
    return Thread.build(
        Post(
            str(i),
            None if i % 5 == 0 else str(i - i % 5),
            f"user{i % 97}",
            title=f"title {i}",
            body=f"post {i}: needle in a haystack" if i in NEEDLE_AT else f"post {i}: only hay",
        )
        for i in range(BIG)
    )


def examined_before_first_hit(search: Search) -> int:
    """Posts the worker reads before the UI has a match to show."""
    examined = 0
    for chunk in search.chunks():
        search.add(chunk)
        examined += chunk.stop - chunk.start
        if chunk.hits:
            return examined
    raise AssertionError("no hit")


def test_the_first_near_match_comes_after_a_few_hundred_posts_of_100000(big_thread: Thread) -> None:
    origin = 50_000
    search = Search(big_thread, Query.parse("needle"), origin=origin)
    examined = examined_before_first_hit(search)
    # Chunks of 256, 256, 512, 512 on alternate sides: post 50,300 is in the third, after 1,024 posts,
    # about a millisecond of work where the whole thread takes about a second.
    assert examined == FIRST_CHUNK + FIRST_CHUNK + 2 * FIRST_CHUNK
    assert search.next_match(origin) == 50_300
    assert search.previous_match(origin) is PENDING  # 1,234 lies beyond what is scanned so far


def test_a_whole_scan_of_100000_posts_counts_every_match(big_thread: Thread) -> None:
    expected = [i for i, post in enumerate(big_thread.posts) if "needle" in post.body.lower()]
    search = scanned(Search(big_thread, Query.parse("needle"), origin=60_000))
    assert search.hits == expected and search.done
    assert search.status(50_300) == f"match 2 of {len(expected)}"


def test_a_worker_scan_stops_when_cancelled(big_thread: Thread) -> None:
    search = Search(big_thread, Query.parse("needle"))
    merged: list[Chunk] = []
    for chunk in search.chunks(cancelled=lambda: len(merged) >= 2):
        search.add(chunk)
        merged.append(chunk)
    assert len(merged) == 2 and not search.done


# A catastrophic regular expression ---------------------------------------------------------------


def test_a_catastrophic_regular_expression_stops_the_search_instead_of_hanging() -> None:
    # (a+)+$ against a long run of "a" that fails at its end backtracks exponentially: hours in Python's re.
    thread = thread_of(("1", "x", "", "caa"), ("2", "y", "", "a" * 5_000 + "!"), ("3", "z", "", "baa"))
    search = Search(thread, Query.parse("re:(a+)+$"))
    finished = threading.Event()

    def run() -> None:
        scanned(search)
        finished.set()

    started = time.perf_counter()
    threading.Thread(target=run, daemon=True).start()
    assert finished.wait(30), "the scan did not stop"
    assert time.perf_counter() - started < 30
    assert search.problem is not None and "took over" in search.problem
    assert search.done and search.hits == [0]  # what it found before it gave up stays
    assert search.next_match(0) is None and search.status(0) == search.problem


def test_highlighting_with_a_catastrophic_expression_gives_up_once() -> None:
    search = Search(SAMPLE, Query.parse("re:(a+)+$"))
    assert search.spans("a" * 5_000 + "!") == []
    assert search.problem is not None
    assert Search(SAMPLE, Query.parse("re:(a+)+$")).spans("caa") == [(1, 3)]
    assert search.spans("caa") == []  # the pattern is not run again, not even on an easy text
