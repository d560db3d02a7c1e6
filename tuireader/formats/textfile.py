"""A thread file opened as text without reading it all: its start for sniffing, then decoded chunks.

Holding a 70 MB file as one string while its posts are built would cost as much
memory again as the posts themselves, so formats that can stream read chunks
that end at line boundaries; only formats that need the whole text (JSON) join them.
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from tuireader.errors import InputError

SNIFF_BYTES = 65536
"""How much of the file decides its format (and whether it is binary)."""
CHUNK_BYTES = 1 << 20
_BINARY_PROBE = 8192


def check_start(start: bytes, name: str, *, whole: bool) -> bool:
    """Refuse an empty or binary file from its first bytes; True when it is UTF-16 (it has a UTF-16 BOM)."""
    if whole and not start.strip():
        raise InputError(name, "empty file: there is no thread in it")
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\0" in start[:_BINARY_PROBE]:
        raise InputError(name, "binary file (it holds NUL bytes): not a thread file")
    return False


def decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode a whole file's bytes by the same rules as :class:`TextFile`, with warnings."""
    if check_start(data, name, whole=True):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as error:
            raise InputError(name, f"not valid UTF-16 at byte {error.start}") from None
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        warning = f"{name}:{line}: not valid UTF-8; bad bytes are shown as \ufffd"
        return data.decode("utf-8-sig", errors="replace"), [warning]


class TextFile:
    """A readable regular file of UTF-8 (or BOM-marked UTF-16) text, checked at open.

    Refuses, with an :class:`InputError`, what is not a readable regular file, an
    empty file and a binary file, so a FIFO or a device never blocks the reader.
    Bad UTF-8 is replaced (U+FFFD) with a warning naming the first bad line.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.warnings: list[str] = []
        with self._open() as handle:
            size = os.fstat(handle.fileno()).st_size
            start = handle.read(SNIFF_BYTES)
        self._utf16 = check_start(start, self.path, whole=size <= len(start))
        self.head = self._decode_head(start)
        """The file's first characters (about 64 KiB), for sniffing the format."""

    def _open(self) -> BinaryIO:
        """Open the file without waiting, then check what was opened (not what the path named a moment before).

        Opening a FIFO for reading waits for a writer; with O_NONBLOCK it returns at
        once, and ``fstat`` on the open file refuses it, even if the path was swapped
        for a FIFO after an earlier check.
        """
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            descriptor = os.open(self.path, flags)
        except FileNotFoundError:
            raise InputError(self.path, "no such file") from None
        except IsADirectoryError:
            raise InputError(self.path, "is a directory, not a thread file") from None
        except PermissionError:
            raise InputError(self.path, "permission denied") from None
        except OSError as error:
            raise InputError(self.path, error.strerror or "cannot read") from None
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            os.close(descriptor)
            if stat.S_ISDIR(mode):
                raise InputError(self.path, "is a directory, not a thread file")
            raise InputError(self.path, "not a regular file (a pipe, socket or device); save it to a file first")
        return os.fdopen(descriptor, "rb")

    def _decode_head(self, start: bytes) -> str:
        encoding = "utf-16" if self._utf16 else "utf-8-sig"
        return codecs.getincrementaldecoder(encoding)(errors="replace").decode(start, final=False)

    def chunks(self) -> Iterator[str]:
        """The whole text in pieces of about 1 MiB, each ending at a line end (the last may not)."""
        if self._utf16:
            yield from self._utf16_chunks()
            return
        decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
        lines_before = 0
        carry = ""
        with self._open() as handle:
            while True:
                data = handle.read(CHUNK_BYTES)
                final = not data
                try:
                    text = decoder.decode(data, final=final)
                except UnicodeDecodeError as error:
                    line = lines_before + data.count(b"\n", 0, max(error.start, 0)) + 1
                    self.warnings.append(f"{self.path}:{line}: not valid UTF-8; bad bytes are shown as \ufffd")
                    pending, _ = decoder.getstate()
                    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
                    text = decoder.decode(pending + data, final=final)
                lines_before += data.count(b"\n")
                if final:
                    if carry or text:
                        yield carry + text
                    return
                cut = text.rfind("\n") + 1
                if cut:
                    yield carry + text[:cut]
                    carry = text[cut:]
                else:
                    carry += text

    def _utf16_chunks(self) -> Iterator[str]:
        with self._open() as handle:
            data = handle.read()
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise InputError(self.path, f"not valid UTF-16 at byte {error.start}") from None
        del data
        position = 0
        while position < len(text):
            cut = text.find("\n", position + CHUNK_BYTES)
            stop = len(text) if cut < 0 else cut + 1
            yield text[position:stop]
            position = stop

    def read(self) -> str:
        """The whole text at once, for formats that cannot stream."""
        return "".join(self.chunks())
