"""The plain-text forum export: numbered, indented posts, or the older flat layout.

Numbered layout (the usual one)::

    back to article TITLE            header: title, summary paragraph(s), maybe
    SUMMARY                          "This topic is closed for new posts."
      1. Author Gold badge           a post: outline number, author, optional badge
        Thumb Up                     icon lines directly under the author line
                                     one blank line, then the title (two blanks: no title)
        Title
                                     paragraphs separated by blank lines,
        Body paragraph.              optionally ending in vote counts (two digit lines)
        1. Reply author              a reply: two more spaces than its parent's number

A numbered line is a post only when the next non-blank line is indented exactly two
more spaces than the number; otherwise it is body text (a numbered list). Lines at or
left of the top-level numbers' indent are page furniture (footers, navigation).

Flat layout (older pages): no numbering; each post is the author line, icons, blank,
title, blank, paragraphs, then its vote counts as two digit lines at the start of a
paragraph, and the next author line right after. Replies are rebuilt from ``Re:`` titles,
so posts come out of reading order.

Everything is decided by structure (indentation, numbering, blank lines), never by
lists of names. Speed: one regular-expression pass finds the few lines that matter
(numbers, vote counts, page furniture) and each post is cut out with whole-string
operations, so no Python code runs per line or per character; a 70 MB thread parses
in about a second, and nothing recurses. Tabs advance to the next multiple of 8
columns (everywhere in the line); CRLF, old CR-only line ends, a UTF-8 BOM, trailing
spaces and ``Page: 1 2 3`` navigation lines are ignored.

Memory: :func:`parse_stream` reads the file a piece at a time and the numbered layout
keeps only the current post and the line after it, so a big file is never held whole
(the posts built from it take more than the text already). The flat layout is old,
rare and small: it is read whole.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Iterator

from tuireader.errors import ParseError
from tuireader.formats.base import Format, ParsedSource, Source
from tuireader.model import Post
from tuireader.sanitize import clean

NAME = "forum-text"

DELETED_NOTE = "This post has been deleted by its author"
CLOSED_LINE = "This topic is closed for new posts."
ARTICLE_PREFIX = "back to article"

_BLOCK = 1 << 20
"""Characters checked at a time for trailing spaces and blank-line runs (flat layout)."""
_TAIL = 2048
"""How much of the end of the file is searched for the "closed" line."""

_NUMBERED = re.compile(r"([0-9]{1,9})\.(?: +(.*))?")
_BADGE_WORD = re.compile(r"[A-Z][A-Za-z]*")
_PAGE = re.compile(r"Page:[^A-Za-z_]*")
"""Page navigation ("Page: 1 2 3 …"): digits and punctuation only, so prose starting "Page:" stays."""
_VOTE = re.compile(r"[0-9]{1,9}")
_TRAILING_SPACES = re.compile(r"(?<! ) +$", re.MULTILINE)
"""Spaces at line ends; a run is only tried from its first space, so a long run inside a line costs its length once."""
_BLANK_RUNS = re.compile(r"\n{3,}")
_NON_BLANK = re.compile(r"[^ \n]")
_RE_PREFIXES = re.compile(r"(?:re: ?)*")
"""The "Re:" prefixes at the start of a title's key (which is casefolded, with single spaces)."""
_DELETED_NOTES = re.compile(rf"(?:{re.escape(DELETED_NOTE)}(?:\n+|\Z))*")


def sniff(head: str) -> bool:
    """Say yes to any prose: this is the fallback, tried after every other format said no.

    Only a structured document (one starting with ``{``, ``[`` or ``<``) is refused,
    so a JSON file no format claims is reported as unknown, not as a forum page without posts.
    """
    text = head.lstrip("\ufeff \t\r\n")
    return bool(text) and text[0] not in "{[<"


class ForumText(Format):
    """A forum comment page copied as text: the fallback for any text file."""

    name = NAME
    label = "forum text"
    priority = 1000

    def sniff(self, source: Source) -> bool:
        return not source.is_dir and sniff(source.head)

    def open(self, source: Source) -> ParsedSource:
        return parse_stream(source.chunks(), source.path)


FORMAT = ForumText()


