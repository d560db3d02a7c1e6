"""The key reference: one table of every binding, for the help screen, its twin in the README, and config checks."""

from __future__ import annotations

from collections.abc import Mapping

from textual.binding import Binding, BindingType
from textual.keys import format_key

from tuireader.app import ReaderApp
from tuireader.config import EVERYWHERE
from tuireader.screens.about import AboutScreen
from tuireader.screens.author_picker import AuthorPicker
from tuireader.screens.help import HelpScreen
from tuireader.screens.links import LinkPicker
from tuireader.screens.statistics import StatisticsScreen
from tuireader.widgets.thread_view import ThreadView

BINDING_OWNERS: tuple[type, ...] = (
    ThreadView,
    ReaderApp,
    HelpScreen,
    AboutScreen,
    AuthorPicker,
    StatisticsScreen,
    LinkPicker,
)
"""Every class whose BINDINGS the user can remap in config.toml, in the order help and the README list them."""
_PLACES: dict[type, str] = {
    ThreadView: "reader",
    ReaderApp: "reader",
    HelpScreen: "help screen",
    AboutScreen: "about screen",
    AuthorPicker: "author picker",
    StatisticsScreen: "statistics screen",
    LinkPicker: "link picker",
}
"""Where each owner's keys are live: the tree and the app's keys work together; each modal screen has its own."""


def all_bindings() -> list[Binding]:
    """Every remappable binding, each key of a compound binding listed under one entry."""
    return [binding for _, binding in _owned_bindings()]


def _owned_bindings() -> list[tuple[type, Binding]]:
    found: list[tuple[type, Binding]] = []
    for owner in BINDING_OWNERS:
        declared: list[BindingType] = owner.BINDINGS  # type: ignore[attr-defined]
        for binding in declared:
            assert isinstance(binding, Binding) and binding.id and binding.tooltip, f"{owner.__name__}: id and tooltip"
            found.append((owner, binding))
    return found


def action_ids() -> dict[str, Binding]:
    """Binding id (the name used in ``[keys]``) to binding."""
    return {binding.id: binding for binding in all_bindings() if binding.id}


def action_places() -> dict[str, str]:
    """Binding id to where its keys are live, for the config's clash check.

    A priority binding of the app (the command palette) fires on every screen, so it shares its keys with all.
    """
    return {
        binding.id: EVERYWHERE if owner is ReaderApp and binding.priority else _PLACES[owner]
        for owner, binding in _owned_bindings()
        if binding.id
    }


def key_labels(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    """The keys of ``binding`` in force under ``keymap`` (config.toml's remaps), as the footer writes them."""
    keys = keymap.get(binding.id or "") or binding.key
    return [format_key(key.strip()) for key in keys.split(",")]


def help_rows(keymap: Mapping[str, str]) -> list[tuple[str, str]]:
    """(keys, what they do) for every binding in the table's order, with the keys the keymap puts in force."""
    return [(", ".join(key_labels(binding, keymap)), binding.tooltip) for binding in all_bindings()]


def markdown_table() -> str:
    """The README's key table, generated from the bindings so the two cannot drift."""
    lines = ["| keys | action (config name) | what it does |", "|---|---|---|"]
    for binding in all_bindings():
        keys = ", ".join(f"`{label}`" for label in key_labels(binding, {}))
        lines.append(f"| {keys} | `{binding.id}` | {binding.tooltip} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table())
