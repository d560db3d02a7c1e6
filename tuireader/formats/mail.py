"""Mailing-list archives: an mbox file (gzip-compressed too) or a Maildir folder, threaded with JWZ.

Opening an archive of 100,000 messages must be as quick as NeoMutt's threaded index
of it, so the index pass reads the bytes once, in 8 MiB pieces: ``bytes.find``
cuts them into messages and one regular expression picks, from each message's
header block only, the six fields threading and the tree need (Message-ID,
In-Reply-To, References, Subject, From, Date), whose values
:mod:`~tuireader.formats.mailheader` decodes. The ``email`` package, at about
100 µs a message, would take longer than NeoMutt for this alone. Bodies stay on
disk: the index keeps each message's byte offsets (or its file, in a Maildir) and
:func:`~tuireader.formats.mailbody.message_body` decodes one when the reader shows it.

Threads are built by :mod:`~tuireader.formats.jwz` once every message is indexed,
so the first post comes after the whole pass; ``progress`` says how far it got.

mbox: every line starting ``From `` whose next line is a header field starts a
message (the ``From `` lines of bodies are quoted ``>From ``, which the body
loader undoes, mboxrd-style). What is not quite mail (no ``From `` line at the
start, NUL bytes, a message cut short by the end of the file, no header fields)
is read anyway, with a note on the message and a warning naming its line.

Maildir: every file below the folder (a Maildir's ``cur`` and ``new``, or a folder
of Maildirs and plain message files) except ``tmp`` folders and hidden files.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import tempfile
import threading
from array import array
from collections.abc import Callable, Iterator
from itertools import islice
from operator import attrgetter
from typing import BinaryIO

from tuireader.body import Body
from tuireader.formats import jwz
from tuireader.formats.base import Format, ParsedSource, Source
from tuireader.formats.mailbody import message_body
from tuireader.formats.mailheader import decoded, display_name, message_id, message_ids, parse_date, text_of
from tuireader.model import Post
from tuireader.sanitize import clean_line

NAME = "mail"
CHUNK_BYTES = 8 << 20
MOST_HEADER_BYTES = 4096
"""A Subject or From longer than this is cut (a hostile header line can be a megabyte)."""
PLACEHOLDER_NOTE = "message not in this archive"
UNKNOWN_SENDER = "unknown sender"
MOST_WARNINGS_OF_A_KIND = 5
"""Warnings listed one by one for each kind of problem; the rest are counted."""

_FIELDS = re.compile(
    rb"\n(message-id|in-reply-to|references|subject|from|date)[ \t]*:[ \t]*([^\n]*(?:\n[ \t][^\n]*)*)", re.IGNORECASE
)
"""The six fields the index reads, each with its value (folded lines and all), in a header block."""
_FIELD_SLOTS = {b"message-id": 0, b"in-reply-to": 1, b"references": 2, b"subject": 3, b"from": 4, b"date": 5}
_HEADER_LINE = re.compile(rb"[!-9;-~]+[ \t]*:")
"""A header field's name and colon (RFC 5322 §3.6.8): what the line after a ``From `` separator must start with."""
_FIELD_NAMES = re.compile(rb"^([!-9;-~]+)[ \t]*:", re.MULTILINE)
_MAIL_FIELDS = frozenset(
    b"from to cc date subject message-id received return-path references in-reply-to mime-version delivered-to"
    b" reply-to sender".split()
)
_SURE_FIELDS = frozenset({b"from", b"message-id", b"received"})
_QUOTED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)
_PRINTABLE = bytes(range(0x20, 0x7F)) + b"\t\n"
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_SNIFF_FILES = 10
_SNIFF_MESSAGES = 20
_SEPARATOR = re.compile(rb"\nFrom ")
_SKIPPED_FOLDERS = frozenset({"tmp", ".notmuch"})
"""A Maildir's ``tmp`` holds deliveries not finished yet; notmuch keeps its database in ``.notmuch``."""
_SNIFF_ENTRIES = 500
_NAME = attrgetter("name")


