"""Themes as TOML files: find them, check them, and turn them into Textual and Rich styles.

A theme file sets Textual's colour fields (``[colors]``), the reader's own styles
(``[thread]``) and, optionally, overrides of Textual's design variables
(``[variables]``); ``extends`` inherits everything a file does not set. Bundled themes
come first, the user's own directory second (a user file wins on a name clash), and a
path given to ``--theme`` last. Every problem is an :class:`InputError` with the file
and line, so a bad theme is reported the same way as any other bad input; the
registry loader collects those errors instead of raising, so the app can always
start (``load_registry`` guarantees a ``dark`` theme even if the data files are lost).

The module is pure: it reads files and environment mappings it is given and never
touches a running app.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

import platformdirs
from rich.color import Color as RichColor
from rich.style import Style
from textual.color import Color, ColorParseError
from textual.css.constants import VALID_STYLE_FLAGS
from textual.design import ColorSystem
from textual.theme import Theme

from tuireader import resources
from tuireader.errors import InputError
from tuireader.sanitize import clean_line
from tuireader.tomlfile import TomlSource, did_you_mean, parse_toml, read_toml, show_value, type_name

DEFAULT_THEME = "dark"
MAX_EXTENDS_DEPTH = 64
"""The longest ``extends`` chain a theme may stand on; a longer one is a mistake, reported like a cycle."""

COLOR_KEYS: tuple[str, ...] = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
    "warning",
    "error",
    "success",
)
"""The ``[colors]`` keys: the colour fields of :class:`textual.theme.Theme`."""

STYLE_KEYS: tuple[str, ...] = (
    "author",
    "op",
    "badge_gold",
    "badge_silver",
    "badge_bronze",
    "badge_other",
    "thumb_up",
    "thumb_down",
    "icon",
    "votes",
    "title",
    "quote",
    "deleted",
    "context",
    "search_match",
    "unread",
    "selection",
)
"""The ``[thread]`` keys other than ``depth``: one style string each."""

TOP_KEYS: tuple[str, ...] = ("name", "dark", "extends", "colors", "thread", "variables")

ATTRIBUTES: tuple[str, ...] = ("bold", "dim", "italic", "underline", "reverse", "strike")
"""The words a ``[thread]`` style may use besides colours, ``on`` and ``none``."""

ANSI_NAMES: tuple[str, ...] = (
    "black",
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "white",
    "bright_black",
    "bright_red",
    "bright_green",
    "bright_yellow",
    "bright_blue",
    "bright_magenta",
    "bright_cyan",
    "bright_white",
)
"""The terminal's sixteen palette colours, written ``ansi_<name>`` in a theme."""

_VALID_COLOUR = "#rgb, #rrggbb, a CSS colour name such as orange, ansi_red … ansi_bright_white, default"
_VALID_STYLE = f"{', '.join(ATTRIBUTES)}, a colour, 'on' and a colour, or none"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_HEX = re.compile(r"#(?:[0-9a-f]{3}|[0-9a-f]{6})")
_WORD = re.compile(r"[a-z]+")
_ALPHA = re.compile(r"(\d{1,3})%")


class BadValue(ValueError):
    """A colour, style or variable value a theme cannot use; *hint* is a "did you mean" suggestion."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message + hint)
        self.hint = hint


class ParsedColour(NamedTuple):
    textual: str
    """The colour as Textual's ``Color.parse`` reads it (``ansi_*`` or ``#RRGGBB``)."""
    rich: RichColor


@lru_cache(maxsize=1024)
def parse_colour(text: str) -> ParsedColour:
    """Read one colour in a theme's forms; raise :class:`BadValue` if it is not one.

    Named colours are CSS names, so ``red`` is ``#ff0000`` in every table; only
    ``ansi_red`` means the terminal's own red.
    """
    word = text.strip().lower()
    if word in ("default", "ansi_default"):
        return ParsedColour("ansi_default", RichColor.default())
    if word.startswith("ansi_"):
        if word[5:] in ANSI_NAMES:
            return ParsedColour(word, RichColor.parse(word[5:]))
        hint = did_you_mean(word, [f"ansi_{name}" for name in ANSI_NAMES])
        raise BadValue(f"{show_value(text)} is not a colour", hint)
    if _HEX.fullmatch(word) or (_WORD.fullmatch(word) and word != "transparent"):
        try:
            hex_code = Color.parse(word).hex
        except ColorParseError as error:
            hint = f"; did you mean {error.suggested_color!r}?" if error.suggested_color else ""
            raise BadValue(f"{show_value(text)} is not a colour", hint) from None
        return ParsedColour(hex_code, RichColor.parse(hex_code))
    raise BadValue(f"{show_value(text)} is not a colour")


