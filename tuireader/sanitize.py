"""The one place that makes untrusted text inert before anything shows or writes it.

Every string read from a thread file passes through :func:`clean` once, when the
model is built, so widgets, exports and error messages never see a raw control
character. The replacements are visible characters, so a reader can tell that
something was there, and cleaning is idempotent (cleaning twice changes nothing).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# ESC and the other C0 controls (but newline and tab, which the body keeps as layout),
# DEL, the C1 controls (U+0080-U+009F, including the one-byte CSI U+009B), bidi
# embeddings, overrides and isolates, zero-width characters, line and paragraph
# separators, interlinear annotation marks, the byte-order mark, lone surrogates
# (JSON can spell them as "\ud800"; they cannot be encoded for output at all), and the
# tag characters U+E0000-U+E007F: invisible copies of ASCII that can hide text in a
# name or a post (they become visible placeholders, like the bidi controls).
# The joiners ZWNJ and ZWJ (U+200C, U+200D) are not here: see _JOINERS.
_UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
    "\ud800-\udfff\U000e0000-\U000e007f]"
)
_UNSAFE_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
    "\ud800-\udfff\U000e0000-\U000e007f]"
)

_REMOVED = frozenset("\u200b\u2060\ufeff")
"""Zero-width characters that carry no meaning a reader would miss: dropped."""

_JOINERS = re.compile("[\u200c\u200d]")
"""ZWNJ and ZWJ: Persian and Indic spelling and emoji sequences (👩‍💻) need them, so they stay
where they join two characters that can be joined, and are dropped everywhere else."""
_LOOSE_JOINER = re.compile(
    "(?:\\A|(?<=[\x00-\x7f\u200c\u200d]))[\u200c\u200d]|[\u200c\u200d](?=[\x00-\x7f\u200c\u200d]|\\Z)"
)
"""A joiner at either end or next to ASCII or another joiner: found at C speed, so a hostile
run of joiners costs little; only joiners between two other characters need a closer look."""
_JOINABLE = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "So", "Sk"})
"""The categories a joiner may sit between: letters, marks (a virama, the emoji presentation
selector) and symbols (emoji, skin tones). Never ASCII, which no script joins: there a joiner
could only make two names that look the same differ."""

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


@lru_cache(maxsize=4096)
def _joins(char: str) -> bool:
    return char > "\x7f" and unicodedata.category(char) in _JOINABLE


def _is_joining(text: str, position: int) -> bool:
    """Whether the joiner at *position* sits between two characters it can join.

    Those neighbours are never changed by cleaning, so a joiner kept once is kept
    again: cleaning stays idempotent.
    """
    return 0 < position < len(text) - 1 and _joins(text[position - 1]) and _joins(text[position + 1])


def _keep_if_joining(match: re.Match[str]) -> str:
    return match.group() if _is_joining(match.string, match.start()) else ""


def _drop_loose_joiners(text: str) -> str:
    if "\u200c" not in text and "\u200d" not in text:
        return text
    # Removing the loose joiners first leaves every other joiner beside the same neighbours.
    return _JOINERS.sub(_keep_if_joining, _LOOSE_JOINER.sub("", text))


def clean(text: str) -> str:
    """Return *text* safe to show: newlines kept, tabs expanded, every control made visible."""
    if is_safe(text):
        return text
    text = _drop_loose_joiners(text.replace("\r\n", "\n"))
    return _UNSAFE.sub(_replace, text)


def clean_line(text: str) -> str:
    """Like :func:`clean` for one-line fields (author, title, badge): newlines become spaces."""
    if is_safe_line(text):
        return text
    text = _drop_loose_joiners(text.replace("\r\n", " ").replace("\n", " "))
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
    if not residue:
        return True
    rest = residue.decode("utf-8", "surrogatepass")
    if unsafe.search(rest) is not None:
        return False
    if "\u200c" not in rest and "\u200d" not in rest:
        return True
    if _LOOSE_JOINER.search(text) is not None:
        return False
    return all(_is_joining(text, match.start()) for match in _JOINERS.finditer(text))
