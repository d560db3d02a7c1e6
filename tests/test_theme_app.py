"""Themes in the running reader and on the command line: choice, notices, hot reload, ctrl+p, T, NO_COLOR."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, notices, run_cli, screen_segments, screen_text, thread_from_outline
from rich.color import Color as RichColor
from rich.style import Style
from textual.command import CommandList, CommandPalette
from textual.filter import NoColor

from tuireader.app import ReaderApp
from tuireader.cli import _choose_theme, main
from tuireader.config import Config
from tuireader.errors import InputError
from tuireader.themes import ThemeChoice, ThemeSources, choose_theme

BUNDLED = REPO / "themes"
BUNDLED_NAMES = ["ansi", "dark", "high-contrast", "light", "mono", "okabe-ito", "solarized-dark"]
OUTLINE = "1 alice\n1.1 bob\n1.1.1 alice\n2 carol"


def theme_file(folder: Path, name: str, author: str, file_name: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (file_name or f"{name}.toml")
    path.write_text(f'name = "{name}"\nextends = "dark"\n\n[thread]\nauthor = "bold {author}"\n', encoding="utf-8")
    return path


def reader(choice: ThemeChoice) -> ReaderApp:
    return ReaderApp(thread_from_outline(OUTLINE), themes=choice)


def drawn_author_style(app: ReaderApp, author: str = "carol") -> Style:
    """The style the tree really draws an author's name in (carol's row is not the selected one)."""
    for y in range(app.thread_view.size.height):
        for segment in app.thread_view.render_line(y):
            if segment.text == author and segment.style is not None:
                return segment.style
    raise AssertionError(f"{author} is not on screen")


def colour(hex_code: str) -> RichColor:
    return RichColor.parse(hex_code)


def bump(path: Path) -> None:
    """Make the change visible to the poll even on a file system with coarse timestamps."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 2_000_000_000))


def prompt_text(results: CommandList, index: int) -> str:
    """An option's first line (the second is its help text)."""
    return str(results.get_option_at_index(index).prompt).split("\n")[0]


def notice_lines(app: ReaderApp) -> list[str]:
    return [f"{notice.title}: {notice.message}" for notice in notices(app)]


# -- choosing a theme -------------------------------------------------------------------


def test_cli_resolution_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TEXTUAL_COLOR_SYSTEM", raising=False)
    theme_file(tmp_path / "xdg" / "tuireader" / "themes", "warm", "#ff8700")
    config_path = tmp_path / "conf" / "config.toml"
    config_path.parent.mkdir()
    config_path.write_text('theme = "light"\n', encoding="utf-8")
    config = Config(path=config_path, theme="light")

    assert _choose_theme(None, Config()).active.name == "dark"
    assert _choose_theme(None, config).active.name == "light"
    assert _choose_theme("warm", config).active.origin == "user"  # the flag wins over the config
    # A relative path in config.toml is relative to config.toml's folder.
    mine = theme_file(config_path.parent / "themes", "mine", "#123456")
    chosen = _choose_theme(None, Config(path=config_path, theme="themes/mine.toml"))
    assert chosen.active.name == "mine" and chosen.active.source == mine
    monkeypatch.setenv("NO_COLOR", "1")
    assert _choose_theme(None, Config()).active.name == "mono"
    assert _choose_theme(None, config).active.name == "light"  # a theme the user names beats NO_COLOR
    # An unknown name is a typo in a flag or a setting: it stops the start, naming where it came from.
    with pytest.raises(InputError) as caught:
        _choose_theme("wram", config)
    assert caught.value.describe().startswith("--theme: unknown theme 'wram'; did you mean 'warm'?")
    config_path.write_text('# mine\ntheme = "lihgt"\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        _choose_theme(None, Config(path=config_path, theme="lihgt"))
    assert caught.value.path == str(config_path) and caught.value.line == 2
    assert "did you mean 'light'?" in caught.value.message


def test_unknown_theme_flag_exits_2_with_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CONFIG_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "tuireader", "--theme", "drak", "whatever.txt"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("tuireader: --theme: unknown theme 'drak'; did you mean 'dark'? (valid: ansi,")
    assert result.stderr.count("\n") == 1


async def test_theme_given_by_path_styles_the_whole_screen(tmp_path: Path) -> None:
    path = theme_file(tmp_path, "red-authors", "#ff0000")
    app = reader(choose_theme(str(path), ThemeSources(bundled_dir=BUNDLED), {}))
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        assert app.theme == "red-authors" and app.current_theme.name == "red-authors"
        assert drawn_author_style(app).color == colour("#ff0000")
        # Textual's colours come from the same theme (inherited from dark here).
        assert app.thread_view.styles.background.hex == "#262626"
        # Only the reader's themes are offered: Textual's own have no [thread] styles.
        assert sorted(app.available_themes) == sorted([*BUNDLED_NAMES, "red-authors"])
        assert not notice_lines(app)


async def test_no_color_picks_mono_and_removes_every_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)  # Textual has its own NO_COLOR filter; test ours alone
    choice = choose_theme(None, ThemeSources(bundled_dir=BUNDLED), {"NO_COLOR": "1", "COLORTERM": "truecolor"})
    assert choice.active.name == "mono"
    app = reader(choice)
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        assert any(isinstance(f, NoColor) for f in app.get_line_filters())
        default = RichColor.default()
        drawn = [seg.style for seg in screen_segments(app) if seg.style]
        assert drawn and all(s.color in (None, default) and s.bgcolor in (None, default) for s in drawn)
        assert drawn_author_style(app).bold
        await pilot.press("T")  # the next theme has colours again
        await pilot.pause()
        assert app.theme == "okabe-ito"
        assert not any(isinstance(f, NoColor) for f in app.get_line_filters())


