"""Threading mail by its References and In-Reply-To headers, after Jamie Zawinski's algorithm.

https://www.jwz.org/doc/threading.html, with the changes a reader of archives needs:

- **Each message's own headers place it.** Its parent is the message its
  ``In-Reply-To`` names when that is one id of a message in the archive (the
  replier's own client wrote it, naming exactly the message answered; References
  is copied down the thread, and some tools, Debbugs for one, reorder or cut it);
  otherwise the last ``References`` id; otherwise the first ``In-Reply-To`` id.
  That is notmuch's order (its ``parent-priority`` test corpus), but for a last
  reference that is missing: notmuch skips to the deepest reference it has, here
  the missing message becomes a placeholder, so the gap shows. Another message's
  References never move a message that is in the archive: they only place the
  *missing* messages between (JWZ's containers without a message).
- **Missing messages stay visible.** A missing parent with replies becomes a
  placeholder, where JWZ would prune it, so the tree shows where the gap is.
- **Cycles are cut, never followed.** Headers can say A replies to B and B to A;
  each cycle is cut at its oldest message, which becomes a thread's start.
- **Subject threading is only a fallback**, for a message with no References and
  no In-Reply-To whose subject says it is a reply (``Re:``, ``Fwd:``, ``AW:``,
  ``SV:``, ``Antw:``): it joins the oldest thread with the same subject (list
  tags like ``[PATCH v2 3/7]`` and ``[listname]`` stripped) and is marked so.
- **Duplicate Message-IDs collapse**: the first is kept, later ones are reported.

Threads and replies are in date order (a placeholder at the date of its oldest reply). Nothing recurses,
and the loops are linear (a union-find keeps the cycle checks cheap), so a chain
of 100,000 replies costs what 100,000 separate threads do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

PLACEHOLDER = -1
"""The ``message`` of a :class:`Placed` row that stands for a message missing from the archive."""
BY_SUBJECT = "threaded by subject"
CYCLE = "its references formed a cycle; shown as the start of a thread"


class Message(NamedTuple):
    """What threading needs of one message."""

    id: str
    references: tuple[str, ...]
    """The ``References`` ids, oldest first, without brackets."""
    in_reply_to: tuple[str, ...]
    """The ``In-Reply-To`` ids (usually one)."""
    subject: str
    date: float
    """Seconds since 1970; the caller gives an undated message the date of its neighbour in the file."""


class Placed(NamedTuple):
    """One row of the threaded archive, in reading order."""

    message: int
    """Index into the messages given, or :data:`PLACEHOLDER`."""
    id: str
    parent: str | None
    how: str | None
    """Why it sits where it does when its headers alone did not say: :data:`BY_SUBJECT` or :data:`CYCLE`."""


class Threads(NamedTuple):
    rows: list[Placed]
    duplicates: list[tuple[int, int]]
    """(kept, dropped) message indices for each repeated Message-ID."""


_PREFIX = re.compile(r"\s*(?:((?:re|fwd?|aw|sv|antw)\s*(?:\[\d+\]|\^\d+)?\s*:)|\[[^\]]*\])\s*", re.IGNORECASE)
"""A reply or forward prefix (group 1: ``Re:``, ``AW[2]:``, ``Fwd:``) or a list tag (``[PATCH v2 3/7]``)."""
_SPACES = re.compile(r"\s+")


def base_subject(subject: str) -> tuple[str, bool]:
    """The subject without reply prefixes and list tags, casefolded; and whether a reply prefix was there."""
    position = 0
    reply = False
    while (match := _PREFIX.match(subject, position)) is not None and match.end() > position:
        reply = reply or match.group(1) is not None
        position = match.end()
    return _SPACES.sub(" ", subject[position:]).strip().casefold(), reply


def thread(messages: Sequence[Message]) -> Threads:
    """Every message (and a placeholder for each missing parent) in reading order, depth first."""
    table: dict[str, int] = {}
    """Message-ID to container; a container holds a message or stands for a missing one."""
    ids: list[str] = []
    message_of: list[int] = []
    own: list[int] = []
    duplicates: list[tuple[int, int]] = []
    for index, message in enumerate(messages):
        container = table.get(message.id)
        if container is not None:
            duplicates.append((message_of[container], index))
            own.append(-1)
            continue
        table[message.id] = len(ids)
        own.append(len(ids))
        ids.append(message.id)
        message_of.append(index)
    parent = [-1] * len(ids)

    def container_for(message_id: str) -> int:
        found = table.get(message_id)
        if found is None:
            found = table[message_id] = len(ids)
            ids.append(message_id)
            message_of.append(PLACEHOLDER)
            parent.append(-1)
        return found

    def present(message_id: str) -> bool:
        found = table.get(message_id)
        return found is not None and message_of[found] >= 0

    for index, message in enumerate(messages):
        container = own[index]
        if container < 0:
            continue
        parent_id = _parent_id(message, present)
        if parent_id is not None:
            parent[container] = container_for(parent_id)

    how: dict[int, str] = {}
    _cut_cycles(parent, message_of, messages, how)
    sets = _Forest(parent)
    for index, message in enumerate(messages):
        if own[index] >= 0:
            _place_missing(message.references, table, message_of, container_for, parent, sets)
    _join_by_subject(messages, own, parent, message_of, how)
    rows = _reading_order(ids, message_of, own, parent, messages, how)
    return Threads(rows, duplicates)


def _parent_id(message: Message, present: Callable[[str], bool]) -> str | None:
    """The parent a message's own headers name (see the module's docstring for the order)."""
    own_id = message.id
    replied = message.in_reply_to
    if len(replied) == 1 and replied[0] != own_id and present(replied[0]):
        return replied[0]
    if message.references and message.references[-1] != own_id:
        return message.references[-1]
    references = [ref for ref in message.references if ref != own_id]
    if references:
        return references[-1]
    return next((ref for ref in replied if ref != own_id), None)


def _cut_cycles(parent: list[int], message_of: list[int], messages: Sequence[Message], how: dict[int, str]) -> None:
    """Cut every cycle of parent links at its oldest message; one walk over all containers."""
    state = bytearray(len(parent))  # 0: not seen, 1: on the current walk, 2: done
    for start in range(len(parent)):
        if state[start]:
            continue
        walk: list[int] = []
        container = start
        while container >= 0 and not state[container]:
            state[container] = 1
            walk.append(container)
            container = parent[container]
        if container >= 0 and state[container] == 1:
            cycle = walk[walk.index(container) :]
            oldest = min(cycle, key=lambda member: (messages[message_of[member]].date, message_of[member]))
            parent[oldest] = -1
            how[oldest] = CYCLE
        for member in walk:
            state[member] = 2


class _Forest:
    """Which tree each container is in: a union-find, so asking costs almost nothing however deep the tree."""

    def __init__(self, parent: list[int]) -> None:
        self.leader = list(range(len(parent)))
        for container, above in enumerate(parent):
            if above >= 0:
                self.join(container, above)

    def find(self, container: int) -> int:
        leader = self.leader
        while leader[container] != container:
            leader[container] = leader[leader[container]]
            container = leader[container]
        return container

    def join(self, container: int, other: int) -> None:
        self.leader[self.find(container)] = self.find(other)

    def add(self) -> None:
        self.leader.append(len(self.leader))


def _place_missing(
    references: tuple[str, ...],
    table: dict[str, int],
    message_of: list[int],
    container_for: Callable[[str], int],
    parent: list[int],
    sets: _Forest,
) -> None:
    """Hang each missing message of a References list under the id before it, unless it already hangs somewhere."""
    previous = -1
    for ref in references:
        known = table.get(ref)
        if known is None:
            known = container_for(ref)
            sets.add()
        if previous >= 0 and message_of[known] < 0 and parent[known] < 0 and sets.find(known) != sets.find(previous):
            parent[known] = previous
            sets.join(known, previous)
        previous = known


def _join_by_subject(
    messages: Sequence[Message], own: list[int], parent: list[int], message_of: list[int], how: dict[int, str]
) -> None:
    """Put each reply that lost its references under the oldest thread with its subject.

    A thread is named by its first message, or (when that is missing) by the oldest of the messages below it.
    """
    candidates = [
        container
        for index, message in enumerate(messages)
        if (container := own[index]) >= 0
        and parent[container] < 0
        and not message.references
        and not message.in_reply_to
        and _PREFIX.match(message.subject)
    ]
    if not candidates:
        return
    names: dict[int, int] = {}
    """Top container of each thread to the message that names it."""
    for container, above in enumerate(parent):
        index = message_of[container]
        if index < 0:
            continue
        if above < 0:
            names[container] = index
        elif parent[above] < 0 and message_of[above] < 0:
            named = names.get(above)
            if named is None or messages[index].date < messages[named].date:
                names[above] = index
    oldest: dict[str, tuple[float, int]] = {}
    """Base subject to (date, top container) of the oldest thread with that subject."""
    for top, index in names.items():
        base, _ = base_subject(messages[index].subject)
        candidate = (messages[index].date, top)
        if base and (base not in oldest or candidate < oldest[base]):
            oldest[base] = candidate
    for container in candidates:
        message = messages[message_of[container]]
        base, reply = base_subject(message.subject)
        target = oldest.get(base) if reply and base else None
        if target is None or target[1] == container or target[0] > message.date:
            continue
        parent[container] = target[1]
        how[container] = BY_SUBJECT


def _reading_order(
    ids: list[str],
    message_of: list[int],
    own: list[int],
    parent: list[int],
    messages: Sequence[Message],
    how: dict[int, str],
) -> list[Placed]:
    """Depth first; threads and replies by date; a placeholder sorts by its oldest reply, and goes without one.

    Containers are ranked by (date, position in the file) once; each parent's replies
    are then linked in rank order (first child, next sibling) and walked along those
    links, so no container needs a list of its own.
    """
    count = len(ids)
    by_date = sorted(range(len(messages)), key=lambda index: messages[index].date)  # stable: file order on ties
    unranked = len(messages)
    rank = [unranked] * count
    for position, index in enumerate(by_date):
        if own[index] >= 0:  # not a repeated Message-ID
            rank[own[index]] = position
    for container in range(count):  # a placeholder ranks as its oldest reply: carry ranks up through them
        above, below = parent[container], rank[container]
        while above >= 0 and message_of[above] < 0 and below < rank[above]:
            rank[above] = below
            above = parent[above]
    first_child = [-1] * (count + 1)
    """Index ``count`` is the parent of the threads' first messages."""
    next_sibling = [-1] * count
    for container in sorted(range(count), key=rank.__getitem__, reverse=True):
        if rank[container] == unranked:
            continue  # a placeholder with no message below it
        above = parent[container] if parent[container] >= 0 else count
        next_sibling[container] = first_child[above]
        first_child[above] = container
    rows: list[Placed] = []
    container = first_child[count]
    while container >= 0:
        above = parent[container]
        rows.append(
            Placed(message_of[container], ids[container], ids[above] if above >= 0 else None, how.get(container))
        )
        if first_child[container] >= 0:
            container = first_child[container]
            continue
        while container >= 0 and next_sibling[container] < 0:
            container = parent[container]
        if container >= 0:
            container = next_sibling[container]
    return rows
