"""``tuireader --serve``: the installed reader served on localhost and read in a real headless Chromium.

Chromium comes from the system's packages and is driven through Playwright (never
``playwright install``, which downloads a browser of its own). The page draws the
terminal on a canvas, so what it shows is read where the page gets it: the bytes of the
reader's screen arriving over its websocket. Skipped when Chromium, Playwright or
textual-serve is missing.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import REPO

SAMPLE = REPO / "sample_threads" / "sample.txt"
"""A thread without a summary, so no About card stands between the first screen and the first key."""

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCRIPT = Path(sys.executable).with_name("tuireader")
_ESCAPES = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]")

playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")
pytest.importorskip("textual_serve", reason="textual-serve is not installed (pip install 'tuireader[web]')")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed (apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[int, str]]:
    """The reader served on a free port: (port, the line it printed on standard error)."""
    port = free_port()
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    process = subprocess.Popen(
        [str(SCRIPT), "--serve", "--port", str(port), "--config", str(config), str(SAMPLE)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path)},
        start_new_session=True,  # its readers too are stopped with it
    )
    assert process.stderr is not None
    try:
        line = process.stderr.readline().decode()
        yield port, line
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what ctrl+c sends
        try:
            assert process.wait(timeout=10) == 0
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def listening_addresses(port: int) -> set[str]:
    """The local addresses (hex, as the kernel writes them) of sockets listening on ``port``."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        with open(table, encoding="ascii") as rows:
            for row in list(rows)[1:]:
                local, state = row.split()[1], row.split()[3]
                address, _, hex_port = local.partition(":")
                if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                    found.add(address)
    return found


def test_the_browser_shows_the_thread_and_j_moves_to_the_second_post(server: tuple[int, str]) -> None:
    port, line = server
    assert line.startswith("tuireader: serving ") and f"http://127.0.0.1:{port}" in line, line
    assert "only this machine" in line
    if os.path.exists("/proc/net/tcp"):
        assert listening_addresses(port) == {"0100007F"}, "listens on 127.0.0.1 alone"
    received: list[bytes] = []
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())  # no web font
            page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: received.append(frame)))
            page.goto(f"http://127.0.0.1:{port}/")
            shown = wait_for_text(page, received, "1 / 40")
            assert "Ruth Lessly" in shown and "Ten years on, the office laptop" in shown
            keys = page.locator("#terminal textarea")  # xterm.js takes keys through its hidden text area
            keys.wait_for(state="attached")
            keys.focus()
            before = len(received)
            for attempt in range(4):  # a key sent while the page is still wiring its input can be lost: again
                keys.press("j")
                try:
                    shown = wait_for_text(page, received, "take the battery out entirely", start=before, seconds=4)
                    break
                except AssertionError:
                    if attempt == 3:
                        raise
            assert "2 / 40" in shown and "in reply to" in shown
        finally:
            browser.close()


def wait_for_text(page: playwright.Page, frames: list[bytes], text: str, *, start: int = 0, seconds: float = 15) -> str:
    """What the page has received since frame ``start``, as text, once ``text`` is in it.

    Waiting through the page lets Playwright deliver the frames meanwhile.
    """
    deadline = time.monotonic() + seconds
    while True:
        data = b"".join(frame for frame in frames[start:] if isinstance(frame, bytes))
        shown = " ".join(_ESCAPES.sub(" ", data.decode("utf-8", "replace")).split())
        if text in shown or time.monotonic() > deadline:
            assert text in shown, shown[-2000:]
            return shown
        page.wait_for_timeout(100)
