"""Load time of the Reddit and Hacker News formats against ``json.load`` of the same file.

Writes (deterministically, from ``generate.py``'s home-made words and thread shapes)
a Reddit thread JSON of N comments and a Hacker News Algolia item of N comments,
then prints one table: ``json.load`` time, the same with the cyclic garbage
collector off (as the formats decode), ``tuireader.formats.load`` time, the ratios
and posts per second. The target: a 100,000-comment Reddit thread loads in no
more than 1.5 times ``json.load``. Plain ``json.load`` pays for the collector
walking the growing document again and again (most of its time at 100,000
comments), so the second ratio is the one that shows what the parser itself costs.

Usage::

    python benchmarks/formats_bench.py [--comments 100000] [--seed 1] [--repeat 3]

Each figure is the best of ``--repeat`` runs, each in a fresh process, so the
garbage of one run never slows the next, in CPU time: on a machine shared with
other work, wall-clock times of the same run differ by a factor of two. Both
sides read the file from the page cache, which is CPU time too. The files are
kept in ``benchmarks/out/``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

from generate import SyntheticPost, synthetic_posts  # noqa: E402

OUT = HERE / "out"
TARGET_RATIO = 1.5
SUBREDDIT = "benchmarks"
_FLAIR_SHARE = 7
"""One comment in this many shows its author's flair (the badge)."""
_EDITED_SHARE = 20
_MORE_SHARE = 50
"""One comment in this many ends its replies with a ``more`` stub."""

_MEASURE = """
import gc, json, sys, time
sys.path.insert(0, {repo!r})
path, what = sys.argv[1], sys.argv[2]
if what == "load":
    from tuireader.formats import load
    start = time.process_time()
    posts = len(load(path))
else:
    if what == "json-paused":
        gc.disable()
    start = time.process_time()
    with open(path, encoding="utf-8") as handle:
        posts = len(json.load(handle))
print(time.process_time() - start, posts)
"""


def base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, digit = divmod(number, 36)
        text = digits[digit] + text
        if not number:
            return text


def _nested(posts: Iterator[SyntheticPost], make: Any, replies_of: Any) -> list[Any]:
    """The depth-first posts as nested items: ``make(post, index)`` builds one, ``replies_of(item)`` its reply list."""
    top: list[Any] = []
    path: list[Any] = []  # the last item at each depth
    for index, post in enumerate(posts):
        item = make(post, index)
        del path[post.depth :]
        (replies_of(path[-1]) if path else top).append(item)
        path.append(item)
    return top


def reddit_thread(comments: int, seed: int) -> list[Any]:
    """A Reddit ``[submission listing, comment listing]`` with the keys real comments carry."""
    link_id = "t3_" + base36(10**9 + seed)

    def comment(post: SyntheticPost, index: int) -> dict[str, Any]:
        comment_id = base36(36**6 + index)
        author = "[deleted]" if post.deleted else post.author.replace(" ", "_")
        body = "[deleted]" if post.deleted else "\n\n".join(post.paragraphs)
        score = (post.up or 0) - (post.down or 0) + 1
        return {
            "subreddit_id": "t5_2qh0u",
            "approved_at_utc": None,
            "ups": score,
            "mod_reason_by": None,
            "banned_by": None,
            "author_flair_type": "text",
            "removal_reason": None,
            "link_id": link_id,
            "author_flair_template_id": None,
            "likes": None,
            "no_follow": False,
            "replies": "",
            "user_reports": [],
            "saved": False,
            "id": comment_id,
            "banned_at_utc": None,
            "mod_reason_title": None,
            "gilded": 0,
            "archived": False,
            "report_reasons": None,
            "author": author,
            "can_mod_post": False,
            "send_replies": True,
            "parent_id": None,
            "score": score,
            "approved_by": None,
            "downs": 0,
            "body": body,
            "edited": float(post.time + 600) if index % _EDITED_SHARE == 0 else False,
            "author_flair_css_class": None,
            "collapsed": False,
            "author_flair_richtext": [],
            "is_submitter": index % 97 == 0,
            "collapsed_reason": None,
            "body_html": "&lt;div class=\"md\"&gt;&lt;p&gt;" + body.replace("\n\n", "&lt;/p&gt;\n\n&lt;p&gt;")
            + "&lt;/p&gt;\n&lt;/div&gt;",
            "stickied": False,
            "subreddit_type": "public",
            "can_gild": True,
            "subreddit": SUBREDDIT,
            "author_flair_text_color": None,
            "score_hidden": False,
            "permalink": f"/r/{SUBREDDIT}/comments/{link_id[3:]}/x/{comment_id}/",
            "num_reports": None,
            "name": "t1_" + comment_id,
            "created": float(post.time),
            "author_flair_text": post.badge if index % _FLAIR_SHARE == 0 else None,
            "rte_mode": "markdown",
            "created_utc": float(post.time),
            "subreddit_name_prefixed": f"r/{SUBREDDIT}",
            "controversiality": 0,
            "depth": post.depth,
            "author_flair_background_color": None,
            "mod_reports": [],
            "mod_note": None,
            "distinguished": None,
        }

    def replies_of(item: dict[str, Any]) -> list[Any]:
        data = item["data"]
        if not data["replies"]:
            data["replies"] = {"kind": "Listing", "data": {"modhash": "", "children": [], "after": None}}
        children: list[Any] = data["replies"]["data"]["children"]
        return children

    def item(post: SyntheticPost, index: int) -> dict[str, Any]:
        return {"kind": "t1", "data": comment(post, index)}

    top = _nested(synthetic_posts(comments, seed), item, replies_of)
    _add_more_stubs(top)
    submission = {
        "kind": "t3",
        "data": {
            "id": link_id[3:],
            "name": link_id,
            "title": "A synthetic thread for the benchmarks",
            "author": "bench_op",
            "selftext": "What do you all think of the pond?",
            "selftext_html": '&lt;div class="md"&gt;&lt;p&gt;What do you all think of the pond?&lt;/p&gt;&lt;/div&gt;',
            "is_self": True,
            "url": f"https://www.reddit.com/r/{SUBREDDIT}/comments/{link_id[3:]}/x/",
            "permalink": f"/r/{SUBREDDIT}/comments/{link_id[3:]}/x/",
            "score": 4321,
            "created_utc": 1_275_379_000.0,
            "num_comments": comments,
            "subreddit": SUBREDDIT,
        },
    }
    return [
        {"kind": "Listing", "data": {"modhash": "", "children": [submission], "after": None, "before": None}},
        {"kind": "Listing", "data": {"modhash": "", "children": top, "after": None, "before": None}},
    ]


