"""The App: puts the thread view beside the reading pane and keeps them, the filter and the status in step."""

from __future__ import annotations

import asyncio
import gc
import os
import select
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual import events, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal
from textual.filter import LineFilter, NoColor
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Footer, Input
from textual.worker import get_current_worker

from tuireader.author_search import AuthorIndex
from tuireader.body import links
from tuireader.config import textual_keys
from tuireader.errors import InputError
from tuireader.filters import AuthorFilter
from tuireader.formats import format_label
from tuireader.formats.base import ParsedSource
from tuireader.layout import SPLIT_STEP, Layout, clamp_split, save_split
from tuireader.model import Post, Thread
from tuireader.outline import Outline
from tuireader.sanitize import clean_line
from tuireader.screens.about import AboutScreen
from tuireader.screens.author_picker import AuthorPicker
from tuireader.screens.help import HelpScreen
from tuireader.screens.links import LinkChoice, LinkPicker
from tuireader.screens.statistics import StatisticsScreen
from tuireader.search import Chunk, Search
from tuireader.session import Loader, ReadingSession
from tuireader.sharing import can_open_links, is_openable, open_externally, post_address, post_text
from tuireader.statistics import ThreadStatistics, thread_statistics
from tuireader.themes import DEFAULT_THEME, ReaderTheme, ThemeChoice, ThemeSources, choose_theme, theme_from_file
from tuireader.widgets.decor import Display, legend
from tuireader.widgets.footer import ReaderFooter
from tuireader.widgets.glyphs import ASCII_FOOTER_KEYS, ASCII_KEYS, glyphs_for
from tuireader.widgets.post_view import PostView
from tuireader.widgets.search_bar import SearchBar
from tuireader.widgets.status_bar import StatusBar
from tuireader.widgets.thread_header import ThreadHeader
from tuireader.widgets.thread_view import ThreadView

PICKER_SCREEN = "authors"
"""The name the author picker is kept under between openings."""
READ_AFTER_SECONDS = 0.8
"""How long a post must stay in the pane to count as read."""
PROGRESS_SECONDS = 0.25
"""How often the status line's loading progress is brought up to date."""
FLUSH_SECONDS = 5.0
"""How often changed read marks are written to the state database (and once more at exit)."""
THEME_POLL_SECONDS = 1.0
"""How often the active theme's file is checked for changes (hot reload)."""
HANGUP_POLL_SECONDS = 1.0
"""How often the app checks that its terminal is still there (see :meth:`ReaderApp._exit_if_hung_up`)."""
NARROW_FOOTER_BELOW = 60
"""Narrower screens get a compact footer without the palette key."""
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
            where = "built in" if theme.source is None else f"{theme.origin} theme, {clean_line(str(theme.source))}"
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


@dataclass(frozen=True)
class Reopen:
    """What the app ends with when ``R`` fetched a new copy: open it, at the post the reader was on."""

    path: str
    address: str
    post_id: str | None