# -- notices -----------------------------------------------------------------------------


async def test_broken_theme_file_falls_back_to_dark_with_a_notice_and_others_get_one_status_line(
    tmp_path: Path,
) -> None:
    """The app's fallback (the command line refuses a broken named theme; a file can still break later)."""
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\nextends = "dark"\n[thread]\nauthor = "bold blurple"\n', encoding="utf-8")
    user = tmp_path / "user"
    broken_user = theme_file(user, "other", "#ff0000")
    broken_user.write_text('name = "other"\nextends = \n', encoding="utf-8")
    app = reader(choose_theme(str(bad), ThemeSources(user_dir=user, bundled_dir=BUNDLED), {}))
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        assert app.theme == "dark"
        assert drawn_author_style(app).color == colour("#87afff")  # dark's author colour: fully styled
        shown = notice_lines(app)
        assert f"Theme not applied: using dark: {bad}:4: bad style for thread.author: 'blurple'" in shown[0]
        assert len(shown) == 1  # the file the user is not using covers nothing
        status = screen_text(app).splitlines()[-2]
        assert "1 theme left out ('tuireader themes' says why)" in status


BROKEN_THEME = 'name = "bad"\nextends = "dark"\n[colors]\nprimary = "#zzzzzz"\n'


@pytest.mark.parametrize("named_by", ["flag path", "flag name", "config path", "config name"])
def test_a_broken_theme_the_user_names_stops_the_start_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], named_by: str
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    user = tmp_path / "xdg" / "tuireader" / "themes"
    user.mkdir(parents=True)
    bad = user / "bad.toml"
    bad.write_text(BROKEN_THEME, encoding="utf-8")
    choice = str(bad) if "path" in named_by else "bad"
    args = ["--theme", choice] if "flag" in named_by else []
    if "config" in named_by:
        config = tmp_path / "config.toml"
        config.write_text(f"theme = {choice!r}\n", encoding="utf-8")
        args = ["--config", str(config)]
    # No such thread file: a start that went on past the theme would stop there, with another message.
    assert main([*args, str(tmp_path / "thread.txt")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"tuireader: {bad}:4: bad colour for colors.primary: '#zzzzzz' is not a colour")
    assert err.count("\n") == 1, err


def test_a_broken_theme_nobody_named_leaves_the_start_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    user = tmp_path / "xdg" / "tuireader" / "themes"
    user.mkdir(parents=True)
    (user / "bad.toml").write_text(BROKEN_THEME, encoding="utf-8")
    chosen = _choose_theme("dark", Config())
    assert chosen.active.name == "dark" and [Path(e.path or "").name for e in chosen.left_out] == ["bad.toml"]


async def test_a_broken_theme_nobody_uses_is_one_status_line_not_a_notice(tmp_path: Path) -> None:
    user = tmp_path / "user"
    user.mkdir()
    for number in range(3):
        (user / f"bad{number}.toml").write_text(BROKEN_THEME.replace('"bad"', f'"bad{number}"'), encoding="utf-8")
    app = reader(choose_theme("dark", ThemeSources(user_dir=user, bundled_dir=BUNDLED), {}))
    async with app.run_test(size=(60, 20), notifications=True) as pilot:
        await pilot.pause()
        assert notice_lines(app) == []
        lines = screen_text(app).splitlines()
        assert [line for line in lines if "left out" in line] == [lines[-2]]  # the status line, above the keys
        assert "3 themes left out" in lines[-2]


# -- hot reload --------------------------------------------------------------------------


async def test_editing_the_active_theme_reapplies_it(tmp_path: Path) -> None:
    user = tmp_path / "xdg" / "tuireader" / "themes"
    path = theme_file(user, "warm", "#ff0000")
    app = reader(choose_theme("warm", ThemeSources(user_dir=user, bundled_dir=BUNDLED), {}))
    app.theme_poll_seconds = 0.05
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        assert drawn_author_style(app).color == colour("#ff0000")

        theme_file(user, "warm", "#00ff00")
        bump(path)
        await pilot.pause(0.3)
        assert app.theme == "warm" and drawn_author_style(app).color == colour("#00ff00")
        assert app.pane.palette is app.reader_themes["warm"]

        path.write_text('name = "warm"\nextends = "dark"\n[thread]\nauthor = "bold #00ff00"\nop = \n', encoding="utf-8")
        bump(path)
        await pilot.pause(0.3)
        assert app.theme == "dark" and drawn_author_style(app).color == colour("#87afff")
        assert any(f"{path}:5: TOML syntax error" in notice for notice in notice_lines(app))

        theme_file(user, "warm", "#0000ff")  # fixing the file brings the theme back
        bump(path)
        await pilot.pause(0.3)
        assert app.theme == "warm" and drawn_author_style(app).color == colour("#0000ff")
        assert notice_lines(app) == [f": Theme warm reloaded from {path}"]  # the out-of-date error is gone


# -- picking a theme in the app -------------------------------------------------------------


async def test_command_palette_lists_every_theme_and_applies_a_user_theme(tmp_path: Path) -> None:
    user = tmp_path / "themes"
    theme_file(user, "warmish", "#ff8700")
    app = reader(choose_theme(None, ThemeSources(user_dir=user, bundled_dir=BUNDLED), {"COLORTERM": "truecolor"}))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"theme")
        await pilot.pause(0.3)
        results = app.screen.query_one(CommandList)
        shown = {prompt_text(results, i) for i in range(results.option_count)}
        assert {f"Theme: {name}" for name in [*BUNDLED_NAMES, "warmish"]} <= shown
        assert not any("textual" in text or "nord" in text for text in shown)  # none of Textual's own themes

        await pilot.press(*["backspace"] * 5, *"warmi")
        await pilot.pause(0.3)
        assert prompt_text(results, 0) == "Theme: warmish"
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "warmish" and not isinstance(app.screen, CommandPalette)
        assert drawn_author_style(app).color == colour("#ff8700")  # the tree follows a theme picked here