def _add_more_stubs(top: list[Any]) -> None:
    """Put a ``more`` stub at the end of every _MORE_SHARE-th comment's replies, as Reddit does for long ones."""
    stack = list(top)
    seen = 0
    while stack:
        data = stack.pop()["data"]
        seen += 1
        replies = data["replies"]
        if replies:
            children = replies["data"]["children"]
            stack.extend(children)
            if seen % _MORE_SHARE == 0:
                stub = {"count": seen % 40 + 1, "name": "t1_zz" + data["id"], "id": "zz" + data["id"],
                        "parent_id": "t1_" + data["id"], "depth": data["depth"] + 1, "children": ["zz" + data["id"]]}
                children.append({"kind": "more", "data": stub})


def algolia_thread(comments: int, seed: int) -> dict[str, Any]:
    """A Hacker News Algolia item: the story and its comments nested in ``children``."""
    story_id = 30_000_000 + seed

    def item(post: SyntheticPost, index: int) -> dict[str, Any]:
        deleted = post.deleted
        return {
            "id": story_id + 1 + index,
            "created_at": "",
            "created_at_i": post.time,
            "type": "comment",
            "author": None if deleted else post.author.replace(" ", "_"),
            "title": None,
            "url": None,
            "text": None if deleted else "".join(f"<p>{p.replace(chr(39), '&#x27;')}</p>" for p in post.paragraphs),
            "points": None,
            "parent_id": None,
            "story_id": story_id,
            "children": [],
            "options": [],
        }

    def replies_of(parent: dict[str, Any]) -> list[Any]:
        children: list[Any] = parent["children"]
        return children

    top = _nested(synthetic_posts(comments, seed), item, replies_of)
    return {
        "id": story_id,
        "created_at": "2010-06-01T08:00:00.000Z",
        "created_at_i": 1_275_379_200,
        "type": "story",
        "author": "bench_op",
        "title": "A synthetic story for the benchmarks",
        "url": "https://example.org/pond",
        "text": None,
        "points": 321,
        "parent_id": None,
        "story_id": None,
        "children": top,
        "options": [],
    }


def write(path: Path, document: Any) -> None:
    with path.open("w", encoding="utf-8") as handle:
        json.dump(document, handle)


def measure(path: Path, what: str, repeat: int) -> tuple[float, int]:
    """The best time of *repeat* fresh processes doing *what* to *path*, and the count of what it read.

    *what* is "json" (``json.load``), "json-paused" (``json.load`` with the cyclic
    garbage collector off, as the formats run it) or "load" (``tuireader.formats.load``).
    """
    best, count = float("inf"), 0
    code = _MEASURE.format(repo=str(HERE.parent))
    for _ in range(repeat):
        result = subprocess.run(
            [sys.executable, "-c", code, str(path), what], check=True, capture_output=True, text=True
        )
        seconds, posts = result.stdout.split()
        best, count = min(best, float(seconds)), int(posts)
    return best, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    files = {
        "reddit": (OUT / f"reddit-{options.comments}-{options.seed}.json", reddit_thread),
        "hackernews (Algolia)": (OUT / f"algolia-{options.comments}-{options.seed}.json", algolia_thread),
    }
    rows = []
    for name, (path, make) in files.items():
        if not path.exists():
            print(f"writing {path.name}…", file=sys.stderr)
            write(path, make(options.comments, options.seed))
        print(f"measuring {name}…", file=sys.stderr)
        baseline, _ = measure(path, "json", options.repeat)
        paused, _ = measure(path, "json-paused", options.repeat)
        ours, posts = measure(path, "load", options.repeat)
        rows.append((name, path.stat().st_size, posts, baseline, paused, ours))
    print("| format | file | posts | json.load | json.load, gc off | tuireader load | ratio | to gc off | posts/s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, size, posts, baseline, paused, ours in rows:
        ratio = ours / baseline
        mark = "" if name != "reddit" or ratio <= TARGET_RATIO else f" (over {TARGET_RATIO})"
        print(
            f"| {name} | {size / 1e6:.0f} MB | {posts:,} | {baseline:.2f} s | {paused:.2f} s | {ours:.2f} s "
            f"| {ratio:.2f}{mark} | {ours / paused:.2f} | {posts / ours:,.0f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
