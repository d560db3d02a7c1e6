"""Mail archives: a real list as mbox and Maildir, threading edge cases, bodies decoded when shown, exports."""

from __future__ import annotations

import gzip
import json
import mailbox
import re
import shutil
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest
from helpers import screen_text, shared_file
from hypothesis import given
from hypothesis import strategies as st

from tuireader.app import ReaderApp
from tuireader.body import ATTACHMENT, QUOTE, SIGNATURE
from tuireader.errors import InputError
from tuireader.export import EXPORTERS
from tuireader.formats import load, open_source
from tuireader.formats.mail import PLACEHOLDER_NOTE
from tuireader.formats.mailheader import decoded, display_name, message_ids, parse_date
from tuireader.model import Thread

MBOX = ("fixtures", "mail", "derived_notmuch_default_all.mbox")
MAILDIRS = ("fixtures", "mail", "notmuch-default")
EDGE_CASES = ("fixtures", "mail", "notmuch-threading")


# An independent reading of the raw files, for the counts ------------------------------------------


def raw_messages(path: Path) -> list[bytes]:
    """Every message's bytes: the mbox's, or each file's below a Maildir folder."""
    if path.is_dir():
        files = sorted(file for file in path.rglob("*") if file.is_file())
        return [file.read_bytes() for file in files if "tmp" not in file.relative_to(path).parts]  # Maildir's tmp/
    return [message.as_bytes() for message in mailbox.mbox(path)]


def header(message: bytes, name: str) -> str:
    head = message.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].decode("latin-1")
    match = re.search(rf"^{name}:[ \t]*(.*(?:\n[ \t].*)*)", head, re.IGNORECASE | re.MULTILINE)
    return match.group(1) if match else ""


def ids_in(text: str) -> list[str]:
    return re.findall(r"<([^<>\s]+)>", re.sub(r"\([^()]*\)", "", text))


def thread_count(messages: list[bytes]) -> int:
    """Groups of messages linked by any id in References or In-Reply-To (notmuch's threads)."""
    leader: dict[str, str] = {}

    def find(key: str) -> str:
        while leader.setdefault(key, key) != key:
            key = leader[key]
        return key

    own = []
    for message in messages:
        message_id = ids_in(header(message, "Message-ID"))[0]
        own.append(message_id)
        for ref in ids_in(header(message, "References") + " " + header(message, "In-Reply-To")):
            leader[find(ref)] = find(message_id)
    return len({find(message_id) for message_id in own})


def messages_shown(thread: Thread) -> list[int]:
    return [index for index, post in enumerate(thread.posts) if post.note != PLACEHOLDER_NOTE]


def parent_of(thread: Thread, post_id: str) -> str | None:
    parent = thread.parent_index[thread.index_of[post_id]]
    return None if parent < 0 else thread.posts[parent].id


# The real list ---------------------------------------------------------------------------------------


def test_the_mbox_holds_every_message_once() -> None:
    path = shared_file(*MBOX)
    raw = path.read_bytes()
    separators = len(re.findall(rb"^From ", raw, re.MULTILINE))
    messages = raw_messages(path)
    assert separators == len(messages)
    distinct = {ids_in(header(message, "Message-ID"))[0] for message in messages}
    thread = load(path)
    assert len(messages_shown(thread)) == len(distinct)
    assert {thread.posts[index].id for index in messages_shown(thread)} == distinct
    assert sum(1 for parent in thread.parent_index if parent < 0) == thread_count(messages)
    assert thread.source_format == "mail" and not thread.warnings


def test_the_maildir_folders_give_the_same_threads_and_report_the_duplicate() -> None:
    folder = shared_file(*MAILDIRS)
    messages = raw_messages(folder)
    distinct = {ids_in(header(message, "Message-ID"))[0] for message in messages}
    assert len(messages) > len(distinct)  # one message is in two folders
    from_maildir = load(folder)
    from_mbox = load(shared_file(*MBOX))
    assert len(messages_shown(from_maildir)) == len(distinct)
    assert sum(1 for parent in from_maildir.parent_index if parent < 0) == thread_count(messages)
    assert [
        (post.id, parent_of(from_maildir, post.id), post.author, post.title, post.time) for post in from_maildir.posts
    ] == [(post.id, parent_of(from_mbox, post.id), post.author, post.title, post.time) for post in from_mbox.posts]
    duplicates = [warning for warning in from_maildir.warnings if "repeats the Message-ID" in warning]
    assert len(duplicates) == len(messages) - len(distinct)


