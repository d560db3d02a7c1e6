"""End to end on real terminals: the installed ``tuireader`` in tmux, at three sizes, three colour depths, ASCII.

Each test starts its own tmux server (its own socket) running the console script on our
sample thread, types keys with ``send-keys`` and reads what a user would see with
``capture-pane`` (``-e`` for the colours), and the terminal's cursor with ``display``.
Skipped without tmux; CI installs it.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import CLOSED_SAMPLE

SCRIPT = Path(sys.executable).with_name("tuireader")
"""The console script pip installed beside this interpreter: what a user runs."""
pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is not installed (pip install -e .)"),
]
BROUGHT = {char for char in CLOSED_SAMPLE.read_text(encoding="utf-8") if not char.isascii()}
"""The non-ASCII characters the sample itself holds (an ellipsis in its summary): ours must be none."""
_SGR = re.compile(r"\x1b\[([0-9;:]*)m")


class Terminal:
    """One private tmux server running the reader in a pane of the given size."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.socket = folder / "socket"
        self.status = folder / "status"

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-S", str(self.socket), "-f", os.devnull, *args], capture_output=True, text=True, timeout=10
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def start(self, width: int, height: int, *flags: str, env: dict[str, str] | None = None) -> None:
        (self.folder / "config.toml").write_text("# the test's own, so <, > and w never touch the user's\n")
        variables = {
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
            "XDG_CONFIG_HOME": str(self.folder / "config-home"),  # no user themes or config of the machine's
            **(env or {}),
        }
        settings = " ".join(f"{name}={shlex.quote(value)}" for name, value in variables.items())
        unset = "-u NO_COLOR -u TEXTUAL_COLOR_SYSTEM -u COLUMNS -u LINES"  # the pty gives the size
        reader = shlex.join([str(SCRIPT), "--config", str(self.folder / "config.toml"), *flags, str(CLOSED_SAMPLE)])
        command = f"env {unset} {settings} {reader}; echo $? > {shlex.quote(str(self.status))}"
        self.tmux("new-session", "-d", "-s", "T", "-x", str(width), "-y", str(height), command)

    def screen(self, colours: bool = False) -> str:
        return self.tmux("capture-pane", "-p", "-t", "T", *(["-e"] if colours else []))

    def wait_for(self, text: str, seconds: float = 10, *, gone: bool = False) -> str:
        """The screen once ``text`` is on it (with ``gone``, once it is not)."""
        deadline = time.monotonic() + seconds
        while True:
            screen = self.screen()
            if (text in screen) != gone or time.monotonic() > deadline:
                assert (text in screen) != gone, screen
                return screen
            time.sleep(0.05)

    def keys(self, *keys: str, until: str | None = None) -> str:
        self.tmux("send-keys", "-t", "T", *keys)
        return self.wait_for(until) if until else self.screen()

    def opened(self) -> str:
        """Wait for the first screen and close the About card the sample's summary opens."""
        self.wait_for("About this thread")
        deadline = time.monotonic() + 8
        while "About this thread" in self.screen() and time.monotonic() < deadline:
            self.tmux("send-keys", "-t", "T", "Escape")
            time.sleep(0.4)
        return self.wait_for("1 / 17")

    def cursor(self) -> tuple[int, int]:
        x, y = self.tmux("display", "-p", "-t", "T", "#{cursor_x} #{cursor_y}").split()
        return int(x), int(y)

    def quit(self) -> None:
        """Press ``q`` (again while the reader is still up) until the shell has written its exit code.

        The server exits with the reader, so a repeat press may find it gone: that is the quit
        arriving, not a failure; the exit code decides.
        """
        deadline = time.monotonic() + 8
        while not self.exit_code() and time.monotonic() < deadline:
            subprocess.run(
                ["tmux", "-S", str(self.socket), "-f", os.devnull, "send-keys", "-t", "T", "q"],
                capture_output=True,
                timeout=10,
            )
            time.sleep(0.3)
        assert self.exit_code() == "0"

    def exit_code(self) -> str:
        """What the shell wrote after the reader ended ("" while it runs, or mid-write)."""
        return self.status.read_text().strip() if self.status.exists() else ""

    def resize(self, width: int, height: int) -> None:
        self.tmux("resize-window", "-t", "T", "-x", str(width), "-y", str(height))


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    folder = Path(tempfile.mkdtemp(prefix="tuireader-t-"))  # short: a socket path may not pass ~100 bytes
    try:
        yield Terminal(folder)
    finally:
        subprocess.run(["tmux", "-S", str(folder / "socket"), "kill-server"], capture_output=True, timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def row_of(screen: str, text: str) -> tuple[int, str]:
    return next((number, line) for number, line in enumerate(screen.splitlines()) if text in line)


@pytest.mark.parametrize(("width", "height"), [(80, 24), (60, 20), (40, 12)])
def test_each_size_opens_moves_and_puts_the_cursor_on_the_post(terminal: Terminal, width: int, height: int) -> None:
    terminal.start(width, height)
    screen = terminal.opened()
    lines = screen.splitlines()
    assert "17 posts" in lines[0] and "q Quit" in lines[-1], screen
    screen = terminal.keys("j", until="2 / 17")
    assert "nine thousand a year" in " ".join(screen.split()) or height < 20, screen
    # The terminal's cursor is on the selected row of the tree, at its author (screen readers follow it).
    y, line = row_of(screen, "• Rob Otto")  # its row in the tree (the pane's head names him too)
    assert terminal.cursor() == (line.index("Rob Otto"), y)
    # With the pane focused it is on the pane's first line.
    screen = terminal.keys("C-w")
    time.sleep(0.3)
    screen = terminal.screen()
    pane_top = next(number for number, line in enumerate(screen.splitlines()) if re.search(r"Rob Otto *[│┃]?$", line))
    x, y = terminal.cursor()
    assert y == pane_top and screen.splitlines()[y][x:].startswith("Rob Otto"), (x, y, screen)
    terminal.quit()


def test_a_whole_session_move_collapse_filter_theme_resize_quit(terminal: Terminal) -> None:
    terminal.start(80, 24)
    terminal.opened()
    screen = terminal.keys("Enter", until="▸ Pat Pending")
    assert "• Rob Otto" not in screen
    terminal.keys("Enter", until="Rob Otto")
    # Filter by one author with the picker: only her posts, the rest as context.
    terminal.keys("f", until="Type to narrow")
    terminal.keys("B", "e", "a", until="[ ] Bea Keeper")
    terminal.wait_for("[ ] Anonymous", gone=True)  # the list narrowed to her
    screen = terminal.keys("Enter", until="only Bea Keeper 7")
    assert "Bea Keeper 7" in screen and "◌" in screen, screen
    terminal.keys("F")
    terminal.wait_for("only Bea Keeper 7", gone=True)
    terminal.keys("T", until="Theme: high-contrast")
    terminal.keys("G", until="17 / 17")
    # Live resizing keeps the selected post, stacked below 70 columns.
    for width, height in ((60, 20), (40, 12), (80, 24)):
        terminal.resize(width, height)
        time.sleep(0.4)
        screen = terminal.wait_for("17 / 17")
        assert "17 posts" in screen.splitlines()[0], screen
        stacked = any(set(line.strip()) == {"▁"} for line in screen.splitlines())
        assert stacked == (width < 70), screen
    terminal.quit()


@pytest.mark.parametrize(
    ("flags", "env"),
    [(["--ascii"], {}), ([], {"TERM": "linux", "COLORTERM": ""}), (["--ascii"], {"NO_COLOR": "1"})],
    ids=["ascii", "linux-console", "ascii-no-color"],
)
def test_ascii_screens_bring_no_character_of_their_own(
    terminal: Terminal, flags: list[str], env: dict[str, str]
) -> None:
    terminal.start(80, 24, *flags, env=env)
    terminal.opened()
    steps = (
        ("j", "2 / 17"),
        ("k", "1 / 17"),
        ("Enter", "+ Pat Pending"),
        ("?", "Previous post in reading order"),
    )
    for key, shown in steps:
        screen = terminal.keys(key, until=shown)
        assert {char for char in screen if not char.isascii()} <= BROUGHT, screen
    terminal.keys("Escape")
    screen = terminal.wait_for("Previous post in reading order", gone=True)
    assert {char for char in screen if not char.isascii()} <= BROUGHT, screen
    assert "+ Pat Pending" in screen and "quietmouse v" in screen and "Bea Keeper 7 *G" in screen, screen
    terminal.quit()


def colour_codes(screen: str) -> set[str]:
    """The colour parameters of every SGR sequence on the screen: "38;2" (RGB), "38;5" (256), "31" (16)..."""
    found: set[str] = set()
    for parameters in _SGR.findall(screen):
        parts = parameters.replace(":", ";").split(";")
        index = 0
        while index < len(parts):
            part = parts[index]
            if part in ("38", "48") and index + 1 < len(parts):
                found.add(f"{part};{parts[index + 1]}")
                index += 5 if parts[index + 1] == "2" else 3
                continue
            if part and (30 <= int(part) <= 49 or 90 <= int(part) <= 107):
                found.add(part)
            index += 1
    return found


@pytest.mark.parametrize(
    ("env", "allowed"),
    [
        ({"COLORTERM": "truecolor"}, {"38;2", "48;2"}),
        ({"COLORTERM": "", "TEXTUAL_COLOR_SYSTEM": "256"}, {"38;5", "48;5"}),
        ({"COLORTERM": "", "TERM": "xterm"}, {str(code) for code in (*range(30, 50), *range(90, 108))}),
        ({"NO_COLOR": "1"}, {"39", "49"}),
    ],
    ids=["truecolor", "256", "16", "no-color"],
)
def test_every_colour_depth_draws_in_its_own_colours(
    terminal: Terminal, env: dict[str, str], allowed: set[str]
) -> None:
    terminal.start(80, 24, env=env)
    terminal.opened()
    screen = terminal.keys("j", until="2 / 17")
    assert "Pat Pending" in screen and "what it costs" in screen
    codes = colour_codes(terminal.screen(colours=True))
    assert codes <= allowed | {"39", "49"}, codes
    assert env.get("NO_COLOR") or codes & allowed, codes
    terminal.quit()
