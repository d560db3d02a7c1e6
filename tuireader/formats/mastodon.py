"""Mastodon statuses as the API serves them: a status, its context, or both in one file.

``/api/v1/statuses/ID`` is one status; ``/api/v1/statuses/ID/context`` is
``{"ancestors": [...], "descendants": [...]}``: the chain above that status, root
first, and the replies below it, but not the status itself. A file may hold a
status, a context, ``{"status": ..., "context": ...}`` or a list of statuses and
contexts (``[status, context]``); the posts are every ancestor, then the statuses
given alone, then every descendant, linked by ``in_reply_to_id``. A reply to a
status not in the file (a context saved without its status) becomes a top-level
post with a note.

Votes: ``up`` is the favourites, ``score`` the favourites plus the boosts, so the
score says how far a status travelled while the thumb keeps the plain approval.
A content warning is the post's title, with the ``CW`` icon that tells the pane
to fold the body until asked; the body itself is kept whole.
"""

from __future__ import annotations

from typing import Any

from tuireader.body import ATTACHMENT, Block, Body, Span
from tuireader.errors import ParseError
from tuireader.formats.base import DocumentFormat, ParsedSource
from tuireader.formats.site_fields import (
    Fields,
    HtmlBodies,
    Ids,
    adopt_orphans,
    first_element,
    in_reading_order,
    join_note,
    json_start,
    members,
)
from tuireader.formats.sitejson import describe, load_document
from tuireader.model import Post

NAME = "mastodon"
CW_ICON = "CW"
"""The icon of a post with a content warning: the pane folds its body until the reader asks for it."""
CW_NOTE = "content warning: press Enter to show"
TITLE_LENGTH = 80
"""The thread title is the root's content warning or the start of its text, cut to this many characters."""

_STATUS_KEYS = frozenset(
    {"in_reply_to_id", "in_reply_to_account_id", "spoiler_text", "reblogs_count", "favourites_count"}
)
"""Keys a Mastodon status has; two of them (or an ``account`` with an ``acct``) tell a status."""
_CONTEXT_KEYS = frozenset({"ancestors", "descendants"})


def sniff(head: str) -> bool:
    """True for a status, a context, a ``{"status", "context"}`` pair, or a list starting with one of the first two."""
    start = json_start(head)
    if head.startswith("[", start):
        element = first_element(head, start)
        return element is not None and (_is_status(head, element) or _is_context(head, element))
    return _is_status(head, start) or _is_context(head, start) or _is_pair(head, start)


def _is_status(text: str, position: int) -> bool:
    seen = 0
    for key, where in members(text, position):
        if key in _STATUS_KEYS or (key == "account" and any(name == "acct" for name, _ in members(text, where))):
            seen += 1
            if seen == 2:
                return True
    return False


def _is_context(text: str, position: int) -> bool:
    """Both context keys with lists, or one whose list starts with a status."""
    lists = 0
    for key, where in members(text, position):
        if key in _CONTEXT_KEYS and text.startswith("[", where):
            element = first_element(text, where)
            if element is not None:
                return _is_status(text, element)
            lists += 1
            if lists == 2:
                return True
    return False


def _is_pair(text: str, position: int) -> bool:
    return any(
        (key == "status" and _is_status(text, where)) or (key == "context" and _is_context(text, where))
        for key, where in members(text, position)
    )


def parse(text: str, path: str) -> ParsedSource:
    """Read a whole file of statuses; raise :class:`ParseError` for invalid JSON or a document of no known shape."""
    document = load_document(text, path)
    warnings: list[str] = []
    ids = Ids(warnings)
    bodies = HtmlBodies()
    posts: list[Post] = []
    urls: dict[str, str | None] = {}
    for position, raw in enumerate(_statuses(document, path, warnings), 1):
        if type(raw) is not dict:
            warnings.append(f"status {position} is {describe(raw)}, not an object; left out")
            continue
        post, urls[post.id] = _post(raw, position, ids, bodies, warnings)
        posts.append(post)
    root = posts[0] if posts and posts[0].parent is None else None
    adopt_orphans(posts, "replies to status {parent}, not in this file", warnings, "status", "statuses")
    if not posts:
        warnings.append("no statuses in this file (an empty context, saved without its status)")
    return ParsedSource(
        posts=iter(posts),
        source_format=NAME,
        in_reading_order=in_reading_order(posts),
        title="" if root is None else _title(root),
        url=None if root is None else urls[root.id],
        warnings=warnings,
        body_loader=bodies.load,
    )