@lru_cache(maxsize=1024)
def parse_style(text: str) -> Style:
    """Read a style string such as ``"bold #ffcc00 on #202020"``; raise :class:`BadValue` if it is bad.

    The grammar is our own, not Rich markup, so text from a theme file can never
    reach a markup parser.
    """
    words = text.split()
    if not words:
        raise BadValue("the style is empty (write none for no style)")
    if [word.lower() for word in words] == ["none"]:
        return Style()
    attributes: set[str] = set()
    colour: RichColor | None = None
    background: RichColor | None = None
    index = 0
    while index < len(words):
        word = words[index].lower()
        if word in ATTRIBUTES:
            attributes.add(word)
        elif word == "on":
            if index + 1 == len(words):
                raise BadValue("'on' needs a colour after it")
            if background is not None:
                raise BadValue("the style has two background colours")
            index += 1
            background = parse_colour(words[index]).rich
        else:
            try:
                found = parse_colour(word).rich
            except BadValue as error:
                hint = did_you_mean(word, (*ATTRIBUTES, "none")) or error.hint
                raise BadValue(f"{show_value(words[index])} is neither a style word nor a colour", hint) from None
            if colour is not None:
                raise BadValue("the style has two colours (write 'on' before a background)")
            colour = found
        index += 1

    def flag(name: str) -> bool | None:
        return True if name in attributes else None

    return Style(
        color=colour,
        bgcolor=background,
        bold=flag("bold"),
        dim=flag("dim"),
        italic=flag("italic"),
        underline=flag("underline"),
        reverse=flag("reverse"),
        strike=flag("strike"),
    )


def _is_text_style(variable: str) -> bool:
    """Whether a Textual design variable holds a text style (``link-style-hover``) rather than a colour."""
    return "style" in variable.split("-")


def _variable_value(key: str, value: str) -> str:
    """Check a ``[variables]`` value and return it as Textual reads it; raise :class:`BadValue` if bad."""
    words = value.split()
    if _is_text_style(key):
        bad = [word for word in words if word.lower() not in VALID_STYLE_FLAGS]
        if not words or bad:
            flags = ", ".join(sorted(VALID_STYLE_FLAGS))
            raise BadValue(f"{show_value(value)} is not a text style (valid: {flags})")
        return " ".join(word.lower() for word in words)
    alpha = _ALPHA.fullmatch(words[-1]) if len(words) == 2 else None
    if len(words) not in (1, 2) or (len(words) == 2 and (alpha is None or int(alpha[1]) > 100)):
        raise BadValue(
            f"{show_value(value)} is not a colour (valid: {_VALID_COLOUR}, transparent, "
            "each optionally followed by a percentage such as 50%)"
        )
    colour = "transparent" if words[0].lower() == "transparent" else parse_colour(words[0]).textual
    return " ".join([colour, *words[1:]])


@lru_cache(maxsize=1)
def textual_variables() -> frozenset[str]:
    """Every design variable Textual generates, in either of its colour modes."""
    names = set(ColorSystem("#000000").generate())
    names |= set(ColorSystem("#000000", ansi=True).generate())
    return frozenset(names)


