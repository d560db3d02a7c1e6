"""The ? screen: the reader's own keys in the README's order, with the keys in force, and a legend of the marks."""

from __future__ import annotations

from pathlib import Path

from helpers import CLOSED_SAMPLE, REPO, screen_text, thread_from_outline
from textual.containers import VerticalScroll

from tuireader.app import ReaderApp
from tuireader.config import load_config
from tuireader.formats import load
from tuireader.keys import action_ids, action_places, all_bindings
from tuireader.model import Post
from tuireader.screens.help import HelpScreen
from tuireader.widgets.decor import LEGEND_ROWS, Mark, legend
from tuireader.widgets.palette import PlainPalette

REMAPS = '[keys]\nnext = ["j", "ctrl+n"]\nprevious = ["k", "ctrl+b"]\nback = "ctrl+o"\nquit = "x"\n'


async def help_rows(app: ReaderApp) -> list[tuple[str, str]]:
    """Open help and read its rows as (keys, what it does), as shown."""
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        return [(keys, does) for keys, does in screen.rows]


async def test_remapped_keys_keep_the_default_order_and_show_the_keys_in_force(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(REMAPS, encoding="utf-8")
    keymap = load_config(config, action_ids(), action_places()).keymap
    default = await help_rows(ReaderApp(thread_from_outline("1 a\n1.1 b")))
    remapped = await help_rows(ReaderApp(thread_from_outline("1 a\n1.1 b"), keymap=keymap))
    descriptions = [binding.tooltip for binding in all_bindings()]
    assert [does for _, does in default] == [does for _, does in remapped] == descriptions
    keys = dict((does, keys) for keys, does in remapped)
    assert keys["Next post in reading order"] == "j, ctrl+n"
    assert keys["Previous post in reading order"] == "k, ctrl+b"
    assert keys["Back to where the last jump started"] == "ctrl+o"
    assert keys["Leave the reader"] == "x"
    assert dict((does, keys) for keys, does in default)["Leave the reader"] == "q"


async def test_help_lists_no_key_the_reader_does_not_offer() -> None:
    rows = await help_rows(ReaderApp(thread_from_outline("1 a")))
    shown = " ".join(f"{keys} {does}" for keys, does in rows).lower()
    # Textual's own: tab and shift+tab "Focus Next/Previous", ctrl+c "Copy selected text", ctrl+q "Quit the app".
    for foreign in ("focus next", "focus previous", "copy selected", "ctrl+q", "ctrl+c", "super+c"):
        assert foreign not in shown, foreign
    assert ("ctrl+p", "Open the command palette (themes and commands)") in rows


async def test_j_and_k_scroll_the_help_screen() -> None:
    app = ReaderApp(thread_from_outline("1 a"))
    async with app.run_test(size=(80, 16)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        scroll = app.screen.query_one(VerticalScroll)
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert scroll.scroll_offset.y == 3
        await pilot.press("k")
        await pilot.pause()
        assert scroll.scroll_offset.y == 2
        assert isinstance(app.screen, HelpScreen)


async def test_help_has_a_legend_of_this_threads_marks_drawn_as_the_tree_draws_them() -> None:
    app = ReaderApp(load(CLOSED_SAMPLE))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        legend = {entry.mark: entry.meaning for entry in screen.legend}
        assert legend["‹BB›"] == "Big Brother" and legend["‹AC›"] == "Anonymous Coward"
        assert legend["▲"] == "Thumb Up" and legend["▼"] == "Thumb Down" and legend["◆G"] == "Gold badge"
        await pilot.press("escape")
        await pilot.pause()
        tree = "\n".join(app.thread_view.render_line(y).text for y in range(len(app.thread)))
        assert all(mark in tree for mark in legend)


async def test_untrusted_icons_reach_the_legend_as_typed() -> None:
    thread = thread_from_outline("1 a\n2 b")
    thread.posts[1].icons = ("[bold]Big[/bold] [@click=app.quit]x",)  # not the post in the pane
    app = ReaderApp(thread)
    async with app.run_test(size=(100, 120)) as pilot:  # tall enough to show the legend below the keys
        await pilot.press("question_mark")
        await pilot.pause()
        assert "[bold]Big[/bold] [@click=app.quit]x" in screen_text(app)
        assert app.is_running


async def test_help_lists_the_readme_key_table() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("<!-- keys:start -->") : readme.index("<!-- keys:end -->")].splitlines()[3:]
    readme_rows = [(cells[1].replace("`", "").strip(), cells[3].strip()) for cells in (row.split("|") for row in table)]
    assert await help_rows(ReaderApp(thread_from_outline("1 a"))) == readme_rows


def test_a_file_with_hundreds_of_icons_keeps_the_legend_short() -> None:
    posts = [Post(str(n), None, "a", icons=(f"Icon {n}",), badge="Gold" if n % 2 else None) for n in range(300)]
    marks = legend(posts, PlainPalette())
    assert len(marks) == LEGEND_ROWS
    assert marks[0] == Mark("◆G", PlainPalette().rich_style("badge_gold"), "Gold badge")
    assert marks[-1].meaning == f"{300 + 1 - LEGEND_ROWS + 1:,} more badges and icons"
