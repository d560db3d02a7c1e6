"""Author filters as pure functions of the thread: which posts match, and which are shown only as context."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from tuireader.author_search import match_score, query_key
from tuireader.model import Thread


@dataclass(frozen=True)
class AuthorFilter:
    """Follow some authors (``hide=False``: only their posts, ancestors kept as context) or hide them (a kill file).

    Names match exactly as the file spells them; shared names such as
    "Anonymous Coward" are one author, as the file gives no more.
    """

    authors: frozenset[str]
    hide: bool = False

    @classmethod
    def of(cls, authors: Iterable[str], *, hide: bool = False) -> AuthorFilter:
        return cls(frozenset(authors), hide)

    def matches(self, thread: Thread) -> bytearray:
        """1 for every post the reader wants: by a followed author, or not by a hidden one."""
        authors, hide = self.authors, self.hide
        return bytearray((post.author in authors) != hide for post in thread.posts)

    def describe(self, matched: int, total: int) -> str:
        names = ", ".join(sorted(self.authors))
        return f"{'hiding' if self.hide else 'only'} {names}: {matched:,} of {total:,} posts"


def with_ancestors(thread: Thread, matches: bytearray) -> bytearray:
    """``matches`` plus every ancestor of a match: the posts a filtered tree needs to stay a tree."""
    included = bytearray(matches)
    parent_index = thread.parent_index
    # Children come after parents, so one backward pass carries each mark up the whole chain.
    for index in range(len(included) - 1, -1, -1):
        if included[index]:
            parent = parent_index[index]
            if parent >= 0:
                included[parent] = 1
    return included


def selection(thread: Thread, author_filter: AuthorFilter | None) -> tuple[list[int], set[int]]:
    """Posts to export for a filter: matches and their ancestors, and which of those are context only."""
    if author_filter is None:
        return list(range(len(thread))), set()
    matches = author_filter.matches(thread)
    included = with_ancestors(thread, matches)
    indices = [index for index, keep in enumerate(included) if keep]
    return indices, {index for index in indices if not matches[index]}


def author_counts(thread: Thread) -> list[tuple[str, int]]:
    """Authors with their post counts, most active first (ties by name)."""
    counts = Counter(post.author for post in thread.posts)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))


def authors_named(name: str, authors: Iterable[str]) -> list[str]:
    """The authors ``name`` means: itself if someone writes exactly so, else every author it matches ignoring case.

    One match is the author the user meant (``"john smith 19"`` is John Smith 19); several
    (``"Ann"`` and ``"ANN"`` both post) leave the choice to the user.
    """
    known = set(authors)
    if name in known:
        return [name]
    wanted = name.casefold()
    return sorted(author for author in known if author.casefold() == wanted)


def fuzzy_score(query: str, name: str) -> int | None:
    """How well ``query`` matches ``name`` (lower is better), or None: letters in order, case and spaces ignored.

    The author picker's own rule (:mod:`tuireader.author_search`), for one name.
    """
    folded = name.casefold()
    return match_score(query_key(query), folded, folded.replace(" ", ""))
