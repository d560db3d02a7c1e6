"""Getting a thread's bytes over HTTP(S) the way a careful, polite reader should.

Every request has a connect timeout (also the longest wait for the next bytes) and a
total timeout: a watchdog shuts the socket down when the total runs out, which wakes
a read blocked on a server that trickles bytes. The answer is cut off past a size
limit (counted after gzip is undone, so a small bomb cannot fill memory). Redirects
are followed by hand, only to the thread's own site (or its API host) and never from
HTTPS down to HTTP unless the user wrote ``http://``. Everything that can go wrong,
from DNS to a 429, ends as one :class:`~tuireader.errors.InputError` line.

``TUIREADER_SITE_BASE=http://127.0.0.1:PORT`` sends every request there instead, with
its path and query kept: a testing aid (docs/fetch.md). Redirect checks still see
the site's own addresses, so tests exercise the same rules as real fetches.
"""

from __future__ import annotations

import contextlib
import email.utils
import errno
import http.client
import math
import os
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import Message
from typing import Any
from urllib.parse import urljoin, urlsplit

import tuireader
from tuireader.errors import InputError
from tuireader.fetch.sites import ThreadAddress

SITE_BASE_VARIABLE = "TUIREADER_SITE_BASE"
TIMEOUT_VARIABLE = "TUIREADER_FETCH_TIMEOUT"
CONNECT_TIMEOUT = 10.0
TOTAL_TIMEOUT = 60.0
MAX_BYTES = 128 << 20
"""Far above the biggest real thread (a 10,000-comment Reddit thread is about 20 MB of JSON)."""
MAX_REDIRECTS = 5
SHORT_RETRY = 3.0
"""A ``Retry-After`` this short (seconds) is waited out, once; a longer one ends the fetch with a message."""
_CHUNK = 1 << 16
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_HEADERS = {
    "Accept": "application/json, application/mbox;q=0.9, */*;q=0.8",
    "Accept-Encoding": "gzip",
}

SocketWatch = Callable[[socket.socket], None]


@dataclass(frozen=True)
class Limits:
    """How long a request may take and how big its answer may be."""

    connect_timeout: float = CONNECT_TIMEOUT
    """Seconds to connect, and the longest wait for the next bytes of an answer."""
    total_timeout: float = TOTAL_TIMEOUT
    """Seconds for one request, redirects included, from connecting to the last byte."""
    max_bytes: int = MAX_BYTES
    """The most bytes one answer may hold, after gzip is undone."""

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> Limits:
        """The defaults; ``TUIREADER_FETCH_TIMEOUT`` (seconds), when set, is the total timeout and caps the other."""
        value = environ.get(TIMEOUT_VARIABLE, "").strip()
        if not value:
            return cls()
        try:
            seconds = float(value)
        except ValueError:
            seconds = math.nan
        if not 0 < seconds < math.inf:
            raise InputError(TIMEOUT_VARIABLE, f"not a number of seconds above 0: {value!r}")
        return cls(connect_timeout=min(CONNECT_TIMEOUT, seconds), total_timeout=seconds)


def site_base(environ: Mapping[str, str] = os.environ) -> str | None:
    """Where ``TUIREADER_SITE_BASE`` sends every request (without a trailing slash), or None when it is unset."""
    value = environ.get(SITE_BASE_VARIABLE, "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise InputError(SITE_BASE_VARIABLE, f"not an address like http://127.0.0.1:8080: {value!r}")
    return value.rstrip("/")


def user_agent() -> str:
    """Names the reader and its version, as sites ask of programs that read them."""
    return f"tuireader/{tuireader.__version__} (terminal reader for discussion threads)"


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (it holds seconds or an HTTP date); None when unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value) if len(value) < 12 else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def in_words(seconds: float) -> str:
    """A wait as people say it: ``45 seconds``, ``3 minutes``, ``2 hours``."""
    whole = max(1, round(seconds))
    if whole < 90:
        return f"{whole} second{'s' * (whole != 1)}"
    minutes = round(whole / 60)
    if minutes < 90:
        return f"{minutes} minutes"
    hours = round(minutes / 60)
    return f"{hours} hours"


class _Deadline:
    """Ends a request at its total timeout wherever it waits: shutting a socket down wakes a blocked read."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exception: object) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        """Shut *sock* down when the time runs out (at once if it already has)."""
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    # The plain socket's shutdown: an SSL socket's own would tear its state down under the reading thread.
    # An OSError means the socket is closed already, so nothing waits on it.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _HTTPConnection(http.client.HTTPConnection):
    watch: SocketWatch

    def connect(self) -> None:
        super().connect()
        self.watch(self.sock)


class _HTTPSConnection(http.client.HTTPSConnection):
    watch: SocketWatch

    def connect(self) -> None:
        super().connect()
        self.watch(self.sock)


class _HTTPHandler(urllib.request.HTTPHandler):
    """Plain HTTP whose sockets the current request's deadline can shut down."""

    def __init__(self, watch: SocketWatch) -> None:
        super().__init__()
        self._watch = watch

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._connection, req)

    def _connection(self, host: str, **options: Any) -> _HTTPConnection:
        connection = _HTTPConnection(host, **options)
        connection.watch = self._watch
        return connection