def looks_like_mail(data: bytes) -> bool:
    """True when *data* starts with a message's header block (after an optional mbox ``From `` line).

    An mbox ``From `` line followed by one mail field is enough; without it, the block
    needs From, Message-ID or Received and one more mail field, unless *data* ends
    inside the block (a huge first field), when the first of those is enough.
    """
    data = data.replace(b"\r\n", b"\n")
    separated = data.startswith(b"From ")
    if separated:
        data = data[data.find(b"\n") + 1 :] if b"\n" in data else b""
    if not _HEADER_LINE.match(data):
        return False
    end = data.find(b"\n\n")
    names = {name.lower() for name in _FIELD_NAMES.findall(data if end < 0 else data[:end])}
    if separated:
        return bool(names & _MAIL_FIELDS)
    return bool(names & _SURE_FIELDS) and (end < 0 or len(names & _MAIL_FIELDS) >= 2)


class _Progress:
    """How far the index pass got, read from the loader's thread while this one writes it."""

    def __init__(self) -> None:
        self.phase = "indexing"
        self.messages = 0
        self.done = 0
        self.total = 0
        self.lock = threading.Lock()

    def text(self) -> str:
        with self.lock:
            phase, messages, done, total = self.phase, self.messages, self.done, self.total
        if not phase:
            return ""
        if phase == "indexing" and total > 0:
            return f"indexing… {messages:,} messages ({min(99, done * 100 // total)}%)"
        return f"{phase}… {messages:,} messages"


class _Problems:
    """Warnings for the whole archive: a few of each kind by name and line, then how many more."""

    def __init__(self) -> None:
        self.listed: list[str] = []
        self.counts: dict[str, int] = {}

    def add(self, kind: str, text: str) -> None:
        count = self.counts.get(kind, 0) + 1
        self.counts[kind] = count
        if count <= MOST_WARNINGS_OF_A_KIND:
            self.listed.append(text)

    def warnings(self) -> list[str]:
        more = [
            f"…and {count - MOST_WARNINGS_OF_A_KIND:,} more messages where {kind}"
            for kind, count in self.counts.items()
            if count > MOST_WARNINGS_OF_A_KIND
        ]
        return self.listed + more