def parse(text: str, path: str) -> ParsedSource:
    """:func:`parse_stream` for a text already read whole (the "closed" line at its end is then seen at once)."""
    return parse_stream((text,), path)


def parse_stream(chunks: Iterable[str], path: str) -> ParsedSource:
    """Read the header now and return the posts as a lazy generator in file order.

    ``chunks`` is the text in pieces, read only as the posts are asked for (one piece
    ahead); pieces should end at line ends (any cut works, at some cost). ``closed``
    comes from the header, and from a "This topic is closed" line at the end of the
    file: at once when the text ends within a piece of the first post (a file under
    1 MiB from the loader, a text read whole), otherwise only when the posts run out,
    when it is set on the returned source. :meth:`ParsedSource.build` sees it; a first
    screen built before the end does not.

    Raises :class:`ParseError` for text with no post in it, unless it has a "back to
    article" header (a thread nobody replied to); other odd lines become body text.
    """
    stream = _Normalised(chunks)
    pieces = iter(stream)
    text, start = _read_to_first_post(pieces)
    warnings: list[str] = []
    if start is None:
        header = text.split("\n")
        title, summary, has_article = _read_header(header)
        if has_article or not text.strip():
            # A thread nobody has replied to yet (or an empty file): a header and no posts.
            return ParsedSource(
                iter(()), NAME, True, title, None, summary, _closed_in(header), warnings, posts_are_clean=True
            )
        line = next((number for number, line in enumerate(header, 1) if line.strip()), 1)
        raise ParseError(path, "no forum posts found (no numbered '  1. Author' posts, no flat posts)", line)
    offset, flat, base = start
    header = text[:offset].split("\n")[:-1] if offset else []
    title, summary, _ = _read_header(header)
    closed = _closed_in(header)
    if flat:
        text = "".join([text, *pieces])
        closed = closed or _closed_at_end(text, base)
        posts = _flat_posts(text, offset, base)
        return ParsedSource(posts, NAME, False, title, None, summary, closed, warnings, posts_are_clean=True)
    following = next(pieces, None)
    rest: Iterator[str] = iter(())
    if following is None:  # all read: the end can be looked at now
        closed = closed or _closed_at_end(stream.tail, base)
    else:
        rest = itertools.chain((following,), pieces)
    source = ParsedSource(iter(()), NAME, True, title, None, summary, closed, warnings, posts_are_clean=True)
    # Every line the numbered reader looks at is found from the newline before it.
    first = text[offset - 1 :] if offset else "\n" + text
    posts = _numbered_posts(_windows(first, rest), text.count("\n", 0, offset), base, warnings)
    source.posts = _closing(posts, source, stream, base)
    return source


class _Normalised:
    """Chunks of text as pieces that end at line ends (all but the last), normalised; remembers the text's end.

    Drops a BOM, turns CRLF (or, in a text with no LF at all, old CR-only) line ends
    into LF and expands tabs to 8-column stops. A piece is only cut at an LF, so a
    CRLF split between chunks is joined first, and tabs expand per line as in the
    whole text.
    """

    def __init__(self, chunks: Iterable[str]) -> None:
        self.chunks = chunks
        self.tail = ""
        """The last characters of the text handed out so far."""

    def __iter__(self) -> Iterator[str]:
        unfinished: list[str] = []  # text after the last LF (all of it while there has been no LF)
        has_lf = False
        at_start = True
        for chunk in self.chunks:
            if at_start and chunk:
                at_start = False
                chunk = chunk.removeprefix("\ufeff")
            cut = chunk.rfind("\n") + 1
            if not cut:
                if chunk:
                    unfinished.append(chunk)
                continue
            has_lf = True
            piece = chunk if cut == len(chunk) else chunk[:cut]
            if unfinished:
                piece = "".join([*unfinished, piece])
                unfinished = []
            if cut < len(chunk):
                unfinished.append(chunk[cut:])
            yield self._tidy(piece, has_lf)
        if unfinished:
            yield self._tidy("".join(unfinished), has_lf)

    def _tidy(self, piece: str, has_lf: bool) -> str:
        if "\r" in piece:
            piece = piece.replace("\r\n", "\n") if has_lf else piece.replace("\r", "\n")
        if "\t" in piece:
            piece = piece.expandtabs(8)
        # Made inert here, once per piece, so every post cut from it is already clean
        # (and the model need not check each post again: ParsedSource.posts_are_clean).
        piece = clean(piece)
        self.tail = piece[-_TAIL:] if len(piece) >= _TAIL else (self.tail + piece)[-_TAIL:]
        return piece


