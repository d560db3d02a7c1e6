"""Small screens: the tree over the pane below 70 columns, ``w`` to switch, ``<``/``>`` to share the room, remembered.

Every size here is one a user has: 80x24 (the classic terminal), 60x20 (a laptop screen in
four), 40x12 (a phone, a tmux pane). What a user reads is taken from the screen
(``screen_text``), and the split they chose from their own config.toml.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from helpers import CLOSED_SAMPLE, screen_text
from hypothesis import given
from hypothesis import strategies as st

from tuireader.app import ReaderApp
from tuireader.config import load_config
from tuireader.errors import InputError
from tuireader.formats import load
from tuireader.keys import action_ids, action_places
from tuireader.layout import DEFAULT_SPLIT, MAX_SPLIT, SPLIT_STEP, STACK_BELOW_COLUMNS, Layout, save_split, with_split
from tuireader.tomlfile import parse_toml

SIZES = [(80, 24), (60, 20), (40, 12)]
FOOTER_KEYS = "Footer FooterKey"
"""The footer's keys, by their CSS type (the class itself lives in a private Textual module)."""


def sample_app(**options: object) -> ReaderApp:
    return ReaderApp(load(CLOSED_SAMPLE), **options)  # type: ignore[arg-type]


def stacked(app: ReaderApp) -> bool:
    return app.query_one("#panes").has_class("-stacked")


def pane_text(app: ReaderApp) -> list[str]:
    """The pane's lines as a user reads them (without the scroll mark)."""
    region = app.pane.region
    lines = screen_text(app).splitlines()[region.y : region.bottom]
    return [line[region.x : region.right - 2].strip() for line in lines]


# -- the layout on screen -------------------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), SIZES)
async def test_narrow_screens_stack_the_tree_over_the_pane(width: int, height: int) -> None:
    app = sample_app()
    async with app.run_test(size=(width, height)) as pilot:
        await pilot.pause()
        tree, pane = app.thread_view.region, app.pane.region
        assert stacked(app) == (width < STACK_BELOW_COLUMNS)
        if stacked(app):
            assert tree.bottom <= pane.y and tree.width == pane.width == width
        else:
            assert tree.right <= pane.x and tree.height == pane.height
        text = screen_text(app)
        assert "17 posts" in text.splitlines()[0], "the header keeps the post count"
        assert "q Quit" in text.splitlines()[-1], "the footer keeps the way out"
        assert "Pat Pending" in text and "1 / 17" in text


async def test_w_switches_between_beside_and_over_and_the_cursor_stays() -> None:
    app = sample_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.thread_view.select_index(app.thread.index_of["11.1"])
        await pilot.pause()
        assert not stacked(app)
        await pilot.press("w")
        await pilot.pause()
        assert stacked(app) and app.thread_view.region.bottom <= app.pane.region.y
        assert app.thread_view.cursor_index == app.thread.index_of["11.1"] and "17 / 17" in screen_text(app)
        await pilot.press("w")
        await pilot.pause()
        assert not stacked(app)
    # Where the screen is narrow, w puts them side by side (and that holds when it is resized).
    app = sample_app()
    async with app.run_test(size=(50, 16)) as pilot:
        await pilot.press("w")
        await pilot.pause()
        assert not stacked(app)
        await pilot.resize_terminal(45, 16)
        await pilot.pause()
        assert not stacked(app)


async def test_a_resize_under_the_help_screen_lays_the_reader_out_too() -> None:
    app = sample_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.resize_terminal(50, 16)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert stacked(app) and app.thread_view.region.width == 50
        await pilot.press("w")
        await pilot.pause()
        assert not stacked(app) and app.thread_view.region.right <= app.pane.region.x


async def test_live_resizing_keeps_the_selected_post_in_view() -> None:
    app = sample_app()
    async with app.run_test(size=(120, 40)) as pilot:
        target = app.thread.index_of["11.1"]
        app.thread_view.select_index(target)
        await pilot.pause()
        for width, height in [*SIZES, (120, 40), (40, 12)]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            assert app.thread_view.cursor_index == target
            tree = app.thread_view
            assert 0 <= tree.cursor_row - tree.scroll_offset.y < tree.scrollable_content_region.height
            assert "17 / 17" in screen_text(app), (width, height)
        assert stacked(app)


