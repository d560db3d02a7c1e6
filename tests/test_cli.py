"""The command line as a user runs it: a subprocess, its output, its exit status."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import CLOSED_SAMPLE, REPO, run_cli


def assert_one_error_line(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 2, result.stderr
    err = result.stderr.strip()
    assert err.startswith("tuireader: ") and "\n" not in err, err
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in err, err


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_export_json_of_the_closed_sample() -> None:
    text = CLOSED_SAMPLE.read_text(encoding="utf-8")
    result = run_cli("export", str(CLOSED_SAMPLE), "--to", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["title"] == text.splitlines()[0].removeprefix("back to article ")
    assert doc["closed"] is True
    assert len(doc["posts"]) == len(re.findall(r"^ +\d+\. \S", text, re.MULTILINE))
    top_level = len(re.findall(r"^  \d+\. ", text, re.MULTILINE))
    assert [p["id"] for p in doc["posts"] if p["parent"] is None] == [str(i) for i in range(1, top_level + 1)]


def test_export_then_load_gives_identical_posts(tmp_path: Path) -> None:
    first = run_cli("export", str(CLOSED_SAMPLE), "--to", "json")
    saved = tmp_path / "thread.json"
    saved.write_text(first.stdout, encoding="utf-8")
    second = run_cli("export", str(saved), "--to", "json")
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout)["posts"] == json.loads(first.stdout)["posts"]


def test_export_text_indents_replies() -> None:
    result = run_cli("export", str(CLOSED_SAMPLE), "--to", "text")
    assert result.returncode == 0, result.stderr
    assert "Ella Vator" in result.stdout
    author_line = next(line for line in result.stdout.splitlines() if "Ella Vator" in line)
    top_line = next(line for line in result.stdout.splitlines() if "The Late Reader" in line)
    indent = len(author_line) - len(author_line.lstrip())
    assert indent > len(top_line) - len(top_line.lstrip())


def test_version_and_help() -> None:
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("tuireader ")
    help_text = run_cli("--help").stdout
    for word in ("export", "themes", "FILE", "--version"):
        assert word in help_text
    export_help = run_cli("export", "--help").stdout
    assert "--to" in export_help and "markdown" in export_help


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "is a directory"),
        (lambda d: _write(d / "empty.txt", b""), "empty file"),
        (lambda d: _write(d / "bin.dat", b"\x00\x01\x02garbage" * 10), "binary"),
    ],
    ids=["missing", "directory", "empty", "binary"],
)
def test_bad_paths_give_one_line_and_exit_2(tmp_path: Path, make: object, fragment: str) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    for args in (("export", str(path)), (str(path),)):
        assert_one_error_line(run_cli(*args), str(path), fragment)


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert_one_error_line(run_cli("export", str(fifo)), "not a regular file")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("x")
    path.chmod(0)
    assert_one_error_line(run_cli("export", str(path)), "permission denied")


def test_unparseable_json_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"title": "x",\n "posts": [\n  {"id": "1", "author": "a"},\n', encoding="utf-8")
    assert_one_error_line(run_cli("export", str(path)), f"{path}:")


def test_bad_flag_gives_one_line() -> None:
    assert_one_error_line(run_cli("--no-such-flag"), "--no-such-flag")
    assert_one_error_line(run_cli("export", "x", "--to", "pdf"), "pdf")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_the_reader_quits_when_its_terminal_goes_away_without_a_hangup_signal(tmp_path: Path) -> None:
    """A closed pseudo-terminal with no SIGHUP (the process is not its session's leader here)
    must not leave the reader behind reading end-of-file in a busy loop."""
    master, slave = os.openpty()
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CONFIG_HOME": str(tmp_path)}
    reader = subprocess.Popen(
        [sys.executable, "-m", "tuireader"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,  # no controlling terminal, so closing it sends no signal
    )
    os.close(slave)
    try:
        seen, deadline = b"", time.monotonic() + 30
        while b"Quit" not in seen:  # the footer: the first screen is up
            assert time.monotonic() < deadline, f"no first screen: {seen[-300:]!r}"
            if select.select([master], [], [], 1)[0]:
                seen += os.read(master, 65536)
        os.close(master)
        assert reader.wait(timeout=15) == 0
    finally:
        if reader.poll() is None:
            reader.kill()
