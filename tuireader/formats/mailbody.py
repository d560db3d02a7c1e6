"""One mail message's body as the body model: decoded only when the reader shows it.

The text/plain part is the body (charsets, quoted-printable, base64, ``format=flowed``
with DelSp); an HTML-only message is converted by :mod:`tuireader.formats.html_body`;
attachments become ATTACHMENT lines with their name, type and size and are never
decoded. Quoted ``>`` lines become QUOTE blocks and a trailing signature after a
``-- `` line a SIGNATURE block. The MIME tree is walked with a stack and split with
``bytes.find``, never recursively, and damage (an unterminated part, NUL bytes, too
many parts) is said in a short notice at the end rather than raised. The ``email``
package reads each part's header fields (parameters, RFC 2231 file names); it is
fine at one message at a time.
"""

from __future__ import annotations

import binascii
import re
from email.message import Message
from email.parser import BytesParser
from email.policy import compat32

from tuireader.body import ATTACHMENT, CODE_BLOCK, EMPHASIS, PARAGRAPH, SIGNATURE, Block, Body, Span, blocks_from_text
from tuireader.body import plain_text as blocks_text
from tuireader.formats.html_body import html_to_blocks
from tuireader.formats.mailheader import charset_codec, decoded, text_of

MOST_PARTS = 500
"""MIME parts read in one message; a hostile message can nest thousands."""
_HEADER_PARSER = BytesParser(policy=compat32)
_NUL_RUN = re.compile(rb"\0+")
_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/]+")
_QUOTE_MARKS = re.compile(r"(?:>[ ]?)*>")


def message_body(data: bytes) -> tuple[str, Body]:
    """The body of the message *data* (its header fields and body, as stored) as (plain text, blocks)."""
    notices: list[str] = []
    if b"\0" in data:
        nuls = sum(len(run) for run in _NUL_RUN.findall(data))
        data = data.replace(b"\0", b"")
        notices.append(f"{nuls:,} NUL bytes left out: the file is damaged here")
    data = data.replace(b"\r\n", b"\n")
    blocks: list[Block] = []
    pending: list[tuple[bytes, bool]] = [(data, False)]
    """Parts still to read, next one last; the flag marks a part that must be shown only as an attachment."""
    parts = 0
    while pending:
        part, as_attachment = pending.pop()
        parts += 1
        if parts > MOST_PARTS:
            notices.append(f"only the first {MOST_PARTS} MIME parts are shown")
            break
        head, body = _split_part(part)
        fields = _HEADER_PARSER.parsebytes(head, headersonly=True)
        kind = fields.get_content_type()
        if as_attachment or _is_attachment(fields, kind):
            blocks.append(_attachment_line(fields, kind, body))
        elif kind.startswith("multipart/"):
            children, closed = _split_multipart(body, fields.get_boundary())
            if not closed:
                notices.append("its last MIME part never ends (the message may be cut short)")
            pending.extend(reversed(_chosen(kind, children[:MOST_PARTS])))
        elif kind == "text/html":
            blocks.extend(html_to_blocks(_text(fields, body)))
        elif kind.startswith("text/") or kind == "message/delivery-status":
            blocks.extend(_text_blocks(fields, kind, body))
        else:
            blocks.append(_attachment_line(fields, kind, body))
    blocks.extend(Block(PARAGRAPH, (Span(f"({notice})", EMPHASIS),)) for notice in notices)
    body_blocks = tuple(blocks)
    return blocks_text(body_blocks), body_blocks


def _split_part(part: bytes) -> tuple[bytes, bytes]:
    """A part's header fields and body, split at the first blank line.

    With no blank line it is all header fields; starting with one, all body.
    """
    if part.startswith(b"\n"):
        return b"", part[1:]
    cut = part.find(b"\n\n")
    if cut < 0:
        return part, b""
    return part[: cut + 1], part[cut + 2 :]


def _is_attachment(fields: Message, kind: str) -> bool:
    if fields.get_content_disposition() == "attachment":
        return True
    return kind == "message/rfc822" or not (
        kind.startswith(("text/", "multipart/")) or kind == "message/delivery-status"
    )


def _split_multipart(body: bytes, boundary: str | None) -> tuple[list[bytes], bool]:
    """The parts between ``--boundary`` lines, and whether the closing ``--boundary--`` line came."""
    if not boundary:
        return [b"\n" + body], True  # no boundary to split at: all of it is one part's body
    delimiter = b"--" + boundary.encode("utf-8", "surrogateescape")  # the header's bytes, as they were
    parts: list[bytes] = []
    start = -1
    search = 0
    while True:
        at = body.find(delimiter, search)
        if at < 0:
            break
        search = at + len(delimiter)
        if at > 0 and body[at - 1] != 0x0A:
            continue  # not at the start of a line
        line_end = body.find(b"\n", search)
        rest = body[search : len(body) if line_end < 0 else line_end]
        closing = rest.startswith(b"--")
        if rest.strip() and not closing:
            continue  # a longer boundary that starts with this one
        if start >= 0:
            parts.append(body[start : max(start, at - 1)])
        if closing:
            return parts, True
        if line_end < 0:
            return parts, False
        start = line_end + 1
        search = start
    if start < 0:  # no boundary line at all: show what is there as text
        return [b"\n" + body], False
    parts.append(body[start:])
    return parts, False


