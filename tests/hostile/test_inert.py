"""Inert text: markup shows as typed and no control character survives, on screen, in exports and in errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import hostile_payloads as hp
import pytest
from helpers import run_cli, screen_segments, screen_text
from rich.segment import Segment
from textual.pilot import Pilot

from tuireader.app import ReaderApp
from tuireader.cli import main
from tuireader.errors import InputError
from tuireader.formats import load

FORMATS = ("json", "text")


async def settled_screen(app: ReaderApp, pilot: Pilot[None], expected: str) -> str:
    """The screen once ``expected`` shows (notifications arrive a few frames after the rest)."""
    text = screen_text(app)
    for _ in range(40):
        if expected in text:
            break
        await pilot.pause(0.05)
        text = screen_text(app)
    return text


def segments(app: ReaderApp) -> list[Segment]:
    return screen_segments(app)


def assert_no_live_markup(app: ReaderApp) -> None:
    """No cell on screen carries a link or a click action: markup in the file became neither."""
    for segment in segments(app):
        style = segment.style
        if style is None:
            continue
        assert not style.link, (segment.text, style.link)
        click = str(style.meta.get("@click", ""))
        assert "quit" not in click and hp.EVIL_HOST not in click, (segment.text, click)


@pytest.mark.parametrize("fmt", FORMATS)
async def test_markup_and_escapes_show_literally_and_clicks_do_nothing(tmp_path: Path, fmt: str) -> None:
    thread = load(hp.write(tmp_path, fmt))
    app = ReaderApp(thread)
    async with app.run_test(size=(200, 50), notifications=True) as pilot:
        text = await settled_screen(app, pilot, "While loading")
        assert not hp.unsafe_chars(text), hp.unsafe_chars(text)
        lines = text.splitlines()
        # The header, the tree line and the pane all show the markup as typed.
        assert "[bold]Hostile[/bold] thread" in lines[0] and "␛]0;PWNTITLE␇" in lines[0]
        tree_line = next(line for line in lines if line[2:].startswith("▾ "))  # after the unread mark
        assert "[bold]x[/bold] [@click=app.quit] ␛[31mREDALERT" in tree_line
        for shown in (
            "[$accent]ACCENT[/]",
            "[link=https://evil.example]LINK[/link]",
            "␛[2JWIPEOUT",
            "␛[?1049lALTSCREEN",
        ):
            assert shown in text, shown
        badge = "[$accent]Gold[/]␛[2J" if fmt == "json" else "Gold"  # forum text's badges are single words
        assert f"◆ {badge} badge" in text
        assert "[␛]52;c;UFdORUQ=␇CLIPPED]" in text  # an icon, in brackets, in the pane
        # A CR inside a JSON string is dropped; in a text file it ends the line, as every line end does.
        assert "SAFECARRIAGE" in text if fmt == "json" else re.search(r"carriage return: SAFE *\n", text)
        assert "ZEROWIDTH" in text and "�REVERSED" in text and "��TAGGED" in text
        # The loading warning names the hostile file inertly, in a notification.
        assert "While loading" in text and "not valid" in text
        assert_no_live_markup(app)
        assert app.title == thread.title and "\x1b" not in app.title

        # Clicking right on the "[@click=app.quit]" text selects the post and nothing else.
        column = tree_line.index("[@click")
        await pilot.click("#tree", offset=(column + 2, 0))
        await pilot.pause()
        assert app.is_running and app.return_code is None

        await pilot.press("j", "enter", "G")
        await pilot.pause()
        text = screen_text(app)
        assert not hp.unsafe_chars(text)
        assert "Orphan" in text

        # The author picker lists the names as typed too.
        await pilot.press("f")
        await pilot.pause()
        text = screen_text(app)
        assert "[bold]x[/bold] [@click=app.quit] ␛[31mREDALERT" in text
        assert not hp.unsafe_chars(text)
        assert_no_live_markup(app)
        await pilot.press("escape", "q")
    assert app.return_code == 0


async def test_missing_parent_note_and_warning_are_shown_inertly(tmp_path: Path) -> None:
    thread = load(hp.write(tmp_path, "json"))
    app = ReaderApp(thread)
    async with app.run_test(size=(200, 50), notifications=True) as pilot:
        app.thread_view.select_index(thread.index_of["3"])
        text = await settled_screen(app, pilot, "While loading")
        assert "note: replies to missing post '␛]0;PWNTITLE␇[bold]nope[/bold]'" in text
        assert "replies to missing post" in text.split("note:", 1)[1]  # the warning toast says it too
        assert "␀NULBYTE" in text and not hp.unsafe_chars(text)
        assert_no_live_markup(app)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("to", ["json", "text", "markdown"])
def test_exports_carry_no_control_characters(tmp_path: Path, fmt: str, to: str) -> None:
    result = run_cli("export", str(hp.write(tmp_path, fmt)), "--to", to, raw=True)
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode("utf-8")  # strict: no stray bytes either
    assert not hp.unsafe_chars(out), hp.unsafe_chars(out)
    for sequence in hp.forbidden_sequences():
        assert sequence not in out
    word = "REDALERT"
    assert word in out  # the text is kept, only its controls are made visible
    if to == "json":
        document = json.loads(out)
        # The JSON escapes nothing away: the placeholders are there as characters.
        assert document["title"].startswith("␛]0;PWNTITLE␇[bold]Hostile[/bold]")
        # Reloading the export gives the same posts (exports are fixed points).
        again = tmp_path / "again.json"
        again.write_bytes(result.stdout)
        assert load(again).posts == load(hp.write(tmp_path, fmt)).posts
    elif to == "markdown":
        assert "\\[bold\\]x\\[/bold\\]" in out


HOSTILE_FILE = hp.HOSTILE_NAME + "\u202e\u200b[bold]x[@click=app.quit]"
SHOWN_FILE = "evil␛]0;PWNTITLE␇␛[31mNAME�[bold]x[@click=app.quit]"
"""How the name above appears in an error: visible placeholders, the zero-width space gone."""


def assert_inert_error_line(status: int, out: str, err: str, fragment: str) -> None:
    assert status == 2, err
    assert err.count("\n") == 1 and err.startswith("tuireader: ") and "Traceback" not in err, err
    assert fragment in err and SHOWN_FILE in err, err
    assert not hp.unsafe_chars(err.rstrip("\n")), err
    assert out == ""


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda path: None, "no such file"),
        (lambda path: path.mkdir(), "is a directory"),
        (lambda path: path.write_bytes(b"\x00\x01binary"), "binary file"),
        (lambda path: path.write_text("just some words\n"), "no forum posts found"),
        (lambda path: path.write_text('{"format": "tuireader-thread", "posts": [{"id": 1}]}'), 'missing "author"'),
    ],
    ids=["missing", "directory", "binary", "not a thread", "bad json"],
)
def test_hostile_file_names_are_inert_in_error_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object, fragment: str
) -> None:
    path = tmp_path / HOSTILE_FILE
    make(path)  # type: ignore[operator]
    for args in (["export", str(path)], [str(path)]):
        status = main(args)
        out, err = capsys.readouterr()
        assert_inert_error_line(status, out, err, fragment)


def test_hostile_file_name_through_the_real_command(tmp_path: Path) -> None:
    result = run_cli("export", str(tmp_path / HOSTILE_FILE), raw=True)
    assert_inert_error_line(result.returncode, result.stdout.decode(), result.stderr.decode("utf-8"), "no such file")


def test_error_messages_are_cleaned_whatever_they_hold() -> None:
    error = InputError("a\x1b]52;c;eA==\x07\nb", "bad \x9b31m value\r\n[bold]", line=3)
    line = error.describe()
    assert line == "a␛]52;c;eA==␇ b:3: bad �31m value [bold]"
    assert str(error) == line
