"""Search and read marks at 100,000 posts, each figure beside a baseline from the same run.

Builds one synthetic thread in memory (``generate.py``'s home-made words and shape,
so no file is needed), then times:

- search: the first match near the current post (a phrase from the body 300 posts
  ahead), a whole scan for a phrase no post holds, and a whole scan with a regular
  expression, against a plain loop of ``str.find`` (or ``re.search``) over every body;
- read marks: fingerprinting every post, opening the state on a first visit and on a
  return visit (100,000 saved marks; whole, and with the first screen's 500 posts as
  the app opens a big file), the first flush (a row for every post), and
  marking 1,000 posts then flushing, against ``json.dumps`` of all the marks, which is
  what rewriting the whole set from memory would cost.

Usage::

    python benchmarks/reading_bench.py [--posts 100000] [--repeat 5] [--markdown]

Each figure is the median of ``--repeat`` runs. The state database goes to a
temporary folder (``TUIREADER_STATE_DIR``), never to the user's.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

from generate import synthetic_posts  # noqa: E402

from tuireader.model import Post, Thread  # noqa: E402
from tuireader.search import Query, Search  # noqa: E402
from tuireader.session import FIRST_SCREEN_POSTS  # noqa: E402
from tuireader.state import ReadState, post_fingerprint, state_path  # noqa: E402

NEAR = 300
"""How far ahead of the current post the near match is."""
FIRST_MATCH_TARGET_MS = 200.0
"""The issue's bound for the first near match on screen; the scan's share of it is what is measured here."""
MARKED = 1_000
HEADINGS = ("measure", "value", "baseline (same run)", "vs baseline", "target", "result")


def build_thread(posts: int) -> Thread:
    """The synthetic thread as the native JSON format would give it: paragraphs joined by blank lines."""
    return Thread.build(
        (
            Post(
                post.id,
                post.parent,
                post.author,
                post.badge,
                post.icons,
                post.title,
                "\n\n".join(post.paragraphs),
                time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(post.time)),
                post.up,
                post.down,
                None if post.up is None or post.down is None else post.up - post.down,
                post.deleted,
            )
            for post in synthetic_posts(posts, seed=1)
        ),
        title="reading benchmark",
    )


def median_seconds(work: Callable[[], object], repeat: int, setup: Callable[[], object] = lambda: None) -> float:
    """Median wall time of *work*, each run after an untimed *setup*."""
    times = []
    for _ in range(repeat):
        setup()
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def millis(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:.2f} ms" if value < 10 else f"{value:.1f} ms" if value < 100 else f"{value:,.0f} ms"


def first_hit(thread: Thread, typed: str, origin: int) -> int:
    """Scan from *origin* as the app does (worker chunks merged in turn) until a chunk brings a match."""
    search = Search(thread, Query.parse(typed), origin)
    for chunk in search.chunks():
        search.add(chunk)
        if chunk.hits:
            return chunk.hits[0]
    raise RuntimeError(f"{typed!r} matched nothing")


def whole_scan(thread: Thread, typed: str) -> int:
    search = Search(thread, Query.parse(typed), len(thread) // 2)
    for chunk in search.chunks():
        search.add(chunk)
    return search.count()


def search_rows(thread: Thread, repeat: int) -> list[tuple[str, ...]]:
    origin = len(thread) // 2
    phrase = thread.posts[origin + NEAR].body[40:70].lower()
    bodies = [post.body for post in thread.posts]
    # The baselines look at bodies only; the search also looks at authors and titles.
    find_all = median_seconds(lambda: sum(body.find("zzyzx qq") >= 0 for body in bodies), repeat)
    lower_find_all = median_seconds(lambda: sum(body.lower().find("zzyzx qq") >= 0 for body in bodies), repeat)
    pattern = re.compile(r"\bzzyzx\w*\s+qq", re.IGNORECASE)
    re_all = median_seconds(lambda: sum(pattern.search(body) is not None for body in bodies), repeat)
    near = median_seconds(lambda: first_hit(thread, phrase, origin), repeat)
    found = first_hit(thread, phrase, origin)
    plain = median_seconds(lambda: whole_scan(thread, "zzyzx qq"), repeat)
    regex = median_seconds(lambda: whole_scan(thread, r"re:\bzzyzx\w*\s+qq"), repeat)
    within = near * 1000 <= FIRST_MATCH_TARGET_MS
    return [
        (
            f"search: first match near ({found - origin:+,} posts away)",
            millis(near),
            f"{millis(find_all)} str.find over all bodies",
            f"{near / find_all:.2f}x",
            f"< {FIRST_MATCH_TARGET_MS:g} ms",
            "PASS" if within else "FAIL",
        ),
        (
            "search: whole scan, plain text, no match",
            millis(plain),
            f"{millis(lower_find_all)} lower()+find over all bodies",
            f"{plain / lower_find_all:.1f}x",
            "",
            "",
        ),
        (
            "search: whole scan, re: with a timeout",
            millis(regex),
            f"{millis(re_all)} re.search over all bodies",
            f"{regex / re_all:.1f}x",
            "",
            "",
        ),
    ]


def forget_state() -> None:
    """Remove the database, so the next open is a first visit."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(state_path()) + suffix).unlink(missing_ok=True)


