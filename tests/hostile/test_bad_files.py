"""Bad files: each one loads with a visible warning or stops with one ``tuireader: FILE[:LINE]: what`` line.

Never a traceback, never a hang: every CLI run here has a timeout well below the
test's patience, and a FIFO is refused without being opened.
"""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import hostile_payloads as hp
import pytest
from helpers import run_cli

from tuireader import formats
from tuireader.cli import main
from tuireader.errors import InputError, ParseError
from tuireader.formats import decode, load, open_source, read_text, textfile
from tuireader.formats.base import ParsedSource
from tuireader.model import Post

FORUM_TEXT = """\
back to article Café crème for everyone

A summary of the article, with an accent: déjà vu.

  1. Zoë Gold badge
    Thumb Up

    Première

    Body with ü and ß.

    1. Bob

      Re: Première

      A reply.

  2. Ann

    Second

    Text.
"""

NATIVE = json.dumps(
    {
        "title": "Café",
        "posts": [
            {"id": "1", "author": "Zoë", "title": "Première", "body": "ü and ß"},
            {"id": "2", "parent": "1", "author": "Bob", "body": "reply"},
        ],
    },
    ensure_ascii=False,
)


def assert_one_line(result: subprocess.CompletedProcess[bytes], *fragments: str) -> str:
    """The CLI stopped with status 2 and one inert ``tuireader:`` line naming what is wrong."""
    assert result.returncode == 2, result.stderr
    err = result.stderr.decode("utf-8")
    assert err.startswith("tuireader: ") and err.count("\n") == 1 and "Traceback" not in err, err
    assert not hp.unsafe_chars(err.rstrip("\n"))
    for fragment in fragments:
        assert fragment in err, err
    return err


def main_in_process(capsys: pytest.CaptureFixture[str], *args: str) -> subprocess.CompletedProcess[bytes]:
    """The CLI's ``main`` run here (much quicker than a new interpreter), its result shaped like a subprocess's."""
    status = main(list(args))
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(list(args), status, out.encode(), err.encode())


# Paths that are not thread files ---------------------------------------------------


def _fifo(path: Path) -> None:
    os.mkfifo(path)


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda path: None, "no such file"),
        (lambda path: path.mkdir(), "is a directory"),
        (lambda path: path.write_bytes(b""), "empty file"),
        (lambda path: path.write_bytes(b" \n\t\r\n  \n"), "empty file"),
        (lambda path: path.write_bytes(bytes(range(256)) * 40), "binary file"),
        (lambda path: path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(500)), "binary file"),
    ],
    ids=["missing", "directory", "empty", "blank", "binary", "png"],
)
def test_unusable_paths_stop_with_one_line_for_export_and_the_reader(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object, fragment: str
) -> None:
    path = tmp_path / "thread.txt"
    make(path)  # type: ignore[operator]
    for args in (("export", str(path)), (str(path),)):
        assert_one_line(main_in_process(capsys, *args), f"{path}: ", fragment)


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for args in (("export", str(fifo)), (str(fifo),)):
        assert_one_line(run_cli(*args, timeout=20, raw=True), f"{fifo}: ", "not a regular file")


def test_a_file_swapped_for_a_fifo_after_it_was_checked_is_still_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is checked once open: a path that names a FIFO by the time it is opened never blocks the reader."""
    path = tmp_path / "thread.txt"
    path.write_text(FORUM_TEXT, encoding="utf-8")
    real_open = os.open

    def swapping_open(name: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(name) == path and path.is_file():  # the attacker's moment: just before the open
            path.unlink()
            os.mkfifo(path)
        return real_open(name, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", swapping_open)
    outcome: list[BaseException] = []
    worker = threading.Thread(target=lambda: _capture(outcome, lambda: textfile.TextFile(path)), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "opening the FIFO blocked"
    assert len(outcome) == 1 and isinstance(outcome[0], InputError)
    assert "not a regular file" in str(outcome[0])


def _capture(outcome: list[BaseException], action: Callable[[], object]) -> None:
    try:
        action()
    except BaseException as error:  # the test inspects whatever was raised
        outcome.append(error)


def test_missing_parent_directory_and_path_through_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "plain").write_text("x")
    assert_one_line(main_in_process(capsys, "export", str(tmp_path / "nowhere" / "t.txt")), "no such file")
    assert_one_line(main_in_process(capsys, "export", str(tmp_path / "plain" / "t.txt")), "Not a directory")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_as_a_user(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(FORUM_TEXT)
    path.chmod(0)
    assert_one_line(run_cli("export", str(path), raw=True), "permission denied")


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (PermissionError(13, "Permission denied"), "permission denied"),
        (IsADirectoryError(21, "Is a directory"), "is a directory, not a thread file"),
        (OSError(5, "Input/output error"), "Input/output error"),
    ],
)
def test_an_error_opening_the_file_becomes_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, said: str
) -> None:
    """Whatever refuses the open (a folder on the way, the file's mode, the disk) is named, with the path."""
    path = tmp_path / "secret.txt"
    path.write_text(FORUM_TEXT)

    def refuse(*args: object, **kwargs: object) -> object:
        raise error

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(InputError) as caught:
        read_text(path)
    assert caught.value.describe() == f"{path}: {said}"


# Encodings -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [FORUM_TEXT, NATIVE], ids=["forum-text", "json"])
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_byte_order_marks_load_like_plain_utf8(tmp_path: Path, text: str, encoding: str) -> None:
    plain = tmp_path / "plain"
    plain.write_bytes(text.encode("utf-8"))
    marked = tmp_path / "marked"
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(encoding, b"")
    marked.write_bytes(bom + text.encode(encoding))
    expected = load(plain)
    thread = load(marked)
    assert thread.posts == expected.posts and thread.title == expected.title
    assert thread.warnings == []
    assert "Zoë" in {post.author for post in thread.posts}


def test_broken_utf16_is_one_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "  1. a\n".encode("utf-16-le") + b"\x00\xd8")  # a lone high surrogate
    assert_one_line(main_in_process(capsys, "export", str(path)), "not valid UTF-16")