class _Archive:
    """The index of one archive: per message what threading and the tree need, and where its bytes are.

    Kept in parallel lists (and arrays of offsets), not an object per message: at
    100,000 messages every byte per message counts against NeoMutt's memory.
    """

    def __init__(self, source: Source) -> None:
        self.path = source.path
        self.messages: list[jwz.Message] = []
        self.authors: list[str] = []
        self.times: list[str | None] = []
        self.notes: list[str | None] = []
        self.where: list[int | str] = []
        """Each message's first line in the mbox, or its file in a Maildir: see :meth:`place`."""
        self.problems = _Problems()
        self.progress = _Progress()
        self._last_date = 0.0
        self._names: dict[bytes, str] = {}
        self._slots: dict[bytes, int] = {}
        """A field name as spelled in the file (``Message-Id``) to its place in ``values``."""
        self._subjects: dict[bytes, str] = {}

    def place(self, where: int | str) -> str:
        """Where a message is, for a warning: ``archive.mbox:1234`` or the message's file."""
        return f"{self.path}:{where}" if isinstance(where, int) else where

    def fields(self, head: bytes) -> list[bytes | None]:
        """The raw values of the six fields the index reads (None for those missing), from a header block.

        *head* starts at the newline before its first field; a field that appears twice counts the first time.
        """
        values: list[bytes | None] = [None] * len(_FIELD_SLOTS)
        slot_of = self._slots
        for name, value in _FIELDS.findall(head):
            slot = slot_of.get(name)
            if slot is None:
                slot = slot_of[name] = _FIELD_SLOTS[name.lower()]
            if values[slot] is None:
                values[slot] = value
        return values

    def add(self, head: bytes, from_line: bytes, where: int | str, notes: list[str]) -> None:
        """Index one message from its header block (see :meth:`fields`).

        *from_line* is its mbox ``From `` line (empty in a Maildir): its address names
        the sender of a message without a From field.
        """
        self.add_fields(self.fields(head), head, from_line, where, notes)

    def add_fields(
        self, values: list[bytes | None], head: bytes, from_line: bytes, where: int | str, notes: list[str]
    ) -> None:
        """Index one message from its :meth:`fields`."""
        raw_id, raw_reply, raw_references, raw_subject, raw_from, raw_date = values
        is_mail = values.count(None) < len(values)
        own_id = message_id(raw_id) if raw_id else None
        if own_id is None:
            own_id = f"no-message-id-{len(self.messages) + 1}@tuireader"
            if is_mail:
                notes.append("it has no Message-ID")
        references = tuple(message_ids(raw_references)) if raw_references else ()
        replied = tuple(message_ids(raw_reply)) if raw_reply else ()
        if head.translate(None, _PRINTABLE) and not _printable(raw_id, raw_references, raw_reply):
            # Ids are post ids: clean them as the model would, so replies still find their parents.
            own_id = clean_line(own_id)
            references = tuple(clean_line(ref) for ref in references)
            replied = tuple(clean_line(ref) for ref in replied)
        subject = self._subject(raw_subject, notes) if raw_subject else ""
        if raw_from:
            author = self._author(raw_from, notes)
        else:
            address = from_line[5:].split(None, 1)
            author = text_of(address[0]) if address else UNKNOWN_SENDER
        time = None
        date = self._last_date
        if raw_date is None:
            notes.append("it has no Date")
        else:
            parsed = parse_date(raw_date)
            if parsed is None:
                shown = text_of(raw_date[:80])
                notes.append(f"its Date cannot be read: {shown}")
                self.problems.add("the Date cannot be read", f"{self.place(where)}: the Date cannot be read: {shown}")
            else:
                time, date = parsed
                self._last_date = date
        if not is_mail:
            notes.append("it is not mail: no From, Subject, Date or Message-ID")
            self.problems.add(
                "there is no mail header", f"{self.place(where)}: not mail (no From, Subject, Date or Message-ID)"
            )
        self.messages.append(jwz.Message(own_id, references, replied, subject, date))
        self.authors.append(author)
        self.times.append(time)
        self.notes.append("; ".join(notes) if notes else None)
        self.where.append(where)

    def _subject(self, raw: bytes, notes: list[str]) -> str:
        subject = self._subjects.get(raw)
        if subject is None:
            if len(raw) > MOST_HEADER_BYTES:
                notes.append(f"its Subject is {len(raw):,} bytes long; only the start is shown")
                return decoded(raw[:MOST_HEADER_BYTES])
            subject = decoded(raw)
            if len(self._subjects) > 50_000:
                self._subjects.clear()
            self._subjects[raw] = subject
        return subject

    def _author(self, raw: bytes, notes: list[str]) -> str:
        name = self._names.get(raw)
        if name is None:
            if len(raw) > MOST_HEADER_BYTES:
                notes.append(f"its From is {len(raw):,} bytes long; only the start is shown")
                return display_name(raw[:MOST_HEADER_BYTES])
            name = display_name(raw) or UNKNOWN_SENDER
            if len(self._names) > 50_000:
                self._names.clear()
            self._names[raw] = name
        return name


def _printable(*values: bytes | None) -> bool:
    return all(value is None or not value.translate(None, _PRINTABLE) for value in values)


class _MessageFile:
    """Where an mbox's messages are read back from: its own file, or a temporary copy of what it holds.

    A gzip-compressed mbox (or standard input, or a file with CRLF line ends) is
    decompressed once, while it is indexed, into an anonymous temporary file (deleted
    when it is closed or the reader exits), so showing a body is one ``pread`` and no
    decompression from the start: keeping the bytes in memory instead would add the
    whole archive to the reader's peak memory.
    """

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.spool: BinaryIO | None = None
        self.raw: BinaryIO | None = getattr(handle, "fileobj", None) if isinstance(handle, gzip.GzipFile) else None
        try:
            self.fd = -1 if self.raw is not None else handle.fileno()
        except (OSError, io.UnsupportedOperation):
            self.fd = -1
        if self.fd < 0:
            self.start_copy()

    def start_copy(self) -> BinaryIO:
        """The temporary file the bytes are copied to as they are indexed; read back from from now on."""
        # Open as long as the archive is: bodies are read from it until the reader exits.
        self.spool = tempfile.TemporaryFile(prefix="tuireader-mail-")  # noqa: SIM115
        self.fd = self.spool.fileno()
        return self.spool

    def size_and_position(self) -> tuple[int, int]:
        """Bytes in the file as stored (compressed, for gzip) and how many were read so far, for progress."""
        stream = self.raw if self.raw is not None else self.handle
        try:
            return os.fstat(stream.fileno()).st_size, stream.tell()
        except (OSError, io.UnsupportedOperation, ValueError):
            return 0, 0

    def read(self, start: int, end: int) -> bytes:
        return os.pread(self.fd, end - start, start)


