"""The App: puts the thread view beside the reading pane and keeps them in step."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Footer

from tuireader.errors import InputError
from tuireader.model import Post, Thread
from tuireader.outline import Outline
from tuireader.screens.help import HelpScreen, describe_bindings
from tuireader.widgets.decor import Display
from tuireader.widgets.post_view import PostView
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
    ) -> None:
        super().__init__()
        self.thread = thread
        self.outline = Outline(thread)
        self.display_options = display or Display()
        self._more_posts = more_posts
        self.loading = more_posts is not None

    def compose(self) -> ComposeResult:
        yield ThreadHeader(self.thread, id="header")
        with Horizontal(id="panes"):
            yield ThreadView(self.outline, display=self.display_options, id="tree")
            yield PostView(self.thread, display=self.display_options, id="pane")
        yield Footer()

    @property
    def tree(self) -> ThreadView:
        return self.query_one("#tree", ThreadView)

    @property
    def pane(self) -> PostView:
        return self.query_one("#pane", PostView)

    def on_mount(self) -> None:
        self.title = self.thread.title or "tuireader"
        self.tree.focus()
        self.pane.show(self.tree.cursor_index)
        for warning in self.thread.warnings[:5]:
            self.notify(warning, title="While loading", severity="warning", timeout=8, markup=False)
        if len(self.thread.warnings) > 5:
            self.notify(f"…and {len(self.thread.warnings) - 5} more warnings", severity="warning", markup=False)
        if self._more_posts is not None:
            self.query_one(ThreadHeader).set_status(f"loading… {len(self.thread):,} posts so far")
            self._load_rest(self._more_posts)

    def on_thread_view_post_highlighted(self, event: ThreadView.PostHighlighted) -> None:
        self.pane.show(event.index)

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
        self.tree.rows_changed()
        self.query_one(ThreadHeader).set_status(f"loading… {len(self.thread):,} posts so far")

    def _loading_done(self) -> None:
        self.loading = False
        self.query_one(ThreadHeader).set_status("")
        self.pane.refresh_post()

    def _loading_failed(self, error: InputError) -> None:
        self.loading = False
        self.query_one(ThreadHeader).set_status("incomplete")
        self.notify(
            f"{error.describe()}; showing the {len(self.thread):,} posts before it",
            title="Stopped loading",
            severity="error",
            timeout=15,
            markup=False,
        )