class _HTTPSHandler(urllib.request.HTTPSHandler):
    """HTTPS (certificates and host names checked, as by default) with the same watched sockets."""

    def __init__(self, watch: SocketWatch) -> None:
        super().__init__()
        self._watch = watch
        self._tls = ssl.create_default_context()

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._connection, req)

    def _connection(self, host: str, **options: Any) -> _HTTPSConnection:
        connection = _HTTPSConnection(host, context=self._tls, **options)
        connection.watch = self._watch
        return connection


class Client:
    """Requests for one thread: each redirect is checked against the thread's site and the scheme it allows.

    Each fetch makes its own client; one client is not for several threads at once.
    """

    def __init__(self, address: ThreadAddress, limits: Limits | None = None, base: str | None = None) -> None:
        self.address = address
        self.limits = limits or Limits()
        self.base = base
        self.where = address.address
        """What every error names: the thread's address, whichever request failed."""
        self._deadline = _Deadline(self.limits.total_timeout)  # never started: each request runs its own
        self._opener = urllib.request.OpenerDirector()
        if base is None:  # the testing aid talks to its server directly, never through a proxy
            self._opener.add_handler(urllib.request.ProxyHandler())
        self._opener.add_handler(_HTTPHandler(self._watch))
        self._opener.add_handler(_HTTPSHandler(self._watch))

    def get(self, url: str) -> bytes:
        """The body at *url*, an address on the thread's site, after the redirects the rules allow."""
        redirects = 0
        retried = False
        with _Deadline(self.limits.total_timeout) as deadline:
            self._deadline = deadline
            while True:
                with self._open(url) as response:
                    status = response.status
                    if 200 <= status < 300:
                        return self._body(response)
                    if status in _REDIRECTS and redirects < MAX_REDIRECTS:
                        url = self._redirect(url, response.headers.get("Location"), status)
                        redirects += 1
                        continue
                    wait = retry_after(response.headers.get("Retry-After")) if status == 429 else None
                    if retried or wait is None or wait > SHORT_RETRY:
                        raise self._refused(status, wait)
                retried = True  # a short Retry-After is waited out once; the next 429 ends the fetch
                time.sleep(wait)

    def _watch(self, sock: socket.socket) -> None:
        self._deadline.watch(sock)

    def _open(self, url: str) -> http.client.HTTPResponse:
        wire = self._wire(url)
        request = urllib.request.Request(wire, headers={**_HEADERS, "User-Agent": user_agent()})
        try:
            response: http.client.HTTPResponse = self._opener.open(request, timeout=self.limits.connect_timeout)
        except urllib.error.URLError as error:
            reason = error.reason if isinstance(error.reason, BaseException) else error
            raise self._failed(reason, wire) from None
        except (OSError, http.client.HTTPException, ValueError) as error:
            raise self._failed(error, wire) from None
        return response

    def _wire(self, url: str) -> str:
        """Where a request for *url* really goes: the testing aid's server, with path and query kept."""
        if self.base is None:
            return url
        parts = urlsplit(url)
        return self.base + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def _redirect(self, current: str, location: str | None, status: int) -> str:
        if not location:
            raise InputError(self.where, f"the site redirected (HTTP {status}) without saying where to")
        try:
            target = urljoin(current, location.strip())
            parts = urlsplit(target)
            if self.base is not None and parts.netloc == urlsplit(self.base).netloc:
                # the testing aid's server names itself: the redirect stays on the host asked
                target = urljoin(current, parts.path + (f"?{parts.query}" if parts.query else ""))
                parts = urlsplit(target)
            host = parts.hostname or ""
        except ValueError:
            raise InputError(self.where, "the site redirected to a malformed address") from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise InputError(self.where, f"the site redirected to a {scheme or 'schemeless'} address; not followed")
        if not self.address.allows(host):
            allowed = ", ".join(sorted(self.address.hosts))
            raise InputError(self.where, f"the site redirected to another host, {host}; not followed (only {allowed})")
        if scheme == "http" and not self.address.allow_http:
            refusal = f"the site redirected to plain http://{host}; not followed (give an http:// address to allow it)"
            raise InputError(self.where, refusal)
        return target

    def _refused(self, status: int, wait: float | None) -> InputError:
        if status == 404:
            message = "not found (HTTP 404): the thread was deleted, or the address is wrong"
        elif status == 410:
            message = "gone (HTTP 410): the thread was deleted"
        elif status in (401, 403):
            message = f"the site wants a login, or refuses this reader (HTTP {status}): only public threads can be read"
        elif status == 429:
            when = f"try again in {in_words(wait)}" if wait is not None else "try again later"
            message = f"the site is limiting requests (HTTP 429): {when}"
        elif status == 451:
            message = "unavailable for legal reasons (HTTP 451)"
        elif status in _REDIRECTS:
            message = f"more than {MAX_REDIRECTS} redirects; not followed further"
        elif status >= 500:
            message = f"the site failed (HTTP {status}); try again later"
        else:
            message = f"the site answered HTTP {status}"
        return InputError(self.where, message)

    def _failed(self, error: BaseException, wire: str) -> InputError:
        """One line for a failure below HTTP: the total timeout, DNS, TLS, the network, a broken connection."""
        host = urlsplit(wire).netloc
        if self._deadline.expired:
            message = f"gave up after {self.limits.total_timeout:g} s: {host} was too slow to send the thread"
        elif isinstance(error, socket.gaierror):
            if error.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)):
                message = f"no such host: {host} (check the address)"
            else:
                message = f"cannot look up {host} ({error.strerror}): is the network up?"
        elif isinstance(error, ssl.SSLCertVerificationError):
            message = f"the TLS certificate of {host} is not valid ({error.verify_message})"
        elif isinstance(error, ssl.SSLError):
            message = f"TLS with {host} failed ({error.reason or error})"
        elif isinstance(error, TimeoutError):
            message = f"{host} did not answer within {self.limits.connect_timeout:g} s"
        elif isinstance(error, ConnectionRefusedError):
            message = f"{host} refused the connection"
        elif isinstance(error, (ConnectionError, http.client.HTTPException)):
            message = f"{host} broke off the connection or sent a malformed answer"
        elif isinstance(error, OSError) and error.errno in (errno.ENETUNREACH, errno.ENETDOWN, errno.EHOSTUNREACH):
            message = f"no network: {host} cannot be reached"
        elif isinstance(error, OSError):
            message = f"cannot reach {host}: {error.strerror or error}"
        else:
            message = f"cannot fetch from {host}: {error}"
        return InputError(self.where, message)

    def _body(self, response: http.client.HTTPResponse) -> bytes:
        headers = response.headers
        declared = _content_length(headers)
        if declared is not None and declared > self.limits.max_bytes:
            raise self._too_big()
        encoding = (headers.get("Content-Encoding") or "identity").strip().lower()
        if encoding not in ("identity", "gzip", "x-gzip"):
            raise InputError(self.where, f"the site sent its answer in an encoding not asked for ({encoding})")
        body = _Body(self.limits.max_bytes, gzip=encoding != "identity")
        received = 0
        try:
            while chunk := response.read1(_CHUNK):
                received += len(chunk)
                if not body.feed(chunk):
                    raise self._too_big()
            if self._deadline.expired:  # the watchdog's shutdown looks like the end of the answer
                raise self._failed(TimeoutError(), response.geturl())
            if declared is not None and received < declared:
                raise InputError(self.where, f"the connection broke off after {received:,} of {declared:,} bytes")
            return body.finish()
        except (OSError, http.client.HTTPException) as error:
            raise self._failed(error, response.geturl()) from None
        except (zlib.error, EOFError):
            raise InputError(self.where, "the site's gzip-compressed answer is broken") from None

    def _too_big(self) -> InputError:
        return InputError(
            self.where, f"the answer is bigger than {self.limits.max_bytes >> 20} MiB; stopped (is it really a thread?)"
        )


