"""Hostile mail: escape sequences in every header and transfer encoding, damaged archives, huge headers, cycles.

Every message here is built byte by byte, so nothing a mail library would tidy up
(raw ESC bytes, NULs, unterminated parts) is lost before the reader sees it.
"""

from __future__ import annotations

import base64
import time
from pathlib import Path

import hostile_payloads as hp
import pytest
from helpers import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from tuireader.body import ATTACHMENT
from tuireader.formats import load
from tuireader.model import Thread

ESCAPE_SUBJECT = b"=?utf-8?q?=1B]0;PWNTITLE=07?=AFTERTITLE"
ESCAPE_SENDER = b"=?utf-8?b?" + base64.b64encode(b"\x1b[31mREDALERT") + b"?= <evil@example.org>"
BODY = "Hello \x1b[2JWIPEOUT and \x1b]0;PWNTITLE\x07AFTERTITLE and \x9b2JCONEWIPE.\n"


def message(
    message_id: str,
    *,
    subject: bytes = b"Topic",
    sender: bytes = b"Alice <alice@example.org>",
    reply_to: str | None = None,
    headers: bytes = b"",
    body: bytes = b"Hello.\n",
) -> bytes:
    """One mbox message: its ``From `` line, header fields and body, as raw bytes."""
    head = [
        b"From alice@example.org Mon Mar  4 10:00:00 2019",
        b"From: " + sender,
        b"Subject: " + subject,
        b"Date: Mon, 04 Mar 2019 10:00:00 +0000",
        f"Message-ID: <{message_id}>".encode(),
    ]
    if reply_to is not None:
        head.append(f"In-Reply-To: <{reply_to}>".encode())
    return b"\n".join(head) + b"\n" + headers + b"\n" + body + b"\n"


def archive(tmp_path: Path, *messages: bytes, name: str = "hostile.mbox") -> Path:
    path = tmp_path / name
    path.write_bytes(b"".join(messages))
    return path


def assert_inert(thread: Thread) -> None:
    """No field of any post, no body (read as the pane reads it) and no warning holds a control character."""
    assert not hp.unsafe_chars(thread.title)
    for warning in thread.warnings:
        assert not hp.unsafe_chars(warning), warning
    for index, post in enumerate(thread.posts):
        for text in (post.id, post.parent or "", post.author, post.title, post.time or "", post.note or ""):
            assert not hp.unsafe_chars(text), (post.id, text)
        body, blocks = thread.body_of(index)
        assert not hp.unsafe_chars(body)
        for block in blocks:
            assert not hp.unsafe_chars(block.text + block.marker)
            assert all(span.link is None or not hp.unsafe_chars(span.link) for span in block.spans)


def line_of(data: bytes, marker: bytes) -> int:
    """The line number (from 1) of the ``From `` line of the message holding *marker*."""
    return data[: data.rfind(b"\nFrom ", 0, data.find(marker)) + 1].count(b"\n") + 1


def test_escape_sequences_in_encoded_word_headers_are_inert(tmp_path: Path) -> None:
    path = archive(
        tmp_path,
        message("one@x", subject=ESCAPE_SUBJECT, sender=ESCAPE_SENDER),
        message("two\x1b[2J@x", reply_to="one@x", sender=b'"\x1b]52;c;UFdORUQ=\x07CLIPPED" <x@y>'),
        message("three@x", reply_to="two\x1b[2J@x", subject=b"=?x-unknown?q?=9B2J?=CONEWIPE"),
    )
    thread = load(path)
    assert_inert(thread)
    assert thread.posts[0].title.endswith("AFTERTITLE")
    assert "REDALERT" in thread.posts[0].author
    assert thread.depth == [0, 1, 2]  # the escaped id still links its reply