def _statuses(document: Any, path: str, warnings: list[str]) -> list[Any]:
    """The raw statuses in thread order: the contexts' ancestors, the statuses given alone, the descendants."""
    if type(document) is list:
        parts = [(part, f"item {position} of the list") for position, part in enumerate(document, 1)]
    elif type(document) is not dict:
        raise ParseError(path, f"expected a Mastodon status or context (an object), got {describe(document)}", line=1)
    elif _CONTEXT_KEYS.isdisjoint(document) and ("status" in document or "context" in document):
        parts = [(document[key], key) for key in ("status", "context") if document.get(key) is not None]
    else:
        parts = [(document, "the file")]
    ancestors: list[Any] = []
    alone: list[Any] = []
    descendants: list[Any] = []
    for part, where in parts:
        if type(part) is not dict:
            warnings.append(f"{where} is {describe(part)}, not a status or a context; left out")
        elif _CONTEXT_KEYS.isdisjoint(part):
            alone.append(part)
        else:
            context = Fields(part, where, warnings)
            ancestors += context.items("ancestors")
            descendants += context.items("descendants")
    return ancestors + alone + descendants


def _post(
    raw: dict[str, Any], position: int, ids: Ids, bodies: HtmlBodies, warnings: list[str]
) -> tuple[Post, str | None]:
    """The status as a post, and its URL (the thread's when it is the root)."""
    post_id, id_note = ids.take(raw.get("id"), position, "status")
    fields = Fields(raw, f"status {post_id!r}", warnings)
    account = Fields(fields.mapping("account") or {}, f"the account of status {post_id!r}", warnings)
    display_name = (account.text("display_name") or "").strip()
    acct = account.text("acct") or account.text("username") or ""
    warning = (fields.text("spoiler_text") or "").strip()
    favourites = fields.integer("favourites_count")
    boosts = fields.integer("reblogs_count")
    icons = ((CW_ICON,) if warning else ()) + (("bot",) if account.flag("bot") else ())
    post = Post(
        id=post_id,
        parent=fields.reference("in_reply_to_id"),
        author=display_name or acct,
        # The display name is anyone's to choose: the account (user@server for another server's) tells them apart.
        badge=f"@{acct}" if display_name and acct else None,
        icons=icons,
        title=warning,
        body=bodies.add(post_id, fields.text("content") or "", after=_attachments(fields)),
        time=fields.text("created_at"),
        up=favourites,
        score=None if favourites is None and boosts is None else (favourites or 0) + (boosts or 0),
        note=join_note(id_note, CW_NOTE if warning else None),
    )
    return post, fields.text("url") or fields.text("uri")


def _attachments(fields: Fields) -> Body:
    """A line per media attachment: its type and description, linked to the file (never its content)."""
    blocks = []
    for item in fields.items("media_attachments"):
        if type(item) is not dict:
            fields.warnings.append(f"{fields.who}: an attachment is {describe(item)}, not an object; left out")
            continue
        media = Fields(item, f"{fields.who} attachment", fields.warnings)
        kind = media.text("type") or "attachment"
        description = media.text("description")
        text = f"{kind}: {description}" if description else kind
        blocks.append(Block(ATTACHMENT, (Span(text, link=media.text("url") or media.text("remote_url")),)))
    return tuple(blocks)


def _title(root: Post) -> str:
    """The root's content warning, or the start of its text (never the text a warning hides)."""
    if root.title:
        return root.title
    words = " ".join(root.body.split())
    return words if len(words) <= TITLE_LENGTH else words[: TITLE_LENGTH - 1].rstrip() + "…"


FORMAT = DocumentFormat(NAME, "Mastodon status JSON", 34, sniff, parse)
