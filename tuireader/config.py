"""The user's config.toml: key remaps, display defaults and the theme, checked before the app starts."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import platformdirs
from textual.binding import Binding
from textual.keys import Keys, key_to_character

from tuireader.layout import MAX_SPLIT, MIN_SPLIT, Layout
from tuireader.tomlfile import TomlSource, did_you_mean, read_toml, show_value, type_name

DISPLAY_KEYS = ("badges", "icons", "votes")
TOP_LEVEL_KEYS = ("theme", "ascii", "keys", "display", "layout")
LAYOUT_KEYS = ("split", "stacked")
MODIFIERS = ("ctrl", "alt", "shift", "meta", "super", "hyper")
_SAME_AS = {
    "ctrl+i": "tab",
    "ctrl+m": "enter",
    "ctrl+j": "enter",
    "ctrl+h": "backspace",
    "ctrl+left_square_bracket": "escape",
    "shift+backspace": "backspace",
}
"""Keys a terminal sends as the same bytes as another key, so a binding to them would never fire as meant."""
_RESERVED = {
    "ctrl+q": "quits the app",
    "ctrl+c": "copies text or quits",
}
"""Keys Textual itself claims with priority: a binding to them would never be reached.

ctrl+p is not here: it is the reader's ``command_palette`` binding, which config.toml can move."""
EVERYWHERE = "everywhere"
"""The place of an action whose keys work on every screen (the command palette): they clash with any other."""
_NAMED_KEYS = frozenset(
    {key.value.rpartition("+")[2] for key in Keys}
    | {f"f{number}" for number in range(1, 25)}
    | {"space", "tab", "enter", "escape", "backspace", "delete", "insert"}
)


