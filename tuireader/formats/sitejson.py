"""What the formats for websites' JSON share: reading the document at any depth, times, links, bad values.

A site's thread JSON nests each reply inside its parent (Reddit wraps every level
in four containers), so a long reply chain is nested deeper than the C decoder of
:mod:`json` goes: it stops with a RecursionError at about a thousand levels. Such
documents are read again by :func:`_decode_iteratively`, which keeps its own stack;
it is about ten times slower than the C decoder but takes any depth, so a
100,000-deep chain loads. Real threads never get there and take the C decoder.
"""

from __future__ import annotations

import gc
import json
import math
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tuireader.body import PARAGRAPH, Block, Body, Span
from tuireader.errors import ParseError

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_BLANK = frozenset(" \t\n\r")
_NUMBER = re.compile(r"(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_PLAIN_STRING = r'"([^"\\\x00-\x1f]*)"'
_MEMBER = re.compile(
    rf"{_PLAIN_STRING}[ \t\n\r]*:[ \t\n\r]*"
    rf"(?:(?:{_PLAIN_STRING}|{_NUMBER.pattern}|(null|true|false))[ \t\n\r]*([,}}])[ \t\n\r]*|(?=([{{[])))"
)
"""An object member whose name needs no decoding (no escapes): with a plain value (no escapes, not a container)
and the delimiter after it, or up to the ``{`` or ``[`` that starts its value."""
_CONSTANTS: tuple[tuple[str, Any], ...] = (
    ("null", None),
    ("true", True),
    ("false", False),
    ("NaN", math.nan),
    ("Infinity", math.inf),
    ("-Infinity", -math.inf),
)
"""The words :func:`json.loads` accepts as values (the last three are not JSON, but Python reads them)."""
_scan_string = json.decoder.scanstring  # type: ignore[attr-defined]  # the C one where there is one
_ISO_DATE = "%Y-%m-%dT"
_TWO_DIGITS = tuple(f"{number:02d}" for number in range(60))
_DAYS: dict[int, str] = {}
"""The ISO date of each day seen (days since 1970), up to the ``T``: see :func:`utc_text`."""
_DAYS_KEPT = 1 << 16


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a document is decoded and walked into posts.

    Neither holds a reference cycle, and left running the collector walks the
    growing document again and again: that more than doubles the time of a big thread.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_document(text: str, path: str) -> Any:
    """The decoded JSON document *text*, or a :class:`ParseError` with the line where it goes wrong."""
    text = text.removeprefix("\ufeff")
    try:
        try:
            return json.loads(text)
        except RecursionError:
            return _decode_iteratively(text)
    except json.JSONDecodeError as error:
        raise ParseError(path, f"invalid JSON: {error.msg} (column {error.colno})", line=error.lineno) from None
    except ValueError:  # the one other failure: an integer with more digits than Python converts
        raise ParseError(path, "invalid JSON: a number too long to read") from None


def load_object(text: str, path: str, expected: str) -> dict[str, Any]:
    """The decoded JSON object *text*; a :class:`ParseError` naming *expected* (``a Lobsters story``) for any other
    document, or where the JSON goes wrong."""
    document = load_document(text, path)
    if type(document) is not dict:
        raise ParseError(path, f"expected {expected} (a JSON object), got {describe(document)}", line=1)
    return document


def _decode_iteratively(text: str) -> Any:
    """What :func:`json.loads` returns for *text*, with the open containers on a list instead of the C stack.

    Most members are a plain name and a plain value (no escapes, not a container):
    one match of :data:`_MEMBER` reads such a member with the delimiter after it, or
    a plain name up to its container. Everything else goes through the general path, whose strings are read by the
    C ``scanstring`` that :mod:`json` uses, so they decode (and fail) exactly as there;
    errors are the same :class:`json.JSONDecodeError`, at the same positions.
    """
    skip, number, scan, blank = _skip, _NUMBER.match, _scan_string, _BLANK
    member = _MEMBER.match
    words = dict(_CONSTANTS)
    names: dict[str, str] = {}  # one string per member name, as json.loads shares them
    containers: list[Any] = []
    keys: list[str] = []
    value: Any
    position = skip(text, 0)
    in_object = False  # whether the next thing to read is a member name (after "{" or a comma in an object)
    while True:
        if in_object:
            in_object = False
            container = containers[-1]
            closed = False
            while not closed:
                match = member(text, position)
                if match is None:  # a name or a value with escapes, or no member at all: the general path
                    key, position = _member_name(text, position)
                    keys[-1] = names.setdefault(key, key)
                    break
                key, string, whole, fraction, exponent, word, delimiter, opener = match.groups()
                key = names.setdefault(key, key)
                position = match.end()
                if opener is not None:
                    keys[-1] = key
                    break
                if string is not None:
                    container[key] = string
                elif whole is not None:
                    container[key] = _number_value(whole, fraction, exponent)
                else:
                    container[key] = words[word]
                closed = delimiter == "}"
            if not closed:
                continue  # to read the member's value, of any kind
            value = containers.pop()
            keys.pop()
        else:
            char = text[position : position + 1]
            if char == "{":
                position += 1
                if text[position : position + 1] in blank:
                    position = skip(text, position)
                if text.startswith("}", position):
                    value, position = {}, position + 1
                else:
                    containers.append({})
                    keys.append("")
                    in_object = True
                    continue
            elif char == "[":
                position += 1
                if text[position : position + 1] in blank:
                    position = skip(text, position)
                if text.startswith("]", position):
                    value, position = [], position + 1
                else:
                    containers.append([])
                    keys.append("")
                    continue
            elif char == '"':
                value, position = scan(text, position + 1, True)
            else:
                match = number(text, position)
                if match is not None:
                    value = _number_value(*match.groups())
                    position = match.end()
                else:
                    value, position = _constant(text, position)
        # A value is complete: store it in its container, and close every container it completes.
        while True:
            if text[position : position + 1] in blank:
                position = skip(text, position)
            if not containers:
                if position != len(text):
                    raise json.JSONDecodeError("Extra data", text, position)
                return value
            container = containers[-1]
            delimiter = text[position : position + 1]
            if type(container) is dict:
                container[keys[-1]] = value
                if delimiter == ",":
                    position = skip(text, position + 1)
                    in_object = True
                    break
                if delimiter != "}":
                    raise json.JSONDecodeError("Expecting ',' delimiter", text, position)
            else:
                container.append(value)
                if delimiter == ",":
                    position += 1
                    if text[position : position + 1] in blank:
                        position = skip(text, position)
                    break
                if delimiter != "]":
                    raise json.JSONDecodeError("Expecting ',' delimiter", text, position)
            position += 1
            value = containers.pop()
            keys.pop()


def _number_value(whole: str, fraction: str | None, exponent: str | None) -> int | float:
    """A JSON number as :func:`json.loads` gives it: an int unless it has a fraction or an exponent."""
    if fraction is None and exponent is None:
        return int(whole)
    return float(whole + (fraction or "") + (exponent or ""))


def _skip(text: str, position: int) -> int:
    """The position of the first character at or after *position* that is not JSON whitespace."""
    match = _WHITESPACE.match(text, position)
    assert match is not None  # the pattern matches the empty string everywhere
    return match.end()


def _member_name(text: str, position: int) -> tuple[str, int]:
    """An object member's name and the position of its value."""
    if not text.startswith('"', position):
        raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, position)
    key, position = _scan_string(text, position + 1, True)
    position = _skip(text, position)
    if not text.startswith(":", position):
        raise json.JSONDecodeError("Expecting ':' delimiter", text, position)
    return key, _skip(text, position + 1)


def _constant(text: str, position: int) -> tuple[Any, int]:
    for word, value in _CONSTANTS:
        if text.startswith(word, position):
            return value, position + len(word)
    raise json.JSONDecodeError("Expecting value", text, position)


def utc_text(seconds: object) -> str | None:
    """Unix *seconds* as ISO 8601 UTC text (``2024-05-02T09:15:00Z``); None for anything but a usable number.

    Every post has a time, so each day's date is formatted once and kept: the
    time of day from a table of two-digit numbers costs a third of ``strftime``.
    """
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
        return None
    try:
        day, second = divmod(int(seconds // 1), 86_400)
        date = _DAYS.get(day)
        if date is None:
            if len(_DAYS) >= _DAYS_KEPT:
                _DAYS.clear()
            date = _DAYS[day] = time.strftime(_ISO_DATE, time.gmtime(day * 86_400))
    except (OverflowError, OSError, ValueError):  # out of the platform's range, or NaN
        return None
    minute, second = divmod(second, 60)
    hour, minute = divmod(minute, 60)
    two = _TWO_DIGITS
    return f"{date}{two[hour]}:{two[minute]}:{two[second]}Z"


def describe(value: object) -> str:
    """A short, inert rendering of a bad value for a warning or an error."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return "a number"
    shown = json.dumps(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def body_with_link(link: str, text: str) -> str:
    """The plain body of a submission that links somewhere: the address on its first line, then its own text."""
    return f"{link}\n\n{text}" if text else link


def split_link(body: str, link: str) -> tuple[Body, str]:
    """The link as a block and the rest of a body made by :func:`body_with_link`; no block when it has no link."""
    if not link or not body.startswith(link):
        return (), body
    return (Block(PARAGRAPH, (Span(link, link=link),)),), body[len(link) :].lstrip("\n")
