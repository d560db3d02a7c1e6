"""The benchmark generator: deterministic, well-formed, the promised shape, and both formats agree."""

from __future__ import annotations

import importlib.util
import io
import itertools
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "generate.py"


def _load() -> ModuleType:
    """Import benchmarks/generate.py by path: ``benchmarks`` is a folder of scripts, not a package."""
    spec = importlib.util.spec_from_file_location("benchmarks_generate", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _load()

AUTHOR_LINE = re.compile(r"^( *)(\d+)\. (\S.*)$")
BADGE = re.compile(r"^(.*) (Gold|Silver|Bronze) badge$")


def render(posts: int, fmt: str, seed: int = 1, *, deep: bool = False) -> str:
    out = io.StringIO()
    gen.generate(posts, fmt, seed, out, deep=deep)
    return out.getvalue()


def thread_json(posts: int, seed: int = 1, *, deep: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render(posts, "json", seed, deep=deep))
    return data


def outline_depth(post_id: str) -> int:
    return post_id.count(".")


def text_blocks(text: str) -> tuple[list[str], list[tuple[int, int, list[str]]]]:
    """The header lines and, per post, (indent, outline number, its lines after the author line)."""
    lines = text.split("\n")
    header: list[str] = []
    blocks: list[tuple[int, int, list[str]]] = []
    for line in lines:
        match = AUTHOR_LINE.match(line)
        if match:
            blocks.append((len(match.group(1)), int(match.group(2)), [match.group(3)]))
        elif blocks:
            blocks[-1][2].append(line)
        else:
            header.append(line)
    return header, blocks


# Determinism --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_same_seed_gives_the_same_bytes(fmt: str) -> None:
    assert render(400, fmt, seed=7) == render(400, fmt, seed=7)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_different_seeds_give_different_threads(fmt: str) -> None:
    assert render(400, fmt, seed=7) != render(400, fmt, seed=8)


def test_command_line_writes_the_same_bytes_as_the_function(tmp_path: Path) -> None:
    target = tmp_path / "thread.txt"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--posts", "300", "--format", "text", "--seed", "3", "-o", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert target.read_bytes() == render(300, "text", seed=3).encode("utf-8")


def test_path_output_matches_stream_output(tmp_path: Path) -> None:
    target = tmp_path / "thread.json"
    gen.generate(200, "json", 5, target)
    assert target.read_text(encoding="utf-8") == render(200, "json", seed=5)


# JSON ---------------------------------------------------------------------------


def test_json_parses_with_the_requested_count_and_parents_first() -> None:
    data = thread_json(1500, seed=2)
    assert data["format"] == "tuireader-thread"
    assert data["version"] == 1
    assert data["url"] is None
    assert data["title"] and data["summary"]
    assert isinstance(data["closed"], bool)
    posts = data["posts"]
    assert len(posts) == 1500
    seen: set[str] = set()
    for post in posts:
        assert list(post) == [
            "id", "parent", "author", "badge", "icons", "title", "body", "time", "up", "down", "score", "deleted",
        ]  # fmt: skip
        assert post["id"] not in seen
        if post["parent"] is None:
            assert "." not in post["id"]
        else:
            assert post["parent"] in seen
            assert post["id"].rsplit(".", 1)[0] == post["parent"]
        seen.add(post["id"])


def test_json_is_in_depth_first_reading_order_with_outline_ids() -> None:
    """Each post replies to the post before it or one of its ancestors, and siblings count up from 1."""
    posts = thread_json(1500, seed=2)["posts"]
    spine: list[str] = []
    last_child: dict[str | None, int] = {}
    for post in posts:
        depth = outline_depth(post["id"])
        assert depth <= len(spine)
        del spine[depth:]
        assert post["parent"] == (spine[-1] if spine else None)
        number = int(post["id"].rsplit(".", 1)[-1])
        assert number == last_child.get(post["parent"], 0) + 1
        last_child[post["parent"]] = number
        spine.append(post["id"])


def test_json_fields_are_consistent() -> None:
    posts = thread_json(3000, seed=4)["posts"]
    time_pattern = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
    by_id = {post["id"]: post for post in posts}
    for post in posts:
        assert time_pattern.match(post["time"])
        if post["parent"] is not None:
            assert post["time"] > by_id[post["parent"]]["time"]
        assert post["badge"] in (None, "Gold", "Silver", "Bronze")
        if post["up"] is None:
            assert post["down"] is None and post["score"] is None
        else:
            assert post["score"] == post["up"] - post["down"]
        if post["deleted"]:
            assert post["body"] == "" and post["icons"] == []
        else:
            paragraphs = post["body"].split("\n\n")
            assert 1 <= len(paragraphs) <= 4
            assert all(40 <= len(paragraph) <= 400 and "\n" not in paragraph for paragraph in paragraphs)
    assert any(post["deleted"] for post in posts)
    assert any(post["title"] == "" for post in posts)
    assert any(post["up"] is not None for post in posts)


def test_word_lists_need_no_json_escaping() -> None:
    """The JSON writer puts post bodies in without escaping them; that is only safe for these words."""
    for word in gen._WORDS:
        assert json.dumps(word, ensure_ascii=False) == f'"{word}"'


# Text ---------------------------------------------------------------------------


def test_text_header_follows_the_export_layout() -> None:
    closed_seen = set()
    for seed in (1, 2, 3, 4):
        header, _ = text_blocks(render(5, "text", seed=seed))
        data = thread_json(5, seed=seed)
        assert header[0] == f"back to article {data['title']}"
        assert header[1:5] == ["", data["summary"], "", ""]
        assert header[5:] == (["This topic is closed for new posts."] if data["closed"] else [])
        closed_seen.add(data["closed"])
    assert closed_seen == {True, False}


def test_text_has_one_author_line_per_post() -> None:
    _, blocks = text_blocks(render(2000, "text", seed=6))
    assert len(blocks) == 2000


def test_text_indentation_nests() -> None:
    """Top-level posts sit at indent 2; each post is at most one level (2 spaces) deeper than the one before."""
    _, blocks = text_blocks(render(2000, "text", seed=6))
    previous = 0
    for indent, _number, _lines in blocks:
        assert indent % 2 == 0 and 2 <= indent <= previous + 2
        previous = indent
    assert max(indent for indent, _, _ in blocks) >= 2 + 2 * 30


def test_text_numbers_siblings_from_one() -> None:
    _, blocks = text_blocks(render(2000, "text", seed=6))
    counters: list[int] = []
    for indent, number, _lines in blocks:
        depth = indent // 2 - 1
        del counters[depth + 1 :]
        if depth == len(counters):
            counters.append(0)
        assert number == counters[depth] + 1
        counters[depth] = number


def test_text_and_json_describe_the_same_posts() -> None:
    """Read each text block by the layout rules and compare it with the JSON post of the same seed."""
    _, blocks = text_blocks(render(1500, "text", seed=9))
    posts = thread_json(1500, seed=9)["posts"]
    assert len(blocks) == len(posts)
    for (indent, number, lines), post in zip(blocks, posts, strict=True):
        assert indent == 2 + 2 * outline_depth(post["id"])
        assert number == int(post["id"].rsplit(".", 1)[-1])
        body = " " * (indent + 2)
        author_line = lines[0]
        badge = BADGE.match(author_line)
        assert (badge.group(1) if badge else author_line) == post["author"]
        assert (badge.group(2) if badge else None) == post["badge"]
        position = 1
        icons = []
        while lines[position]:
            assert lines[position].startswith(body) and lines[position][len(body)] != " "
            icons.append(lines[position][len(body) :])
            position += 1
        assert icons == post["icons"]
        assert lines[position] == ""
        title = lines[position + 1]
        assert title == (body + post["title"] if post["title"] else "")
        assert lines[position + 2] == ""
        rest = lines[position + 3 :]
        if post is posts[-1]:
            rest = [line for line in rest if line != "This topic is closed for new posts."]
        while rest and rest[-1] == "":
            rest.pop()
        assert all(line.startswith(body) and line[len(body)] != " " for line in rest if line)
        content = [line[len(body) :] for line in rest]
        if post["deleted"]:
            assert content == ["This post has been deleted by its author"]
            continue
        if post["up"] is not None:
            assert content[-2:] == [str(post["up"]), str(post["down"])]
            assert content[-3] == ""
            content = content[:-3]
        assert content[1::2] == [""] * (len(content) // 2)
        assert content[::2] == post["body"].split("\n\n")


# Shape --------------------------------------------------------------------------


def test_thread_has_the_promised_shape() -> None:
    posts = list(gen.synthetic_posts(10_000, 1))
    assert len(posts) == 10_000
    top = [index for index, post in enumerate(posts) if post.depth == 0]
    assert len(top) == 2_000
    descendants = [end - start - 1 for start, end in itertools.pairwise([*top, len(posts)])]
    assert descendants[0] == 1_000
    assert sum(1 for count in descendants if count == 0) > 200
    depths = Counter(post.depth for post in posts if post.depth)
    assert sum(count for depth, count in depths.items() if depth <= 6) / sum(depths.values()) > 0.97
    assert max(depths) >= 30
    authors = Counter(post.author for post in posts)
    assert 1_000 < len(authors) <= 2_000
    assert authors.most_common(1)[0][1] > 50 * sorted(authors.values())[len(authors) // 2]
    assert 0.02 < sum(post.badge is not None for post in posts) / len(posts) < 0.09
    assert 0.07 < sum(bool(post.icons) for post in posts) / len(posts) < 0.13
    assert 20 <= sum(post.deleted for post in posts) <= 80


def test_an_author_keeps_one_badge() -> None:
    badges: dict[str, set[str | None]] = {}
    for post in gen.synthetic_posts(5_000, 3):
        badges.setdefault(post.author, set()).add(post.badge)
    assert all(len(kinds) == 1 for kinds in badges.values())


def test_tiny_threads() -> None:
    assert thread_json(0)["posts"] == []
    assert text_blocks(render(0, "text"))[1] == []
    for size in (1, 2, 4, 9, 11):
        assert len(thread_json(size, seed=size)["posts"]) == size
        assert len(text_blocks(render(size, "text", seed=size))[1]) == size


# Deep chains --------------------------------------------------------------------


def test_deep_json_is_one_chain() -> None:
    posts = thread_json(3_000, deep=True)["posts"]
    assert len(posts) == 3_000
    assert posts[0]["parent"] is None
    for before, after in itertools.pairwise(posts):
        assert after["parent"] == before["id"]
    assert len({post["id"] for post in posts}) == 3_000


def test_deep_text_is_one_chain() -> None:
    _, blocks = text_blocks(render(500, "text", deep=True))
    assert [indent for indent, _, _ in blocks] == [2 + 2 * depth for depth in range(500)]
    assert all(number == 1 for _, number, _ in blocks)


def test_deep_text_refuses_a_chain_too_long_to_write() -> None:
    out = io.StringIO()
    with pytest.raises(ValueError, match="limit"):
        gen.generate(gen.MAX_TEXT_DEEP + 1, "text", 1, out, deep=True)
    assert out.getvalue() == ""


def test_command_line_reports_errors_with_status_2(tmp_path: Path) -> None:
    target = tmp_path / "deep.txt"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--deep", "200000", "--format", "text", "-o", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "limit" in result.stderr
    assert not target.exists()


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        gen.generate(10, "yaml", 1, io.StringIO())
