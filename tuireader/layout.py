"""How the screen is split between the tree and the pane, and writing the split back into config.toml.

The split is the one setting the reader writes itself (``<`` and ``>`` change it), so it
is written the careful way: only the ``split`` line of the ``[layout]`` table changes,
every other byte of the user's file stays as they wrote it; the new text must parse to
the old settings with only the split changed, or nothing is written; and the file is
replaced atomically, so a crash never leaves half a config. This module imports no Textual.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tuireader.errors import InputError
from tuireader.tomlfile import parse_toml, read_toml

DEFAULT_SPLIT = 40
"""The tree's share of the screen, in percent: of the width side by side, of the height stacked."""
MIN_SPLIT, MAX_SPLIT = 15, 85
SPLIT_STEP = 5
STACK_BELOW_COLUMNS = 70
"""Narrower terminals show the tree over the pane, unless ``stacked`` says otherwise."""

_TABLE = re.compile(r"\s*\[\s*layout\s*\]\s*(?:#.*)?")
_ANY_TABLE = re.compile(r"\s*\[")
_SPLIT_LINE = re.compile(r"(\s*split\s*=\s*)([^#\s]*)(.*)")


@dataclass
class Layout:
    """config.toml's ``[layout]``: the split, and whether the tree sits over the pane (None: by width)."""

    split: int = DEFAULT_SPLIT
    stacked: bool | None = None

    def stacks_at(self, columns: int) -> bool:
        return self.stacked if self.stacked is not None else columns < STACK_BELOW_COLUMNS


def clamp_split(split: int) -> int:
    return max(MIN_SPLIT, min(MAX_SPLIT, split))


def with_split(text: str, split: int) -> str:
    """config.toml's ``text`` with ``[layout] split`` set to ``split``, all else unchanged.

    Raises :class:`ValueError` when the file sets the layout in a way this cannot edit
    safely (an inline table, dotted keys): the result is checked by parsing both.
    """
    lines = text.splitlines(keepends=True)
    start = next((number for number, line in enumerate(lines) if _TABLE.fullmatch(line.rstrip("\r\n"))), None)
    if start is None:
        new = text + ("" if not text or text.endswith("\n") else "\n") + ("\n" if text.strip() else "")
        new += f"[layout]\nsplit = {split}\n"
    else:
        end = next((number for number in range(start + 1, len(lines)) if _ANY_TABLE.match(lines[number])), len(lines))
        found = next((number for number in range(start + 1, end) if _SPLIT_LINE.match(lines[number])), None)
        if found is None:
            lines.insert(start + 1, f"split = {split}\n")
        else:
            match = _SPLIT_LINE.match(lines[found])
            assert match is not None
            lines[found] = f"{match[1]}{split}{match[3]}" + ("\n" if lines[found].endswith("\n") else "")
        new = "".join(lines)
    _check_only_split_changed(text, new, split)
    return new


def _check_only_split_changed(old: str, new: str, split: int) -> None:
    try:
        before, after = parse_toml(None, old).data, parse_toml(None, new).data
    except InputError as error:
        raise ValueError(error.message) from None
    layout = before.get("layout", {})
    if not isinstance(layout, dict):
        raise ValueError("layout is not a table")
    if after != {**before, "layout": {**layout, "split": split}}:
        raise ValueError("the [layout] table is written in a form the reader cannot edit")


def save_split(path: Path, split: int) -> None:
    """Write ``split`` into the config file at ``path`` (made if missing), atomically.

    Raises :class:`InputError` naming the file when it cannot be read, edited or written.
    """
    target = Path(os.path.realpath(path))  # through a symlink (dotfile managers), not over it
    text = read_toml(target, "config").text if target.exists() else ""
    try:
        new = with_split(text, split)
    except ValueError as error:
        fix = f"set split = {split} under [layout] yourself"
        raise InputError(path, f"cannot save the split ({error}): {fix}") from None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = target.stat().st_mode & 0o7777 if target.exists() else 0o644
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
                file.write(new)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, target)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as error:
        raise InputError(path, f"cannot save the split: {error.strerror or error}") from None
