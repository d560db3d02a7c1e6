"""The App: puts the thread view beside the reading pane and keeps them, the filter and the status in step."""

from __future__ import annotations

import gc
import os
import select
import sys
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from itertools import islice
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal
from textual.filter import LineFilter, NoColor
from textual.markup import escape
from textual.widgets import Footer

from tuireader.errors import InputError
from tuireader.filters import AuthorFilter, author_counts, with_ancestors
from tuireader.formats.base import ParsedSource
from tuireader.model import Post, Thread
from tuireader.outline import Outline
from tuireader.sanitize import clean_line
from tuireader.screens.author_picker import AuthorPicker
from tuireader.screens.help import HelpScreen, describe_bindings
from tuireader.themes import DEFAULT_THEME, ReaderTheme, ThemeChoice, ThemeSources, choose_theme, theme_from_file
from tuireader.widgets.decor import Display
from tuireader.widgets.post_view import PostView
from tuireader.widgets.status_bar import StatusBar
from tuireader.widgets.thread_header import ThreadHeader
from tuireader.widgets.thread_view import ThreadView

LOAD_BATCH = 5_000
"""Posts parsed in the background between two updates of the screen while a big file loads.

Each batch is added on the UI thread, so a smaller batch means shorter pauses for keys."""
THEME_POLL_SECONDS = 1.0
"""How often the active theme's file is checked for changes (hot reload)."""
HANGUP_POLL_SECONDS = 1.0
"""How often the app checks that its terminal is still there (see :meth:`ReaderApp._exit_if_hung_up`)."""
GC_YOUNG_THRESHOLD = 20_000
"""Allocations between two young-generation garbage collections (Python's default: 700).

Every frame makes thousands of short-lived strips and segments; at the default the
collector ran several times per key press, about 2 ms of a 15 ms key at 100,000 posts."""


class ThemeCommands(Provider):
    """Every theme in the command palette (ctrl+p), bundled and the user's, to pick with one search."""

    def _commands(self) -> list[tuple[str, Callable[[], None], str]]:
        app = self.app
        assert isinstance(app, ReaderApp)
        commands: list[tuple[str, Callable[[], None], str]] = []
        for name, theme in sorted(app.reader_themes.items()):
            where = "built in" if theme.source is None else f"{theme.origin} theme, {theme.source}"
            commands.append((f"Theme: {name}", partial(setattr, app, "theme", name), escape(where)))
        return commands

    async def discover(self) -> Hits:
        for text, pick, where in self._commands():
            yield DiscoveryHit(text, pick, text=text, help=where)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, pick, where in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), pick, text=text, help=where)


