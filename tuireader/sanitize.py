"""The one place that makes untrusted text inert before anything shows or writes it.

Every string read from a thread file passes through :func:`clean` once, when the
model is built, so widgets, exports and error messages never see a raw control
character. The replacements are visible characters, so a reader can tell that
something was there, and cleaning is idempotent (cleaning twice changes nothing).
"""

from __future__ import annotations

import re

# ESC and the other C0 controls (but newline and tab, which the body keeps as layout),
# DEL, the C1 controls (U+0080-U+009F, including the one-byte CSI U+009B), bidi
# embeddings, overrides and isolates, zero-width characters, line and paragraph
# separators, interlinear annotation marks, the byte-order mark, lone surrogates
# (JSON can spell them as "\ud800"; they cannot be encoded for output at all), and the
# tag characters U+E0000-U+E007F: invisible copies of ASCII that can hide text in a
# name or a post (they become visible placeholders, like the bidi controls).
_UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff"
    "\U000e0000-\U000e007f]"
)
_UNSAFE_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff"
    "\U000e0000-\U000e007f]"
)

_REMOVED = frozenset("\u200b\u200c\u200d\u2060\ufeff")
"""Zero-width characters that carry no meaning a reader would miss: dropped."""

_CARRIAGE_RETURN = "\r"


def _placeholder(char: str) -> str:
    code = ord(char)
    if char in _REMOVED or char == _CARRIAGE_RETURN:
        return ""
    if char == "\t":
        return "    "
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures": ␛ for ESC, ␇ for BEL
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 controls, bidi controls and the rest: the replacement character


_TABLE: dict[str, str] = {}


def _replace(match: re.Match[str]) -> str:
    char = match.group()
    text = _TABLE.get(char)
    if text is None:
        text = _TABLE[char] = _placeholder(char)
    return text


def clean(text: str) -> str:
    """Return *text* safe to show: newlines kept, tabs expanded, every control made visible."""
    if is_safe(text):
        return text
    text = text.replace("\r\n", "\n")
    return _UNSAFE.sub(_replace, text)


def clean_line(text: str) -> str:
    """Like :func:`clean` for one-line fields (author, title, badge): newlines become spaces."""
    if is_safe_line(text):
        return text
    text = text.replace("\r\n", " ").replace("\n", " ")
    return _UNSAFE_LINE.sub(_replace, text)


def is_safe(text: str) -> bool:
    """True when :func:`clean` would return *text* unchanged (the fast check every post goes through)."""
    return _residue_is_safe(text, _SAFE_ASCII_MULTILINE, _UNSAFE)


def is_safe_line(text: str) -> bool:
    """True when :func:`clean_line` would return *text* unchanged."""
    return _residue_is_safe(text, _SAFE_ASCII, _UNSAFE_LINE)


_SAFE_ASCII = bytes(range(0x20, 0x7F))
_SAFE_ASCII_MULTILINE = _SAFE_ASCII + b"\n"


def _residue_is_safe(text: str, safe_bytes: bytes, unsafe: re.Pattern[str]) -> bool:
    """Check only what is left once printable ASCII is dropped (a C-speed ``bytes.translate``).

    Scanning a whole body with the regex costs about three times as much, and
    bodies are mostly plain ASCII; the non-ASCII characters left over are whole
    UTF-8 sequences, so they decode back and the regex sees exactly those.
    """
    residue = text.encode("utf-8", "surrogatepass").translate(None, safe_bytes)
    return not residue or unsafe.search(residue.decode("utf-8", "surrogatepass")) is None
