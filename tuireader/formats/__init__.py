"""Reading thread files: one entry point that checks the path, decodes the bytes and sniffs the format.

Each format lives in its own module with ``NAME``, ``sniff(head)`` and
``parse(text, path) -> ParsedSource``. Formats are tried in :data:`FORMATS` order;
the first whose ``sniff`` says yes parses the file.
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from tuireader.errors import InputError, ParseError
from tuireader.formats import forumtext, native_json
from tuireader.formats.base import ParsedSource
from tuireader.model import Post, Thread

FORMATS: tuple[ModuleType, ...] = (native_json, forumtext)
SNIFF_CHARS = 65536
_BINARY_PROBE = 8192

__all__ = ["FORMATS", "ParsedSource", "load", "open_source", "read_text"]


def read_text(path: str | Path) -> tuple[str, list[str]]:
    """Read a thread file as text, with warnings for bytes that had to be replaced.

    Refuses, with an :class:`InputError`, what is not a readable regular file, an
    empty file and a binary file, so a FIFO or a device never blocks the reader.
    """
    name = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except OSError as error:
        raise InputError(name, error.strerror or "cannot read") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(name, "is a directory, not a thread file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(name, "not a regular file (a pipe, socket or device); save the thread to a file first")
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except OSError as error:
        raise InputError(name, error.strerror or "cannot read") from None
    return decode(data, name)


def decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode a file's bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM; bad UTF-8 is replaced."""
    if not data.strip():
        raise InputError(name, "empty file: there is no thread in it")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as error:
            raise InputError(name, f"not valid UTF-16 at byte {error.start}") from None
    if b"\0" in data[:_BINARY_PROBE]:
        raise InputError(name, "binary file (it holds NUL bytes): not a thread file")
    warnings: list[str] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        warnings.append(f"{name}:{line}: not valid UTF-8; bad bytes are shown as \ufffd")
        text = data.decode("utf-8-sig", errors="replace")
    return text, warnings


def open_source(path: str | Path) -> ParsedSource:
    """Check, read and sniff a file; the returned source parses its posts lazily."""
    text, warnings = read_text(path)
    head = text[:SNIFF_CHARS]
    for module in FORMATS:
        if module.sniff(head):
            try:
                source: ParsedSource = module.parse(text, str(path))
            except InputError:
                raise
            except Exception as error:  # a parser bug must still end as one clear line
                raise _unexpected(str(path), error) from error
            source.warnings[:0] = warnings
            source.posts = _guarded(source.posts, str(path))
            return source
    names = ", ".join(module.NAME for module in FORMATS)
    raise ParseError(str(path), f"not a thread file this reader knows (formats: {names})", line=1)


def _guarded(posts: Iterator[Post], path: str) -> Iterator[Post]:
    """Pass posts through, turning anything but our own error into a ParseError naming the file."""
    try:
        yield from posts
    except InputError:
        raise
    except Exception as error:
        raise _unexpected(path, error) from error


def _unexpected(path: str, error: Exception) -> ParseError:
    return ParseError(path, f"cannot read this file ({type(error).__name__}: {error}); please report it")


def load(path: str | Path) -> Thread:
    """Read a whole thread file into the model."""
    return open_source(path).build()
