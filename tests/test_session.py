"""The reading session: filter, moves, opened posts and loading, without a screen; then the same through keys."""

from __future__ import annotations

from helpers import SMALL_OUTLINE, screen_text, thread_from_outline

from tuireader.app import ReaderApp
from tuireader.filters import AuthorFilter
from tuireader.model import Post, Thread
from tuireader.session import CONTEXT, HIDDEN, MATCHED, MOVES, MOVES_BY_NAME, UNREAD, Loader, ReadingSession


def ids(session: ReadingSession) -> list[str]:
    return [session.thread.posts[i].id for i in session.outline.rows]


def test_the_filter_lives_in_the_session_and_moves_respect_it() -> None:
    session = ReadingSession(thread_from_outline(SMALL_OUTLINE))
    keep = session.set_filter(AuthorFilter.of(["alice"]), keep=1)  # bob's post: the cursor moves to a match
    assert keep == 0 and ids(session) == ["1", "2", "2.1"]
    assert [session.filter_state(i) for i in session.outline.rows] == [MATCHED, CONTEXT, MATCHED]
    assert [session.line_state(i) for i in session.outline.rows] == [MATCHED | UNREAD, CONTEXT | UNREAD, UNREAD]
    assert session.target("next_row", 0) == 5 and session.target("next_by_author", 0) == 5
    assert session.filter_description() == "only alice: 2 of 6 posts"
    session.set_filter(None)
    assert len(session.outline) == 6 and session.target("next_row", 0) == 1 and session.filter_description() == ""


def test_a_hidden_authors_post_opens_once_without_clearing_the_filter() -> None:
    session = ReadingSession(thread_from_outline(SMALL_OUTLINE), author_filter=AuthorFilter.of(["bob"], hide=True))
    assert session.is_hidden(1) and session.filter_state(1) == HIDDEN
    assert session.open_post(1) and not session.is_hidden(1) and session.filter_state(1) == MATCHED
    assert session.author_filter is not None and session.is_hidden(1) is False
    assert not session.open_post(0)  # nothing folded there
    session.set_filter(AuthorFilter.of(["bob"], hide=True))
    assert not session.is_hidden(1)  # opened stays opened


def test_every_move_is_in_one_table_with_its_nowhere_text() -> None:
    session = ReadingSession(thread_from_outline(SMALL_OUTLINE))
    extra = {"first_reply", "next_match", "previous_match", "next_unread", "previous_unread"}
    assert {move.name for move in MOVES} | extra == set(MOVES_BY_NAME)
    last = len(session.thread) - 1
    for move in MOVES:
        assert move.nowhere and move.tooltip and move.binding_id
    assert session.target("next_row", last) is None and MOVES_BY_NAME["next_row"].nowhere == "Last post"
    assert not MOVES_BY_NAME["next_row"].jump and MOVES_BY_NAME["last_post"].jump


def test_the_loader_stops_when_cancelled_and_merges_late_posts() -> None:
    first = Thread.build([Post("1", None, "a")])
    rest = (Post(str(n), None, f"u{n}") for n in range(2, 20_000))
    session = ReadingSession(first, rest=rest)
    assert session.loading and session.loader is not None
    stop = False
    batches = session.loader.batches(lambda: stop)
    session.add_posts(next(batches))
    stop = True
    assert next(batches, None) is None  # cancelled: no further batch is parsed
    session.finish_loading()
    assert not session.loading and len(session.thread) == 5_001 and len(session.outline) == 5_001


def test_a_loader_over_a_plain_iterator_has_no_late_header() -> None:
    loader = Loader(iter([Post("2", None, "b")]))
    assert loader.source is None and [len(b) for b in loader.batches(lambda: False)] == [1]


async def test_enter_on_a_stub_and_on_a_content_warning_opens_the_post() -> None:
    posts = [
        Post("1", None, "ann", body="visible words"),
        Post("2", None, "troll", body="troll words"),
        Post("3", None, "cara", title="spoilers for the finale", icons=("CW",), body="the twist is revealed"),
    ]
    app = ReaderApp(Thread.build(posts), author_filter=AuthorFilter.of(["troll"], hide=True))
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("j")
        await pilot.pause()
        assert "troll words" not in screen_text(app) and "hidden: troll" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "troll words" in screen_text(app) and app.author_filter is not None
        await pilot.press("j")
        await pilot.pause()
        text = screen_text(app)
        assert "spoilers for the finale" in text and "the twist is revealed" not in text
        assert "Content warning" in text
        await pilot.press("enter")
        await pilot.pause()
        assert "the twist is revealed" in screen_text(app)
