"""Reading thread files: one entry point that checks the path, decodes the bytes and sniffs the format.

Each format lives in its own module with ``NAME``, ``sniff(head)`` and
``parse(text, path) -> ParsedSource``; a format that can read a file piece by
piece also has ``parse_stream(chunks, path)``, which is preferred, so a big file
is never held whole. Formats are tried in :data:`FORMATS` order; the first whose
``sniff`` says yes parses the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from tuireader.errors import InputError, ParseError
from tuireader.formats import forumtext, native_json
from tuireader.formats.base import ParsedSource
from tuireader.formats.textfile import TextFile, decode
from tuireader.model import Post, Thread

FORMATS: tuple[ModuleType, ...] = (native_json, forumtext)

__all__ = ["FORMATS", "ParsedSource", "decode", "load", "open_source", "read_text"]


def read_text(path: str | Path) -> tuple[str, list[str]]:
    """Read a whole thread file as text, with warnings for bytes that had to be replaced."""
    source = TextFile(path)
    text = source.read()
    return text, source.warnings


def open_source(path: str | Path) -> ParsedSource:
    """Check, read and sniff a file; the returned source parses its posts lazily."""
    file = TextFile(path)
    for module in FORMATS:
        if module.sniff(file.head):
            stream = getattr(module, "parse_stream", None)
            try:
                if stream is not None:
                    source: ParsedSource = stream(file.chunks(), str(path))
                else:
                    source = module.parse(file.read(), str(path))
            except InputError:
                raise
            except Exception as error:  # a parser bug must still end as one clear line
                raise _unexpected(str(path), error) from error
            source.warnings[:0] = file.warnings
            source.posts = _guarded(source.posts, source, file)
            return source
    names = ", ".join(module.NAME for module in FORMATS)
    raise ParseError(str(path), f"not a thread file this reader knows (formats: {names})", line=1)


def _guarded(posts: Iterator[Post], source: ParsedSource, file: TextFile) -> Iterator[Post]:
    """Pass the posts through; turn anything but our own error into a ParseError naming the file.

    Decoding warnings found after the header (bad bytes late in a big file) are
    added to the source's warnings when the posts run out.
    """
    seen = len(file.warnings)
    try:
        yield from posts
    except InputError:
        raise
    except Exception as error:
        raise _unexpected(file.path, error) from error
    source.warnings.extend(file.warnings[seen:])


def _unexpected(path: str, error: Exception) -> ParseError:
    return ParseError(path, f"cannot read this file ({type(error).__name__}: {error}); please report it")


def load(path: str | Path) -> Thread:
    """Read a whole thread file into the model."""
    return open_source(path).build()