@dataclass(frozen=True)
class ReaderTheme:
    """One checked theme, with everything inherited through ``extends`` filled in.

    The mappings hold the strings as the file wrote them; :meth:`textual_theme`,
    :meth:`rich_style` and :meth:`depth_style` turn them into what Textual and Rich need.
    """

    name: str
    dark: bool
    source: Path | None
    """The file it came from; None for the built-in fallback."""
    origin: str
    """Where it came from: "bundled", "user", "file" (given by path) or "built-in"."""
    colors: Mapping[str, str] = field(hash=False)
    styles: Mapping[str, str] = field(hash=False)
    depth: tuple[str, ...]
    variables: Mapping[str, str] = field(hash=False)

    @property
    def ansi(self) -> bool:
        """True when every ``[colors]`` value is a terminal palette colour (``ansi_*``/``default``).

        Textual then sends those colours to the terminal as they are instead of
        converting them to RGB, so the user's own palette shows through.
        """
        return all(parse_colour(value).textual.startswith("ansi_") for value in self.colors.values())

    @property
    def no_color(self) -> bool:
        """True when the theme uses no colour at all, only the terminal's default ones.

        Some Textual widgets still hard-code a few ANSI colours; the app can add
        ``textual.filter.NoColor`` to its line filters for such a theme.
        """
        default = RichColor.default()
        styles = [parse_style(text) for text in (*self.styles.values(), *self.depth)]
        variables = [value.split()[0] for key, value in self.variables.items() if not _is_text_style(key)]
        return (
            all(parse_colour(value).textual == "ansi_default" for value in self.colors.values())
            and all(c in (None, default) for style in styles for c in (style.color, style.bgcolor))
            and all(v == "transparent" or parse_colour(v).textual == "ansi_default" for v in variables)
        )

    def textual_theme(self) -> Theme:
        """The theme as Textual wants it, ready for ``App.register_theme``."""
        colours = {key: parse_colour(value).textual for key, value in self.colors.items()}
        variables = {key: _variable_value(key, value) for key, value in self.variables.items()}
        if self.ansi:
            # Textual's own CSS refers to these, and only its built-in ANSI themes define them.
            variables.setdefault("ansi-background", "ansi_default")
            variables.setdefault("ansi-foreground", "ansi_default")
        return Theme(
            name=self.name,
            primary=colours["primary"],
            secondary=colours.get("secondary"),
            warning=colours.get("warning"),
            error=colours.get("error"),
            success=colours.get("success"),
            accent=colours.get("accent"),
            foreground=colours.get("foreground"),
            background=colours.get("background"),
            surface=colours.get("surface"),
            panel=colours.get("panel"),
            boost=colours.get("boost"),
            dark=self.dark,
            variables=variables,
            ansi=self.ansi,
        )

    def rich_style(self, key: str) -> Style:
        """The Rich style for a ``[thread]`` key (one of :data:`STYLE_KEYS`)."""
        return parse_style(self.styles[key])

    def depth_style(self, depth: int) -> Style:
        """The style of the tree guide at *depth* (0 is a top-level post); the list cycles."""
        return parse_style(self.depth[depth % len(self.depth)])


# -- where themes live ---------------------------------------------------------------


