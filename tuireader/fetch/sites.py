"""Which site a thread's address belongs to, and what to ask that site for: pure functions, no network.

Reddit, Hacker News and Lobsters are recognised by their host. Discourse, Mastodon and
public-inbox run on any host, so the reader never asks a server what software it runs:
it decides by the shape of the path, trying these in order, the first that fits winning:

1. Mastodon: ``/@user/ID`` or ``/@user@server/ID``, or a path ending in ``/statuses/ID`` (ID all digits);
2. Discourse: ``/t/slug/ID`` or ``/t/ID``, maybe under a sub-folder (``/forum/t/…``) and maybe followed
   by a post number (``/t/slug/ID/7``); a slug is never all digits, so ``/t/12/7`` is topic 12, post 7;
3. public-inbox: ``/INBOX/MESSAGE-ID/``, maybe followed by a view (``T/``, ``t/``, ``raw``, ``t.mbox.gz``),
   where the message id holds an ``@`` (as every Message-ID does).

The shapes do not overlap: a Mastodon id is digits and never holds the ``@`` a message
id needs, and a Discourse address ends at its digits, where an archive's ends at a
message id. Anything else is refused with the list of sites the reader knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, unquote, urlsplit

from tuireader.errors import InputError

MAX_ADDRESS_LENGTH = 4000
"""Longer text is not a thread address (and would only make the path patterns work hard)."""
_SAFE_IN_SEGMENT = "!$&'()*+,;=:@-._~"
_VIEWS = frozenset({"T", "t", "raw", "t.mbox.gz", "t.atom"})
"""public-inbox's views of a message, which may follow its id in an address."""


@dataclass(frozen=True)
class Site:
    """A kind of site the reader can fetch threads from."""

    name: str
    """Short and stable: used in cache keys and file names (``reddit``)."""
    label: str
    """What a user calls it, for messages and ``tuireader saved``."""
    format_name: str
    """The :attr:`~tuireader.formats.base.Format.name` of the format that reads what this site sends."""
    example: str
    """An address of the kind the site has, for messages."""
    suffix: str
    """The saved file's ending (``.gz`` is added when the bytes are gzip)."""


REDDIT = Site("reddit", "Reddit", "reddit", "https://www.reddit.com/r/SUB/comments/ID/", ".json")
HACKER_NEWS = Site("hackernews", "Hacker News", "hackernews", "https://news.ycombinator.com/item?id=ID", ".json")
LOBSTERS = Site("lobsters", "Lobsters", "lobsters", "https://lobste.rs/s/ID", ".json")
DISCOURSE = Site("discourse", "Discourse forums", "discourse", "https://HOST/t/SLUG/ID", ".json")
MASTODON = Site("mastodon", "Mastodon", "mastodon", "https://HOST/@USER/ID", ".json")
PUBLIC_INBOX = Site(
    "public-inbox", "public-inbox mail archives", "mail", "https://lore.kernel.org/LIST/MESSAGE-ID/", ".mbox"
)
SITES = (REDDIT, HACKER_NEWS, LOBSTERS, DISCOURSE, MASTODON, PUBLIC_INBOX)

_REDDIT_DOMAINS = frozenset({"reddit.com", "redd.it"})
_REDDIT_API_HOST = "www.reddit.com"
_REDDIT_QUERY = "limit=500&raw_json=1"
"""As many comments as Reddit sends in one answer, with its text not HTML-escaped."""
_HN_HOST = "news.ycombinator.com"
_HN_API_HOST = "hn.algolia.com"
_LOBSTERS_HOST = "lobste.rs"

_REDDIT_PATH = re.compile(r"/(?:(?:r|u|user)/[A-Za-z0-9_-]+/)?comments/([A-Za-z0-9]+)(?:/.*)?", re.DOTALL)
_REDDIT_SHORT_PATH = re.compile(r"/([A-Za-z0-9]+)/?")
_LOBSTERS_PATH = re.compile(r"/s/([A-Za-z0-9]+)(?:\.json)?(?:/[^/]*)?/?")
_MASTODON_PATHS = (
    re.compile(r"/@[^/@]+(?:@[^/@]+)?/(\d+)/?"),
    re.compile(r"(?:/[^/]+)*?/statuses/(\d+)/?"),
)
_DISCOURSE_PATH = re.compile(r"((?:/[^/]+)*?)/t/(?:((?=[^/]*[^0-9/])[^/]+)/)?(\d+)(?:/\d+)?(?:\.json)?/?")


