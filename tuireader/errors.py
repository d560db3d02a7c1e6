"""One error type for every bad input, so each one reaches the user as the same clear line."""

from __future__ import annotations

from pathlib import Path

from tuireader.sanitize import clean_line


class InputError(Exception):
    """A file, flag or setting the reader cannot use: where it is and what is wrong.

    The CLI prints it as ``tuireader: FILE[:LINE]: message`` and exits with status 2.
    """

    def __init__(self, path: str | Path | None, message: str, line: int | None = None) -> None:
        self.path = None if path is None else str(path)
        self.line = line
        self.message = message
        super().__init__(self.describe())

    def describe(self) -> str:
        """The error as one line, safe to print (the path and message may hold hostile text)."""
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        return clean_line(where + self.message)


class ParseError(InputError):
    """A thread file that no format can read."""
