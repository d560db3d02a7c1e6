"""Reddit thread JSON: the ``[submission listing, comment listing]`` pair a thread's ``.json`` address returns.

The submission (its title, link and text) is the root post and the comments hang
below it, nested through each comment's ``replies`` Listing. A ``more`` stub (the
replies Reddit left out of the page) becomes a leaf post saying how many are
missing, so nothing vanishes silently. Bodies are Reddit's Markdown: at load time a
post carries the Markdown source as its plain text, and :func:`markdown_to_blocks`
runs only when the post is read (the parsed source's body loader).

Speed: loading a 100,000-comment thread must cost no more than half as much again
as ``json.load`` on it, so each comment takes one fast path (one C-level lookup of
its fields and one set lookup of their types); only a comment with a missing or
wrongly typed field goes a slower way, which names it in a warning. Nothing recurses:
comments are walked depth-first on an explicit stack, so a reply chain of any
depth loads (see :mod:`tuireader.formats.sitejson` for the decoding).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from itertools import product
from operator import itemgetter
from typing import Any

from tuireader.body import Body, plain_text
from tuireader.errors import ParseError
from tuireader.formats.base import DocumentFormat, ParsedSource
from tuireader.formats.html_body import html_to_blocks, html_to_text
from tuireader.formats.sitejson import (
    body_with_link,
    collector_paused,
    describe,
    load_document,
    split_link,
    utc_text,
)
from tuireader.model import Post
from tuireader.sanitize import clean_line

NAME = "reddit"
SITE = "https://www.reddit.com"
GONE = frozenset({"[deleted]", "[removed]"})
"""What Reddit writes in place of a deleted account's name or a deleted or removed body."""
REMOVED_NOTE = "removed by Reddit or the subreddit's moderators"
DISTINGUISHED_ICONS = {"moderator": "mod", "admin": "admin", "special": "special"}
"""``distinguished`` values as icons; any other value is shown as it is."""
SUBMITTER_ICON = "OP"
EDITED_ICON = "edited"

_SNIFF_START = re.compile(r"\[\s*\{")
_SNIFF_KIND = re.compile(r'"kind"\s*:\s*"(?:Listing|t1|t3|more)"')
_SNIFF_CHARS = 4096
"""The kind of the first Listing and of its first item come within this many characters of the start."""
_ENTITY_COUNT = 20
"""How many comments are looked at to learn whether the file escapes ``& < >`` in its Markdown."""

_COMMENT_KEYS = (
    "id",
    "author",
    "body",
    "score",
    "created_utc",
    "author_flair_text",
    "distinguished",
    "is_submitter",
    "edited",
)
_get_comment = itemgetter(*_COMMENT_KEYS)
_NONE = type(None)
_COMMENT_TYPES = frozenset(
    product(
        (str,),  # id
        (str,),  # author
        (str,),  # body
        (int, _NONE),  # score
        (float, int, _NONE),  # created_utc
        (str, _NONE),  # author_flair_text
        (str, _NONE),  # distinguished
        (bool, _NONE),  # is_submitter
        (bool, float, int, _NONE),  # edited
    )
)
"""Every valid combination of the types of a comment's _COMMENT_KEYS, matched exactly (``true`` is no score)."""


def sniff(head: str) -> bool:
    """True when *head* starts a JSON list of objects whose first ``kind`` is a Reddit Listing, comment or post."""
    text = head.lstrip("\ufeff \t\n\r")[:_SNIFF_CHARS]
    return _SNIFF_START.match(text) is not None and _SNIFF_KIND.search(text) is not None


def parse(text: str, path: str) -> ParsedSource:
    """Read the whole thread, in reading order: the submission, then its comments depth-first.

    JSON cannot be read in pieces, and the posts are made at once too, while the
    collector is paused for the decoding anyway: made lazily, each batch would
    wake it to walk the whole decoded document again.
    """
    with collector_paused():
        document = load_document(text, path)
        if type(document) is not list or not document:
            expected = "expected a Reddit thread (a JSON list of two Listings)"
            raise ParseError(path, f"{expected}, got {describe(document)}", line=1)
        submissions = _listing_children(document[0], path, "[0]")
        comments = _listing_children(document[1], path, "[1]") if len(document) > 1 else []
        reader = _Reader(path)
        submission = next((item for item in submissions if type(item) is dict and item.get("kind") == "t3"), None)
        data = submission.get("data") if submission is not None else None
        root = reader.submission(data, comments) if type(data) is dict else None
        if root is None:
            reader.warnings.append(f"{path}: the file holds no submission; its comments are shown as top-level posts")
        posts = list(reader.posts(root, comments))
    return ParsedSource(
        posts=iter(posts),
        source_format=NAME,
        in_reading_order=True,
        title=reader.title,
        url=reader.url,
        closed=reader.closed,
        warnings=reader.warnings,
        body_loader=reader.load_body,
    )


