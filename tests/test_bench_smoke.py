"""Smoke test of benchmarks/bench.py: what it looks for on the reader's screen and in its keys is still there.

The full benchmark takes minutes; these run the fragile parts once on our 17-post closed sample thread.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from helpers import CLOSED_SAMPLE

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_screen_text_joins_a_name_split_by_escapes_and_reads(bench: ModuleType) -> None:
    screen = bench._Screen()
    for part in (b"\x1b[2;1H\x1b[1;38;5;10", b"9mOpty\x1b[0m\x1b[1mmys", b"tic \xc2", b"\xb7 Smart\x1b[3;1Hnext"):
        screen.feed(part)
    assert screen.text == "\nOptymystic · Smart\nnext"


def test_fully_loaded_ignores_the_status_line_count(bench: ModuleType) -> None:
    pattern = bench.fully_loaded(100_000)
    assert not pattern.search("·  loading… 100,000 posts")
    assert not pattern.search("·  1,100,000 posts")
    assert pattern.search("[closed]  ·  100,000 posts")


def test_launch_in_a_terminal_sees_the_first_post_and_the_whole_thread(bench: ModuleType) -> None:
    first = bench.first_author(CLOSED_SAMPLE)
    run = bench.run_in_pty(bench.reader_command(CLOSED_SAMPLE), first, bench.fully_loaded(17), 60)
    assert first == "Pat Pending"
    assert 0 < run.first <= run.done < 60
    assert "17 posts" in run.screen
    assert run.peak_bytes > 10_000_000


def test_every_key_is_timed_on_the_sample(bench: ModuleType) -> None:
    measured = bench.run_child("keys", str(CLOSED_SAMPLE), "1", env=bench._child_env(TEXTUAL_FPS=bench.FAST_FPS))
    assert set(measured["times"]) == {name for name, _, _ in bench.KEYS}
    assert all(0 < times[0] < 5000 for times in measured["times"].values())
    assert measured["replies"] == 2
