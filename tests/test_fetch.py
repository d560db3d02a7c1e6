"""Fetching threads by address from a real HTTP server on 127.0.0.1 that plays every site.

The server serves the shared fixture files under each site's paths and is reached
through ``TUIREADER_SITE_BASE``; a guard fails any test that looks up another host,
so nothing here touches the real network.
"""

from __future__ import annotations

import gzip
import json
import mailbox
import re
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from helpers import run_cli, shared_file

import tuireader
from tuireader.cli import main
from tuireader.errors import InputError
from tuireader.fetch import download
from tuireader.fetch.cache import CACHE_DIR_VARIABLE, Cache
from tuireader.fetch.commands import saved_command, saved_table
from tuireader.fetch.download import Fetched, fetch
from tuireader.fetch.http import SITE_BASE_VARIABLE, TIMEOUT_VARIABLE, Limits, retry_after, site_base
from tuireader.formats import load
from tuireader.formats.mail import PLACEHOLDER_NOTE

QUICK = Limits(connect_timeout=2.0, total_timeout=5.0)
"""Short enough that a test waiting on a bug fails in seconds, long enough for a loaded 2-core machine."""

HN_ITEM = "18475438"
HN_ADDRESS = f"https://news.ycombinator.com/item?id={HN_ITEM}"
HN_PATH = f"/api/v1/items/{HN_ITEM}"
REDDIT_ADDRESS = "https://www.reddit.com/r/Python/comments/2xmo63/a_python_terminal_viewer/"
REDDIT_PATH = "/r/Python/comments/2xmo63/.json"
MASTODON_STATUS = "109294719267373593"
MASTODON_ADDRESS = f"https://mastodon.social/@austinkocher/{MASTODON_STATUS}"


def fixture_bytes(folder: str, name: str) -> bytes:
    return shared_file("fixtures", folder, name).read_bytes()


def hn_bytes() -> bytes:
    return fixture_bytes("hackernews-algolia", "js-react-hn_algolia_item_18475438_failed_pentest.json")


# The server -----------------------------------------------------------------

Route = Callable[["_Handler"], None]


@dataclass
class Hit:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


class FakeSite:
    """Every site at once: tests map paths to answers and read back what was asked."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.fake = self  # type: ignore[attr-defined]
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.01,), daemon=True)
        self._thread.start()

    def serve(self, path: str, body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> None:
        self.routes[path] = lambda handler: handler.answer(body, status, headers)

    def paths(self) -> list[str]:
        return [hit.path for hit in self.hits]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        fake: FakeSite = self.server.fake  # type: ignore[attr-defined]
        fake.hits.append(Hit(path, parse_qs(query), dict(self.headers)))
        route = fake.routes.get(path)
        if route is None:
            self.answer(b"no such page", 404)
        else:
            route(self)

    def answer(self, body: bytes, status: int = 200, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        headers = {"Content-Length": str(len(body)), **(headers or {})}
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read the hits instead."""


@pytest.fixture(autouse=True)
def no_real_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail any test that looks up a host other than the local server's."""
    looked_up: list[str] = []
    real = socket.getaddrinfo

    def local_only(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in ("127.0.0.1", "localhost"):
            looked_up.append(str(host))
            raise socket.gaierror(socket.EAI_NONAME, "the tests use no real network")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local_only)
    yield
    assert not looked_up, f"a test tried the real network: {looked_up}"


@pytest.fixture
def site() -> Iterator[FakeSite]:
    fake = FakeSite()
    yield fake
    fake.close()


@pytest.fixture
def env(site: FakeSite, tmp_path: Path) -> dict[str, str]:
    return {SITE_BASE_VARIABLE: site.base, CACHE_DIR_VARIABLE: str(tmp_path / "cache")}


def get(text: str, env: dict[str, str], limits: Limits = QUICK, output: Path | None = None) -> Fetched:
    return fetch(text, environ=env, limits=limits, output=output)


