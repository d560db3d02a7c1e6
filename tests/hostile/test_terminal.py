"""End to end: the real program in tmux, and every byte it sends to the terminal.

tmux's ``pipe-pane -o`` copies what the program writes, before any terminal
interprets it, so the test can look for escape sequences that came from the file
(each one followed by its marker word), and tmux's own pane title shows whether
anything retitled the terminal. About 4 s per format; skipped without tmux.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import hostile_payloads as hp
import pytest

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WIDTH, HEIGHT = 120, 40
LAUNCHER = """\
import os, subprocess, sys, time
here = os.path.dirname(os.path.abspath(__file__))
deadline = time.monotonic() + 20
while not os.path.exists(os.path.join(here, "go")) and time.monotonic() < deadline:
    time.sleep(0.02)
with open(os.path.join(here, "name.bin"), "rb") as handle:
    name = os.fsdecode(handle.read())
for stale in ("COLUMNS", "LINES"):  # tmux started from pytest passes 80x24 here; the pty knows better
    os.environ.pop(stale, None)
status = subprocess.call([sys.executable, "-m", "tuireader", name])
with open(os.path.join(here, "status.part"), "w") as handle:
    handle.write(str(status))
os.rename(os.path.join(here, "status.part"), os.path.join(here, "status"))
"""
"""Waits until the output is being recorded, runs the reader, and writes down its exit status.

