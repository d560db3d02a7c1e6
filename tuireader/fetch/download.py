"""A thread's requests, run in order and joined into the one file its format reads; then kept.

Most sites answer one request with the whole thread, saved as it came. Two need more:

- Discourse's ``/t/ID.json`` holds only the first posts (``chunk_size``, usually 20);
  ``post_stream.stream`` lists every post id in order, so the ids after the loaded ones
  are fetched from ``/t/ID/posts.json?post_ids[]=…`` in batches and appended to the
  topic's posts: one topic JSON, as if the server had sent it all.
- Mastodon's status and its context come from two requests and are saved together as
  ``{"status": …, "context": …}``, each part byte for byte as the server sent it.

What was fetched is checked by opening it with the same parsers as any file: a body that
is not the site's format is never kept.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from tuireader.errors import InputError
from tuireader.fetch.cache import Cache, Description, write_atomically
from tuireader.fetch.http import Client, Limits, site_base
from tuireader.fetch.sites import DISCOURSE, MASTODON, PUBLIC_INBOX, ThreadAddress, parse_address

DISCOURSE_BATCH = 20
"""Post ids per ``posts.json`` request: the chunk Discourse's own web client asks for."""
DISCOURSE_MAX_POSTS = 5000
"""At most this many posts are fetched beyond the first ones (250 requests): a bigger topic is cut, with a warning."""


@dataclass(frozen=True)
class Fetched:
    """What a fetch kept: the new copy, the copy before it (for "new since last visit"), and warnings."""

    path: Path
    previous: Path | None
    title: str
    posts: int
    warnings: list[str]


def fetch(
    text: str, *, output: Path | None = None, limits: Limits | None = None, environ: Mapping[str, str] = os.environ
) -> Fetched:
    """Fetch the thread at address *text* and save it in the cache, or at *output* when given.

    Raises :class:`InputError` for an address the reader does not know, any network or
    HTTP failure, and an answer that is not the site's thread format.
    """
    address = parse_address(text)
    client = Client(address, limits or Limits.from_environment(environ), site_base(environ))
    data, warnings = download(address, client)
    if output is not None:
        description = write_atomically(output, data, lambda path: describe(path, address))
        return Fetched(output, None, description.title, description.posts, warnings)
    cache = Cache.default(environ)
    saved = cache.save(address, data, lambda path: describe(path, address))
    copies = cache.copies(address.key)
    previous = copies[-2] if len(copies) > 1 else None
    return Fetched(saved.path, previous, saved.title, saved.posts, warnings)


def download(address: ThreadAddress, client: Client) -> tuple[bytes, list[str]]:
    """The thread's file as bytes, with warnings about what the site did not send."""
    if address.site is DISCOURSE and address.more_url is not None:
        return _discourse(address.fetch_url, address.more_url, client)
    if address.site is MASTODON and address.more_url is not None:
        status = _json_object(client.get(address.fetch_url), client.where, "status")
        context = _json_object(client.get(address.more_url), client.where, "context")
        return b'{"status":' + status + b',"context":' + context + b"}", []
    return client.get(address.fetch_url), []


def describe(path: Path, address: ThreadAddress) -> Description:
    """Open a fetched file as any thread file: its title and post count, or an error if it is not the site's."""
    from tuireader.formats import REGISTRY, open_source  # the parsers load only once something was fetched

    site = address.site
    try:
        parsed = open_source(path)
        thread = parsed.build() if parsed.source_format == site.format_name else None
    except InputError as error:
        raise InputError(address.address, f"the site did not send a {site.label} thread: {error.message}") from None
    if thread is None:
        label = next((fmt.label for fmt in REGISTRY if fmt.name == parsed.source_format), parsed.source_format)
        raise InputError(address.address, f"the site did not send a {site.label} thread (it reads as {label})")
    title = thread.title
    if site is PUBLIC_INBOX:  # an mbox is titled by its file name; one thread's is better told by its subject
        title = next((post.title for post in thread.posts if post.title), title)
    return Description(title, len(thread))


def _json_object(data: bytes, where: str, what: str) -> bytes:
    """*data* itself when it is a JSON object in UTF-8, so it can be embedded in another unchanged."""
    try:
        document = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):
        document = None
    if not isinstance(document, dict):
        raise InputError(where, f"the site's answer for the {what} is not a JSON object")
    return data.strip()


def _discourse(topic_url: str, posts_url: str, client: Client) -> tuple[bytes, list[str]]:
    data = client.get(topic_url)
    try:
        topic: Any = json.loads(data)
    except (ValueError, RecursionError):
        return data, []  # not JSON: the format check says what it is
    stream = topic.get("post_stream") if isinstance(topic, dict) else None
    posts = stream.get("posts") if isinstance(stream, dict) else None
    order = stream.get("stream") if isinstance(stream, dict) else None
    if not isinstance(posts, list) or not isinstance(order, list):
        return data, []
    loaded = {_post_id(post) for post in posts}
    missing = list(dict.fromkeys(i for i in order[len(posts) :] if type(i) is int and i not in loaded))
    if not missing:
        return data, []  # the whole topic came at once: kept byte for byte
    warnings = []
    if len(missing) > DISCOURSE_MAX_POSTS:
        warnings.append(f"only the first {len(posts) + DISCOURSE_MAX_POSTS:,} of {len(order):,} posts were fetched")
        missing = missing[:DISCOURSE_MAX_POSTS]
    fetched: dict[int, Any] = {}
    for batch in _batches(missing, DISCOURSE_BATCH):
        query = urlencode([("post_ids[]", str(post_id)) for post_id in batch])
        fetched.update(_discourse_posts(client.get(f"{posts_url}?{query}"), set(batch)))
    absent = len(missing) - len(fetched)
    if absent:
        warnings.append(f"the site did not send {absent:,} of the topic's {len(order):,} posts")
    posts.extend(fetched[post_id] for post_id in missing if post_id in fetched)
    # ASCII with escapes: a lone surrogate the server escaped stays as it came instead of failing to encode
    return json.dumps(topic, separators=(",", ":")).encode("ascii"), warnings


def _discourse_posts(data: bytes, wanted: set[int]) -> dict[int, Any]:
    """The posts a ``posts.json`` answer holds among those asked for, by id; other content is ignored."""
    try:
        answer = json.loads(data)
    except (ValueError, RecursionError):
        return {}
    stream = answer.get("post_stream") if isinstance(answer, dict) else None
    posts = stream.get("posts") if isinstance(stream, dict) else None
    if not isinstance(posts, list):
        return {}
    return {post["id"]: post for post in posts if _post_id(post) in wanted}


def _post_id(post: Any) -> int | None:
    """A Discourse post's id when it is an integer (hostile JSON may put anything there)."""
    post_id = post.get("id") if isinstance(post, dict) else None
    return post_id if type(post_id) is int else None


def _batches(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
