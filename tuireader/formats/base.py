"""What every format module hands back, so the loader can stream or build without knowing the format."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from tuireader.model import Post, Thread


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

    def build(self, posts: Iterable[Post] | None = None) -> Thread:
        """The thread with these header fields and *posts* (by default: parse every post left)."""
        if posts is None:
            posts = list(self.posts)  # first: reading to the end can still change closed and warnings
        return Thread.build(
            posts,
            title=self.title,
            url=self.url,
            summary=self.summary,
            closed=self.closed,
            source_format=self.source_format,
            warnings=self.warnings,
            posts_are_clean=self.posts_are_clean,
        )
