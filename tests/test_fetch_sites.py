"""Thread addresses: every form each site has, what is requested for it, and what is refused."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuireader.errors import InputError
from tuireader.fetch.sites import (
    DISCOURSE,
    HACKER_NEWS,
    LOBSTERS,
    MASTODON,
    PUBLIC_INBOX,
    REDDIT,
    SITES,
    ThreadAddress,
    is_address,
    parse_address,
)


def same_thread(addresses: list[str]) -> ThreadAddress:
    """Parse every form; they must all name one thread with one set of requests. Returns the first."""
    parsed = [parse_address(text) for text in addresses]
    for other in parsed[1:]:
        assert (other.key, other.fetch_url, other.more_url) == (parsed[0].key, parsed[0].fetch_url, parsed[0].more_url)
    return parsed[0]


# Reddit ---------------------------------------------------------------------


def test_reddit_forms_name_one_thread_fetched_as_json() -> None:
    address = same_thread(
        [
            "https://www.reddit.com/r/Python/comments/2xmo63/a_python_terminal_viewer/",
            "https://www.reddit.com/r/Python/comments/2xmo63/a_python_terminal_viewer",
            "https://old.reddit.com/r/Python/comments/2xmo63/",
            "https://reddit.com/r/Python/comments/2xmo63",
            "https://www.reddit.com/r/Python/comments/2xmo63/a_python_terminal_viewer/?utm_source=share&sort=new",
            "https://www.reddit.com/r/Python/comments/2xmo63/a_python_terminal_viewer/cp1abcd/",
            "www.reddit.com/r/Python/comments/2xmo63/",
            "  https://www.reddit.com/r/Python/comments/2XMO63/  ",
        ]
    )
    assert address.site is REDDIT
    assert address.key == "reddit:2xmo63"
    url = urlsplit(address.fetch_url)
    assert (url.scheme, url.netloc, url.path) == ("https", "www.reddit.com", "/r/Python/comments/2xmo63/.json")
    query = parse_qs(url.query)
    assert query["raw_json"] == ["1"] and int(query["limit"][0]) >= 500
    assert address.address == "https://www.reddit.com/r/Python/comments/2xmo63/"


def test_reddit_short_and_subredditless_links() -> None:
    for text in ("https://redd.it/2xmo63", "https://www.reddit.com/comments/2xmo63/"):
        address = parse_address(text)
        assert address.key == "reddit:2xmo63"
        assert urlsplit(address.fetch_url).path == "/comments/2xmo63/.json"


def test_reddit_redirects_may_stay_on_reddit_only() -> None:
    address = parse_address("https://old.reddit.com/r/x/comments/abc/")
    assert address.allows("www.reddit.com") and address.allows("old.reddit.com") and address.allows("reddit.com")
    assert not address.allows("evilreddit.com") and not address.allows("reddit.com.evil.example")


@pytest.mark.parametrize("text", ["https://www.reddit.com/r/Python/", "https://www.reddit.com/", "https://redd.it/"])
def test_reddit_pages_that_are_not_threads(text: str) -> None:
    with pytest.raises(InputError, match=r"not the address of a thread on Reddit: one looks like .*comments"):
        parse_address(text)


# Hacker News ----------------------------------------------------------------


def test_hacker_news_item_goes_to_the_algolia_items_api() -> None:
    address = same_thread(
        [
            "https://news.ycombinator.com/item?id=18475438",
            "news.ycombinator.com/item?id=18475438",
            "https://news.ycombinator.com/item?id=18475438&p=2",
            "https://NEWS.ycombinator.com/item?id=18475438#18476000",
        ]
    )
    assert address.site is HACKER_NEWS
    assert address.fetch_url == "https://hn.algolia.com/api/v1/items/18475438"
    assert address.address == "https://news.ycombinator.com/item?id=18475438"
    assert address.allows("hn.algolia.com") and address.allows("news.ycombinator.com")
    assert not address.allows("ycombinator.com.example")


@pytest.mark.parametrize(
    "text",
    [
        "https://news.ycombinator.com/news",
        "https://news.ycombinator.com/item?id=abc",
        "https://news.ycombinator.com/item",
        "https://news.ycombinator.com/item?id=1&id=2",
        "https://news.ycombinator.com/item?id=١٢",  # Arabic-Indic digits are digits to str.isdigit
    ],
)
def test_hacker_news_pages_that_are_not_items(text: str) -> None:
    with pytest.raises(InputError, match=r"Hacker News: one looks like https://news\.ycombinator\.com/item\?id="):
        parse_address(text)


# Lobsters -------------------------------------------------------------------


def test_lobsters_story_forms() -> None:
    address = same_thread(
        [
            "https://lobste.rs/s/tdfoqh",
            "https://lobste.rs/s/tdfoqh/",
            "https://lobste.rs/s/tdfoqh/some_story_title",
            "https://lobste.rs/s/tdfoqh.json",
            "https://lobste.rs/s/tdfoqh/some_story_title#c_abc123",
        ]
    )
    assert address.site is LOBSTERS
    assert address.fetch_url == "https://lobste.rs/s/tdfoqh.json"
    assert address.key == "lobsters:tdfoqh"


def test_lobsters_pages_that_are_not_stories() -> None:
    with pytest.raises(InputError, match="Lobsters"):
        parse_address("https://lobste.rs/t/python")


# Discourse ------------------------------------------------------------------


def test_discourse_topic_forms_on_any_host() -> None:
    address = same_thread(
        [
            "https://forum.example.org/t/support-ublock-origin/1148",
            "https://forum.example.org/t/support-ublock-origin/1148/",
            "https://forum.example.org/t/support-ublock-origin/1148/17",
            "https://forum.example.org/t/1148",
            "https://forum.example.org/t/1148/17",
            "https://forum.example.org/t/support-ublock-origin/1148.json",
            "https://forum.example.org/t/support-ublock-origin/1148?u=someone",
        ]
    )
    assert address.site is DISCOURSE
    assert address.fetch_url == "https://forum.example.org/t/1148.json"
    assert address.more_url == "https://forum.example.org/t/1148/posts.json"
    assert address.key == "discourse:forum.example.org:1148"
    assert address.allows("forum.example.org") and not address.allows("example.org")


def test_discourse_in_a_sub_folder_and_on_a_port() -> None:
    address = parse_address("http://example.org:8080/community/t/a-topic/42/3")
    assert address.fetch_url == "http://example.org:8080/community/t/42.json"
    assert address.more_url == "http://example.org:8080/community/t/42/posts.json"
    assert address.allow_http
    assert address.key != parse_address("http://example.org:8080/t/a-topic/42").key


def test_discourse_slug_of_digits_is_read_as_topic_and_post() -> None:
    """``/t/12/7`` is topic 12, post 7: a slug always has a letter, as Discourse makes them."""
    assert parse_address("https://forum.example.org/t/12/7").key == "discourse:forum.example.org:12"
    assert parse_address("https://forum.example.org/t/2024-plans/7").key == "discourse:forum.example.org:7"


# Mastodon -------------------------------------------------------------------


def test_mastodon_status_forms_ask_for_the_status_and_its_context() -> None:
    address = same_thread(
        [
            "https://mastodon.social/@austinkocher/109294719267373593",
            "https://mastodon.social/@austinkocher/109294719267373593/",
            "https://mastodon.social/@austinkocher@mastodon.social/109294719267373593",
            "https://mastodon.social/users/austinkocher/statuses/109294719267373593",
            "https://mastodon.social/web/statuses/109294719267373593",
        ]
    )
    assert address.site is MASTODON
    assert address.fetch_url == "https://mastodon.social/api/v1/statuses/109294719267373593"
    assert address.more_url == "https://mastodon.social/api/v1/statuses/109294719267373593/context"


def test_mastodon_remote_account_is_read_on_the_server_in_the_address() -> None:
    """A remote account's status has its own id on each server: ask the server the address names."""
    address = parse_address("https://fosstodon.org/@someone@mastodon.social/114026814291152535")
    assert urlsplit(address.fetch_url).netloc == "fosstodon.org"
    assert address.key == "mastodon:fosstodon.org:114026814291152535"


