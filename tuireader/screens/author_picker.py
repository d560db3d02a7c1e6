"""Choose authors to follow or hide: every author with a post count, narrowed as you type."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tuireader.author_search import AuthorIndex, Narrowing
from tuireader.filters import AuthorFilter
from tuireader.widgets.author_list import AuthorList
from tuireader.widgets.glyphs import UNICODE, Glyphs


def hint(separator: str) -> str:
    """The picker's keys, on a line of their own that wraps on a narrow screen."""
    return f" {separator} ".join(("space marks", "enter applies", "ctrl+t switches only/hide", "esc cancels"))


HINT = hint(UNICODE.separator)


class _QueryInput(Input):
    """The search box; it leaves space to the picker, where it marks an author (names match without spaces)."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return key != "space" and super().check_consume_key(key, character)


class AuthorPicker(ModalScreen[AuthorFilter | None]):
    """A modal list of authors; Enter filters by the marked authors (or the highlighted one)."""

    AUTO_FOCUS = "#picker-query"
    DEFAULT_CSS = """
    AuthorPicker {
        align: center middle;
        background: $background;  /* opaque: tinting the reader behind it costs 20 ms a frame at 100x30 */
        & > Vertical {
            width: 70;
            max-width: 95%;
            height: 80%;
            border: round $primary;
            background: $surface;
            padding: 0 1;
        }
        & #picker-mode { height: 1; }
        & #picker-hint { color: $text-muted; margin-bottom: 1; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape", "cancel", "Cancel", tooltip="Close the picker without changing the filter", id="picker_cancel"
        ),
        Binding(
            "enter",
            "apply",
            "Apply",
            priority=True,
            tooltip="Filter by the marked (or highlighted) authors",
            id="picker_apply",
        ),
        Binding(
            "space", "mark", "Mark", priority=True, tooltip="Mark or unmark the highlighted author", id="picker_mark"
        ),
        Binding(
            "ctrl+t",
            "switch_mode",
            "Only/Hide",
            priority=True,
            tooltip="Switch between showing only these authors and hiding them",
            id="picker_mode",
        ),
        Binding(
            "down", "move(1)", "Down", show=False, priority=True, tooltip="Highlight the next author", id="picker_down"
        ),
        Binding(
            "up", "move(-1)", "Up", show=False, priority=True, tooltip="Highlight the previous author", id="picker_up"
        ),
    ]

    def __init__(
        self,
        authors: AuthorIndex,
        *,
        hide: bool = False,
        marked: frozenset[str] = frozenset(),
        glyphs: Glyphs = UNICODE,
    ) -> None:
        super().__init__()
        self.authors = authors
        self.glyphs = glyphs
        self.narrowing = Narrowing(authors)
        self.hide = hide
        self.marked: set[str] = set(marked)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield _QueryInput(placeholder="Type to narrow the list", id="picker-query")
            yield Static(self._mode_text(), id="picker-mode", markup=False)
            yield Static(hint(self.glyphs.separator), id="picker-hint", markup=False)
            yield AuthorList(self.authors, self.marked, ellipsis=self.glyphs.ellipsis, id="picker-list")

    def reopen(self, authors: AuthorIndex, *, hide: bool, marked: frozenset[str]) -> None:
        """Start as a new picker would: nothing typed, every author (of a thread that may have grown
        since), the filter's marks and mode."""
        if authors is not self.authors:
            self.authors, self.narrowing = authors, Narrowing(authors)
        self.hide = hide
        self.marked.clear()  # in place: the list holds the same set
        self.marked.update(marked)
        if not self.query(_QueryInput):
            return  # never shown yet: it composes with these
        query = self.query_one(_QueryInput)
        with query.prevent(Input.Changed):
            query.value = ""
        self.author_list.show(self.narrowing.rows(""), authors)
        self._show_mode()

    @property
    def author_list(self) -> AuthorList:
        return self.query_one(AuthorList)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.author_list.show(self.narrowing.rows(event.value))

    def action_move(self, step: int) -> None:
        self.author_list.move(step)

    def action_mark(self) -> None:
        author = self.author_list.highlighted_author
        if author is None:
            return
        self.marked.symmetric_difference_update({author})
        self.author_list.redraw_highlighted()
        self._show_mode()

    def action_switch_mode(self) -> None:
        self.hide = not self.hide
        self._show_mode()

    def action_apply(self) -> None:
        chosen = set(self.marked)
        if not chosen:
            author = self.author_list.highlighted_author
            if author is None:
                self.notify("No author matches", timeout=1.5)
                return
            chosen = {author}
        self.dismiss(AuthorFilter.of(chosen, hide=self.hide))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_author_list_chosen(self, event: AuthorList.Chosen) -> None:
        event.stop()
        self.action_apply()

    def _mode_text(self) -> Text:
        text = Text("Mode: ", style=Style(dim=True))
        text.append("hide these authors" if self.hide else "only these authors", style=Style(bold=True))
        text.append(f"   {self.glyphs.separator}   {len(self.marked)} marked", style=Style(dim=True))
        return text

    def _show_mode(self) -> None:
        self.query_one("#picker-mode", Static).update(self._mode_text())
