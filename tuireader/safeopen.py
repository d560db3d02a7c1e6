"""The one way the reader opens a file it did not write: thread, config and theme files alike.

Opening a FIFO for reading waits for a writer, and reading a device may never end;
so every file is opened without waiting (``O_NONBLOCK``) and then checked with
``fstat`` on the open descriptor (not the path, which may have been swapped a
moment before): only a regular file is read, anything else is one clear error.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from tuireader.errors import InputError

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def open_checked(path: str | Path, *, what: str = "file") -> BinaryIO:
    """Open *path* for reading if it is a readable regular file; otherwise raise :class:`InputError`.

    *what* names the kind of file in the messages ("thread file", "theme file").
    """
    name = str(path)
    try:
        descriptor = os.open(name, _FLAGS)
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except IsADirectoryError:
        raise InputError(name, f"is a directory, not a {what}") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except OSError as error:
        raise InputError(name, error.strerror or "cannot read") from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        if stat.S_ISDIR(mode):
            raise InputError(name, f"is a directory, not a {what}")
        raise InputError(name, "not a regular file (a pipe, socket or device); save it to a file first")
    return os.fdopen(descriptor, "rb")


def read_checked(path: str | Path, *, what: str = "file") -> bytes:
    """The whole of a regular file, or one :class:`InputError` (an I/O error while reading too)."""
    with open_checked(path, what=what) as handle:
        try:
            return handle.read()
        except OSError as error:
            raise InputError(str(path), f"cannot read: {error.strerror or error}") from None


def is_directory(path: str | Path) -> bool:
    """True when *path* names a directory (following links), without opening anything."""
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False
