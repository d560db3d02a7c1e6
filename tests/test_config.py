"""config.toml: remapped keys reach the app; every mistake names the file and line and stops the start."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import run_cli, thread_from_outline
from test_cli import assert_one_error_line

from tuireader.app import ReaderApp
from tuireader.config import default_config_path, key_problem, load_config
from tuireader.errors import InputError
from tuireader.keys import action_ids, action_places
from tuireader.screens.help import HelpScreen


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


async def test_remapped_key_from_config_file(tmp_path: Path) -> None:
    path = write(tmp_path, '# my keys\n[keys]\nnext = ["x", "down"]\nparent = "ctrl+g"\n')
    config = load_config(path, action_ids(), action_places())
    assert config.keymap == {"next": "x,down", "parent": "ctrl+g"}
    app = ReaderApp(thread_from_outline("1 a\n1.1 b\n1.2 c"), keymap=config.keymap)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("x")
        await pilot.pause()
        assert app.thread_view.cursor_index == 1
        await pilot.press("j")  # no longer bound
        await pilot.pause()
        assert app.thread_view.cursor_index == 1
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert app.thread_view.cursor_index == 0
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = dict((desc, keys) for keys, desc in app.screen.rows)
        assert rows["Next post in reading order"] == "x, ↓"


def test_display_and_theme_settings(tmp_path: Path) -> None:
    path = write(tmp_path, 'theme = "light"\n[display]\nbadges = false\nvotes = true\n')
    config = load_config(path, action_ids(), action_places())
    assert config.display == {"badges": False, "votes": True} and config.theme == "light"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ('[keys]\nnext = "j"\nfly = "x"\n', 3, "unknown action 'fly'"),
        ('[keys]\nnxet = "j"\n', 2, "did you mean 'next'"),
        ('[keys]\n\nnext = "ctrl+i"\n', 3, "tab"),
        ('[keys]\nnext = ["j", "hyperx+q"]\n', 2, "unknown modifier"),
        ('[keys]\nnext = "notakey"\n', 2, "not a key name"),
        ("[keys]\nnext = 3\n", 2, "a key or a list of keys"),
        ('[keys]\nnext = "shift+j"\n', 2, "bind 'J'"),
        ("[display]\nbadges = 1\n", 2, "true or false"),
        ("[display]\nbadge = true\n", 2, "did you mean 'badges'"),
        ("colour = 1\n", 1, "unknown setting 'colour'"),
        ("[keys\nnext = 'j'\n", 1, "TOML syntax error"),
        ('\n\n[keys]\nnext = "j\n', 4, "TOML syntax error"),
    ],
)
def test_config_errors_name_file_and_line(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_config(path, action_ids(), action_places())
    assert caught.value.path == str(path) and caught.value.line == line
    assert fragment in caught.value.message


def test_bad_config_stops_the_cli_with_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[keys]\nnext = "j"\nfly = "x"\n')
    assert_one_error_line(run_cli("--config", str(path)), f"{path}:3:", "unknown action 'fly'")
    assert_one_error_line(run_cli("--config", str(tmp_path / "nope.toml")), "nope.toml: no such file")


def test_default_config_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert default_config_path() == tmp_path / "tuireader" / "config.toml"
    assert load_config(None, action_ids(), action_places()).keymap == {}  # no file: defaults
    (tmp_path / "tuireader").mkdir()
    (tmp_path / "tuireader" / "config.toml").write_text('[keys]\nquit = "ctrl+x"\n')
    assert load_config(None, action_ids(), action_places()).keymap == {"quit": "ctrl+x"}
    env_result = run_cli("--config", str(tmp_path / "tuireader" / "config.toml"), "--version")
    assert env_result.returncode == 0 and os.environ.get("XDG_CONFIG_HOME") == str(tmp_path)


def test_key_problem_accepts_what_terminals_send() -> None:
    for key in ("j", "J", "?", "ctrl+o", "pagedown", "f5", "question_mark", "ctrl+shift+left", "space"):
        assert key_problem(key) is None, key
    for key in ("ctrl+i", "ctrl+m", "shift+backspace", "", "a,b", "ctrl+J", "ctrl+q"):
        assert key_problem(key) is not None, key