class ReaderApp(App[Reopen]):
    """A thread reader: tree of posts on the left, the selected post on the right."""

    TITLE = "tuireader"
    COMMANDS = App.COMMANDS | {ThemeCommands}
    CSS = """
    #panes { height: 1fr; }
    #tree { min-width: 20; border-right: vkey $panel-lighten-2; }
    #pane { width: 1fr; }
    #panes.-stacked {
        layout: vertical;
        #tree { min-width: 0; min-height: 3; border-right: none; border-bottom: hkey $panel-lighten-2; }
        #pane { height: 1fr; }
    }
    /* --ascii: every border and separator of the reader's screens in ASCII too. */
    App.-ascii {
        #tree { border-right: ascii $panel-lighten-2; }
        #panes.-stacked #tree { border-right: none; border-bottom: ascii $panel-lighten-2; }
        Toast { border-left: ascii $panel-lighten-2; }
        FooterKey.-command-palette { border-left: ascii $foreground 20%; }
        ModalScreen > * { border: ascii $primary; }
        ModalScreen Input { border: ascii $border-blurred; &:focus { border: ascii $border; } }
    }
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
        Binding(  # Textual's own palette key, given an id so config.toml can move it (and give ctrl+p away)
            App.COMMAND_PALETTE_BINDING,
            "command_palette",
            "palette",
            show=False,
            priority=True,
            tooltip="Open the command palette (themes and commands)",
            id="command_palette",
        ),
        Binding("slash", "search", "Search", tooltip="Search authors, titles and bodies (re: a regex)", id="search"),
        Binding("escape", "end_search", "End search", show=False, tooltip="End the search (n, N move again)", id="end"),
        Binding(
            "space",
            "read_on",
            "Read on",
            show=False,
            tooltip="Page down the post; at its end, go to the next unread post",
            id="read_on",
        ),
        Binding("Q", "toggle_quotes", "Quotes", show=False, tooltip="Hide or show quoted text", id="toggle_quotes"),
        Binding("ctrl+w", "switch_focus", "Tree/pane", show=False, tooltip="Focus the tree or the pane", id="focus"),
        Binding("R", "refetch", "Fetch again", show=False, tooltip="Fetch the thread again", id="refetch"),
        Binding("question_mark", "help", "Help", tooltip="Show every key and what it does", id="help"),
        Binding("i", "about", "About", show=False, tooltip="About this thread: title, address, summary", id="about"),
        Binding("s", "statistics", "Stats", show=False, tooltip="Statistics: authors, replies, times", id="stats"),
        Binding("o", "links", "Links", show=False, tooltip="Open or copy a link of this post", id="links"),
        Binding("y", "copy_post", "Copy", show=False, tooltip="Copy this post: author, title, text", id="copy_post"),
        Binding("Y", "copy_address", "Copy link", show=False, tooltip="Copy this post's link (or id)", id="copy_link"),
        Binding("q", "quit", "Quit", tooltip="Leave the reader", id="quit"),
        Binding("w", "toggle_stacked", "Layout", show=False, tooltip="Tree beside the pane, or over it", id="layout"),
        Binding(
            "less_than_sign",
            "split(-1)",
            "Narrower",
            show=False,
            tooltip="Give the tree less room (remembered in config.toml)",
            id="tree_smaller",
        ),
        Binding(
            "greater_than_sign",
            "split(1)",
            "Wider",
            show=False,
            tooltip="Give the tree more room (remembered in config.toml)",
            id="tree_larger",
        ),
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
        thread: Thread | ReadingSession,
        *,
        more_posts: ParsedSource | Iterator[Post] | None = None,
        display: Display | None = None,
        author_filter: AuthorFilter | None = None,
        keymap: dict[str, str] | None = None,
        themes: ThemeChoice | None = None,
        about_at_start: bool = False,
        address: str | None = None,
        start_at: str | None = None,
        layout: Layout | None = None,
        layout_file: Path | None = None,
        ascii_only: bool = False,
    ) -> None:
        super().__init__()
        if "TEXTUAL_ANIMATIONS" not in os.environ:  # no smooth scrolling or fading: over a slow link only lines move
            self.animation_level = "none"
        self.layout_settings = layout or Layout()
        """The split and the stacking config.toml asks for; ``<``, ``>`` and ``w`` change it."""
        self.layout_file = layout_file
        """Where ``<`` and ``>`` save the split (config.toml); None keeps it for this run only."""
        self.glyphs = glyphs_for(ascii_only)
        if ascii_only:
            self.add_class("-ascii")
        self.keymap = dict(keymap or {})
        """config.toml's remaps (binding id to keys): the help screen lists the keys in force."""
        if keymap:
            self.set_keymap(keymap)
        if "command_palette" in self.keymap:  # config.toml moved it off ctrl+p: the footer looks its key up here
            self.COMMAND_PALETTE_BINDING = textual_keys(self.keymap["command_palette"])[0]  # type: ignore[misc]
        self.address = address
        """Where the thread was fetched from, when it was: ``R`` fetches it again."""
        self.start_at = start_at
        """The id of the post to open at (the one the reader was on before ``R``)."""
        self.about_at_start = about_at_start
        """Show the thread's About screen over the first screen when the file has a summary (the command line does)."""
        self.session = thread if isinstance(thread, ReadingSession) else ReadingSession(thread, rest=more_posts)
        """Everything about what the user is doing with the thread; the widgets render it."""
        if author_filter is not None:
            self.session.set_filter(author_filter)
        self.loaded = asyncio.Event()
        """Set once the whole thread is in (at once for a small one); tests and tools await it."""
        self.display_options = display or Display()
        self.open_link: Callable[[str], bool] = open_externally
        """Hands a link to the desktop (tests put a fake here); False when it could not."""
        self._init_themes(themes or choose_theme(DEFAULT_THEME, ThemeSources(), {}))

    @property
    def thread(self) -> Thread:
        return self.session.thread

    @property
    def outline(self) -> Outline:
        return self.session.outline

    @property
    def author_filter(self) -> AuthorFilter | None:
        return self.session.author_filter

    @property
    def loading(self) -> bool:
        return self.session.loading

    def compose(self) -> ComposeResult:
        glyphs = self.glyphs
        yield ThreadHeader(self.thread, glyphs=glyphs, id="header")
        with Horizontal(id="panes") as self._panes:
            yield ThreadView(
                self.session, palette=self.reader_theme, display=self.display_options, glyphs=glyphs, id="tree"
            )
            yield PostView(
                self.session, palette=self.reader_theme, display=self.display_options, glyphs=glyphs, id="pane"
            )
        yield StatusBar(self.display_options, glyphs=glyphs, id="status")
        yield ReaderFooter()
        yield SearchBar(id="search")  # after the footer, so the search line is drawn over it while open

    @property
    def _reader_screen(self) -> Screen[object]:
        """The reader's own screen, under any modal one (help, About, statistics) on top of it."""
        return self.screen_stack[0]

    @property
    def thread_view(self) -> ThreadView:
        return self._reader_screen.query_one("#tree", ThreadView)

    @property
    def pane(self) -> PostView:
        return self._reader_screen.query_one("#pane", PostView)

    @property
    def status(self) -> StatusBar:
        return self._reader_screen.query_one("#status", StatusBar)

    def on_mount(self) -> None:
        gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
        self.title = self.thread.title or "tuireader"
        self._lay_out(self.size.width)
        self.thread_view.focus()
        if self.session.author_filter is not None:
            self.apply_filter(self.session.author_filter)
        if self.start_at is not None and self.start_at in self.thread.index_of:
            self.thread_view.select_index(self.thread.index_of[self.start_at])
        self.pane.show(self.thread_view.cursor_index)
        self.watch(self.thread_view, "highlighted", self._post_shown, init=False)
        self._read_timer = self.set_timer(READ_AFTER_SECONDS, self._mark_shown_read)
        self.set_interval(FLUSH_SECONDS, self._save_marks)
        self._show_reading_state()
        if self.session.read.warning:
            self.notify(self.session.read.warning, title="Read marks not saved", severity="warning", markup=False)
        new = self.session.read.new_since_last_visit()
        if new:
            self.notify(f"{new:,} new since last visit (Tab goes to the next unread)", timeout=6, markup=False)
        if self.about_at_start and self.thread.summary:
            self.action_about()
        self._show_warnings()
        loader = self.session.loader
        if loader is None:
            self.loaded.set()
        else:
            self.status.set_progress(self.session.progress_text())
            # Start after the first paint, so parsing in the background never delays the first screen.
            self.call_after_refresh(self._load_rest, loader)
            self._progress_timer = self.set_interval(PROGRESS_SECONDS, self._show_progress)
        self._theme_notices(self._startup_theme_problems)
        self.set_interval(self.theme_poll_seconds, self._poll_theme_file)
        if hasattr(select, "poll") and sys.stdin.isatty():
            self.set_interval(HANGUP_POLL_SECONDS, self._exit_if_hung_up)
        if not self.is_headless and sys.platform != "win32":
            self._handle_signals()
        self._index_authors()

    # Reading: marks, search, read-through ----------------------------------------------

    def _post_shown(self, index: int | None) -> None:
        """The tree's cursor moved: show the post, and count it read once it has been on screen for a moment."""
        self.pane.show(index)
        self._read_timer.reset()
        self._show_reading_state()

    def _mark_shown_read(self) -> None:
        if not self.screen_stack or not self.screen_stack[0].query("#pane"):
            return  # the timer fired while the app was closing
        index = self.pane.index
        if index is not None and index < len(self.thread) and self.session.mark_read(index):
            self.thread_view.refresh_post_line(index)
            self._show_reading_state()

    def on_thread_view_read_marks_changed(self, message: ThreadView.ReadMarksChanged) -> None:
        self._show_reading_state()

    def _show_reading_state(self) -> None:
        search = self.session.search_status(self.thread_view.cursor_index)
        self.status.set_reading(search or self.session.unread_status())

    @work(thread=True, exclusive=True, group="marks")
    def _save_marks(self) -> None:
        """Write changed read marks in one transaction, off the UI thread."""
        self.session.read.flush()

    def on_unmount(self) -> None:
        self.session.read.close()

    def action_search(self) -> None:
        self._reader_screen.query_one(SearchBar).open()

    def on_input_submitted(self, event: SearchBar.Submitted) -> None:
        bar = self._reader_screen.query_one(SearchBar)
        bar.close()
        self.thread_view.focus()
        if not event.value.strip():
            return
        tree = self.thread_view
        try:
            search = self.session.start_search(event.value, tree.cursor_index or 0)
        except InputError as error:
            self.notify(error.describe(), title="Search", severity="error", markup=False)
            return
        self._show_reading_state()
        self._scan(search)

    def on_search_bar_closed(self, message: SearchBar.Closed) -> None:
        self.thread_view.focus()

    @work(thread=True, exclusive=True, group="search")
    def _scan(self, search: Search) -> None:
        """Find the search's matches off the UI thread, nearest first, merging each chunk on the UI thread."""
        worker = get_current_worker()
        for chunk in search.chunks(lambda: worker.is_cancelled or self.session.search is not search):
            self.call_from_thread(self._add_matches, search, chunk)

    def _add_matches(self, search: Search, chunk: Chunk) -> None:
        if self.session.search is not search:
            return
        first = not search.hits
        search.add(chunk)
        tree = self.thread_view
        tree.refresh()
        self.pane.refresh_post()
        if first and search.hits:  # the first match: go there, as less does
            index = tree.cursor_index
            target = self.session.target("next_match", index) if index is not None else None
            if target is None and index is not None and search.is_hit(index):
                target = index
            if target is None and index is not None:
                target = self.session.target("previous_match", index)
            if target is not None and target != index:
                tree.select_index(target)
        self._show_reading_state()

    def action_end_search(self) -> None:
        if self.session.search is None:
            return
        self.session.end_search()
        self.thread_view.refresh()
        self.pane.refresh_post()
        self._show_reading_state()
        self.notify("Search ended: n and N move between top-level posts again", timeout=2)

    def action_read_on(self) -> None:
        """Space, as in less, mutt and slrn: a page further down the post, then on to the next unread post."""
        pane = self.pane
        if pane.scroll_y < pane.max_scroll_y:
            pane.scroll_page_down(animate=False)
            return
        tree = self.thread_view
        index = tree.cursor_index
        if index is None:
            return
        self.session.mark_read(index)
        tree.refresh_post_line(index)
        target = self.session.target("next_unread", index)
        if target is None:
            target = self.session.target("next_row", index)
        if target is None:
            self.notify("The end of the thread: nothing unread after this post", timeout=2)
            return
        tree.select_index(target)

    def action_toggle_quotes(self) -> None:
        self.session.hide_quotes = not self.session.hide_quotes
        self.pane.refresh_post()
        self.notify("Quotes folded to one line" if self.session.hide_quotes else "Quotes shown", timeout=1.5)

    def action_refetch(self) -> None:
        if self.address is None:
            self.notify("This thread was not opened from an address: there is nothing to fetch again", timeout=3)
            return
        self.notify("Fetching the thread again…", timeout=3, markup=False)
        self._refetch(self.address)

    @work(thread=True, exclusive=True, group="fetch")
    def _refetch(self, address: str) -> None:
        """Fetch a new copy off the UI thread; on success reopen on it, on failure keep this copy open."""
        from tuireader.fetch.download import fetch  # HTTP loads only when asked for

        try:
            fetched = fetch(address)
        except InputError as error:
            self.call_from_thread(
                self.notify, f"{error.describe()}; this copy stays open", title="Fetch", severity="error", markup=False
            )
            return
        self.session.read.flush()  # the marks of this visit, so the new copy counts only what is new
        index = self.thread_view.cursor_index
        post_id = self.thread.posts[index].id if index is not None else None
        self.call_from_thread(self.exit, Reopen(str(fetched.path), address, post_id))

    def action_switch_focus(self) -> None:
        (self.pane if self.thread_view.has_focus else self.thread_view).focus()

    # Filter and display -------------------------------------------------------------

    _author_index: AuthorIndex | None = None

    def _authors(self) -> AuthorIndex:
        """The picker's index of authors, made again only when the thread has grown since."""
        if self._author_index is None or self._author_index.size != len(self.thread):
            self._author_index = AuthorIndex.of(self.thread)
        return self._author_index

    @work(group="authors")
    async def _index_authors(self) -> None:
        """Index the authors off the UI thread once the whole thread is in, so the first ``f`` opens at once."""
        await self.loaded.wait()
        index = await asyncio.to_thread(AuthorIndex.of, self.thread)
        if self._author_index is None or self._author_index.size < index.size:
            self._author_index = index

    _picker: AuthorPicker | None = None

    def action_pick_authors(self) -> None:
        """Open the author picker: made at the first ``f``, then kept and set afresh each time.

        Making and styling a new screen costs about twice as much as opening the kept one again.
        """
        current = self.author_filter
        hide, marked = (current.hide, current.authors) if current else (False, frozenset[str]())
        if self._picker is None:
            self._picker = AuthorPicker(self._authors(), hide=hide, marked=marked, glyphs=self.glyphs)
            self.install_screen(self._picker, PICKER_SCREEN)
        else:
            self._picker.reopen(self._authors(), hide=hide, marked=marked)
        self.push_screen(PICKER_SCREEN, self._picked)
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
        """Apply (or with None, clear) an author filter: the session decides, tree, pane and status show it."""
        tree = self.thread_view
        keep = self.session.set_filter(author_filter, tree.cursor_index)
        self.status.set_filter(self.session.filter_description())
        tree.rows_changed(keep)
        self.pane.show(tree.cursor_index)

    def on_thread_view_post_opened(self, message: ThreadView.PostOpened) -> None:
        self.pane.refresh_post()

    def _exit_if_hung_up(self) -> None:
        """Quit when the terminal has gone away (its pseudo-terminal closed) without a hangup signal.

        Textual's input thread then reads end-of-file in a busy loop, so the reader would
        stay behind using a whole core.
        """
        poller = select.poll()
        poller.register(sys.stdin.fileno(), select.POLLIN)
        if any(event & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _, event in poller.poll(0)):
            self.exit()

    # Signals ---------------------------------------------------------------------------

    def _handle_signals(self) -> None:
        """Leave the terminal as it was on SIGTERM or SIGHUP; stop and come back whole on SIGTSTP and SIGCONT.

        The handlers run in the event loop (``add_signal_handler``), where they may act
        on the app. They replace the driver's own SIGTSTP and SIGCONT handlers, which
        restart the terminal on any SIGCONT (even one after a SIGSTOP, which suspended
        nothing) and repaint nothing.
        """
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(signum, self._exit_on_signal, signum)
        loop.add_signal_handler(signal.SIGTSTP, self._stop)
        loop.add_signal_handler(signal.SIGCONT, self._continued)
        self._repainted_on_continue = False

    def _exit_on_signal(self, signum: int) -> None:
        """Quit as ``q`` does, restoring the terminal; the status is the shell's for a signal (143, 129)."""
        asyncio.get_running_loop().remove_signal_handler(signum)  # a second one ends the process at once
        self.exit(return_code=128 + signum)

    def _stop(self) -> None:
        """SIGTSTP: give the terminal back as it was, stop, and on SIGCONT take it again and repaint it all."""
        with self.suspend():
            os.kill(os.getpid(), signal.SIGSTOP)
        self._repainted_on_continue = True

    def _continued(self) -> None:
        """SIGCONT: after :meth:`_stop` all is done; after a SIGSTOP, set the terminal up again and repaint it."""
        if self._repainted_on_continue:
            self._repainted_on_continue = False
            return
        with self.suspend():  # whatever ran in the terminal meanwhile may have changed its modes
            pass

    def action_toggle_display(self, part: str) -> None:
        options = self.display_options
        setattr(options, part, not getattr(options, part))
        self.thread_view.restyle()
        self.pane.refresh_post()
        self.status.show()

    # Layout ----------------------------------------------------------------------------

    _panes: Horizontal | None = None
    """The tree and the pane's container, kept: a query would look on the screen on top (help, statistics)."""

    def on_resize(self, event: events.Resize) -> None:
        if self._panes is not None and self._panes.is_attached:  # not before compose, nor once it is gone
            self._lay_out(event.size.width)

    def _lay_out(self, columns: int) -> None:
        """The tree beside the pane, or over it on a narrow screen, with its share of the room.

        Only sizes change: the tree keeps its cursor (and scrolls to it on its resize).
        """
        layout, panes = self.layout_settings, self._panes
        assert panes is not None
        stacked = layout.stacks_at(columns)
        panes.set_class(stacked, "-stacked")
        share = f"{layout.split}%"
        tree, pane = panes.query_one(ThreadView).styles, panes.query_one(PostView).styles
        if stacked:
            tree.width, tree.height, pane.width = "100%", share, "100%"
        else:
            tree.width, tree.height, pane.width = share, "100%", "1fr"
        footer, narrow = panes.screen.query_one(Footer), columns < NARROW_FOOTER_BELOW
        footer.compact = narrow  # and without ^p, so "q Quit" still fits
        footer.show_command_palette = not narrow

    def action_toggle_stacked(self) -> None:
        layout = self.layout_settings
        layout.stacked = not layout.stacks_at(self.size.width)
        self._lay_out(self.size.width)
        self.notify("Tree over the pane" if layout.stacked else "Tree beside the pane", timeout=1.5)

    def action_split(self, direction: int) -> None:
        layout = self.layout_settings
        split = clamp_split(layout.split + direction * SPLIT_STEP)
        if split == layout.split:
            self.notify(f"The tree has {split}% already: as {'much' if direction > 0 else 'little'} as it gets")
            return
        layout.split = split
        self._lay_out(self.size.width)
        if self.layout_file is not None:
            self._save_split(self.layout_file, split)

    @work(thread=True, exclusive=True, group="layout")
    def _save_split(self, path: Path, split: int) -> None:
        """Remember the split in config.toml, off the UI thread; a file that cannot be written is one notice."""
        try:
            save_split(path, split)
        except InputError as error:
            self.call_from_thread(
                self.notify, error.describe(), title="Split not saved", severity="warning", markup=False
            )

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """No input blinks its cursor (the search bar, the picker, the palette): nothing on screen moves by itself."""
        if isinstance(event.widget, Input):
            event.widget.cursor_blink = False

    def get_key_display(self, binding: Binding) -> str:
        """Keys as Textual shows them (⏎, ↓), spelt out on an ASCII screen."""
        shown = super().get_key_display(binding)
        return shown.translate(ASCII_FOOTER_KEYS) if self.glyphs.ascii else shown

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
        self._left_out_reported: set[str] = set()
        """The problems of other theme files already reported, so each is reported once."""
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
        """Hot reload: when the active theme's file changes, read the themes again and apply it.

        Here, on the UI thread, the file is only looked at (``stat``); the files are read
        in a worker thread, so no file (a FIFO, a slow disk) can freeze the screen.
        """
        path = self._watched
        stamp = _stamp(path)
        if path is None or stamp is None or stamp == self._watched_stamp:
            return  # a file that is gone for a moment (an editor saving it) keeps the theme as it was
        self._watched_stamp = stamp  # one reading per change, however long it takes
        self._read_themes(path, stamp)

    @work(thread=True, group="theme-reload")
    def _read_themes(self, path: Path, stamp: tuple[int, int, int]) -> None:
        themes, errors = self.theme_sources.load()
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._themes_read, path, stamp, themes, errors)

    def _themes_read(
        self, path: Path, stamp: tuple[int, int, int], themes: dict[str, ReaderTheme], errors: list[InputError]
    ) -> None:
        if (path, stamp) != (self._watched, self._watched_stamp):
            return  # the file changed again, or another theme was chosen, while this was read
        theme, failed = theme_from_file(path, themes, errors)
        left_out = [error for error in errors if error not in failed]
        self._install_themes(themes, theme.name if theme else DEFAULT_THEME)
        if theme is None:
            self._watched, self._watched_stamp = path, stamp  # keep watching: fixing the file brings it back
            self._theme_notices((failed, left_out), reloaded=True)
            return
        if self._theme_failed:
            self.clear_notifications()  # the notice about the broken file is out of date now
        self.notify(f"Theme {theme.name} reloaded from {clean_line(str(path))}", timeout=2, markup=False)
        self._theme_notices(([], left_out), reloaded=True)

    def _theme_notices(self, problems: tuple[list[InputError], list[InputError]], *, reloaded: bool = False) -> None:
        """Say why the chosen theme is not applied; count the other theme files left out in the status line.

        A broken file the user is not using must not cover the reading area at every start:
        it is one line in the status bar ('tuireader themes' says what is wrong), and a
        notice only when it newly goes wrong while the reader runs.
        """
        failed, left_out = problems
        self._theme_failed = bool(failed)
        for error in failed[:3]:
            title = f"Theme not applied: using {DEFAULT_THEME}"
            self.notify(error.describe(), title=title, severity="error", timeout=20, markup=False)
        if len(failed) > 3:
            self.notify(f"…and {len(failed) - 3} more problems in that theme", severity="warning", markup=False)
        count = len(left_out)
        themes = "1 theme" if count == 1 else f"{count:,} themes"
        self.status.set_notice(f"{themes} left out ('tuireader themes' says why)" if count else "")
        new = [error for error in left_out if error.describe() not in self._left_out_reported]
        self._left_out_reported.update(error.describe() for error in left_out)
        if reloaded and new:
            more = f" (and {len(new) - 1:,} more)" if len(new) > 1 else ""
            self.notify(new[0].describe() + more, title="Theme file left out", severity="warning", markup=False)

    # Other actions -------------------------------------------------------------------

    def action_help(self) -> None:
        from tuireader.keys import help_rows  # tuireader.keys reads this module's bindings

        rows = help_rows(self.keymap)
        if self.glyphs.ascii:
            rows = [(keys.translate(ASCII_KEYS), does) for keys, does in rows]
        self.push_screen(HelpScreen(rows, legend(self.thread.posts, self.reader_theme, self.glyphs)))

    def action_about(self) -> None:
        self.push_screen(AboutScreen(self.thread, format_label(self.thread.source_format), loading=self.loading))

    # Statistics, links and copying ---------------------------------------------------

    _statistics: tuple[Thread, ThreadStatistics] | None = None

    def action_statistics(self) -> None:
        """Count the thread once per size it has had (0.1 s at 100,000 posts), then show the numbers."""
        thread = self.thread
        if self._statistics is None or self._statistics[0] is not thread or self._statistics[1].posts != len(thread):
            self._statistics = (thread, thread_statistics(thread))
        screen = StatisticsScreen(thread, self._statistics[1], palette=self.reader_theme, loading=self.loading)
        self.push_screen(screen, self._go_to_post)

    def _go_to_post(self, index: int | None) -> None:
        """The statistics screen chose a post: go there as a jump (backspace returns)."""
        tree = self.thread_view
        current = tree.cursor_index
        if index is None or index == current:
            return
        tree.select_index(index)
        if tree.cursor_index != index:
            self.notify("That post is hidden by the author filter (F clears it)", timeout=3)
        elif current is not None:
            self.session.history.record(current)

    def action_links(self) -> None:
        index = self.thread_view.cursor_index
        if index is None:
            return
        if self.session.is_hidden(index) or self.session.is_behind_warning(index):
            self.notify("This post is folded: Enter shows it", timeout=2)
            return
        found = list(links(self.thread.body_of(index)[1]))
        if not found:
            self.notify("No links in this post", timeout=1.5)
            return
        self.push_screen(LinkPicker(found), self._link_chosen)

    def _link_chosen(self, choice: LinkChoice | None) -> None:
        """Open the picked link with :attr:`open_link`, or copy it: when asked, when it is not a web or mail
        link, when there is no display to open it on (over SSH), or when the opener fails."""
        if choice is None:
            return
        target = choice.target
        if choice.copy:
            why = "Copied the link"
        elif not is_openable(target):
            why = "Not opened (only http, https and mailto links are): copied"
        elif not can_open_links(os.environ, sys.platform):
            why = "No display to open it on: copied"
        elif self.open_link(target):
            self.notify(f"Opening {target}", timeout=3, markup=False)
            return
        else:
            why = "Could not open it: copied"
        self.copy_to_clipboard(target)
        self.notify(f"{why} {target}", timeout=6, markup=False)

    def action_copy_post(self) -> None:
        """Copy the post as plain text through the terminal (OSC 52, which works over SSH)."""
        index = self.thread_view.cursor_index
        if index is None:
            return
        post = self.thread.posts[index]
        text = post_text(post, self.thread.body_of(index)[0])
        self.copy_to_clipboard(text)
        self.notify(f"Copied the post by {post.author or '(no name)'} ({len(text):,} characters)", markup=False)

    def action_copy_address(self) -> None:
        index = self.thread_view.cursor_index
        if index is None:
            return
        address = post_address(self.thread, index)
        self.copy_to_clipboard(address)
        what = "link" if self.thread.url else "id"
        self.notify(f"Copied the post's {what}: {address}", markup=False)

    def action_pane_page(self, direction: int) -> None:
        pane = self.pane
        if direction > 0:
            pane.scroll_page_down(animate=False)
        else:
            pane.scroll_page_up(animate=False)

    # Progressive loading -----------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def _load_rest(self, loader: Loader) -> None:
        """Parse the rest of the file off the UI thread, handing over cleaned posts in batches.

        Stops at the next batch once the worker is cancelled (the app quitting).
        """
        worker = get_current_worker()
        try:
            for batch in loader.batches(lambda: worker.is_cancelled):
                self.call_from_thread(self._add_posts, batch)
        except InputError as error:
            self.call_from_thread(self._loading_failed, error)
            return
        if not worker.is_cancelled:
            self.call_from_thread(self._loading_done)

    def _add_posts(self, batch: list[Post]) -> None:
        tree = self.thread_view
        keep = tree.cursor_index
        self.session.add_posts(batch)
        # The thread's objects live as long as the app: keep them out of the cyclic collector's
        # full passes, which otherwise stall keys for a second on a million posts.
        gc.freeze()
        if self.author_filter is not None:
            self.status.set_filter(self.session.filter_description())
        tree.restyle()  # new replies change the guides and reply counts of lines drawn before
        tree.rows_changed(keep)
        self._reader_screen.query_one(ThreadHeader).show()
        self.status.set_progress(self.session.progress_text())
        self._show_reading_state()

    def _show_progress(self) -> None:
        """While a format prepares its first posts (indexing an archive), its progress, a few times a second."""
        if self.session.loading:
            self.status.set_progress(self.session.progress_text())
        else:
            self._progress_timer.stop()

    def _show_warnings(self) -> None:
        fresh = self.session.new_warnings()
        for warning in fresh[:5]:
            self.notify(warning, title="While loading", severity="warning", timeout=8, markup=False)
        if len(fresh) > 5:
            self.notify(f"…and {len(fresh) - 5} more warnings", severity="warning", markup=False)

    def _loading_done(self) -> None:
        self.session.finish_loading()
        self._show_warnings()
        self._reader_screen.query_one(ThreadHeader).show()
        self.status.set_progress("")
        self.pane.refresh_post()
        self._show_reading_state()
        self.loaded.set()

    def _loading_failed(self, error: InputError) -> None:
        message = self.session.loading_failed(error)
        self.loaded.set()
        self.status.set_progress(f"incomplete: stopped after {len(self.thread):,} posts")
        self.notify(
            message,
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