def refusal(text: str, env: dict[str, str], limits: Limits = QUICK) -> str:
    """The one line a failed fetch gives."""
    with pytest.raises(InputError) as caught:
        get(text, env, limits)
    line = caught.value.describe()
    assert "\n" not in line
    return line


# Each site, end to end --------------------------------------------------------


def count_reddit_comments(listing: Any) -> int:
    children = listing["data"]["children"] if isinstance(listing, dict) else []
    return sum(
        1 + count_reddit_comments(child["data"].get("replies")) for child in children if child.get("kind") == "t1"
    )


def count_children(item: dict[str, Any]) -> int:
    return sum(1 + count_children(child) for child in item.get("children") or [])


def test_reddit_thread_is_fetched_as_json_and_kept_unchanged(site: FakeSite, env: dict[str, str]) -> None:
    raw = fixture_bytes("reddit", "rtv_python_2xmo63.json")
    site.serve(REDDIT_PATH, raw)
    fetched = get(REDDIT_ADDRESS, env)
    assert fetched.path.read_bytes() == raw
    post, comments = json.loads(raw)
    assert fetched.posts == 1 + count_reddit_comments(comments)
    assert fetched.title == post["data"]["children"][0]["data"]["title"]
    assert fetched.previous is None
    [hit] = site.hits
    assert hit.query["raw_json"] == ["1"]
    assert hit.headers["User-Agent"].startswith(f"tuireader/{tuireader.__version__} ")
    assert "gzip" in hit.headers["Accept-Encoding"]


def test_hacker_news_item_comes_from_the_algolia_api(site: FakeSite, env: dict[str, str]) -> None:
    site.serve(HN_PATH, hn_bytes())
    fetched = get(HN_ADDRESS, env)
    assert fetched.path.read_bytes() == hn_bytes()
    assert fetched.posts == 1 + count_children(json.loads(hn_bytes()))
    assert site.paths() == [HN_PATH]


def test_lobsters_story_json(site: FakeSite, env: dict[str, str]) -> None:
    raw = fixture_bytes("lobsters", "claw_story_tdfoqh_2025_depth_parent_comment.json")
    site.serve("/s/tdfoqh.json", raw)
    fetched = get("https://lobste.rs/s/tdfoqh/some_title", env)
    assert fetched.path.read_bytes() == raw
    assert fetched.posts == 1 + len(json.loads(raw)["comments"])


def serve_mastodon(site: FakeSite, context: str) -> tuple[bytes, bytes]:
    status = fixture_bytes("mastodon", f"rtoot_mastodon.social_{MASTODON_STATUS}_status_2022-11-08.json")
    replies = fixture_bytes("mastodon", f"rtoot_mastodon.social_{MASTODON_STATUS}_context_{context}.json")
    site.serve(f"/api/v1/statuses/{MASTODON_STATUS}", status)
    site.serve(f"/api/v1/statuses/{MASTODON_STATUS}/context", replies)
    return status, replies


def mastodon_posts(context: bytes) -> int:
    document = json.loads(context)
    return 1 + len(document["ancestors"]) + len(document["descendants"])


def test_mastodon_status_and_context_are_saved_together_byte_for_byte(site: FakeSite, env: dict[str, str]) -> None:
    status, context = serve_mastodon(site, "2022-11-08")
    fetched = get(MASTODON_ADDRESS, env)
    saved = fetched.path.read_bytes()
    assert json.loads(saved) == {"status": json.loads(status), "context": json.loads(context)}
    assert status in saved and context in saved  # the server's own escapes (\u003c) are kept
    assert fetched.posts == mastodon_posts(context)


def made_up_post(post_id: int, number: int, parent: int) -> dict[str, Any]:
    return {
        "id": post_id,
        "post_number": number,
        "reply_to_post_number": parent,
        "username": f"late_poster_{number}",
        "cooked": f"<p>A reply that came after the first page, number {number}.</p>",
        "created_at": "2016-03-01T10:00:00.000Z",
        "post_type": 1,
    }


