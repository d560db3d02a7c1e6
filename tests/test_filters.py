"""Author filtering and the display toggles, as a user drives them."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

from helpers import CLOSED_SAMPLE, run_cli, screen_text, thread_from_outline
from test_cli import assert_one_error_line

from tuireader.app import ReaderApp
from tuireader.cli import prepare_app
from tuireader.filters import AuthorFilter, fuzzy_score, selection
from tuireader.formats import load
from tuireader.model import Post, Thread
from tuireader.screens.author_picker import AuthorPicker
from tuireader.widgets.decor import Display


def tree_lines(app: ReaderApp) -> list[str]:
    return ["".join(seg.text for seg in app.thread_view.render_line(y)).rstrip() for y in range(len(app.outline.rows))]


def current(app: ReaderApp) -> str:
    index = app.thread_view.cursor_index
    assert index is not None
    return app.thread.posts[index].id


def option_texts(picker: AuthorPicker) -> list[str]:
    authors = picker.author_list
    return [authors.row_text(row) for row in range(len(authors.rows))]


async def test_picker_lists_authors_by_activity_and_narrows_fuzzily() -> None:
    app = ReaderApp(load(CLOSED_SAMPLE))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, AuthorPicker)
        texts = option_texts(picker)
        assert texts[0] == "[ ] Anonymous Coward  3"
        assert texts[1] == "[ ] Bea Keeper 7  2"
        assert len(texts) == 14  # 17 posts: Anonymous Coward wrote 3, Bea Keeper 7 wrote 2
        await pilot.press(*"bke")
        await pilot.pause()
        assert option_texts(picker) == ["[ ] Bea Keeper 7  2"]
        await pilot.press("escape")
        await pilot.pause()
        assert app.author_filter is None


async def test_the_picker_opens_afresh_each_time_set_to_the_filter_in_force() -> None:
    """The picker is kept between openings (a new one costs twice the time): nothing of a cancelled visit stays."""
    app = ReaderApp(load(CLOSED_SAMPLE))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", *"bke", "space", "ctrl+t", "escape")
        await pilot.pause()
        assert app.author_filter is None
        await pilot.press("f")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, AuthorPicker)
        texts = option_texts(picker)
        assert len(texts) == 14 and all(text.startswith("[ ] ") for text in texts)  # every author, none marked
        shown = screen_text(app)
        assert "Type to narrow the list" in shown and "only these authors" in shown and "0 marked" in shown
        await pilot.press(*"bke", "enter")
        await pilot.pause()
        assert app.author_filter == AuthorFilter.of(["Bea Keeper 7"])
        await pilot.press("f")
        await pilot.pause()
        assert app.screen is picker
        assert "[x] Bea Keeper 7  2" in option_texts(picker) and "1 marked" in screen_text(app)
        await pilot.press("ctrl+t", "enter")
        await pilot.pause()
        assert app.author_filter == AuthorFilter.of(["Bea Keeper 7"], hide=True)
        await pilot.press("f")
        await pilot.pause()
        assert "hide these authors" in screen_text(app) and "1 marked" in screen_text(app)


async def test_a_thread_that_grew_gets_a_picker_of_its_authors() -> None:
    """While a file loads, each opening counts the posts read so far."""
    release = threading.Event()

    def rest() -> Iterator[Post]:
        release.wait(10)  # held until the first picker has been seen
        yield Post("3", None, "cy")

    app = ReaderApp(Thread.build([Post("1", None, "ann"), Post("2", None, "bob")]), more_posts=rest())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f")
        await pilot.pause()
        first = app.screen
        assert isinstance(first, AuthorPicker) and len(option_texts(first)) == 2
        await pilot.press("escape")
        release.set()
        await app.loaded.wait()
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, AuthorPicker)
        assert [text.split("  ")[0] for text in option_texts(picker)] == ["[ ] ann", "[ ] bob", "[ ] cy"]


async def test_only_mode_keeps_ancestors_as_context_and_restricts_moves() -> None:
    app = ReaderApp(load(CLOSED_SAMPLE))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", *"bea", "enter")
        await pilot.pause()
        assert app.author_filter == AuthorFilter.of(["Bea Keeper 7"])
        ids = [app.thread.posts[i].id for i in app.outline.rows]
        assert ids == ["2", "11", "11.1"]  # Dewey Decimal's post 11 stays as context
        assert current(app) == "2"
        assert "only Bea Keeper 7: 2 of 17 posts" in screen_text(app)
        await pilot.press("j")
        await pilot.pause()
        assert current(app) == "11.1"  # skips the context post
        await pilot.press("g")
        await pilot.pause()
        assert current(app) == "2"
        await pilot.press("F")
        await pilot.pause()
        assert len(app.outline.rows) == 17 and app.author_filter is None
        assert "of 17 posts" not in screen_text(app)


async def test_space_marks_several_authors() -> None:
    app = ReaderApp(load(CLOSED_SAMPLE))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", "space", "down", "space", "enter")
        await pilot.pause()
        assert app.author_filter == AuthorFilter.of(["Anonymous Coward", "Bea Keeper 7"])
        assert "only Anonymous Coward, Bea Keeper 7: 5 of 17 posts" in screen_text(app)


async def test_hide_mode_stubs_posts_and_keeps_replies_readable() -> None:
    app = ReaderApp(load(CLOSED_SAMPLE))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f", *"dewey", "ctrl+t", "enter")
        await pilot.pause()
        assert app.author_filter == AuthorFilter.of(["Dewey Decimal"], hide=True)
        lines = tree_lines(app)
        assert any(line.endswith("hidden: Dewey Decimal") for line in lines)
        assert any("Bea Keeper 7" in line and "A simple question" in line for line in lines)
        assert "hiding Dewey Decimal: 16 of 17 posts" in screen_text(app)
        await pilot.press("G", "k")
        await pilot.pause()
        assert current(app) == "11"  # k from 11.1 steps onto the hidden post 11: a stub, Enter opens it
        assert "This author is hidden" in screen_text(app)
        await pilot.press("k")
        await pilot.pause()
        assert current(app) == "10"
        await pilot.press("a")  # a jump passes the stub by
        await pilot.pause()
        assert current(app) != "11"


async def test_toggles_change_tree_and_pane_and_back() -> None:
    app = ReaderApp(load(CLOSED_SAMPLE))
    async with app.run_test(size=(140, 40)) as pilot:
        app.thread_view.select_index(app.thread.index_of["11.1"])
        await pilot.pause()
        for key, tree_mark, pane_mark in (("b", "◆G", "Gold badge"), ("t", "▼", "[Thumb Down]")):
            line = tree_lines(app)[-1]
            assert tree_mark in line and pane_mark in screen_text(app)
            await pilot.press(key)
            await pilot.pause()
            assert tree_mark not in tree_lines(app)[-1] and pane_mark not in screen_text(app)
            await pilot.press(key)
            await pilot.pause()
            assert tree_mark in tree_lines(app)[-1] and pane_mark in screen_text(app)
        assert "b badges on" in screen_text(app)


async def test_votes_toggle() -> None:
    thread = thread_from_outline("1 a\n1.1 b")
    thread.posts[0].up, thread.posts[0].down = 12, 3
    app = ReaderApp(thread, display=Display(votes=False))
    async with app.run_test(size=(100, 20)) as pilot:
        assert "+12" not in tree_lines(app)[0]
        assert "v votes off" in screen_text(app)
        await pilot.press("v")
        await pilot.pause()
        assert "+12 -3" in tree_lines(app)[0] and "+12 -3" in screen_text(app)


async def test_op_marker_on_replies_by_the_branch_starter() -> None:
    thread = thread_from_outline("1 alice\n1.1 bob\n1.1.1 alice\n2 bob")
    app = ReaderApp(thread)
    async with app.run_test(size=(100, 20)):
        lines = tree_lines(app)
        assert "alice OP" in lines[2]
        assert "OP" not in lines[0] and "OP" not in lines[1] and "OP" not in lines[3]


def test_fuzzy_score() -> None:
    assert fuzzy_score("jsm", "John Smith 19") is not None
    assert fuzzy_score("JOHN", "John Smith 19") == 0
    assert fuzzy_score("zz", "John Smith 19") is None
    assert fuzzy_score("smith", "John Smith 19") == 1


def test_selection_marks_context() -> None:
    thread = thread_from_outline("1 a\n1.1 b\n1.1.1 c\n2 c")
    indices, context = selection(thread, AuthorFilter.of(["c"]))
    assert indices == [0, 1, 2, 3] and context == {0, 1}
    indices, context = selection(thread, AuthorFilter.of(["a"], hide=True))
    assert indices == [0, 1, 2, 3] and context == {0}


def test_cli_export_author_and_hide_author() -> None:
    result = run_cli("export", str(CLOSED_SAMPLE), "--author", "Bea Keeper 7", "--to", "json")
    assert result.returncode == 0, result.stderr
    posts = json.loads(result.stdout)["posts"]
    assert [(p["id"], p.get("context", False)) for p in posts] == [("2", False), ("11", True), ("11.1", False)]
    result = run_cli("export", str(CLOSED_SAMPLE), "--hide-author", "Anonymous Coward", "--to", "json")
    posts = json.loads(result.stdout)["posts"]
    assert len(posts) == 14 and all(p["author"] != "Anonymous Coward" for p in posts)
    assert_one_error_line(
        run_cli("export", str(CLOSED_SAMPLE), "--author", "Bea Keeper"), "did you mean 'Bea Keeper 7'"
    )
    assert_one_error_line(run_cli("export", str(CLOSED_SAMPLE), "--author", "a", "--hide-author", "b"), "not both")


def test_author_flags_ignore_case_when_that_names_one_author(tmp_path: Path) -> None:
    result = run_cli("export", str(CLOSED_SAMPLE), "--author", "bea keeper 7", "--to", "json")
    assert result.returncode == 0, result.stderr
    assert [p["id"] for p in json.loads(result.stdout)["posts"] if not p.get("context")] == ["2", "11.1"]
    result = run_cli("export", str(CLOSED_SAMPLE), "--hide-author", "ANONYMOUS COWARD", "--to", "json")
    assert result.returncode == 0 and "Anonymous Coward" not in result.stdout
    two = tmp_path / "two.txt"
    two.write_text("  1. Ann Teak\n\n    One\n\n    Hi.\n\n  2. ANN TEAK\n\n    Two\n\n    Hi.\n", encoding="utf-8")
    assert_one_error_line(run_cli("export", str(two), "--author", "ann teak"), "'ANN TEAK', 'Ann Teak'")
    assert run_cli("export", str(two), "--author", "Ann Teak").returncode == 0  # as spelt: no question


async def test_the_app_starts_filtered_by_a_name_in_any_case() -> None:
    app = prepare_app([str(CLOSED_SAMPLE), "--author", "BEA KEEPER 7"])
    assert app.author_filter == AuthorFilter.of(["Bea Keeper 7"])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("escape")  # the thread's About card
        await pilot.pause()
        assert [app.thread.posts[i].id for i in app.outline.rows] == ["2", "11", "11.1"]