def _read_to_first_post(pieces: Iterator[str]) -> tuple[str, tuple[int, bool, int] | None]:
    """Read pieces until the first post shows: the text read, and where the posts begin (see below).

    Usually the first piece has it. Otherwise the text is searched again each time it
    has doubled, so a long header (or a file with no posts) costs linear time.
    """
    parts: list[str] = []
    size = searched = 0
    for piece in pieces:
        parts.append(piece)
        size += len(piece)
        if size >= 2 * searched:
            text = "".join(parts)
            parts = [text]
            searched = size
            start = _find_first_post(text)
            if start is not None:
                return text, start
    text = "".join(parts)
    return text, (_find_first_post(text) if size > searched else None)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _find_first_post(text: str) -> tuple[int, bool, int] | None:
    """Where the posts begin: (offset, flat layout?, indent), or None.

    A numbered line followed by a line two spaces deeper means the numbered layout; a
    paragraph that starts with two digit lines (vote counts) before that means flat.
    Blank means spaces only here, as in the numbered reader's pattern. On the start
    of a text the answer is the whole text's, or None: a line is only decided from the
    lines after it, and a line whose next non-blank line is missing is passed over.
    """
    lines = text.split("\n")
    count = len(lines)
    for index, line in enumerate(lines):
        stripped = line.lstrip(" ")
        if not stripped or not "0" <= stripped[0] <= "9":
            continue
        match = _NUMBERED.fullmatch(stripped.rstrip(" "))
        if match is not None:
            indent = len(line) - len(stripped)
            if (match.group(2) or "").rstrip() == DELETED_NOTE:
                return _offset_of(lines, index), False, indent
            following = index + 1
            while following < count and not lines[following].strip(" "):
                following += 1
            if following < count and _indent(lines[following]) == indent + 2:
                return _offset_of(lines, index), False, indent
        if (
            _VOTE.fullmatch(stripped.rstrip())
            and index + 1 < count
            and _VOTE.fullmatch(lines[index + 1].strip())
            and (index == 0 or not lines[index - 1].strip())
        ):
            first = _flat_start(lines, index)
            if first is not None:
                return _offset_of(lines, first), True, _indent(lines[first])
    return None


def _flat_start(lines: list[str], votes: int) -> int | None:
    """The first flat post's author line, given the first vote counts at line ``votes``.

    The header ends at the "closed" line if there is one; otherwise it is the
    "back to article" line and the one summary paragraph after it (flat posts look
    like paragraphs too, so a longer summary cannot be told from the first post).
    """
    marks = [lines[index].strip() for index in range(votes)]
    start = 0
    if CLOSED_LINE in marks:
        start = marks.index(CLOSED_LINE) + 1
    else:
        article = next((index for index, line in enumerate(marks) if line.startswith(ARTICLE_PREFIX)), None)
        if article is not None:
            start = article + 1
            while start < votes and not marks[start]:
                start += 1
            while start < votes and marks[start]:
                start += 1
    while start < votes and not marks[start]:
        start += 1
    return start if start < votes else None


def _offset_of(lines: list[str], index: int) -> int:
    return sum(len(line) + 1 for line in lines[:index])


def _read_header(lines: list[str]) -> tuple[str, str, bool]:
    """Title, summary and whether there was a "back to article" line, from the lines before the first post."""
    title = ""
    has_article = False
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        stripped = line.strip()
        if stripped.startswith(ARTICLE_PREFIX) and not has_article:
            has_article = True
            title = stripped[len(ARTICLE_PREFIX) :].strip()
            paragraphs = [[]]
            continue
        if not stripped or stripped == CLOSED_LINE or _PAGE.fullmatch(stripped):
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        paragraphs[-1].append(stripped)
    summary = "\n\n".join("\n".join(paragraph) for paragraph in paragraphs if paragraph)
    return title, summary, has_article