def test_discourse_fetches_every_post_of_the_stream(site: FakeSite, env: dict[str, str]) -> None:
    raw = fixture_bytes("discourse", "perceval_topic_1148_ublock_origin.json")
    topic = json.loads(raw)
    loaded, stream = topic["post_stream"]["posts"], topic["post_stream"]["stream"]
    missing = stream[len(loaded) :]
    assert missing, "the fixture sends only the first posts of its topic"
    last_number = max(post["post_number"] for post in loaded)
    extra = [made_up_post(post_id, last_number + n, last_number) for n, post_id in enumerate(missing, 1)]
    site.serve("/t/1148.json", raw)

    def posts_json(handler: _Handler) -> None:
        asked = {int(value) for value in parse_qs(handler.path.partition("?")[2])["post_ids[]"]}
        answer = {"id": 1148, "post_stream": {"posts": [post for post in extra if post["id"] in asked]}}
        handler.answer(json.dumps(answer).encode())

    site.routes["/t/1148/posts.json"] = posts_json
    fetched = get("https://forum.example.org/t/support-ublock-origin/1148/5", env)

    assert site.paths()[0] == "/t/1148.json"
    asked = [int(value) for hit in site.hits[1:] for value in hit.query["post_ids[]"]]
    assert asked == missing
    assert fetched.posts == len(stream)
    thread = load(fetched.path)
    authors = [post.author for post in thread.posts]
    assert [f"late_poster_{post['post_number']}" for post in extra] == [a for a in authors if a.startswith("late_")]
    assert json.loads(fetched.path.read_bytes())["title"] == topic["title"]


def test_discourse_topic_sent_whole_is_kept_byte_for_byte(site: FakeSite, env: dict[str, str]) -> None:
    topic = json.loads(fixture_bytes("discourse", "perceval_topic_1148_ublock_origin.json"))
    topic["post_stream"]["stream"] = [post["id"] for post in topic["post_stream"]["posts"]]
    raw = json.dumps(topic, indent=2).encode()
    site.serve("/t/1148.json", raw)
    fetched = get("https://forum.example.org/t/1148", env)
    assert fetched.path.read_bytes() == raw
    assert site.paths() == ["/t/1148.json"]


def test_discourse_posts_the_site_does_not_send_are_a_warning(site: FakeSite, env: dict[str, str]) -> None:
    raw = fixture_bytes("discourse", "perceval_topic_1148_ublock_origin.json")
    topic = json.loads(raw)
    site.serve("/t/1148.json", raw)
    site.serve("/t/1148/posts.json", b'{"post_stream": {"posts": []}}')
    fetched = get("https://forum.example.org/t/1148", env)
    absent = len(topic["post_stream"]["stream"]) - len(topic["post_stream"]["posts"])
    assert fetched.warnings == [f"the site did not send {absent} of the topic's 22 posts"]
    assert fetched.posts == len(topic["post_stream"]["posts"])


