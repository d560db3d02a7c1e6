"""What the reader looks like: the seed thread at 100x30 in every bundled theme, and with decorations on and off.

The SVG baselines live in tests/__snapshots__/test_snapshots/. After a deliberate change of the
look, regenerate them with ``pytest tests/test_snapshots.py --snapshot-update`` and look at the
new SVGs (``snapshot_report.html`` shows the differences of a failing run) before committing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from helpers import REPO, SEED
from textual.pilot import Pilot

from tuireader.app import ReaderApp
from tuireader.formats import load
from tuireader.themes import ThemeSources, choose_theme
from tuireader.widgets.decor import Display

pytestmark = pytest.mark.skipif(not SEED.exists(), reason="../shared is not here")

SIZE = (100, 30)
BUNDLED_NAMES = ["ansi", "dark", "high-contrast", "light", "mono", "solarized-dark"]
SnapCompare = Callable[..., bool]


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual reads NO_COLOR itself; a snapshot must not depend on the shell that runs the tests."""
    monkeypatch.delenv("NO_COLOR", raising=False)


def seed_app(theme: str = "dark", display: Display | None = None) -> ReaderApp:
    choice = choose_theme(theme, ThemeSources(bundled_dir=REPO / "themes"), {})
    return ReaderApp(load(SEED), display=display, themes=choice)


async def select_gold_badge_post(pilot: Pilot[Any]) -> None:
    """Post 11.1 has a gold badge and a thumb down: the pane shows both in full."""
    app = pilot.app
    assert isinstance(app, ReaderApp)
    app.thread_view.select_index(app.thread.index_of["11.1"])
    await pilot.pause()


@pytest.mark.parametrize("theme", BUNDLED_NAMES)
def test_seed_in_each_bundled_theme(snap_compare: SnapCompare, theme: str) -> None:
    assert snap_compare(seed_app(theme), terminal_size=SIZE)


def test_everything_shown(snap_compare: SnapCompare) -> None:
    app = seed_app(display=Display(badges=True, icons=True, votes=True))
    assert snap_compare(app, terminal_size=SIZE, run_before=select_gold_badge_post)


def test_everything_hidden(snap_compare: SnapCompare) -> None:
    app = seed_app(display=Display(badges=False, icons=False, votes=False))
    assert snap_compare(app, terminal_size=SIZE, run_before=select_gold_badge_post)
