"""Header fields of mail as text: encoded words, display names, dates and message ids.

Every function takes the raw bytes of one field's value (folded lines and all) and
never raises: mail comes in every charset, with broken encoded words, dates in a
dozen styles and ids wrapped in comments. What cannot be decoded is replaced
(U+FFFD) or reported as None, so the caller can say so in a note. The mail index
calls these once per message of a 100,000-message archive, so the common case
(plain ASCII, one well-formed id, an RFC 5322 date) takes a fast path.
"""

from __future__ import annotations

import binascii
import codecs
import re
from email.utils import parsedate_tz

_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_SPACE = re.compile(r"\s+")
_ID = re.compile(rb"<([^<>]*)>")
_PLAIN_ID = re.compile(rb"<([^<>\s]+)>")
_ONE_PLAIN_ID = re.compile(rb"\s*<([^<>\s]+)>\s*\Z")
_COMMENT_CHARS = re.compile(rb"[()\\]")
_BASE64_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_ESCAPE_CODECS = frozenset({"unicode-escape", "raw-unicode-escape", "idna", "punycode", "undefined"})
"""Python's own codecs that are not charsets: a header naming them is decoded as UTF-8 instead."""
_CHARSETS: dict[str, str] = {}
_MOST_CHARSET_NAMES = 256
"""Charset names resolved so far; hostile mail could name a million different ones."""


def text_of(raw: bytes) -> str:
    """Raw 8-bit header or body text as a string: UTF-8 when it is, else Windows-1252 (what senders meant)."""
    try:
        return raw.decode("ascii")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def unfold(raw: bytes) -> bytes:
    """A folded field on one line (RFC 5322 §2.2.3): each line break and the indentation after it is one space."""
    if b"\n" not in raw:
        return raw.strip()
    return b" ".join(part.strip() for part in raw.split(b"\n"))


def decoded(raw: bytes) -> str:
    """A field's text on one line, its RFC 2047 encoded words decoded (and the spaces around them collapsed)."""
    raw = unfold(raw)
    if b"=?" not in raw:
        return text_of(raw)
    return _SPACE.sub(" ", decode_words(raw.decode("latin-1"))).strip()


def decode_words(text: str) -> str:
    """*text* (bytes as Latin-1) with its encoded words decoded; adjacent words join with no space between.

    Words in a row with the same charset are decoded together, so a character split
    across two words (common with UTF-8 in B encoding) comes out whole.
    """
    out: list[str] = []
    pending: list[bytes] = []
    pending_charset = ""
    position = 0
    for match in _ENCODED_WORD.finditer(text):
        between = text[position : match.start()]
        if between and (not pending or between.strip()):
            if pending:
                out.append(_decode_charset(b"".join(pending), pending_charset))
                pending = []
            out.append(text_of(between.encode("latin-1")))
        charset, encoding, payload = match.groups()
        charset = charset.partition("*")[0].lower()  # RFC 2231 adds *language
        if pending and charset != pending_charset:
            out.append(_decode_charset(b"".join(pending), pending_charset))
            pending = []
        pending.append(_word_bytes(encoding, payload))
        pending_charset = charset
        position = match.end()
    if pending:
        out.append(_decode_charset(b"".join(pending), pending_charset))
    out.append(text_of(text[position:].encode("latin-1")))
    return "".join(out)


def _word_bytes(encoding: str, payload: str) -> bytes:
    data = payload.encode("latin-1")
    if encoding in "qQ":
        return binascii.a2b_qp(data, header=True)
    letters = data.rstrip(b"=")
    if letters.translate(None, _BASE64_LETTERS):  # not base64 at all: show that something was there
        return "\ufffd".encode()
    if len(letters) % 4 == 1:
        letters = letters[:-1]  # a lone last letter holds no whole byte
    return binascii.a2b_base64(letters + b"=" * (-len(letters) % 4))


def _decode_charset(data: bytes, charset: str) -> str:
    return data.decode(charset_codec(charset), errors="replace")


def charset_codec(charset: str) -> str:
    """The Python codec for a MIME charset name; UTF-8 for names it does not know (or that are not charsets)."""
    name = _CHARSETS.get(charset)
    if name is None:
        try:
            name = codecs.lookup(charset).name
            b"a".decode(name, "replace")  # LookupError for codecs that are not text encodings (base64, zlib, rot13)
        except (LookupError, ValueError):
            name = "utf-8"
        if name in _ESCAPE_CODECS:
            name = "utf-8"
        if len(_CHARSETS) < _MOST_CHARSET_NAMES:
            _CHARSETS[charset] = name
    return name


