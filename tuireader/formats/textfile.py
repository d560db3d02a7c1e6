"""Sources a format can read: a file (gzip-compressed or not), standard input's bytes, or a directory.

Holding a 70 MB file as one string while its posts are built would cost as much
memory again as the posts themselves, so formats that can stream read chunks
that end at line boundaries; only formats that need the whole text (JSON) join them.
Every line end (CR, LF or CRLF, mixed as they come) reaches the formats as LF,
as universal newlines do, so no format can lose structure to old-Mac line ends.
"""

from __future__ import annotations

import codecs
import gzip
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from tuireader.errors import InputError
from tuireader.formats.base import Source
from tuireader.safeopen import open_checked

SNIFF_BYTES = 65536
"""How much of the file decides its format (and whether it is binary)."""
CHUNK_BYTES = 1 << 20
_BINARY_PROBE = 8192
GZIP_MAGIC = b"\x1f\x8b"


def check_start(start: bytes, name: str, *, whole: bool) -> bool:
    """Refuse an empty or binary file from its first bytes; True when it is UTF-16 (it has a UTF-16 BOM)."""
    if whole and not start.strip():
        raise InputError(name, "empty file: there is no thread in it")
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\0" in start[:_BINARY_PROBE]:
        raise InputError(name, "binary file (it holds NUL bytes): not a thread file")
    return False


def universal_newlines(text: str) -> str:
    """CRLF and lone CR as LF."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode a whole file's bytes by the same rules as :class:`TextFile`, with warnings."""
    if check_start(data, name, whole=True):
        try:
            return universal_newlines(data.decode("utf-16")), []
        except UnicodeDecodeError as error:
            raise InputError(name, f"not valid UTF-16 at byte {error.start}") from None
    try:
        return universal_newlines(data.decode("utf-8-sig")), []
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        warning = f"{name}:{line}: not valid UTF-8; bad bytes are shown as \ufffd"
        return universal_newlines(data.decode("utf-8-sig", errors="replace")), [warning]


class TextFile(Source):
    """A readable regular file (or standard input's bytes) of UTF-8 or BOM-marked UTF-16 text, checked at open.

    Refuses, with an :class:`InputError`, what is not a readable regular file, an
    empty file and a binary file, so a FIFO or a device never blocks the reader.
    A gzip-compressed file is read through gzip, whatever its name. Bad UTF-8 is
    replaced (U+FFFD) with a warning naming the first bad line; a file that changes
    while it is read gets a warning too, since what was read may be cut short.
    """

    is_dir = False

    def __init__(self, path: str | Path, data: bytes | None = None) -> None:
        self.path = str(path)
        self.warnings: list[str] = []
        self._data = data
        self._stamp: tuple[int, int, int] | None = None
        with self._open_plain() as handle:
            if data is None:
                info = os.fstat(handle.fileno())
                self._stamp = (info.st_ino, info.st_size, info.st_mtime_ns)
            magic = self._read(handle, 2)  # the first read: where a device's EIO shows up
        self._gzip = magic == GZIP_MAGIC
        with self.binary() as handle:
            start = self._read(handle, SNIFF_BYTES)
        self._utf16 = check_start(start, self.path, whole=len(start) < SNIFF_BYTES)
        self.head_bytes = start
        self.head = universal_newlines(self._decode_head(start))
        """The file's first characters (about 64 KiB), for sniffing the format."""

    def _open_plain(self) -> BinaryIO:
        if self._data is not None:
            return io.BytesIO(self._data)
        return open_checked(self.path, what="thread file")

    def binary(self) -> BinaryIO:
        handle = self._open_plain()
        if self._gzip:
            return gzip.GzipFile(fileobj=handle, mode="rb")  # type: ignore[return-value]
        return handle

    def _read(self, handle: BinaryIO, size: int = -1) -> bytes:
        try:
            return handle.read(size)
        except (OSError, EOFError, gzip.BadGzipFile) as error:
            raise InputError(self.path, f"cannot read: {_reason(error)}") from None

    def _decode_head(self, start: bytes) -> str:
        encoding = "utf-16" if self._utf16 else "utf-8-sig"
        return codecs.getincrementaldecoder(encoding)(errors="replace").decode(start, final=False)

    def read(self) -> str:
        """The whole text, decoded at once: joining chunks copies a file without line ends (most JSON) per chunk."""
        with self.binary() as handle:
            data = self._read(handle)
        text, warnings = decode(data, self.path)
        self.warnings.extend(warnings)
        self._check_unchanged()
        return text

    def chunks(self) -> Iterator[str]:
        if self._utf16:
            yield from self._utf16_chunks()
            return
        decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
        lines_before = 0
        carry = ""
        with self.binary() as handle:
            while True:
                data = self._read(handle, CHUNK_BYTES)
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
                text = carry + text
                if final:
                    self._check_unchanged()
                    if text:
                        yield universal_newlines(text)
                    return
                if text.endswith("\r"):  # its LF may come in the next piece
                    text, carry = text[:-1], "\r"
                else:
                    carry = ""
                text = universal_newlines(text)
                cut = text.rfind("\n") + 1
                if cut:
                    yield text[:cut]
                    carry = text[cut:] + carry
                else:
                    carry = text + carry

    def _check_unchanged(self) -> None:
        """Warn when the file was truncated, grown or replaced while it was read: the last post may be cut."""
        if self._stamp is None:
            return
        try:
            info = os.stat(self.path)
        except OSError:
            info = None
        if info is None or (info.st_ino, info.st_size, info.st_mtime_ns) != self._stamp:
            self.warnings.append(
                f"{self.path}: the file changed while it was being read; the last posts may be cut short "
                "(open it again to read it as it is now)"
            )

    def _utf16_chunks(self) -> Iterator[str]:
        with self.binary() as handle:
            data = self._read(handle)
        try:
            text = universal_newlines(data.decode("utf-16"))
        except UnicodeDecodeError as error:
            raise InputError(self.path, f"not valid UTF-16 at byte {error.start}") from None
        del data
        self._check_unchanged()
        position = 0
        while position < len(text):
            cut = text.find("\n", position + CHUNK_BYTES)
            stop = len(text) if cut < 0 else cut + 1
            yield text[position:stop]
            position = stop


class Directory(Source):
    """A directory: only formats that read directories (Maildir) claim one."""

    is_dir = True
    head = ""
    head_bytes = b""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.warnings = []

    def chunks(self) -> Iterator[str]:
        raise InputError(self.path, "is a directory, not a thread file")

    def binary(self) -> BinaryIO:
        raise InputError(self.path, "is a directory, not a thread file")


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