BodyReader = Callable[[int], bytes]
"""Reads message number N's bytes back from the archive."""


class Mbox(Format):
    """An mbox file: messages after ``From `` lines, as mail clients and list archives save them."""

    name = NAME
    label = "mbox mail archive"
    priority = 30

    def sniff(self, source: Source) -> bool:
        """Mail from the first byte, or ``From `` lines of which one in the first few starts a real message."""
        if source.is_dir:
            return False
        head = source.head_bytes
        if looks_like_mail(head):
            return True
        if not head.startswith(b"From "):
            return False
        starts = [match.start() + 1 for match in islice(_SEPARATOR.finditer(head), _SNIFF_MESSAGES)]
        return any(looks_like_mail(head[start:]) for start in starts)

    def open(self, source: Source) -> ParsedSource:
        archive = _Archive(source)
        messages = _MessageFile(source.binary())
        starts, ends = array("q"), array("q")

        def read_body(index: int) -> bytes:
            return _QUOTED_FROM.sub(rb"\1", messages.read(starts[index], ends[index]))

        def index() -> None:
            _index_mbox(archive, messages, starts, ends)

        return _parsed(archive, index, read_body)


class Maildir(Format):
    """A Maildir folder (``cur``, ``new``, ``tmp``) or a folder of them: one message a file."""

    name = NAME
    label = "Maildir"
    priority = 30

    def sniff(self, source: Source) -> bool:
        return source.is_dir and any(looks_like_mail(_read_head(path)) for path in _sniffed_files(source.path))

    def open(self, source: Source) -> ParsedSource:
        archive = _Archive(source)
        files: list[str] = []

        def read_body(index: int) -> bytes:
            data = _read_file(files[index])
            return data[data.find(b"\n") + 1 :] if data.startswith(b"From ") else data

        def index() -> None:
            _index_maildir(archive, files)

        return _parsed(archive, index, read_body)


MBOX = Mbox()
MAILDIR = Maildir()
FORMATS = (MBOX, MAILDIR)


def _parsed(archive: _Archive, index: Callable[[], None], read_body: BodyReader) -> ParsedSource:
    """The parsed source: posts once the archive is indexed and threaded, bodies read back by message."""
    position_of: dict[str, int] = {}
    parsed = ParsedSource(
        posts=iter(()),
        source_format=NAME,
        in_reading_order=True,
        title=os.path.basename(archive.path.rstrip("/")) or archive.path,
        progress=archive.progress.text,
    )

    def posts() -> Iterator[Post]:
        index()
        with archive.progress.lock:
            archive.progress.phase = "threading"
        threads = jwz.thread(archive.messages)
        for kept, dropped in threads.duplicates:
            archive.problems.add(
                "a Message-ID is repeated",
                f"{archive.place(archive.where[dropped])}: repeats the Message-ID of "
                f"{archive.place(archive.where[kept])} "
                f"({archive.messages[kept].id}); only the first is shown",
            )
        subjects = [message.subject for message in archive.messages]
        archive.messages.clear()  # the references are threaded: free them before the posts are built
        parsed.warnings.extend(archive.problems.warnings())
        parsed.title = _archive_title(archive.path, len(subjects) - len(threads.duplicates))
        with archive.progress.lock:
            archive.progress.phase = ""
        for row in threads.rows:
            number = row.message
            if number == jwz.PLACEHOLDER:
                yield Post(row.id, row.parent, "", deleted=True, note=PLACEHOLDER_NOTE)
                continue
            position_of[row.id] = number
            note = archive.notes[number]
            if row.how is not None:
                note = row.how if note is None else f"{row.how}; {note}"
            yield Post(
                row.id,
                row.parent,
                archive.authors[number],
                title=subjects[number],
                time=archive.times[number],
                note=note,
            )

    def body(post: Post) -> tuple[str, Body | None]:
        number = position_of.get(post.id)
        if number is None:
            return "", None
        try:
            return message_body(read_body(number))
        except OSError as error:
            return f"(this message cannot be read: {error.strerror or error})", None

    parsed.posts = posts()
    parsed.body_loader = body
    return parsed