def _closed_in(lines: Iterable[str]) -> bool:
    return any(line.strip() == CLOSED_LINE for line in lines)


def _closed_at_end(text: str, base: int) -> bool:
    """Whether one of the last lines of ``text`` outside the posts says the topic is closed."""
    return _closed_in(line for line in text[-_TAIL:].split("\n")[-12:] if _indent(line) <= base)


def _author(text: str) -> tuple[str, str | None]:
    """Split "Name Gold badge" (text ending in " badge") into ("Name", "Gold"); a lone badge has no author.

    Cut from the right rather than matched with a pattern: a pattern with a name part
    before the badge word backtracks on long runs of spaces.
    """
    name, _, word = text[: -len(" badge")].rpartition(" ")
    if _BADGE_WORD.fullmatch(word):
        return name.rstrip(" "), word
    return text, None


def _body(text: str, gappy: bool) -> str:
    """A post's body lines (already without trailing spaces) with one blank line between paragraphs.

    ``gappy`` says whether runs of blank lines occur near here at all.
    """
    if gappy and "\n\n\n" in text:
        text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip("\n")


def _split_votes(body: str) -> tuple[str, int | None, int | None]:
    """Take closing vote counts (a last paragraph of two digit lines, up then down) off a body."""
    before, _, last = body.rpartition("\n\n")
    up, _, down = last.partition("\n")
    if _VOTE.fullmatch(up) and _VOTE.fullmatch(down):
        return before, int(up), int(down)
    return body, None, None


class _Posts:
    """Makes the posts, with one string for each author name and badge and one tuple for each set of icons.

    A big thread names the same few thousand authors a hundred thousand times; sharing
    their strings saves a tenth of the file's size in memory.
    """

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.icon_sets: dict[tuple[str, ...], tuple[str, ...]] = {}

    def make(
        self,
        post_id: str,
        parent: str | None,
        author_text: str,
        icons: tuple[str, ...],
        title: str,
        body: str,
        up: int | None,
        down: int | None,
    ) -> Post:
        """The post itself; a deleted post's note is not kept as its text."""
        author, badge = _author(author_text) if author_text.endswith(" badge") else (author_text, None)
        deleted = False
        if author == DELETED_NOTE or (title == DELETED_NOTE and not body) or (body == DELETED_NOTE and not title):
            deleted = True
            author = "" if author == DELETED_NOTE else author
            title = body = ""
        names = self.names
        author = names.setdefault(author, author)
        if badge is not None:
            badge = names.setdefault(badge, badge)
        if icons:
            icons = self.icon_sets.setdefault(icons, icons)
        return Post(post_id, parent, author, badge, icons, title, body, None, up, down, None, deleted)


def _numbered_post(
    posts: _Posts, head: tuple[str, str | None, str], chunk: str, content_indent: int, spaced: bool, gappy: bool
) -> Post:
    """A numbered-layout post from its (id, parent, author text) and the text after its number line.

    ``chunk`` starts with the number line's newline. Only whole-string operations, and
    few of them: a big thread has a hundred thousand posts. ``spaced`` and ``gappy``
    say whether trailing spaces and runs of blank lines occur near here at all.
    """
    if spaced and (" \n" in chunk or chunk[-1:] == " "):
        chunk = _TRAILING_SPACES.sub("", chunk)
    chunk = chunk.replace("\n" + " " * content_indent, "\n")
    size = len(chunk)
    icons: tuple[str, ...] = ()
    end = 0  # the newline ending the author line or the last icon line
    # Icon lines end at a blank line; lines that run to the post's end with none are its body.
    icon_end = chunk.find("\n\n", 1) if size > 1 and chunk[1] != "\n" else -1
    if icon_end > 0:
        end = icon_end
        block = chunk[1:end]
        icons = tuple(filter(None, (icon.strip() for icon in block.split("\n"))))
    title = ""
    if end + 2 < size and chunk[end + 1] == "\n" and chunk[end + 2] != "\n":
        # One blank line: the title follows. Two: the post has no title.
        title_end = chunk.find("\n", end + 2)
        title_end = size if title_end < 0 else title_end
        title = chunk[end + 2 : title_end].strip()
        end = title_end
    body = _body(chunk[end:], gappy)
    up = down = None
    if body[-1:].isdigit():
        body, up, down = _split_votes(body)
    return posts.make(*head, icons, title, body, up, down)


