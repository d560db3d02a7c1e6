"""Every private Textual name the package uses, in one list, so an upgrade fails here with a clear message.

Textual's private names can change in any release. The package uses as few as it can;
each is listed below with the class that must still have it. A new private use that is
not listed fails the second test, so the list cannot silently fall behind the code.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from textual.scroll_view import ScrollView

PACKAGE = Path(__file__).resolve().parents[1] / "tuireader"

PRIVATE_TEXTUAL: dict[str, tuple[type, str]] = {
    "_scroll_update": (ScrollView, "widgets/scrolling.py: resizing a line-API view without a screen layout"),
}


@pytest.mark.parametrize("name", sorted(PRIVATE_TEXTUAL))
def test_each_private_name_still_exists_in_this_textual(name: str) -> None:
    owner, why = PRIVATE_TEXTUAL[name]
    assert callable(getattr(owner, name, None)), (
        f"Textual's {owner.__name__}.{name} is gone or changed; it was used for {why}"
    )


def _sources() -> list[tuple[Path, ast.AST]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in sorted(PACKAGE.rglob("*.py"))]


def test_no_private_name_of_another_object_is_used_unless_listed() -> None:
    """Private attributes read off anything but ``self``/``cls``, less the package's own: only the listed ones."""
    own: set[str] = set()
    used: dict[str, str] = {}
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                own.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                own.add(node.id)
            elif isinstance(node, ast.Attribute):
                if isinstance(node.ctx, ast.Store):
                    own.add(node.attr)
                elif (
                    node.attr.startswith("_")
                    and not node.attr.startswith("__")
                    and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
                ):
                    used.setdefault(node.attr, f"{path.relative_to(PACKAGE)}:{node.lineno}")
            elif isinstance(node, ast.arg):
                own.add(node.arg)
    foreign = {name: where for name, where in used.items() if name not in own}
    assert set(foreign) == set(PRIVATE_TEXTUAL), f"private names of other code in use: {foreign}"