def _archive_title(path: str, messages: int) -> str:
    """What the header shows for an archive once it is read: its name and how many messages it holds."""
    return f"{os.path.basename(path.rstrip('/')) or path} · {messages:,} message{'s' if messages != 1 else ''}"


def _index_mbox(archive: _Archive, messages: _MessageFile, starts: array[int], ends: array[int]) -> None:
    """One pass over the mbox's bytes: each message's header block to the index, its offsets to the arrays."""
    handle, spool, path = messages.handle, messages.spool, archive.path
    progress = archive.progress
    carry = b""
    base = 0
    """Where ``buffer[0]`` is in the file (as decompressed)."""
    line = 1
    first = True
    crlf = False
    held_cr = b""
    """A CR that ended the last piece read: its LF may start the next."""
    while True:
        data = handle.read(CHUNK_BYTES)
        final = not data
        if first:
            crlf = b"\r\n" in data[: data.find(b"\n") + 1]
            if crlf and spool is None:  # offsets must be those of the normalised text: copy it
                spool = messages.start_copy()
        if crlf:
            data = held_cr + data
            held_cr = b""
            if data.endswith(b"\r") and not final:
                data, held_cr = data[:-1], b"\r"
            data = data.replace(b"\r\n", b"\n")
        if spool is not None and data:
            spool.write(data)
        buffer = carry + data if carry else data
        if first:
            first = False
            if not buffer.strip():
                return
            if not buffer.startswith(b"From "):
                archive.problems.add(
                    "a message has no From line", f"{path}:1: no 'From ' line before the first message"
                )
                buffer = b"\n" + buffer
                base, line = -1, 0
        carry = _index_buffer(archive, buffer, base, line, final, starts, ends)
        consumed = len(buffer) - len(carry)
        line += buffer.count(b"\n", 0, consumed)
        base += consumed
        with progress.lock:
            progress.messages = len(archive.messages)
            progress.total, progress.done = messages.size_and_position()
        if final:
            if spool is not None:
                spool.flush()  # bodies are read back with pread, past Python's buffer
            return


def _index_buffer(
    archive: _Archive, buffer: bytes, base: int, line: int, final: bool, starts: array[int], ends: array[int]
) -> bytes:
    """Index the whole messages in *buffer* (which starts with one); return the unfinished rest."""
    find, count, add, path = buffer.find, buffer.count, archive.add, archive.path
    has_nul = b"\0" in buffer
    position = 0
    search = 1
    size = len(buffer)
    while True:
        # The next separator: "From " at a line start (or after NULs) whose next line is a header field.
        following = -1
        while True:
            at = find(b"\nFrom ", search)
            if has_nul:
                after_nul = find(b"\0From ", search, at if at >= 0 else size)
                if after_nul >= 0:
                    at = after_nul
            if at < 0:
                break
            line_end = find(b"\n", at + 6)
            if line_end < 0:
                if not final:
                    return buffer[position:]
                break
            if _HEADER_LINE.match(buffer, line_end + 1):
                following = at + 1
                break
            search = at + 1
        if following < 0 and not final:
            return buffer[position:]
        end = size if following < 0 else following
        from_line_end = find(b"\n", position, end)
        notes: list[str] = []
        if from_line_end < 0:
            from_line_end = end
        header_end = find(b"\n\n", from_line_end, end)
        if following < 0 and (header_end < 0 or not buffer.endswith(b"\n")):
            notes.append("it is cut short: the file ends inside it")
            archive.problems.add("a message is cut short", f"{path}:{line or 1}: the last message is cut short")
        if header_end < 0:
            header_end = end
        if has_nul and find(b"\0", position, end) >= 0:
            notes.append("it holds NUL bytes: the file is damaged here")
            archive.problems.add("there are NUL bytes", f"{path}:{line or 1}: NUL bytes (the file is damaged here)")
        from_line = buffer[position:from_line_end] if buffer.startswith(b"From ", position) else b""
        add(buffer[from_line_end:header_end], from_line, line or 1, notes)  # 0: the file's first, with no From line
        starts.append(base + from_line_end + 1)
        ends.append(base + end)
        if following < 0:
            return b""
        line += count(b"\n", position, end)
        position = end
        search = end + 1


