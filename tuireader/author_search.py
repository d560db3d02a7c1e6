"""Finding an author as the picker's user types: every author by activity, narrowed a letter at a time.

A query matches a name when its letters (spaces and case aside) appear in the name in
order. Names starting with the query come first, then names holding it whole, then those
with its letters closest together; ties go to the busiest author. At 100,000
authors, scoring each name in Python on every key costs a tenth of a second or more, so
the names are casefolded once, a query starts from the matches of the longest earlier
query it extends (a longer query can only match fewer names), and only names holding the
letters scattered need a regular expression, one without backtracking.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from tuireader.model import Thread


def query_key(query: str) -> str:
    """What a query is matched as: casefolded, without any whitespace."""
    return "".join(query.split()).casefold()


def _scattered(wanted: str) -> re.Pattern[str]:
    """A pattern matching a name that holds *wanted*'s letters in order; its match ends at the last of them.

    Each letter is found by skipping everything else possessively, so the first (leftmost)
    way through is the only one tried: no backtracking, whatever the name holds.
    """
    return re.compile("".join(f"[^{letter}]*+{letter}" for letter in map(re.escape, wanted)))


def match_score(wanted: str, folded: str, squashed: str) -> int | None:
    """How well *wanted* (a :func:`query_key`) matches one name (lower is better), or None.

    *folded* is the name casefolded, *squashed* the same without spaces: 0 when the name
    starts with the query, 1 when it holds it whole, else 2 plus the letters skipped.
    """
    if not wanted:
        return 0
    if wanted in squashed:
        return 0 if folded.startswith(wanted) else 1
    found = _scattered(wanted).match(folded)
    return None if found is None else 2 + found.end() - len(wanted)


@dataclass(frozen=True)
class _Matches:
    positions: Sequence[int]
    """The matching authors' positions in the index, ascending: where a longer query starts."""
    order: Sequence[int]
    """The same positions, best match first: what the picker shows."""


@dataclass(frozen=True)
class AuthorIndex:
    """Every author of a thread with a post count, most active first (ties by name), ready to be searched."""

    names: list[str]
    counts: list[int]
    folded: list[str]
    squashed: list[str]
    size: int
    """How many posts the thread had: an index of fewer posts than the thread has is out of date."""

    @classmethod
    def of(cls, thread: Thread) -> AuthorIndex:
        counts = Counter(post.author for post in thread.posts)
        # Two stable sorts with plain keys: several times quicker than one on (count, name) tuples.
        names = sorted(counts, key=str.casefold)
        names.sort(key=counts.__getitem__, reverse=True)
        folded = [name.casefold() for name in names]
        squashed = [name.replace(" ", "") for name in folded]
        return cls(names, [counts[name] for name in names], folded, squashed, len(thread))

    def __len__(self) -> int:
        return len(self.names)


class Narrowing:
    """The authors matching what has been typed, remembering each shorter query on the way.

    Typing a letter narrows the last matches; Backspace finds the shorter query's matches
    already made; any other edit starts from the longest remembered query the new one extends.
    """

    def __init__(self, index: AuthorIndex) -> None:
        self.index = index
        everyone = range(len(index))
        self._found: dict[str, _Matches] = {"": _Matches(everyone, everyone)}

    def rows(self, query: str) -> Sequence[int]:
        """The positions (in :attr:`index`) of the authors matching *query*, best first."""
        wanted = query_key(query)
        if wanted not in self._found:
            # Keep only what Backspace can reach: the queries this one extends.
            self._found = {key: value for key, value in self._found.items() if wanted.startswith(key)}
            known = max(len(key) for key in self._found)
            found = self._found[wanted[:known]]
            for length in range(known + 1, len(wanted) + 1):  # a letter at a time: each step has fewer names to try
                found = self._narrow(found.positions, wanted[:length])
                self._found[wanted[:length]] = found
        return self._found[wanted].order

    def _narrow(self, candidates: Sequence[int], wanted: str) -> _Matches:
        """:func:`match_score` for every candidate, as whole-list operations where the answer is plain."""
        folded, squashed = self.index.folded, self.index.squashed
        whole = [position for position in candidates if wanted in squashed[position]]
        starting = [position for position in whole if folded[position].startswith(wanted)]
        inside = [position for position in whole if not folded[position].startswith(wanted)]
        if len(wanted) == 1 or len(whole) == len(candidates):  # one letter anywhere is in the name whole
            return _Matches(whole, starting + inside)
        held = set(whole)
        pattern = _scattered(wanted)
        skipped: dict[int, list[int]] = {}
        scattered: list[int] = []
        for position in candidates:
            if position in held:
                continue
            found = pattern.match(folded[position])
            if found is not None:
                skipped.setdefault(found.end() - len(wanted), []).append(position)
                scattered.append(position)
        order = starting + inside
        for gap in sorted(skipped):
            order += skipped[gap]
        return _Matches(sorted(whole + scattered), order)