class _Outline:
    """The ids of the current numbered post and its ancestors, one per depth.

    An id is the post's number path (``2.1.3``). A number the file repeats gives a repeated
    id: the model renames it (``2~2``) and sends later replies to the newest such post.
    """

    def __init__(self) -> None:
        self.ids: list[str] = []

    def open(self, depth: int, number: str) -> tuple[str, str | None]:
        """Start the post numbered ``number`` at ``depth`` (at most one below the current post): (id, parent id)."""
        ids = self.ids
        del ids[depth:]
        parent = ids[-1] if depth else None
        if number[0] == "0" and len(number) > 1:
            number = number.lstrip("0") or "0"
        post_id = number if parent is None else f"{parent}.{number}"
        ids.append(post_id)
        return post_id, parent


@functools.lru_cache(maxsize=8)
def _numbered_pattern(base: int) -> re.Pattern[str]:
    """The lines the numbered reader must look at, each found from the newline before it.

    Group 1-3: a numbered line (indent, number, author text), group 4 the indent of
    the next non-blank line (None at the end); group 5: a ``Page:`` line; otherwise a
    line at or left of ``base``, which is outside every post. All other lines are post
    text and are never looked at one by one.
    """
    return re.compile(
        rf"\n(?=[ ]{{0,{base}}}[^ \n]|[ ]*[0-9P])(?:"  # most lines fail this quick test
        r"( *)([0-9]{1,9})\.(?: +([^\n]*))?(?=\n|\Z)(?:(?=\n(?: *\n)*( *)[^ \n])|)"
        r"|( *Page:[^A-Za-z_\n]*)(?=\n|\Z)"
        rf"|(?= {{0,{base}}}[^ \n])"
        r")"
    )


