"""The reader never writes to a thread file (nor next to it): export and the app on read-only copies.

As root, permissions stop nothing, so besides comparing bytes, times and the
folder listing afterwards, the in-process runs watch every ``open`` for a write.
"""

from __future__ import annotations

import builtins
import io
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import hostile_payloads as hp
import pytest
from helpers import run_cli

from tuireader.app import ReaderApp
from tuireader.cli import main
from tuireader.formats import load

PAST = 1_000_000_000  # 2001-09-09: a time no write today could leave behind
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int, int]]:
    """Every file in ``folder``: its bytes, modification and change times, and mode."""
    return {
        path.name: (path.read_bytes(), path.stat().st_mtime_ns, path.stat().st_ctime_ns, path.stat().st_mode)
        for path in sorted(folder.iterdir())
    }


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    """Read-only copies of the hostile thread in both formats, with an old modification time."""
    copies = tmp_path / "threads"
    copies.mkdir()
    for fmt in ("json", "text"):
        path = hp.write(copies, fmt, f"thread.{fmt}")
        os.utime(path, ns=(PAST * 10**9, PAST * 10**9))
        path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    copies.chmod(stat.S_IRUSR | stat.S_IXUSR)
    yield copies
    copies.chmod(stat.S_IRWXU)


@pytest.fixture
def no_writes_in(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], list[str]]:
    """Record every attempt, through ``open``, ``io.open`` (pathlib's) or ``os.open``, to write under a folder."""
    attempts: list[str] = []
    watched: list[str] = []
    real_open, real_os_open = builtins.open, os.open

    def is_watched(file: Any) -> bool:
        return isinstance(file, (str, bytes, os.PathLike)) and any(
            os.fsdecode(os.path.abspath(file)).startswith(folder) for folder in watched
        )

    def guarded_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if is_watched(file) and set(mode) & set("wax+"):
            attempts.append(f"open({file!r}, {mode!r})")
        return real_open(file, mode, *args, **kwargs)

    def guarded_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if is_watched(path) and flags & WRITE_FLAGS:
            attempts.append(f"os.open({path!r}, {flags:#o})")
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)

    def watch(folder: Path) -> list[str]:
        watched.append(str(folder.resolve()))
        return attempts

    return watch


async def test_the_app_leaves_thread_files_alone(folder: Path, no_writes_in: Callable[[Path], list[str]]) -> None:
    before = snapshot(folder)
    attempts = no_writes_in(folder)
    app = ReaderApp(load(folder / "thread.text"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "enter", "G", "f", "escape", "b", "c", "e", "question_mark", "escape")
        await pilot.pause()
        await pilot.press("q")
    assert app.return_code == 0
    assert attempts == []
    assert snapshot(folder) == before


def test_export_leaves_thread_files_alone(
    folder: Path, no_writes_in: Callable[[Path], list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(folder)
    attempts = no_writes_in(folder)
    for name in before:
        for to in ("json", "text", "markdown"):
            assert main(["export", str(folder / name), "--to", to]) == 0
    capsys.readouterr()
    assert attempts == []
    assert snapshot(folder) == before


def test_export_as_a_command_leaves_thread_files_alone(folder: Path) -> None:
    before = snapshot(folder)
    for name in before:
        result = run_cli("export", str(folder / name), "--to", "markdown", raw=True)
        assert result.returncode == 0, result.stderr
    assert snapshot(folder) == before


def test_the_write_watch_itself_notices_a_write(folder: Path, no_writes_in: Callable[[Path], list[str]]) -> None:
    attempts = no_writes_in(folder)
    folder.chmod(stat.S_IRWXU)
    (folder / "thread.json").chmod(stat.S_IRWXU)
    with open(folder / "thread.json", "a"):
        pass
    (folder / "new.txt").write_text("x")
    assert len(attempts) == 2 and "thread.json" in attempts[0] and "new.txt" in attempts[1]