async def test_t_cycles_through_every_theme(tmp_path: Path) -> None:
    user = tmp_path / "themes"
    theme_file(user, "zesty", "#00ff00")
    app = reader(choose_theme("dark", ThemeSources(user_dir=user, bundled_dir=BUNDLED), {}))
    async with app.run_test(size=(100, 20)) as pilot:
        seen = [app.theme]
        for _ in range(len(BUNDLED_NAMES) + 1):
            await pilot.press("T")
            seen.append(app.theme)
            assert app.thread_view.palette is app.reader_themes[app.theme]
            assert notice_lines(app)[-1] == f": Theme: {app.theme}"
            if app.theme == "zesty":
                await pilot.pause()
                assert drawn_author_style(app).color == colour("#00ff00")
        assert seen == ["dark", *BUNDLED_NAMES[2:], "zesty", "ansi", "dark"]


# -- tuireader themes -----------------------------------------------------------------------


def test_themes_lists_bundled_and_user_themes_and_bad_files(tmp_path: Path) -> None:
    user = tmp_path / "tuireader" / "themes"
    theme_file(user, "warm", "#ff8700")
    theme_file(user, "dark", "#ff0000", file_name="my-dark.toml")
    (user / "broken.toml").write_text('name = "broken"\n[colors\n', encoding="utf-8")
    result = run_cli("themes", env={"XDG_CONFIG_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert sorted(lines) == sorted([*BUNDLED_NAMES, "warm"])
    assert lines["warm"].endswith(f"user: {user / 'warm.toml'}")
    assert lines["dark"].endswith(f"user: {user / 'my-dark.toml'}")  # a user theme wins a name clash
    assert lines["light"].endswith(f"bundled: {BUNDLED / 'light.toml'}")
    assert result.stderr.startswith(f"tuireader: {user / 'broken.toml'}:2: TOML syntax error")
    assert result.stderr.count("\n") == 1


CHECK_CASES = {
    "syntax.toml": ('name = "a"\nextends = "dark"\n[thread\n', 3, "TOML syntax error: "),
    "unknown-key.toml": ('name = "b"\nextends = "dark"\n[thread]\nauthr = "bold"\n', 4, "unknown key 'thread.authr'"),
    "colour.toml": ('name = "c"\nextends = "dark"\n[colors]\naccent = "ornage"\n', 4, "did you mean 'orange'?"),
    "style.toml": ('name = "d"\nextends = "dark"\n[thread]\nop = "bold on"\n', 4, "'on' needs a colour after it"),
    "type.toml": ('name = "e"\nextends = "dark"\ndark = "yes"\n', 3, "dark must be true or false, not a string"),
    "missing.toml": ('name = "f"\ndark = true\n[colors]\n', 3, "missing key 'colors.primary'"),
    "extends.toml": ('name = "g"\n\nextends = "drak"\n', 3, "extends 'drak': no such theme (valid: ansi, b, c,"),
}


def test_themes_check_reports_each_problem_and_exits_2(tmp_path: Path) -> None:
    for file_name, (text, _, _) in CHECK_CASES.items():
        (tmp_path / file_name).write_text(text, encoding="utf-8")
    result = run_cli(
        "themes",
        "check",
        *(str(tmp_path / name) for name in CHECK_CASES),
        env={"XDG_CONFIG_HOME": str(tmp_path / "none")},
    )
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    for file_name, (_, line, fragment) in CHECK_CASES.items():
        prefix = f"tuireader: {tmp_path / file_name}:{line}: "
        found = [text for text in lines if text.startswith(prefix)]
        assert found and fragment in found[0], (file_name, lines)
        assert "(valid: " in found[0] or file_name == "syntax.toml"
    # missing.toml also lacks its [thread] keys; nothing else is reported.
    assert len(lines) == len(CHECK_CASES) + 1


def test_themes_check_passes_good_files_and_refuses_no_file(tmp_path: Path) -> None:
    parent = theme_file(tmp_path, "parent", "#ff0000")
    child = tmp_path / "child.toml"
    child.write_text('name = "child"\nextends = "parent"\n', encoding="utf-8")
    good = run_cli(
        "themes",
        "check",
        str(child),
        str(parent),
        *map(str, BUNDLED.glob("*.toml")),
        env={"XDG_CONFIG_HOME": str(tmp_path)},
    )
    assert (good.returncode, good.stdout, good.stderr) == (0, "", "")
    none = run_cli("themes", "check", env={"XDG_CONFIG_HOME": str(tmp_path)})
    assert none.returncode == 2 and none.stderr.startswith("tuireader: the following arguments are required: FILE")
    helped = run_cli("themes", "--help", env={"XDG_CONFIG_HOME": str(tmp_path)})
    assert helped.returncode == 0 and "check" in helped.stdout


async def test_each_new_theme_repaints_the_backgrounds_of_tree_and_pane() -> None:
    app = reader(choose_theme("dark", ThemeSources(bundled_dir=BUNDLED), {}))
    async with app.run_test(size=(100, 20)) as pilot:
        for _ in BUNDLED_NAMES:
            await pilot.press("T")
            await pilot.pause()
            for view in (app.thread_view, app.pane):
                expected = view.rich_style.bgcolor
                cursor = app.thread_view.cursor_row - app.thread_view.scroll_offset.y if view is app.thread_view else -1
                drawn = {
                    segment.style.bgcolor
                    for y in range(view.size.height)
                    if y != cursor
                    for segment in view.render_line(y)
                    if segment.style is not None
                }
                assert drawn == {expected}, (app.theme, type(view).__name__)
