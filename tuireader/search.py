"""Finding posts by what they say: the query the user typed, and a search that runs beside the UI.

A :class:`Query` is parsed once from the search line: plain text, or a regular
expression after ``re:``; either ignores case unless it holds a capital (smart
case, as in vim and ripgrep). A :class:`Search` scans one thread for it in chunks,
outward from the post the user is on, so the nearest matches come first: the worker
thread runs :meth:`Search.chunks`, which changes nothing but the thread's cache of
lazily loaded bodies, and the UI thread merges each :class:`Chunk` with
:meth:`Search.add`. No lock is shared: until a part of the thread has been merged,
the moves say :data:`PENDING` instead of guessing.

Python's ``re`` cannot be stopped once a match has started, and a pattern such as
``(a+)+$`` takes exponential time: 17 s on 26 characters. Regular expressions are
therefore checked with ``re`` (its syntax and error messages) but run with the
``regex`` module, whose matches take a timeout: a field that takes longer than
:data:`REGEX_SECONDS` stops the whole search with a message, on the worker and in
the pane alike, so no pattern can hang the reader or a worker it waits for.
This module imports no Textual.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

import regex

from tuireader.errors import InputError
from tuireader.model import Thread
from tuireader.navigation import Keep

REGEX_PREFIX = "re:"
REGEX_SECONDS = 0.1
"""Longest a regular expression may run over one field of one post before the search gives up."""
FIRST_CHUNK = 256
"""Posts scanned on each side of the current post before the first merge: a near match is found in milliseconds."""
LARGEST_CHUNK = 8_192
"""Chunks double up to this size, so a whole scan of a big thread costs few merges on the UI thread."""
TOO_SLOW = (
    "search stopped: the regular expression took over {seconds:g} s on one post "
    "(nested repeats such as (a+)+ can take forever)"
)

_NOT_LITERAL = re.compile(r"\\N\{[^}]*\}|\\.|\(\?P<[^>]*>|\(\?P=[^)]*\)|\(\?[aiLmsux-]+[:)]", re.DOTALL)
"""Escapes, group names and inline flags: their capitals (``\\S``, ``(?P<Name>``) are not text to match."""


class Pending(Enum):
    """The answer of a move whose way is not scanned yet: ask again after the next merge."""

    PENDING = "pending"


PENDING = Pending.PENDING
Answer = int | None | Literal[Pending.PENDING]
"""Where a move lands: a post, nowhere (None), or not known yet (:data:`PENDING`)."""


@dataclass(frozen=True)
class Query:
    """What the user searches for, compiled once; ``typed`` is the search line as typed (not yet made inert)."""

    typed: str
    is_regex: bool
    ignore_case: bool
    _needle: str
    """Plain text to look for, lower-cased when case is ignored (unused for a regular expression)."""
    _pattern: Any
    """The compiled ``regex`` pattern of a regular expression (None for plain text)."""

    @classmethod
    def parse(cls, typed: str) -> Query:
        """The query for a search line; InputError for an empty one or a bad regular expression."""
        if not typed.startswith(REGEX_PREFIX):
            if not typed:
                raise InputError(None, "nothing to search for")
            ignore_case = not _has_capital(typed)
            return cls(typed, False, ignore_case, _lowered(typed) if ignore_case else typed, None)
        source = typed[len(REGEX_PREFIX) :]
        if not source:
            raise InputError(None, "empty regular expression after re:")
        ignore_case = not _has_capital(_NOT_LITERAL.sub("", source))
        try:
            re.compile(source, re.IGNORECASE if ignore_case else 0)
            compiled = regex.compile(source, regex.V0 | (regex.IGNORECASE if ignore_case else 0))
        except (re.error, regex.error) as error:
            raise InputError(None, f"bad regular expression: {error}") from None
        return cls(typed, True, ignore_case, "", compiled)

    def matches(self, text: str) -> bool:
        """Whether *text* holds the query; TimeoutError when a regular expression takes too long on it."""
        if self.is_regex:
            return self._pattern.search(text, timeout=REGEX_SECONDS) is not None
        return self._needle in (_lowered(text) if self.ignore_case else text)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the query matches *text*, as (start, end) offsets, empty matches left out; TimeoutError as above.

        Plain text is found exactly as :meth:`matches` finds it, so every post the search
        counts has something highlighted.
        """
        if self.is_regex:
            found = self._pattern.finditer(text, timeout=REGEX_SECONDS)
            return [match.span() for match in found if match.end() > match.start()]
        haystack, needle = (_lowered(text) if self.ignore_case else text), self._needle
        spans = []
        start = haystack.find(needle)
        while start >= 0:
            spans.append((start, start + len(needle)))
            start = haystack.find(needle, start + len(needle))
        return spans


def _has_capital(text: str) -> bool:
    return any(character.isupper() for character in text)


def _lowered(text: str) -> str:
    """*text* in lower case, one character for one, so offsets in it are offsets in *text*.

    ``str.lower`` keeps the length of every character but one: "İ" becomes "i" and a combining dot.
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := character.lower()) == 1 else character for character in text)


@dataclass(frozen=True)
class Chunk:
    """What one step of the scan found: posts ``start`` to ``stop`` (exclusive) were read, ``hits`` matched."""

    start: int
    stop: int
    hits: list[int]
    too_slow: bool = False
    """The regular expression timed out on a post here: the search ends with what it found."""


class Search:
    """One query over one thread: the hits found so far, the moves between them, and highlighting.

    Scanned posts always form one run ``[low, high)`` around the origin, so a move
    knows exactly which of its posts are settled. Posts loaded after the scan ended
    make :attr:`done` false again; running :meth:`chunks` once more scans them.
    """

    def __init__(self, thread: Thread, query: Query, origin: int = 0) -> None:
        self.thread = thread
        self.query = query
        self.origin = min(max(origin, 0), len(thread))
        self.low = self.high = self.origin
        self.hits: list[int] = []
        """Matching posts found so far, in reading order."""
        self._is_hit = bytearray()
        self.problem: str | None = None
        """Why the search stopped early (a regular expression too slow), for the status line."""

    # The worker's half: reads the thread, changes nothing of the search -----------------------

    def chunks(self, cancelled: Callable[[], bool] = lambda: False) -> Iterator[Chunk]:
        """Scan what is not scanned yet, alternately after and before the scanned run, growing chunks.

        Runs on a worker thread; each chunk goes to :meth:`add` on the UI thread.
        Stops when *cancelled* says so, when the thread is scanned, or when the query is too slow.
        """
        low, high, size = self.low, self.high, FIRST_CHUNK
        while self.problem is None and not cancelled():
            end = len(self.thread)
            if low == 0 and high >= end:
                return
            for start, stop in ((high, min(high + size, end)), (max(low - size, 0), low)):
                if start < stop and not cancelled():
                    chunk = self._scan(start, stop)
                    yield chunk
                    if chunk.too_slow:
                        return
                    low, high = min(low, chunk.start), max(high, chunk.stop)
            size = min(size * 2, LARGEST_CHUNK)

    def _scan(self, start: int, stop: int) -> Chunk:
        thread, matches = self.thread, self.query.matches
        posts = thread.posts
        hits: list[int] = []
        try:
            for index in range(start, stop):
                post = posts[index]
                if matches(post.author) or matches(post.title) or matches(thread.text_of(index)):
                    hits.append(index)
        except TimeoutError:
            return Chunk(start, stop, hits, too_slow=True)  # the search ends here: keep what it found
        return Chunk(start, stop, hits)

    # The UI thread's half -------------------------------------------------------------------------

    def add(self, chunk: Chunk) -> None:
        """Merge a chunk from :meth:`chunks` (on the UI thread); one that does not touch the scanned run is stale."""
        if chunk.too_slow:
            self.problem = TOO_SLOW.format(seconds=REGEX_SECONDS)
        if chunk.start == self.high:
            self.high = chunk.stop
            self.hits.extend(chunk.hits)
        elif chunk.stop == self.low:
            self.low = chunk.start
            self.hits[:0] = chunk.hits
        else:
            return
        if len(self._is_hit) < len(self.thread):
            self._is_hit.extend(bytes(len(self.thread) - len(self._is_hit)))
        for hit in chunk.hits:
            self._is_hit[hit] = 1

    @property
    def done(self) -> bool:
        """True when every post is scanned, or the search gave up (then the hits are all it will find)."""
        return self.problem is not None or (self.low == 0 and self.high >= len(self.thread))

    @property
    def progress(self) -> float:
        """The share of the thread scanned, from 0 to 1."""
        return 1.0 if not self.thread.posts else (self.high - self.low) / len(self.thread)

    def is_hit(self, index: int) -> bool:
        """Whether post ``index`` matches (False while it is not scanned): part of its tree line's state."""
        return index < len(self._is_hit) and bool(self._is_hit[index])

    def next_match(self, index: int, keep: Keep | None = None) -> Answer:
        """The first match after post ``index`` that *keep* allows; PENDING while posts on the way are unscanned."""
        settled = self.problem is not None
        if index + 1 < self.low and not settled:
            return PENDING
        hits = self.hits
        for position in range(bisect_right(hits, index), len(hits)):
            if keep is None or keep(hits[position]):
                return hits[position]
        return None if settled or self.high >= len(self.thread) else PENDING

    def previous_match(self, index: int, keep: Keep | None = None) -> Answer:
        """The last match before post ``index`` that *keep* allows; PENDING while posts on the way are unscanned."""
        settled = self.problem is not None
        if index > self.high and not settled:
            return PENDING
        hits = self.hits
        for position in range(bisect_left(hits, index) - 1, -1, -1):
            if keep is None or keep(hits[position]):
                return hits[position]
        return None if settled or self.low == 0 else PENDING

    def count(self, keep: Keep | None = None) -> int:
        """Matches found so far that *keep* allows."""
        if keep is None:
            return len(self.hits)
        return sum(1 for hit in self.hits if keep(hit))

    def rank(self, index: int, keep: Keep | None = None) -> int | None:
        """Post ``index``'s place among the allowed matches (1 for the first); None if it is none or not yet known."""
        if not self.is_hit(index) or (keep is not None and not keep(index)) or (self.low > 0 and not self.done):
            return None
        earlier = self.hits[: bisect_left(self.hits, index)]
        return 1 + (len(earlier) if keep is None else sum(1 for hit in earlier if keep(hit)))

    def status(self, index: int, keep: Keep | None = None) -> str:
        """The status line's words: "match 3 of 17", "17+ matches, searching… 40%", "no matches" or the problem."""
        if self.problem is not None:
            return self.problem
        count, rank = self.count(keep), self.rank(index, keep)
        more = "" if self.done else "+"
        if count == 0:
            words = "no matches" if self.done else "no matches yet"
        elif rank is not None:
            words = f"match {rank:,} of {count:,}{more}"
        else:
            words = f"{count:,}{more} {'match' if count == 1 and self.done else 'matches'}"
        return words if self.done else f"{words}, searching… {self.progress:.0%}"

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the query matches *text* (a body, a title), for highlighting; nothing once the query was too slow."""
        if self.problem is not None:
            return []
        try:
            return self.query.spans(text)
        except TimeoutError:
            self.problem = TOO_SLOW.format(seconds=REGEX_SECONDS)
            return []
