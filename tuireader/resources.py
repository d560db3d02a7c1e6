"""Where the bundled themes and sample threads live, in a source checkout and when installed."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from tuireader.errors import InputError

_CHECKOUT = Path(__file__).resolve().parent.parent

_BUNDLED: dict[str, tuple[str, str]] = {
    "themes": ("themes_data", "dark.toml"),
    "sample_threads": ("sample_threads", "sample.txt"),
}
"""Folder in the checkout -> (its name inside the installed package, a file that must be in it).

pyproject.toml installs ``themes/`` as the package ``tuireader.themes_data`` and
``sample_threads/`` as ``tuireader.sample_threads``. The marker file makes sure an
unrelated folder of the same name (a ``themes`` beside us in site-packages) is never
taken for ours.
"""


def bundled_dir(folder: str) -> Path | None:
    """The folder ``themes`` or ``sample_threads``, or None if this installation lost it.

    Looked for beside the package (a source checkout or an editable install), then
    inside the installed package.
    """
    inside, marker = _BUNDLED[folder]
    candidates = [_CHECKOUT / folder]
    installed = resources.files("tuireader") / inside
    if isinstance(installed, Path):  # not when imported from a zip file, which has no real folders
        candidates.append(installed)
    return next((candidate for candidate in candidates if (candidate / marker).is_file()), None)


def sample_thread() -> Path:
    """The thread opened when the user names none; InputError if the installation lost it."""
    folder = bundled_dir("sample_threads")
    if folder is None:
        raise InputError(None, "the bundled sample thread is missing from this installation; name a thread file")
    return folder / _BUNDLED["sample_threads"][1]