def test_a_gzip_compressed_mbox_reads_the_same(tmp_path: Path) -> None:
    path = shared_file(*MBOX)
    compressed = tmp_path / "archive.mbox.gz"
    compressed.write_bytes(gzip.compress(path.read_bytes()))
    plain, unpacked = load(path), load(compressed)
    assert [(post.id, post.title) for post in unpacked.posts] == [(post.id, post.title) for post in plain.posts]
    last = messages_shown(plain)[-1]
    assert unpacked.body_of(last) == plain.body_of(last)


def test_in_reply_to_with_a_trailing_comment_names_its_parent() -> None:
    thread = load(shared_file(*MBOX))
    # "In-Reply-To: <20091117190054.GU3165@...> (Lars Kellogg-Stedman's message of "Tue, ...")", folded.
    assert parent_of(thread, "87iqd9rn3l.fsf@vertex.dottedmag") == "20091117190054.GU3165@dottiness.seas.harvard.edu"


def test_encoded_word_headers_are_decoded() -> None:
    thread = load(shared_file(*MBOX))
    post = thread.posts[thread.index_of["877h1wv7mg.fsf@inf-8657.int-evry.fr"]]
    assert post.title == "Essai accentué"
    assert all("=?" not in post.title and "=?" not in post.author for post in thread.posts)


def test_bodies_stay_on_disk_until_shown() -> None:
    thread = load(shared_file(*MBOX))
    assert all(post.body == "" and post.blocks is None for post in thread.posts)
    index = thread.index_of["87iqd9rn3l.fsf@vertex.dottedmag"]
    text, blocks = thread.body_of(index)  # multipart/signed, quoted-printable, a list footer part
    assert "See the patch just posted here." in text
    assert "=2D" not in text and "hostna=\nme" not in text
    assert any(block.kind == SIGNATURE and "fossarchy" in block.text for block in blocks)
    assert any(block.kind == ATTACHMENT and "application/pgp-signature" in block.text for block in blocks)
    assert "BEGIN PGP SIGNATURE" not in text


# Threading edge cases (notmuch's corpus) -----------------------------------------------------------


@pytest.fixture(scope="module")
def edge_cases() -> Thread:
    return load(shared_file(*EDGE_CASES))


def test_in_reply_to_wins_over_a_reference_that_disagrees(edge_cases: Thread) -> None:
    assert parent_of(edge_cases, "B01-child@example.org") == "B00-root@example.org"  # References has a typo
    assert parent_of(edge_cases, "B01-grand-child@example.org") == "B01-child@example.org"  # References reversed


def test_a_missing_parent_is_a_placeholder_where_the_gap_is(edge_cases: Thread) -> None:
    gap = edge_cases.index_of["nonexistent-message@example.org"]
    post = edge_cases.posts[gap]
    assert post.deleted and post.author == "" and post.note == PLACEHOLDER_NOTE
    assert parent_of(edge_cases, "nonexistent-message@example.org") == "001-child@example.org"
    assert parent_of(edge_cases, "001-fake-message-root@example.org") == "nonexistent-message@example.org"
    ticket = [p for p in edge_cases.posts if p.id.startswith("RT-Ticket-")]
    assert len(ticket) == 1 and ticket[0].deleted


def test_every_edge_case_message_is_shown(edge_cases: Thread) -> None:
    messages = raw_messages(shared_file(*EDGE_CASES))
    assert len(messages_shown(edge_cases)) == len(messages)


