"""Which posts the user has read, kept between visits in one SQLite database under the platform's state folder.

A post is known by a fingerprint of what its author wrote (author, title, body,
time), never by its place or id: a thread saved again later, with new replies or in
another order, opens with its old posts read and only the new ones unread. Leaving
out the parent's fingerprint is deliberate: an edited or deleted post would then
make its whole subtree unread. The cost is that two identical posts (same author,
text and time) share one mark. A thread is known by its address when it has one
(the same page saved again), else by its title and first post, which new replies
do not change.

Marks live in memory and reach the database in :meth:`ReadState.flush`, one
transaction each, as single rows (``INSERT OR IGNORE``, upserts of the marks this
reader changed), never as a rewrite of the whole set, so two readers open on the
same thread keep each other's marks. The database runs in WAL mode, where readers
do not wait for a writer. A corrupt, locked or read-only database is reported once
in :attr:`ReadState.warning`; the reader goes on with marks in memory only.

Fingerprints cost a blake2b of each post's text (about 3 µs a post): they are
computed when first needed, for the posts added since (a big thread arrives in
batches), and :meth:`ReadState.catch_up` may be called from a worker to do it
ahead. This module imports no Textual.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable
from hashlib import blake2b
from pathlib import Path

import platformdirs

from tuireader.model import Post, Thread
from tuireader.navigation import Keep
from tuireader.sanitize import clean_line

STATE_DIR_VARIABLE = "TUIREADER_STATE_DIR"
"""Overrides the state folder (tests, or a reader that keeps its marks elsewhere)."""
DATABASE_NAME = "reading.sqlite3"
SCHEMA_VERSION = 1
FINGERPRINT_SIZE = 16
"""Bytes of blake2b kept per post: collisions are negligible far beyond a million posts."""
BUSY_SECONDS = 1.0
"""How long a write waits for another reader's transaction before the database counts as locked."""
PROBE_BATCH = 500
"""Fingerprints looked up in one query (SQLite allows 999 parameters in its oldest builds)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS threads (id INTEGER PRIMARY KEY, key BLOB NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS posts (
    thread INTEGER NOT NULL REFERENCES threads (id),
    fingerprint BLOB NOT NULL,
    read INTEGER NOT NULL,
    PRIMARY KEY (thread, fingerprint)
) WITHOUT ROWID;
"""
_UPSERT_MARK = (
    "INSERT INTO posts (thread, fingerprint, read) VALUES (?, ?, ?) "
    "ON CONFLICT (thread, fingerprint) DO UPDATE SET read = excluded.read"
)


def state_path() -> Path:
    """Where the database lives: ``$TUIREADER_STATE_DIR`` or the platform's state folder for tuireader."""
    folder = os.environ.get(STATE_DIR_VARIABLE) or platformdirs.user_state_dir("tuireader")
    return Path(folder) / DATABASE_NAME


def post_fingerprint(post: Post) -> bytes:
    """What identifies a post across saves of its thread: a hash of its author, title, time and body.

    The body is the one the format stored (``post.body``), not one parsed later from it, so a
    thread with lazy bodies needs no parsing here.
    """
    # Fields are joined by NUL, which cleaned text never holds, and a missing time is SOH, which
    # it never holds either: no two different posts make the same text.
    text = "\x00".join((post.author, post.title, "\x01" if post.time is None else post.time, post.body))
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=FINGERPRINT_SIZE).digest()


def thread_key(thread: Thread) -> bytes:
    """What identifies a thread across saves: its address (without a fragment or a final slash), else its title
    and first post."""
    if thread.url:
        identity = "url\x00" + thread.url.strip().partition("#")[0].rstrip("/")
    else:
        first = post_fingerprint(thread.posts[0]).hex() if thread.posts else ""
        identity = f"title\x00{thread.title}\x00{first}"
    return blake2b(identity.encode("utf-8", "surrogatepass"), digest_size=FINGERPRINT_SIZE).digest()


