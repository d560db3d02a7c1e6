"""What leaves the reader for other programs: a post's text and address to copy, and links to open.

Copying goes through the terminal (the app's OSC 52), opening through the desktop's
opener; this module decides what is sent and whether a link may be opened at all,
without a screen.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import webbrowser
from collections.abc import Mapping
from urllib.parse import quote

from tuireader.model import Post, Thread

OPENABLE_SCHEMES = ("https://", "http://", "mailto:")
"""The only links handed to the system's opener: never ``javascript:``, ``file:``, a relative path or a command."""


def post_text(post: Post, body: str) -> str:
    """A post as ``y`` copies it: the author, the title when there is one, a blank line, the body as plain text."""
    author = (f"{post.author} (deleted)" if post.author else "(deleted post)") if post.deleted else post.author
    head = [author or "(no name)"]
    if post.title:
        head.append(post.title)
    return "\n".join(head) + "\n\n" + body


def post_address(thread: Thread, index: int) -> str:
    """A post's permalink as ``Y`` copies it: the thread's address with the post id as its fragment, else the id."""
    post_id = thread.posts[index].id
    if not thread.url:
        return post_id
    return f"{thread.url.partition('#')[0]}#{quote(post_id, safe='')}"


def is_openable(target: str) -> bool:
    """Whether a link may go to the system's opener (see :data:`OPENABLE_SCHEMES`); any other is only copied."""
    return target.lower().startswith(OPENABLE_SCHEMES)


def can_open_links(environ: Mapping[str, str], platform: str) -> bool:
    """Whether there is a desktop to open a link on: none over SSH, nor on Linux without X11 or Wayland."""
    if environ.get("SSH_CONNECTION"):
        return False
    if platform in ("darwin", "win32"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def open_externally(target: str) -> bool:
    """Hand *target* to the desktop's opener, detached from the terminal; False when there is no opener.

    On Linux and the BSDs this is ``xdg-open`` rather than :mod:`webbrowser`, which without
    a graphical browser falls back to a text one (lynx, w3m) that would take over the
    terminal under the reader.
    """
    if sys.platform == "win32":
        return webbrowser.open(target)
    opener = "open" if sys.platform == "darwin" else shutil.which("xdg-open")
    if opener is None:
        return False
    try:
        subprocess.Popen(
            [opener, target],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return False
    return True