# public-inbox ---------------------------------------------------------------


def test_public_inbox_message_forms_fetch_the_thread_mbox() -> None:
    address = same_thread(
        [
            "https://lore.kernel.org/linux-kernel/20240101120000.1234-1-someone@example.com/",
            "https://lore.kernel.org/linux-kernel/20240101120000.1234-1-someone@example.com",
            "https://lore.kernel.org/linux-kernel/20240101120000.1234-1-someone@example.com/T/#u",
            "https://lore.kernel.org/linux-kernel/20240101120000.1234-1-someone@example.com/t/",
            "https://lore.kernel.org/linux-kernel/20240101120000.1234-1-someone@example.com/raw",
            "https://lore.kernel.org/linux-kernel/20240101120000.1234-1-someone%40example.com/",
            "https://lore.kernel.org/linux-kernel/20240101120000.1234-1-someone@example.com/t.mbox.gz",
        ]
    )
    assert address.site is PUBLIC_INBOX
    assert address.fetch_url == (
        "https://lore.kernel.org/linux-kernel/20240101120000.1234-1-someone@example.com/t.mbox.gz"
    )
    assert address.key == "public-inbox:lore.kernel.org/linux-kernel:20240101120000.1234-1-someone@example.com"


def test_public_inbox_message_id_with_a_slash_stays_one_segment() -> None:
    address = parse_address("https://public-inbox.example/git/a%2Fb@example.com/")
    assert address.fetch_url == "https://public-inbox.example/git/a%2Fb@example.com/t.mbox.gz"


