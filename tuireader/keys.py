"""The key reference: one table of every binding, for the help screen's twin in the README and for config checks."""

from __future__ import annotations

from textual.binding import Binding, BindingType
from textual.keys import format_key

from tuireader.app import ReaderApp
from tuireader.screens.author_picker import AuthorPicker
from tuireader.screens.help import HelpScreen
from tuireader.widgets.thread_view import ThreadView

BINDING_OWNERS: tuple[type, ...] = (ThreadView, ReaderApp, HelpScreen, AuthorPicker)
"""Every class whose BINDINGS the user can remap in config.toml."""


def all_bindings() -> list[Binding]:
    """Every remappable binding, each key of a compound binding listed under one entry."""
    found: list[Binding] = []
    for owner in BINDING_OWNERS:
        declared: list[BindingType] = owner.BINDINGS  # type: ignore[attr-defined]
        for binding in declared:
            assert isinstance(binding, Binding) and binding.id, f"{owner.__name__} binding without an id"
            found.append(binding)
    return found


def action_ids() -> dict[str, Binding]:
    """Binding id (the name used in ``[keys]``) to binding."""
    return {binding.id: binding for binding in all_bindings() if binding.id}


def markdown_table() -> str:
    """The README's key table, generated from the bindings so the two cannot drift."""
    lines = ["| keys | action (config name) | what it does |", "|---|---|---|"]
    for binding in all_bindings():
        keys = ", ".join(f"`{format_key(key.strip())}`" for key in binding.key.split(","))
        lines.append(f"| {keys} | `{binding.id}` | {binding.tooltip or binding.description} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table())