# Header fields ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"=?utf-8?b?w4Z0aGVs?= =?utf-8?b?cmVk?=", "Æthelred"),  # adjacent words join
        (b"=?utf-8?b?w4Z0aGVs?=\n =?utf-8?b?cmVk?=", "Æthelred"),  # also across a folded line
        (b"=?utf-8?b?4oKs?=", "€"),
        (b"=?utf-8?b?4g==?= =?utf-8?b?gqw=?=", "€"),  # one character split over two words
        (b"=?ISO-8859-1?Q?Caf=E9_cr=E8me?= and =?utf-8?q?more?=", "Café crème and more"),
        (b"=?utf-8*fr?q?fran=C3=A7ais?=", "français"),  # RFC 2231 language tag
        (b"=?no-such-charset?q?x=FFy?=", "x\ufffdy"),
        (b"=?utf-8?b?!!!?=", "\ufffd"),
        (b"=?utf-8?b?w4Z0aGVsc?=", "Æthel"),  # cut short: the whole bytes it holds
        (b"=?unicode-escape?q?\\x1b?=", "\\x1b"),  # a Python codec, not a charset: read as UTF-8
        (b"Plain \xc3\xa9t\xc3\xa9 in raw UTF-8", "Plain été in raw UTF-8"),
        (b"Raw Latin-1 caf\xe9 \x93quoted\x94", "Raw Latin-1 café “quoted”"),
        (b"=?utf-8?q?unterminated", "=?utf-8?q?unterminated"),
    ],
)
def test_encoded_words_and_raw_bytes_decode(raw: bytes, text: str) -> None:
    assert decoded(raw) == text


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        (b'"Worth, Carl" <cworth@example.org>', "Worth, Carl"),
        (b"Carl Worth <cworth@example.org>", "Carl Worth"),
        (b"cworth@example.org (Carl Worth)", "Carl Worth"),
        (b"<cworth@example.org>", "cworth@example.org"),
        (b"cworth@example.org", "cworth@example.org"),
        (b'"=?utf-8?q?Fran=C3=A7ois?= B." <f@example.org>', "François B."),
        (b'"He said \\"hi\\"" <x@example.org>', 'He said "hi"'),
        (b'"' * 5_000, '"' * 5_000),
    ],
)
def test_display_names(raw: bytes, name: str) -> None:
    assert display_name(raw) == name


def test_message_ids_ignore_comments_even_nested_or_escaped() -> None:
    raw = b'<a@x> (Alice\'s message of "Tue, 17 Nov" (nested \\) paren)) <b@x>\n\t(<not@an.id>) <c d@x>'
    assert message_ids(raw) == ["a@x", "b@x", "cd@x"]
    assert message_ids(b"(" * 100_000 + b"<x@y>") == []  # an unclosed comment swallows the rest, quickly


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        (b"Tue, 17 Nov 2009 14:00:54 -0500", "2009-11-17T14:00:54-05:00"),
        (b"Tue, 17 Nov 2009 14:00:54 -0500 (EST)", "2009-11-17T14:00:54-05:00"),
        (b"17 Nov 09 14:00 GMT", "2009-11-17T14:00:00+00:00"),
        (b"Tue, 17 November 2009 14:00:54 PDT", "2009-11-17T14:00:54-07:00"),
        (b"Tue Nov 17 14:00:54 2009", "2009-11-17T14:00:54+00:00"),
        (b"Sat, 29 Feb 2020 23:59:60 +0100", "2020-02-29T23:59:59+01:00"),
        (b"Fri, 29 Feb 2019 10:00:00 +0000", None),
        (b"Tue, 17 Nov 2009 25:00:00 +0000", None),
        (b"yesterday", None),
        (b"", None),
    ],
)
def test_dates_are_read_leniently(raw: bytes, iso: str | None) -> None:
    parsed = parse_date(raw)
    assert (parsed[0] if parsed else None) == iso


def test_a_date_gives_seconds_since_1970_in_utc() -> None:
    assert parse_date(b"Thu, 01 Jan 1970 01:00:00 +0100") == ("1970-01-01T01:00:00+01:00", 0.0)
    assert parse_date(b"Tue, 17 Nov 2009 14:00:54 -0500") == ("2009-11-17T14:00:54-05:00", 1258484454.0)


@given(st.binary(max_size=300))
def test_header_decoders_never_raise(raw: bytes) -> None:
    decoded(raw)
    display_name(raw)
    message_ids(raw)
    parse_date(raw)


# Messages built here: encodings, HTML, attachments, subjects ------------------------------------------


