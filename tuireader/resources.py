"""Where the bundled themes and sample threads live, in a source checkout and when installed."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


def bundled_dir(folder: str) -> Path:
    """The folder ``themes`` or ``sample_threads``: beside the package in a checkout, inside it when installed."""
    beside = _CHECKOUT / folder
    if beside.is_dir():
        return beside
    return Path(str(resources.files(f"tuireader.{folder.replace('themes', 'themes_data')}")))


def sample_thread() -> Path:
    """The thread opened when the user names none."""
    return bundled_dir("sample_threads") / "sample.txt"