def test_discourse_topic_past_the_post_cap_is_cut_with_a_warning(
    site: FakeSite, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(download, "DISCOURSE_MAX_POSTS", 1)
    raw = fixture_bytes("discourse", "perceval_topic_1148_ublock_origin.json")
    topic = json.loads(raw)
    loaded, stream = topic["post_stream"]["posts"], topic["post_stream"]["stream"]
    site.serve("/t/1148.json", raw)
    site.serve("/t/1148/posts.json", json.dumps({"post_stream": {"posts": [made_up_post(stream[-2], 99, 1)]}}).encode())
    fetched = get("https://forum.example.org/t/1148", env)
    assert fetched.warnings == [f"only the first {len(loaded) + 1} of {len(stream)} posts were fetched"]
    assert fetched.posts == len(loaded) + 1


@pytest.mark.parametrize(
    "stream",
    [
        [1, 2, "3", True, None, [4], {"5": 5}, 10**30, -1],
        "not a list",
        [],
    ],
)
def test_discourse_hostile_stream_is_read_or_one_line(site: FakeSite, env: dict[str, str], stream: Any) -> None:
    topic = json.loads(fixture_bytes("discourse", "perceval_topic_1148_ublock_origin.json"))
    topic["post_stream"]["stream"] = stream
    topic["post_stream"]["posts"][:0] = [None, [1], {"id": [2]}, {"id": True}]
    site.serve("/t/1148.json", json.dumps(topic).encode())
    site.serve("/t/1148/posts.json", b'{"post_stream": {"posts": [{"id": {"x": 1}}, 7, {"id": -1}]}}')
    try:
        fetched = get("https://forum.example.org/t/1148", env)
    except InputError as error:
        assert "\n" not in error.describe()
    else:
        assert fetched.posts >= len(topic["post_stream"]["posts"]) - 4


def test_public_inbox_thread_mbox(site: FakeSite, env: dict[str, str]) -> None:
    mbox = shared_file("fixtures", "mail", "derived_notmuch_default_all.mbox")
    raw = gzip.compress(mbox.read_bytes())
    path = "/notmuch/msg-id@example.org/t.mbox.gz"
    site.serve(path, raw, headers={"Content-Type": "application/gzip"})
    fetched = get("https://lore.example.org/notmuch/msg-id@example.org/T/#u", env)
    assert fetched.path.name.endswith(".mbox.gz")
    assert fetched.path.read_bytes() == raw
    messages = list(mailbox.mbox(str(mbox)))
    thread = load(fetched.path)
    assert fetched.posts == len(thread)
    assert len([post for post in thread.posts if post.note != PLACEHOLDER_NOTE]) == len(messages)
    assert fetched.title == thread.posts[0].title != ""  # the subject, not the archive's file name


# HTTP: encoding, size, redirects, time --------------------------------------


def test_gzip_content_encoding_is_undone(site: FakeSite, env: dict[str, str]) -> None:
    site.serve(HN_PATH, gzip.compress(hn_bytes()), headers={"Content-Encoding": "gzip"})
    assert get(HN_ADDRESS, env).path.read_bytes() == hn_bytes()


def test_broken_gzip_is_one_line(site: FakeSite, env: dict[str, str]) -> None:
    site.serve(HN_PATH, gzip.compress(hn_bytes())[:-40], headers={"Content-Encoding": "gzip"})
    assert "gzip-compressed answer is broken" in refusal(HN_ADDRESS, env)


def test_an_endless_answer_is_cut_off_at_the_size_limit(site: FakeSite, env: dict[str, str]) -> None:
    def endless(handler: _Handler) -> None:
        handler.send_response(200)
        handler.end_headers()
        with pytest.raises(OSError):  # the reader hangs up
            while True:
                handler.wfile.write(b"[" * 65536)

    site.routes[HN_PATH] = endless
    start = time.monotonic()
    line = refusal(HN_ADDRESS, env, Limits(connect_timeout=2, total_timeout=10, max_bytes=1 << 20))
    assert "bigger than 1 MiB; stopped" in line
    assert time.monotonic() - start < 5


def test_a_declared_size_over_the_limit_is_refused_unread(site: FakeSite, env: dict[str, str]) -> None:
    site.serve(HN_PATH, b"{}", headers={"Content-Length": str(10**12)})
    assert "bigger than 1 MiB" in refusal(HN_ADDRESS, env, Limits(max_bytes=1 << 20))


def test_a_gzip_bomb_is_cut_off_at_the_size_limit(site: FakeSite, env: dict[str, str]) -> None:
    site.serve(HN_PATH, gzip.compress(b"\0" * (4 << 20)), headers={"Content-Encoding": "gzip"})
    assert "bigger than 1 MiB" in refusal(HN_ADDRESS, env, Limits(max_bytes=1 << 20))


def test_a_redirect_on_the_same_site_is_followed(site: FakeSite, env: dict[str, str]) -> None:
    raw = fixture_bytes("reddit", "rtv_python_2xmo63.json")
    site.serve("/comments/2xmo63/.json", b"", 301, {"Location": f"https://old.reddit.com{REDDIT_PATH}?raw_json=1"})
    site.serve(REDDIT_PATH, b"", 302, {"Location": f"{site.base}/final.json"})  # the server naming itself
    site.serve("/final.json", raw)
    assert get("https://redd.it/2xmo63", env).path.read_bytes() == raw
    assert site.paths() == ["/comments/2xmo63/.json", REDDIT_PATH, "/final.json"]


def test_a_redirect_to_another_host_is_refused(site: FakeSite, env: dict[str, str]) -> None:
    site.serve(HN_PATH, b"", 302, {"Location": "https://tracker.example/collect?id=1"})
    line = refusal(HN_ADDRESS, env)
    assert "redirected to another host, tracker.example; not followed" in line
    assert site.paths() == [HN_PATH]


def test_a_redirect_down_to_plain_http_is_refused(site: FakeSite, env: dict[str, str]) -> None:
    site.serve(HN_PATH, b"", 301, {"Location": f"http://hn.algolia.com{HN_PATH}"})
    assert "redirected to plain http://hn.algolia.com; not followed" in refusal(HN_ADDRESS, env)


def test_a_redirect_loop_ends(site: FakeSite, env: dict[str, str]) -> None:
    site.serve(HN_PATH, b"", 302, {"Location": HN_PATH})
    assert "more than 5 redirects" in refusal(HN_ADDRESS, env)
    assert len(site.hits) == 6


def test_a_server_that_trickles_is_cut_off_by_the_total_timeout(site: FakeSite, env: dict[str, str]) -> None:
    def trickle(handler: _Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        try:
            for _ in range(200):
                handler.wfile.write(b" ")
                handler.wfile.flush()
                time.sleep(0.02)
        except OSError:
            pass  # the reader gave up, as it should

    site.routes[HN_PATH] = trickle
    start = time.monotonic()
    line = refusal(HN_ADDRESS, env, Limits(connect_timeout=1.0, total_timeout=0.4))
    assert "gave up after 0.4 s" in line and "too slow" in line
    assert time.monotonic() - start < 1.5


def test_a_server_that_never_answers_times_out(site: FakeSite, env: dict[str, str]) -> None:
    site.routes[HN_PATH] = lambda handler: time.sleep(3)
    start = time.monotonic()
    line = refusal(HN_ADDRESS, env, Limits(connect_timeout=0.3, total_timeout=5))
    assert "did not answer within 0.3 s" in line
    assert time.monotonic() - start < 2


def test_the_timeout_variable_caps_both_timeouts() -> None:
    assert Limits.from_environment({TIMEOUT_VARIABLE: "0.5"}) == Limits(connect_timeout=0.5, total_timeout=0.5)
    assert Limits.from_environment({}) == Limits()
    for bad in ("soon", "0", "-1", "inf", "nan"):
        with pytest.raises(InputError, match=TIMEOUT_VARIABLE):
            Limits.from_environment({TIMEOUT_VARIABLE: bad})


# HTTP: the site's answers ---------------------------------------------------


def test_rate_limit_with_a_long_retry_after_says_when_and_asks_once(site: FakeSite, env: dict[str, str]) -> None:
    site.serve(HN_PATH, b"slow down", 429, {"Retry-After": "120"})
    assert "limiting requests (HTTP 429): try again in 2 minutes" in refusal(HN_ADDRESS, env)
    assert len(site.hits) == 1


def test_rate_limit_with_a_short_retry_after_is_waited_out_once(site: FakeSite, env: dict[str, str]) -> None:
    answers = iter([(b"", 429, {"Retry-After": "0"}), (hn_bytes(), 200, {})])
    site.routes[HN_PATH] = lambda handler: handler.answer(*next(answers))
    assert get(HN_ADDRESS, env).path.read_bytes() == hn_bytes()
    assert len(site.hits) == 2


def test_rate_limit_after_the_one_retry_ends_the_fetch(site: FakeSite, env: dict[str, str]) -> None:
    site.serve(HN_PATH, b"", 429, {"Retry-After": "0"})
    assert "HTTP 429" in refusal(HN_ADDRESS, env)
    assert len(site.hits) == 2


def test_retry_after_as_seconds_or_a_date() -> None:
    now = datetime(2015, 10, 21, 7, 27, tzinfo=timezone.utc)
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now) == 60
    assert retry_after("30") == 30
    assert retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now) == 0
    assert retry_after("whenever") is None and retry_after(None) is None and retry_after("9" * 5000) is None