def _read_file(path: str) -> bytes:
    """A whole message file, opened without blocking (a FIFO put in its place reads as empty)."""
    descriptor = os.open(path, _OPEN_FLAGS)
    with os.fdopen(descriptor, "rb") as handle:
        return handle.read()


def _read_head(path: str, enough: int = 65536) -> bytes:
    """The first bytes of a file, or none when it cannot be read (never blocking on a FIFO)."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError:
        return b""
    try:
        return os.read(descriptor, enough)
    except OSError:
        return b""
    finally:
        os.close(descriptor)


def _sniffed_files(root: str) -> Iterator[str]:
    """A few files below *root*, found without listing whole folders, for sniffing."""
    pending = [root]
    seen = files = 0
    while pending and files < _SNIFF_FILES and seen < _SNIFF_ENTRIES:
        try:
            entries = os.scandir(pending.pop())
        except OSError:
            continue
        with entries:
            for entry in entries:
                seen += 1
                if seen > _SNIFF_ENTRIES or files >= _SNIFF_FILES:
                    break
                if _is_dir(entry):
                    if entry.name not in _SKIPPED_FOLDERS:
                        pending.append(entry.path)
                elif not entry.name.startswith(".") and _is_file(entry):
                    files += 1
                    yield entry.path


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _maildir_files(root: str, problems: _Problems) -> list[str]:
    """Every file below *root* but in ``tmp`` folders and hidden files, sorted, without recursion."""
    found: list[str] = []
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=_NAME)
        except OSError as error:
            problems.add("a folder cannot be read", f"{folder}: cannot be read ({error.strerror or error})")
            continue
        folders = []
        for entry in listed:
            try:  # the kind of entry comes with the listing: no system call for most
                is_folder = entry.is_dir(follow_symlinks=False)
                is_message = not is_folder and entry.name[0] != "." and entry.is_file()
            except OSError:
                continue
            if is_folder:
                if entry.name not in _SKIPPED_FOLDERS:
                    folders.append(entry.path)
            elif is_message:
                found.append(entry.path)
        pending.extend(reversed(folders))
    return found


def _index_maildir(archive: _Archive, files: list[str]) -> None:
    """Index every message file below the archive's folder; files that are not mail are left out, with a warning."""
    progress = archive.progress
    listed = _maildir_files(archive.path, archive.problems)
    with progress.lock:
        progress.total = len(listed)
    skipped: list[str] = []
    for number, path in enumerate(listed):
        data = _read_header_block(path)
        if data is None:
            skipped.append(path)
            continue
        if b"\r" in data:
            data = data.replace(b"\r\n", b"\n")
        if data.startswith(b"From "):  # a message saved with its mbox separator
            data = data[data.find(b"\n") + 1 :]
        header_end = data.find(b"\n\n")
        head = b"\n" + (data if header_end < 0 else data[:header_end])
        values = archive.fields(head)
        if not _HEADER_LINE.match(data) or values.count(None) == len(values):
            skipped.append(path)  # a database, an index or notes kept beside the messages
            continue
        notes: list[str] = []
        if b"\0" in data:
            notes.append("it holds NUL bytes: the file is damaged here")
            archive.problems.add("there are NUL bytes", f"{path}: NUL bytes (the file is damaged here)")
        archive.add_fields(values, head, b"", path, notes)
        files.append(path)
        if number % 512 == 0:
            with progress.lock:
                progress.messages, progress.done = len(files), number
    if skipped:
        archive.problems.add("a file is not mail", f"{skipped[0]}: not a mail message; left out")
        if len(skipped) > 1:
            archive.problems.listed.append(
                f"{archive.path}: {len(skipped) - 1:,} more files that are not mail left out"
            )
    with progress.lock:
        progress.messages = len(files)


def _read_header_block(path: str) -> bytes | None:
    """A message file's header block (and maybe some body); None when it cannot be read."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    try:
        data = os.read(descriptor, 16384)
        while b"\n\n" not in data and b"\r\n\r\n" not in data:
            more = os.read(descriptor, 1 << 20)
            if not more:
                break
            data += more
        return data
    except OSError:
        return None
    finally:
        os.close(descriptor)
