"""A thread full of hostile strings, in native JSON and forum text, and what must never reach a terminal.

Every escape sequence is followed in the file by a marker word of its own, so a test
can tell a sequence that came from the file (the raw sequence right before its word)
from the reader's own output. All text here is written for these tests.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from tuireader.model import Thread

REPO = Path(__file__).resolve().parents[2]

ESCAPES: dict[str, tuple[str, str]] = {
    # name: (raw sequence, marker word that follows it in the file)
    "clear screen": ("\x1b[2J", "WIPEOUT"),
    "red text": ("\x1b[31m", "REDALERT"),
    "cursor home": ("\x1b[H", "HOMERUN"),
    "leave alt screen": ("\x1b[?1049l", "ALTSCREEN"),
    "window title (OSC 0)": ("\x1b]0;PWNTITLE\x07", "AFTERTITLE"),
    "window title (OSC 2)": ("\x1b]2;PWNTITLE\x1b\\", "AFTERTWO"),
    "clipboard write (OSC 52)": ("\x1b]52;c;UFdORUQ=\x07", "CLIPPED"),
    "hyperlink (OSC 8)": ("\x1b]8;;https://evil.example/x\x1b\\", "CLICKHERE"),
    "device control (DCS)": ("\x1bP1$qm\x1b\\", "DCSDONE"),
    "one-byte CSI (C1)": ("\x9b2J", "CONEWIPE"),
    "one-byte OSC (C1)": ("\x9d0;PWNTITLE\x9c", "CONETITLE"),
    "bell and backspace": ("\x07\x08", "BELLBACK"),
    "carriage return": ("SAFE\r", "CARRIAGE"),
    "delete": ("\x7f", "RUBOUT"),
    "right-to-left override": ("\u202e", "REVERSED"),
    "left-to-right isolate": ("\u2066", "ISOLATED"),
    "zero-width space": ("\u200b", "ZEROWIDTH"),
    "tag characters (hidden ASCII)": ("\U000e0048\U000e0049", "TAGGED"),
}
"""Terminal sequences and invisible characters, each with the word placed after it."""

MARKUP = (
    "[bold]x[/bold]",
    "[/]",
    "[$accent]ACCENT[/]",
    "[@click=app.quit]QUIT[/]",
    "[link=https://evil.example]LINK[/link]",
)
"""Rich and Textual markup that must show as typed."""

TITLE_WORD = "PWNTITLE"
"""What the hostile title sequences would set the terminal (or tmux pane) title to."""
EVIL_HOST = "evil.example"

ALL_ESCAPES = " ".join(sequence + word for sequence, word in ESCAPES.values())
ALL_MARKUP = " ".join(MARKUP)

THREAD_TITLE = "\x1b]0;PWNTITLE\x07[bold]Hostile[/bold] thread \x1b]2;PWNTITLE\x1b\\AFTERTWO"
AUTHOR = "[bold]x[/bold] [@click=app.quit] \x1b[31mREDALERT"
TITLE = "[@click=app.quit]Quit[/] [$accent]ACCENT[/] \x1b]0;PWNTITLE\x07AFTERTITLE"
SECOND_AUTHOR = "\u202eREVERSED\u202c \u2066ISOLATED\u2069 ze\u200bro"
SECOND_TITLE = "[/] [link=https://evil.example]LINK[/link] \x9b2JCONEWIPE"
MISSING_PARENT = "\x1b]0;PWNTITLE\x07[bold]nope[/bold]"
BODY = "\n".join(
    [
        "Plain words first.",
        ALL_MARKUP,
        *(f"{name}: {sequence}{word}" for name, (sequence, word) in ESCAPES.items()),
        "The end.",
    ]
)
INVALID_UTF8 = b"\xff\xfe\xc3("
"""Bytes that are not UTF-8, so loading warns (and the warning names the hostile file)."""

HOSTILE_NAME = "evil\x1b]0;PWNTITLE\x07\x1b[31mNAME"
"""A file name that is itself an escape sequence (Linux allows any byte but / and NUL)."""


def native_json_bytes() -> bytes:
    """The hostile thread as native JSON; string values carry raw bytes where JSON allows it."""
    posts = [
        {
            "id": "1",
            "parent": None,
            "author": AUTHOR,
            "badge": "[$accent]Gold[/]\x1b[2J",
            "icons": ["[link=https://evil.example]Thumb[/link]", "\x1b]52;c;UFdORUQ=\x07CLIPPED"],
            "title": TITLE,
            "body": BODY,
            "time": "\x1b[2JWIPEOUT",
            "up": 1,
            "down": 2,
        },
        {"id": "2", "parent": "1", "author": SECOND_AUTHOR, "title": SECOND_TITLE, "body": BODY},
        {
            "id": "3",
            "parent": MISSING_PARENT,
            "author": "orphan",
            "title": "Orphan",
            "body": "INVALIDBYTES here \x00NULBYTE",
        },
    ]
    document = {
        "format": "tuireader-thread",
        "version": 1,
        "title": THREAD_TITLE,
        "url": "javascript:\x1b]8;;https://evil.example\x1b\\",
        "summary": ALL_ESCAPES,
        "closed": False,
        "posts": posts,
    }
    text = json.dumps(document, ensure_ascii=False, indent=1)
    # JSON must escape C0 controls; C1 controls, DEL and bidi characters it may carry raw.
    return text.encode("utf-8").replace(b"INVALIDBYTES", INVALID_UTF8)


def forum_text_bytes() -> bytes:
    """The hostile thread in the numbered forum-text layout."""
    body = "\n".join("    " + line for line in BODY.split("\n"))
    reply_body = "\n".join("      " + line for line in BODY.split("\n"))
    text = (
        f"back to article {THREAD_TITLE}\n"
        "\n"
        f"{ALL_ESCAPES}\n"
        "\n"
        "\n"
        f"  1. {AUTHOR} Gold badge\n"
        "    [link=https://evil.example]Thumb[/link]\n"
        "    \x1b]52;c;UFdORUQ=\x07CLIPPED\n"
        "\n"
        f"    {TITLE}\n"
        "\n"
        f"{body}\n"
        "\n"
        f"    1. {SECOND_AUTHOR}\n"
        "\n"
        f"      {SECOND_TITLE}\n"
        "\n"
        f"{reply_body}\n"
        "\n"
        "  2. orphan\n"
        "\n"
        "    Orphan\n"
        "\n"
        "    INVALIDBYTES here\n"
    )
    return text.encode("utf-8").replace(b"INVALIDBYTES", INVALID_UTF8)


def write(directory: Path, fmt: str, name: str = "thread") -> Path:
    """Write the hostile thread as ``fmt`` ("json" or "text") to ``directory/name``."""
    path = directory / name
    path.write_bytes(native_json_bytes() if fmt == "json" else forum_text_bytes())
    return path


def forbidden_sequences() -> list[str]:
    """Each raw sequence with the word after it: if the output holds one, the file reached the terminal."""
    return [sequence + word for sequence, word in ESCAPES.values()]


INVISIBLE = frozenset("\u061c\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff")
"""Bidi controls and zero-width characters, listed here independently of tuireader.sanitize (tags: see below)."""
JOINERS = re.compile("[\u200c\u200d]")
"""ZWNJ and ZWJ: invisible too, unless they join two non-ASCII letters, marks or symbols (Persian, emoji)."""


def _joinable(char: str) -> bool:
    category = unicodedata.category(char)
    return char > "\x7f" and (category[0] in "LM" or category in ("So", "Sk"))


def unsafe_chars(text: str) -> set[str]:
    """What a terminal acts on or what hides text: controls but newline, surrogates, separators, bidi, zero-width."""
    found = {
        char
        for char in set(text)
        if char != "\n"
        and (
            unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp")
            or char in INVISIBLE
            or "\U000e0000" <= char <= "\U000e007f"
        )
    }
    padded = f"\n{text}\n"
    for joiner in JOINERS.finditer(padded):
        at = joiner.start()
        if not (_joinable(padded[at - 1]) and _joinable(padded[at + 1])):
            found.add(joiner.group())
    return found


BAD_BYTES_MARK = "INVALIDBYTES"
"""Put in a site document's body where bytes that are not UTF-8 go once it is written (see write_json)."""


def write_json(path: Path, document: Any) -> Path:
    """*document* as a JSON file at *path*, with the bytes that are not UTF-8 where BAD_BYTES_MARK stands."""
    text = json.dumps(document, ensure_ascii=False)
    path.write_bytes(text.encode("utf-8").replace(BAD_BYTES_MARK.encode(), INVALID_UTF8))
    return path


def every_text(thread: Thread) -> str:
    """Every string a reader can see: header, warnings, each post's fields and its body as read."""
    parts = [thread.title, thread.url or "", thread.summary, *thread.warnings]
    for index, post in enumerate(thread.posts):
        parts += [post.id, post.parent or "", post.author, post.badge or "", *post.icons, post.title, post.body]
        parts += [post.time or "", post.note or ""]
        text, blocks = thread.body_of(index)
        parts.append(text)
        parts += [span.text + (span.link or "") + block.marker for block in blocks for span in block.spans]
    return "\n".join(parts)