@dataclass(frozen=True)
class ThreadAddress:
    """A recognised thread: where it lives for people, and what to request from its site."""

    site: Site
    address: str
    """The thread's address as people open it, tidied (the same thread gives the same text)."""
    key: str
    """Names the thread across fetches: the site, the host where the site runs on many, and the thread's id."""
    fetch_url: str
    """The request that gets the thread (Discourse: the topic with its first posts; Mastodon: the status)."""
    hosts: frozenset[str]
    """The hosts requests and redirects may go to, each with its subdomains."""
    allow_http: bool
    """The user wrote ``http://``; otherwise every request, redirects too, stays on HTTPS."""
    more_url: str | None = None
    """Discourse: the ``posts.json`` endpoint for the posts beyond the first ones; Mastodon: the context."""

    def allows(self, host: str) -> bool:
        """True when a request or a redirect may go to *host*."""
        host = host.lower().rstrip(".")
        return any(host == allowed or host.endswith("." + allowed) for allowed in self.hosts)


@dataclass(frozen=True)
class _Url:
    text: str
    scheme: str
    host: str
    netloc: str
    path: str
    query: str

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.netloc}"


def is_address(text: str) -> bool:
    """True when *text*, given where a thread file may be named, is a web address to fetch instead."""
    return text[:8].lower().startswith(("http://", "https://"))


def known_sites() -> str:
    """The sites the reader can fetch from, each with an address of its kind, for messages."""
    return "; ".join(f"{site.label} ({site.example})" for site in SITES)


def parse_address(text: str) -> ThreadAddress:
    """The thread *text* is the address of; :class:`InputError` when it is not one the reader knows.

    An address without ``http://`` or ``https://`` is taken as HTTPS.
    """
    url = _split(text)
    host = url.host
    if host in _REDDIT_DOMAINS or host.endswith(".reddit.com"):
        return _reddit(url)
    if host == _HN_HOST:
        return _hacker_news(url)
    if host == _LOBSTERS_HOST:
        return _lobsters(url)
    found = _mastodon(url) or _discourse(url) or _public_inbox(url)
    if found is None:
        raise InputError(text, f"not a thread address this reader knows; it knows {known_sites()}")
    return found


def _split(text: str) -> _Url:
    """*text* as parts, the host in ASCII and lower case, each path segment percent-encoded once."""
    text = text.strip()
    if len(text) > MAX_ADDRESS_LENGTH:
        raise InputError(None, f"an address of {len(text):,} characters is not a thread address")
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:  # an unbalanced "[" or "]" in the host
        raise InputError(text, "not a valid address (its host is malformed)") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InputError(text, "only http:// and https:// addresses can be fetched")
    if parts.username is not None or parts.password is not None:
        raise InputError(text, "an address with a user name or password cannot be fetched")
    try:
        port = parts.port
        host = (parts.hostname or "").encode("idna").decode("ascii").rstrip(".")
    except (ValueError, UnicodeError):
        raise InputError(text, "not a valid address (its host or port is malformed)") from None
    if not host:
        raise InputError(text, "not a valid address (it names no host)")
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    path = "/".join(quote(unquote(segment), safe=_SAFE_IN_SEGMENT) for segment in parts.path.split("/"))
    return _Url(text, scheme, host, netloc, path, parts.query)


def _not_a_thread(url: _Url, site: Site) -> InputError:
    return InputError(url.text, f"not the address of a thread on {site.label}: one looks like {site.example}")


