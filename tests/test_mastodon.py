"""Mastodon statuses and contexts: the real files load as their raw JSON says; pairs, warnings, sniffing, the app."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import shared_file
from site_fixtures import assert_j_shows_the_second_post, assert_sniffs_only_its_own, fixtures, raw_json

from tuireader.body import ATTACHMENT
from tuireader.errors import ParseError
from tuireader.export import EXPORTERS
from tuireader.formats import load, mastodon, native_json
from tuireader.model import Thread

THREAD = "rtoot_mastodon.social_109294719267373593_{}.json"


def mastodon_file(name: str) -> Path:
    return shared_file("fixtures", "mastodon", name)


def statuses_of(document: Any) -> list[dict[str, Any]]:
    """The statuses of a raw file: a context's ancestors and descendants, or the one status."""
    if "ancestors" in document:
        return [*document["ancestors"], *document["descendants"]]
    return [document]


def depths_from_raw(statuses: list[dict[str, Any]]) -> dict[str, int]:
    """Each status's depth, following ``in_reply_to_id`` up through the statuses in the file."""
    parent_of = {status["id"]: status["in_reply_to_id"] for status in statuses}
    depths = {}
    for status_id in parent_of:
        depth, parent = 0, parent_of[status_id]
        while parent in parent_of:
            depth += 1
            parent = parent_of[parent]
        depths[status_id] = depth
    return depths


def author_and_badge(account: dict[str, Any]) -> tuple[str, str | None]:
    name = account["display_name"].strip()
    return (name, f"@{account['acct']}") if name else (account["acct"], None)


def test_every_fixture_loads_as_its_raw_json_says() -> None:
    for path in fixtures("mastodon"):
        statuses = statuses_of(raw_json(path))
        thread = load(path)
        assert thread.source_format == "mastodon"
        assert len(thread) == len(statuses), path
        if not statuses:
            assert any("no statuses in this file" in warning for warning in thread.warnings)
            continue
        depths = depths_from_raw(statuses)
        in_file = set(depths)
        for status in statuses:
            index = thread.index_of[status["id"]]
            post = thread.posts[index]
            assert thread.depth[index] == depths[status["id"]], path
            assert (post.author, post.badge) == author_and_badge(status["account"])
            assert post.time == status["created_at"]
            assert post.up == status["favourites_count"]
            assert post.score == status["favourites_count"] + status["reblogs_count"]
            parent = status["in_reply_to_id"]
            if parent is not None and parent not in in_file:
                assert post.note == f"replies to status {parent}, not in this file"
            else:
                assert post.note is None
        root = statuses[0]
        if root["in_reply_to_id"] is None:
            assert thread.url == root["url"]


def test_other_servers_accounts_keep_their_server_in_the_badge() -> None:
    path = mastodon_file(THREAD.format("context_2022-11-08"))
    statuses = statuses_of(raw_json(path))
    remote = {status["id"] for status in statuses if "@" in status["account"]["acct"]}
    assert remote
    thread = load(path)
    for status_id in remote:
        post = thread.posts[thread.index_of[status_id]]
        assert (post.badge or post.author).count("@") >= 1 and "." in (post.badge or post.author)


def test_a_context_saved_without_its_status_says_so() -> None:
    path = mastodon_file(THREAD.format("context_2022-11-08"))
    raw = raw_json(path)
    root_id = raw["descendants"][0]["in_reply_to_id"]
    direct = sum(1 for status in raw["descendants"] if status["in_reply_to_id"] == root_id)
    thread = load(path)
    assert sum(1 for depth in thread.depth if depth == 0) == direct
    assert f"{direct} statuses reply to status {root_id}, which is not in this file" in thread.warnings[0]


def pair_variants(status: Any, context: Any) -> list[Any]:
    return [[status, context], [context, status], {"status": status, "context": context}]


@pytest.mark.parametrize("variant", range(3))
def test_a_status_with_its_context_is_one_tree(tmp_path: Path, variant: int) -> None:
    status = raw_json(mastodon_file(THREAD.format("status_2022-11-08")))
    context = raw_json(mastodon_file(THREAD.format("context_2022-11-08")))
    path = tmp_path / "thread.json"
    path.write_text(json.dumps(pair_variants(status, context)[variant]), encoding="utf-8")
    thread = load(path)
    statuses = [status, *context["descendants"]]
    assert len(thread) == len(statuses)
    assert thread.posts[0].id == status["id"] and [d for d in thread.depth if d == 0] == [0]
    depths = depths_from_raw(statuses)
    assert all(thread.depth[thread.index_of[status_id]] == depth for status_id, depth in depths.items())
    assert thread.url == status["url"] and thread.warnings == []
    assert thread.title.startswith(thread.posts[0].body[:40])


