"""Choose authors to follow or hide: every author with a post count, narrowed as you type."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tuireader.filters import AuthorFilter, fuzzy_score


class _QueryInput(Input):
    """The search box; it leaves space to the picker, where it marks an author (names match without spaces)."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return key != "space" and super().check_consume_key(key, character)


class AuthorPicker(ModalScreen[AuthorFilter | None]):
    """A modal list of authors; Enter filters by the marked authors (or the highlighted one)."""

    DEFAULT_CSS = """
    AuthorPicker {
        align: center middle;
        & > Vertical {
            width: 70;
            max-width: 95%;
            height: 80%;
            border: round $primary;
            background: $surface;
            padding: 0 1;
        }
        & #picker-mode { height: 1; margin-bottom: 1; }
        & OptionList { height: 1fr; border: none; }
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
        self, counts: list[tuple[str, int]], *, hide: bool = False, marked: frozenset[str] = frozenset()
    ) -> None:
        super().__init__()
        self.counts = counts
        self.hide = hide
        self.marked: set[str] = set(marked)
        self.shown: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield _QueryInput(
                placeholder="Type to narrow · space marks · enter applies · ctrl+t only/hide", id="picker-query"
            )
            yield Static(id="picker-mode", markup=False)
            yield OptionList(id="picker-list")

    def on_mount(self) -> None:
        self._show_mode()
        self._refill("")
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._refill(event.value)

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -step
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def action_mark(self) -> None:
        author = self._highlighted()
        if author is None:
            return
        self.marked.symmetric_difference_update({author})
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        self._refill(self.query_one(Input).value)
        options.highlighted = highlighted

    def action_switch_mode(self) -> None:
        self.hide = not self.hide
        self._show_mode()

    def action_apply(self) -> None:
        chosen = set(self.marked)
        if not chosen:
            author = self._highlighted()
            if author is None:
                self.notify("No author matches", timeout=1.5)
                return
            chosen = {author}
        self.dismiss(AuthorFilter.of(chosen, hide=self.hide))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_apply()

    def _highlighted(self) -> str | None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not self.shown:
            return None
        return self.shown[options.highlighted]

    def _show_mode(self) -> None:
        text = Text("Mode: ", style=Style(dim=True))
        text.append("hide these authors" if self.hide else "only these authors", style=Style(bold=True))
        text.append(f"   ·   {len(self.marked)} marked", style=Style(dim=True))
        self.query_one("#picker-mode", Static).update(text)

    def _refill(self, query: str) -> None:
        scored = []
        for position, (author, count) in enumerate(self.counts):
            score = fuzzy_score(query, author)
            if score is not None:
                scored.append((score, position, author, count))
        scored.sort()
        self.shown = [author for _, _, author, _ in scored]
        options = []
        for _, _, author, count in scored:
            prompt = Text("[x] " if author in self.marked else "[ ] ", style=Style(bold=author in self.marked))
            prompt.append(author or "(no name)")
            prompt.append(f"  {count}", style=Style(dim=True))
            options.append(Option(prompt))
        option_list = self.query_one(OptionList)
        option_list.set_options(options)
        if options:
            option_list.highlighted = 0
        self._show_mode()
