"""Themes: the bundled files, inheritance, where themes come from, every kind of error, and Textual's view."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rich.color import Color as RichColor
from rich.color import ColorType
from rich.style import Style
from textual.app import App, ComposeResult
from textual.color import Color
from textual.widgets import Static

from tuireader.errors import InputError
from tuireader.resources import bundled_dir
from tuireader.themes import (
    MAX_EXTENDS_DEPTH,
    STYLE_KEYS,
    ReaderTheme,
    ThemeSources,
    auto_theme_name,
    built_in_theme,
    check_files,
    choose_theme,
    list_themes_text,
    load_registry,
    load_theme_file,
    parse_colour,
    parse_style,
    user_theme_dir,
)

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "themes"
REQUIRED = ("dark", "light", "high-contrast", "solarized-dark", "ansi", "mono")


@pytest.fixture(scope="module")
def bundled() -> dict[str, ReaderTheme]:
    themes, errors = load_registry(None, BUNDLED)
    assert errors == []
    return themes


def write(folder: Path, file_name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name
    path.write_text(text, encoding="utf-8")
    return path


# -- the bundled themes --------------------------------------------------------------


def test_bundled_dir_is_the_checkout_themes_folder() -> None:
    assert bundled_dir("themes") == BUNDLED


def test_every_bundled_theme_passes_check(bundled: dict[str, ReaderTheme]) -> None:
    files = sorted(BUNDLED.glob("*.toml"))
    assert {path.stem for path in files} >= set(REQUIRED)
    assert check_files(files, known={}) == []
    for path in files:
        theme = bundled[path.stem]  # each file is named after its theme
        assert theme.source == path and theme.origin == "bundled"
        assert set(theme.styles) == set(STYLE_KEYS) and theme.depth


def test_ansi_theme_uses_only_the_terminal_palette(bundled: dict[str, ReaderTheme]) -> None:
    theme = bundled["ansi"]
    assert theme.ansi and not theme.no_color
    assert parse_colour(theme.colors["background"]).textual == "ansi_default"
    for key in STYLE_KEYS:
        style = theme.rich_style(key)
        for colour in (style.color, style.bgcolor):
            assert colour is None or colour.type in (ColorType.STANDARD, ColorType.DEFAULT), key
    for depth in range(len(theme.depth)):
        colour = theme.depth_style(depth).color
        assert colour is not None and colour.type == ColorType.STANDARD


def test_mono_theme_has_no_colour_at_all(bundled: dict[str, ReaderTheme]) -> None:
    theme = bundled["mono"]
    assert theme.no_color and theme.ansi
    assert theme.rich_style("selection").reverse
    textual = theme.textual_theme()
    variables = textual.to_color_system().generate()
    # The colours Textual's ANSI mode would pick itself are all overridden with the default.
    for name in ("border", "block-cursor-background", "scrollbar", "footer-key-foreground", "link-color"):
        assert variables[name] == "ansi_default", name


def test_only_the_palette_themes_are_ansi(bundled: dict[str, ReaderTheme]) -> None:
    assert {name for name, theme in bundled.items() if theme.ansi} == {"ansi", "mono"}
    assert [name for name, theme in bundled.items() if theme.no_color] == ["mono"]


async def test_every_bundled_theme_works_in_a_textual_app(tmp_path: Path, bundled: dict[str, ReaderTheme]) -> None:
    custom_path = write(
        tmp_path,
        "custom.toml",
        'name = "custom"\nextends = "dark"\n[variables]\nscrollbar-background = "#202020 50%"\n'
        'block-cursor-text-style = "BOLD reverse"\n',
    )
    colours = "".join(f'{key} = "ansi_green"\n' for key in bundled["dark"].colors)
    palette_path = write(tmp_path, "palette.toml", f'name = "palette"\nextends = "dark"\n[colors]\n{colours}')

    class Tiny(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")

    app = Tiny()
    async with app.run_test() as pilot:
        for theme in bundled.values():
            app.register_theme(theme.textual_theme())
            app.theme = theme.name
            await pilot.pause()
            assert app.current_theme.name == theme.name
            assert app.current_theme.dark == theme.dark
            assert app.native_ansi_color == theme.ansi
        app.theme = "dark"
        await pilot.pause()
        assert app.screen.styles.background == Color.parse("#1c1c1c")
        # A user theme's own design variables, with an opacity and a text style, reach Textual's CSS.
        custom = load_theme_file(custom_path, bundled)
        app.register_theme(custom.textual_theme())
        app.theme = "custom"
        await pilot.pause()
        assert app.screen.styles.background == Color.parse("#1c1c1c")
        assert app.get_css_variables()["block-cursor-text-style"] == "bold reverse"
        assert app.get_css_variables()["scrollbar-background"] == "#202020 50%"
        # A palette-only theme that sets no variables still gets the two Textual's CSS needs.
        palette = load_theme_file(palette_path, bundled)
        assert palette.ansi and not palette.variables
        app.register_theme(palette.textual_theme())
        app.theme = "palette"
        await pilot.pause()
        assert app.native_ansi_color
        app.theme = "ansi"
        await pilot.pause()
        assert app.screen.styles.background.ansi == -1  # the terminal's own background


# -- styles and colours --------------------------------------------------------------


def test_rich_style_of_each_colour_form() -> None:
    assert parse_style("ansi_red").color == RichColor.parse("red")
    assert parse_style("ansi_red").color.number == 1  # type: ignore[union-attr]
    assert parse_style("ansi_bright_white").color.number == 15  # type: ignore[union-attr]
    assert parse_style("default").color == RichColor.default()
    assert parse_style("ansi_default on default") == Style(color=RichColor.default(), bgcolor=RichColor.default())
    assert parse_style("#ffcc00").color == RichColor.parse("#ffcc00")
    assert parse_style("#fc0").color == RichColor.parse("#ffcc00")
    # A named colour is the CSS one in every table, so red is #ff0000, not the palette's red.
    assert parse_style("orange").color == RichColor.parse("#ffa500")
    assert parse_style("red").color == RichColor.parse("#ff0000")
    assert parse_style("bold #ffcc00 on #202020") == Style(
        bold=True, color=RichColor.parse("#ffcc00"), bgcolor=RichColor.parse("#202020")
    )
    assert parse_style("dim strike ON ansi_blue") == Style(dim=True, strike=True, bgcolor=RichColor.parse("blue"))
    assert parse_style("none") == Style()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        ("bold on", "'on' needs a colour"),
        ("#fff #000", "two colours"),
        ("on #fff on #000", "two background"),
        ("blinky", "neither a style word nor a colour"),
        ("bolt", "did you mean 'bold'"),
        ("ansi_rd", "did you mean 'ansi_red'"),
        ("[bold]", "neither"),
        ("transparent", "neither"),
        ("rgb(1,2,3)", "neither"),
        ("#12345", "neither"),
    ],
)
def test_bad_styles_are_rejected(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem.replace("(", r"\(")):
        parse_style(text)


def test_theme_styles_and_depth_cycle(bundled: dict[str, ReaderTheme]) -> None:
    dark = bundled["dark"]
    assert dark.rich_style("author") == Style(bold=True, color=RichColor.parse("#87afff"))
    assert dark.rich_style("search_match").bgcolor == RichColor.parse("#ffd75f")
    count = len(dark.depth)
    assert dark.depth_style(0) == dark.depth_style(count) != dark.depth_style(1)
    with pytest.raises(KeyError):
        dark.rich_style("no_such_key")


# -- inheritance and where themes come from -------------------------------------------


def test_extends_inherits_everything_not_set(tmp_path: Path, bundled: dict[str, ReaderTheme]) -> None:
    path = write(
        tmp_path,
        "warm.toml",
        'name = "warm"\nextends = "dark"\n[colors]\naccent = "#ff8700"\n[thread]\nauthor = "italic #ffaf87"\n',
    )
    warm = load_theme_file(path, bundled)
    dark = bundled["dark"]
    assert warm.name == "warm" and warm.dark is True and warm.origin == "file" and warm.source == path
    assert warm.colors == {**dark.colors, "accent": "#ff8700"}
    assert warm.styles == {**dark.styles, "author": "italic #ffaf87"}
    assert warm.depth == dark.depth and warm.variables == dark.variables
    assert warm.textual_theme().accent == "#FF8700"


def test_extends_can_change_dark_and_replace_depth(tmp_path: Path, bundled: dict[str, ReaderTheme]) -> None:
    path = write(tmp_path, "t.toml", 'name = "t"\nextends = "ansi"\ndark = false\n[thread]\ndepth = ["ansi_red"]\n')
    theme = load_theme_file(path, bundled)
    assert theme.dark is False and theme.depth == ("ansi_red",)
    assert theme.ansi  # still only palette colours, inherited from ansi
    assert theme.variables == bundled["ansi"].variables


def test_user_theme_overrides_a_bundled_name(tmp_path: Path) -> None:
    user = tmp_path / "user"
    write(user, "mydark.toml", 'name = "dark"\nextends = "dark"\n[thread]\nauthor = "bold ansi_green"\n')
    themes, errors = load_registry(user, BUNDLED)
    assert errors == []
    dark = themes["dark"]
    assert dark.origin == "user" and dark.source == user / "mydark.toml"
    assert dark.rich_style("author") == Style(bold=True, color=RichColor.parse("green"))
    # Everything else comes from the bundled dark it extends.
    bundled_dark = load_registry(None, BUNDLED)[0]["dark"]
    assert dark.colors == bundled_dark.colors and dark.rich_style("op") == bundled_dark.rich_style("op")
    assert "user: " + str(user / "mydark.toml") in list_themes_text(themes)


def test_user_themes_can_extend_each_other_in_any_file_order(tmp_path: Path) -> None:
    user = tmp_path / "user"
    write(user, "a.toml", 'name = "child"\nextends = "parent"\n[thread]\ntitle = "underline"\n')
    write(user, "b.toml", 'name = "parent"\nextends = "light"\n[thread]\nauthor = "bold"\n')
    themes, errors = load_registry(user, BUNDLED)
    assert errors == []
    child = themes["child"]
    assert child.dark is False
    assert child.styles["title"] == "underline" and child.styles["author"] == "bold"
    assert child.colors == themes["light"].colors


def test_a_full_theme_needs_no_extends(tmp_path: Path, bundled: dict[str, ReaderTheme]) -> None:
    text = (BUNDLED / "light.toml").read_text(encoding="utf-8").replace('name = "light"', 'name = "copy"')
    path = write(tmp_path, "copy.toml", text)
    assert check_files([path], known={}) == []
    assert load_theme_file(path, {}).styles == bundled["light"].styles


def test_registry_collects_errors_instead_of_raising(tmp_path: Path) -> None:
    user = tmp_path / "user"
    write(user, "good.toml", 'name = "good"\nextends = "dark"\n')
    write(user, "bad.toml", 'name = "bad"\nextends = "dark"\n[colors]\nprimary = "blurple"\n')
    write(user, "broken.toml", 'name = "broken"\ndark = \n')
    themes, errors = load_registry(user, BUNDLED)
    assert "good" in themes and "bad" not in themes and "broken" not in themes
    assert sorted((Path(e.path or "").name, e.line) for e in errors) == [("bad.toml", 4), ("broken.toml", 2)]


def test_registry_without_bundled_files_still_has_dark(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    themes, errors = load_registry(None, empty)
    assert list(themes) == ["dark"] and themes["dark"].source is None and themes["dark"].origin == "built-in"
    # A broken bundled dark is replaced the same way, and reported.
    write(empty, "dark.toml", 'name = "dark"\n')
    themes, errors = load_registry(None, empty)
    assert themes["dark"] == built_in_theme() and errors
    assert "built in" in list_themes_text(themes)


def test_choose_theme_by_name_path_or_terminal(tmp_path: Path) -> None:
    bundled_only = ThemeSources(bundled_dir=BUNDLED)
    assert choose_theme(None, bundled_only, {"COLORTERM": "truecolor"}).active.name == "dark"
    assert choose_theme(None, bundled_only, {"NO_COLOR": "1"}).active.name == "mono"
    assert choose_theme(None, bundled_only, {"TERM": "linux"}).active.name == "ansi"
    # A name the user gives beats what the terminal calls for.
    chosen = choose_theme("solarized-dark", bundled_only, {"NO_COLOR": "1"})
    assert chosen.active.name == "solarized-dark" and chosen.wanted == BUNDLED / "solarized-dark.toml"
    path = write(tmp_path, "mine.toml", 'name = "mine"\nextends = "high-contrast"\n')
    chosen = choose_theme(str(path), bundled_only, {})
    assert chosen.active.name == "mine" and chosen.active.origin == "file" and chosen.themes["mine"] is chosen.active
    assert chosen.wanted == path and chosen.failed == [] and chosen.left_out == []
    with pytest.raises(InputError, match=r"unknown theme 'drak'; did you mean 'dark'\? \(valid: ansi, dark, "):
        choose_theme("drak", bundled_only, {})


def test_a_broken_chosen_file_falls_back_to_dark(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.toml", 'name = "bad"\nextends = "dark"\ncolour = "red"\n')
    chosen = choose_theme(str(bad), ThemeSources(bundled_dir=BUNDLED), {})
    assert chosen.active.name == "dark" and chosen.wanted == bad
    assert [(e.path, e.line) for e in chosen.failed] == [(str(bad), 3)]
    missing = choose_theme(str(tmp_path / "missing.toml"), ThemeSources(bundled_dir=BUNDLED), {})
    assert missing.active.name == "dark" and "no such file" in missing.failed[0].message
    # A broken user file named after the theme counts as that theme, not as an unknown name.
    user = tmp_path / "user"
    write(user, "warm.toml", 'name = "warm"\nextends = "dark"\n[thread]\nauthor = "bold blurple"\n')
    write(user, "other.toml", 'name = "other"\ndark = 1\n')
    chosen = choose_theme("warm", ThemeSources(user_dir=user, bundled_dir=BUNDLED), {})
    assert chosen.active.name == "dark" and chosen.wanted == user / "warm.toml"
    assert [e.line for e in chosen.failed] == [4]
    assert {Path(e.path or "").name for e in chosen.left_out} == {"other.toml"}


def test_list_themes_text(bundled: dict[str, ReaderTheme]) -> None:
    lines = list_themes_text(bundled).splitlines()
    assert len(lines) == len(bundled)
    assert lines[1].split()[:4] == ["dark", "(default)", "dark", "bundled:"]
    assert lines[1].endswith(str(BUNDLED / "dark.toml"))
    light = next(line for line in lines if line.startswith("light "))
    assert light.split()[1] == "light"


def test_user_theme_dir_honours_xdg_config_home(tmp_path: Path) -> None:
    assert user_theme_dir({"XDG_CONFIG_HOME": str(tmp_path)}) == tmp_path / "tuireader" / "themes"
    # The XDG spec says a relative value is ignored.
    assert user_theme_dir({"XDG_CONFIG_HOME": "relative"}).parts[-2:] == ("tuireader", "themes")
    assert not str(user_theme_dir({"XDG_CONFIG_HOME": "relative"})).startswith("relative")


# -- automatic choice ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"NO_COLOR": "1", "TERM": "xterm-256color", "COLORTERM": "truecolor"}, "mono"),
        ({"NO_COLOR": "", "TERM": "xterm-256color"}, None),  # empty NO_COLOR does not count
        ({"TERM": "dumb"}, "mono"),
        ({"TERM": "linux"}, "ansi"),
        ({"TERM": "xterm"}, "ansi"),
        ({"TERM": "xterm-16color"}, "ansi"),
        ({"TERM": "xterm", "COLORTERM": "truecolor"}, None),
        ({"TERM": "xterm", "COLORTERM": "24bit"}, None),
        ({"TERM": "xterm-256color"}, None),
        ({"TERM": "screen-256color"}, None),
        ({"TERM": "xterm-kitty"}, None),
        ({"TERM": "xterm-256color", "TEXTUAL_COLOR_SYSTEM": "standard"}, "ansi"),
        ({"TERM": "linux", "TEXTUAL_COLOR_SYSTEM": "truecolor"}, None),
    ],
)
def test_auto_theme_name(environ: dict[str, str], expected: str | None) -> None:
    assert auto_theme_name(environ, windows=False) == expected


def test_auto_theme_name_on_windows_trusts_the_console() -> None:
    assert auto_theme_name({}, windows=True) is None
    assert auto_theme_name({"NO_COLOR": "1"}, windows=True) == "mono"


# -- errors ------------------------------------------------------------------------------

GOOD = 'name = "good"\nextends = "dark"\n'


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        # TOML syntax
        ('name = "x"\n\ndark = \n', 3, "TOML syntax error: Invalid value (column 8)"),
        ('name = "x"\ntitle = "unterminated', 2, "TOML syntax error: Unterminated string (at the end of the file)"),
        ('name = "x"\n[colors]\nprimary = "#fff"\nprimary = "#000"\n', 4, "TOML syntax error: Cannot overwrite"),
        # unknown keys, with what is valid
        (
            GOOD + "colour = 'red'\n",
            3,
            "unknown key 'colour'; did you mean 'colors'? (valid: name, dark, extends, colors, thread, variables)",
        ),
        (
            GOOD + "[colors]\n\nprimry = '#fff'\n",
            5,
            "unknown key 'colors.primry'; did you mean 'primary'? (valid: primary,",
        ),
        (
            GOOD + "[thread]\nauthr = 'bold'\n",
            4,
            "unknown key 'thread.authr'; did you mean 'author'? (valid: author, op,",
        ),
        (GOOD + "[variables]\nbordr = 'ansi_red'\n", 4, "unknown key 'variables.bordr'; did you mean 'border'?"),
        (GOOD + "[[thread]]\nauthor = 'bold'\n", 3, "thread must be a table, not an array"),
        # bad colours and styles, with the valid forms
        (
            GOOD + "[colors]\naccent = 'blurple'\n",
            4,
            "bad colour for colors.accent: 'blurple' is not a colour; did you mean 'purple'? "
            "(valid: #rgb, #rrggbb, a CSS colour name such as orange, ansi_red … ansi_bright_white, default)",
        ),
        (
            GOOD + "[colors]\nprimary = 'rgb(1, 2, 3)'\n",
            4,
            "bad colour for colors.primary: 'rgb(1, 2, 3)' is not a colour",
        ),
        (
            GOOD + "[thread]\nop = 'bold'\nauthor = 'bold #ffcc00 on'\n",
            5,
            "bad style for thread.author: 'on' needs a colour after it (valid: bold, dim, italic, underline, reverse,",
        ),
        (
            GOOD + "[thread]\ndepth = [\n  '#5f87af',\n  'ansi_purple',\n]\n",
            6,
            "bad style for thread.depth[1]: 'ansi_purple' is neither a style word nor a colour",
        ),
        (GOOD + 'thread.votes = "boldly"\n', 3, "bad style for thread.votes: 'boldly' is neither a style word"),
        (GOOD + "[variables]\nborder = 'bold'\n", 4, "bad value for variables.border: 'bold' is not a colour"),
        (
            GOOD + "[variables]\nlink-style-hover = 'sparkly'\n",
            4,
            "bad value for variables.link-style-hover: 'sparkly' is not a text style (valid: b, blink, bold,",
        ),
        (GOOD + "[variables]\nborder = 'ansi_red 150%'\n", 4, "bad value for variables.border: 'ansi_red 150%'"),
        # wrong types
        (
            'name = "x"\nextends = "dark"\ndark = "yes"\n',
            3,
            "dark must be true or false, not a string (valid: true, false)",
        ),
        (GOOD + "[thread]\nauthor = 3\n", 4, "thread.author must be a string, not an integer (valid: bold,"),
        (GOOD + "[thread]\ndepth = '#fff'\n", 4, "thread.depth must be a non-empty array, not a string"),
        (GOOD + "[thread]\ndepth = []\n", 4, "thread.depth must be a non-empty array, not empty"),
        (GOOD + "colors = 'red'\n", 3, "colors must be a table, not a string"),
        ('name = 7\nextends = "dark"\n', 1, "name must be a string, not an integer"),
        ('name = "x"\nextends = ["dark"]\n', 2, "extends must be a string, not an array"),
        # missing things
        ('name = "x"\n\nextends = "drak"\n', 3, "extends 'drak': no such theme (valid: ansi, dark, high-contrast,"),
        ('extends = "dark"\n', None, "missing key 'name'"),
        ('name = "two words"\nextends = "dark"\n', 1, "bad theme name 'two words'"),
        (
            'name = "x"\ndark = true\n[colors]\nprimary = "#fff"\n[thread]\nauthor = "bold"\n',
            5,
            "missing [thread] keys: op, badge_gold,",
        ),
    ],
)
def test_each_error_has_its_message_and_line(
    tmp_path: Path, bundled: dict[str, ReaderTheme], text: str, line: int | None, message: str
) -> None:
    path = write(tmp_path, "theme.toml", text)
    errors = check_files([path], known=bundled)
    assert len(errors) == 1, [e.describe() for e in errors]
    error = errors[0]
    assert error.path == str(path)
    assert error.line == line
    assert error.message.startswith(message), error.message
    with pytest.raises(InputError) as caught:
        load_theme_file(path, bundled)
    assert caught.value.describe() == error.describe()


def test_a_theme_without_extends_must_set_dark_and_primary(tmp_path: Path) -> None:
    full = (BUNDLED / "light.toml").read_text(encoding="utf-8")
    no_dark = write(tmp_path, "no-dark.toml", full.replace("dark = false", ""))
    no_primary = write(tmp_path, "no-primary.toml", full.replace('primary = "#005faf"', ""))
    errors = check_files([no_dark], known={}) + check_files([no_primary], known={})
    assert [(Path(e.path or "").name, e.line, e.message) for e in errors] == [
        ("no-dark.toml", None, "missing key 'dark' (valid: dark = true or dark = false, or extends = \"dark\")"),
        (
            "no-primary.toml",
            6,  # the [colors] header
            'missing key \'colors.primary\' (valid: primary = "#5fafff" under [colors], or extends = "dark")',
        ),
    ]


def test_one_file_reports_every_problem(tmp_path: Path, bundled: dict[str, ReaderTheme]) -> None:
    path = write(tmp_path, "t.toml", GOOD + "[colors]\nprimary = 'nope'\n[thread]\nop = 'nope'\nicon = 1\n")
    errors = check_files([path], known=bundled)
    assert [(e.line, e.message.split(":")[0]) for e in errors] == [
        (4, "bad colour for colors.primary"),
        (6, "bad style for thread.op"),
        (7, "thread.icon must be a string, not an integer (valid"),
    ]


def test_files_checked_together_can_extend_each_other(tmp_path: Path, bundled: dict[str, ReaderTheme]) -> None:
    parent = write(tmp_path, "p.toml", 'name = "p"\nextends = "dark"\n')
    child = write(tmp_path, "c.toml", 'name = "c"\nextends = "p"\n')
    assert check_files([child, parent], known=bundled) == []
    assert [e.message for e in check_files([child], known=bundled)] == [
        f"extends 'p': no such theme (valid: {', '.join(sorted(bundled))})"
    ]


def test_extends_cycle_and_broken_parent(tmp_path: Path, bundled: dict[str, ReaderTheme]) -> None:
    a = write(tmp_path, "a.toml", 'name = "a"\nextends = "b"\n')
    b = write(tmp_path, "b.toml", 'name = "b"\nextends = "a"\n')
    messages = sorted(e.message for e in check_files([a, b], known=bundled))
    assert messages == ["extends 'a': extends cycle: a -> b -> a", "extends 'b': that theme has errors"]


def test_a_long_extends_chain_loads_up_to_the_limit_without_recursion(tmp_path: Path) -> None:
    """250 themes each extending the next (once a RecursionError): the first 64 load, each deeper one has one error."""
    length = 250
    user = tmp_path / "user"
    # Written deepest first, so reading them in file order meets each child before its parent.
    for number in range(length):
        parent = f"t{number - 1:03}" if number else "dark"
        write(user, f"{length - number:03}.toml", f'name = "t{number:03}"\nextends = "{parent}"\n')
    themes, errors = load_registry(user, BUNDLED)
    chained = sorted(name for name in themes if name.startswith("t"))
    assert chained == [f"t{number:03}" for number in range(MAX_EXTENDS_DEPTH)]
    assert len(errors) == length - MAX_EXTENDS_DEPTH
    assert len({error.path for error in errors}) == len(errors) and all(error.line == 2 for error in errors)
    too_deep = f"t{MAX_EXTENDS_DEPTH:03}"
    first = next(error for error in errors if f"extends 't{MAX_EXTENDS_DEPTH - 1:03}'" in error.message)
    assert "more than 64 themes extend one another" in first.message
    assert too_deep not in themes


def test_a_long_extends_cycle_is_one_error_for_each_theme_in_it(tmp_path: Path) -> None:
    length = 300
    user = tmp_path / "user"
    for number in range(length):
        write(user, f"c{number:03}.toml", f'name = "c{number:03}"\nextends = "c{(number + 1) % length:03}"\n')
    themes, errors = load_registry(user, BUNDLED)
    assert not any(name.startswith("c") for name in themes) and "dark" in themes
    assert len(errors) == length and len({error.path for error in errors}) == length
    assert sum("extends cycle: c000 -> c001 -> " in error.message for error in errors) == 1


def test_duplicate_names_and_unreadable_files(tmp_path: Path, bundled: dict[str, ReaderTheme]) -> None:
    first = write(tmp_path, "one.toml", GOOD)
    second = write(tmp_path, "two.toml", "# the same name again\n" + GOOD)
    errors = check_files([first, second], known=bundled)
    assert [(e.path, e.line, e.message) for e in errors] == [
        (str(second), 2, f"theme name 'good' is also used by {first}")
    ]
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b'name = "x"\n\xff\xfe\n')
    assert [(e.line, e.message) for e in check_files([binary], known=bundled)] == [
        (2, "not UTF-8 text (valid: a UTF-8 TOML file)")
    ]
    huge = write(tmp_path, "huge.toml", "# " + "x" * 300_000 + "\n")
    assert "too large" in check_files([huge], known=bundled)[0].message


def test_hostile_values_cannot_reach_the_terminal(tmp_path: Path, bundled: dict[str, ReaderTheme]) -> None:
    path = write(tmp_path, "evil.toml", GOOD + '[thread]\nauthor = "\\u001b[31m' + "x" * 200 + '"\n')
    (error,) = check_files([path], known=bundled)
    assert error.line == 4
    text = error.describe()
    assert "\x1b" not in text and len(text) < 400


def test_placing_an_error_stays_fast_on_hostile_lines(tmp_path: Path, bundled: dict[str, ReaderTheme]) -> None:
    long_lines = "[" + " " * 60_000 + "\n" + "a" + " " * 60_000 + "b\n" + '"' + "x " * 30_000 + "\n"
    text = GOOD + 'notes = """\n' + long_lines + '"""\n[thread]\nauthor = "blurple"\n'
    path = write(tmp_path, "slow.toml", text)
    started = time.perf_counter()
    errors = check_files([path], known=bundled)
    assert time.perf_counter() - started < 2
    assert [(e.line, e.message.split(" (")[0]) for e in errors] == [
        (3, "unknown key 'notes'"),
        (9, "bad style for thread.author: 'blurple' is neither a style word nor a colour; did you mean 'purple'?"),
    ]


def test_check_files_reads_the_user_registry_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config"
    write(config / "tuireader" / "themes", "base.toml", 'name = "mybase"\nextends = "dark"\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    path = write(tmp_path, "t.toml", 'name = "t"\nextends = "mybase"\n')
    assert check_files([path]) == []
