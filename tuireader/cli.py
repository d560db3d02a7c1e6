"""The command line: the one place that turns bad input into ``tuireader: …`` and exit status 2."""

from __future__ import annotations

import argparse
import codecs
import difflib
import json
import os
import stat
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import tuireader
from tuireader.errors import InputError
from tuireader.filters import AuthorFilter, authors_named, selection
from tuireader.formats import STDIN, open_source
from tuireader.model import Thread
from tuireader.resources import sample_thread
from tuireader.sanitize import clean_line
from tuireader.session import ReadingSession

if TYPE_CHECKING:  # both import Textual, which only the reader needs
    from tuireader.app import ReaderApp, Reopen
    from tuireader.config import Config
    from tuireader.themes import ThemeChoice

EXIT_BAD_INPUT = 2
DEFAULT_PORT = 8000
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
"""What textual-serve sets ``TEXTUAL_DRIVER`` to in the readers it starts for ``--serve``: keys come from the page."""

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
    parser.add_argument(
        "--no-state",
        action="store_true",
        help="keep no read marks between visits (they are saved per thread in the platform's state folder)",
    )
    parser.add_argument(
        "--ascii",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="draw tree guides, marks and borders with ASCII only "
        "(default: config.toml's ascii, else on where TERM=linux, the Linux console)",
    )
    web = parser.add_argument_group("the browser (needs textual-serve: pip install 'tuireader[web]')")
    web.add_argument("--serve", action="store_true", help="serve the reader to web browsers instead of this terminal")
    web.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="N", help="with --serve: the port (%(default)s)")
    web.add_argument(
        "--host",
        default="127.0.0.1",
        metavar="NAME",
        help="with --serve: the address to listen on and the name browsers use (default 127.0.0.1: this machine only)",
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
    authors: list[str] = []
    for name in names:
        meant = authors_named(name, known)
        if len(meant) > 1:
            spellings = ", ".join(repr(author) for author in meant)
            raise InputError(options.file, f"{name!r} could be {spellings}: write the name as the thread spells it")
        if not meant:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise InputError(options.file, f"no post by {name!r} in this thread{hint}")
        authors += meant
    return AuthorFilter.of(authors, hide=bool(options.hide_author))


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
        if args[:1] == ["fetch"]:
            from tuireader.fetch.commands import fetch_command

            return fetch_command(args[1:])
        if args[:1] == ["saved"]:
            from tuireader.fetch.commands import saved_command

            return saved_command(args[1:], _open)
        return _open(args)
    except InputError as error:
        print(f"tuireader: {error.describe()}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:  # a read or write the system refused that no closer code named
        where = f"{clean_line(os.fsdecode(error.filename))}: " if error.filename is not None else ""
        print(f"tuireader: {where}{error.strerror or error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


def _open(args: list[str]) -> int:
    served = os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER
    if not served and _open_parser().parse_args(args).serve:
        return _serve(args)
    app = prepare_app(args)
    if not served:
        take_keys_from_terminal()
    reopen = app.run()
    while reopen is not None:  # R fetched a new copy of the thread: open it where the reader was
        app = prepare_app(args, reopen)
        reopen = app.run()
    return app.return_code or 0  # 143 or 129 when a SIGTERM or SIGHUP ended it


def _serve(args: list[str]) -> int:
    """``--serve``: check the flags, config and file here, then start one reader per browser tab."""
    options = _open_parser().parse_args(args)
    if not 0 < options.port < 65536:
        raise InputError("--port", f"{options.port} is not a port (valid: 1 to 65535)")
    if options.file is None and not sys.stdin.isatty() and _piped(sys.stdin.fileno()):
        raise InputError(None, "--serve needs a FILE: each browser tab reads it again, and standard input only once")
    from tuireader.config import load_config
    from tuireader.fetch.sites import is_address
    from tuireader.keys import action_ids, action_places

    _choose_theme(options.theme, load_config(options.config, action_ids(), action_places()))
    path = _thread_path(options.file)
    if not is_address(path):
        open_source(path)  # a file the reader cannot open is one line now, not an error in every tab
    try:
        from tuireader.serve import serve
    except ImportError:
        raise InputError(None, "--serve needs textual-serve: pip install 'tuireader[web]'") from None
    command = [sys.executable, "-m", "tuireader", *args, *([] if options.file else [path])]
    return serve(command, host=options.host, port=options.port, what=path)


def _thread_path(named: str | None) -> str:
    """The thread to open: the file named, else a thread piped in (``cmd | tuireader``), else the sample."""
    if named:
        return named
    if not sys.stdin.isatty() and _piped(sys.stdin.fileno()):
        return STDIN
    return str(sample_thread())


def _piped(descriptor: int) -> bool:
    """True when *descriptor* is a pipe or a file (a thread to read), not a device such as /dev/null."""
    try:
        mode = os.fstat(descriptor).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISREG(mode)


def take_keys_from_terminal() -> None:
    """Read keys from the controlling terminal when standard input is something else, as ``less`` does.

    A thread piped in has been read by now. Textual reads keys from descriptor 0: with a pipe,
    a file or /dev/null there it would see no keys at all (and never quit), so the terminal is
    put in its place. Without a terminal there is nothing to read keys from: say so.
    """
    if sys.stdin is not None and sys.stdin.isatty():
        return
    try:
        terminal = os.open("/dev/tty", os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        raise InputError(
            None, "standard input is not a terminal and there is no terminal to read keys from (use 'tuireader export')"
        ) from None
    os.dup2(terminal, 0)
    os.close(terminal)


def prepare_app(args: list[str], reopen: Reopen | None = None) -> ReaderApp:
    """Everything the open command does before the screen starts: flags, config, theme, first posts.

    With *reopen*, the new copy of a fetched thread opens at the post the reader was on.
    """
    options = _open_parser().parse_args(args)
    from tuireader.app import ReaderApp  # Textual loads only when a screen is needed
    from tuireader.config import default_config_path, load_config
    from tuireader.fetch.sites import is_address
    from tuireader.keys import action_ids, action_places
    from tuireader.widgets.decor import Display

    config = load_config(options.config, action_ids(), action_places())
    themes = _choose_theme(options.theme, config)
    path = _thread_path(options.file)
    address = None
    if reopen is not None:
        path, address = reopen.path, reopen.address
    elif is_address(path):
        from tuireader.fetch.commands import fetch_to_read  # HTTP loads only for an address

        address, path = path, fetch_to_read(path)
    else:
        from tuireader.fetch.commands import address_of

        address = address_of(path)
    whole = bool(options.author or options.hide_author)
    session = ReadingSession.open(path, whole=whole, keep_state=not options.no_state)

    display = Display(
        badges=config.display.get("badges", True) and not options.no_badges,
        icons=config.display.get("icons", True) and not options.no_icons,
        votes=config.display.get("votes", True) and not options.no_votes,
    )
    author_filter = _author_filter(options, session.thread)
    return ReaderApp(
        session,
        display=display,
        author_filter=author_filter,
        keymap=config.keymap,
        themes=themes,
        about_at_start=reopen is None,
        address=address,
        start_at=None if reopen is None else reopen.post_id,
        layout=config.layout,
        layout_file=config.path or default_config_path(),
        ascii_only=_ascii_only(options.ascii, config.ascii, os.environ),
    )


def _ascii_only(flag: bool | None, setting: bool | None, environ: Mapping[str, str]) -> bool:
    """``--ascii``/``--no-ascii``, else config.toml's ``ascii``, else on for the Linux console (it lacks our marks)."""
    if flag is not None:
        return flag
    if setting is not None:
        return setting
    term = environ.get("TERM", "")
    return term == "linux" or term.startswith("linux-")


def _choose_theme(flag: str | None, config: Config) -> ThemeChoice:
    """The theme to start with: ``--theme``, else config.toml's ``theme``, else what the terminal calls for.

    A theme the user names, by flag or setting, must be usable, like every other flag: an
    unknown name, or a broken file, stops the start with one line (``FILE:LINE:`` for the
    file's first problem). Other theme files that are broken are left out, and the app says so.
    """
    from tuireader.themes import ThemeSources, choose_theme, is_theme_path, user_theme_dir
    from tuireader.tomlfile import read_toml

    sources = ThemeSources(user_dir=user_theme_dir())
    if flag is not None:
        try:
            chosen = choose_theme(flag, sources, os.environ)
        except InputError as error:
            raise InputError("--theme", error.message) from None
    elif config.theme is None or config.path is None:
        return choose_theme(None, sources, os.environ)
    else:
        choice = config.theme
        if is_theme_path(choice):
            choice = str(config.path.parent / Path(choice).expanduser())  # relative to config.toml's folder
        try:
            chosen = choose_theme(choice, sources, os.environ)
        except InputError as error:
            raise read_toml(config.path, "config").error(("theme",), error.message) from None
    if chosen.failed:
        raise chosen.failed[0]
    return chosen


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
    _write_output(text if text.endswith("\n") else text + "\n", json_escapes=options.to == "json")
    return 0


_UNICODE_ENCODINGS = frozenset({"utf-8", "utf-16", "utf-32", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"})
"""Encodings that hold every character the sanitiser lets through, so the output needs no check."""


def _write_output(text: str, *, json_escapes: bool) -> None:
    """Write an export to standard output, whatever that is.

    An encoding that cannot hold the text (``PYTHONIOENCODING=ascii``, a C locale) gets
    escapes, with one warning saying how to avoid them; JSON gets JSON's own ``\\uXXXX``
    escapes, so it still parses to the same thread. A write the system refuses (a full
    disk, a closed pipe) is one error line.
    """
    encoding = sys.stdout.encoding or "utf-8"
    if codecs.lookup(encoding).name not in _UNICODE_ENCODINGS:
        try:
            text.encode(encoding)
        except UnicodeEncodeError:
            print(
                f"tuireader: warning: the output's encoding ({clean_line(encoding)}) cannot hold every character; "
                "they are written as escapes (set PYTHONIOENCODING=utf-8 to keep them)",
                file=sys.stderr,
            )
            codecs.register_error(_JSON_ESCAPES, _json_escapes)
            text = text.encode(encoding, _JSON_ESCAPES if json_escapes else "backslashreplace").decode(encoding)
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except OSError as error:
        _discard_output()
        raise InputError(None, f"cannot write the output: {error.strerror or error}") from None


_JSON_ESCAPES = "tuireader-json-escapes"


def _json_escapes(error: UnicodeError) -> tuple[str, int]:
    """An encoding error handler that writes each character as JSON does with ``ensure_ascii``."""
    assert isinstance(error, UnicodeEncodeError)
    return json.dumps(error.object[error.start : error.end])[1:-1], error.end


def _discard_output() -> None:
    """Point standard output at the null device, so the text still buffered cannot fail again at exit."""
    try:
        descriptor = os.open(os.devnull, os.O_WRONLY)
        os.dup2(descriptor, sys.stdout.fileno())
        os.close(descriptor)
    except (OSError, ValueError):  # a stream without a descriptor (a test's capture) has nothing to fail
        pass