def test_a_context_seen_from_a_reply_is_one_tree() -> None:
    path = mastodon_file("rtoot_fosstodon_114027213608365869_context_2025-07-17.json")
    raw = raw_json(path)
    thread = load(path)
    assert [post.id for post in thread.posts] == [status["id"] for status in raw["ancestors"]]
    assert thread.url == raw["ancestors"][0]["url"] and thread.warnings == []


def test_an_empty_context_is_a_thread_with_no_posts() -> None:
    thread = load(mastodon_file("mastodonpy_117020585487094447_context_empty.json"))
    assert len(thread) == 0 and thread.warnings


def test_the_file_name_does_not_matter(tmp_path: Path) -> None:
    path = tmp_path / "toots.txt"
    path.write_bytes(mastodon_file(THREAD.format("status_2022-11-08")).read_bytes())
    assert load(path).source_format == "mastodon"


def test_sniffs_only_mastodon_statuses() -> None:
    assert_sniffs_only_its_own(mastodon.sniff, "mastodon")
    assert not mastodon.sniff('{"ancestors": [1, 2]}')
    assert not mastodon.sniff('{"in_reply_to_id": null, "title": "x"}')
    status = '{"id": "1", "in_reply_to_id": null, "spoiler_text": ""}'
    assert mastodon.sniff(status) and mastodon.sniff(f"[{status}]") and mastodon.sniff(f'{{"status": {status}}}')
    # Keys sorted by some tool: the account (an acct inside) comes first, the other keys far below.
    sorted_keys = json.dumps(raw_json(mastodon_file(THREAD.format("status_2022-11-08"))), sort_keys=True)
    assert sorted_keys.startswith('{"account"') and mastodon.sniff(sorted_keys)


# Files written here ------------------------------------------------------------


def status(status_id: str, parent: str | None = None, **fields: Any) -> dict[str, Any]:
    return {
        "id": status_id,
        "in_reply_to_id": parent,
        "spoiler_text": "",
        "content": f"<p>Status {status_id}</p>",
        "account": {"acct": f"user{status_id}@other.example", "display_name": ""},
        "favourites_count": 1,
        "reblogs_count": 2,
        **fields,
    }


def parsed(*statuses: dict[str, Any]) -> Thread:
    return mastodon.parse(json.dumps({"ancestors": [], "descendants": list(statuses)}), "t.json").build()


def test_a_content_warning_is_the_title_and_folds_the_body() -> None:
    thread = parsed(status("1", spoiler_text="Spoilers for the finale", content="<p>They all die.</p>"))
    post = thread.posts[0]
    assert post.title == "Spoilers for the finale" and mastodon.CW_ICON in post.icons
    assert post.note == "content warning: press Enter to show"
    assert thread.body_of(0)[0] == "They all die."  # kept, for the pane to show when asked
    assert thread.title == "Spoilers for the finale"  # the root's warning, never the text it hides


def test_the_account_name_votes_bots_and_attachments() -> None:
    thread = parsed(
        status(
            "1",
            account={"acct": "robot", "display_name": "Beep", "bot": True},
            favourites_count=5,
            reblogs_count=None,
            media_attachments=[{"type": "image", "url": "https://files.example/a.png", "description": "A cat"}],
        )
    )
    post = thread.posts[0]
    assert (post.author, post.badge, post.icons, post.up, post.score) == ("Beep", "@robot", ("bot",), 5, 5)
    text, blocks = thread.body_of(0)
    assert blocks[-1].kind == ATTACHMENT and blocks[-1].spans[0].link == "https://files.example/a.png"
    assert text.endswith("image: A cat")


def test_reading_order_is_honest() -> None:
    ordered = mastodon.parse(json.dumps({"descendants": [status("1"), status("2", "1"), status("3", "1")]}), "t")
    assert ordered.in_reading_order
    odd = mastodon.parse(json.dumps([status("2", "1"), status("1")]), "t")
    assert not odd.in_reading_order
    assert [post.id for post in odd.build().posts] == ["1", "2"]


def test_errors_name_the_problem() -> None:
    with pytest.raises(ParseError, match=r"t\.json:1: invalid JSON"):
        mastodon.parse('{"ancestors": [', "t.json")
    with pytest.raises(ParseError, match="got a number"):
        mastodon.parse("12", "t.json")


@pytest.mark.parametrize("to", sorted(EXPORTERS))
def test_exports(to: str) -> None:
    thread = load(mastodon_file("rtoot_fosstodon_114026814291152535_context_2025-07-17.json"))
    out = EXPORTERS[to](thread, None, ())
    assert all(post.author in out for post in thread.posts)
    if to == "json":
        again = native_json.parse(out, "again.json").build()
        assert [post.id for post in again.posts] == [post.id for post in thread.posts]


async def test_the_reader_opens_a_context_and_j_shows_the_next_post() -> None:
    await assert_j_shows_the_second_post(load(mastodon_file(THREAD.format("context_2025-07-17"))))