async def test_split_keys_give_the_tree_more_or_less_room_and_config_remembers(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('# mine\ntheme = "light"   # bright room\n\n[display]\nvotes = false\n', encoding="utf-8")
    app = sample_app(layout_file=config)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        before = app.thread_view.size.width
        await pilot.press("greater_than_sign", "greater_than_sign")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert app.thread_view.size.width == before + 2 * SPLIT_STEP
        assert config.read_text(encoding="utf-8") == (
            '# mine\ntheme = "light"   # bright room\n\n[display]\nvotes = false\n\n[layout]\nsplit = 50\n'
        )
        await pilot.press("less_than_sign")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert parse_toml(config, config.read_text(encoding="utf-8")).data["layout"] == {"split": 45}
        # The next start reads it back, stacked or not.
        loaded = load_config(config, action_ids(), action_places())
        assert loaded.layout == Layout(split=45) and loaded.theme == "light"
        await pilot.press("w", "greater_than_sign")
        await pilot.pause()
        assert abs(app.thread_view.region.height - (30 - 3) / 2) <= 1  # the share of the height, stacked
        app.layout_settings.split = MAX_SPLIT
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert app.layout_settings.split == MAX_SPLIT


async def test_a_split_that_cannot_be_saved_is_one_notice(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("layout = { split = 40 }\n", encoding="utf-8")
    app = sample_app(layout_file=config)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("greater_than_sign")
        await pilot.pause()
        await app.workers.wait_for_complete()
        for _ in range(30):  # the notice is posted from the worker's thread: give it a few frames
            await pilot.pause(0.1)
            if "Split not saved" in screen_text(app):
                break
        assert "Split not saved" in screen_text(app)
        assert config.read_text(encoding="utf-8") == "layout = { split = 40 }\n"


async def test_at_60x20_the_head_breaks_between_its_parts() -> None:
    """No "badge" or "below" alone on a line, side by side or stacked, for every post of the sample."""
    for layout in (Layout(stacked=False), Layout(stacked=True)):
        app = sample_app(layout=layout)
        async with app.run_test(size=(60, 20)) as pilot:
            for index in range(len(app.thread)):
                app.thread_view.select_index(index)
                await pilot.pause()
                head = pane_text(app)[:4]
                for line in head:
                    assert line not in ("badge", "below", "reply below", "replies below"), (index, head)
                    assert "badge" not in line or re.search(r"\w+ badge", line), (index, head)
                    assert "below" not in line or re.search(r"\d+ repl(y|ies) below", line), (index, head)
                post = app.thread.posts[index]
                if post.badge:
                    assert any(f"{post.badge} badge" in line for line in head), head


async def test_at_40x12_names_stay_whole_and_quit_stays_in_the_footer() -> None:
    app = sample_app()
    async with app.run_test(size=(40, 12)) as pilot:
        for index in range(len(app.thread)):
            app.thread_view.select_index(index)
            await pilot.pause()
            author = app.thread.posts[index].author
            assert any(line.startswith(author) for line in pane_text(app)), (author, pane_text(app))
            footer = screen_text(app).splitlines()[-1]
            assert "q Quit" in footer


async def test_resizing_to_40_columns_and_back_keeps_quit_in_the_footer() -> None:
    """Narrow, the footer drops the palette hint so "q Quit" fits; wide again, the hint comes back."""
    app = sample_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "q Quit" in screen_text(app).splitlines()[-1] and "palette" in screen_text(app).splitlines()[-1]
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "q Quit" in footer and "palette" not in footer, footer
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert "palette" in screen_text(app).splitlines()[-1]


async def test_the_footer_is_not_rebuilt_for_the_same_keys() -> None:
    """Opening and closing the picker, or moving the focus, leaves the footer's keys as they were drawn
    (rebuilding them cost the picker half its opening time); keys that change are shown."""
    app = sample_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        keys = list(app.query(FOOTER_KEYS))
        await pilot.press("f", "escape", "question_mark", "escape")
        await pilot.pause()
        assert list(app.query(FOOTER_KEYS)) == keys and all(key.is_attached for key in keys)
        before = screen_text(app).splitlines()[-1]
        await pilot.press("slash")  # the search line takes the focus: its keys are others
        await pilot.pause()
        assert list(app.query(FOOTER_KEYS)) != keys
        await pilot.press("escape")
        await pilot.pause()
        assert screen_text(app).splitlines()[-1] == before


# -- config.toml's [layout] and ascii ---------------------------------------------------------


def test_layout_and_ascii_settings(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('ascii = true\n[layout]\nsplit = 55\nstacked = "auto"\n', encoding="utf-8")
    config = load_config(path, action_ids(), action_places())
    assert config.ascii is True and config.layout == Layout(split=55, stacked=None)
    path.write_text("[layout]\nstacked = false\n", encoding="utf-8")
    config = load_config(path, action_ids(), action_places())
    assert config.ascii is None and config.layout == Layout(split=DEFAULT_SPLIT, stacked=False)
    assert not config.layout.stacks_at(20) and Layout().stacks_at(STACK_BELOW_COLUMNS - 1)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("[layout]\nsplit = 5\n", 2, "15 to 85"),
        ("[layout]\nsplit = true\n", 2, "not True"),
        ('[layout]\n\nstacked = "maybe"\n', 3, 'true, false or "auto"'),
        ("[layout]\nspilt = 40\n", 2, "did you mean 'split'"),
        ("layout = 3\n", 1, "[layout] must be a table"),
        ('ascii = "yes"\n', 1, "ascii must be true or false"),
    ],
)
def test_bad_layout_settings_name_the_line(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_config(path, action_ids(), action_places())
    assert caught.value.line == line and fragment in caught.value.message


# -- writing the split back ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("", "[layout]\nsplit = 60\n"),
        ('theme = "dark"', 'theme = "dark"\n\n[layout]\nsplit = 60\n'),
        ("[layout]\nstacked = true\n", "[layout]\nsplit = 60\nstacked = true\n"),
        ("[layout]  # mine\n  split = 45   # wide\n[keys]\n", "[layout]  # mine\n  split = 60   # wide\n[keys]\n"),
        ("[layout]\r\nsplit=45\r\n", "[layout]\r\nsplit=60\r\n"),
        ('[keys]\nsplit = "s"\n[layout]\n', '[keys]\nsplit = "s"\n[layout]\nsplit = 60\n'),
    ],
)
def test_the_split_is_written_in_place(before: str, after: str) -> None:
    assert with_split(before, 60) == after


@pytest.mark.parametrize("text", ["layout = { split = 40 }\n", "layout.split = 40\n", '["layout"]\nsplit = 40\n'])
def test_a_layout_written_another_way_is_left_alone(text: str) -> None:
    with pytest.raises(ValueError):
        with_split(text, 60)


_LINES = st.sampled_from(
    [
        "# a comment",
        'theme = "dark"',
        "[display]",
        "votes = false",
        "[layout]",
        "split = 30",
        "stacked = true",
        "[keys]",
        'next = ["j", "down"]',
        "",
        "   ",
        'text = """',
        '[layout]"""',
    ]
)


@given(st.lists(_LINES, max_size=12), st.integers(15, 85))
def test_writing_the_split_changes_the_split_and_nothing_else(lines: list[str], split: int) -> None:
    text = "\n".join(lines)
    try:
        before = parse_toml(None, text).data
    except InputError:
        return
    try:
        new = with_split(text, split)
    except ValueError:
        return  # refused: the file stays as it is
    assert parse_toml(None, new).data == {**before, "layout": {**before.get("layout", {}), "split": split}}
    # Every other line is still there, in its order; at most a blank, a [layout] and the split line are new.
    old_lines, new_lines = text.splitlines(), new.splitlines()
    others = iter(line for line in new_lines if line.strip() != "split = 30")
    assert all(line in others for line in old_lines if line.strip() != "split = 30")
    assert len(new_lines) - len(old_lines) <= 3


def test_saving_keeps_the_file_mode_and_follows_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "config.toml"
    real.parent.mkdir()
    real.write_text('theme = "light"\n', encoding="utf-8")
    os.chmod(real, 0o600)
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    save_split(link, 70)
    assert link.is_symlink() and real.read_text(encoding="utf-8") == 'theme = "light"\n\n[layout]\nsplit = 70\n'
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert [path.name for path in real.parent.iterdir()] == ["config.toml"], "no temporary file left behind"
    fresh = tmp_path / "new" / "tuireader" / "config.toml"
    save_split(fresh, 25)
    assert fresh.read_text(encoding="utf-8") == "[layout]\nsplit = 25\n"


def test_a_config_that_is_no_file_is_not_written(tmp_path: Path) -> None:
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    with pytest.raises(InputError):
        save_split(fifo, 50)