def user_theme_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The user's theme directory: ``$XDG_CONFIG_HOME/tuireader/themes`` or the platform's equivalent."""
    env = os.environ if environ is None else environ
    xdg = env.get("XDG_CONFIG_HOME", "")
    if xdg and Path(xdg).is_absolute():  # the XDG spec says to ignore relative paths
        return Path(xdg) / "tuireader" / "themes"
    return Path(platformdirs.user_config_dir("tuireader")) / "themes"


def auto_theme_name(environ: Mapping[str, str], *, windows: bool = sys.platform == "win32") -> str | None:
    """The theme the terminal calls for, or None when any theme will do.

    ``mono`` when ``NO_COLOR`` is set and not empty (https://no-color.org) or the
    terminal is dumb; ``ansi`` when Textual will only have the 16 palette colours.
    The 16-colour rule is Rich's own (Textual draws through Rich): ``COLORTERM`` of
    ``truecolor``/``24bit``, or a ``TERM`` ending in ``256color`` or ``kitty``, give
    more; any other terminal, including plain ``xterm`` and ``linux``, gets 16.
    ``TEXTUAL_COLOR_SYSTEM``, which overrides detection in Textual, is honoured.
    """
    if environ.get("NO_COLOR"):
        return "mono"
    forced = environ.get("TEXTUAL_COLOR_SYSTEM", "auto").strip().lower()
    if forced in ("standard", "windows"):
        return "ansi"
    if forced in ("256", "truecolor") or windows:
        return None
    term = environ.get("TERM", "").strip().lower()
    if term in ("dumb", "unknown"):
        return "mono"
    if environ.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit"):
        return None
    if term.rpartition("-")[2] in ("256color", "kitty"):
        return None
    return "ansi"


# -- reading and checking files ------------------------------------------------------


Lookup = Callable[[str], ReaderTheme | str]
"""Find an ``extends`` target: the theme, or why it cannot be had."""


class _Builder:
    """Check one parsed file against its parent and build the theme, collecting every error."""

    def __init__(self, source: TomlSource, origin: str) -> None:
        self.source = source
        self.origin = origin
        self.errors: list[InputError] = []
        self.inherits = "extends" in source.data
        """Whether keys the file leaves out come from a parent (so are not missing, even if it failed)."""

    def error(self, message: str, keys: tuple[str, ...] = (), value: str | None = None) -> None:
        line = self.source.line_of(keys, value) if keys else None
        self.errors.append(InputError(self.source.path, message, line=line))

    def table(self, key: str) -> dict[str, Any]:
        value = self.source.data.get(key, {})
        if isinstance(value, dict):
            return value
        self.error(f"{key} must be a table, not {type_name(value)} (valid: a [{key}] section)", (key,))
        return {}

    def unknown(self, key: str, path: tuple[str, ...], valid: Iterable[str], show_valid: str = "") -> None:
        valid = list(valid)
        hint = did_you_mean(key, valid)
        self.error(f"unknown key {show_value('.'.join(path))}{hint} (valid: {show_valid or ', '.join(valid)})", path)

    def build(self, lookup: Lookup) -> ReaderTheme | None:
        data = self.source.data
        for key in data:
            if key not in TOP_KEYS:
                self.unknown(key, (key,), TOP_KEYS)
        name = self._name()
        parent = self._parent(lookup)
        dark = data.get("dark", parent.dark if parent else None)
        if not isinstance(dark, bool):
            if "dark" in data:
                self.error(f"dark must be true or false, not {type_name(dark)} (valid: true, false)", ("dark",))
            elif not self.inherits:
                self.error("missing key 'dark' (valid: dark = true or dark = false, or extends = \"dark\")")
        colors = self._colors(parent)
        styles, depth = self._thread(parent)
        variables = self._variables(parent)
        if self.errors or name is None or not isinstance(dark, bool):
            return None
        return ReaderTheme(
            name=name,
            dark=dark,
            source=self.source.path,
            origin=self.origin,
            colors=MappingProxyType(colors),
            styles=MappingProxyType(styles),
            depth=depth,
            variables=MappingProxyType(variables),
        )

    def _name(self) -> str | None:
        name = self.source.data.get("name")
        if name is None:
            self.error("missing key 'name' (valid: name = \"my-theme\")")
        elif not isinstance(name, str):
            self.error(f'name must be a string, not {type_name(name)} (valid: name = "my-theme")', ("name",))
        elif not _NAME.fullmatch(name):
            self.error(
                f"bad theme name {show_value(name)} (valid: up to 64 letters, digits, '-' and '_', "
                "starting with a letter or digit)",
                ("name",),
            )
        else:
            return name
        return None

    def _parent(self, lookup: Lookup) -> ReaderTheme | None:
        target = self.source.data.get("extends")
        if target is None:
            return None
        if not isinstance(target, str):
            self.error(f'extends must be a string, not {type_name(target)} (valid: extends = "dark")', ("extends",))
            return None
        found = lookup(target)
        if isinstance(found, str):
            self.error(f"extends {show_value(target)}: {found}", ("extends",))
            return None
        return found

    def _colors(self, parent: ReaderTheme | None) -> dict[str, str]:
        colors = dict(parent.colors) if parent else {}
        table = self.table("colors")
        for key, value in table.items():
            path = ("colors", key)
            if key not in COLOR_KEYS:
                self.unknown(key, path, COLOR_KEYS)
            elif not isinstance(value, str):
                self.error(f"colors.{key} must be a string, not {type_name(value)} (valid: {_VALID_COLOUR})", path)
            else:
                try:
                    parse_colour(value)
                except ValueError as error:
                    self.error(f"bad colour for colors.{key}: {error} (valid: {_VALID_COLOUR})", path)
                else:
                    colors[key] = value
        if not self.inherits and "primary" not in table:
            self.error(
                'missing key \'colors.primary\' (valid: primary = "#5fafff" under [colors], or extends = "dark")',
                ("colors",),
            )
        return colors

    def _style(self, path: tuple[str, ...], value: object, shown: str) -> str | None:
        if not isinstance(value, str):
            self.error(f"{shown} must be a string, not {type_name(value)} (valid: {_VALID_STYLE})", path)
            return None
        try:
            parse_style(value)
        except ValueError as error:
            self.error(f"bad style for {shown}: {error} (valid: {_VALID_STYLE})", path, value)
            return None
        return value

    def _thread(self, parent: ReaderTheme | None) -> tuple[dict[str, str], tuple[str, ...]]:
        styles = dict(parent.styles) if parent else {}
        depth = parent.depth if parent else ()
        table = self.table("thread")
        for key, value in table.items():
            path = ("thread", key)
            if key == "depth":
                depth = self._depth(value) or depth
            elif key not in STYLE_KEYS:
                self.unknown(key, path, (*STYLE_KEYS, "depth"))
            else:
                style = self._style(path, value, f"thread.{key}")
                if style is not None:
                    styles[key] = style
        # A key given with a bad value is reported already; only keys never given are missing.
        missing = [key for key in (*STYLE_KEYS, "depth") if key not in table]
        if missing and not self.inherits:
            self.error(
                f'missing [thread] keys: {", ".join(missing)} (valid: set them, or extends = "dark" to inherit them)',
                ("thread",),
            )
        return styles, depth

    def _depth(self, value: object) -> tuple[str, ...]:
        path = ("thread", "depth")
        if not isinstance(value, list) or not value:
            self.error(
                f"thread.depth must be a non-empty array, not {type_name(value) if value != [] else 'empty'} "
                '(valid: depth = ["#5f87af", "#87af87"])',
                path,
            )
            return ()
        styles = [self._style(path, item, f"thread.depth[{index}]") for index, item in enumerate(value)]
        return tuple(s for s in styles if s is not None) if None not in styles else ()

    def _variables(self, parent: ReaderTheme | None) -> dict[str, str]:
        variables = dict(parent.variables) if parent else {}
        known = textual_variables()
        for key, value in self.table("variables").items():
            path = ("variables", key)
            if key not in known:
                self.unknown(key, path, sorted(known), "one of Textual's design variables, listed in docs/themes.md")
            elif not isinstance(value, str):
                self.error(f"variables.{key} must be a string, not {type_name(value)}", path)
            else:
                try:
                    _variable_value(key, value)
                except ValueError as error:
                    self.error(f"bad value for variables.{key}: {error}", path)
                else:
                    variables[key] = value
        return variables


def _load_many(
    paths: list[Path], base: Mapping[str, ReaderTheme], origin: str
) -> tuple[dict[str, ReaderTheme], list[InputError]]:
    """Load files that may extend each other or a theme in *base*; collect every error.

    ``extends`` names another of these files first, unless it names the file itself,
    which then extends the theme of that name in *base* (a user's ``dark`` built on
    the bundled ``dark``).
    """
    errors: list[InputError] = []
    sources: dict[str, TomlSource] = {}
    seen: set[Path] = set()
    for path in paths:
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        try:
            source = read_toml(path, "theme")
        except InputError as error:
            errors.append(error)
            continue
        name = source.data.get("name")
        if isinstance(name, str) and name in sources:
            other = sources[name].path
            message = f"theme name {show_value(name)} is also used by {other}"
            errors.append(InputError(path, message, line=source.line_of(("name",))))
            continue
        sources[name if isinstance(name, str) else f"\0{path}"] = source

    loaded: dict[str, ReaderTheme] = {}
    depth: dict[str, int] = {}
    """How many of these files a loaded theme stands on, itself included."""
    names = sorted(set(base) | {key for key in sources if not key.startswith("\0")})

    def parent_file(key: str) -> str | None:
        target = sources[key].data.get("extends")
        return target if isinstance(target, str) and target != key and target in sources else None

    def build(key: str, chain: list[str]) -> None:
        def lookup(target: str) -> ReaderTheme | str:
            if target != key and target in sources:
                if target in chain:
                    return "extends cycle: " + " -> ".join((*chain, target))
                parent = loaded.get(target)
                if parent is None:
                    return "that theme has errors"
                if depth[target] >= MAX_EXTENDS_DEPTH:
                    return f"more than {MAX_EXTENDS_DEPTH} themes extend one another (valid: a shorter chain)"
                depth[key] = depth[target] + 1
                return parent
            depth[key] = 1
            found = base.get(target)
            return found or f"no such theme (valid: {', '.join(n for n in names if n != key)})"

        depth[key] = 1
        builder = _Builder(sources[key], origin)
        theme = builder.build(lookup)
        errors.extend(builder.errors)
        if theme is not None:
            loaded[key] = theme

    # Inheritance is resolved without recursion, so a chain of any length cannot overflow the stack:
    # follow each file's parents up to one already built, then build them parent first.
    built: set[str] = set()
    for start in sources:
        chain: list[str] = []
        key: str | None = start
        while key is not None and key not in built and key not in chain:
            chain.append(key)
            key = parent_file(key)
        for position in range(len(chain) - 1, -1, -1):
            build(chain[position], chain[: position + 1])
            built.add(chain[position])
    order = {str(path): index for index, path in enumerate(paths)}
    errors.sort(key=lambda error: (order.get(error.path or "", len(order)), error.line or 0))
    return loaded, errors


_BUILT_IN = """\
name = "dark"
dark = true
[colors]
primary = "#5fafff"
[thread]
author = "bold"
op = "bold underline"
badge_gold = "bold"
badge_silver = "bold"
badge_bronze = "bold"
badge_other = "bold"
thumb_up = "none"
thumb_down = "none"
icon = "none"
votes = "bold"
title = "bold"
quote = "italic"
deleted = "dim strike"
context = "dim"
search_match = "reverse"
unread = "bold"
selection = "reverse"
depth = ["dim"]
"""
"""A plain ``dark`` for an installation that lost its bundled themes, so the app can start."""


def built_in_theme() -> ReaderTheme:
    """The fallback ``dark`` theme (no files needed); ``source`` is None."""
    builder = _Builder(parse_toml(None, _BUILT_IN), "built-in")
    theme = builder.build(lambda target: "no such theme")
    assert theme is not None, builder.errors
    return theme


def load_theme_file(path: Path, known: Mapping[str, ReaderTheme]) -> ReaderTheme:
    """Load one theme file, whose ``extends`` may name any theme in *known*; raise InputError if bad."""
    themes, errors = _load_many([path], known, "file")
    if errors:
        raise errors[0]
    return next(iter(themes.values()))


def load_registry(
    user_dir: Path | None, bundled_dir: Path | None = None
) -> tuple[dict[str, ReaderTheme], list[InputError]]:
    """Every theme by name, bundled then the user's (user wins), and the errors of the bad files.

    Never raises: bad files are left out and reported. The result always has
    :data:`DEFAULT_THEME`, built in if the bundled file is missing or broken.
    *bundled_dir* defaults to the one :func:`tuireader.resources.bundled_dir` finds.
    """
    errors: list[InputError] = []
    found = bundled_dir or resources.bundled_dir("themes")
    themes: dict[str, ReaderTheme] = {}
    if found is None:
        errors.append(InputError(None, "the bundled themes are missing from this installation"))
    else:
        themes, errors = _load_many(sorted(found.glob("*.toml")), {}, "bundled")
    if DEFAULT_THEME not in themes:
        themes[DEFAULT_THEME] = built_in_theme()
    if user_dir is not None and user_dir.is_dir():
        user_themes, user_errors = _load_many(sorted(user_dir.glob("*.toml")), themes, "user")
        themes.update(user_themes)
        errors.extend(user_errors)
    return themes, errors


def is_theme_path(choice: str) -> bool:
    """Whether a ``--theme`` or ``theme =`` value names a file: theme names hold no ``/`` and no ``.toml``."""
    return choice.endswith(".toml") or "/" in choice or os.sep in choice or choice.startswith("~")


@dataclass(frozen=True)
class ThemeSources:
    """Where themes come from, kept so the app can read them all again when a file changes."""

    user_dir: Path | None = None
    """The user's theme folder; None reads the bundled themes only (as tests do)."""
    bundled_dir: Path | None = None
    """None: the folder :func:`tuireader.resources.bundled_dir` finds."""
    extra: Path | None = None
    """A theme file given by path (``--theme PATH``); it wins over any theme of the same name."""

    def load(self) -> tuple[dict[str, ReaderTheme], list[InputError]]:
        """Every theme by name and the errors of the files left out; never raises."""
        themes, errors = load_registry(self.user_dir, self.bundled_dir)
        if self.extra is not None:
            extra, extra_errors = _load_many([self.extra], themes, "file")
            themes.update(extra)
            errors.extend(extra_errors)
        return themes, errors


def theme_from_file(
    path: Path, themes: Mapping[str, ReaderTheme], errors: Iterable[InputError]
) -> tuple[ReaderTheme | None, list[InputError]]:
    """The theme loaded from *path*, or None and the errors that kept it out."""
    for theme in themes.values():
        if theme.source == path:
            return theme, []
    return None, [error for error in errors if error.path == str(path)]


@dataclass
class ThemeChoice:
    """What the app starts with: every theme, the one to show, and what went wrong on the way."""

    sources: ThemeSources
    themes: dict[str, ReaderTheme]
    active: ReaderTheme
    """The chosen theme, or :data:`DEFAULT_THEME` when the chosen file is broken."""
    wanted: Path | None
    """The chosen theme's file, watched for changes even while it is broken; None for the built-in theme."""
    failed: list[InputError]
    """Why the chosen theme is not the active one; empty when it is."""
    left_out: list[InputError]
    """The other theme files that could not be loaded."""


def choose_theme(choice: str | None, sources: ThemeSources, environ: Mapping[str, str]) -> ThemeChoice:
    """Load every theme and pick the one to start with.

    *choice* is ``--theme`` or config.toml's ``theme``: a theme name or the path of a
    file; None lets :func:`auto_theme_name` decide from *environ*. A broken chosen
    file (given by path, or a user file named ``NAME.toml``) falls back to
    :data:`DEFAULT_THEME` with the reasons in ``failed``; the command line refuses to
    start with it. Raises InputError only for a name that no theme file has.
    """
    wanted: Path | None = None
    if choice is not None and is_theme_path(choice):
        wanted = Path(choice).expanduser()
        sources = replace(sources, extra=wanted)
    themes, errors = sources.load()
    if wanted is None:
        name = choice or auto_theme_name(environ) or DEFAULT_THEME
        theme = themes.get(name)
        if theme is not None or choice is None:  # the automatic pick may be missing from a damaged installation
            theme = theme or themes[DEFAULT_THEME]
            return ThemeChoice(sources, themes, theme, theme.source, [], errors)
        broken = [error for error in errors if error.path and Path(error.path).stem == name]
        if not broken:
            hint = did_you_mean(name, themes)
            valid = ", ".join(sorted(themes))
            raise InputError(None, f"unknown theme {show_value(name)}{hint} (valid: {valid}, or a .toml file's path)")
        wanted = Path(str(broken[0].path))
    found, failed = theme_from_file(wanted, themes, errors)
    left_out = [error for error in errors if error not in failed]
    return ThemeChoice(sources, themes, found or themes[DEFAULT_THEME], wanted, failed, left_out)


def check_files(paths: Iterable[Path], known: Mapping[str, ReaderTheme] | None = None) -> list[InputError]:
    """Every problem in the given theme files (for ``tuireader themes check``); empty if all are good.

    ``extends`` may name another of the files or any theme in *known*, which
    defaults to the bundled and user themes.
    """
    if known is None:
        known = load_registry(user_theme_dir())[0]
    return _load_many(list(paths), known, "file")[1]


def list_themes_text(registry: Mapping[str, ReaderTheme]) -> str:
    """The ``tuireader themes`` listing: one theme a line with its kind and where it came from."""
    width = max((len(name) for name in registry), default=0) + len(" (default)")
    lines = []
    for name in sorted(registry):
        theme = registry[name]
        shown = f"{name} (default)" if name == DEFAULT_THEME else name
        where = "built in" if theme.source is None else f"{theme.origin}: {theme.source}"
        kind = "dark" if theme.dark else "light"
        lines.append(clean_line(f"{shown:<{width}}  {kind:<5}  {where}").rstrip())
    return "\n".join(lines) + "\n"