_MAILBOX = re.compile(r'\s*((?:"(?:[^"\\]|\\.)*"|[^"<])*)<([^>]*)>?')
_ADDRESS_WITH_COMMENT = re.compile(r"\s*([^\s(]+)\s*\((.*)\)\s*$")
_QUOTED_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_QUOTED_PAIR = re.compile(r"\\(.)")


def display_name(raw: bytes) -> str:
    """Who sent it, from a ``From`` value: the decoded display name, or the address when there is none."""
    text = unfold(raw).decode("latin-1")
    match = _MAILBOX.match(text)
    if match is not None:
        name, address = match.group(1).strip(), match.group(2).strip()
    else:
        commented = _ADDRESS_WITH_COMMENT.match(text)
        name, address = (commented.group(2).strip(), commented.group(1)) if commented else ("", text.strip())
    if '"' in name:
        name = _QUOTED_STRING.sub(lambda quoted: _QUOTED_PAIR.sub(r"\1", quoted.group(1)), name).strip()
    if name:
        name = _SPACE.sub(" ", decode_words(name)).strip()
    return name or text_of(address.encode("latin-1"))


def strip_comments(raw: bytes) -> bytes:
    """*raw* without its (nested (comments)), as RFC 5322 allows around message ids; in one pass."""
    if b"(" not in raw:
        return raw
    out: list[bytes] = []
    depth = 0
    position = 0
    escaped_until = -1
    for match in _COMMENT_CHARS.finditer(raw):
        at = match.start()
        if at < escaped_until:
            continue
        char = raw[at]
        if char == 0x5C:  # backslash: the next character is literal
            escaped_until = at + 2
        elif char == 0x28:
            if depth == 0:
                out.append(raw[position:at])
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                position = at + 1
    if depth == 0:
        out.append(raw[position:])
    return b"".join(out)


def message_ids(raw: bytes) -> list[str]:
    """The ``<ids>`` in a References or In-Reply-To value, in order, without brackets; comments ignored.

    Ids are decoded as Latin-1 (every byte to one character) so that two different ids never become one.
    """
    if b"(" not in raw:
        plain = _PLAIN_ID.findall(raw)
        if len(plain) == raw.count(b"<"):  # no comments, no spaces inside brackets: the usual case
            return b" ".join(plain).decode("latin-1").split(" ") if plain else []
    found = _ID.findall(strip_comments(raw))
    return [b"".join(part.split()).decode("latin-1") for part in found if part.strip()]


def message_id(raw: bytes) -> str | None:
    """A ``Message-ID`` value without brackets; a bare id is accepted; None when there is none at all."""
    plain = _ONE_PLAIN_ID.match(raw)
    if plain is not None:
        return plain.group(1).decode("latin-1")
    ids = message_ids(raw)
    if ids:
        return ids[0]
    bare = strip_comments(raw).strip()
    return bare.decode("latin-1") if bare and not any(space in bare for space in b" \t\n") else None


# Dates ------------------------------------------------------------------------------------------

_DATE = re.compile(
    rb"\s*(?:[A-Za-z]+\s*,?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3})[A-Za-z]*\.?[\s-]+(\d{2,4})\s+"
    rb"(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?(?:\.\d+)?\s*(?:([+-])(\d\d):?(\d\d)|([A-Za-z]{1,5})\b)?"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        (b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec"), 1
    )
}
_ZONES = {
    b"ut": 0,
    b"utc": 0,
    b"gmt": 0,
    b"z": 0,
    b"est": -5 * 60,
    b"edt": -4 * 60,
    b"cst": -6 * 60,
    b"cdt": -5 * 60,
    b"mst": -7 * 60,
    b"mdt": -6 * 60,
    b"pst": -8 * 60,
    b"pdt": -7 * 60,
}
"""The zone names RFC 5322 §4.3 defines; any other name means an unknown zone, read as UTC."""
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def parse_date(raw: bytes) -> tuple[str, float] | None:
    """A ``Date`` value as (ISO-8601 text with its zone, seconds since 1970 UTC); None when it is not a date.

    The usual ``Mon, 04 Mar 2019 10:00:00 +0100`` takes a fast path that remembers
    each day and zone it has seen (an archive spans a few thousand days); RFC 5322's
    other forms (no weekday, two-digit years, zone names) go through a regular
    expression, and anything else through :func:`email.utils.parsedate_tz`.
    """
    parts = raw.split(None, 6)
    if parts and parts[0][-1:] == b",":
        del parts[0]
    if len(parts) < 5:
        return _parse_regular(raw)
    day = _DAYS.get((parts[0], parts[1], parts[2]))
    zone = _ZONE_TEXT.get(parts[4])
    if day is None or zone is None:
        if not _learn(parts):
            return _parse_regular(raw)
        day, zone = _DAYS[(parts[0], parts[1], parts[2])], _ZONE_TEXT[parts[4]]
    clock = parts[3]
    if len(clock) != 8 or clock[2] != 0x3A or clock[5] != 0x3A or not clock.isascii():
        return _parse_regular(raw)
    try:
        hour, minute, second = int(clock[:2]), int(clock[3:5]), int(clock[6:])
    except ValueError:
        return _parse_regular(raw)
    if hour > 23 or minute > 59 or second > 59:
        return _parse_regular(raw)
    seconds = day[1] * 86400 + hour * 3600 + minute * 60 + second - zone[1] * 60
    return day[0] + clock.decode("ascii") + zone[0], float(seconds)


