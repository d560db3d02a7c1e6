"""Read marks kept between visits: a reopen, a thread saved again with new replies, two readers at once,
and every way the database can fail (corrupt, read-only, locked, newer), after which the reader goes on."""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import pytest
from helpers import SMALL_OUTLINE, draw_post, thread_from_outline
from hypothesis import given, settings
from hypothesis import strategies as st

from tuireader import state
from tuireader.filters import AuthorFilter
from tuireader.model import Post, Thread
from tuireader.session import ReadingSession
from tuireader.state import ReadState, state_path

GROWN_OUTLINE = """
1 alice
1.1 bob
1.1.1 carol
1.1.2 frank
1.2 dave
1.3 gina
2 erin
2.1 alice
3 hank
"""
"""SMALL_OUTLINE saved again a day later: three new replies and a new top-level post."""


@pytest.fixture(autouse=True)
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "state"
    monkeypatch.setenv(state.STATE_DIR_VARIABLE, str(folder))
    return folder


def ids(thread: Thread, indices: list[int]) -> list[str]:
    return [thread.posts[index].id for index in indices]


def unread_ids(marks: ReadState) -> list[str]:
    return [post.id for index, post in enumerate(marks.thread.posts) if not marks.is_read(index)]


def read_ids(marks: ReadState) -> list[str]:
    return [post.id for index, post in enumerate(marks.thread.posts) if marks.is_read(index)]


# Across visits -------------------------------------------------------------------------------------


def test_a_first_visit_has_everything_unread_and_nothing_new() -> None:
    thread = thread_from_outline(SMALL_OUTLINE)
    marks = ReadState.open(thread)
    assert marks.persistent and marks.warning is None
    assert marks.unread_count() == len(thread) and marks.new_since_last_visit() == 0


def test_marks_survive_a_reopen(state_dir: Path) -> None:
    thread = thread_from_outline(SMALL_OUTLINE)
    marks = ReadState.open(thread)
    assert marks.mark(0) and not marks.mark(0)  # the second changes nothing
    assert marks.mark_many(range(2, 4)) == 2
    marks.close()
    again = ReadState.open(thread_from_outline(SMALL_OUTLINE))
    assert unread_ids(again) == ["1.1", "2", "2.1"]
    assert again.new_since_last_visit() == 0
    assert state_path() == state_dir / state.DATABASE_NAME and state_path().is_file()


def test_marking_unread_is_saved_too() -> None:
    marks = ReadState.open(thread_from_outline(SMALL_OUTLINE))
    marks.mark_many(range(6))
    marks.flush()
    marks.mark(1, read=False)
    marks.close()
    assert unread_ids(ReadState.open(thread_from_outline(SMALL_OUTLINE))) == ["1.1"]


def test_a_grown_thread_opens_with_only_its_new_posts_unread() -> None:
    old = thread_from_outline(SMALL_OUTLINE)
    marks = ReadState.open(old)
    marks.mark_many(range(len(old)))
    marks.close()
    grown = thread_from_outline(GROWN_OUTLINE)
    added = sorted({post.id for post in grown.posts} - {post.id for post in old.posts})
    again = ReadState.open(grown)
    assert sorted(unread_ids(again)) == added
    assert again.unread_count() == again.new_since_last_visit() == len(added)
    again.close()
    third = ReadState.open(thread_from_outline(GROWN_OUTLINE))
    assert sorted(unread_ids(third)) == added  # still unread, but no longer new
    assert third.new_since_last_visit() == 0


def test_marks_follow_the_posts_when_the_thread_comes_in_another_order() -> None:
    posts = [Post(str(i), None, f"user{i}", body=f"post {i}") for i in range(6)]
    marks = ReadState.open(Thread.build(posts, title="t"))
    marks.mark_many([1, 4])
    marks.close()
    again = ReadState.open(Thread.build(list(reversed(posts)), title="t", url=None))
    # Keyed by title and first post: the reordered file is another thread unless it has an address.
    assert again.unread_count() == 6
    by_url = ReadState.open(Thread.build(posts, url="https://forum.example.org/t/1/"))
    by_url.mark_many([1, 4])
    by_url.close()
    reordered = ReadState.open(Thread.build(list(reversed(posts)), url="https://forum.example.org/t/1#reply"))
    assert sorted(read_ids(reordered)) == ["1", "4"]


def test_a_big_thread_arriving_in_batches_is_fingerprinted_as_it_grows() -> None:
    posts = [Post(str(i), None, "a", body=f"post {i}") for i in range(2_000)]
    whole = Thread.build(posts, title="batches")
    marks = ReadState.open(whole)
    marks.mark_many(range(0, 2_000, 2))
    marks.close()
    partial = Thread.build(posts[:500], title="batches")
    again = ReadState.open(partial)
    assert again.unread_count() == 250
    partial.extend([*posts[500:], Post("new", None, "b", body="late reply")])
    assert again.unread_count() == 1_001 and again.new_since_last_visit() == 1
    assert again.is_read(1_998) and not again.is_read(2_000)