@dataclass
class Config:
    """What config.toml asks for; empty when there is no file."""

    path: Path | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id to Textual key string ("j,down"), for ``App.set_keymap``."""
    display: dict[str, bool] = field(default_factory=dict)
    theme: str | None = None
    ascii: bool | None = None
    """Draw with ASCII only; None: decide by the terminal (``TERM=linux``)."""
    layout: Layout = field(default_factory=Layout)


def default_config_path() -> Path:
    """``$XDG_CONFIG_HOME/tuireader/config.toml`` (platformdirs knows each platform's place)."""
    return Path(platformdirs.user_config_dir("tuireader")) / "config.toml"


def load_config(path: Path | None, bindings: Mapping[str, Binding], places: Mapping[str, str]) -> Config:
    """Read and check a config file; ``path`` None means the default place, where a missing file is fine.

    ``bindings`` maps each action name users may remap (a binding id) to its binding, ``places`` each to
    where its keys are live (actions in one place, or one of them :data:`EVERYWHERE`, must not share a key).
    Raises :class:`InputError` naming the file and line of the first problem.
    """
    if path is None:
        path = default_config_path()
        if not path.exists():
            return Config()
    source = read_toml(path, "config")
    data = source.data
    config = Config(path=path)
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            raise source.error(
                (key,),
                f"unknown setting {key!r}{did_you_mean(key, TOP_LEVEL_KEYS)} (valid: {', '.join(TOP_LEVEL_KEYS)})",
            )
    theme = data.get("theme")
    if theme is not None:
        if not isinstance(theme, str) or not theme.strip():
            raise source.error(
                ("theme",), f"theme must be a theme name or a path to a .toml file, not {type_name(theme)}"
            )
        config.theme = theme
    ascii_only = data.get("ascii")
    if ascii_only is not None and not isinstance(ascii_only, bool):
        raise source.error(("ascii",), f"ascii must be true or false, not {show_value(ascii_only)}")
    config.ascii = ascii_only
    config.display = _display(source, data.get("display", {}))
    config.layout = _layout(source, data.get("layout", {}))
    config.keymap = _keymap(source, data.get("keys", {}), bindings)
    _check_clashes(source, config.keymap, bindings, places)
    return config


def _display(source: TomlSource, table: object) -> dict[str, bool]:
    if not isinstance(table, dict):
        raise source.error(("display",), f"[display] must be a table, not {type_name(table)}")
    display: dict[str, bool] = {}
    for key, value in table.items():
        if key not in DISPLAY_KEYS:
            raise source.error(
                ("display", key),
                f"unknown display setting {key!r}{did_you_mean(key, DISPLAY_KEYS)} (valid: {', '.join(DISPLAY_KEYS)})",
            )
        if not isinstance(value, bool):
            raise source.error(("display", key), f"{key} must be true or false, not {show_value(value)}")
        display[key] = value
    return display


def _layout(source: TomlSource, table: object) -> Layout:
    if not isinstance(table, dict):
        raise source.error(("layout",), f"[layout] must be a table, not {type_name(table)}")
    layout = Layout()
    for key, value in table.items():
        if key == "split":
            if isinstance(value, bool) or not isinstance(value, int) or not MIN_SPLIT <= value <= MAX_SPLIT:
                raise source.error(
                    ("layout", key),
                    f"split must be the tree's share in percent, {MIN_SPLIT} to {MAX_SPLIT}, not {show_value(value)}",
                )
            layout.split = value
        elif key == "stacked":
            if value != "auto" and not isinstance(value, bool):
                raise source.error(
                    ("layout", key), f'stacked must be true, false or "auto" (by width), not {show_value(value)}'
                )
            layout.stacked = None if value == "auto" else value
        else:
            raise source.error(
                ("layout", key),
                f"unknown layout setting {key!r}{did_you_mean(key, LAYOUT_KEYS)} (valid: {', '.join(LAYOUT_KEYS)})",
            )
    return layout


def _keymap(source: TomlSource, table: object, bindings: Mapping[str, Binding]) -> dict[str, str]:
    if not isinstance(table, dict):
        raise source.error(("keys",), f"[keys] must be a table, not {type_name(table)}")
    keymap: dict[str, str] = {}
    for action, value in table.items():
        if action not in bindings:
            raise source.error(
                ("keys", action),
                f"unknown action {action!r}{did_you_mean(action, bindings)} (the README's key table lists the names)",
            )
        keys = [value] if isinstance(value, str) else value
        if not isinstance(keys, list) or not keys or not all(isinstance(key, str) for key in keys):
            raise source.error(("keys", action), f'{action} must be a key or a list of keys, like "j" or ["j", "down"]')
        for key in keys:
            problem = key_problem(key)
            if problem is not None:
                raise source.error(("keys", action), f"{action}: {show_value(key)} {problem}", value=key)
        keymap[action] = ",".join(keys)
    return keymap


def _check_clashes(
    source: TomlSource, keymap: Mapping[str, str], bindings: Mapping[str, Binding], places: Mapping[str, str]
) -> None:
    """Refuse a remap that puts two actions of one place on the same key (Textual would drop one silently).

    Checked in file order, so the error points at the first entry that makes a clash.
    """
    in_force = {action: set(textual_keys(keymap.get(action) or binding.key)) for action, binding in bindings.items()}
    checked: set[str] = set()
    for action, keys in keymap.items():
        checked.add(action)
        for key in keys.split(","):
            for other, other_keys in in_force.items():
                if other == action or not _share_keys(places[action], places[other]):
                    continue
                if not set(textual_keys(key)) <= other_keys:
                    continue
                if other not in keymap:
                    fix = f"give {other} another key too, or choose another key for {action}"
                elif other in checked:
                    fix = "choose another key for one of them"
                else:
                    continue  # reported at the other entry, which comes later in the file
                raise source.error(
                    ("keys", action),
                    f"{action}: {show_value(key)} is also the key of {other} ({bindings[other].tooltip}); {fix}",
                    value=key,
                )


def textual_keys(keys: str) -> list[str]:
    """The keys Textual matches for a key string such as ``"?,ctrl+k"`` (``?`` is ``question_mark``)."""
    return [binding.key for binding in Binding.make_bindings([Binding(keys, "")])]


def _share_keys(place: str, other: str) -> bool:
    return place == other or EVERYWHERE in (place, other)


@cache
def _punctuation_names() -> frozenset[str]:
    """The names Textual gives punctuation keys (``slash``, ``plus``), which no Unicode name spells that way."""
    return frozenset(textual_keys(char)[0] for char in string.punctuation if char != ",") | {"comma"}


def key_problem(key: str) -> str | None:
    """Why ``key`` cannot be bound, or None when a terminal can send it and Textual can name it."""
    if not key or key != key.strip() or "," in key:
        return 'is not a key (write one key per string, like "ctrl+o")'
    *modifiers, name = key.split("+")
    if len(key) == 1:
        return None if key.isprintable() else "is not a printable key"
    for modifier in modifiers:
        if modifier not in MODIFIERS:
            return f"has an unknown modifier {modifier!r} (valid: {', '.join(MODIFIERS)})"
    if not name:
        return "has no key after the modifiers"
    if len(name) == 1 and name in string.ascii_uppercase and modifiers:
        return f"uses an upper-case letter with a modifier; write {'+'.join([*modifiers, name.lower()])!r}"
    if "shift" in modifiers and len(name) == 1 and name.isalpha():
        return f"is what a terminal sends as {name.upper()!r}: bind {name.upper()!r} instead"
    normalized = "+".join([*modifiers, name])
    if normalized in _RESERVED:
        return f"is taken: it {_RESERVED[normalized]}; choose another key"
    if normalized in _SAME_AS:
        return (
            f"reaches the app as {_SAME_AS[normalized]!r} in a terminal, so it cannot be told apart; choose another key"
        )
    if len(name) == 1 or name in _NAMED_KEYS or name in _punctuation_names() or key_to_character(name) is not None:
        return None
    return "is not a key name Textual knows (examples: j, J, ctrl+o, pagedown, f5, question_mark)"