def mail(
    message_id: str,
    *,
    subject: str = "Topic",
    sender: str = "Alice Example <alice@example.org>",
    reply_to: str | None = None,
    date: str = "Mon, 04 Mar 2019 10:00:00 +0000",
    body: str = "Hello.\n",
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["Subject"] = subject
    message["Date"] = date
    message["Message-ID"] = f"<{message_id}>"
    if reply_to:
        message["In-Reply-To"] = f"<{reply_to}>"
        message["References"] = f"<{reply_to}>"
    message.set_content(body)
    return message


def write_mbox(path: Path, *messages: EmailMessage) -> Path:
    box = mailbox.mbox(path)
    for message in messages:
        box.add(message)
    box.flush()
    box.close()
    return path


def test_quoted_printable_and_base64_bodies_and_encoded_names(tmp_path: Path) -> None:
    first = mail("qp@x", sender="=?iso-8859-1?q?J=FCrgen_M=FCller?= <j@example.org>")
    first.set_content("Grüße, naïve café\n" * 3, cte="quoted-printable")
    second = mail("b64@x", subject="=?utf-8?b?w4Z0aGVs?= =?utf-8?b?cmVk?=", reply_to="qp@x")
    second.set_content("Ünïcödé in base64\n", cte="base64")
    raw = bytes(write_mbox(tmp_path / "a.mbox", first, second).read_bytes())
    assert b"quoted-printable" in raw and b"base64" in raw
    thread = load(tmp_path / "a.mbox")
    assert [post.author for post in thread.posts] == ["Jürgen Müller", "Alice Example"]
    assert thread.posts[1].title == "Æthelred"  # two encoded words, joined with no space
    assert thread.body_of(0)[0] == "Grüße, naïve café\nGrüße, naïve café\nGrüße, naïve café"
    assert thread.body_of(1)[0] == "Ünïcödé in base64"


def test_an_html_only_message_is_converted_to_text(tmp_path: Path) -> None:
    message = mail("html@x")
    message.set_content(
        "<html><body><p>First <b>bold</b> paragraph.</p><p>Second &amp; last.</p></body></html>", subtype="html"
    )
    thread = load(write_mbox(tmp_path / "h.mbox", message))
    text, _ = thread.body_of(0)
    assert "First bold paragraph." in text and "Second & last." in text and "<p>" not in text


def test_attachments_are_listed_by_name_and_size_never_shown(tmp_path: Path) -> None:
    message = mail("att@x", body="See the report.\n")
    message.add_attachment(b"%PDF-SECRET" + bytes(2_000), maintype="application", subtype="pdf", filename="report.pdf")
    message.add_attachment("notes that are text\n", filename="notes.txt")
    thread = load(write_mbox(tmp_path / "att.mbox", message))
    text, blocks = thread.body_of(0)
    attachments = [block.text for block in blocks if block.kind == ATTACHMENT]
    assert attachments == ["report.pdf (application/pdf, 2 KB)", "notes.txt (text/plain, 20 bytes)"]
    assert "See the report." in text and "SECRET" not in text and "notes that are text" not in text


def test_quotes_signature_flowed_text_and_from_quoting(tmp_path: Path) -> None:
    message = mail("fl@x")
    message.set_content(
        "Alice wrote:\n> This was quoted and \n> flowed.\n>> Deeper.\n\nFrom here on it is mine, \nflowed too.\n"
        "-- \nAlice\nexample.org\n"
    )
    message.set_param("format", "flowed")
    message.set_param("delsp", "no")
    thread = load(write_mbox(tmp_path / "f.mbox", message))
    text, blocks = thread.body_of(0)
    assert [(block.kind, block.level, block.text) for block in blocks if block.kind in (QUOTE, SIGNATURE)] == [
        (QUOTE, 1, "This was quoted and flowed."),
        (QUOTE, 2, "Deeper."),
        (SIGNATURE, 0, "Alice\nexample.org"),
    ]
    assert "From here on it is mine, flowed too." in text  # the mbox wrote ">From here": undone


def test_delsp_removes_the_space_of_each_soft_break(tmp_path: Path) -> None:
    message = mail("ds@x")
    message.set_content("Zusammen \ngeschrieben.\n")
    message.set_param("format", "flowed")
    message.set_param("delsp", "yes")
    assert load(write_mbox(tmp_path / "d.mbox", message)).body_of(0)[0] == "Zusammengeschrieben."


def test_a_reply_without_references_joins_by_subject_with_a_note(tmp_path: Path) -> None:
    start = mail("start@x", subject="[frob] Widgets", date="Mon, 04 Mar 2019 10:00:00 +0000")
    lost = mail(
        "lost@x", subject="Re: [frob] Widgets", sender="Bob <bob@example.org>", date="Mon, 04 Mar 2019 11:00:00 +0000"
    )
    thread = load(write_mbox(tmp_path / "s.mbox", lost, start))
    assert parent_of(thread, "lost@x") == "start@x"
    assert thread.posts[thread.index_of["lost@x"]].note == "threaded by subject"


def test_several_threads_are_roots_in_date_order(tmp_path: Path) -> None:
    late = mail("late@x", subject="Later", date="Tue, 05 Mar 2019 10:00:00 +0000")
    early = mail("early@x", subject="Earlier", date="Mon, 04 Mar 2019 10:00:00 +0100")
    reply = mail("reply@x", subject="Re: Earlier", reply_to="early@x", date="Wed, 06 Mar 2019 10:00:00 +0000")
    thread = load(write_mbox(tmp_path / "o.mbox", late, reply, early))
    assert [(post.id, post.time) for post in thread.posts] == [
        ("early@x", "2019-03-04T10:00:00+01:00"),
        ("reply@x", "2019-03-06T10:00:00+00:00"),
        ("late@x", "2019-03-05T10:00:00+00:00"),
    ]


def test_a_bad_date_is_a_note_not_an_error(tmp_path: Path) -> None:
    thread = load(write_mbox(tmp_path / "b.mbox", mail("d@x", date="the day after tomorrow")))
    post = thread.posts[0]
    assert post.time is None and post.note is not None and "Date" in post.note
    assert any("Date cannot be read" in warning for warning in thread.warnings)


def test_an_archive_is_sniffed_by_content_not_name(tmp_path: Path) -> None:
    shutil.copy(shared_file(*MBOX), tmp_path / "notes.txt")
    assert open_source(tmp_path / "notes.txt").source_format == "mail"
    folder = tmp_path / "anything"
    shutil.copytree(shared_file(*EDGE_CASES), folder)
    assert open_source(folder).source_format == "mail"
    empty = tmp_path / "empty"
    (empty / "cur").mkdir(parents=True)
    (empty / "cur" / "readme").write_text("not mail at all\n")
    with pytest.raises(InputError, match="directory"):
        open_source(empty)


def test_a_file_without_from_line_and_with_crlf_is_read(tmp_path: Path) -> None:
    first = mail("one@x").as_bytes(policy=SMTP)  # CRLF line ends, no "From " line
    rest = b"".join(
        b"From x@y Mon Mar  4 10:00:00 2019\r\n" + mail(f"m{n}@x", reply_to="one@x").as_bytes(policy=SMTP) + b"\r\n"
        for n in range(2)
    )
    path = tmp_path / "crlf.mbox"
    path.write_bytes(first + b"\r\n" + rest)
    thread = load(path)
    assert [post.id for post in thread.posts] == ["one@x", "m0@x", "m1@x"]
    assert any(":1:" in warning and "From" in warning for warning in thread.warnings)
    assert thread.body_of(2)[0] == "Hello."


def test_progress_says_how_far_indexing_got() -> None:
    source = open_source(shared_file(*MBOX))
    assert source.progress is not None and source.progress().startswith("indexing… 0 messages")
    posts = list(source.posts)
    assert posts and source.progress() == ""


# Exports and the reader ----------------------------------------------------------------------------------


def test_exports_carry_the_messages(tmp_path: Path) -> None:
    message = mail("e@x", subject="Exported", body="Body that is exported.\n")
    reply = mail(
        "f@x", subject="Re: Exported", reply_to="e@x", sender="Bob <bob@example.org>", body="> quoted\nMine.\n"
    )
    thread = load(write_mbox(tmp_path / "e.mbox", message, reply))
    exported = json.loads(EXPORTERS["json"](thread))
    assert [(post["id"], post["parent"], post["author"]) for post in exported["posts"]] == [
        ("e@x", None, "Alice Example"),
        ("f@x", "e@x", "Bob"),
    ]
    assert exported["posts"][0]["body"] == "Body that is exported."
    assert exported["posts"][1]["blocks"][0]["kind"] == "quote"
    for kind in ("text", "markdown"):
        text = EXPORTERS[kind](thread)
        assert "Exported" in text and "Bob" in text and "Body that is exported." in text and "Mine." in text


def pane_text(app: ReaderApp) -> str:
    """The reading pane's part of the screen: what follows the tree's edge on each line."""
    screen = screen_text(app).splitlines()
    return "\n".join(line.split("▕", 1)[1] for line in screen if "▕" in line)


async def test_the_reader_opens_an_mbox_and_moves_to_the_second_message() -> None:
    thread = load(shared_file(*MBOX))
    first_body = thread.body_of(0)[0]
    second_line = next(line for line in thread.body_of(1)[0].splitlines() if line.strip() and line not in first_body)
    app = ReaderApp(thread)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert second_line not in pane_text(app)
        await pilot.press("j")
        await pilot.pause()
        pane = pane_text(app)
        assert thread.posts[1].author in pane and second_line.strip() in pane
