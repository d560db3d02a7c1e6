"""config.toml's [keys]: two actions on one key is an error naming both, and the command palette can move."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_cli, thread_from_outline
from test_cli import assert_one_error_line

from tuireader.app import ReaderApp
from tuireader.config import load_config
from tuireader.errors import InputError
from tuireader.keys import action_ids, action_places, help_rows


def config_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def keymap_of(path: Path) -> dict[str, str]:
    return load_config(path, action_ids(), action_places()).keymap


@pytest.mark.parametrize(
    ("text", "line", "fragments"),
    [
        ('[keys]\nnext = "k"\n', 2, ("next: 'k'", "previous", "Previous post in reading order")),
        ('[keys]\nquit = "j"\n', 2, ("quit: 'j'", "next")),  # the tree's keys and the app's share one screen
        ('[keys]\n\nhelp = "?"\nabout = "question_mark"\n', 4, ("about: 'question_mark'", "help")),
        ('[keys]\nnext = ["x", "ctrl+p"]\n', 2, ("next: 'ctrl+p'", "command_palette")),
        ('[keys]\ncommand_palette = "f"\n', 2, ("command_palette: 'f'", "filter")),
        ('[keys]\ncommand_palette = "ctrl+t"\n', 2, ("picker_mode",)),  # the palette opens over every screen
    ],
)
def test_two_actions_on_one_key_name_the_line_the_key_and_both(
    tmp_path: Path, text: str, line: int, fragments: tuple[str, ...]
) -> None:
    path = config_file(tmp_path, text)
    with pytest.raises(InputError) as caught:
        keymap_of(path)
    assert (caught.value.path, caught.value.line) == (str(path), line)
    for fragment in fragments:
        assert fragment in caught.value.message


def test_a_clash_stops_the_reader_with_one_line(tmp_path: Path) -> None:
    path = config_file(tmp_path, '[keys]\nnext = "k"\n')
    assert_one_error_line(run_cli("--config", str(path)), f"{path}:2:", "'k'", "next", "previous")


def test_rebinding_the_other_action_too_is_no_clash(tmp_path: Path) -> None:
    path = config_file(tmp_path, '[keys]\nnext = "k"\nprevious = ["up", "K"]\nprevious_sibling = "ctrl+k"\n')
    assert keymap_of(path) == {"next": "k", "previous": "up,K", "previous_sibling": "ctrl+k"}


def test_the_same_key_in_different_places_is_fine(tmp_path: Path) -> None:
    # q closes help and quits the reader: help is a screen of its own, over the reader.
    assert keymap_of(config_file(tmp_path, '[keys]\nhelp_down = "n"\nclose_about = "q"\n'))


def test_the_defaults_have_no_clash(tmp_path: Path) -> None:
    keymap = {action: binding.key for action, binding in action_ids().items()}
    body = "".join(f"{action} = {keys.split(',')!r}\n".replace("'", '"') for action, keys in keymap.items())
    assert keymap_of(config_file(tmp_path, "[keys]\n" + body)) == keymap


async def test_ctrl_p_goes_to_an_action_once_the_palette_moves(tmp_path: Path) -> None:
    keymap = keymap_of(config_file(tmp_path, '[keys]\ncommand_palette = "ctrl+k"\nnext = ["j", "ctrl+p"]\n'))
    app = ReaderApp(thread_from_outline("1 a\n2 b\n3 c"), keymap=keymap)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.thread_view.cursor_index == 1
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert type(app.screen).__name__ == "CommandPalette"
    assert ("ctrl+k", "Open the command palette (themes and commands)") in help_rows(keymap)
    assert app.COMMAND_PALETTE_BINDING == "ctrl+k"  # the footer's palette hint follows


async def test_h_does_what_left_does() -> None:
    app = ReaderApp(thread_from_outline("1 a\n1.1 b\n1.1.1 c"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("G", "h")
        await pilot.pause()
        assert app.thread_view.cursor_index == 1  # no replies to fold: up to the parent
        await pilot.press("h")
        await pilot.pause()
        assert app.outline.is_collapsed(1)  # replies: fold them