def _reddit(url: _Url) -> ThreadAddress:
    pattern = _REDDIT_SHORT_PATH if url.host == "redd.it" else _REDDIT_PATH
    match = pattern.fullmatch(url.path)
    if match is None:
        raise _not_a_thread(url, REDDIT)
    thread_id = match.group(1).lower()
    subreddit = re.match(r"/r/([^/]+)/", url.path)
    permalink = f"/r/{subreddit.group(1)}/comments/{thread_id}/" if subreddit else f"/comments/{thread_id}/"
    return ThreadAddress(
        site=REDDIT,
        address=f"{url.scheme}://{_REDDIT_API_HOST}{permalink}",
        key=f"reddit:{thread_id}",
        fetch_url=f"{url.scheme}://{_REDDIT_API_HOST}{permalink}.json?{_REDDIT_QUERY}",
        hosts=_REDDIT_DOMAINS,
        allow_http=url.scheme == "http",
    )


def _hacker_news(url: _Url) -> ThreadAddress:
    ids = parse_qs(url.query).get("id", [])
    if url.path != "/item" or len(ids) != 1 or not ids[0].isascii() or not ids[0].isdigit():
        raise _not_a_thread(url, HACKER_NEWS)
    item = str(int(ids[0]))
    return ThreadAddress(
        site=HACKER_NEWS,
        address=f"{url.scheme}://{_HN_HOST}/item?id={item}",
        key=f"hackernews:{item}",
        fetch_url=f"{url.scheme}://{_HN_API_HOST}/api/v1/items/{item}",
        hosts=frozenset({_HN_HOST, _HN_API_HOST}),
        allow_http=url.scheme == "http",
    )


def _lobsters(url: _Url) -> ThreadAddress:
    match = _LOBSTERS_PATH.fullmatch(url.path)
    if match is None:
        raise _not_a_thread(url, LOBSTERS)
    story = match.group(1).lower()
    return ThreadAddress(
        site=LOBSTERS,
        address=f"{url.origin}/s/{story}",
        key=f"lobsters:{story}",
        fetch_url=f"{url.origin}/s/{story}.json",
        hosts=frozenset({_LOBSTERS_HOST}),
        allow_http=url.scheme == "http",
    )


def _mastodon(url: _Url) -> ThreadAddress | None:
    for pattern in _MASTODON_PATHS:
        match = pattern.fullmatch(url.path)
        if match is not None:
            status = match.group(1)
            api = f"{url.origin}/api/v1/statuses/{status}"
            return ThreadAddress(
                site=MASTODON,
                address=url.origin + url.path,
                key=f"mastodon:{url.netloc}:{status}",
                fetch_url=api,
                more_url=f"{api}/context",
                hosts=frozenset({url.host}),
                allow_http=url.scheme == "http",
            )
    return None


def _discourse(url: _Url) -> ThreadAddress | None:
    match = _DISCOURSE_PATH.fullmatch(url.path)
    if match is None:
        return None
    folder, slug, topic = match.groups()
    topic = str(int(topic))
    base = f"{url.origin}{folder}/t"
    return ThreadAddress(
        site=DISCOURSE,
        address=f"{base}/{slug}/{topic}" if slug else f"{base}/{topic}",
        key=f"discourse:{url.netloc}{folder}:{topic}",
        fetch_url=f"{base}/{topic}.json",
        more_url=f"{base}/{topic}/posts.json",
        hosts=frozenset({url.host}),
        allow_http=url.scheme == "http",
    )


def _public_inbox(url: _Url) -> ThreadAddress | None:
    segments = [segment for segment in url.path.split("/") if segment]
    if segments and segments[-1] in _VIEWS:
        segments.pop()
    if len(segments) < 2 or "@" not in unquote(segments[-1]):
        return None
    inbox = "/" + "/".join(segments[:-1])
    message = segments[-1]
    return ThreadAddress(
        site=PUBLIC_INBOX,
        address=f"{url.origin}{inbox}/{message}/",
        key=f"public-inbox:{url.netloc}{inbox}:{unquote(message)}",
        fetch_url=f"{url.origin}{inbox}/{message}/t.mbox.gz",
        hosts=frozenset({url.host}),
        allow_http=url.scheme == "http",
    )