class ReaderApp(App[None]):
    """A thread reader: tree of posts on the left, the selected post on the right."""

    TITLE = "tuireader"
    COMMANDS = App.COMMANDS | {ThemeCommands}
    CSS = """
    #panes { height: 1fr; }
    #tree { width: 2fr; min-width: 30; border-right: vkey $panel-lighten-2; }
    #pane { width: 3fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "pick_authors", "Authors", tooltip="Filter by author: only some, or hide some", id="filter"),
        Binding("F", "clear_filter", "Clear filter", show=False, tooltip="Show every author again", id="clear_filter"),
        Binding(
            "b", "toggle_display('badges')", "Badges", show=False, tooltip="Show or hide badges", id="toggle_badges"
        ),
        Binding(
            "t",
            "toggle_display('icons')",
            "Icons",
            show=False,
            tooltip="Show or hide thumbs and other icons",
            id="toggle_icons",
        ),
        Binding(
            "v",
            "toggle_display('votes')",
            "Votes",
            show=False,
            tooltip="Show or hide vote counts and scores",
            id="toggle_votes",
        ),
        Binding(
            "T",
            "cycle_theme",
            "Theme",
            show=False,
            tooltip="Switch to the next theme (ctrl+p lists them)",
            id="cycle_theme",
        ),
        Binding("question_mark", "help", "Help", tooltip="Show every key and what it does", id="help"),
        Binding("q", "quit", "Quit", tooltip="Leave the reader", id="quit"),
        Binding(
            "pagedown,ctrl+d",
            "pane_page(1)",
            "Scroll ↓",
            show=False,
            tooltip="Scroll the reading pane down a page",
            id="pane_down",
        ),
        Binding(
            "pageup,ctrl+u",
            "pane_page(-1)",
            "Scroll ↑",
            show=False,
            tooltip="Scroll the reading pane up a page",
            id="pane_up",
        ),
    ]

    def __init__(
        self,
        thread: Thread,
        *,
        more_posts: ParsedSource | Iterator[Post] | None = None,
        display: Display | None = None,
        author_filter: AuthorFilter | None = None,
        keymap: dict[str, str] | None = None,
        themes: ThemeChoice | None = None,
    ) -> None:
        super().__init__()
        if keymap:
            self.set_keymap(keymap)
        self.thread = thread
        self.outline = Outline(thread)
        self.display_options = display or Display()
        self.author_filter = author_filter
        self._more_posts = more_posts
        self._warnings_shown = len(thread.warnings)
        self._source_warnings_copied = len(more_posts.warnings) if isinstance(more_posts, ParsedSource) else 0
        self.loading = more_posts is not None
        self._init_themes(themes or choose_theme(DEFAULT_THEME, ThemeSources(), {}))

    def compose(self) -> ComposeResult:
        yield ThreadHeader(self.thread, id="header")
        with Horizontal(id="panes"):
            yield ThreadView(self.outline, palette=self.reader_theme, display=self.display_options, id="tree")
            yield PostView(self.thread, palette=self.reader_theme, display=self.display_options, id="pane")
        yield StatusBar(self.display_options, id="status")
        yield Footer()

    @property
    def thread_view(self) -> ThreadView:
        return self.query_one("#tree", ThreadView)

    @property
    def pane(self) -> PostView:
        return self.query_one("#pane", PostView)

    @property
    def status(self) -> StatusBar:
        return self.query_one("#status", StatusBar)

    def on_mount(self) -> None:
        gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
        self.title = self.thread.title or "tuireader"
        self.thread_view.focus()
        if self.author_filter is not None:
            self.apply_filter(self.author_filter)
        self.pane.show(self.thread_view.cursor_index)
        self.watch(self.thread_view, "highlighted", self.pane.show, init=False)
        for warning in self.thread.warnings[:5]:
            self.notify(warning, title="While loading", severity="warning", timeout=8, markup=False)
        if len(self.thread.warnings) > 5:
            self.notify(f"…and {len(self.thread.warnings) - 5} more warnings", severity="warning", markup=False)
        if self._more_posts is not None:
            self.thread_view.partial = True
            self.status.set_progress(f"loading… {len(self.thread):,} posts")
            more = self._more_posts
            rest = more.posts if isinstance(more, ParsedSource) else more
            # Start after the first paint, so parsing in the background never delays the first screen.
            self.call_after_refresh(self._load_rest, rest)
        self._theme_notices(self._startup_theme_problems)
        self.set_interval(self.theme_poll_seconds, self._poll_theme_file)
        if hasattr(select, "poll") and sys.stdin.isatty():
            self.set_interval(HANGUP_POLL_SECONDS, self._exit_if_hung_up)

    # Filter and display -------------------------------------------------------------

    def action_pick_authors(self) -> None:
        current = self.author_filter
        picker = AuthorPicker(
            author_counts(self.thread),
            hide=current.hide if current else False,
            marked=current.authors if current else frozenset(),
        )
        self.push_screen(picker, self._picked)
        if self.loading:
            self.notify("Still loading: the list counts the posts read so far", timeout=3)

    def _picked(self, chosen: AuthorFilter | None) -> None:
        if chosen is not None:
            self.apply_filter(chosen)

    def action_clear_filter(self) -> None:
        if self.author_filter is None:
            self.notify("No filter to clear", timeout=1.5)
            return
        self.apply_filter(None)

    def apply_filter(self, author_filter: AuthorFilter | None) -> None:
        """Apply (or with None, clear) an author filter to tree, pane, moves and status line."""
        self.author_filter = author_filter
        tree, thread = self.thread_view, self.thread
        keep = tree.cursor_index
        if author_filter is None:
            self.outline.set_filter(None)
            tree.set_matches(None, hide=False)
            self.pane.hidden_authors = frozenset()
            self.status.set_filter("")
        else:
            matches = author_filter.matches(thread)
            self.outline.set_filter(None if author_filter.hide else with_ancestors(thread, matches))
            tree.set_matches(matches, hide=author_filter.hide)
            self.pane.hidden_authors = author_filter.authors if author_filter.hide else frozenset()
            matched = sum(matches)
            self.status.set_filter(author_filter.describe(matched, len(thread)))
            if keep is not None and not matches[keep]:
                keep = next((i for i in self.outline.rows if matches[i]), None)
        tree.rows_changed(keep)
        self.pane.show(tree.cursor_index)

    def _exit_if_hung_up(self) -> None:
        """Quit when the terminal has gone away (its pseudo-terminal closed) without a hangup signal.

        Textual's input thread then reads end-of-file in a busy loop, so the reader would
        stay behind using a whole core.
        """
        poller = select.poll()
        poller.register(sys.stdin.fileno(), select.POLLIN)
        if any(event & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _, event in poller.poll(0)):
            self.exit()

    def action_toggle_display(self, part: str) -> None:
        options = self.display_options
        setattr(options, part, not getattr(options, part))
        self.thread_view.restyle()
        self.pane.refresh_post()
        self.status.show()

    # Themes ----------------------------------------------------------------------------

    theme_poll_seconds = THEME_POLL_SECONDS

    def _init_themes(self, choice: ThemeChoice) -> None:
        """Offer our themes, and only ours, to Textual, and start in the chosen one."""
        self.theme_sources = choice.sources
        self.reader_themes: dict[str, ReaderTheme] = {}
        self.reader_theme = choice.active
        self._colourless = False
        self._no_color = NoColor()
        self._watched: Path | None = None
        self._watched_stamp: tuple[int, int, int] | None = None
        self._theme_failed = False
        """Whether a notice says the chosen theme is broken (cleared once its file is fixed)."""
        self._install_themes(choice.themes, choice.active.name)
        self._watch_file(choice.wanted)
        self._startup_theme_problems = (choice.failed, choice.left_out)

    def _install_themes(self, themes: dict[str, ReaderTheme], active: str) -> None:
        """Register *themes* with Textual, switch to *active*, and drop every other theme.

        Textual's own themes go too: they have no ``[thread]`` styles to give the tree and pane.
        """
        for theme in themes.values():
            self.register_theme(theme.textual_theme())
        self.reader_themes = themes
        if self.theme == active:
            self.mutate_reactive(App.theme)  # same name, new content: apply it again
        else:
            self.theme = active
        for name in list(self.available_themes):
            if name not in themes:
                self.unregister_theme(name)

    def watch_theme(self, name: str) -> None:
        """Whichever way the theme changed (T, ctrl+p, a reload), restyle the tree and pane with it."""
        theme = self.reader_themes.get(name)
        if theme is None:
            return
        self.reader_theme = theme
        self._colourless = theme.no_color
        self._watch_file(theme.source)
        for screen in self.screen_stack[:1]:  # the reader's own screen, even under ctrl+p or help
            for tree in screen.query(ThreadView):
                tree.palette = theme
                tree.restyle()
            for pane in screen.query(PostView):
                pane.palette = theme
                if pane.is_mounted:
                    pane.refresh_post()

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, plus one that strips every colour while a colourless theme (mono) is on."""
        filters = super().get_line_filters()
        return [*filters, self._no_color] if self._colourless else filters

    def action_cycle_theme(self) -> None:
        names = sorted(self.reader_themes)
        following = names[(names.index(self.theme) + 1) % len(names)] if self.theme in names else DEFAULT_THEME
        self.theme = following
        self.notify(f"Theme: {following}", timeout=1.5, markup=False)

    def _watch_file(self, path: Path | None) -> None:
        self._watched = path
        self._watched_stamp = _stamp(path)

    def _poll_theme_file(self) -> None:
        """Hot reload: when the active theme's file changes, read the themes again and apply it."""
        path = self._watched
        stamp = _stamp(path)
        if path is None or stamp is None or stamp == self._watched_stamp:
            return  # a file that is gone for a moment (an editor saving it) keeps the theme as it was
        themes, errors = self.theme_sources.load()
        theme, failed = theme_from_file(path, themes, errors)
        self._install_themes(themes, theme.name if theme else DEFAULT_THEME)
        if theme is None:
            self._watched, self._watched_stamp = path, stamp  # keep watching: fixing the file brings it back
            self._theme_notices((failed, []))
            return
        if self._theme_failed:
            self.clear_notifications()  # the notice about the broken file is out of date now
        self.notify(f"Theme {theme.name} reloaded from {path}", timeout=2, markup=False)

    def _theme_notices(self, problems: tuple[list[InputError], list[InputError]]) -> None:
        failed, left_out = problems
        self._theme_failed = bool(failed)
        for error in failed[:3]:
            title = f"Theme not applied: using {DEFAULT_THEME}"
            self.notify(error.describe(), title=title, severity="error", timeout=20, markup=False)
        for error in left_out[:3]:
            self.notify(error.describe(), title="Theme file left out", severity="warning", timeout=20, markup=False)
        hidden = len(failed[3:]) + len(left_out[3:])
        if hidden:
            self.notify(f"…and {hidden} more theme problems ('tuireader themes' lists them)", severity="warning")

    # Other actions -------------------------------------------------------------------

    def action_help(self) -> None:
        bindings = [(key, active.binding) for key, active in self.screen.active_bindings.items()]
        self.push_screen(HelpScreen(describe_bindings(bindings)))

    def action_pane_page(self, direction: int) -> None:
        pane = self.pane
        if direction > 0:
            pane.scroll_page_down(animate=False)
        else:
            pane.scroll_page_up(animate=False)

    # Progressive loading -----------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def _load_rest(self, posts: Iterator[Post]) -> None:
        """Parse the rest of the file off the UI thread, handing over cleaned posts in batches."""
        try:
            while True:
                batch = [post.cleaned() for post in islice(posts, LOAD_BATCH)]
                if not batch:
                    break
                self.call_from_thread(self._add_posts, batch)
        except InputError as error:
            self.call_from_thread(self._loading_failed, error)
            return
        self.call_from_thread(self._loading_done)

    def _add_posts(self, batch: list[Post]) -> None:
        self.thread.extend(batch, cleaned=True)
        # The thread's objects live as long as the app: keep them out of the cyclic collector's
        # full passes, which otherwise stall keys for a second on a million posts.
        gc.freeze()
        self.outline.grow()
        if self.author_filter is not None:
            self.apply_filter(self.author_filter)
        else:
            self.thread_view.restyle()  # new replies change the guides and reply counts of lines drawn before
            self.thread_view.rows_changed()
        self.query_one(ThreadHeader).show()
        self.status.set_progress(f"loading… {len(self.thread):,} posts")

    def _loading_done(self) -> None:
        self.loading = False
        self.thread_view.partial = False
        if isinstance(self._more_posts, ParsedSource):  # what the file said only at its end
            self.thread.closed = self.thread.closed or self._more_posts.closed
            late = self._more_posts.warnings[self._source_warnings_copied :]
            self.thread.warnings.extend(clean_line(w) for w in late)
        for warning in self.thread.warnings[self._warnings_shown :][:5]:
            self.notify(warning, title="While loading", severity="warning", timeout=8, markup=False)
        self._warnings_shown = len(self.thread.warnings)
        self.query_one(ThreadHeader).show()
        self.status.set_progress("")
        self.pane.refresh_post()

    def _loading_failed(self, error: InputError) -> None:
        self.loading = False
        self.thread_view.partial = False
        self.status.set_progress(f"incomplete: stopped after {len(self.thread):,} posts")
        self.notify(
            f"{error.describe()}; showing the {len(self.thread):,} posts before it",
            title="Stopped loading",
            severity="error",
            timeout=15,
            markup=False,
        )


def _stamp(path: Path | None) -> tuple[int, int, int] | None:
    """What changes when a file is saved (time, size, inode: an editor may replace the file); None if unreadable."""
    if path is None:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino
