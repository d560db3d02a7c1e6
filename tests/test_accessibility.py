"""For every person: meanings that never rest on colour alone, ASCII screens, the terminal's cursor, no motion.

Each meaning the themes colour (the thread's author, badge rank, thumbs, unread, search hits,
context posts under a filter) is walked with two posts that differ in that meaning only: their
lines must read differently as plain text, so mono and the colour-blind theme lose nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import pytest
from helpers import CLOSED_SAMPLE, REPO, chain_thread, screen_text
from rich.cells import cell_len
from rich.color import Color

from tuireader import cli
from tuireader.app import ReaderApp
from tuireader.filters import AuthorFilter
from tuireader.formats import load
from tuireader.model import Post, Thread
from tuireader.themes import ThemeSources, choose_theme, load_registry
from tuireader.widgets.glyphs import ASCII, UNICODE, Glyphs

BROUGHT = {char for char in CLOSED_SAMPLE.read_text(encoding="utf-8") if not char.isascii()}
TWO_CELL = ("unread", "read", "collapsed", "expanded", "leaf", "context", "tee", "elbow", "pipe")


def reader(thread: Thread, theme: str = "dark", **options: object) -> ReaderApp:
    choice = choose_theme(theme, ThemeSources(bundled_dir=REPO / "themes"), {})
    return ReaderApp(thread, themes=choice, **options)  # type: ignore[arg-type]


def tree_row(app: ReaderApp, index: int) -> str:
    row = app.outline.row_of(index)
    assert row is not None
    return app.thread_view.render_line(row - app.thread_view.scroll_offset.y).text.rstrip()


def pane_lines(app: ReaderApp) -> list[str]:
    return [app.pane.render_line(y).text[:-2].rstrip() for y in range(app.pane.size.height)]


# -- every meaning has a glyph or words -----------------------------------------------------------


def meaning_thread() -> Thread:
    """Posts by "dana" alike in all but one meaning each, an OP reply, and a post a filter keeps as context."""
    same = {"title": "same", "body": "words"}
    return Thread.build(
        [
            Post("1", None, "opal", title="topic", body="start"),
            Post("1.1", "1", "opal", **same),
            Post("1.2", "1", "dana", **same),
            Post("2", None, "dana", badge="Gold", **same),
            Post("3", None, "dana", badge="Silver", **same),
            Post("4", None, "dana", badge="Bronze", **same),
            Post("5", None, "dana", icons=("Thumb Up",), **same),
            Post("6", None, "dana", icons=("Thumb Down",), **same),
            Post("7", None, "erin", title="same", body="needle"),
            Post("7.1", "7", "finn", **same),
        ],
        title="meanings",
    )


Look = Callable[[ReaderApp, int], list[str]]


def both(app: ReaderApp, index: int) -> list[str]:
    """What a user reads of a post: its tree line and, with it selected, the pane's head."""
    return [tree_row(app, index), *pane_lines(app)[:3]]


@pytest.mark.parametrize(("theme", "ascii_only"), [("mono", False), ("mono", True), ("okabe-ito", False)])
async def test_every_meaning_a_colour_carries_reads_without_colour(theme: str, ascii_only: bool) -> None:
    thread = meaning_thread()
    ids = thread.index_of
    app = reader(thread, theme, ascii_only=ascii_only)
    async with app.run_test(size=(120, 30)) as pilot:

        async def look(index: int) -> list[str]:
            app.thread_view.select_index(index)
            await pilot.pause()
            return both(app, index)

        # The thread's author, wherever they reply.
        assert " OP" in tree_row(app, ids["1.1"]) and " OP" not in tree_row(app, ids["1.2"])
        # Badge rank and thumbs, between posts alike in all else.
        gold, silver, bronze = [await look(ids[key]) for key in ("2", "3", "4")]
        assert len({tuple(gold), tuple(silver), tuple(bronze)}) == 3
        assert "Gold badge" in " ".join(gold) and "Bronze badge" in " ".join(bronze)
        up, down = await look(ids["5"]), await look(ids["6"])
        assert up != down and "[Thumb Up]" in " ".join(up) and "[Thumb Down]" in " ".join(down)
        # Unread, then read: the same post.
        unread = tree_row(app, ids["2"])
        app.session.mark_read(ids["2"])
        app.thread_view.restyle()
        await pilot.pause()
        assert tree_row(app, ids["2"]) != unread
        # A search hit, then the same post with the search ended.
        plain = tree_row(app, ids["7"])
        await pilot.press("slash", *"needle", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert tree_row(app, ids["7"]) != plain
        await pilot.press("escape")
        await pilot.pause()
        assert tree_row(app, ids["7"]) == plain
        # Context for a filter: erin's post stays only because finn answered it.
        before = await look(ids["7"])
        app.apply_filter(AuthorFilter.of(["finn"]))
        after = await look(ids["7"])
        assert after[0] != before[0] and any("context" in line for line in after[1:]), after


def test_each_glyph_set_is_complete_and_lines_up() -> None:
    assert all(str(getattr(ASCII, field.name)).isascii() for field in fields(Glyphs))
    for name in TWO_CELL:
        assert cell_len(getattr(UNICODE, name)) == cell_len(getattr(ASCII, name)) == 2, name
    marks = ("unread", "collapsed", "expanded", "leaf", "context")
    assert len({getattr(ASCII, name) for name in marks}) == len(marks), "each mark of a row's start tells one thing"


def contrast(first: Color, second: Color) -> float:
    """The WCAG contrast ratio of two colours."""

    def luminance(colour: Color) -> float:
        red, green, blue = (
            part / 12.92 if part <= 0.03928 else ((part + 0.055) / 1.055) ** 2.4
            for part in (value / 255 for value in colour.get_truecolor())
        )
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_colour_blind_theme_is_the_okabe_ito_palette_and_readable() -> None:
    theme = load_registry(None, REPO / "themes")[0]["okabe-ito"]
    palette = {"#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7"}
    background = Color.parse(theme.colors["background"])
    for key in theme.styles:
        style = theme.rich_style(key)
        if style.color is not None:
            back = style.bgcolor or background
            assert contrast(style.color, back) >= 4.5, key  # WCAG AA for text
    assert {theme.depth_style(level).color.name for level in range(len(theme.depth))} <= palette  # type: ignore[union-attr]
    assert theme.rich_style("thumb_up").color != theme.rich_style("thumb_down").color


# -- ASCII -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_an_ascii_screen_draws_no_character_of_its_own(size: tuple[int, int]) -> None:
    app = reader(load(CLOSED_SAMPLE), ascii_only=True)
    async with app.run_test(size=size, notifications=True) as pilot:
        for keys in (["j"], ["k", "enter"], ["G"], ["T"], ["w"], ["question_mark"], ["escape"]):
            await pilot.press(*keys)
            await pilot.pause()
            shown = screen_text(app)
            assert {char for char in shown if not char.isascii()} <= BROUGHT, (keys, shown)
        assert "q Quit" in shown.splitlines()[-1]


async def test_ascii_deep_threads_and_long_ids_too() -> None:
    app = reader(chain_thread(80), ascii_only=True)
    async with app.run_test(size=(60, 20)) as pilot:
        app.thread_view.select_index(79)
        await pilot.pause()
        shown = screen_text(app)
        assert shown.isascii() and "~79 " in shown, shown


def test_ascii_is_the_flag_then_the_config_then_the_linux_console() -> None:
    linux = {"TERM": "linux"}
    assert cli._ascii_only(None, None, linux) and cli._ascii_only(None, None, {"TERM": "linux-16color"})
    assert not cli._ascii_only(False, None, linux) and not cli._ascii_only(None, False, linux)
    assert cli._ascii_only(True, False, {}) and not cli._ascii_only(None, None, {"TERM": "xterm"})


def test_the_command_line_hands_ascii_to_the_app(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("ascii = true\n", encoding="utf-8")
    app = cli.prepare_app(["--config", str(config), "--no-state", str(CLOSED_SAMPLE)])
    assert app.glyphs is ASCII
    app = cli.prepare_app(["--config", str(config), "--no-state", "--no-ascii", str(CLOSED_SAMPLE)])
    assert app.glyphs is UNICODE


# -- the terminal's cursor, for screen readers ---------------------------------------------------------


async def test_the_terminal_cursor_follows_the_selected_post_and_the_pane() -> None:
    app = reader(load(CLOSED_SAMPLE))
    async with app.run_test(size=(100, 30)) as pilot:
        for keys in (["j"], ["j", "j", "G"], ["question_mark", "escape"], ["k"]):
            await pilot.press(*keys)
            await pilot.pause()
            index = app.thread_view.cursor_index
            assert index is not None
            author = app.thread.posts[index].author
            x, y = app.cursor_position
            assert screen_text(app).splitlines()[y][x:].startswith(author), (keys, x, y)
        await pilot.press("ctrl+w")
        await pilot.pause()
        pane = app.pane.scrollable_content_region
        assert (app.cursor_position.x, app.cursor_position.y) == (pane.x, pane.y)


# -- nothing moves by itself ----------------------------------------------------------------------------------


async def test_nothing_animates_or_blinks_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEXTUAL_ANIMATIONS", raising=False)
    app = reader(load(CLOSED_SAMPLE))
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.animation_level == "none"
        await pilot.press("slash")
        await pilot.pause()
        assert app.focused is not None and app.focused.cursor_blink is False  # type: ignore[attr-defined]
        await pilot.press("escape", "f")
        await pilot.pause()
        assert app.focused is not None and app.focused.cursor_blink is False  # type: ignore[attr-defined]
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "full")  # a user who asks for motion gets Textual's own level
    assert reader(load(CLOSED_SAMPLE)).animation_level == "full"


# -- the browser's command line -------------------------------------------------------------------------------


def test_serve_checks_its_flags_and_file_before_listening(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    assert cli.main(["--serve", "--port", "0", "--config", str(config), str(CLOSED_SAMPLE)]) == cli.EXIT_BAD_INPUT
    assert "--port: 0 is not a port" in capsys.readouterr().err
    missing = tmp_path / "missing.txt"
    assert cli.main(["--serve", "--config", str(config), str(missing)]) == cli.EXIT_BAD_INPUT
    assert str(missing) in capsys.readouterr().err
