"""The command line: the one place that turns bad input into ``tuireader: …`` and exit status 2."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Sequence
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import tuireader
from tuireader.errors import InputError
from tuireader.filters import AuthorFilter, selection
from tuireader.formats import open_source
from tuireader.formats.base import ParsedSource
from tuireader.model import Thread
from tuireader.resources import sample_thread
from tuireader.sanitize import clean_line

if TYPE_CHECKING:  # both import Textual, which only the reader needs
    from tuireader.app import ReaderApp
    from tuireader.config import Config
    from tuireader.themes import ThemeChoice

EXIT_BAD_INPUT = 2
FIRST_SCREEN_POSTS = 500
"""Posts parsed before the app starts; a bigger file loads the rest in the background."""

COMMANDS_HELP = """\
commands:
  tuireader [FILE]                  read FILE (the bundled sample thread when no FILE is given)
  tuireader export FILE --to FMT    write FILE as json, text or markdown to standard output
  tuireader themes                  list the available themes
  tuireader themes check FILE...    validate theme files

Run 'tuireader export --help' or 'tuireader themes --help' for their options.
Formats read: the plain-text forum export and the reader's native JSON (sniffed from the content).
"""


class _VersionAction(argparse.Action):
    """``--version``, looking the version up only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> NoReturn:
        print(f"tuireader {tuireader.__version__}")
        parser.exit()


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors become one ``tuireader:`` line, like every other bad input."""

    def error(self, message: str) -> NoReturn:
        raise InputError(None, f"{message} (see '{self.prog} --help')")


def _open_parser() -> _Parser:
    parser = _Parser(
        prog="tuireader",
        description="Read a discussion thread saved as a file: a tree of posts beside a reading pane.",
        epilog=COMMANDS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", nargs="?", help="the thread file to open (default: the bundled sample thread)")
    _add_filter_flags(parser)
    display = parser.add_argument_group("display (each also has a default in config.toml's [display] table)")
    for part, what in (("badges", "badges"), ("icons", "thumbs and other icons"), ("votes", "vote counts and scores")):
        display.add_argument(f"--no-{part}", action="store_true", help=f"start with {what} hidden (toggle in the app)")
    parser.add_argument(
        "--theme",
        metavar="NAME|PATH",
        help="the theme to start with: a name 'tuireader themes' lists, or a theme file's path "
        "(default: config.toml's theme, else mono when NO_COLOR is set, ansi on a 16-colour terminal, else dark)",
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        type=Path,
        help="read settings from PATH instead of $XDG_CONFIG_HOME/tuireader/config.toml",
    )
    parser.add_argument("--version", action=_VersionAction)
    return parser


def _add_filter_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("author filter")
    group.add_argument(
        "--author",
        action="append",
        default=[],
        metavar="NAME",
        help="only posts by NAME, with the posts they answer as context (repeatable)",
    )
    group.add_argument(
        "--hide-author",
        action="append",
        default=[],
        metavar="NAME",
        help="hide posts by NAME, keeping replies to them (repeatable)",
    )


def _author_filter(options: argparse.Namespace, thread: Thread) -> AuthorFilter | None:
    """The filter the flags ask for; a name with no post in the thread is an error (likely a typo)."""
    if options.author and options.hide_author:
        raise InputError(None, "use either --author or --hide-author, not both")
    names: list[str] = options.author or options.hide_author
    if not names:
        return None
    known = {post.author for post in thread.posts}
    for name in names:
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise InputError(options.file, f"no post by {name!r} in this thread{hint}")
    return AuthorFilter.of(names, hide=bool(options.hide_author))


def _export_parser() -> _Parser:
    parser = _Parser(
        prog="tuireader export",
        description="Write a thread file in another form to standard output (never to the thread file).",
    )
    parser.add_argument("file", help="the thread file to read")
    parser.add_argument(
        "--to",
        choices=("json", "text", "markdown"),
        default="json",
        help="output form: native JSON (default), indented plain text or Markdown",
    )
    _add_filter_flags(parser)
    return parser


def _themes_parser() -> _Parser:
    parser = _Parser(
        prog="tuireader themes",
        description="List the themes tuireader can use, with where each comes from: the bundled ones, then "
        "your own in $XDG_CONFIG_HOME/tuireader/themes (a theme of yours replaces a bundled one of the same name). "
        "Files there that cannot be loaded are reported on standard error.",
        epilog="docs/themes.md explains how to write a theme.",
    )
    commands = parser.add_subparsers(dest="command", title="commands", metavar="{check}")
    check = commands.add_parser(
        "check",
        help="validate theme files",
        description="Check theme files: nothing is printed and the status is 0 when every file is good; otherwise "
        "each problem is printed as 'tuireader: FILE:LINE: what is wrong' and the status is 2. "
        "A file may extend another of the files checked, or any installed theme.",
    )
    check.add_argument("files", nargs="+", type=Path, metavar="FILE", help="a theme file to check")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args[:1] == ["export"]:
            return _export(args[1:])
        if args[:1] == ["themes"]:
            return _themes(args[1:])
        return _open(args)
    except InputError as error:
        print(f"tuireader: {error.describe()}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


def _open(args: list[str]) -> int:
    prepare_app(args).run()
    return 0


def prepare_app(args: list[str]) -> ReaderApp:
    """Everything the open command does before the screen starts: flags, config, theme, first posts."""
    options = _open_parser().parse_args(args)
    from tuireader.app import ReaderApp  # Textual loads only when a screen is needed
    from tuireader.config import load_config
    from tuireader.keys import action_ids
    from tuireader.widgets.decor import Display

    config = load_config(options.config, action_ids())
    themes = _choose_theme(options.theme, config)
    path = options.file or str(sample_thread())
    thread, rest = _first_screen(path)

    display = Display(
        badges=config.display.get("badges", True) and not options.no_badges,
        icons=config.display.get("icons", True) and not options.no_icons,
        votes=config.display.get("votes", True) and not options.no_votes,
    )
    if rest is not None and (options.author or options.hide_author):
        thread, rest = open_source(path).build(), None  # a filter needs every author, so read it all first
    author_filter = _author_filter(options, thread)
    return ReaderApp(
        thread, more_posts=rest, display=display, author_filter=author_filter, keymap=config.keymap, themes=themes
    )


def _choose_theme(flag: str | None, config: Config) -> ThemeChoice:
    """The theme to start with: ``--theme``, else config.toml's ``theme``, else what the terminal calls for.

    An unknown name is an error (a typo in a flag or setting); a broken theme file is not:
    the app starts in the default theme and says what is wrong with the file.
    """
    from tuireader.themes import ThemeSources, choose_theme, is_theme_path, user_theme_dir
    from tuireader.tomlfile import read_toml

    sources = ThemeSources(user_dir=user_theme_dir())
    if flag is not None:
        try:
            return choose_theme(flag, sources, os.environ)
        except InputError as error:
            raise InputError("--theme", error.message) from None
    if config.theme is None or config.path is None:
        return choose_theme(None, sources, os.environ)
    choice = config.theme
    if is_theme_path(choice):
        choice = str(config.path.parent / Path(choice).expanduser())  # relative to config.toml's folder
    try:
        return choose_theme(choice, sources, os.environ)
    except InputError as error:
        raise read_toml(config.path, "config").error(("theme",), error.message) from None


def _themes(args: list[str]) -> int:
    options = _themes_parser().parse_args(args)
    from tuireader.themes import ThemeSources, check_files, list_themes_text, user_theme_dir

    if options.command == "check":
        problems = check_files(options.files)
        for problem in problems:
            print(f"tuireader: {problem.describe()}", file=sys.stderr)
        return EXIT_BAD_INPUT if problems else 0
    themes, problems = ThemeSources(user_dir=user_theme_dir()).load()
    sys.stdout.write(list_themes_text(themes))
    sys.stdout.flush()
    for problem in problems:
        print(f"tuireader: {problem.describe()} (this theme is left out)", file=sys.stderr)
    return 0


def _first_screen(path: str) -> tuple[Thread, ParsedSource | None]:
    """Parse enough to show the first screen; hand back the rest to load in the background."""
    source = open_source(path)
    if not source.in_reading_order:
        return source.build(), None
    first = list(islice(source.posts, FIRST_SCREEN_POSTS))
    thread = source.build(first)
    return thread, (source if len(first) == FIRST_SCREEN_POSTS else None)


def _export(args: list[str]) -> int:
    from tuireader.export import EXPORTERS

    options = _export_parser().parse_args(args)
    thread = open_source(options.file).build()
    # The reader shows these as notices; an export must not hide them. Each names the file,
    # as the decoder's warnings already do, so a batch of exports can be told apart.
    where = clean_line(options.file) + ":"
    for warning in thread.warnings:
        shown = warning if warning.startswith(where) else f"{where} {warning}"
        print(f"tuireader: warning: {shown}", file=sys.stderr)
    author_filter = _author_filter(options, thread)
    indices, context = selection(thread, author_filter)
    text = EXPORTERS[options.to](thread, indices, context)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0
