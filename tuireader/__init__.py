"""tuireader: read discussion threads saved as files, in a terminal."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """``__version__`` on demand: importlib.metadata costs tens of milliseconds at every launch."""
    if name != "__version__":
        raise AttributeError(name)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tuireader")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+source"
