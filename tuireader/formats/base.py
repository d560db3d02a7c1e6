"""The contract every format module implements, and what a format hands back to the loader.

A format sees a :class:`Source` (the first bytes and text, the path, whether it is a
directory), says with :meth:`Format.sniff` whether the source is its own, and with
:meth:`Format.open` reads the header and returns the posts as a lazy iterator. The
registry in :mod:`tuireader.formats` tries formats by :attr:`Format.priority`, the
forum-text fallback last, so no format has to know what the others look like.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from tuireader.body import Body
from tuireader.model import Post, Thread

BodyLoader = Callable[[Post], tuple[str, Body | None]]
"""Reads a post's body when it is first needed: formats that index big archives keep bodies on disk."""


@dataclass
class ParsedSource:
    """A thread as a format reads it: the header at once, the posts lazily.

    ``posts`` yields posts in file order. When ``in_reading_order`` is true every
    post replies to the post before it or one of that post's ancestors, so the app
    can show the first screen while the rest is still being parsed; otherwise the
    loader collects them all and sorts them first. The iterator raises
    :class:`tuireader.errors.ParseError` (with a line number) on input it cannot read.
    """

    posts: Iterator[Post]
    source_format: str
    in_reading_order: bool = True
    title: str = ""
    url: str | None = None
    summary: str = ""
    closed: bool = False
    warnings: list[str] = field(default_factory=list)
    posts_are_clean: bool = False
    """True when the format already made every post field inert (it cleaned the text it read)."""
    body_loader: BodyLoader | None = None
    """Does the costly part of a body when it is read (see :meth:`Thread.body_of`): posts then carry a cheap
    plain-text ``body`` (or none, for a mail archive's bodies left on disk) and ``blocks=None``; the loader
    returns the post's (plain text, blocks). It is called on the UI thread, so one call must stay well under 5 ms."""
    progress: Callable[[], str] | None = None
    """For formats that must read a whole archive before the first post (threading mail): what is done so far,
    such as ``"indexing… 12,345 messages (18%)"``. The loader may call it from another thread while
    ``posts`` yields nothing yet, and shows it on screen."""

    def build(self, posts: Iterable[Post] | None = None) -> Thread:
        """The thread with these header fields and *posts* (by default: parse every post left)."""
        if posts is None:
            posts = list(self.posts)  # first: reading to the end can still change closed and warnings
        thread = Thread.build(
            posts,
            title=self.title,
            url=self.url,
            summary=self.summary,
            closed=self.closed,
            source_format=self.source_format,
            warnings=self.warnings,
            posts_are_clean=self.posts_are_clean,
        )
        thread.body_loader = self.body_loader
        return thread


class Source(ABC):
    """What a format may look at and read: a file (possibly gzip-compressed), standard input or a directory."""

    path: str
    """The name the user gave (``-`` for standard input): every message names it."""
    is_dir: bool
    head: str
    """The first characters (about 64 KiB) as text, decoded leniently; empty for a directory."""
    head_bytes: bytes
    """The first bytes, after any gzip compression is undone; empty for a directory."""
    warnings: list[str]
    """Problems found while decoding (bad UTF-8); the loader adds them to the thread's."""

    @abstractmethod
    def chunks(self) -> Iterator[str]:
        """The whole text in pieces of about 1 MiB, each ending at a line end (the last may not)."""

    def read(self) -> str:
        """The whole text at once, for formats that cannot stream (JSON)."""
        return "".join(self.chunks())

    @abstractmethod
    def binary(self) -> BinaryIO:
        """The raw bytes (decompressed), for formats that must decode parts themselves (mail)."""


class Format(ABC):
    """One thread format: a name for users, a sniffer and a parser."""

    name: str
    """The short name written as the thread's ``source_format`` (``reddit``)."""
    label: str
    """What a user calls it, for messages: ``Reddit JSON``, ``tuireader's own JSON``."""
    priority: int = 50
    """Formats are tried from the lowest priority up; the forum-text fallback has the highest."""

    @abstractmethod
    def sniff(self, source: Source) -> bool:
        """True when *source* is this format, judged by its content (never by its file name)."""

    @abstractmethod
    def open(self, source: Source) -> ParsedSource:
        """Read the header, return the posts lazily; raise :class:`~tuireader.errors.ParseError` on bad input."""


class DocumentFormat(Format):
    """A format whose files are one document read whole (a site's JSON): a sniffer of the head and a parser.

    Each such module ends with ``FORMAT = DocumentFormat(NAME, "Label", priority, sniff, parse)``.
    """

    def __init__(
        self,
        name: str,
        label: str,
        priority: int,
        sniff_head: Callable[[str], bool],
        parse: Callable[[str, str], ParsedSource],
    ) -> None:
        self.name, self.label, self.priority = name, label, priority
        self._sniff_head = sniff_head
        self._parse = parse

    def sniff(self, source: Source) -> bool:
        return not source.is_dir and self._sniff_head(source.head)

    def open(self, source: Source) -> ParsedSource:
        return self._parse(source.read(), source.path)