# Shapes on any host, and what is refused ------------------------------------


@pytest.mark.parametrize(
    ("path", "site"),
    [
        ("/@alice/123", MASTODON),
        ("/@alice@remote.example/123", MASTODON),
        ("/t/a-topic/123", DISCOURSE),
        ("/forum/t/123", DISCOURSE),
        ("/list/123@x.example/", PUBLIC_INBOX),
        ("/t/a@b.example/", PUBLIC_INBOX),  # a message id, not a Discourse topic id
        ("/@alice/a@b.example", PUBLIC_INBOX),  # an inbox oddly named "@alice"
    ],
)
def test_path_shapes_decide_the_site_on_an_unknown_host(path: str, site: object) -> None:
    assert parse_address("https://any.example" + path).site is site


@pytest.mark.parametrize(
    "text",
    [
        "https://example.com/",
        "https://example.com/some/page.html",
        "https://example.com/t/slug/",
        "https://example.com/@alice",
        "https://example.com/list/no-at-sign/",
    ],
)
def test_an_unknown_address_names_every_site_known(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_address(text)
    message = caught.value.describe()
    assert "not a thread address this reader knows" in message
    for site in SITES:
        assert site.label in message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("ftp://lobste.rs/s/abc", "only http:// and https://"),
        ("file:///etc/passwd", "only http:// and https://"),
        ("https://user:secret@lobste.rs/s/abc", "user name or password"),
        ("https://lobste.rs:99999/s/abc", "malformed"),
        ("https:///s/abc", "names no host"),
        ("https://lobste.rs/s/" + "a" * 5000, "not a thread address"),
    ],
)
def test_addresses_that_cannot_be_fetched(text: str, fragment: str) -> None:
    with pytest.raises(InputError, match=fragment):
        parse_address(text)


def test_https_unless_http_is_written() -> None:
    assert not parse_address("lobste.rs/s/abc").allow_http
    assert parse_address("lobste.rs/s/abc").fetch_url.startswith("https://")
    plain = parse_address("http://lobste.rs/s/abc")
    assert plain.allow_http and plain.fetch_url.startswith("http://")


def test_unicode_host_is_asked_in_ascii() -> None:
    address = parse_address("https://bücher.example/t/ein-thema/5")
    assert urlsplit(address.fetch_url).netloc == "xn--bcher-kva.example"


def test_is_address_only_for_web_addresses() -> None:
    assert is_address("https://lobste.rs/s/abc") and is_address("HTTP://example.com")
    assert not is_address("thread.txt") and not is_address("-") and not is_address("https:thread")


def assert_address_or_one_line(text: str) -> None:
    try:
        address = parse_address(text)
    except InputError as error:
        assert "\n" not in error.describe()
    else:
        assert address.fetch_url.startswith(("http://", "https://"))
        assert address.allows(urlsplit(address.fetch_url).hostname or "")


@given(st.text(max_size=300))
def test_any_text_is_an_address_or_one_input_error(text: str) -> None:
    assert_address_or_one_line(text)


segments = st.sampled_from(["t", "s", "r", "comments", "statuses", "@a", "@a@b", "x@y", "12", "slug", "", "%2F", "T"])


@given(st.sampled_from(["https://lobste.rs", "https://any.example", "https://www.reddit.com"]), st.lists(segments))
def test_address_shaped_text_is_an_address_or_one_input_error(origin: str, parts: list[str]) -> None:
    assert_address_or_one_line(origin + "/" + "/".join(parts))


def test_long_pathological_paths_stay_fast() -> None:
    start = time.perf_counter()
    for path in ("/t/" + "9" * 3900 + "x", "/a" * 1950 + "/t/", "/" + "@" * 3990, "/x/" * 1300 + "statuses/"):
        with pytest.raises(InputError):
            parse_address("https://any.example" + path)
    assert time.perf_counter() - start < 0.5
