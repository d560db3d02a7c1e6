"""Reading the user's TOML files (config and themes) so every error can name its line."""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tuireader.errors import InputError
from tuireader.safeopen import open_checked

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on Python 3.10
    import tomli as tomllib

MAX_TOML_BYTES = 256 * 1024
"""Config and theme files are small; a bigger one is a mistake, not something to parse."""

_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")
# Every pattern here is linear in the line's length: a hostile file must not make placing an error slow.
_PART = r"""(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)"""
_KEY_PART = re.compile(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([A-Za-z0-9_-]+)')
_HEADER = re.compile(r"\s*\[\[?([^\[\]=]*)\]\]?\s*(?:#.*)?$")
_KEY_LINE = re.compile(rf"\s*({_PART}(?:\s*\.\s*{_PART})*)\s*=")


@dataclass
class TomlSource:
    """One parsed TOML file, kept with its text so errors can point at lines."""

    path: Path | None
    text: str
    data: dict[str, Any]
    _lines: dict[tuple[str, ...], int] | None = None

    def line_of(self, keys: tuple[str, ...], value: str | None = None) -> int | None:
        """The line that sets *keys* (or, failing that, its table); with *value*, the line holding it."""
        if self._lines is None:
            self._lines = _key_lines(self.text)
        for length in range(len(keys), 0, -1):
            line = self._lines.get(keys[:length])
            if line is not None:
                break
        else:
            return None
        if value is not None and length == len(keys):
            quoted = (f'"{value}"', f"'{value}'")
            for number, text in enumerate(self.text.splitlines()[line - 1 :], line):
                if any(q in text for q in quoted):
                    return number
        return line

    def error(self, keys: tuple[str, ...], message: str, value: str | None = None) -> InputError:
        """An error about the setting at *keys*, placed on its line."""
        return InputError(self.path, message, line=self.line_of(keys, value))


def _split_key(text: str) -> tuple[str, ...]:
    return tuple(next(g for g in m.groups() if g is not None) for m in _KEY_PART.finditer(text))


def _key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Map each key path (``("thread", "author")``) to the line that sets it.

    A light scan of the TOML text, enough for tables, dotted keys and quoted keys;
    it runs only on files already known to parse, to place an error.
    """
    table: tuple[str, ...] = ()
    lines: dict[tuple[str, ...], int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            table = _split_key(header[1])
            lines.setdefault(table, number)
            continue
        key = _KEY_LINE.match(line)
        if key:
            lines.setdefault(table + _split_key(key[1]), number)
    return lines


def read_toml(path: Path, what: str) -> TomlSource:
    """Read and parse one TOML file (*what* names it in errors: "theme", "config").

    Opened as every file the reader did not write is, so a FIFO or a device is refused
    with one line instead of blocking the start (or the hot reload) for good.
    """
    with open_checked(path, what=f"{what} file") as file:
        try:
            raw = file.read(MAX_TOML_BYTES + 1)
        except OSError as error:
            raise InputError(path, f"cannot read the {what}: {error.strerror or error}") from None
    if len(raw) > MAX_TOML_BYTES:
        raise InputError(path, f"too large for a {what} file (over {MAX_TOML_BYTES // 1024} KiB)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(path, "not UTF-8 text (valid: a UTF-8 TOML file)", line=line) from None
    return parse_toml(path, text)


def parse_toml(path: Path | None, text: str) -> TomlSource:
    """Parse TOML text; a syntax error becomes an InputError on the line tomllib names."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        at = _AT.search(message)
        line: int | None = getattr(error, "lineno", None)  # Python 3.14 adds lineno
        detail = message[: at.start()] if at else message
        if at and at[1]:
            line = line or int(at[1])
            detail += f" (column {at[2]})"
        elif at:
            line = line or max(1, len(text.splitlines()))
            detail += " (at the end of the file)"
        raise InputError(path, f"TOML syntax error: {detail}", line=line) from None
    return TomlSource(path, text, data)


def show_value(value: object) -> str:
    """A value for an error message: quoted, and short even if the file is hostile."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def type_name(value: object) -> str:
    """What kind of TOML value *value* is, for messages such as "must be a string, not an integer"."""
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "an array"}
    return "a table" if isinstance(value, dict) else names.get(type(value), "a date or time")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest choice, or empty when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""