# Two readers ---------------------------------------------------------------------------------------


def test_two_readers_on_one_thread_keep_each_others_marks() -> None:
    first = ReadState.open(thread_from_outline(SMALL_OUTLINE))
    second = ReadState.open(thread_from_outline(SMALL_OUTLINE))
    first.mark_many([0, 1])
    second.mark_many([4, 5])
    first.flush()
    second.flush()  # writes only its own marks: the first reader's stay
    first.mark(1, read=False)
    first.close()
    second.close()
    assert unread_ids(ReadState.open(thread_from_outline(SMALL_OUTLINE))) == ["1.1", "1.1.1", "1.2"]


# Moving to unread posts ----------------------------------------------------------------------------


def test_next_and_previous_unread_respect_an_author_filter() -> None:
    thread = thread_from_outline(SMALL_OUTLINE)
    marks = ReadState.open(thread, enabled=False)
    marks.mark_many([1, 3])
    keep = ReadingSession(thread, author_filter=AuthorFilter.of(["alice", "dave", "erin"])).keep
    assert marks.next_unread(0) == 2
    assert ids(thread, [marks.next_unread(0, keep) or 0]) == ["2"]  # carol is filtered out, dave is read
    assert marks.next_unread(5) is None
    assert marks.previous_unread(5, keep) == 4 and marks.previous_unread(4, keep) == 0
    assert marks.previous_unread(0) is None


def test_marking_a_subtree_read() -> None:
    thread = thread_from_outline(SMALL_OUTLINE)
    marks = ReadState.open(thread, enabled=False)
    assert marks.mark_many(range(0, thread.end[0])) == 4
    assert unread_ids(marks) == ["2", "2.1"]


@given(st.lists(st.booleans(), min_size=1, max_size=30), st.data())
def test_next_and_previous_unread_agree_with_a_plain_walk(read: list[bool], data: st.DataObject) -> None:
    thread = Thread.build([Post(str(i), None, "a") for i in range(len(read))])
    kept = data.draw(st.lists(st.booleans(), min_size=len(read), max_size=len(read)))
    marks = ReadState.open(thread, enabled=False)
    marks.mark_many(i for i, flag in enumerate(read) if flag)
    start = data.draw(st.integers(0, len(read) - 1))
    after = [i for i in range(start + 1, len(read)) if not read[i] and kept[i]]
    before = [i for i in range(start) if not read[i] and kept[i]]
    assert marks.next_unread(start, kept.__getitem__) == (after[0] if after else None)
    assert marks.previous_unread(start, kept.__getitem__) == (before[-1] if before else None)
    assert marks.unread_count() == read.count(False)


# When the database cannot be used --------------------------------------------------------------------


def carries_on_without_state(marks: ReadState) -> None:
    """The reader still marks posts for this session, and a flush neither raises nor saves."""
    assert not marks.persistent
    unread = marks.next_unread(-1)
    assert unread is not None and marks.mark(unread) and marks.is_read(unread)
    assert marks.next_unread(unread) != unread
    marks.flush()
    marks.close()


def test_no_state_keeps_marks_in_memory_only(state_dir: Path) -> None:
    marks = ReadState.open(thread_from_outline(SMALL_OUTLINE), enabled=False)
    assert marks.warning is None
    carries_on_without_state(marks)
    assert not state_dir.exists()


def test_a_corrupt_database_is_reported_once_and_left_alone(state_dir: Path) -> None:
    state_dir.mkdir()
    garbage = b"this is not sqlite\x00\xff" * 500
    state_path().write_bytes(garbage)
    marks = ReadState.open(thread_from_outline(SMALL_OUTLINE))
    assert marks.warning == f"read marks are not saved: {state_path()}: file is not a database"
    carries_on_without_state(marks)
    assert state_path().read_bytes() == garbage


def test_values_of_any_type_in_the_database_are_read_as_marks_or_ignored() -> None:
    thread = thread_from_outline(SMALL_OUTLINE)
    marks = ReadState.open(thread)
    marks.mark_many([0, 1])
    marks.close()
    with sqlite3.connect(state_path()) as connection:
        connection.execute("UPDATE posts SET read = 'yes' WHERE read = 1")
        connection.execute("INSERT INTO posts VALUES (1, 'not a fingerprint', 300), (1, x'00', -5.5)")
    again = ReadState.open(thread_from_outline(SMALL_OUTLINE))
    assert unread_ids(again) == ["1.1.1", "1.2", "2", "2.1"] and again.warning is None
    again.mark(2)
    again.close()


