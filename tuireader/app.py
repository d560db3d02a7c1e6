"""The App: puts the thread view beside the reading pane and keeps them, the filter and the status in step."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Footer

from tuireader.errors import InputError
from tuireader.filters import AuthorFilter, author_counts, with_ancestors
from tuireader.model import Post, Thread
from tuireader.outline import Outline
from tuireader.screens.author_picker import AuthorPicker
from tuireader.screens.help import HelpScreen, describe_bindings
from tuireader.widgets.decor import Display
from tuireader.widgets.post_view import PostView
from tuireader.widgets.status_bar import StatusBar
from tuireader.widgets.thread_header import ThreadHeader
from tuireader.widgets.thread_view import ThreadView

LOAD_BATCH = 20_000
"""Posts parsed in the background between two updates of the screen while a big file loads."""


class ReaderApp(App[None]):
    """A thread reader: tree of posts on the left, the selected post on the right."""

    TITLE = "tuireader"
    CSS = """
    #panes { height: 1fr; }
    #tree { width: 2fr; min-width: 30; border-right: vkey $panel-lighten-2; }
    #pane { width: 3fr; }
    """

    BINDINGS: list[BindingType] = [
        Binding("f", "pick_authors", "Authors", tooltip="Filter by author: only some, or hide some", id="filter"),
        Binding("F", "clear_filter", "Clear filter", show=False, tooltip="Show every author again", id="clear_filter"),
        Binding("b", "toggle_display('badges')", "Badges", show=False, tooltip="Show or hide badges", id="toggle_badges"),
        Binding("t", "toggle_display('icons')", "Icons", show=False, tooltip="Show or hide thumbs and other icons", id="toggle_icons"),
        Binding("v", "toggle_display('votes')", "Votes", show=False, tooltip="Show or hide vote counts and scores", id="toggle_votes"),
        Binding("question_mark", "help", "Help", tooltip="Show every key and what it does", id="help"),
        Binding("q", "quit", "Quit", tooltip="Leave the reader", id="quit"),
        Binding("pagedown,ctrl+d", "pane_page(1)", "Scroll ↓", show=False, tooltip="Scroll the reading pane down a page", id="pane_down"),
        Binding("pageup,ctrl+u", "pane_page(-1)", "Scroll ↑", show=False, tooltip="Scroll the reading pane up a page", id="pane_up"),
    ]

    def __init__(
        self,
        thread: Thread,
        *,
        more_posts: Iterator[Post] | None = None,
        display: Display | None = None,
        author_filter: AuthorFilter | None = None,
        keymap: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        if keymap:
            self.set_keymap(keymap)
        self.thread = thread
        self.outline = Outline(thread)
        self.display_options = display or Display()
        self.author_filter = author_filter
        self._more_posts = more_posts
        self.loading = more_posts is not None

    def compose(self) -> ComposeResult:
        yield ThreadHeader(self.thread, id="header")
        with Horizontal(id="panes"):
            yield ThreadView(self.outline, display=self.display_options, id="tree")
            yield PostView(self.thread, display=self.display_options, id="pane")
        yield StatusBar(self.display_options, id="status")
        yield Footer()

    @property
    def tree(self) -> ThreadView:
        return self.query_one("#tree", ThreadView)

    @property
    def pane(self) -> PostView:
        return self.query_one("#pane", PostView)

    @property
    def status(self) -> StatusBar:
        return self.query_one("#status", StatusBar)

    def on_mount(self) -> None:
        self.title = self.thread.title or "tuireader"
        self.tree.focus()
        if self.author_filter is not None:
            self.apply_filter(self.author_filter)
        self.pane.show(self.tree.cursor_index)
        for warning in self.thread.warnings[:5]:
            self.notify(warning, title="While loading", severity="warning", timeout=8, markup=False)
        if len(self.thread.warnings) > 5:
            self.notify(f"…and {len(self.thread.warnings) - 5} more warnings", severity="warning", markup=False)
        if self._more_posts is not None:
            self.status.set_progress(f"loading… {len(self.thread):,} posts")
            self._load_rest(self._more_posts)

    def on_thread_view_post_highlighted(self, event: ThreadView.PostHighlighted) -> None:
        self.pane.show(event.index)

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
        tree, thread = self.tree, self.thread
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

    def action_toggle_display(self, part: str) -> None:
        options = self.display_options
        setattr(options, part, not getattr(options, part))
        self.tree.restyle()
        self.pane.refresh_post()
        self.status.show()

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
        self.outline.grow()
        if self.author_filter is not None:
            self.apply_filter(self.author_filter)
        else:
            self.tree.rows_changed()
        self.query_one(ThreadHeader).show()
        self.status.set_progress(f"loading… {len(self.thread):,} posts")

    def _loading_done(self) -> None:
        self.loading = False
        self.query_one(ThreadHeader).show()
        self.status.set_progress("")
        self.pane.refresh_post()

    def _loading_failed(self, error: InputError) -> None:
        self.loading = False
        self.status.set_progress(f"incomplete: stopped after {len(self.thread):,} posts")
        self.notify(
            f"{error.describe()}; showing the {len(self.thread):,} posts before it",
            title="Stopped loading",
            severity="error",
            timeout=15,
            markup=False,
        )