def test_escape_sequences_in_bodies_of_every_transfer_encoding_are_inert(tmp_path: Path) -> None:
    raw = BODY.encode()
    encodings = {
        "7bit": raw,
        "quoted-printable": raw.replace(b"\x1b", b"=1B").replace(b"\x07", b"=07").replace(b"\x9b", b"=9B"),
        "base64": base64.encodebytes(raw),
    }
    messages = [
        message(
            f"{name}@x",
            headers=f"Content-Type: text/plain; charset=latin-1\nContent-Transfer-Encoding: {name}\n".encode(),
            body=body,
        )
        for name, body in encodings.items()
    ]
    thread = load(archive(tmp_path, *messages))
    assert_inert(thread)
    for index in range(len(encodings)):
        text = thread.body_of(index)[0]
        assert "WIPEOUT" in text and "AFTERTITLE" in text and "CONEWIPE" in text
        assert not any(sequence in text for sequence in hp.forbidden_sequences())


def test_escape_sequences_in_attachment_names_are_inert(tmp_path: Path) -> None:
    body = (
        b"--XX\nContent-Type: text/plain\n\nSee attached.\n"
        b"--XX\nContent-Type: application/pdf\nContent-Disposition: attachment;\n"
        b' filename="=?utf-8?q?=1B]0;PWNTITLE=07evil.pdf?="\nContent-Transfer-Encoding: base64\n\nAAAA\n'
        b"--XX\nContent-Type: application/octet-stream\nContent-Disposition: attachment;"
        b" filename*=utf-8''%1B%5B2Jwipe.bin\n\n\x1b[2Jraw bytes\n"
        b"--XX--\n"
    )
    path = archive(
        tmp_path,
        message("att@x", headers=b"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n", body=body),
    )
    thread = load(path)
    assert_inert(thread)
    names = [block.text for block in thread.body_of(0)[1] if block.kind == ATTACHMENT]
    assert len(names) == 2 and "evil.pdf" in names[0] and "wipe.bin" in names[1]
    assert "raw bytes" not in thread.body_of(0)[0]


def test_exports_of_hostile_mail_write_no_escape_sequence(tmp_path: Path) -> None:
    path = archive(tmp_path, message("one@x", subject=ESCAPE_SUBJECT, sender=ESCAPE_SENDER, body=BODY.encode()))
    for kind in ("json", "text", "markdown"):
        result = run_cli("export", str(path), "--to", kind, raw=True)
        assert result.returncode == 0, result.stderr
        output = result.stdout.decode()
        assert not any(sequence in output for sequence in hp.forbidden_sequences())
        assert "\x1b" not in output and "\x07" not in output


def test_a_header_line_of_a_megabyte_is_cut_with_a_note(tmp_path: Path) -> None:
    huge = b"=?utf-8?q?" + b"A" * 1_000_000 + b"?= " + b"word " * 50_000
    references = b"References: " + b" ".join(f"<ref{n}@x>".encode() for n in range(5_000)) + b"\n"
    path = archive(tmp_path, message("big@x", subject=huge, sender=huge, headers=references), message("after@x"))
    started = time.perf_counter()
    thread = load(path)
    assert time.perf_counter() - started < 10
    post = thread.posts[thread.index_of["big@x"]]
    assert len(post.title) < 10_000 and len(post.author) < 10_000
    assert post.note is not None and "Subject" in post.note and "From" in post.note
    assert thread.posts[thread.index_of["after@x"]].author == "Alice"
    assert_inert(thread)


def test_a_nul_filled_block_is_a_note_and_a_warning_with_its_line(tmp_path: Path) -> None:
    data = (
        message("first@x", body=b"Padding line.\n" * 700)  # TextFile refuses NULs in the first 8 KiB as binary
        + message("damaged@x", body=b"Before the damage.\n" + b"\0" * 4096 + b"\n")
        + b"\0" * 512
        + message("after@x", reply_to="first@x")
    )
    path = archive(tmp_path, data)
    thread = load(path)
    assert [post.id for post in thread.posts] == ["first@x", "after@x", "damaged@x"]
    damaged = thread.index_of["damaged@x"]
    assert "NUL" in (thread.posts[damaged].note or "")
    assert f"{path}:{line_of(data, b'damaged@x')}: NUL bytes" in "\n".join(thread.warnings)
    text = thread.body_of(damaged)[0]
    assert "Before the damage." in text and "NUL bytes left out" in text and "\0" not in text
    assert_inert(thread)


