"""Robustness around the thread file: config and theme files that block, signals, I/O errors, names, joiners.

Every test that could hang if the reader regressed has a timeout (a subprocess's
own, or a worker thread that is waited for), so a hang fails instead of stalling the run.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import hostile_payloads as hp
import pytest
from helpers import SMALL_OUTLINE, notices, run_cli, screen_text, thread_from_outline
from hypothesis import given, settings
from hypothesis import strategies as st
from test_terminal import Tmux, needs_tmux
from textual.pilot import Pilot

from tuireader.app import ReaderApp
from tuireader.author_search import AuthorIndex, Narrowing
from tuireader.cli import main
from tuireader.errors import InputError
from tuireader.model import Post, Thread
from tuireader.sanitize import clean, clean_line, is_safe, is_safe_line
from tuireader.screens.author_picker import HINT, AuthorPicker
from tuireader.themes import ReaderTheme, ThemeSources, choose_theme

# Joiners (ZWNJ, ZWJ) ---------------------------------------------------------------

ZWNJ, ZWJ = "\u200c", "\u200d"
JOINED = {
    "Persian (ZWNJ between letters)": f"می{ZWNJ}خواهم",
    "Hindi (ZWJ after a virama)": f"क्{ZWJ}ष",
    "family emoji": f"👨{ZWJ}👩{ZWJ}👧",
    "emoji with presentation selector": f"❤\ufe0f{ZWJ}🔥",
    "emoji with skin tone": f"👩🏽{ZWJ}💻",
}


@pytest.mark.parametrize("text", JOINED.values(), ids=JOINED.keys())
def test_joiners_between_letters_marks_or_emoji_are_kept(text: str) -> None:
    for shown in (f"{text} and more", f"{text}\nsecond line"):
        assert clean(shown) == shown and is_safe(shown)
    assert clean_line(text) == text and is_safe_line(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"{ZWJ}می", "می"),
        (f"می{ZWNJ}", "می"),
        (f"م{ZWNJ}{ZWNJ}ی", "می"),
        (f"👨{ZWJ}{ZWJ}👩", "👨👩"),
        (f"ad{ZWJ}min", "admin"),
        (f"م{ZWNJ} ی", "م ی"),
        (f"word{ZWJ}.", "word."),
        (f"م{ZWNJ}\x1bی", "م␛ی"),
        (f"م{ZWNJ}\u200bی", "می"),
    ],
    ids=["leading", "trailing", "run", "emoji-run", "ascii", "space", "punctuation", "control", "zero-width"],
)
def test_joiners_that_join_nothing_are_removed(text: str, expected: str) -> None:
    assert clean(text) == expected and clean(expected) == expected
    assert clean_line(text) == expected
    assert not is_safe(text) and not is_safe_line(text)


# Config and theme files that would block (FIFOs) -------------------------------------


def run_in(xdg: Path, *args: str, timeout: float = 20) -> subprocess.CompletedProcess[bytes]:
    """The real program with its own config folder; the timeout turns a hang into a failure."""
    return run_cli(*args, env={"XDG_CONFIG_HOME": str(xdg)}, timeout=timeout, raw=True)


def one_line(result: subprocess.CompletedProcess[bytes], status: int = 2) -> str:
    err = result.stderr.decode("utf-8")
    assert result.returncode == status, err
    assert err.startswith("tuireader: ") and err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.fixture
def user_themes(tmp_path: Path) -> Path:
    """The user's theme folder under a private XDG_CONFIG_HOME (``tmp_path / "xdg"``)."""
    folder = tmp_path / "xdg" / "tuireader" / "themes"
    folder.mkdir(parents=True)
    return folder


def test_a_fifo_as_config_file_is_refused_at_once(tmp_path: Path, user_themes: Path) -> None:
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    err = one_line(run_in(tmp_path / "xdg", "--config", str(fifo), str(hp.REPO / "sample_threads" / "sample.txt")))
    assert f"{fifo}: not a regular file" in err