def _listing_children(listing: Any, path: str, where: str) -> list[Any]:
    """The items of a top-level Listing, or a :class:`ParseError` naming the JSON path that is wrong."""
    if type(listing) is not dict or type(listing.get("data")) is not dict:
        raise ParseError(path, f"{where}: expected a Listing object, got {describe(listing)}", line=1)
    children = listing["data"].get("children", [])
    if type(children) is not list:
        raise ParseError(path, f"{where}.data.children: expected a list, got {describe(children)}", line=1)
    return children


class _Reader:
    """One file's reading: its header, warnings, and what the body loader needs later."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.warnings: list[str] = []
        self.title = ""
        self.url: str | None = None
        self.closed = False
        self.escaped = True
        """Whether Markdown bodies have ``& < >`` escaped as entities (Reddit does, unless asked for ``raw_json``)."""
        self.op = ""
        """The submitter's name: the reader marks replies by that name as OP."""
        self.root_link = ""
        """The submission's link (cleaned): the first line of its body."""
        self.html_of: dict[str, str] = {}
        """Raw HTML of the posts that have no Markdown body, by (cleaned) post id."""
        self.unnamed = 0

    # Loading -------------------------------------------------------------------

    def submission(self, data: dict[str, Any], comments: list[Any]) -> Post:
        """The root post: the submission's title, link and text; also sets the thread's header."""
        get = data.get
        self.escaped = _escapes_entities(data, comments)
        post_id = get("id")
        note = None
        if type(post_id) is not str or not post_id:
            post_id, note = self._unnamed("submission", post_id)
        title = self._text(get("title"), post_id, "title")
        self.title = title
        permalink = get("permalink")
        if type(permalink) is str and permalink:
            self.url = SITE + permalink if permalink.startswith("/") else permalink
        self.closed = get("locked") is True or get("archived") is True
        author = self._text(get("author"), post_id, "author")
        self.op = author
        url = get("url")
        if type(url) is str and url and get("is_self") is not True and url != self.url:
            self.root_link = clean_line(url)
        body, deleted, note = self._body(post_id, get("selftext"), get("selftext_html"), note)
        if author in GONE:
            author, deleted = "", True
        if self.root_link:
            body = body_with_link(self.root_link, body)
        score = get("score")
        return Post(
            post_id,
            None,
            author,
            self._badge(get("author_flair_text"), post_id),
            self._icons(post_id, get("distinguished"), None, get("edited"), author),
            title,
            body,
            utc_text(get("created_utc")),
            None,
            None,
            score if type(score) is int and get("hide_score") is not True else None,
            deleted,
            note,
        )

    def posts(self, root: Post | None, comments: list[Any]) -> Iterator[Post]:
        """Every post depth-first, each parent before its replies: the fast path described in the module's text."""
        parent_of_top = None
        if root is not None:
            yield root
            parent_of_top = root.id
        valid, gone, escaped, keys, get_all = _COMMENT_TYPES, GONE, self.escaped, _COMMENT_KEYS, _get_comment
        unescape = _unescape_markdown
        # The stack holds the items still to read, each with its parent's id, the next to read last.
        stack: list[tuple[Any, str | None]] = [(item, parent_of_top) for item in reversed(comments)]
        pop, push = stack.pop, stack.extend
        while stack:
            item, parent = pop()
            data = item.get("data") if type(item) is dict else None
            if type(data) is not dict:
                self._skipped(item, parent)
                continue
            kind = item.get("kind")
            if kind != "t1":
                if kind == "more":
                    yield self._more(data, parent)
                else:
                    self._skipped(item, parent)
                continue
            get = data.get
            try:
                values: tuple[Any, ...] = get_all(data)
            except KeyError:  # older files lack some keys (is_submitter); missing is as good as null
                values = tuple(map(get, keys))
            note = None
            if tuple(map(type, values)) not in valid:
                values, note = self._repaired(data, values)
            post_id, author, body, score, created, flair, distinguished, submitter, edited = values
            deleted = False
            if author in gone:
                author, deleted = "", True
            if body in gone:
                if body == "[removed]":
                    note = REMOVED_NOTE if note is None else f"{note}; {REMOVED_NOTE}"
                body, deleted = "", True
            else:
                if escaped and "&" in body:
                    body = unescape(body)
                if "\r" in body:
                    body = _line_ends(body)
            icons: tuple[str, ...] = ()
            if distinguished or submitter or edited:
                icons = self._icons(post_id, distinguished, submitter, edited, author)
            if get("score_hidden") is True:
                score = None
            yield Post(
                post_id,
                parent,
                author,
                flair or None,
                icons,
                "",
                body,
                None if created is None else utc_text(created),
                None,
                None,
                score,
                deleted,
                note,
            )
            replies = get("replies")
            if replies:
                children = self._replies(replies, post_id)
                if children:
                    push([(child, post_id) for child in reversed(children)])

    def _repaired(self, data: dict[str, Any], values: tuple[Any, ...]) -> tuple[tuple[Any, ...], str | None]:
        """The slow path: each wrongly typed field defaulted with a warning naming the comment, or read elsewhere.

        Returns the values and a note for a comment whose id had to be made up.
        """
        post_id, author, body, score, created, flair, distinguished, submitter, edited = values
        note = None
        if type(post_id) is not str or not post_id:
            post_id, note = self._unnamed("comment", post_id)
            self.warnings.append(f"{self.path}: {note}")
        author = self._text(author, post_id, "author")
        if type(body) is not str:
            body = self._markdown_or_html(post_id, body, data.get("body_html"))
        if type(score) is not int and score is not None:
            score = self._wrong(post_id, "score", score, None)
        if type(created) not in (float, int) and created is not None:
            created = self._wrong(post_id, "created_utc", created, None)
        flair = self._badge(flair, post_id)
        if type(distinguished) is not str and distinguished is not None:
            distinguished = self._wrong(post_id, "distinguished", distinguished, None)
        if type(submitter) is not bool and submitter is not None:
            submitter = self._wrong(post_id, "is_submitter", submitter, None)
        if type(edited) not in (bool, float, int) and edited is not None:
            edited = self._wrong(post_id, "edited", edited, None)
        return (post_id, author, body, score, created, flair, distinguished, submitter, edited), note

    def _more(self, data: dict[str, Any], parent: str | None) -> Post:
        """A ``more`` stub as a leaf post saying how many replies Reddit left out of the file."""
        count = data.get("count")
        children = data.get("children")
        if type(count) is not int or count < 0:
            count = 0
        if not count and type(children) is list:
            count = len(children)
        stub_id = data.get("id")
        if type(stub_id) is not str or stub_id in ("", "_"):  # "_": a "continue this thread" link
            stub_id = parent or "top"
        if count:
            title = f"{count:,} more {'reply' if count == 1 else 'replies'}"
            note = f"{title} not in this file"
        else:
            title = "more replies"
            note = "more replies not in this file (the thread goes on deeper on reddit.com)"
        return Post(f"more-{stub_id}", parent, "", title=title, note=note)

    def _replies(self, replies: Any, post_id: str) -> list[Any] | None:
        """The items of a comment's ``replies`` Listing; a warning, and none, when it is not one."""
        data = replies.get("data") if type(replies) is dict else None
        children = data.get("children") if type(data) is dict else None
        if type(children) is list:
            return children
        self.warnings.append(
            f"{self.path}: comment {post_id!r}: replies is {describe(replies)}, not a Listing; its replies are left out"
        )
        return None

    def _skipped(self, item: Any, parent: str | None) -> None:
        kind = item.get("kind") if type(item) is dict else None
        what = f"an item of kind {describe(kind)}" if type(kind) is str else f"{describe(item)} that is not a comment"
        where = f"below {parent!r}" if parent is not None else "at the top"
        self.warnings.append(f"{self.path}: {where}: skipped {what}")

    def _body(
        self, post_id: str, markdown: Any, html_body: Any, note: str | None
    ) -> tuple[str, bool, str | None]:
        """The submission's text, whether it is gone, and its note."""
        body = markdown if type(markdown) is str else self._markdown_or_html(post_id, markdown, html_body)
        if body in GONE:
            return "", True, REMOVED_NOTE if body == "[removed]" else note
        if type(markdown) is str:
            if self.escaped and "&" in body:
                body = _unescape_markdown(body)
            if "\r" in body:
                body = _line_ends(body)
        return body, False, note

    def _markdown_or_html(self, post_id: str, markdown: Any, html_body: Any) -> str:
        """The plain text of a post without Markdown: from its HTML (kept for the body loader), else empty."""
        if markdown is not None:
            self._wrong(post_id, "body", markdown, "")
        if type(html_body) is not str:
            return ""
        if html_body.lstrip().startswith("&lt;"):  # Reddit escapes its HTML too, unless asked for raw_json
            html_body = html.unescape(html_body)
        self.html_of[clean_line(post_id)] = html_body
        return html_to_text(html_body)

    def _text(self, value: Any, post_id: str, field: str) -> str:
        if type(value) is str:
            return value
        return "" if value is None else self._wrong(post_id, field, value, "")

    def _badge(self, value: Any, post_id: str) -> str | None:
        if type(value) is str:
            return value or None
        return None if value is None else self._wrong(post_id, "author_flair_text", value, None)

    def _icons(self, post_id: str, distinguished: Any, submitter: Any, edited: Any, author: str) -> tuple[str, ...]:
        """Markers for a moderator's or admin's post, an edited one, and the submitter where the name cannot show it.

        The reader marks replies by the submission's author as OP itself; the icon
        covers the submitter whose account is gone, so no post is marked twice.
        """
        icons: list[str] = []
        if type(distinguished) is str and distinguished:
            icons.append(DISTINGUISHED_ICONS.get(distinguished, distinguished))
        elif distinguished is not None:
            self._wrong(post_id, "distinguished", distinguished, None)
        if submitter is True and (author != self.op or not author):
            icons.append(SUBMITTER_ICON)
        if edited is True or (type(edited) in (float, int) and edited):
            icons.append(EDITED_ICON)
        return tuple(icons)

    def _wrong(self, post_id: str, field: str, value: Any, default: Any) -> Any:
        self.warnings.append(f"{self.path}: post {post_id!r}: {field} is {describe(value)}; left out")
        return default

    def _unnamed(self, what: str, post_id: Any) -> tuple[str, str]:
        """A made-up id for a post the file gives none (or a wrongly typed one), and the note saying so."""
        self.unnamed += 1
        made_up = f"{what}-{self.unnamed}"
        given = "no id" if post_id is None or post_id == "" else f"the id {describe(post_id)}"
        return made_up, f"{what} with {given}; shown as {made_up!r}"

    # Reading ---------------------------------------------------------------------

    def load_body(self, post: Post) -> tuple[str, Body | None]:
        """A post's body as blocks, when it is read: its Markdown, or the HTML kept for posts without Markdown."""
        from tuireader.formats.markdown_body import markdown_to_blocks  # markdown-it loads only when a post is read

        raw_html = self.html_of.get(post.id)
        link, body = split_link(post.body, self.root_link) if post.parent is None else ((), post.body)
        blocks = link + (html_to_blocks(raw_html) if raw_html else markdown_to_blocks(body) if body else ())
        return plain_text(blocks), blocks


def _escapes_entities(submission: dict[str, Any], comments: list[Any]) -> bool:
    """Whether this file escapes ``& < >`` in Markdown, judged from its HTML bodies (escaped in the same way).

    Reddit escapes both unless the page was asked for with ``raw_json=1``; a file
    with no HTML body to judge by is taken to be escaped, Reddit's default.
    """
    samples = [submission.get("selftext_html")]
    for item in comments[:_ENTITY_COUNT]:
        data = item.get("data") if type(item) is dict else None
        if type(data) is dict:
            samples.append(data.get("body_html"))
    for sample in samples:
        if type(sample) is str and sample.strip():
            return sample.lstrip().startswith("&lt;")
    return True


def _unescape_markdown(body: str) -> str:
    """Undo Reddit's escaping of ``& < >`` (``&amp;`` last, so ``&amp;lt;`` stays the text ``&lt;``)."""
    return body.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _line_ends(body: str) -> str:
    """CR LF and a lone CR as LF: Markdown ends a line at each (old clients sent CR alone), the model drops CR."""
    return body.replace("\r\n", "\n").replace("\r", "\n")


FORMAT = DocumentFormat(NAME, "Reddit JSON", 40, sniff, parse)