def _content_length(headers: Message) -> int | None:
    value = (headers.get("Content-Length") or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


class _Body:
    """The bytes of an answer as they arrive, gzip undone, never holding more than the limit."""

    def __init__(self, limit: int, *, gzip: bool) -> None:
        self._limit = limit
        self._size = 0
        self._parts: list[bytes] = []
        self._gzip = zlib.decompressobj(wbits=31) if gzip else None

    def feed(self, chunk: bytes) -> bool:
        """Add *chunk*; False once the answer is over the limit."""
        if self._gzip is None:
            return self._add(chunk)
        while True:
            if self._gzip.eof and (self._gzip.unused_data or chunk):  # another gzip member follows
                chunk = self._gzip.unused_data + chunk
                self._gzip = zlib.decompressobj(wbits=31)
            if not chunk:
                return True
            if not self._add(self._gzip.decompress(chunk, self._limit - self._size + 1)):
                return False
            chunk = self._gzip.unconsumed_tail

    def _add(self, data: bytes) -> bool:
        self._size += len(data)
        self._parts.append(data)
        return self._size <= self._limit

    def finish(self) -> bytes:
        """The whole answer; :class:`EOFError` when gzip data stops short."""
        if self._gzip is not None and not self._gzip.eof:
            raise EOFError("gzip data ended early")
        return b"".join(self._parts)
