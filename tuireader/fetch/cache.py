"""Threads fetched by address, kept as they came in the platform's cache folder, with a small index.

The cache folder is ``platformdirs.user_cache_dir("tuireader")``, or ``TUIREADER_CACHE_DIR``::

    index.json                      each thread's site, address, title, post count and when it was fetched
    threads/NAME/TIME.json          the copies of one thread, oldest first by name; the last three are kept

NAME comes from the thread's key (site, host, id): its letters and digits plus a hash,
never a name a server chose; TIME is when it was fetched (UTC). Every file is written
atomically (a temporary file beside it, checked, then renamed), so a failed fetch or a
full disk leaves the previous copy and index whole. Two readers fetching at the same
moment can lose one index entry (the last write wins), never a thread file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from tuireader.errors import InputError
from tuireader.fetch.sites import SITES, ThreadAddress

CACHE_DIR_VARIABLE = "TUIREADER_CACHE_DIR"
INDEX_NAME = "index.json"
INDEX_FORMAT = "tuireader-cache"
INDEX_VERSION = 1
KEEP_COPIES = 3
"""Copies kept of each thread: the newest, the one before it (what was new since then), and one spare."""
GZIP_MAGIC = b"\x1f\x8b"
_STAMP = "%Y%m%dT%H%M%S%fZ"
_COPY_NAME = re.compile(r"\d{8}T\d{12}Z\.(?:json|mbox)(?:\.gz)?")
_NAME_LENGTH = 60

_T = TypeVar("_T")


@dataclass(frozen=True)
class Description:
    """What the index says about a copy, read from the copy itself."""

    title: str
    posts: int


@dataclass(frozen=True)
class SavedThread:
    """One thread in the cache, as its newest copy describes it."""

    key: str
    site: str
    """The :attr:`~tuireader.fetch.sites.Site.name`."""
    address: str
    title: str
    posts: int
    fetched: datetime
    """When the newest copy was fetched, in UTC."""
    path: Path
    """The newest copy."""

    @property
    def site_label(self) -> str:
        """The site as a user calls it."""
        return next((site.label for site in SITES if site.name == self.site), self.site)


def cache_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """The cache folder: ``TUIREADER_CACHE_DIR`` when set, else the platform's cache folder for tuireader."""
    override = environ.get(CACHE_DIR_VARIABLE, "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("tuireader"))


def folder_name(key: str) -> str:
    """The folder of a thread's copies: readable, safe on every file system, and unique to *key*."""
    readable = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")[:_NAME_LENGTH].rstrip("-")
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{readable}-{digest}"


def write_atomically(path: Path, data: bytes, check: Callable[[Path], _T]) -> _T:
    """Put *data* at *path* whole or not at all: written beside it, *check* ed there, then renamed over it.

    *check* gets the temporary file and may raise to keep *path* as it was; what it returns is returned.
    """
    if path.is_dir():
        raise InputError(path, "is a directory; name a file to write the thread to")
    if path.exists() and not path.is_file():
        raise InputError(path, "is not a regular file (a device or a pipe); name a file to write the thread to")
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        with suppress(OSError):
            os.unlink(temporary)
        raise InputError(path, f"cannot write: {error.strerror or error}") from None
    try:
        result = check(temporary)
        os.replace(temporary, path)
    except OSError as error:
        raise InputError(path, f"cannot write: {error.strerror or error}") from None
    finally:
        with suppress(OSError):
            os.unlink(temporary)  # still there only when the check or the rename failed
    return result


class Cache:
    """The saved threads under one cache folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.index = root / INDEX_NAME
        self.threads = root / "threads"

    @classmethod
    def default(cls, environ: Mapping[str, str] = os.environ) -> Cache:
        """The cache in :func:`cache_dir`."""
        return cls(cache_dir(environ))

    def save(self, address: ThreadAddress, data: bytes, check: Callable[[Path], Description]) -> SavedThread:
        """Keep *data* as the newest copy of *address*'s thread if *check* accepts it; index it; drop old copies."""
        fetched = datetime.now(timezone.utc)
        folder = self.threads / folder_name(address.key)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InputError(folder, f"cannot create the cache folder: {error.strerror or error}") from None
        suffix = address.site.suffix + (".gz" if data.startswith(GZIP_MAGIC) else "")
        path = folder / (fetched.strftime(_STAMP) + suffix)
        entries = {saved.key: saved for saved in self.saved()}  # first: a bad index must stop the fetch unchanged
        description = write_atomically(path, data, check)
        entry = SavedThread(
            address.key, address.site.name, address.address, description.title, description.posts, fetched, path
        )
        entries[entry.key] = entry
        self._write_index(entries.values())
        for old in self.copies(address.key)[:-KEEP_COPIES]:
            with suppress(OSError):
                old.unlink()
        return entry

    def copies(self, key: str) -> list[Path]:
        """Every copy of the thread *key* names, oldest first."""
        folder = self.threads / folder_name(key)
        try:
            names = sorted(child.name for child in folder.iterdir() if _COPY_NAME.fullmatch(child.name))
        except OSError:
            return []
        return [folder / name for name in names]

    def latest(self, key: str) -> SavedThread | None:
        """The thread *key* names, if it was saved."""
        return next((saved for saved in self.saved() if saved.key == key), None)

    def saved(self) -> list[SavedThread]:
        """Every saved thread whose copy is still there, the most recently fetched first."""
        try:
            raw = self.index.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as error:
            raise InputError(self.index, f"cannot read: {error.strerror or error}") from None
        try:
            document = json.loads(raw)
        except (ValueError, RecursionError):
            document = None
        if not isinstance(document, dict) or document.get("format") != INDEX_FORMAT:
            raise InputError(self.index, "not a tuireader cache index; delete it, then fetch the threads again")
        if document.get("version") != INDEX_VERSION:
            raise InputError(self.index, "written by another version of tuireader; delete it, then fetch again")
        threads = document.get("threads")
        entries = (self._entry(key, value) for key, value in threads.items()) if isinstance(threads, dict) else ()
        return sorted((entry for entry in entries if entry is not None), key=lambda entry: entry.fetched, reverse=True)

    def _entry(self, key: str, raw: Any) -> SavedThread | None:
        """The index entry as a thread, or None when it is malformed or its copy is gone."""
        if not isinstance(raw, dict):
            return None
        site, address, title, posts, fetched, name = (
            raw.get(field) for field in ("site", "address", "title", "posts", "fetched", "file")
        )
        texts_ok = all(isinstance(value, str) for value in (site, address, title, fetched, name))
        if not texts_ok or type(posts) is not int or not _COPY_NAME.fullmatch(str(name)):
            return None
        try:
            when = datetime.fromisoformat(str(fetched))
        except ValueError:
            return None
        path = self.threads / folder_name(key) / str(name)
        if when.tzinfo is None or not path.is_file():
            return None
        return SavedThread(key, str(site), str(address), str(title), posts, when, path)

    def _write_index(self, entries: Iterable[SavedThread]) -> None:
        threads = {
            entry.key: {
                "site": entry.site,
                "address": entry.address,
                "title": entry.title,
                "posts": entry.posts,
                "fetched": entry.fetched.isoformat(),
                "file": entry.path.name,
            }
            for entry in entries
        }
        document = {"format": INDEX_FORMAT, "version": INDEX_VERSION, "threads": threads}
        data = json.dumps(document, indent=1).encode("ascii") + b"\n"
        write_atomically(self.index, data, lambda _path: None)
