"""Test setup: make the helpers importable and keep hypothesis quick on a 2-core machine."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

sys.path.insert(0, str(Path(__file__).resolve().parent))

# Read marks and fetched threads go to a folder of the test run's own, never the user's
# (the variables reach the reader in subprocesses too).
_PRIVATE = Path(tempfile.mkdtemp(prefix="tuireader-tests-"))
os.environ.setdefault("TUIREADER_STATE_DIR", str(_PRIVATE / "state"))
os.environ.setdefault("TUIREADER_CACHE_DIR", str(_PRIVATE / "cache"))

settings.register_profile("default", deadline=None, max_examples=100)
settings.load_profile("default")


@pytest.fixture(autouse=True)
def record_notices(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every notification an app shows (``helpers.notices``), by wrapping Textual's public ``App.notify``."""
    from helpers import Notice, notices
    from textual.app import App

    shown = App.notify

    def notify(self: App[object], message: str, *, title: str = "", severity: str = "information", **more: Any) -> None:
        notices(self).append(Notice(str(message), str(title), str(severity)))
        shown(self, message, title=title, severity=severity, **more)  # type: ignore[arg-type]

    cleared = App.clear_notifications

    def clear_notifications(self: App[object]) -> None:
        notices(self).clear()  # gone from the screen: gone from what the user has in front of them
        cleared(self)

    monkeypatch.setattr(App, "notify", notify)
    monkeypatch.setattr(App, "clear_notifications", clear_notifications)


@pytest.fixture(autouse=True)
def snapshots_stand_still(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A snapshot is one moment: the post on screen must not turn read because a busy machine took a second."""
    if "snap_compare" in request.fixturenames:
        from tuireader.app import ReaderApp

        monkeypatch.setattr(ReaderApp, "_mark_shown_read", lambda self: None)
