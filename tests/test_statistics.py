"""The statistics screen (s): numbers checked against the sample file's own outline, Enter and d jump, Escape closes."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from helpers import CLOSED_SAMPLE, REPO, notices, read_then_press, screen_text
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Sparkline

from tuireader.app import ReaderApp
from tuireader.filters import AuthorFilter
from tuireader.formats import load
from tuireader.model import Post, Thread
from tuireader.screens.help import HelpScreen
from tuireader.screens.statistics import StatisticsScreen
from tuireader.statistics import TIME_BINS, parse_time, thread_statistics, timeline
from tuireader.themes import ThemeSources, choose_theme

SnapCompare = Callable[..., bool]
_POST_LINE = re.compile(r"^( *)\d+\. (.+?)(?: (?:Gold|Silver|Bronze) badge)?$")


def raw_outline() -> list[tuple[int, str]]:
    """(depth, author) of each post of the sample, read from its numbered lines: two spaces per level."""
    outline = []
    for line in CLOSED_SAMPLE.read_text(encoding="utf-8").splitlines():
        found = _POST_LINE.match(line)
        if found:
            outline.append((len(found.group(1)) // 2 - 1, found.group(2)))
    return outline


def raw_replies(outline: list[tuple[int, str]]) -> list[int]:
    """Direct replies of each post: the posts one level deeper before the next post at its level or above."""
    replies = [0] * len(outline)
    for position, (depth, _) in enumerate(outline):
        for later_depth, _ in outline[position + 1 :]:
            if later_depth <= depth:
                break
            replies[position] += later_depth == depth + 1
    return replies


def test_the_numbers_of_the_sample_are_those_of_its_outline() -> None:
    outline = raw_outline()
    authors = [author for _, author in outline]
    per_author = {author: authors.count(author) for author in authors}
    replies = raw_replies(outline)
    deepest = max(range(len(outline)), key=lambda position: outline[position][0])

    stats = thread_statistics(load(CLOSED_SAMPLE))

    assert stats.posts == len(outline) == 17
    assert stats.top_level == sum(depth == 0 for depth, _ in outline)
    assert stats.authors == len(per_author) and stats.nameless == 0
    assert stats.depth == outline[deepest][0] + 1 and stats.deepest == deepest
    most = sorted((position for position in range(len(outline)) if replies[position]), key=lambda p: -replies[p])
    assert [(r.index, r.replies) for r in stats.most_replied] == [(p, replies[p]) for p in most]
    top = sorted(per_author.items(), key=lambda item: -item[1])[: len(stats.top_authors)]
    assert list(stats.top_authors) == top
    assert stats.timeline is None  # forum text has no times


def test_an_empty_thread_and_a_flat_one() -> None:
    empty = thread_statistics(Thread.build([]))
    assert (empty.posts, empty.authors, empty.deepest, empty.depth, empty.most_replied) == (0, 0, None, 0, ())
    flat = thread_statistics(Thread.build([Post(str(i), None, "" if i % 2 else "ann") for i in range(4)]))
    assert (flat.authors, flat.nameless, flat.depth, flat.most_replied) == (1, 2, 1, ())


def test_times_parse_leniently_and_bad_ones_are_skipped() -> None:
    utc = timezone.utc
    assert parse_time("2024-05-02T09:15:00Z") == datetime(2024, 5, 2, 9, 15, tzinfo=utc)
    assert parse_time("2024-05-02 09:15:00 GMT") == datetime(2024, 5, 2, 9, 15)
    assert parse_time("2024-05-02") == datetime(2024, 5, 2)
    assert parse_time("2024-05-02T11:15:00+02:00") == datetime(2024, 5, 2, 9, 15, tzinfo=utc)
    for bad in ("yesterday", "3 hours ago", "", "2024-13-45", "Thu, 2 May 2024 09:15:00 +0000"):
        assert parse_time(bad) is None, bad
    posts = [Post("1", None, "a", time="2024-05-02T09:00:00Z"), Post("2", None, "b", time="a while ago")]
    stats = thread_statistics(Thread.build(posts))
    assert stats.timeline is not None and stats.timeline.timed == 1


def test_posts_fall_into_equal_spans_of_time() -> None:
    start = datetime(2024, 5, 2, 9, 0, tzinfo=timezone.utc)
    minutes = [0, 0, 1, 7, 30, 31, 59, 60, 60]  # an hour: one span a minute, the last time in the last span
    posts = [Post(str(i), None, "a", time=(start + timedelta(minutes=m)).isoformat()) for i, m in enumerate(minutes)]
    found = thread_statistics(Thread.build(posts)).timeline
    assert found is not None
    expected = [0] * TIME_BINS
    for minute in minutes:
        expected[min(minute * TIME_BINS // 60, TIME_BINS - 1)] += 1
    assert list(found.counts) == expected
    assert (found.start, found.end) == (start, start + timedelta(hours=1))


_MOMENTS = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.one_of(st.none(), st.timezones())
)


@given(st.lists(_MOMENTS, max_size=50))
def test_every_time_is_counted_once_whatever_its_zone(moments: list[datetime]) -> None:
    found = timeline(moments)
    if not moments:
        assert found is None
        return
    assert found is not None and len(found.counts) == TIME_BINS
    assert sum(found.counts) == found.timed == len(moments) and min(found.counts) >= 0
    assert found.start <= found.end


@given(st.text())
def test_any_time_text_parses_or_is_none(text: str) -> None:
    moment = parse_time(text)
    assert moment is None or isinstance(moment, datetime)


# The screen ---------------------------------------------------------------------------


def statistics_screen(app: ReaderApp) -> StatisticsScreen:
    screen = app.screen
    assert isinstance(screen, StatisticsScreen)
    return screen


async def test_s_shows_the_numbers_and_escape_closes() -> None:
    outline = raw_outline()
    authors = {author for _, author in outline}
    app = ReaderApp(load(CLOSED_SAMPLE))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        statistics_screen(app)
        text = screen_text(app)
        assert f"{len(outline)} posts" in text and f"{len(authors)} authors" in text
        chart = next(line for line in text.splitlines() if "Anonymous Coward" in line and "█" in line)
        assert chart.rstrip(" │").endswith(str(sum(author == "Anonymous Coward" for _, author in outline)))
        assert "3 posts deep, down to Ella Vator" in text
        assert "No post in this file has a time" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, StatisticsScreen)
        await pilot.press("s", "s")  # s opens and closes it too
        await pilot.pause()
        assert not isinstance(app.screen, StatisticsScreen)


async def test_enter_on_a_most_replied_post_goes_there_and_backspace_returns() -> None:
    outline = raw_outline()
    replies = raw_replies(outline)
    second = sorted((p for p in range(len(outline)) if replies[p]), key=lambda p: -replies[p])[1]
    app = ReaderApp(load(CLOSED_SAMPLE))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("s", "down", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, StatisticsScreen)
        assert app.thread_view.cursor_index == second
        assert app.thread.posts[second].author == outline[second][1] == "The Late Reader"
        assert "The Late Reader" in screen_text(app).split("▕", 1)[1]  # the pane shows it
        await pilot.press("backspace")
        await pilot.pause()
        assert app.thread_view.cursor_index == 0


async def test_d_goes_to_the_deepest_post() -> None:
    app = ReaderApp(load(CLOSED_SAMPLE))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("s", "d")
        await pilot.pause()
        index = app.thread_view.cursor_index
        assert index is not None and app.thread.posts[index].author == "Ella Vator"
        assert app.thread.depth[index] == max(depth for depth, _ in raw_outline())


async def test_a_post_the_filter_leaves_out_is_not_gone_to_silently() -> None:
    app = ReaderApp(load(CLOSED_SAMPLE), author_filter=AuthorFilter.of({"Anonymous Coward"}))
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        before = app.thread_view.cursor_index
        await pilot.press("s", "enter")  # Pat Pending's post: neither by nor above Anonymous Coward
        await pilot.pause()
        assert app.thread_view.cursor_index == before
        assert any("hidden by the author filter" in n.message for n in notices(app))


def timed_sample() -> Thread:
    """The closed sample with times of our own: every post an hour and a bit after the one before."""
    thread = load(CLOSED_SAMPLE)
    start = datetime(2024, 5, 2, 9, 0, tzinfo=timezone.utc)
    posts = [
        replace(post, time=(start + timedelta(minutes=70 * i + 13 * (i % 3))).strftime("%Y-%m-%dT%H:%M:%SZ"))
        for i, post in enumerate(thread.posts)
    ]
    return Thread.build(posts, title=thread.title, closed=True)


async def test_the_sparkline_counts_posts_over_time() -> None:
    thread = timed_sample()
    stamps = [datetime.fromisoformat(post.time or "") for post in thread.posts]
    first, last = min(stamps), max(stamps)
    expected = [0] * TIME_BINS
    for stamp in stamps:
        expected[min(int((stamp - first) / (last - first) * TIME_BINS), TIME_BINS - 1)] += 1
    app = ReaderApp(thread)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        sparkline = statistics_screen(app).query_one(Sparkline)
        assert list(sparkline.data or []) == expected
        text = screen_text(app)
        assert first.strftime("%Y-%m-%d %H:%M") in text and last.strftime("%Y-%m-%d %H:%M") in text


async def test_names_and_titles_from_the_file_are_never_markup() -> None:
    posts = [Post("1", None, "[bold red]Mallory[/]", title="[@click=app.quit]quit[/]"), Post("2", "1", "[b]x")]
    app = ReaderApp(Thread.build(posts))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        text = screen_text(app)
        assert "[bold red]Mallory[/]" in text and "[@click=app.quit]quit[/]" in text and "[b]x" in text


def test_the_statistics_screen(snap_compare: SnapCompare) -> None:
    choice = choose_theme("dark", ThemeSources(bundled_dir=REPO / "themes"), {})

    app = ReaderApp(timed_sample(), themes=choice)
    assert snap_compare(app, terminal_size=(100, 30), run_before=read_then_press("s"))


async def test_help_lists_the_keys_of_statistics_links_and_copying() -> None:
    app = ReaderApp(load(CLOSED_SAMPLE))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = {does: shown for shown, does in app.screen.rows}
        assert keys["Statistics: authors, replies, times"] == "s"
        assert keys["Open or copy a link of this post"] == "o"
        assert keys["Copy this post: author, title, text"] == "y"
        assert keys["Copy this post's link (or id)"] == "Y"