(tmux's own ``pane_dead_status`` is sometimes never filled in: it can miss reaping the child.)
The file name travels as raw bytes."""


class Tmux:
    """One private tmux server, on its own socket file, running one pane."""

    def __init__(self, socket: Path) -> None:
        self.socket = socket

    def __call__(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-S", str(self.socket), "-f", os.devnull, *args], capture_output=True, text=True, timeout=10
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", "S")

    def wait_for(self, predicate: str, seconds: float = 8) -> str:
        deadline = time.monotonic() + seconds
        while True:
            screen = self.screen()
            if predicate in screen or time.monotonic() > deadline:
                return screen
            time.sleep(0.05)

    def pane(self, field: str) -> str:
        return self("display", "-p", "-t", "S", f"#{{{field}}}").strip()


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    folder = Path(tempfile.mkdtemp(prefix="tuireader-tmux-"))  # short: a socket path may not pass ~100 bytes
    server = Tmux(folder / "socket")
    try:
        yield server
    finally:
        subprocess.run(["tmux", "-S", str(server.socket), "kill-server"], capture_output=True, timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


@needs_tmux
@pytest.mark.parametrize("fmt", ["json", "text"])
def test_no_byte_from_the_file_reaches_the_terminal(tmp_path: Path, tmux: Tmux, fmt: str) -> None:
    thread_file = hp.write(tmp_path, fmt, hp.HOSTILE_NAME + "." + fmt)  # a hostile name, shown in a warning
    (tmp_path / "name.bin").write_bytes(os.fsencode(str(thread_file)))
    (tmp_path / "launch.py").write_text(LAUNCHER)
    log = tmp_path / "terminal.log"
    command = f"{sys.executable} {tmp_path / 'launch.py'}"
    tmux("new-session", "-d", "-s", "S", "-x", str(WIDTH), "-y", str(HEIGHT), "-e", f"PYTHONPATH={hp.REPO}", command)
    tmux("set-option", "-t", "S", "remain-on-exit", "on")  # keep the pane (and its title) after the reader ends
    tmux("pipe-pane", "-o", "-t", "S", f"cat >> {log}")
    initial_title = tmux.pane("pane_title")
    (tmp_path / "go").touch()

    screen = tmux.wait_for("While loading")
    assert "posts" in screen and "While loading" in screen, screen
    # The file has a summary, so its About card opens over the tree; Escape closes it (again if the key
    # came in while the reader was still reading the terminal's answers to its start-up queries).
    deadline = time.monotonic() + 8
    while "About this thread" in tmux.screen() and time.monotonic() < deadline:
        tmux("send-keys", "-t", "S", "Escape")
        time.sleep(0.7)
    screen = tmux.wait_for("REDA")
    # The payloads are on screen, visibly and inertly (so their absence from the byte stream means something).
    assert "[bold]x[/bold] [@click=app.quit] ␛[31mREDA" in screen
    assert "␛]0;PWNTITLE␇[bold]Hostile[/bold]" in screen
    assert "evil␛]0;PWNTITLE␇␛[31mNAME" in screen  # the file name, in the invalid-UTF-8 warning
    for key in ("j", "Enter", "G", "?"):
        tmux("send-keys", "-t", "S", key)
        time.sleep(0.3)
    title_while_running = tmux.pane("pane_title")
    # q closes the help screen, then leaves; on a busy machine the help may open late, so q until it is gone.
    status_file = tmp_path / "status"
    deadline = time.monotonic() + 8
    next_q = 0.0
    while not status_file.exists() and time.monotonic() < deadline:
        if time.monotonic() >= next_q:
            tmux("send-keys", "-t", "S", "q")
            next_q = time.monotonic() + 0.7
        time.sleep(0.05)
    assert status_file.exists(), tmux.screen()
    assert status_file.read_text() == "0", tmux.screen()

    for title in (title_while_running, tmux.pane("pane_title")):
        assert title == initial_title and hp.TITLE_WORD not in title
    time.sleep(0.2)  # let the recording cat drain
    raw = log.read_bytes()
    assert len(raw) > 10_000
    assert_inert_stream(raw)


def assert_inert_stream(raw: bytes) -> None:
    """The checks on what the program wrote: nothing the file's escape sequences would have sent."""
    stream = raw.decode("utf-8")  # strict: a lone 0x9b byte (8-bit CSI) would not decode
    assert not {char for char in stream if "\x80" <= char <= "\x9f"}, "a C1 control reached the terminal"
    for sequence in hp.forbidden_sequences():
        assert sequence not in stream, repr(sequence)
    for marker in ("\x1b]52", "\x1b]0;", "\x1b]1;", "\x1b]2;", "\x1bP", "\u202e", "\u2066", "\u200b", "\x7f"):
        assert marker not in stream, repr(marker)
    assert not hp.unsafe_chars(stream.replace("\x1b", "").replace("\r", "").replace("\x07", "")), "invisible text"
    # Hyperlinks (OSC 8) may only be the empty "end of link" form: no target from the file.
    for target in re.findall(r"\x1b\]8;[^;\x07\x1b]*;([^\x07\x1b]*)", stream):
        assert target == "", target
    # No operating-system command or device control string carries the file's words.
    for body in re.findall(r"\x1b[\]P_^]([^\x07\x1b]*)", stream):
        assert hp.TITLE_WORD not in body and hp.EVIL_HOST not in body, body
    # Each payload word shows up only after its visible placeholder, never after a raw sequence.
    for sequence, word in hp.ESCAPES.values():
        for position in (match.start() for match in re.finditer(word, stream)):
            before = stream[max(0, position - len(sequence)) : position]
            assert before != sequence, (sequence, word)
    assert "␛[31mREDALERT" in stream and "␛]52;c;UFdORUQ=␇CLIPPED" in stream


INERT = "ok ␛[31mREDALERT ␛]52;c;UFdORUQ=␇CLIPPED \x1b[1mbold\x1b[0m \x1b]8;;\x1b\\ │›␛".encode()
"""A stream like the reader's: its own styles, an empty link end, and the placeholders (␛ is E2 90 9B)."""


def test_the_stream_checks_pass_the_readers_own_output() -> None:
    assert_inert_stream(INERT)


@pytest.mark.parametrize(
    "leak",
    [
        *hp.forbidden_sequences(),
        "\x1b]8;;https://evil.example/\x1b\\",
        "\x1b]0;anything\x07",
        "\x1b]7;file://PWNTITLE/\x07",
        "\x1b_PWNTITLE\x1b\\",
        "\x9b",
        "\u202e",
        "\U000e0041",
    ],
)
def test_the_stream_checks_catch_each_leak(leak: str) -> None:
    with pytest.raises(AssertionError):
        assert_inert_stream(INERT + leak.encode("utf-8"))


def test_a_raw_8bit_csi_byte_is_caught() -> None:
    with pytest.raises(UnicodeDecodeError):
        assert_inert_stream(INERT + b"\x9b31m")