@pytest.mark.parametrize(
    ("status", "fragment"),
    [
        (404, "not found (HTTP 404)"),
        (410, "gone (HTTP 410): the thread was deleted"),
        (401, "wants a login"),
        (403, "wants a login, or refuses this reader (HTTP 403)"),
        (451, "legal reasons"),
        (503, "failed (HTTP 503); try again later"),
        (418, "answered HTTP 418"),
    ],
)
def test_http_errors_are_one_line_naming_the_thread(
    site: FakeSite, env: dict[str, str], status: int, fragment: str
) -> None:
    site.serve(HN_PATH, b"<html>go away</html>", status)
    line = refusal(HN_ADDRESS, env)
    assert line.startswith(f"{HN_ADDRESS}: ") and fragment in line


def test_an_answer_cut_short_is_one_line(site: FakeSite, env: dict[str, str]) -> None:
    def short(handler: _Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        handler.wfile.write(b"0123456789")
        handler.close_connection = True

    site.routes[HN_PATH] = short
    assert "broke off after 10 of 1,000 bytes" in refusal(HN_ADDRESS, env)


def test_no_server_is_a_refused_connection(env: dict[str, str]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    line = refusal(HN_ADDRESS, {**env, SITE_BASE_VARIABLE: f"http://127.0.0.1:{port}"})
    assert f"127.0.0.1:{port} refused the connection" in line


def test_tls_failure_is_one_line(site: FakeSite, env: dict[str, str]) -> None:
    tls_base = site.base.replace("http://", "https://")
    line = refusal(HN_ADDRESS, {**env, SITE_BASE_VARIABLE: tls_base})
    assert f"TLS with {tls_base.removeprefix('https://')} failed" in line


def test_dns_failure_is_one_line(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_host(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    line = refusal(HN_ADDRESS, {**env, SITE_BASE_VARIABLE: "http://no-such-host.invalid"})
    assert "no such host: no-such-host.invalid" in line


def test_a_temporary_dns_failure_asks_about_the_network(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    def offline(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", offline)
    line = refusal(HN_ADDRESS, {**env, SITE_BASE_VARIABLE: "http://offline.invalid"})
    assert "cannot look up offline.invalid" in line and "is the network up?" in line


def test_without_the_testing_aid_requests_would_go_to_the_site() -> None:
    assert site_base({}) is None
    assert site_base({SITE_BASE_VARIABLE: "http://127.0.0.1:9/"}) == "http://127.0.0.1:9"
    with pytest.raises(InputError, match=SITE_BASE_VARIABLE):
        site_base({SITE_BASE_VARIABLE: "127.0.0.1:9"})


# What is kept ---------------------------------------------------------------


def cache_files(env: dict[str, str]) -> list[Path]:
    root = Path(env[CACHE_DIR_VARIABLE])
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def test_an_answer_that_is_not_the_sites_format_is_not_kept(site: FakeSite, env: dict[str, str]) -> None:
    site.serve(
        REDDIT_PATH, b"<!doctype html><p>Please log in to continue.</p>\n", headers={"Content-Type": "text/html"}
    )
    line = refusal(REDDIT_ADDRESS, env)
    assert line.startswith("https://www.reddit.com/r/Python/comments/2xmo63/: the site did not send a Reddit thread")
    assert cache_files(env) == []


def test_bad_json_from_the_site_is_one_line_and_not_kept(site: FakeSite, env: dict[str, str]) -> None:
    site.serve(HN_PATH, hn_bytes()[:500])
    assert "did not send a Hacker News thread: invalid JSON" in refusal(HN_ADDRESS, env)
    assert cache_files(env) == []


def test_file_names_are_derived_never_the_servers(site: FakeSite, env: dict[str, str]) -> None:
    site.serve(HN_PATH, hn_bytes(), headers={"Content-Disposition": 'attachment; filename="../../evil.sh"'})
    fetched = get(HN_ADDRESS, env)
    root = Path(env[CACHE_DIR_VARIABLE])
    assert fetched.path.parent.parent == root / "threads"
    assert re.fullmatch(r"hackernews-18475438-[0-9a-f]{12}", fetched.path.parent.name)
    assert re.fullmatch(r"\d{8}T\d{12}Z\.json", fetched.path.name)
    assert sorted(cache_files(env)) == sorted([fetched.path, root / "index.json"])


def test_a_second_fetch_with_new_replies_saves_a_new_copy(site: FakeSite, env: dict[str, str]) -> None:
    _, fewer = serve_mastodon(site, "2025-07-17")  # the same thread, recorded with fewer replies
    first = get(MASTODON_ADDRESS, env)
    _, more = serve_mastodon(site, "2022-11-08")
    second = get(MASTODON_ADDRESS, env)

    assert second.previous == first.path and second.path != first.path
    assert first.path.read_bytes() != second.path.read_bytes()
    assert (first.posts, second.posts) == (mastodon_posts(fewer), mastodon_posts(more))
    old_ids = {post.id for post in load(first.path).posts}
    new_ids = {post.id for post in load(second.path).posts}
    assert len(new_ids - old_ids) == mastodon_posts(more) - mastodon_posts(fewer)
    [entry] = Cache(Path(env[CACHE_DIR_VARIABLE])).saved()
    assert (entry.path, entry.posts) == (second.path, second.posts)


def test_only_the_newest_copies_are_kept(site: FakeSite, env: dict[str, str]) -> None:
    site.serve("/s/tdfoqh.json", fixture_bytes("lobsters", "claw_story_tdfoqh_2025_depth_parent_comment.json"))
    paths = [get("https://lobste.rs/s/tdfoqh", env).path for _ in range(4)]
    cache = Cache(Path(env[CACHE_DIR_VARIABLE]))
    assert cache.copies("lobsters:tdfoqh") == paths[1:]


def test_saved_lists_the_newest_fetch_first(site: FakeSite, env: dict[str, str]) -> None:
    site.serve("/s/tdfoqh.json", fixture_bytes("lobsters", "claw_story_tdfoqh_2025_depth_parent_comment.json"))
    site.serve(HN_PATH, hn_bytes())
    lobsters = get("https://lobste.rs/s/tdfoqh", env)
    hacker_news = get(HN_ADDRESS, env)
    entries = Cache(Path(env[CACHE_DIR_VARIABLE])).saved()
    assert [(entry.site_label, entry.title, entry.posts) for entry in entries] == [
        ("Hacker News", hacker_news.title, hacker_news.posts),
        ("Lobsters", lobsters.title, lobsters.posts),
    ]
    table = saved_table(entries).splitlines()
    assert table[0].split() == ["#", "fetched", "posts", "site", "title"]
    assert table[1].startswith("1  ") and table[1].endswith(hacker_news.title)
    with_unread = saved_table(entries, unread={entries[0].key: 7}).splitlines()
    assert "unread" in with_unread[0] and re.search(r"\s7\s+Hacker News", with_unread[1])


def test_a_damaged_index_is_one_line(site: FakeSite, env: dict[str, str]) -> None:
    root = Path(env[CACHE_DIR_VARIABLE])
    root.mkdir()
    (root / "index.json").write_text("{not json")
    site.serve(HN_PATH, hn_bytes())
    assert "index.json: not a tuireader cache index" in refusal(HN_ADDRESS, env)
    assert cache_files(env) == [root / "index.json"]


def test_output_file_is_replaced_only_by_a_good_copy(site: FakeSite, env: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "thread.json"
    site.serve(HN_PATH, hn_bytes())
    fetched = get(HN_ADDRESS, env, output=target)
    assert (fetched.path, fetched.previous) == (target, None)
    assert target.read_bytes() == hn_bytes()
    assert cache_files(env) == []  # -o writes there instead of the cache

    site.serve(HN_PATH, b"<html>maintenance</html>")
    with pytest.raises(InputError, match="did not send a Hacker News thread"):
        get(HN_ADDRESS, env, output=target)
    assert target.read_bytes() == hn_bytes()
    assert sorted(tmp_path.iterdir()) == [target]  # no temporary file left behind

    with pytest.raises(InputError, match="is a directory"):
        get(HN_ADDRESS, env, output=tmp_path)


# The command line -------------------------------------------------------------


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    assert env[SITE_BASE_VARIABLE].startswith("http://127.0.0.1:"), "a CLI test must never reach a real site"
    return run_cli(*args, env={**env, TIMEOUT_VARIABLE: "10"})


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    line = result.stderr.strip()
    assert line.startswith("tuireader: ") and "\n" not in line and "Traceback" not in line, line
    return line


def test_cli_fetch_saves_without_opening_and_prints_where(site: FakeSite, env: dict[str, str]) -> None:
    site.serve(HN_PATH, hn_bytes())
    result = run(env, "fetch", HN_ADDRESS)
    assert result.returncode == 0, result.stderr
    saved = Path(result.stdout.strip())
    assert saved.is_relative_to(env[CACHE_DIR_VARIABLE]) and saved.read_bytes() == hn_bytes()

    listing = run(env, "saved")
    assert listing.returncode == 0, listing.stderr
    title = json.loads(hn_bytes())["title"]
    assert listing.stdout.splitlines()[1].endswith(f"Hacker News  {title}")


def test_saved_n_opens_the_nth_with_the_options_after_it(
    site: FakeSite, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site.serve(HN_PATH, hn_bytes())
    fetched = get(HN_ADDRESS, env)
    monkeypatch.setenv(CACHE_DIR_VARIABLE, env[CACHE_DIR_VARIABLE])
    opened: list[list[str]] = []

    def open_thread(args: list[str]) -> int:
        opened.append(args)
        return 0

    assert saved_command(["1", "--theme", "light"], open_thread) == 0
    assert opened == [[str(fetched.path), "--theme", "light"]]
    with pytest.raises(InputError, match="no saved thread 2: there are 1 saved threads"):
        saved_command(["2"], lambda args: 0)


def test_main_fetches_to_a_file_named_by_o(
    site: FakeSite,
    env: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    site.serve(HN_PATH, hn_bytes())
    target = tmp_path / "out.json"
    assert main(["fetch", HN_ADDRESS, "-o", str(target)]) == 0
    assert capsys.readouterr().out.strip() == str(target) and target.read_bytes() == hn_bytes()


def test_cli_unknown_address_is_one_line(site: FakeSite, env: dict[str, str]) -> None:
    line = one_error_line(run(env, "fetch", "https://example.com/blog/post.html"))
    assert "not a thread address this reader knows" in line and "Hacker News" in line and "Discourse" in line
    assert site.hits == []


def test_cli_open_by_address_names_the_saved_copy_when_the_fetch_fails(site: FakeSite, env: dict[str, str]) -> None:
    site.serve(HN_PATH, hn_bytes())
    get(HN_ADDRESS, env)
    site.serve(HN_PATH, b"", 503)
    line = one_error_line(run(env, "--no-badges", HN_ADDRESS))
    assert "HTTP 503" in line and "opens with 'tuireader saved 1'" in line