def test_a_state_folder_that_cannot_be_made_is_reported(state_dir: Path) -> None:
    state_dir.write_text("a file where the folder should be")
    marks = ReadState.open(thread_from_outline(SMALL_OUTLINE))
    assert marks.warning is not None and marks.warning.startswith(f"read marks are not saved: {state_path()}: ")
    carries_on_without_state(marks)


def test_a_read_only_database_shows_its_marks_but_saves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    marks = ReadState.open(thread_from_outline(SMALL_OUTLINE))
    marks.mark(5)
    marks.close()
    # Tests run as root, where chmod does not stop writes: open the database read-only as a read-only disk would.
    with monkeypatch.context() as patch:
        patch.setattr(state, "_connect", lambda path: sqlite3.connect(f"file:{path}?mode=ro", uri=True))
        read_only = ReadState.open(thread_from_outline(SMALL_OUTLINE))
        assert read_only.is_read(5) and read_only.persistent
        read_only.mark(0)
        read_only.flush()
        assert read_only.warning == f"read marks are not saved: {state_path()}: attempt to write a readonly database"
        carries_on_without_state(read_only)
    assert unread_ids(ReadState.open(thread_from_outline(SMALL_OUTLINE))) == ["1", "1.1", "1.1.1", "1.2", "2"]


def test_a_locked_database_is_reported_once_and_the_marks_stay_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state, "BUSY_SECONDS", 0.05)
    ReadState.open(thread_from_outline(SMALL_OUTLINE)).close()  # the database exists
    other = sqlite3.connect(state_path(), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        marks = ReadState.open(thread_from_outline(SMALL_OUTLINE))
        assert marks.warning is None  # in WAL mode reading does not wait for a writer
        marks.mark(2)
        marks.flush()
        assert marks.warning == f"read marks are not saved: {state_path()}: database is locked"
        first_warning = marks.warning
        carries_on_without_state(marks)
        assert marks.warning == first_warning and marks.is_read(2)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert ReadState.open(thread_from_outline(SMALL_OUTLINE)).unread_count() == 6


def test_a_database_from_a_newer_reader_is_left_alone() -> None:
    ReadState.open(thread_from_outline(SMALL_OUTLINE)).close()
    with sqlite3.connect(state_path()) as connection:
        connection.execute(f"PRAGMA user_version = {state.SCHEMA_VERSION + 1}")
    marks = ReadState.open(thread_from_outline(SMALL_OUTLINE))
    assert marks.warning == f"read marks are not saved: {state_path()}: it was written by a newer tuireader"
    carries_on_without_state(marks)


def test_a_write_that_fails_half_way_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    marks = ReadState.open(thread_from_outline(SMALL_OUTLINE))
    marks.mark(0)
    # The new posts' rows are inserted first; then the marks' statement fails: the transaction must undo both.
    with monkeypatch.context() as patch:
        patch.setattr(state, "_UPSERT_MARK", "INSERT INTO no_such_table VALUES (?, ?, ?)")
        marks.flush()
    assert marks.warning is not None and "no such table" in marks.warning
    with sqlite3.connect(state_path()) as connection:
        assert connection.execute("SELECT count(*) FROM posts").fetchone() == (0,)
        assert connection.execute("SELECT count(*) FROM threads").fetchone() == (0,)


ADDRESSES = itertools.count()


@settings(max_examples=40)
@given(st.data())
def test_any_posts_reopen_with_their_marks(data: st.DataObject) -> None:
    """Hostile text in every field; identical posts (same author, title, time and body) share one mark."""
    count = data.draw(st.integers(1, 8))
    text = st.text(max_size=6) | st.sampled_from(["", "x", "\ud800", "\x00\x1b[31m", "İ"])
    posts = [draw_post(data.draw, str(i), None, text) for i in range(count)]
    marked = data.draw(st.sets(st.integers(0, count - 1)))
    url = f"https://example.org/{next(ADDRESSES)}"  # one thread per example
    marks = ReadState.open(Thread.build(posts, url=url))
    marks.mark_many(marked)
    marks.close()
    again = ReadState.open(Thread.build(posts, url=url))
    content = [(post.author, post.title, post.time, post.body) for post in again.thread.posts]
    expected = [any(content[i] == content[other] for other in marked) for i in range(count)]
    assert [again.is_read(i) for i in range(count)] == expected and again.warning is None


def test_a_missing_time_and_an_empty_one_are_different_posts() -> None:
    """Found by hypothesis in CI: two posts differing only there shared a mark."""
    posts = [Post("1", None, "a", time=None), Post("2", None, "a", time="")]
    marks = ReadState.open(Thread.build(posts, url="https://example.org/none-and-empty"))
    marks.mark(0)
    marks.close()
    again = ReadState.open(Thread.build(posts, url="https://example.org/none-and-empty"))
    assert [again.is_read(0), again.is_read(1)] == [True, False]
