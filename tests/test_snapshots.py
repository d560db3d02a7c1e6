"""What the reader looks like: our closed sample thread at 100x30 in every bundled theme, decorations on and off.

The SVG baselines live in tests/__snapshots__/test_snapshots/. After a deliberate change of the
look, regenerate them with ``pytest tests/test_snapshots.py --snapshot-update`` and look at the
new SVGs (``snapshot_report.html`` shows the differences of a failing run) before committing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from helpers import CLOSED_SAMPLE, REPO
from textual.pilot import Pilot

from tuireader.app import ReaderApp
from tuireader.formats import load
from tuireader.layout import Layout
from tuireader.themes import ThemeSources, choose_theme
from tuireader.widgets.decor import Display

SIZE = (100, 30)
BUNDLED_NAMES = ["ansi", "dark", "high-contrast", "light", "mono", "solarized-dark"]
SnapCompare = Callable[..., bool]


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual reads NO_COLOR itself; a snapshot must not depend on the shell that runs the tests."""
    monkeypatch.delenv("NO_COLOR", raising=False)


def sample_app(theme: str = "dark", display: Display | None = None, *, about_at_start: bool = False) -> ReaderApp:
    choice = choose_theme(theme, ThemeSources(bundled_dir=REPO / "themes"), {})
    return ReaderApp(load(CLOSED_SAMPLE), display=display, themes=choice, about_at_start=about_at_start)


async def select_gold_badge_post(pilot: Pilot[Any]) -> None:
    """Post 11.1 has a gold badge and a thumb down: the pane shows both in full."""
    app = pilot.app
    assert isinstance(app, ReaderApp)
    app.thread_view.select_index(app.thread.index_of["11.1"])
    await pilot.pause()


@pytest.mark.parametrize("theme", BUNDLED_NAMES)
def test_sample_in_each_bundled_theme(snap_compare: SnapCompare, theme: str) -> None:
    assert snap_compare(sample_app(theme), terminal_size=SIZE)


def test_everything_shown(snap_compare: SnapCompare) -> None:
    app = sample_app(display=Display(badges=True, icons=True, votes=True))
    assert snap_compare(app, terminal_size=SIZE, run_before=select_gold_badge_post)


def test_everything_hidden(snap_compare: SnapCompare) -> None:
    app = sample_app(display=Display(badges=False, icons=False, votes=False))
    assert snap_compare(app, terminal_size=SIZE, run_before=select_gold_badge_post)


def test_the_about_card_at_start(snap_compare: SnapCompare) -> None:
    assert snap_compare(sample_app(about_at_start=True), terminal_size=SIZE)


def test_the_help_screen_and_its_legend(snap_compare: SnapCompare) -> None:
    # Tall enough for every key and the legend: scrolling there would be animated, so the picture would vary.
    assert snap_compare(sample_app(), terminal_size=(100, 100), press=["question_mark"])


# Every terminal (issue 17): each size side by side and stacked, ASCII, mono and the colour-blind theme.

SMALL_SIZES = [(80, 24), (60, 20), (40, 12)]


def layout_app(theme: str = "dark", *, stacked: bool | None = None, ascii_only: bool = False) -> ReaderApp:
    choice = choose_theme(theme, ThemeSources(bundled_dir=REPO / "themes"), {})
    return ReaderApp(load(CLOSED_SAMPLE), themes=choice, layout=Layout(stacked=stacked), ascii_only=ascii_only)


@pytest.mark.parametrize("stacked", [False, True], ids=["beside", "stacked"])
@pytest.mark.parametrize("size", SMALL_SIZES, ids=[f"{width}x{height}" for width, height in SMALL_SIZES])
def test_each_small_size_in_each_layout(snap_compare: SnapCompare, size: tuple[int, int], stacked: bool) -> None:
    assert snap_compare(layout_app(stacked=stacked), terminal_size=size, run_before=select_gold_badge_post)


@pytest.mark.parametrize("size", [(80, 24), (40, 12)], ids=["80x24", "40x12"])
def test_ascii(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    assert snap_compare(layout_app(ascii_only=True), terminal_size=size, run_before=select_gold_badge_post)


@pytest.mark.parametrize("theme", ["mono", "okabe-ito"])
def test_mono_and_the_colour_blind_theme_at_80x24(snap_compare: SnapCompare, theme: str) -> None:
    assert snap_compare(layout_app(theme), terminal_size=(80, 24), run_before=select_gold_badge_post)
