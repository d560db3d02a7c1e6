"""The statistics screen (``s``): the thread's size, its busiest posts and authors, and when it was written.

The numbers come from :func:`tuireader.statistics.thread_statistics`; this screen only
draws them, every name and title from the file as plain text (never markup).
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.console import RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import DataTable, Sparkline, Static

from tuireader.model import Post, Thread
from tuireader.statistics import TIME_BINS, ThreadStatistics, Timeline
from tuireader.widgets.decor import deleted_label, first_words, short_id
from tuireader.widgets.palette import Palette, PlainPalette

HINT = " enter goes to the highlighted post · d to the deepest · esc closes "
MAX_NAME_CELLS = 24
"""Author names longer than this are cut (with …) in the table and the bar chart."""
MAX_TITLE_CELLS = 40
_EIGHTHS = " ▏▎▍▌▋▊▉"
"""Partial blocks for the end of a bar, in eighths of a cell."""
_BOLD = Style(bold=True)
_DIM = Style(dim=True)


def _cut(text: str, cells: int) -> Text:
    line = Text(text, no_wrap=True, overflow="ellipsis")
    line.truncate(cells, overflow="ellipsis")
    return line


def _name(post: Post) -> str:
    return deleted_label(post) if post.deleted else post.author or "(no name)"


def _plural(count: int, word: str, words: str = "") -> str:
    return f"{count:,} {word if count == 1 else words or word + 's'}"


class AuthorBars(Widget):
    """A horizontal bar chart of posts per author, the bars in the theme's accent colour."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"author-bars--bar", "author-bars--count"}
    DEFAULT_CSS = """
    AuthorBars {
        & > .author-bars--bar { color: $accent; }
        & > .author-bars--count { color: $text-muted; }
    }
    """

    def __init__(self, counts: tuple[tuple[str, int], ...], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.counts = counts
        self.styles.height = max(len(counts), 1)

    def render(self) -> RenderableType:
        counts = self.counts
        if not counts:
            return Text("No post has an author's name.", style=_DIM)
        names = min(max(cell_len(name) for name, _ in counts), MAX_NAME_CELLS)
        numbers = max(len(f"{count:,}") for _, count in counts)
        room = max(self.size.width - names - numbers - 2, 1)
        most = counts[0][1]
        bar_style = self.get_component_rich_style("author-bars--bar")
        count_style = self.get_component_rich_style("author-bars--count")
        chart = Text(no_wrap=True, overflow="crop")
        for row, (name, count) in enumerate(counts):
            if row:
                chart.append("\n")
            label = _cut(name, names)
            label.pad_right(names - label.cell_len)
            chart.append_text(label)
            eighths = max(round(count * room * 8 / most), 1)
            bar = "█" * (eighths // 8) + _EIGHTHS[eighths % 8].strip()
            chart.append(" " + bar, style=bar_style)
            chart.append(" " * (room - len(bar) + 1) + f"{count:,}".rjust(numbers), style=count_style)
        return chart


class StatisticsScreen(ModalScreen[int | None]):
    """Numbers about the thread over the reader; dismissed with a post's index to go there, or None."""

    DEFAULT_CSS = f"""
    StatisticsScreen {{
        align: center middle;
        & > VerticalScroll {{
            width: 92;
            max-width: 95%;
            height: 90%;
            border: round $primary;
            background: $surface;
            padding: 0 1;
        }}
        & .statistics-heading {{ color: $accent; text-style: bold; margin-top: 1; }}
        & #statistics-replied {{ max-height: 8; }}
        & .statistics-note {{ color: $text-muted; }}
        & Sparkline {{ width: {TIME_BINS}; height: 2; }}
        & Sparkline > .sparkline--max-color {{ color: $accent; }}
        & Sparkline > .sparkline--min-color {{ color: $accent 30%; }}
    }}
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,s,q", "close", "Close", tooltip="Close the statistics screen", id="close_statistics"),
        Binding(
            "enter",
            "jump",
            "Go to post",
            priority=True,
            tooltip="Go to the highlighted most-replied post",
            id="statistics_jump",
        ),
        Binding("d", "deepest", "Deepest", tooltip="Go to the deepest post of the thread", id="statistics_deepest"),
    ]

    def __init__(
        self, thread: Thread, statistics: ThreadStatistics, *, palette: Palette | None = None, loading: bool = False
    ) -> None:
        super().__init__()
        self.thread = thread
        self.statistics = statistics
        self.palette: Palette = palette or PlainPalette()
        self.still_loading = loading  # not ``loading``: Textual's own covers a widget with an indicator

    def compose(self) -> ComposeResult:
        stats = self.statistics
        with VerticalScroll() as frame:
            frame.border_title = "Thread statistics"
            frame.border_subtitle = HINT
            yield Static(self._summary(), id="statistics-summary", markup=False)
            yield Static("Most replied", classes="statistics-heading", markup=False)
            if stats.most_replied:
                yield self._replied_table()
            else:
                yield Static("No post has replies.", classes="statistics-note", markup=False)
            yield Static("Top authors by posts", classes="statistics-heading", markup=False)
            yield AuthorBars(stats.top_authors, id="statistics-authors")
            yield Static("Posts over time", classes="statistics-heading", markup=False)
            if stats.timeline is None:
                yield Static("No post in this file has a time that can be read.", classes="statistics-note")
            else:
                yield Sparkline(stats.timeline.counts, id="statistics-timeline")
                yield Static(self._time_span(stats.timeline), classes="statistics-note", markup=False)

    def _summary(self) -> Table:
        stats = self.statistics
        table = Table(box=None, show_header=False, expand=False, padding=(0, 2, 0, 0))
        table.add_column(style=_BOLD, no_wrap=True)
        table.add_column()
        posts = _plural(stats.posts, "post")
        if self.still_loading:
            posts += " so far (still loading)"
        replies = stats.posts - stats.top_level
        table.add_row("Posts", Text(f"{posts}: {stats.top_level:,} top-level, {_plural(replies, 'reply', 'replies')}"))
        authors = _plural(stats.authors, "author")
        if stats.nameless:
            authors += f", and {_plural(stats.nameless, 'post')} without a name"
        table.add_row("Authors", Text(authors))
        table.add_row("Deepest branch", self._deepest())
        return table

    def _deepest(self) -> Text:
        stats, deepest = self.statistics, self.statistics.deepest
        if deepest is None:
            return Text("no posts", style=_DIM)
        if stats.depth <= 1:
            return Text("every post is top-level: no replies", style=_DIM)
        post = self.thread.posts[deepest]
        text = Text(f"{stats.depth:,} posts deep, down to ")
        text.append(_name(post), style=self.palette.rich_style("author"))
        text.append(f" (#{short_id(post.id)}, {deepest + 1:,} of {stats.posts:,})")
        text.append("  d goes there", style=_DIM)
        return text

    def _replied_table(self) -> DataTable[Text]:
        table: DataTable[Text] = DataTable(id="statistics-replied", cursor_type="row", zebra_stripes=True)
        table.add_columns("Replies", "In all", "Author", "Post")
        author_style = self.palette.rich_style("author")
        for replied in self.statistics.most_replied:
            post = self.thread.posts[replied.index]
            about = post.title or first_words(self.thread.text_of(replied.index))
            author = _cut(_name(post), MAX_NAME_CELLS)
            author.stylize(author_style)
            table.add_row(
                Text(f"{replied.replies:>7,}"),  # right-aligned under the headings
                Text(f"{replied.below:>6,}"),
                author,
                _cut(about, MAX_TITLE_CELLS),
                key=str(replied.index),
            )
        return table

    @staticmethod
    def _time_span(timeline: Timeline) -> Text:
        """The first and last time under the sparkline, to the minute when the thread spans under two days."""
        shape = "%Y-%m-%d %H:%M" if (timeline.end - timeline.start).days < 2 else "%Y-%m-%d"
        start, end = timeline.start.strftime(shape), timeline.end.strftime(shape)
        line = Text(start + " " * max(TIME_BINS - len(start) - len(end), 1) + end)
        line.append(f"   UTC, {_plural(timeline.timed, 'post')} with a time", style=_DIM)
        return line

    def on_mount(self) -> None:
        for table in self.query(DataTable):
            table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """A click on a row goes there, as Enter does."""
        event.stop()
        self._go(event.row_key.value)

    def action_jump(self) -> None:
        tables = self.query(DataTable)
        if not tables:
            self.notify("No post has replies", timeout=1.5)
            return
        table = tables.first()
        if table.row_count:
            self._go(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _go(self, key: str | None) -> None:
        if key is not None:
            self.dismiss(int(key))

    def action_deepest(self) -> None:
        if self.statistics.deepest is not None:
            self.dismiss(self.statistics.deepest)

    def action_close(self) -> None:
        self.dismiss(None)