def _chosen(kind: str, children: list[bytes]) -> list[tuple[bytes, bool]]:
    """Which children of a multipart to show: one alternative (plain text first), every part of the others.

    The parts of multipart/related after its first (images of an HTML message) are listed as attachments.
    """
    if kind == "multipart/alternative" and children:
        kinds = [
            _HEADER_PARSER.parsebytes(_split_part(child)[0], headersonly=True).get_content_type() for child in children
        ]
        for wanted in ("text/plain", "multipart/", "text/html", "text/"):
            for child, child_kind in zip(children, kinds, strict=True):
                if child_kind.startswith(wanted):
                    return [(child, False)]
        return [(children[0], False)]
    if kind == "multipart/related":
        return [(child, index > 0) for index, child in enumerate(children)]
    return [(child, False) for child in children]


def _transfer_decoded(fields: Message, body: bytes) -> bytes:
    encoding = str(fields.get("content-transfer-encoding", "")).strip().lower()
    if encoding == "base64":
        letters = _NOT_BASE64.sub(b"", body.partition(b"=")[0])
        if len(letters) % 4 == 1:
            letters = letters[:-1]  # a lone final letter cannot hold a byte
        return binascii.a2b_base64(letters + b"=" * (-len(letters) % 4)) if letters else b""
    if encoding == "quoted-printable":
        return binascii.a2b_qp(body)
    return body


def _text(fields: Message, body: bytes) -> str:
    data = _transfer_decoded(fields, body)
    charset = fields.get_content_charset()
    if charset is None:
        return text_of(data)
    return data.decode(charset_codec(charset), errors="replace")


def _text_blocks(fields: Message, kind: str, body: bytes) -> list[Block]:
    text = _text(fields, body)
    if kind != "text/plain":
        return [Block(CODE_BLOCK, (Span(text.rstrip("\n")),))] if text.strip() else []
    if str(fields.get_param("format", "")).lower() == "flowed":
        text = unflow(text, delete_space=str(fields.get_param("delsp", "")).lower() == "yes")
    text, signature = split_signature(text)
    blocks = list(blocks_from_text(text))
    if signature:
        blocks.append(Block(SIGNATURE, (Span(signature),)))
    return blocks


def unflow(text: str, *, delete_space: bool) -> str:
    """``format=flowed`` text (RFC 3676) as its paragraphs: soft line breaks joined, space-stuffing undone.

    A line ending in a space continues on the next line of the same quote depth; with
    DelSp that space was added by the sender and goes. The signature line ``-- `` is never joined.
    """
    out: list[str] = []
    joined: list[str] = []
    joined_depth = -1
    for line in text.split("\n"):
        marks = _QUOTE_MARKS.match(line)
        depth = marks.group().count(">") if marks else 0
        content = line[marks.end() :] if marks else line
        if content.startswith(" "):
            content = content[1:]  # space-stuffing
        if joined and depth != joined_depth:
            out.append(_quoted(joined_depth, "".join(joined)))
            joined = []
        soft = content.endswith(" ") and content != "-- "
        joined_depth = depth
        if soft:
            joined.append(content[:-1] if delete_space else content)
            continue
        joined.append(content)
        out.append(_quoted(depth, "".join(joined)))
        joined = []
    if joined:
        out.append(_quoted(joined_depth, "".join(joined)))
    return "\n".join(out)


def _quoted(depth: int, text: str) -> str:
    return f"{'>' * depth} {text}" if depth else text


def split_signature(text: str) -> tuple[str, str]:
    """The text before the last ``-- `` line and the signature after it ("" when there is none)."""
    text = text.rstrip("\n")
    if text.startswith("-- \n"):
        return "", text[4:].strip("\n")
    cut = text.rfind("\n-- \n")
    if cut < 0:
        return (text[:-4], "") if text.endswith("\n-- ") else (text, "")
    return text[:cut], text[cut + 5 :].strip("\n")


def _attachment_line(fields: Message, kind: str, body: bytes) -> Block:
    name = fields.get_filename()
    if name is not None:
        name = decoded(str(name).encode("utf-8", "surrogateescape"))
    elif kind == "message/rfc822":
        subject = _HEADER_PARSER.parsebytes(_split_part(body)[0], headersonly=True).get("subject")
        name = "forwarded message" + (
            f": {decoded(str(subject).encode('utf-8', 'surrogateescape'))}" if subject else ""
        )
    return Block(ATTACHMENT, (Span(f"{name or 'unnamed attachment'} ({kind}, {_size(fields, body)})"),))


def _size(fields: Message, body: bytes) -> str:
    """The decoded size, estimated from the encoded part without decoding it."""
    encoding = str(fields.get("content-transfer-encoding", "")).strip().lower()
    size = len(body)
    if encoding == "base64":
        size = (size - sum(body.count(space) for space in (b"\n", b" ", b"\t", b"="))) * 3 // 4
    elif encoding == "quoted-printable":
        size -= body.count(b"=") * 2  # "=XX" is one byte, "=" at a line end none
    size = max(size, 0)
    if size < 1000:
        return f"{size} bytes" if size != 1 else "1 byte"
    if size < 1_000_000:
        return f"{size / 1000:.0f} KB"
    return f"{size / 1_000_000:.1f} MB"