class FifoWatchdog:
    """Opens a FIFO's writing end after a while, so a reader stuck opening it goes on (and the test fails)."""

    def __init__(self, fifo: Path, seconds: float) -> None:
        self.fifo = fifo
        self.fired = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(seconds,), daemon=True)
        self._thread.start()

    def _run(self, seconds: float) -> None:
        if self._stop.wait(seconds):
            return
        while not self._stop.is_set():
            try:
                os.close(os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK))  # fails until a reader waits
            except OSError:
                time.sleep(0.05)
                continue
            self.fired = True
            return

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def main_beside_a_fifo(fifo: Path, *args: str) -> tuple[int, str, str]:
    """Run the CLI here; if it waits on *fifo*, the FIFO's other end is opened, so a hang fails instead of stalling."""
    outcome: list[int] = []
    watchdog = FifoWatchdog(fifo, seconds=10)
    capture_out, capture_err = io.StringIO(), io.StringIO()

    def run() -> None:
        with contextlib.redirect_stdout(capture_out), contextlib.redirect_stderr(capture_err):
            outcome.append(main(list(args)))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=20)
    watchdog.stop()
    assert outcome and not watchdog.fired, "the command waited for a writer on the FIFO"
    return outcome[0], capture_out.getvalue(), capture_err.getvalue()