def test_invalid_utf8_loads_with_replacement_and_a_warning_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(FORUM_TEXT.replace("Body with", "Body \udcff with").encode("utf-8", "surrogateescape"))
    thread = load(path)
    body = thread.posts[0].body
    assert body.startswith("Body \ufffd with")
    line = FORUM_TEXT.split("\n").index("    Body with ü and ß.") + 1
    assert thread.warnings == [f"{path}:{line}: not valid UTF-8; bad bytes are shown as \ufffd"]
    result = run_cli("export", str(path), "--to", "text", raw=True)
    assert result.returncode == 0 and "Body \ufffd with".encode() in result.stdout


def test_export_mentions_load_warnings_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The reader shows warnings as notifications; export should print them too (suggested:
    ``tuireader: warning: FILE:LINE: ...`` on stderr, exit status still 0, the export itself unchanged)."""
    path = tmp_path / "t.txt"
    path.write_bytes(FORUM_TEXT.encode("latin-1"))
    result = main_in_process(capsys, "export", str(path), "--to", "text")
    assert result.returncode == 0 and b"Zo\xef\xbf\xbd" in result.stdout
    assert b"not valid UTF-8" in result.stderr


def test_export_warnings_from_the_model_name_the_file_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "orphans.json"
    posts = [{"id": "1", "author": "Ann", "body": "hello"}, {"id": "2", "parent": "9", "author": "Bob", "body": "hi"}]
    path.write_text(json.dumps({"title": "t", "posts": posts}), encoding="utf-8")
    result = main_in_process(capsys, "export", str(path), "--to", "text")
    assert result.returncode == 0
    assert result.stderr.decode().splitlines() == [
        f"tuireader: warning: {path}: post '2' replies to missing post '9'; shown as a top-level post"
    ]


def test_latin1_text_loads_with_replacement_and_a_warning(tmp_path: Path) -> None:
    """Latin-1 is not guessed (there is no mail format yet, where a charset header would say so)."""
    path = tmp_path / "t.txt"
    path.write_bytes(FORUM_TEXT.encode("latin-1"))
    thread = load(path)
    assert thread.title == "Caf\ufffd cr\ufffdme for everyone"
    assert [post.author for post in thread.posts] == ["Zo\ufffd", "Bob", "Ann"]
    assert len(thread.warnings) == 1 and "not valid UTF-8" in thread.warnings[0] and ":1:" in thread.warnings[0]


def test_decode_refuses_nul_only_near_the_start() -> None:
    with pytest.raises(InputError, match="binary"):
        decode(b"  1. a\n\x00", "f")
    text, warnings = decode(b"x" * 9000 + b"\x00", "f")  # beyond the probe: kept, and cleaned later
    assert text.endswith("\x00") and warnings == []


# Native JSON: shapes, types, links ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment", "line"),
    [
        ('{"format": "tuireader-thread", "posts": [\n{"id": "1", "author": "a"},\n{"id": "2", "aut', "invalid JSON", 3),
        ('{"format": "tuireader-thread", "posts": "none"}', 'posts: expected a list of posts, got "none"', 1),
        (
            '{"format": "tuireader-thread", "posts": [\n[1, 2]\n]}',
            "posts[0]: expected an object (a post), got a list",
            2,
        ),
        (
            '{"format": "tuireader-thread", "posts": [\n{"id": 1.5, "author": "a"}]}',
            "posts[0].id: expected a string",
            2,
        ),
        ('{"format": "tuireader-thread", "posts": [{"id": "1",\n "author": null}]}', "posts[0].author", 2),
        ('{"format": "tuireader-thread", "posts": [{"id": "1", "author": "a",\n"icons": ["ok", 3]}]}', "icons[1]", 2),
        ('{"format": "tuireader-thread", "posts": [{"id": "1", "author": "a", "up": true}]}', "posts[0].up", 1),
        ('{"format": "tuireader-thread", "title": ["x"], "posts": []}', "title: expected a string", 1),
        (
            '{"format": "tuireader-thread", "posts": [{"id": "1", "author": "a", "up": 1' + "0" * 5000 + "}]}",
            "number",
            None,
        ),
        ('{"format": "tuireader-thread"}', 'missing "posts"', 1),
        ('{"format": "tuireader-thread", "posts": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply", None),
    ],
    ids=[
        "truncated",
        "posts-string",
        "post-list",
        "float-id",
        "null-author",
        "icon-int",
        "bool-votes",
        "title-list",
        "huge-number",
        "no-posts",
        "deep-nesting",
    ],
)
def test_bad_native_json_names_file_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, fragment: str, line: int | None
) -> None:
    path = tmp_path / "t.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParseError) as caught:
        load(path)
    assert caught.value.line == line
    assert fragment in caught.value.message
    where = f"{path}:{line}: " if line else f"{path}: "
    assert_one_line(main_in_process(capsys, "export", str(path)), where, fragment)


def test_truncated_json_through_the_real_command(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('{"format": "tuireader-thread", "posts": [\n{"id": "1", "author": "a"},\n{"id"', encoding="utf-8")
    for args in (("export", str(path)), (str(path),)):
        assert_one_line(run_cli(*args, timeout=20, raw=True), f"{path}:3: invalid JSON")


@pytest.mark.parametrize("text", ["[1, 2, 3]", '{"items": [{"id": 1}]}', '"just a string"', "{}", "null"])
def test_other_json_shapes_are_not_mistaken_for_threads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    path = tmp_path / "t.json"
    path.write_text(text)
    assert_one_line(main_in_process(capsys, "export", str(path)), f"{path}:1: ")


def _posts(*posts: dict[str, object]) -> str:
    return json.dumps({"format": "tuireader-thread", "posts": list(posts)})


def test_unknown_parent_becomes_a_top_level_post_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(_posts({"id": "1", "author": "a"}, {"id": "2", "parent": "404", "author": "b"}))
    thread = load(path)
    assert thread.parent_index == [-1, -1]
    assert thread.posts[1].note == "replies to missing post '404'"
    assert thread.warnings == ["post '2' replies to missing post '404'; shown as a top-level post"]


def test_parent_cycles_are_cut_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(
        _posts(
            {"id": "root", "author": "r"},
            {"id": "a", "parent": "c", "author": "a"},
            {"id": "b", "parent": "a", "author": "b"},
            {"id": "c", "parent": "b", "author": "c"},
            {"id": "self", "parent": "self", "author": "s"},
        )
    )
    thread = load(path)
    assert len(thread) == 5 and set(thread.index_of) == {"root", "a", "b", "c", "self"}
    assert sum(depth == 0 for depth in thread.depth) == 3  # root, the cut cycle, the self-reply
    assert thread.posts[thread.index_of["a"]].note == "was part of a reply cycle"
    assert thread.posts[thread.index_of["self"]].note == "replied to itself"
    assert [thread.depth[thread.index_of[name]] for name in "abc"] == [0, 1, 2]
    assert len(thread.warnings) == 2


def test_duplicate_ids_are_renamed_and_both_kept(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(
        _posts({"id": "1", "author": "a"}, {"id": "1", "author": "b"}, {"id": 1, "parent": 1, "author": "c"})
    )
    thread = load(path)
    assert [post.id for post in thread.posts] == ["1", "1~2", "1~3"]
    assert any("appears twice" in warning for warning in thread.warnings)


def test_parse_errors_mid_stream_name_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A parser bug surfaces as a ParseError naming the file, not as a traceback."""

    def exploding() -> Iterator[Post]:
        yield from ()
        raise KeyError("\x1b]0;boom\x07")

    def parse_stream(chunks: object, path: str) -> ParsedSource:
        return ParsedSource(exploding(), "forum-text")

    monkeypatch.setattr(formats.forumtext, "parse_stream", parse_stream)
    path = tmp_path / "f.txt"
    path.write_text("  1. someone\n\n    hello\n", encoding="utf-8")
    source = open_source(path)
    with pytest.raises(ParseError) as caught:
        list(source.posts)
    assert caught.value.describe().startswith(f"{path}: cannot read this file (KeyError: ")
    assert "\x1b" not in caught.value.describe()


def test_open_source_is_lazy_but_checks_the_path_first(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        open_source(tmp_path / "none.txt")