def test_a_message_cut_short_at_the_end_of_the_file(tmp_path: Path) -> None:
    data = message("whole@x") + b"From x Mon Mar  4 10:00:00 2019\nFrom: Bob <bob@x>\nMessage-ID: <cut@x>\nSubj"
    path = archive(tmp_path, data)
    thread = load(path)
    assert [post.id for post in thread.posts] == ["whole@x", "cut@x"]
    assert "cut short" in (thread.posts[1].note or "")
    assert f"{path}:{line_of(data, b'cut@x')}: the last message is cut short" in thread.warnings
    assert thread.body_of(1) == ("", ())
    assert_inert(thread)


def test_an_unterminated_mime_part_shows_what_came_and_says_so(tmp_path: Path) -> None:
    body = b"--B\nContent-Type: text/plain\n\nThe part that came.\n--B\nContent-Type: text/plain\n\nCut in the midd"
    path = archive(tmp_path, message("mime@x", headers=b"Content-Type: multipart/mixed; boundary=B\n", body=body))
    text = load(path).body_of(0)[0]
    assert "The part that came." in text and "Cut in the midd" in text and "never ends" in text


def test_a_file_of_headers_that_are_not_mail(tmp_path: Path) -> None:
    data = b"From nobody Mon Mar  4 10:00:00 2019\nX-Junk: 1\n\n\x01\x02 not mail\n" + message("real@x")
    thread = load(archive(tmp_path, data))
    assert len(thread.posts) == 2 and "not mail" in (thread.posts[0].note or "")
    assert_inert(thread)


def test_a_reference_cycle_neither_hangs_nor_loses_a_message(tmp_path: Path) -> None:
    path = archive(
        tmp_path,
        message("a@x", reply_to="c@x"),
        message("b@x", reply_to="a@x"),
        message("c@x", reply_to="b@x"),
    )
    thread = load(path)
    assert sorted(post.id for post in thread.posts) == ["a@x", "b@x", "c@x"]
    assert thread.depth == [0, 1, 2]
    assert "cycle" in (thread.posts[0].note or "")


_HOSTILE_BYTES = st.binary(max_size=60) | st.sampled_from(
    [b"\x1b[2J", b"=?utf-8?q?=1B]0;x=07?=", b"=?bogus?b?!!!?=", b"<", b">", b"(", b"\0", b"\r", b"\n ", b"\xff"]
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_HOSTILE_BYTES, _HOSTILE_BYTES, _HOSTILE_BYTES, _HOSTILE_BYTES), min_size=1, max_size=4))
def test_any_header_values_and_bodies_load_inert(
    tmp_path_factory: pytest.TempPathFactory, drawn: list[tuple[bytes, ...]]
) -> None:
    parts = [b"From a@b Mon Mar  4 10:00:00 2019\nFrom: x\nSubject: padding\n\n" + b"p\n" * 5000]
    for number, (subject, sender, reference, body) in enumerate(drawn):
        one_line = [value.replace(b"\n", b" ").replace(b"\r", b" ") for value in (subject, sender, reference)]
        parts.append(
            b"From a@b Mon Mar  4 10:00:00 2019\nFrom: "
            + one_line[1]
            + b"\nSubject: "
            + one_line[0]
            + b"\nMessage-ID: <m"
            + str(number).encode()
            + b">\nReferences: "
            + one_line[2]
            + b"\n\n"
            + body
            + b"\n"
        )
    path = tmp_path_factory.mktemp("fuzz") / "f.mbox"
    path.write_bytes(b"".join(parts))
    assert_inert(load(path))
