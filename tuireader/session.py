"""What the user is doing with one thread, outside any widget: the one place reading state lives.

A :class:`ReadingSession` holds the thread, its outline (collapsed posts, visible
rows), the per-author and decoration index, the author filter, the jump history and
the loader that brings in the rest of a big file. Widgets render it and send it
requests; they hold no reading state of their own. This module imports no Textual,
so every move and every filter is testable without a screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from tuireader import navigation
from tuireader.errors import InputError
from tuireader.filters import AuthorFilter, with_ancestors
from tuireader.formats import open_source
from tuireader.formats.base import ParsedSource
from tuireader.model import Post, Thread
from tuireader.outline import Outline
from tuireader.sanitize import clean_line
from tuireader.search import Pending, Query, Search
from tuireader.state import ReadState

FIRST_SCREEN_POSTS = 500
"""Posts parsed before the screen starts; a bigger thread loads the rest in the background."""
LOAD_BATCH = 5_000
"""Posts parsed in the background between two updates of the screen while a big thread loads.

Each batch is merged on the UI thread, so a smaller batch means shorter pauses for keys."""

# Line states: what, beside the post itself, decides how its tree line looks. The filter gives
# one of the first three; UNREAD and SEARCH_HIT are bits added to it.
MATCHED = 0
CONTEXT = 1
"""Shown only as the ancestor of a filter's match."""
HIDDEN = 2
"""Folded to a stub by a kill file."""
FILTER_MASK = 3
"""The bits of a line state that the filter sets."""
UNREAD = 4
SEARCH_HIT = 8
CONTENT_WARNING = "CW"
"""The icon a format gives a post behind a content warning (Mastodon's spoiler text): its body stays folded."""


@dataclass(frozen=True)
class Move:
    """One move key: where it lands, what to say when it cannot, and whether history remembers it."""

    name: str
    keys: str
    description: str
    tooltip: str
    binding_id: str
    target: Callable[[ReadingSession, int], int | None]
    nowhere: str
    jump: bool = True
    """Every move but the next and previous row is a jump that back and forward return from."""


