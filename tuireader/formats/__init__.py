"""Reading threads: one entry point that opens a source, sniffs its format and hands back its posts.

Every format is a :class:`~tuireader.formats.base.Format` in its own module. The
registry below lists them all; they are tried from the lowest ``priority`` up, and
the first whose ``sniff`` says yes reads the source. Forum text, which accepts any
prose, is the fallback and comes last.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

from tuireader.errors import InputError, ParseError
from tuireader.formats import discourse, forumtext, hackernews, lobsters, mail, mastodon, native_json, reddit
from tuireader.formats.base import Format, ParsedSource, Source
from tuireader.formats.textfile import Directory, TextFile, decode
from tuireader.model import Post, Thread
from tuireader.safeopen import is_directory

STDIN = "-"
"""The name that stands for standard input, as in most Unix tools."""

REGISTRY: tuple[Format, ...] = tuple(
    sorted(
        (
            native_json.FORMAT,
            discourse.FORMAT,
            lobsters.FORMAT,
            mastodon.FORMAT,
            reddit.FORMAT,
            hackernews.FORMAT,
            mail.MBOX,
            mail.MAILDIR,
            forumtext.FORMAT,
        ),
        key=lambda fmt: fmt.priority,
    )
)
"""Every format the reader knows, in the order they are tried."""

__all__ = ["REGISTRY", "STDIN", "ParsedSource", "decode", "load", "open_source", "read_text", "source_for"]


def known_formats() -> str:
    """The formats in words a user knows, for messages: "tuireader's own JSON, …, forum text"."""
    return ", ".join(fmt.label for fmt in REGISTRY)


def format_label(name: str) -> str:
    """What a user calls the format a thread was read from ("forum text"), by its short name."""
    return next((fmt.label for fmt in REGISTRY if fmt.name == name), name or "unknown format")


def read_text(path: str | Path) -> tuple[str, list[str]]:
    """Read a whole thread file as text, with warnings for bytes that had to be replaced."""
    source = TextFile(path)
    text = source.read()
    return text, source.warnings


def source_for(path: str | Path) -> Source:
    """The source *path* names: standard input for ``-``, a directory, or a (possibly gzip-compressed) file."""
    name = str(path)
    if name == STDIN:
        return TextFile("(standard input)", _read_stdin())
    if is_directory(name):
        return Directory(name)
    return TextFile(name)


def _read_stdin() -> bytes:
    stream = sys.stdin.buffer if sys.stdin is not None else None
    if stream is None:
        raise InputError("(standard input)", "there is no standard input to read")
    if os.isatty(stream.fileno()):
        raise InputError("-", "standard input is a terminal: pipe a thread in (cmd | tuireader -) or name a file")
    try:
        return stream.read()
    except OSError as error:
        raise InputError("(standard input)", f"cannot read: {error.strerror or error}") from None


def open_source(path: str | Path) -> ParsedSource:
    """Open and sniff *path*; the returned source parses its posts lazily."""
    source = source_for(path)
    for fmt in REGISTRY:
        if fmt.sniff(source):
            try:
                parsed = fmt.open(source)
            except InputError:
                raise
            except Exception as error:  # a parser bug must still end as one clear line
                raise _unexpected(source.path, error) from error
            parsed.warnings[:0] = source.warnings
            parsed.posts = _guarded(parsed.posts, parsed, source)
            return parsed
    if source.is_dir:
        raise InputError(source.path, "is a directory, not a thread file (nor a Maildir)")
    raise ParseError(source.path, f"not a thread file this reader understands (tried: {known_formats()})", line=1)


def _guarded(posts: Iterator[Post], parsed: ParsedSource, source: Source) -> Iterator[Post]:
    """Pass the posts through; turn anything but our own error into a ParseError naming the file.

    Decoding warnings found after the header (bad bytes late in a big file) are
    added to the parsed source's warnings when the posts run out.
    """
    seen = len(source.warnings)
    try:
        yield from posts
    except InputError:
        raise
    except Exception as error:
        raise _unexpected(source.path, error) from error
    parsed.warnings.extend(source.warnings[seen:])


def _unexpected(path: str, error: Exception) -> ParseError:
    return ParseError(path, f"cannot read this file ({type(error).__name__}: {error}); please report it")


def load(path: str | Path) -> Thread:
    """Read a whole thread file into the model."""
    return open_source(path).build()