def _connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit) that a worker may use for :meth:`flush`."""
    return sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)


class ReadState:
    """Read marks for one thread: kept in memory per post index, saved by fingerprint."""

    def __init__(self, thread: Thread) -> None:
        self.thread = thread
        self.warning: str | None = None
        """The first problem with the database, for the app to show once; marks are then kept in memory only."""
        self._path: Path | None = None
        self._key = b""
        """The thread's key, made once at open: the first post may not be loaded by the time of a flush."""
        self._connection: sqlite3.Connection | None = None
        self._thread_id: int | None = None
        self._visited_before = False
        self._known: dict[bytes, int] = {}
        """Fingerprint to read flag of the rows saved at earlier visits that no post has claimed yet."""
        self._fingerprints = bytearray()
        self._read = bytearray()
        self._new = 0
        self._unsaved: list[range] = []
        """Runs of posts the database has no row for yet; a first visit is one run, not a list of every index."""
        """Posts the database has no row for yet (new, or all of them at a first visit)."""
        self._pending: dict[int, int] = {}
        """Marks changed since the last flush: post index to read flag."""
        self._lock = threading.Lock()
        """Guards the in-memory marks; held only for memory work and lookups, never for a write."""
        self._database_lock = threading.Lock()
        """Guards the connection: a flush on a worker and a lookup on the UI thread take turns."""

    @classmethod
    def open(cls, thread: Thread, *, enabled: bool = True) -> ReadState:
        """The marks saved for *thread*; with *enabled* False (``--no-state``) marks live in memory only."""
        state = cls(thread)
        if enabled:
            state._attach(state_path())
        state.catch_up()
        return state

    def _attach(self, path: Path) -> None:
        self._path, self._key = path, thread_key(self.thread)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = self._connection = _connect(path)
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                self._fail("it was written by a newer tuireader")
                return
            connection.execute("PRAGMA journal_mode=WAL")
            if version < SCHEMA_VERSION:
                connection.executescript(f"BEGIN; {_SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
            row = connection.execute("SELECT id FROM threads WHERE key = ?", (self._key,)).fetchone()
            if row is not None:
                self._thread_id = row[0]
                self._visited_before = True
                self._known = dict(
                    connection.execute("SELECT fingerprint, read FROM posts WHERE thread = ?", (self._thread_id,))
                )
        except (OSError, sqlite3.Error) as error:
            self._fail(str(error))

    def _fail(self, reason: str) -> None:
        """Report the first problem and go on without the database."""
        if self.warning is None:
            self.warning = clean_line(f"read marks are not saved: {self._path}: {reason}")
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._known = {}
        self._unsaved = []
        self._pending = {}

    @property
    def persistent(self) -> bool:
        """True while marks are being saved (not ``--no-state``, no database problem)."""
        return self._connection is not None

    # Fingerprints, for the posts added since the last call -------------------------------------

    def catch_up(self) -> None:
        """Fingerprint and look up the posts added to the thread since; safe on a worker thread."""
        with self._lock:
            start, posts = len(self._read), self.thread.posts
            stop = len(posts)
            if start >= stop:
                return
            if self._connection is None and not self._visited_before:  # marks kept in memory only
                self._read += bytes(stop - start)
                return
            fingerprints = [post_fingerprint(posts[index]) for index in range(start, stop)]
            flags = bytearray(stop - start)
            known, missing = self._known, []
            for offset, fingerprint in enumerate(fingerprints):
                flag = known.pop(fingerprint, None)
                if flag is None:
                    missing.append(offset)
                else:
                    flags[offset] = 1 if flag else 0  # the file may hold any value: it is only a file
            if missing and self._visited_before:
                # Not among the rows not yet claimed: a post saved before that repeats another one, or new.
                found = self._look_up([fingerprints[offset] for offset in missing])
                still_missing = []
                for offset in missing:
                    flag = found.get(fingerprints[offset])
                    if flag is None:
                        still_missing.append(offset)
                    else:
                        flags[offset] = 1 if flag else 0
                missing = still_missing
                self._new += len(missing)
            if self._connection is not None:
                if len(missing) == stop - start:
                    self._unsaved.append(range(start, stop))
                else:
                    self._unsaved.extend(range(start + offset, start + offset + 1) for offset in missing)
            self._fingerprints += b"".join(fingerprints)
            self._read += flags

    def _look_up(self, fingerprints: list[bytes]) -> dict[bytes, int]:
        found: dict[bytes, int] = {}
        with self._database_lock:
            connection = self._connection
            if connection is None:
                return found
            try:
                for first in range(0, len(fingerprints), PROBE_BATCH):
                    batch = fingerprints[first : first + PROBE_BATCH]
                    query = (
                        "SELECT fingerprint, read FROM posts WHERE thread = ? "
                        f"AND fingerprint IN ({', '.join('?' * len(batch))})"
                    )
                    found.update(connection.execute(query, (self._thread_id, *batch)))
            except sqlite3.Error as error:
                self._fail(str(error))
        return found

    def _fingerprint(self, index: int) -> bytes:
        return bytes(self._fingerprints[index * FINGERPRINT_SIZE : (index + 1) * FINGERPRINT_SIZE])

    # Reading and marking ------------------------------------------------------------------------

    def _caught_up(self) -> bytearray:
        """The read flags, one per post, after fingerprinting any posts loaded since."""
        if len(self._read) < len(self.thread.posts):
            self.catch_up()
        return self._read

    def is_read(self, index: int) -> bool:
        """Whether post ``index`` has been read (part of its tree line's state)."""
        return bool(self._caught_up()[index])

    def mark(self, index: int, read: bool = True) -> bool:
        """Mark post ``index`` read or unread; False when it already was."""
        return self.mark_many((index,), read) == 1

    def mark_many(self, indices: Iterable[int], read: bool = True) -> int:
        """Mark posts read or unread (a subtree, a whole thread); how many changed."""
        marks, flag = self._caught_up(), int(read)
        changed = 0
        with self._lock:
            pending = self._pending if self._connection is not None else {}
            for index in indices:
                if marks[index] != flag:
                    marks[index] = flag
                    pending[index] = flag
                    changed += 1
        return changed

    def unread_count(self) -> int:
        """Posts not read yet, for the status line."""
        return self._caught_up().count(0)

    def new_since_last_visit(self) -> int:
        """Posts that were not in the thread at the last visit (0 at a first visit)."""
        self._caught_up()
        return self._new

    def next_unread(self, index: int, keep: Keep | None = None) -> int | None:
        """The first unread post after post ``index`` that *keep* allows."""
        marks = self._caught_up()
        found = marks.find(0, index + 1)
        while found >= 0 and keep is not None and not keep(found):
            found = marks.find(0, found + 1)
        return found if found >= 0 else None

    def previous_unread(self, index: int, keep: Keep | None = None) -> int | None:
        """The last unread post before post ``index`` that *keep* allows."""
        marks = self._caught_up()
        found = marks.rfind(0, 0, max(index, 0))
        while found >= 0 and keep is not None and not keep(found):
            found = marks.rfind(0, 0, found)
        return found if found >= 0 else None

    # Saving -------------------------------------------------------------------------------------

    def flush(self) -> None:
        """Save the changes since the last flush in one transaction; safe on a worker thread.

        New posts get a row as unread unless another reader has saved one; changed marks
        overwrite only their own rows.
        """
        with self._lock:
            if self._connection is None or not (self._pending or self._unsaved):
                return
            pending, self._pending = self._pending, {}
            unsaved, self._unsaved = self._unsaved, []
            marks = [(self._fingerprint(index), flag) for index, flag in pending.items()]
        with self._database_lock:
            connection = self._connection
            if connection is None:
                return
            try:
                connection.execute("BEGIN IMMEDIATE")
                try:
                    thread = self._thread_id
                    if thread is None:
                        key = self._key
                        connection.execute("INSERT OR IGNORE INTO threads (key) VALUES (?)", (key,))
                        thread = connection.execute("SELECT id FROM threads WHERE key = ?", (key,)).fetchone()[0]
                    connection.executemany(
                        "INSERT OR IGNORE INTO posts (thread, fingerprint, read) VALUES (?, ?, 0)",
                        # Made as they are written: a first visit's 100,000 rows never sit in a list.
                        ((thread, self._fingerprint(index)) for run in unsaved for index in run),
                    )
                    connection.executemany(_UPSERT_MARK, ((thread, fingerprint, flag) for fingerprint, flag in marks))
                    connection.execute("COMMIT")
                except BaseException:
                    connection.execute("ROLLBACK")
                    raise
                self._thread_id = thread
            except sqlite3.Error as error:
                self._fail(str(error))

    def close(self) -> None:
        """Flush, then let the database go."""
        self.flush()
        with self._database_lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