MOVES: tuple[Move, ...] = (
    Move(
        "next_row",
        "down,j",
        "Next",
        "Next post in reading order",
        "next",
        lambda s, i: navigation.next_row(s.outline, i, s.steppable),
        "Last post",
        jump=False,
    ),
    Move(
        "previous_row",
        "up,k",
        "Prev",
        "Previous post in reading order",
        "previous",
        lambda s, i: navigation.previous_row(s.outline, i, s.steppable),
        "First post",
        jump=False,
    ),
    Move(
        "next_sibling",
        "J",
        "Next sibling",
        "Next reply to the same post",
        "next_sibling",
        lambda s, i: navigation.next_sibling(s.thread, i, s.keep),
        "No next reply at this level",
    ),
    Move(
        "previous_sibling",
        "K",
        "Prev sibling",
        "Previous reply to the same post",
        "previous_sibling",
        lambda s, i: navigation.previous_sibling(s.thread, i, s.keep),
        "No previous reply at this level",
    ),
    Move(
        "parent",
        "u",
        "Parent",
        "The post this one replies to",
        "parent",
        lambda s, i: navigation.parent(s.thread, i),
        "Top-level post: no parent",
    ),
    Move(
        "next_top_level",
        "n",
        "Next top",
        "Next top-level post",
        "next_top_level",
        lambda s, i: navigation.next_top_level(s.thread, i, s.keep),
        "Last top-level post",
    ),
    Move(
        "previous_top_level",
        "p",
        "Prev top",
        "Previous top-level post",
        "previous_top_level",
        lambda s, i: navigation.previous_top_level(s.thread, i, s.keep),
        "First top-level post",
    ),
    Move(
        "first_post",
        "g,home",
        "First",
        "First post",
        "first_post",
        lambda s, i: navigation.first_post(s.outline, s.keep),
        "Already at the first post",
    ),
    Move(
        "last_post",
        "G,end",
        "Last",
        "Last post",
        "last_post",
        lambda s, i: navigation.last_post(s.outline, s.keep),
        "Already at the last post",
    ),
    Move(
        "next_by_author",
        "a",
        "Author ↓",
        "Next post by the same author",
        "next_by_author",
        lambda s, i: navigation.next_by_author(s.index, i, s.keep),
        "No later post by this author",
    ),
    Move(
        "previous_by_author",
        "A",
        "Author ↑",
        "Previous post by the same author",
        "previous_by_author",
        lambda s, i: navigation.previous_by_author(s.index, i, s.keep),
        "No earlier post by this author",
    ),
    Move(
        "next_decorated",
        "]",
        "Marked ↓",
        "Next post with a badge or an icon",
        "next_decorated",
        lambda s, i: navigation.next_decorated(s.index, i, s.keep),
        "No later post with a badge or an icon",
    ),
    Move(
        "previous_decorated",
        "[",
        "Marked ↑",
        "Previous post with a badge or an icon",
        "previous_decorated",
        lambda s, i: navigation.previous_decorated(s.index, i, s.keep),
        "No earlier post with a badge or an icon",
    ),
)
MOVES_BY_NAME: dict[str, Move] = {move.name: move for move in MOVES}
FIRST_REPLY = Move(
    "first_reply",
    "l,right",
    "First reply",
    "First reply (expands a collapsed post)",
    "first_reply",
    lambda s, i: navigation.first_reply(s.thread, i, s.keep),
    "No replies",
)
"""Bound on its own (it expands a collapsed post first), but a move like the others."""
MOVES_BY_NAME[FIRST_REPLY.name] = FIRST_REPLY
for _move in (
    Move(
        "next_match",
        "n",
        "Next match",
        "Next post matching the search",
        "next_match",
        lambda s, i: _settled(s.search.next_match(i, s.keep) if s.search else None),
        "No later match (or still searching)",
    ),
    Move(
        "previous_match",
        "N",
        "Prev match",
        "Previous post matching the search",
        "previous_match",
        lambda s, i: _settled(s.search.previous_match(i, s.keep) if s.search else None),
        "No earlier match (or still searching)",
    ),
    Move(
        "next_unread",
        "tab",
        "Next unread",
        "Next unread post",
        "next_unread",
        lambda s, i: s.read.next_unread(i, s.keep),
        "No unread post after this one",
    ),
    Move(
        "previous_unread",
        "shift+tab",
        "Prev unread",
        "Previous unread post",
        "previous_unread",
        lambda s, i: s.read.previous_unread(i, s.keep),
        "No unread post before this one",
    ),
):
    MOVES_BY_NAME[_move.name] = _move
UNREAD_MOVES: tuple[Move, ...] = (MOVES_BY_NAME["next_unread"], MOVES_BY_NAME["previous_unread"])
PREVIOUS_MATCH = MOVES_BY_NAME["previous_match"]
"""Bound to N (n is the top-level move, which a search turns into the next match)."""
SEARCH_MOVES = {"next_top_level": "next_match", "previous_top_level": "previous_match"}
"""While a search is in force, n and N move between its matches instead of top-level posts."""


def _settled(answer: int | Pending | None) -> int | None:
    """A search move's answer, with "not scanned that far yet" as nowhere for now."""
    return answer if isinstance(answer, int) else None


class Loader:
    """Brings in the rest of a thread: parsed in batches off the UI thread, merged on it.

    :meth:`batches` runs on a worker thread and stops at the next batch once it is
    cancelled; the session merges each batch with :meth:`ReadingSession.add_posts`.
    """

    def __init__(self, rest: ParsedSource | Iterator[Post]) -> None:
        self.source = rest if isinstance(rest, ParsedSource) else None
        self._posts = rest.posts if isinstance(rest, ParsedSource) else rest
        self.warnings_seen = len(self.source.warnings) if self.source else 0
        """The source's warnings already copied into the thread (the rest come at the end)."""

    def batches(self, cancelled: Callable[[], bool]) -> Iterator[list[Post]]:
        """Cleaned posts, LOAD_BATCH at a time, until *cancelled* says stop; InputError when the file turns bad."""
        posts = self._posts
        while not cancelled():
            batch = [post.cleaned() for post in islice(posts, LOAD_BATCH)]
            if not batch:
                return
            yield batch


