"""``tuireader fetch`` and ``tuireader saved``, and the fetch behind ``tuireader URL``.

:mod:`tuireader.cli` calls these; they raise :class:`~tuireader.errors.InputError` for
every bad input or failed fetch, which the CLI prints as one line with exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NoReturn

from tuireader.errors import InputError
from tuireader.fetch.cache import Cache, SavedThread
from tuireader.fetch.sites import known_sites, parse_address
from tuireader.sanitize import clean_line

OpenThread = Callable[[list[str]], int]
"""The CLI's open command: takes its arguments (a thread file first), returns the exit status."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors become one ``tuireader:`` line, like every other bad input."""

    def error(self, message: str) -> NoReturn:
        raise InputError(None, f"{message} (see '{self.prog} --help')")


def _fetch_parser() -> _Parser:
    parser = _Parser(
        prog="tuireader fetch",
        description="Fetch a thread by its address and save it without opening it; print where it was saved. "
        "What the site sent is kept unchanged, in the cache folder ('tuireader saved' lists it) or at -o FILE.",
        epilog=f"Sites: {known_sites()}.",
    )
    parser.add_argument("address", help="the thread's address (https:// is assumed when no scheme is given)")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write the thread to FILE instead of the cache (a file already there is replaced, "
        "but only once the new copy is fetched and reads as a thread)",
    )
    return parser


def _saved_parser() -> _Parser:
    parser = _Parser(
        prog="tuireader saved",
        description="List the threads fetched by address, the most recently fetched first; "
        "'tuireader saved N' opens the Nth (any further options are those of 'tuireader FILE').",
    )
    parser.add_argument("number", nargs="?", type=int, metavar="N", help="open the Nth thread of the list")
    parser.add_argument("options", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return parser


def fetch_command(args: Sequence[str]) -> int:
    """``tuireader fetch ADDRESS [-o FILE]``: save the thread, print its path, warnings on standard error."""
    from tuireader.fetch.download import fetch

    options = _fetch_parser().parse_args(args)
    fetched = fetch(options.address, output=options.output)
    for warning in fetched.warnings:
        print(f"tuireader: warning: {clean_line(options.address)}: {warning}", file=sys.stderr)
    print(fetched.path)
    return 0


def saved_command(args: Sequence[str], open_thread: OpenThread) -> int:
    """``tuireader saved``: list the saved threads; ``tuireader saved N [OPTIONS]``: open the Nth with *open_thread*."""
    options = _saved_parser().parse_args(args)
    entries = Cache.default().saved()
    if options.number is None:
        if options.options:
            raise InputError(None, "give the number of a saved thread first (see 'tuireader saved --help')")
        if not entries:
            sys.stdout.write("No saved threads yet: 'tuireader URL' fetches one.\n")
            return 0
        sys.stdout.write(saved_table(entries, {entry.key: _unread(entry.path) for entry in entries}))
        return 0
    if not 1 <= options.number <= len(entries):
        count = f"there are {len(entries)} saved threads" if entries else "no thread is saved yet"
        raise InputError(None, f"no saved thread {options.number}: {count} (see 'tuireader saved')")
    return open_thread([str(entries[options.number - 1].path), *options.options])


def _unread(path: Path) -> int:
    """Posts of a saved copy not read yet, by the read marks of earlier visits (all of them when it cannot tell)."""
    from tuireader.formats import load
    from tuireader.state import ReadState

    try:
        thread = load(path)
    except InputError:
        return 0
    state = ReadState.open(thread)
    try:
        return state.unread_count()
    finally:
        state.close()


def saved_table(entries: Sequence[SavedThread], unread: Mapping[str, int] | None = None) -> str:
    """The list 'tuireader saved' prints: number, when fetched, posts, site and title, one thread a line.

    *unread* (thread key to count) adds an ``unread`` column: the seam for the reading state,
    which knows what was read; without it the column is left out.
    """
    heads = ["#", "fetched", "posts", *(["unread"] if unread is not None else []), "site", "title"]
    rows = [
        [
            str(number),
            entry.fetched.astimezone().strftime("%Y-%m-%d %H:%M"),
            f"{entry.posts:,}",
            *([f"{unread.get(entry.key, 0):,}"] if unread is not None else []),
            clean_line(entry.site_label),
            clean_line(entry.title) or "(no title)",
        ]
        for number, entry in enumerate(entries, start=1)
    ]
    widths = [max(len(row[column]) for row in [heads, *rows]) for column in range(len(heads) - 1)]
    numeric = {0, 2, 3} if unread is not None else {0, 2}
    lines = []
    for row in [heads, *rows]:
        cells = [
            cell.rjust(width) if column in numeric else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(row[:-1], widths, strict=True))
        ]
        lines.append("  ".join([*cells, row[-1]]))
    return "\n".join(lines) + "\n"


def address_of(path: str | Path) -> str | None:
    """The address a saved copy in the cache was fetched from (for ``R`` in the app), or None for other files."""
    try:
        folder = Path(path).resolve().parent
        entries = Cache.default().saved()
    except (InputError, OSError):
        return None
    return next((entry.address for entry in entries if entry.path.resolve().parent == folder), None)


def fetch_to_read(text: str) -> str:
    """Fetch the thread at address *text* into the cache; the path of the copy to open.

    When the fetch fails and an earlier copy is saved, the error says how to open that one.
    """
    from tuireader.fetch.download import fetch

    try:
        return str(fetch(text).path)
    except InputError as error:
        hint = _saved_copy_hint(text)
        if hint is None:
            raise
        raise InputError(error.path, f"{error.message}; {hint}") from None


def _saved_copy_hint(text: str) -> str | None:
    """How to open the copy saved earlier of *text*'s thread, if there is one."""
    try:
        key = parse_address(text).key
        entries = Cache.default().saved()
    except InputError:
        return None
    for number, entry in enumerate(entries, start=1):
        if entry.key == key:
            when = entry.fetched.astimezone().strftime("%Y-%m-%d %H:%M")
            return f"the copy fetched {when} opens with 'tuireader saved {number}'"
    return None