def test_a_fifo_as_theme_file_is_refused_at_once(
    tmp_path: Path, user_themes: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    fifo = tmp_path / "theme.toml"
    os.mkfifo(fifo)
    for args in (("--theme", str(fifo), str(tmp_path / "none.txt")), ("themes", "check", str(fifo))):
        status, _, err = main_beside_a_fifo(fifo, *args)
        assert (status, err) == (
            2,
            f"tuireader: {fifo}: not a regular file (a pipe, socket or device); save it to a file first\n",
        )


def test_a_fifo_in_the_themes_folder_is_left_out(
    tmp_path: Path, user_themes: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    fifo = user_themes / "pipe.toml"
    os.mkfifo(fifo)
    status, out, err = main_beside_a_fifo(fifo, "themes")
    assert status == 0 and "dark" in out and f"{fifo}: not a regular file" in err
    # The reader gets past the themes (to the thread file, which is missing here) without waiting.
    status, _, err = main_beside_a_fifo(fifo, str(tmp_path / "none.txt"))
    assert (status, err) == (2, f"tuireader: {tmp_path / 'none.txt'}: no such file\n")


def theme_text(name: str, author: str = "#ff0000") -> str:
    return f'name = "{name}"\nextends = "dark"\n[thread]\nauthor = "bold {author}"\n'


def bump(path: Path) -> None:
    """Make a change visible to the hot-reload poll even on a file system with coarse timestamps."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 2_000_000_000))


def notice_lines(app: ReaderApp) -> list[str]:
    return [f"{notice.title}: {notice.message}" for notice in notices(app)]


async def wait_until(pilot: Pilot[Any], done: Callable[[], bool], seconds: float = 5) -> bool:
    for _ in range(int(seconds / 0.05)):
        if done():
            return True
        await pilot.pause(0.05)
    return done()


async def test_hot_reload_reads_off_the_ui_thread_and_skips_a_new_fifo_with_one_notice(
    user_themes: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    active = user_themes / "warm.toml"
    active.write_text(theme_text("warm"), encoding="utf-8")
    readers: list[bool] = []
    real_load = ThemeSources.load

    def recording_load(self: ThemeSources) -> tuple[dict[str, ReaderTheme], list[InputError]]:
        readers.append(threading.current_thread() is threading.main_thread())
        return real_load(self)

    app = ReaderApp(
        thread_from_outline(SMALL_OUTLINE), themes=choose_theme("warm", ThemeSources(user_dir=user_themes), {})
    )
    app.theme_poll_seconds = 0.05
    monkeypatch.setattr(ThemeSources, "load", recording_load)
    fifo = user_themes / "pipe.toml"
    async with app.run_test(size=(100, 24), notifications=True) as pilot:
        await pilot.pause()
        assert notice_lines(app) == []
        os.mkfifo(fifo)  # appears while the reader runs; the next reload meets it
        watchdog = FifoWatchdog(fifo, seconds=8)
        try:
            active.write_text(theme_text("warm", "#00ff00"), encoding="utf-8")
            bump(active)
            reloaded = await wait_until(pilot, lambda: any("reloaded" in notice for notice in notice_lines(app)))
        finally:
            watchdog.stop()
        assert reloaded and not watchdog.fired, notice_lines(app)
        assert readers == [False], "the themes were read on the UI thread"
        left_out = [notice for notice in notice_lines(app) if notice.startswith("Theme file left out")]
        assert len(left_out) == 1 and f"{fifo}: not a regular file" in left_out[0], notice_lines(app)
        assert app.reader_themes["warm"].styles["author"] == "bold #00ff00"

        bump(active)  # another reload: the FIFO is still there, and is not announced again
        assert await wait_until(pilot, lambda: len(readers) == 2)
        await pilot.pause(0.2)
        assert len([notice for notice in notice_lines(app) if notice.startswith("Theme file left out")]) == 1
        app.clear_notifications()
        await pilot.pause()
        status = screen_text(app).splitlines()[-2]
        assert "1 theme left out ('tuireader themes' says why)" in status, status


# Names from files, shown inertly -------------------------------------------------------

HOSTILE_THEME_NAME = "ev\x1b]0;PWNED\x07il.toml"
SHOWN_THEME_NAME = "ev␛]0;PWNED␇il.toml"


def assert_inert(app: ReaderApp) -> str:
    """Nothing a terminal would act on, on screen or in any notice; returns the screen and notices as text."""
    shown = "\n".join([screen_text(app), *notice_lines(app)])
    assert not hp.unsafe_chars(shown), hp.unsafe_chars(shown)
    return shown


async def test_every_theme_notice_and_palette_entry_shows_a_hostile_file_name_inertly(user_themes: Path) -> None:
    evil = user_themes / HOSTILE_THEME_NAME
    evil.write_text(theme_text("evil"), encoding="utf-8")
    app = ReaderApp(
        thread_from_outline(SMALL_OUTLINE), themes=choose_theme("evil", ThemeSources(user_dir=user_themes), {})
    )
    app.theme_poll_seconds = 0.05
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await pilot.pause()
        assert app.theme == "evil"

        await pilot.press("ctrl+p", *"evil")  # the palette's help line names the file
        assert await wait_until(pilot, lambda: SHOWN_THEME_NAME in screen_text(app)), screen_text(app)
        assert_inert(app)
        await pilot.press("escape")

        evil.write_text(theme_text("evil", "#00ff00"), encoding="utf-8")  # the reload notice names it
        bump(evil)
        assert await wait_until(pilot, lambda: any("reloaded" in notice for notice in notice_lines(app)))
        assert f"reloaded from {user_themes}/{SHOWN_THEME_NAME}" in assert_inert(app)

        # The file breaks, and another hostile one appears broken: the fallback and the left-out notices.
        (user_themes / ("x" + HOSTILE_THEME_NAME)).write_text("name = \n", encoding="utf-8")
        evil.write_text(theme_text("evil", "blurple"), encoding="utf-8")
        bump(evil)
        assert await wait_until(pilot, lambda: any("left out" in notice for notice in notice_lines(app)))
        shown = assert_inert(app)
        assert f"{SHOWN_THEME_NAME}:4: bad style for thread.author" in shown
        assert f"x{SHOWN_THEME_NAME}:1: TOML syntax error" in shown
        assert app.theme == "dark"


# I/O errors and output encodings -----------------------------------------------------

UNICODE_THREAD = "back to article Café talk\n\n  1. Zoë\n\n    Naïve — title\n\n    Body 😀 with ünïcode.\n"


def test_an_io_error_on_the_first_read_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not os.access("/proc/self/mem", os.R_OK):
        pytest.skip("no /proc/self/mem here")
    expected = "tuireader: /proc/self/mem: cannot read: Input/output error\n"
    assert one_line(run_in(tmp_path, "export", "/proc/self/mem")) == expected
    assert main(["/proc/self/mem"]) == 2 and capsys.readouterr().err == expected  # the reader stops the same way


def test_a_full_disk_on_output_is_one_line(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    thread = tmp_path / "thread.txt"
    thread.write_text(UNICODE_THREAD, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(hp.REPO)}
    with open("/dev/full", "wb") as full:
        command = [sys.executable, "-m", "tuireader", "export", str(thread)]
        result = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, timeout=20, env=env)
    assert one_line(result) == "tuireader: cannot write the output: No space left on device\n"


@pytest.mark.parametrize("form", ["json", "text"])
def test_an_output_encoding_that_cannot_hold_the_text_gets_escapes_and_one_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    thread = tmp_path / "thread.txt"
    thread.write_text(UNICODE_THREAD, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(hp.REPO), "PYTHONIOENCODING": "ascii"}
    command = [sys.executable, "-m", "tuireader", "export", str(thread), "--to", form]
    result = subprocess.run(command, capture_output=True, timeout=20, env=env)
    err = one_line(result, status=0)
    assert "PYTHONIOENCODING=utf-8" in err and "(ascii)" in err
    out = result.stdout.decode("ascii")  # strict: every byte is ASCII
    assert main(["export", str(thread), "--to", form]) == 0  # the same export where every character fits
    whole = capsys.readouterr().out
    if form == "json":
        assert json.loads(out) == json.loads(whole)  # JSON's own escapes: the same thread
    else:
        assert "Zo\\xeb" in out and "\\U0001f600" in out
        assert out.encode().decode("unicode_escape") == whole


# Signals: the terminal after SIGTERM, SIGHUP, SIGTSTP and SIGCONT -----------------------

SIGNAL_LAUNCHER = """\
import os, subprocess, sys, time
here = os.path.dirname(os.path.abspath(__file__))
name = os.path.basename(sys.argv[1])
for stale in ("COLUMNS", "LINES"):  # tmux started from pytest passes 80x24 here; the pty knows better
    os.environ.pop(stale, None)
reader = subprocess.Popen([sys.executable, "-m", "tuireader", os.path.join(here, "sample.txt")])
with open(os.path.join(here, name + ".pid"), "w") as handle:
    handle.write(str(reader.pid))
status = reader.wait()  # negative when a signal killed it: the reader must exit on its own instead
with open(os.path.join(here, name + ".part"), "w") as handle:
    handle.write(str(status))
os.rename(os.path.join(here, name + ".part"), os.path.join(here, name + ".status"))
time.sleep(30)  # keep the pane alive: a dead pane's modes are tmux's own, not what the reader left
"""
"""Runs the reader in a pane and writes down its PID and how it ended (an exit status, or minus the signal)."""

SCREEN_IS_WHOLE = ("Ruth Lessly", "posts", "Help")
"""What the sample thread's first screen shows in its header, tree and footer."""


@pytest.fixture
def terminal() -> Iterator[Tmux]:
    """A private tmux server (test_terminal's), on a short socket path."""
    folder = Path(tempfile.mkdtemp(prefix="tuireader-tmux-"))
    server = Tmux(folder / "socket")
    try:
        yield server
    finally:
        subprocess.run(["tmux", "-S", str(server.socket), "kill-server"], capture_output=True, timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def pane_modes(terminal: Tmux, session: str) -> str:
    """The alternate screen, mouse reporting and visible cursor flags, e.g. "1 1 0" while the reader runs."""
    return terminal("display", "-p", "-t", session, "#{alternate_on} #{mouse_any_flag} #{cursor_flag}").strip()


def wait_for(check: Callable[[], bool], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def stopped(pid: int) -> bool:
    with open(f"/proc/{pid}/stat") as handle:
        return handle.read().rpartition(")")[2].split()[0] == "T"


def start_reader(terminal: Tmux, folder: Path, session: str) -> tuple[int, Path]:
    command = f"{sys.executable} {folder / 'launch.py'} {session}"
    if session == "S":
        terminal("new-session", "-d", "-s", "S", "-x", "100", "-y", "30", "-e", f"PYTHONPATH={hp.REPO}", command)
    else:
        terminal("new-window", "-d", "-t", "S", "-n", session, "-e", f"PYTHONPATH={hp.REPO}", command)
    pid_file = folder / f"{session}.pid"
    assert wait_for(pid_file.exists), "the launcher did not start"
    return int(pid_file.read_text()), folder / f"{session}.status"


def screen_of(terminal: Tmux, session: str) -> str:
    return terminal("capture-pane", "-p", "-t", session)


@needs_tmux
def test_signals_leave_the_terminal_whole_and_exit_with_the_shells_status(tmp_path: Path, terminal: Tmux) -> None:
    (tmp_path / "launch.py").write_text(SIGNAL_LAUNCHER)
    (tmp_path / "sample.txt").write_bytes((hp.REPO / "sample_threads" / "sample.txt").read_bytes())
    reader, status = start_reader(terminal, tmp_path, "S")
    hung_up, hung_up_status = start_reader(terminal, tmp_path, "H")  # a second reader, for SIGHUP, meanwhile

    def whole(session: str = "S") -> bool:
        shown = screen_of(terminal, session)
        return all(word in shown for word in SCREEN_IS_WHOLE) and pane_modes(terminal, session) == "1 1 0"

    assert wait_for(whole) and wait_for(lambda: whole("H")), screen_of(terminal, "S")

    # SIGTSTP from outside: the terminal as it was while stopped; after SIGCONT, all of the screen again,
    # even though someone reset the terminal and cleared it in between.
    os.kill(reader, signal.SIGTSTP)
    assert wait_for(lambda: stopped(reader))
    assert pane_modes(terminal, "S") == "0 0 1"
    terminal("send-keys", "-t", "S", "-R")
    terminal("clear-history", "-t", "S")
    assert "Ruth Lessly" not in screen_of(terminal, "S")
    os.kill(reader, signal.SIGCONT)
    assert wait_for(whole), (pane_modes(terminal, "S"), screen_of(terminal, "S"))

    # SIGSTOP cannot be caught: after it, SIGCONT alone sets the terminal up again and repaints it.
    os.kill(reader, signal.SIGSTOP)
    assert wait_for(lambda: stopped(reader))
    terminal("send-keys", "-t", "S", "-R")
    assert "Ruth Lessly" not in screen_of(terminal, "S") and pane_modes(terminal, "S") != "1 1 0"
    os.kill(reader, signal.SIGCONT)
    assert wait_for(whole), (pane_modes(terminal, "S"), screen_of(terminal, "S"))

    # SIGTSTP and SIGCONT at once (a job control race): never a blank screen left running.
    for _ in range(3):
        os.kill(reader, signal.SIGTSTP)
        os.kill(reader, signal.SIGCONT)
        time.sleep(0.3)
        if stopped(reader):  # the SIGCONT came before the stop: a stopped reader waits for the next one
            assert pane_modes(terminal, "S") == "0 0 1"
            os.kill(reader, signal.SIGCONT)
        assert wait_for(whole), (pane_modes(terminal, "S"), screen_of(terminal, "S"))

    terminal("send-keys", "-t", "S", "j")  # the keys still work
    assert wait_for(lambda: "2 / 40" in screen_of(terminal, "S")), screen_of(terminal, "S")

    for pid, session, signum, file in (
        (reader, "S", signal.SIGTERM, status),
        (hung_up, "H", signal.SIGHUP, hung_up_status),
    ):
        os.kill(pid, signum)
        assert wait_for(file.exists), screen_of(terminal, session)
        assert file.read_text() == str(128 + signum)  # the reader's own exit, not death by the signal
        assert pane_modes(terminal, session) == "0 0 1"  # main screen, no mouse reporting, cursor shown
        assert "Terminated" not in screen_of(terminal, session)


# The author picker at many authors ------------------------------------------------------


def reference_order(names: list[str], query: str) -> list[str]:
    """The picker's order, computed the slow, plain way: score every name, then sort."""
    wanted = "".join(query.split()).casefold()

    def score(name: str) -> int | None:
        folded = name.casefold()
        if wanted in folded.replace(" ", ""):
            return 0 if folded.startswith(wanted) else 1
        position = skipped = 0
        for letter in wanted:
            found = folded.find(letter, position)
            if found < 0:
                return None
            skipped, position = skipped + found - position, found + 1
        return 2 + skipped

    scored = [(score(name), position, name) for position, name in enumerate(names)]
    return [name for value, _, name in sorted(item for item in scored if item[0] is not None)]


NAME_PIECES = st.sampled_from(["a", "b", "A", "ab", " ", "é", "ß", "ss", "Ann", "Bob", "1", "x", "-", "["])


@settings(max_examples=60)
@given(
    names=st.lists(st.lists(NAME_PIECES, max_size=5).map("".join), min_size=1, max_size=25, unique=True),
    edits=st.lists(st.one_of(NAME_PIECES, st.just("BACKSPACE")), max_size=12),
)
def test_narrowing_a_letter_at_a_time_gives_what_scoring_every_name_gives(names: list[str], edits: list[str]) -> None:
    thread = Thread.build([Post(str(i), None, name) for i, name in enumerate(names)])
    index = AuthorIndex.of(thread)
    narrowing = Narrowing(index)
    query = ""
    for edit in edits:
        query = query[:-1] if edit == "BACKSPACE" else query + edit
        assert [index.names[row] for row in narrowing.rows(query)] == reference_order(index.names, query), query


def showing(app: ReaderApp, text: str) -> bool:
    return text in screen_text(app)


def many_authors(count: int) -> Thread:
    """One post by each of *count* authors, named as people are (first names repeat, each name differs)."""
    first = ("Ann", "Bob", "Cy", "Dot", "Hugh", "Ivor", "Penny", "Ruth", "Zoë", "Dewey")
    last = ("Smith", "Keeper", "Mann", "Wise", "Lessly", "Spanner", "Matrix", "Borg")
    return Thread.build(
        [Post(str(i), None, f"{first[i % 10]} {last[i // 10 % 8]} {i}", title="t", body="b") for i in range(count)]
    )


async def test_the_picker_answers_every_key_at_once_with_thirty_thousand_authors() -> None:
    """Each key once took two to six seconds here (the list measured every author); now it draws what is in view."""
    app = ReaderApp(many_authors(30_000))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        index = AuthorIndex.of(app.thread)
        first, first_z = index.names[0], index.names[Narrowing(index).rows("z")[0]]
        for key, shown in (
            ("f", f"[ ] {first}  1"),
            ("z", f"[ ] {first_z}  1"),
            ("backspace", f"[ ] {first}"),
            ("space", f"[x] {first}"),
        ):
            started = time.perf_counter()
            await pilot.press(key)
            assert await wait_until(pilot, partial(showing, app, shown), seconds=5), screen_text(app)
            assert time.perf_counter() - started < 1, key  # about 0.1 s, on a busy machine up to 0.4
        assert isinstance(app.screen, AuthorPicker) and app.screen.marked == {first}


async def test_the_picker_says_when_no_author_matches() -> None:
    app = ReaderApp(thread_from_outline(SMALL_OUTLINE))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f", *"qqq")
        await pilot.pause()
        assert "no author matches" in screen_text(app)
        await pilot.press("enter")  # nothing to apply: the picker stays, and says why
        await pilot.pause()
        assert isinstance(app.screen, AuthorPicker) and any("No author matches" in n for n in notice_lines(app))
        await pilot.press("backspace", "backspace", "backspace")
        await pilot.pause()
        assert "no author matches" not in screen_text(app) and "[ ] alice  2" in screen_text(app)


@pytest.mark.parametrize("width", [60, 100])
async def test_the_picker_hint_is_whole_on_a_narrow_screen(width: int) -> None:
    app = ReaderApp(thread_from_outline(SMALL_OUTLINE))

    def hint_shown() -> bool:  # the picker's lines, read between its borders
        inside = [line.split("│")[1] for line in screen_text(app).splitlines() if line.count("│") >= 2]
        return " ".join(HINT.split()) in " ".join(" ".join(inside).split())

    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.press("f")
        assert await wait_until(pilot, hint_shown), screen_text(app)