class ReadingSession:
    """One thread as one user reads it: rows, filter, history and the loading of the rest."""

    def __init__(
        self,
        thread: Thread,
        *,
        rest: ParsedSource | Iterator[Post] | None = None,
        author_filter: AuthorFilter | None = None,
        read_state: ReadState | None = None,
    ) -> None:
        self.thread: Thread = thread
        self.outline: Outline = Outline(thread)
        self.index: navigation.ThreadIndex = navigation.ThreadIndex(thread)
        self.history: navigation.History = navigation.History()
        self.loader = None if rest is None else Loader(rest)
        self.warnings_shown = 0
        """How many of the thread's warnings the user has been shown."""
        self.author_filter: AuthorFilter | None = None
        self.matches: bytearray | None = None
        """1 for each post the filter matches (None: no filter)."""
        self.read: ReadState = read_state or ReadState.open(thread, enabled=False)
        """Which posts the user has read (saved between visits when the state database is on)."""
        self.search: Search | None = None
        """The search in force (``/``): its matches are marked in the tree and ``n``/``N`` move between them."""
        self.hide_quotes = False
        """Quotes folded to their first line (``Q``); the choice holds from post to post."""
        self.opened: set[int] = set()
        """Posts the user opened on purpose: a hidden author's (without clearing the filter), one behind a warning."""
        if author_filter is not None:
            self.set_filter(author_filter)

    @classmethod
    def open(cls, path: str | Path, *, whole: bool = False, keep_state: bool = False) -> ReadingSession:
        """Open *path* with enough posts for the first screen; the rest loads later through :attr:`loader`.

        With *whole* (a filter by author names needs every author) the whole thread is read first.
        With *keep_state*, read marks are saved between visits (the state database).
        """
        source = open_source(path)
        if not source.in_reading_order or whole:
            thread, rest = source.build(), None
        elif source.progress is not None:
            # The format reads the whole source before its first post (threading a mail archive):
            # start with none, so the screen shows its progress at once and the posts arrive in the background.
            thread, rest = source.build([]), source
        else:
            first = list(islice(source.posts, FIRST_SCREEN_POSTS))
            thread = source.build(first)
            rest = source if len(first) == FIRST_SCREEN_POSTS else None
        return cls(thread, rest=rest, read_state=ReadState.open(thread, enabled=keep_state))

    # State every view reads --------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self.loader is not None

    def keep(self, index: int) -> bool:
        """Whether moves may land on post ``index``: only posts the author filter matches."""
        return self.matches is None or bool(self.matches[index])

    def steppable(self, index: int) -> bool:
        """Whether ``j``/``k`` may stop on post ``index``: like :meth:`keep`, but a kill file's stubs are rows
        one steps onto (to open one with Enter), while jumps pass them by."""
        return self.keep(index) or self.filter_state(index) == HIDDEN

    def line_state(self, index: int) -> int:
        """How post ``index``'s tree line looks beside the post itself (the key its drawn line is cached by):
        the filter's MATCHED, CONTEXT or HIDDEN, plus UNREAD and SEARCH_HIT."""
        state = self.filter_state(index)
        if not self.read.is_read(index):
            state |= UNREAD
        if self.search is not None and self.search.is_hit(index):
            state |= SEARCH_HIT
        return state

    def filter_state(self, index: int) -> int:
        """MATCHED, CONTEXT or HIDDEN: how the filter shows post ``index``."""
        if self.matches is None or self.matches[index]:
            return MATCHED
        assert self.author_filter is not None
        if not self.author_filter.hide:
            return CONTEXT
        return MATCHED if index in self.opened else HIDDEN

    def is_hidden(self, index: int) -> bool:
        """True when post ``index`` shows as a ``hidden: NAME`` stub."""
        return self.filter_state(index) == HIDDEN

    def is_behind_warning(self, index: int) -> bool:
        """True when post ``index`` has a content warning the user has not opened: the pane folds its body."""
        return CONTENT_WARNING in self.thread.posts[index].icons and index not in self.opened

    def filter_description(self) -> str:
        if self.author_filter is None or self.matches is None:
            return ""
        return self.author_filter.describe(sum(self.matches), len(self.thread))

    # Requests -------------------------------------------------------------------------

    def set_filter(self, author_filter: AuthorFilter | None, keep: int | None = None) -> int | None:
        """Apply (or with None, clear) an author filter; returns where the cursor should go (from *keep*)."""
        self.author_filter = author_filter
        if author_filter is None:
            self.matches = None
            self.outline.set_filter(None)
            return keep
        matches = self.matches = author_filter.matches(self.thread)
        self.outline.set_filter(None if author_filter.hide else with_ancestors(self.thread, matches))
        if keep is not None and not matches[keep]:
            keep = next((i for i in self.outline.rows if matches[i]), None)
        return keep

    def open_post(self, index: int) -> bool:
        """Show a hidden author's post (keeping the filter) or a post behind a content warning; False for others."""
        if not (self.is_hidden(index) or self.is_behind_warning(index)):
            return False
        self.opened.add(index)
        return True

    def target(self, move: str, index: int) -> int | None:
        """Where *move* lands from post *index* (None: nowhere), as :data:`MOVES` defines it."""
        return MOVES_BY_NAME[move].target(self, index)

    def move_for(self, move: str) -> str:
        """The move a key makes now: while a search is in force, the top-level moves (n, N) go to its matches."""
        if self.search is not None:
            return SEARCH_MOVES.get(move, move)
        return move

    # Search -------------------------------------------------------------------------------

    def start_search(self, typed: str, origin: int) -> Search:
        """Search for what the user typed (InputError for a bad query); the caller scans it in the background."""
        self.search = Search(self.thread, Query.parse(typed), origin)
        return self.search

    def end_search(self) -> None:
        self.search = None

    def search_status(self, index: int | None) -> str:
        if self.search is None:
            return ""
        where = self.search.status(-1 if index is None else index, self.keep)
        return f"/{clean_line(self.search.query.typed)}: {where} (n N move, esc ends)"

    # Read marks ---------------------------------------------------------------------------

    def mark_read(self, index: int, read: bool = True) -> bool:
        """Mark one post read (or unread); True when that changed it."""
        return self.read.mark(index, read)

    def toggle_read(self, index: int) -> bool:
        """Flip post ``index``'s mark; returns whether it is read now."""
        now = not self.read.is_read(index)
        self.read.mark(index, now)
        return now

    def mark_subtree_read(self, index: int) -> int:
        """Mark post ``index`` and every reply below it read; how many changed."""
        return self.read.mark_many(range(index, self.thread.end[index]))

    def unread_status(self) -> str:
        unread = self.read.unread_count()
        return f"{unread:,} unread" if unread else "all read"

    # Loading ----------------------------------------------------------------------------

    def add_posts(self, batch: list[Post]) -> None:
        """Merge a batch of cleaned posts read in the background (on the UI thread)."""
        self.thread.extend(batch, cleaned=True)
        self.outline.grow()
        if self.author_filter is not None:
            self.set_filter(self.author_filter)

    def progress_text(self) -> str:
        """What the status line says while the rest loads: the format's own progress, or the posts so far."""
        source = self.loader.source if self.loader is not None else None
        if source is not None and source.progress is not None and not self.thread.posts:
            return source.progress()
        return f"loading… {len(self.thread):,} posts"

    def finish_loading(self) -> None:
        """Merge what the file said only at its end: the closed state and late warnings."""
        loader = self.loader
        self.loader = None
        if loader is None or loader.source is None:
            return
        self.thread.closed = self.thread.closed or loader.source.closed
        late = loader.source.warnings[loader.warnings_seen :]
        self.thread.warnings.extend(clean_line(warning) for warning in late)

    def loading_failed(self, error: InputError) -> str:
        """Stop loading after a bad piece of the file; what to tell the user."""
        self.loader = None
        return f"{error.describe()}; showing the {len(self.thread):,} posts before it"

    def new_warnings(self) -> list[str]:
        """Warnings the user has not been shown yet (each is returned once)."""
        fresh = self.thread.warnings[self.warnings_shown :]
        self.warnings_shown = len(self.thread.warnings)
        return fresh