def state_rows(thread: Thread, repeat: int) -> list[tuple[str, ...]]:
    posts = thread.posts
    fingerprints = median_seconds(lambda: [post_fingerprint(post) for post in posts], repeat)
    first_open = median_seconds(lambda: ReadState.open(thread), repeat, setup=forget_state)
    opened: list[ReadState] = []

    def open_first_visit() -> None:
        forget_state()
        opened[:] = [ReadState.open(thread)]

    first_flush = median_seconds(lambda: opened[0].flush(), repeat, setup=open_first_visit)
    marks = opened[0]
    marks.mark_many(range(len(thread)))
    marks.close()  # every post is saved as read: the next opens are return visits
    reopen = median_seconds(lambda: ReadState.open(thread), repeat)
    first_screen = Thread.build(posts[:FIRST_SCREEN_POSTS], title=thread.title, posts_are_clean=True)
    reopen_first_screen = median_seconds(lambda: ReadState.open(first_screen), repeat)
    visit = ReadState.open(thread)
    step = len(thread) // MARKED
    rounds = iter(range(repeat))

    def mark_and_flush() -> None:
        flag = next(rounds) % 2 == 1  # alternately unread and read again, so each round changes 1,000 marks
        visit.mark_many(range(0, step * MARKED, step), read=flag)
        visit.flush()

    marking = median_seconds(mark_and_flush, repeat)
    visit.close()
    every_mark = {post_fingerprint(post).hex(): 1 for post in posts}
    dumps = median_seconds(lambda: json.dumps(every_mark), repeat)
    size = len(thread)
    return [
        (f"read marks: fingerprint {size:,} posts", millis(fingerprints), "", "", "", ""),
        ("read marks: open, first visit", millis(first_open), f"{millis(fingerprints)} fingerprints",
         f"{first_open / fingerprints:.1f}x", "", ""),
        (f"read marks: first flush ({size:,} new rows)", millis(first_flush),
         f"{millis(dumps)} json.dumps of all marks", f"{first_flush / dumps:.1f}x", "", ""),
        (f"read marks: open, return visit ({size:,} saved)", millis(reopen), f"{millis(fingerprints)} fingerprints",
         f"{reopen / fingerprints:.1f}x", "", ""),
        (f"read marks: open, return visit, first {FIRST_SCREEN_POSTS} posts", millis(reopen_first_screen),
         f"{millis(fingerprints)} fingerprints", f"{reopen_first_screen / fingerprints:.2f}x", "", ""),
        (f"read marks: mark {MARKED:,} posts and flush", millis(marking), f"{millis(dumps)} json.dumps of all marks",
         f"{marking / dumps:.2f}x", "", ""),
    ]


def format_table(rows: list[tuple[str, ...]], markdown: bool) -> str:
    cells = [HEADINGS, *rows]
    if markdown:
        lines = ["| " + " | ".join(line) + " |" for line in cells]
        lines.insert(1, "|" + "|".join(("---", "---:", "---", "---:", "---", "---")) + "|")
        return "\n".join(lines)
    widths = [max(len(line[column]) for line in cells) for column in range(len(HEADINGS))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
                     for line in cells)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time search and read marks on a synthetic thread.")
    parser.add_argument("--posts", type=int, default=100_000, help="thread size (default: 100000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure; the median is shown (default: 5)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tuireader-bench-state-") as folder:
        os.environ["TUIREADER_STATE_DIR"] = folder
        print(f"bench: building {options.posts:,} posts", file=sys.stderr)
        thread = build_thread(options.posts)
        print("bench: search", file=sys.stderr)
        rows = search_rows(thread, options.repeat)
        print("bench: read marks", file=sys.stderr)
        rows += state_rows(thread, options.repeat)
    print(format_table(rows, options.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