class _Untidy:
    """Whether trailing spaces or runs of blank lines occur in a stretch of the file, a megabyte at a time.

    Asking once per megabyte instead of once per post halves the cost of the
    question; asking once for the whole file would delay the first post.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.end = 0
        self.spaced = self.gappy = True

    def cover(self, start: int, end: int) -> None:
        """Make ``spaced`` and ``gappy`` true of a stretch that holds ``text[start:end]`` (calls in file order)."""
        if end >= self.end:
            text = self.text
            self.end = min(len(text), max(end, start + _BLOCK)) + 1
            self.spaced = text.find(" \n", start, self.end) >= 0 or (self.end > len(text) and text.endswith(" "))
            self.gappy = self.spaced or text.find("\n\n\n", start, self.end) >= 0


def _windows(buffer: str, rest: Iterator[str]) -> Iterator[tuple[str, int]]:
    """The text from ``buffer`` on, as windows ``(text, limit)``; each next window starts at the previous limit.

    ``buffer`` and every window start with a newline. The numbered reader decides a
    line from the line itself and the next non-blank line, so a window's limit is the
    newline before its last non-blank line: every line starting before it is decided
    from the window alone. The last window's limit is its length.
    """
    while True:
        limit = buffer.rfind("\n", 0, len(buffer.rstrip(" \n")))
        if limit > 0:
            yield buffer, limit
            buffer = buffer[limit:]
        parts = [buffer]
        for piece in rest:
            parts.append(piece)
            if _NON_BLANK.search(piece) is not None:
                break
        else:
            buffer = "".join(parts)
            yield buffer, len(buffer)
            return
        buffer = "".join(parts)


def _numbered_posts(
    windows: Iterator[tuple[str, int]], lines_before: int, base: int, warnings: list[str]
) -> Iterator[Post]:
    """Yield the numbered layout's posts in file order (which is reading order).

    The first window starts with the newline before the first post's line, which is
    line ``lines_before + 1`` (see :func:`_windows`). One regular-expression pass
    per window finds the numbered lines, page lines and lines outside the posts; a
    numbered line starts a post only when the next non-blank line is two spaces
    deeper (a deleted post's line needs no text of its own). Only the current post's
    text is kept from one window to the next.
    """
    outline = _Outline()
    posts = _Posts()
    pattern = _numbered_pattern(base)
    head: tuple[str, str | None, str] | None = None  # id, parent, author text of the current post
    pieces: list[str] = []  # its text from earlier windows and between skipped lines
    start = 1  # where the rest of its text begins in the window
    current = base - 2  # indent of its number
    strays = stray_line = 0  # lines outside any post since the last post, and the first one's number
    line, counted = lines_before, 0  # the number of the line holding ``buffer[counted]`` (a newline ends its line)
    for buffer, limit in windows:
        # Whether trailing spaces and runs of blank lines occur in this window at all: asked
        # once a window instead of once a post, which halves the cost of the question.
        spaced = buffer.find(" \n") >= 0 or buffer.endswith(" ")
        gappy = spaced or buffer.find("\n\n\n") >= 0
        for match in pattern.finditer(buffer):
            position = match.start()
            if position >= limit:
                break
            spaces, number, author_text, following, page = match.groups()
            if number is not None:
                indent = len(spaces)
                if base <= indent <= current + 2 and not (indent - base) & 1:
                    author_text = author_text.rstrip() if author_text else ""
                    if author_text == DELETED_NOTE or (following is not None and len(following) == indent + 2):
                        if head is not None:
                            chunk = buffer[start:position]
                            if pieces:
                                chunk = "".join([*pieces, chunk])
                                pieces = []
                                yield _numbered_post(posts, head, chunk, current + 2, True, True)
                            else:
                                yield _numbered_post(posts, head, chunk, current + 2, spaced, gappy)
                        if strays:
                            warnings.append(_stray_warning(stray_line, strays))
                            strays = 0
                        head = (*outline.open((indent - base) >> 1, number), author_text)
                        current, start = indent, match.end()
                        continue
                if indent > base:
                    continue  # a numbered list in the text, not a post
                end = match.end()
            elif page is not None:
                pieces.append(buffer[start:position])
                start = match.end()
                continue
            else:
                end = buffer.find("\n", match.end())
                end = len(buffer) if end < 0 else end
            pieces.append(buffer[start:position])
            start = end
            if not strays:
                line += buffer.count("\n", counted, position + 1)
                counted, stray_line = position + 1, line
            strays += 1
        if start < limit:
            pieces.append(buffer[start:limit])
        start = 0
        line += buffer.count("\n", counted, limit)
        counted = 0
    if head is not None:
        yield _numbered_post(posts, head, "".join(pieces), current + 2, True, True)


def _closing(posts: Iterator[Post], source: ParsedSource, stream: _Normalised, base: int) -> Iterator[Post]:
    """Pass the posts through, then mark ``source`` closed if the file ends by saying so."""
    yield from posts
    if not source.closed and _closed_at_end(stream.tail, base):
        source.closed = True


def _stray_warning(line: int, count: int) -> str:
    where = f"line {line}" if count == 1 else f"{count} lines from line {line}"
    return f"{where}: text outside any post, between posts, was skipped"


_FLAT_MARKS = re.compile(
    r"\n(?=[ ]*[0-9P]|[ ]*This topic)(?:"  # most lines fail this quick test
    r"[ ]*([0-9]{1,9})[ ]*\n[ ]*([0-9]{1,9})[ ]*(?=\n|\Z)"
    rf"|[ ]*(?:Page:[^A-Za-z_\n]*|{re.escape(CLOSED_LINE)}[ ]*)(?=\n|\Z)"
    r")"
)
"""The lines the flat reader must look at: vote counts (groups 1-2), and page lines and
the "closed" line, which belong to no post. Found from the newline before each."""


class _FlatThread:
    """Numbers the flat layout's posts and links each ``Re:`` title to the post it quotes."""

    def __init__(self) -> None:
        self.count = 0
        self.made = _Posts()
        self.by_title: dict[str, dict[int, str]] = {}
        """Title key less its "Re:" prefixes -> number of prefixes -> id of the latest post so titled."""

    def add(self, author: str, icons: tuple[str, ...], title: str, body: str, up: int | None, down: int | None) -> Post:
        self.count += 1
        post = self.made.make(str(self.count), self._reply_target(title), author, icons, title, body, up, down)
        if post.title:
            base, prefixes = _title_parts(post.title)
            self.by_title.setdefault(base, {})[prefixes] = post.id
        return post

    def _reply_target(self, title: str) -> str | None:
        """The id of the latest post whose title this ``Re:`` title quotes: one "Re:" fewer, else two fewer, ..."""
        base, prefixes = _title_parts(title)
        posts = self.by_title.get(base) if prefixes else None
        if posts:
            for fewer in range(prefixes - 1, -1, -1):
                if fewer in posts:
                    return posts[fewer]
        return None

    def posts(self, chunk: str, up: int | None, down: int | None, gappy: bool, last: bool) -> list[Post]:
        """The posts in the text before one pair of vote counts (or after the last, when ``last``).

        That is normally one post: author line, icon lines, blank, title, blank, body.
        A deleted post's note at the start stands alone, so it may come first; the
        votes go to the final post. Text after the last votes is a post only if it has
        a body: otherwise it is the page's footer.
        """
        rest = chunk.strip("\n")
        notes = _DELETED_NOTES.match(rest)
        end = notes.end() if notes else 0
        found = [self.add(DELETED_NOTE, (), "", "", None, None) for _ in range(rest.count(DELETED_NOTE, 0, end))]
        rest = rest[end:]
        if rest:
            author, _, after = rest.partition("\n")
            end = rest.find("\n\n")
            icons = []
            if end >= 0:  # as in the numbered layout, lines with no blank line after them are the body
                icons = [icon for icon in (line.strip() for line in rest[:end].split("\n")[1:]) if icon]
                after = rest[end:]
            author = author.strip()
            title = ""
            if len(after) - len(after.lstrip("\n")) == 2:
                # One blank line: the title follows. Two: the post has no title.
                title, _, after = after[2:].partition("\n")
                title = title.strip()
            body = _body(after, gappy)
            if not last or body:
                found.append(self.add(author, tuple(icons), title, body, None, None))
        if found and up is not None:
            found[-1].up, found[-1].down = up, down
        return found


def _flat_posts(text: str, offset: int, base: int) -> Iterator[Post]:
    """Yield the flat layout's posts in file order, each replying to the post its ``Re:`` title names.

    A post ends at its vote counts: two digit lines at the start of a paragraph, with
    the next author line right after them.
    """
    if offset == 0:
        text, offset = "\n" + text, 1
    thread = _FlatThread()
    untidy = _Untidy(text)
    pieces: list[str] = []  # the current post's text so far, less skipped lines
    start = begin = offset
    for match in _FLAT_MARKS.finditer(text, offset - 1):
        position = match.start()
        up = match.group(1)
        if up is None:
            pieces.append(text[start:position])
            start = match.end()
            continue
        previous = text[text.rfind("\n", 0, position) + 1 : position].strip()
        if previous and previous != DELETED_NOTE:
            continue  # two numbers inside a paragraph are text
        chunk = _tidy_chunk("".join([*pieces, text[start:position]]), base, untidy, begin, position)
        # Taking out a page line may join two blank runs.
        yield from thread.posts(chunk, int(up), int(match.group(2)), untidy.gappy or bool(pieces), last=False)
        pieces = []
        start = begin = match.end()
    chunk = _tidy_chunk("".join([*pieces, text[start:]]), base, untidy, begin, len(text))
    yield from thread.posts(chunk, None, None, untidy.gappy or bool(pieces), last=True)


def _tidy_chunk(chunk: str, base: int, untidy: _Untidy, begin: int, end: int) -> str:
    """A flat post's text without trailing spaces or the layout's own indent."""
    untidy.cover(begin, end)
    if untidy.spaced and (" \n" in chunk or chunk[-1:] == " "):
        chunk = _TRAILING_SPACES.sub("", chunk)
    if base:
        chunk = chunk.replace("\n" + " " * base, "\n")
    return chunk


def _title_parts(title: str) -> tuple[str, int]:
    """A title's key for comparing (casefolded, single spaces) less its "Re:" prefixes, and how many there were.

    Counted in one pass, so a title of many prefixes costs its length once.
    """
    key = " ".join(title.split()).casefold()
    match = _RE_PREFIXES.match(key)
    prefixes = match.end() if match else 0
    return key[prefixes:], key.count("re:", 0, prefixes)