_DAYS: dict[tuple[bytes, bytes, bytes], tuple[str, int]] = {}
"""``(b"04", b"Mar", b"2019")`` to ``("2019-03-04T", days since 1970)``, filled as dates are parsed."""
_ZONE_TEXT: dict[bytes, tuple[str, int]] = {}
"""``b"+0100"`` to ``("+01:00", 60)``."""
_MOST_REMEMBERED = 100_000
_NUMERIC_ZONE = re.compile(rb"[+-]\d{4}\Z")


def _learn(parts: list[bytes]) -> bool:
    """Remember the day and zone of *parts* when they are well-formed; True when both are now known."""
    day_text, month_name, year_text, _, zone_text = parts[:5]
    month = _MONTHS.get(month_name[:3].lower()) if month_name.isalpha() else None
    if not (day_text.isdigit() and year_text.isdigit() and len(year_text) == 4 and month is not None):
        return False
    year, day = int(year_text), int(day_text)
    if _from_fields(year, month, day, 0, 0, 0, 0) is None:
        return False
    if _NUMERIC_ZONE.match(zone_text):
        offset = int(zone_text[1:3]) * 60 + int(zone_text[3:5])
        offset = -offset if zone_text[:1] == b"-" else offset
    elif zone_text.lower() in _ZONES:
        offset = _ZONES[zone_text.lower()]
    else:
        return False
    if abs(offset) >= 24 * 60:
        return False
    if max(len(_DAYS), len(_ZONE_TEXT)) > _MOST_REMEMBERED:
        _DAYS.clear()
        _ZONE_TEXT.clear()
    _DAYS[(day_text, month_name, year_text)] = (
        f"{year:04d}-{month:02d}-{day:02d}T",
        _days_from_civil(year, month, day),
    )
    _ZONE_TEXT[zone_text] = (_zone(offset), offset)
    return True


def _parse_regular(raw: bytes) -> tuple[str, float] | None:
    match = _DATE.match(raw)
    if match is None:
        return _parse_slowly(raw)
    day, month_name, year_text, hour, minute, second, sign, zone_hours, zone_minutes, zone_name = match.groups()
    month = _MONTHS.get(month_name.lower())
    if month is None:
        return _parse_slowly(raw)
    year = int(year_text)
    if year < 100:
        year += 2000 if year < 50 else 1900
    elif year < 1000:
        year += 1900
    if sign is not None:
        offset = int(zone_hours) * 60 + int(zone_minutes)
        if sign == b"-":
            offset = -offset
    else:
        offset = _ZONES.get(zone_name.lower(), 0) if zone_name else 0
    return _from_fields(year, month, int(day), int(hour), int(minute), int(second or 0), offset)


def _parse_slowly(raw: bytes) -> tuple[str, float] | None:
    text = unfold(raw).decode("latin-1")
    try:
        fields = parsedate_tz(text)
    except (ValueError, IndexError, TypeError, OverflowError):
        fields = None
    if fields is None:
        return None
    year, month, day, hour, minute, second = fields[:6]
    offset = (fields[9] or 0) // 60
    return _from_fields(year, month, day, hour, minute, second, offset)


def _from_fields(
    year: int, month: int, day: int, hour: int, minute: int, second: int, offset: int
) -> tuple[str, float] | None:
    if not (1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1] and hour < 24 and minute < 60):
        return None
    if month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return None
    if not (1 <= year <= 9999 and abs(offset) < 24 * 60):
        return None
    second = min(second, 59)  # a leap second
    text = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}{_zone(offset)}"
    seconds = _days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset * 60
    return text, float(seconds)


def _zone(offset: int) -> str:
    return f"{'-' if offset < 0 else '+'}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date: plain arithmetic, no datetime object per message."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468
