"""Where a thread comes from: a pipe (keys then come from the terminal), gzip, a directory, an unknown file.

The terminal cases run the installed program in tmux, since what matters is the
terminal's own state: a reader whose standard input is a pipe or /dev/null must
still take keys (and quit on ``q``) instead of idling for ever.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import REPO

from tuireader.formats import REGISTRY, known_formats, load, open_source

SAMPLE = REPO / "sample_threads" / "sample.txt"
needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def run_reader(*args: str, stdin: bytes | None = None, new_session: bool = False) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "tuireader", *args]
    return subprocess.run(command, input=stdin, capture_output=True, timeout=60, start_new_session=new_session)


def test_export_reads_a_thread_from_standard_input() -> None:
    result = run_reader("export", "-", "--to", "json", stdin=SAMPLE.read_bytes())
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["posts"]) == len(load(SAMPLE).posts)


def test_an_empty_pipe_is_one_clear_line() -> None:
    result = run_reader("export", "-", stdin=b"")
    assert result.returncode == 2
    assert result.stderr.decode() == "tuireader: (standard input): empty file: there is no thread in it\n"


def test_without_a_terminal_the_reader_refuses_rather_than_idling() -> None:
    """No controlling terminal (a new session) and no terminal on standard input: nothing to read keys from."""
    result = run_reader(str(SAMPLE), stdin=b"", new_session=True)
    assert result.returncode == 2
    assert result.stderr.decode().startswith("tuireader: standard input is not a terminal and there is no terminal")
    assert result.stderr.count(b"\n") == 1


def test_a_gzip_compressed_thread_is_read_whatever_its_name(tmp_path: Path) -> None:
    packed = tmp_path / "thread.data"
    packed.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    assert load(packed).posts == load(SAMPLE).posts


def test_a_directory_no_format_claims_and_an_unknown_file_name_the_formats(tmp_path: Path) -> None:
    result = run_reader("export", str(tmp_path))
    assert result.returncode == 2 and b"is a directory, not a thread file" in result.stderr
    unknown = tmp_path / "data.json"
    unknown.write_text('{"something": "else"}')
    result = run_reader("export", str(unknown))
    assert result.returncode == 2
    message = result.stderr.decode()
    assert "not a thread file this reader understands (tried: " in message
    assert known_formats() in message and "tuireader's own JSON" in message and message.count("\n") == 1
    assert REGISTRY[-1].label == "forum text"  # the fallback is tried last


@needs_tmux
@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (f"cat {SAMPLE} | {sys.executable} -m tuireader", "Ten years on"),  # the thread from the pipe
        (f"{sys.executable} -m tuireader - < {SAMPLE}", "Ten years on"),
        (f"echo hi | {sys.executable} -m tuireader {SAMPLE}", "Ten years on"),  # a file named, junk piped
        (f"{sys.executable} -m tuireader {SAMPLE} < /dev/null", "Ten years on"),
    ],
)
def test_keys_come_from_the_terminal_when_standard_input_is_not_one(
    tmp_path: Path, command: str, expected: str
) -> None:
    status = tmp_path / "status"
    socket = tmp_path / "socket"

    def tmux(*args: str) -> str:
        result = subprocess.run(["tmux", "-S", str(socket), "-f", "/dev/null", *args], capture_output=True, text=True)
        return result.stdout

    tmux("new-session", "-d", "-s", "S", "-x", "100", "-y", "30", f"{command}; echo $? > {status}; sleep 5")
    try:
        deadline = time.monotonic() + 15
        while expected not in tmux("capture-pane", "-p", "-t", "S") and time.monotonic() < deadline:
            time.sleep(0.05)
        screen = tmux("capture-pane", "-p", "-t", "S")
        assert expected in screen, screen
        tmux("send-keys", "-t", "S", "j")
        deadline = time.monotonic() + 5
        while "2 / 40" not in tmux("capture-pane", "-p", "-t", "S") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "2 / 40" in tmux("capture-pane", "-p", "-t", "S")  # the key reached the reader
        tmux("send-keys", "-t", "S", "q")
        deadline = time.monotonic() + 10
        while not (status.exists() and status.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(0.05)  # the shell may have created the file and not yet written the code
        assert status.read_text().strip() == "0"
    finally:
        tmux("kill-server")


OLD_MAC = (
    "back to article A title\r\rA summary.\r\r"
    "  1. Ann\r\r    First\r\r    Hello there.\r\r"
    "  2. Bob\r\r    Second\r\r    Hi.\r"
)


def test_old_mac_line_ends_with_one_trailing_lf_keep_every_post(tmp_path: Path) -> None:
    path = tmp_path / "mac.txt"
    path.write_bytes((OLD_MAC + "\n").encode())
    result = run_reader("export", str(path), "--to", "json")
    assert result.returncode == 0 and not result.stderr, result.stderr
    posts = json.loads(result.stdout)["posts"]
    assert [(post["author"], post["title"], post["body"]) for post in posts] == [
        ("Ann", "First", "Hello there."),
        ("Bob", "Second", "Hi."),
    ]


def test_mixed_cr_lf_and_crlf_are_all_line_ends(tmp_path: Path) -> None:
    """A lone CR used to be deleted, merging a post into the one before it."""
    text = OLD_MAC.replace("\r\r  2. Bob", "\r\n\n  2. Bob").replace("Hi.\r", "Hi.\r\n")
    mixed = tmp_path / "mixed.txt"
    mixed.write_bytes(text.encode())
    plain = tmp_path / "plain.txt"
    plain.write_bytes(OLD_MAC.replace("\r", "\n").encode())
    assert load(mixed).posts == load(plain).posts and len(load(mixed).posts) == 2


def test_a_file_that_changes_while_it_is_read_says_so(tmp_path: Path) -> None:
    path = tmp_path / "growing.txt"
    posts = "".join(f"  {n}. user{n}\n\n    Title {n}\n\n    {'words ' * 12}\n\n" for n in range(1, 30_001))
    path.write_text(posts, encoding="utf-8")  # 2.7 MB: read in several pieces, the last one after the change
    source = open_source(path)
    with path.open("a", encoding="utf-8") as handle:  # another program adds to it before the end is read
        handle.write("\n  41. Late Comer\n\n    Late\n\n    Written while the reader was reading.\n")
    thread = source.build()
    assert any("changed while it was being read" in warning for warning in thread.warnings), thread.warnings
    unchanged = open_source(SAMPLE).build()
    assert not any("changed while" in warning for warning in unchanged.warnings)
