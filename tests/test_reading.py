"""Reading comfort through real keys: search with n/N, unread marks and Tab across visits, read-through, quotes."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import notices, screen_text

from tuireader.app import ReaderApp
from tuireader.body import PARAGRAPH, QUOTE, Block, Span, plain_text
from tuireader.export import to_json
from tuireader.model import Post, Thread
from tuireader.session import ReadingSession

PANE_WORDS = [f"post number {n} says {'apple' if n % 3 == 0 else 'pear'}" for n in range(12)]


def numbered_thread(count: int = 12, *, title: str = "Fruit") -> Thread:
    posts = [
        Post(str(n), None if n % 4 == 0 else str(n - n % 4), f"user{n % 3}", title=f"title {n}", body=PANE_WORDS[n])
        for n in range(count)
    ]
    return Thread.build(posts, title=title, url="https://forum.example.org/t/fruit")


def current(app: ReaderApp) -> str:
    index = app.thread_view.cursor_index
    assert index is not None
    return app.thread.posts[index].id


async def test_search_moves_with_n_and_escape_gives_n_back() -> None:
    app = ReaderApp(numbered_thread())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"apple", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert current(app) == "3"  # the nearest match after the cursor
        assert "match 2 of 4" in screen_text(app)  # post 0 matches too: it comes first
        await pilot.press("n")
        await pilot.pause()
        assert current(app) == "6" and "match 3 of 4" in screen_text(app)
        await pilot.press("N", "N")
        await pilot.pause()
        assert current(app) == "0"
        assert "⌕" in screen_text(app)  # matches are marked in the tree by a glyph, not colour alone
        await pilot.press("escape")
        await pilot.pause()
        assert "match" not in screen_text(app).splitlines()[-2]
        await pilot.press("n")  # the next top-level post again
        await pilot.pause()
        assert current(app) == "4"


async def test_a_regex_search_and_a_bad_one() -> None:
    app = ReaderApp(numbered_thread())
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("slash", *"re:number 1[01]", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert current(app) == "10"
        await pilot.press("slash", *"re:(unclosed", "enter")
        await pilot.pause()
        assert any("bad regular expression" in n.message for n in notices(app))
        assert app.is_running


async def test_smart_case_and_the_highlight_in_the_pane() -> None:
    app = ReaderApp(numbered_thread())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"Apple", "enter")  # a capital: exact case, and no post says "Apple"
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "no matches" in screen_text(app)


async def test_unread_marks_tab_and_new_since_last_visit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUIREADER_STATE_DIR", str(tmp_path / "state"))
    thread_file = tmp_path / "thread.json"
    thread_file.write_text(to_json(numbered_thread(8)), encoding="utf-8")
    app = ReaderApp(ReadingSession.open(thread_file, keep_state=True))
    async with app.run_test(size=(100, 30)) as pilot:
        assert "8 unread" in screen_text(app)
        await pilot.press("M")  # post 0 and its replies 1-3 read
        await pilot.press("tab")
        await pilot.pause()
        assert current(app) == "4" and "4 unread" in screen_text(app)
        await pilot.press("m")  # post 4 read by hand
        await pilot.press("shift+tab")
        await pilot.pause()
        assert current(app) == "4"  # nothing unread before it: the cursor stays
        await pilot.press("m", "m")  # unread again, then read again
        await pilot.pause()
        assert "3 unread" in screen_text(app)
    # The same thread saved again later, with four new replies.
    thread_file.write_text(to_json(numbered_thread(12)), encoding="utf-8")
    app = ReaderApp(ReadingSession.open(thread_file, keep_state=True))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        assert any("4 new since last visit" in n.message for n in notices(app))
        text = screen_text(app)
        assert "7 unread" in text  # 5, 6, 7 unread from before, and the 4 new ones
        assert text.count("●") == 7


async def test_a_corrupt_state_database_is_said_once_and_reading_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "state"
    state.mkdir()
    monkeypatch.setenv("TUIREADER_STATE_DIR", str(state))
    (state / "reading.sqlite3").write_bytes(b"this is not a database" * 100)
    thread_file = tmp_path / "thread.json"
    thread_file.write_text(to_json(numbered_thread(4)), encoding="utf-8")
    app = ReaderApp(ReadingSession.open(thread_file, keep_state=True))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("m", "j")
        await pilot.pause()
        warned = [notice for notice in notices(app) if notice.title == "Read marks not saved"]
        assert len(warned) == 1 and "3 unread" in screen_text(app)


async def test_space_reads_on_through_a_long_post_to_the_next_unread() -> None:
    long_body = "\n\n".join(f"paragraph {n} " + "word " * 30 for n in range(30))
    posts = [Post("1", None, "ann", body=long_body), Post("2", None, "bob", body="short"), Post("3", None, "cy")]
    app = ReaderApp(Thread.build(posts))
    async with app.run_test(size=(80, 20)) as pilot:
        app.session.mark_read(1)  # bob's post is read already: Space skips it
        await pilot.press("space")
        await pilot.pause()
        assert current(app) == "1" and app.pane.scroll_y > 0
        for _ in range(40):
            await pilot.press("space")
            await pilot.pause()
            if current(app) != "1":
                break
        assert current(app) == "3"


async def test_q_folds_quotes_to_one_line_from_post_to_post() -> None:
    quote = Block(QUOTE, (Span("first quoted line\nsecond quoted line\nthird quoted line"),), level=1)
    answer = Block(PARAGRAPH, (Span("my answer"),))
    blocks = (quote, answer)
    posts = [Post(str(n), None, "ann", body=plain_text(blocks), blocks=blocks) for n in range(2)]
    app = ReaderApp(Thread.build(posts))
    async with app.run_test(size=(80, 20)) as pilot:
        assert "> second quoted line" in screen_text(app)
        await pilot.press("Q")
        await pilot.pause()
        text = screen_text(app)
        assert "> first quoted line" in text and "second quoted line" not in text and "my answer" in text
        await pilot.press("j")
        await pilot.pause()
        assert "second quoted line" not in screen_text(app)  # the choice holds for the next post


async def test_the_search_line_shows_what_is_typed_over_the_footer() -> None:
    app = ReaderApp(numbered_thread())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"pear")
        await pilot.pause()
        assert screen_text(app).splitlines()[-1].strip() == "pear"
        await pilot.press("escape")
        await pilot.pause()
        assert "Quit" in screen_text(app).splitlines()[-1]  # closed: the footer again


async def test_the_focused_view_is_marked_by_a_glyph_and_ctrl_w_moves_it() -> None:
    app = ReaderApp(numbered_thread())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "▕▌" not in screen_text(app) and app.thread_view.has_focus
        await pilot.press("ctrl+w")
        await pilot.pause()
        assert app.pane.has_focus
        assert screen_text(app).splitlines()[1].count("▕▌") == 1  # a bar down the pane's edge, in any theme
        await pilot.press("ctrl+w")
        await pilot.pause()
        assert app.thread_view.has_focus and "▕▌" not in screen_text(app)
