"""Mail archives for benchmarks, and how fast tuireader opens them beside NeoMutt's threaded index.

Generates, deterministically, a mailing-list archive of N messages as an mbox and
(up to 100,000 messages) as a Maildir: made-up words and names, threads rebuilt
from References and In-Reply-To, some encoded-word names and subjects, quoted-
printable and base64 bodies, HTML-only messages, attachments and replies that
lost their references (threaded by subject). Then it prints one table: per
archive its size, our first screen (``open_source`` and the first 500 posts, as
the reader does before it draws), NeoMutt's time to show its threaded index of the
same file, our peak memory (``tuireader.formats.load`` of every post) beside
NeoMutt's (VmHWM), and for a Maildir what finding and reading each file once costs
(what a Maildir may add over an mbox). Each measurement runs in a fresh process;
times are wall clock with the CPU time in them, since the machine may be shared.

Usage::

    python benchmarks/mail_bench.py [--sizes 5000,100000] [--repeat 3] [--gzip] [--no-neomutt] [--generate-only]

The 1,000,000-message archive (about 800 MB, no Maildir) is opt-in: ``--sizes 1000000``.
Files are kept in ``benchmarks/out/`` (keyed by size and seed), so a second run
reuses them. NeoMutt comes from Debian (``apt-get install -y neomutt``) and runs
inside tmux; without them the table says n/a for NeoMutt.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "benchmarks" / "out"
sys.path.insert(0, str(REPO / "benchmarks"))

from generate import _FIRST_NAMES, _SURNAMES, _WORDS  # noqa: E402  (the same home-made word lists)

DEFAULT_SIZES = (5_000, 100_000)
MAILDIR_LIMIT = 100_000
"""Sizes above this get no Maildir: a million small files costs minutes to write and says nothing new."""
FIRST_SCREEN_POSTS = 500
START = datetime(2019, 3, 4, 8, 0, tzinfo=timezone.utc)
LIST_TAG = "[frob-dev]"
LIST_ADDRESS = "frob-dev@lists.example.org"
ACTIVE_THREADS = 300
"""Threads still drawing replies: older ones fall silent, as on a real list."""
NEW_THREAD_SHARE = 0.2
LOST_REFERENCES_SHARE = 0.01
"""Replies whose client dropped In-Reply-To and References: only the subject links them."""
ZONES = tuple(timezone(timedelta(hours=hours)) for hours in (0, 1, 2, -5, -8, 9, 5.5))
ACCENTED_NAMES = ("Zoë", "Jürgen", "Åsa", "Françoise", "Łukasz", "Nuño", "Søren", "Ilkka", "Çağla", "Dvořák")
ACCENTED_WORDS = ("über", "naïve", "café", "façade", "smörgåsbord", "jalapeño", "crème", "résumé")


@dataclass
class _Thread:
    subject: str
    messages: list[tuple[str, list[str], str]] = field(default_factory=list)
    """(Message-ID, References, first paragraph) of each message so far."""


class _Writer:
    """One archive's messages, written as an mbox and optionally as a Maildir's files."""

    def __init__(self, mbox: Path, maildir: Path | None) -> None:
        self.mbox = mbox.open("wb")
        self.maildir = maildir
        if maildir is not None:
            for sub in ("cur", "new", "tmp"):
                (maildir / sub).mkdir(parents=True, exist_ok=True)

    def write(self, number: int, sender: str, when: datetime, message: bytes) -> None:
        stamp = when.astimezone(timezone.utc).strftime("%a %b %d %H:%M:%S %Y")
        body_quoted = message.replace(b"\nFrom ", b"\n>From ")
        self.mbox.write(f"From {sender} {stamp}\n".encode() + body_quoted + b"\n")
        if self.maildir is not None:
            name = f"{int(when.timestamp())}.M{number}P1.bench:2,S"
            (self.maildir / "cur" / name).write_bytes(message)

    def close(self) -> None:
        self.mbox.close()


def _encoded_word(text: str, rng: random.Random) -> str:
    """*text* as an RFC 2047 encoded word, Q or B, in UTF-8 or Latin-1 when it fits."""
    charset = "iso-8859-1" if rng.random() < 0.3 and all(ord(c) < 256 for c in text) else "utf-8"
    data = text.encode(charset)
    if rng.random() < 0.5:
        return f"=?{charset}?b?{base64.b64encode(data).decode()}?="
    quoted = "".join(chr(b) if chr(b).isalnum() else f"={b:02X}" for b in data).replace("=20", "_")
    return f"=?{charset}?q?{quoted}?="


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(4, 12))]
    if rng.random() < 0.05:
        words[rng.randrange(len(words))] = rng.choice(ACCENTED_WORDS)
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice((".", ".", ".", "?", "!"))


def _paragraph(rng: random.Random) -> str:
    """One or two sentences wrapped at 72 columns, as a mail client sends them."""
    words = " ".join(_sentence(rng) for _ in range(rng.randint(1, 2))).split()
    lines, line = [], ""
    for word in words:
        if line and len(line) + len(word) >= 72:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


def _people(rng: random.Random) -> list[tuple[str, str]]:
    """About 1,500 (display name, address) pairs; a few names need encoded words."""
    people = []
    for number in range(1_500):
        first = rng.choice(ACCENTED_NAMES) if rng.random() < 0.05 else rng.choice(_FIRST_NAMES)
        last = rng.choice(_SURNAMES)
        address = f"{first.encode('ascii', 'ignore').decode().lower() or 'x'}.{last.lower()}{number}@example.org"
        people.append((f"{first} {last}", address))
    return people


def _mime_body(rng: random.Random, text: str, number: int) -> tuple[str, bytes]:
    """The Content-* header lines and the encoded body: mostly 8bit, some QP, base64, HTML-only, attachments."""
    kind = rng.random()
    raw = text.encode()
    if kind < 0.80:
        return "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n", raw
    if kind < 0.90:
        return (
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n",
            binascii.b2a_qp(raw),
        )
    if kind < 0.94:
        return (
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n",
            base64.encodebytes(raw),
        )
    if kind < 0.97:
        paragraphs = "".join(f"<p>{part.replace(chr(10), ' ')}</p>\n" for part in text.split("\n\n"))
        html = f"<html><body>\n{paragraphs}</body></html>\n"
        return "Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 8bit\n", html.encode()
    boundary = f"=-=bench-{number}-=-"
    payload = base64.encodebytes(rng.randbytes(rng.randint(200, 1_500)))
    name = f"{rng.choice(_WORDS)}-{number}.bin"
    body = (
        (
            f"--{boundary}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
            f'{text}\n--{boundary}\nContent-Type: application/octet-stream; name="{name}"\n'
            f'Content-Disposition: attachment; filename="{name}"\nContent-Transfer-Encoding: base64\n\n'
        ).encode()
        + payload
        + f"--{boundary}--\n".encode()
    )
    return f'Content-Type: multipart/mixed; boundary="{boundary}"\n', body


def generate(messages: int, seed: int, mbox: Path, maildir: Path | None) -> None:
    """Write *messages* list messages, in date order, to *mbox* (and *maildir*); the same seed gives the same bytes."""
    rng = random.Random(seed)
    people = _people(rng)
    writer = _Writer(mbox, maildir)
    threads: list[_Thread] = []
    when = START
    try:
        for number in range(messages):
            when += timedelta(seconds=rng.randint(5, 900))
            name, address = people[
                min(int(rng.paretovariate(1.1)) - 1, len(people) - 1)
                if rng.random() < 0.5
                else rng.randrange(len(people))
            ]
            message_id = (
                f"{when.strftime('%Y%m%d%H%M%S')}.{number}.{rng.choice(_WORDS).lower()}@{address.split('@')[1]}"
            )
            body = "\n\n".join(_paragraph(rng) for _ in range(rng.randint(1, 2)))
            first_paragraph = body.split("\n\n")[0]
            headers = [f"From: {_encoded_word(name, rng) if not name.isascii() else name} <{address}>"]
            headers.append(f"To: {LIST_ADDRESS}")
            if not threads or rng.random() < NEW_THREAD_SHARE:
                words = [rng.choice(_WORDS) for _ in range(rng.randint(3, 8))]
                if rng.random() < 0.05:
                    words[0] = rng.choice(ACCENTED_WORDS)
                thread = _Thread(" ".join(words).capitalize())
                threads.append(thread)
                if len(threads) > ACTIVE_THREADS:
                    threads.pop(0)
                references: list[str] = []
                subject = thread.subject
                prefix = ""
            else:
                thread = threads[min(int(rng.expovariate(1 / 40)), len(threads) - 1) * -1 - 1]
                parent = thread.messages[0] if rng.random() < 0.3 else rng.choice(thread.messages[-8:])
                references = [*parent[1], parent[0]]
                if len(references) > 6:
                    references = [references[0], *references[-5:]]
                subject = thread.subject
                prefix = "Re: "
                quoted = "\n".join(f"> {line}" for line in parent[2].split("\n")[:2])
                body = f"On {when.strftime('%a, %d %b %Y')}, someone wrote:\n{quoted}\n\n{body}"
                if rng.random() >= LOST_REFERENCES_SHARE:
                    headers.append(f"In-Reply-To: <{parent[0]}>")
                    headers.append("References: " + "\n ".join(f"<{ref}>" for ref in references))
            if not subject.isascii():
                headers.append(f"Subject: {prefix}{LIST_TAG} {_encoded_word(subject, rng)}")
            else:
                headers.append(f"Subject: {prefix}{LIST_TAG} {subject}")
            headers.append(f"Date: {format_datetime(when.astimezone(rng.choice(ZONES)))}")
            headers.append(f"Message-ID: <{message_id}>")
            headers.append("MIME-Version: 1.0")
            headers.append(f"List-Id: Frob developers <{LIST_ADDRESS.replace('@', '.')}>")
            if rng.random() < 0.3:
                body += f"\n\n-- \n{name}\n"
            content, encoded = _mime_body(rng, body + "\n", number)
            message = ("\n".join(headers) + "\n" + content + "\n").encode() + encoded
            writer.write(number, address, when, message)
            thread.messages.append((message_id, references, first_paragraph))
    finally:
        writer.close()


# Measuring ---------------------------------------------------------------------------------------

LOAD_SCRIPT = """
import resource, sys, time
start, cpu = time.perf_counter(), time.process_time()
from tuireader.formats import load
thread = load(sys.argv[1])
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(time.perf_counter() - start, time.process_time() - cpu, peak_kb, len(thread))
"""
"""Our whole index pass, threading and every post built: ``tuireader.formats.load``, imports included."""

FIRST_SCREEN_SCRIPT = """
import sys, time
from itertools import islice
start, cpu = time.perf_counter(), time.process_time()
from tuireader.formats import open_source
source = open_source(sys.argv[1])
thread = source.build(list(islice(source.posts, int(sys.argv[2]))))
thread.body_of(0)
print(time.perf_counter() - start, time.process_time() - cpu)
"""
"""What the reader does before its first screen (as ``cli._first_screen``), plus reading the first body."""

OPEN_EACH_FILE_SCRIPT = """
import os, sys, time
start, cpu = time.perf_counter(), time.process_time()
for folder, _, names in os.walk(sys.argv[1]):
    for name in names:
        descriptor = os.open(os.path.join(folder, name), os.O_RDONLY)
        os.read(descriptor, 16384)
        os.close(descriptor)
print(time.perf_counter() - start, time.process_time() - cpu)
"""
"""The cost a Maildir adds over an mbox of the same messages: finding, opening and reading each file once."""

NEOMUTT_LIMIT = 900.0
POLL_SECONDS = 0.005
_INDEX_LINE = re.compile(r"^\s*\d+ .{0,8}\b[A-Z][a-z]{2} \d\d ", re.MULTILINE)
"""A line of NeoMutt's index (number, flags, date): it shows one once the whole mailbox is read and threaded."""


@dataclass
class Timing:
    """Wall-clock seconds and the CPU seconds the process used in them.

    The machine is shared: wall time depends on what else runs, CPU time much less,
    so the table gives both, for us and NeoMutt alike.
    """

    wall: float
    cpu: float

    def __str__(self) -> str:
        return f"{self.wall:.2f} s ({self.cpu:.2f} s CPU)"


@dataclass
class Figures:
    """One archive's row of the table."""

    archive: str
    size: int
    posts: int
    load: Timing
    load_peak_mb: float
    first_screen: Timing
    neomutt: Timing | None
    neomutt_peak_mb: float | None
    files_opened: Timing | None
    """For a Maildir: finding and reading each file once, what it costs over an mbox."""


def _python(script: str, *arguments: str) -> list[str]:
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-c", script, *arguments]
    return subprocess.run(command, capture_output=True, text=True, check=True, env=environment).stdout.split()


def measure_ours(path: Path) -> tuple[Timing, float, int, Timing]:
    """Our load (and its peak memory and posts) and our first screen, each in a fresh process."""
    wall, cpu, peak_kb, posts = _python(LOAD_SCRIPT, str(path))
    first_wall, first_cpu = _python(FIRST_SCREEN_SCRIPT, str(path), str(FIRST_SCREEN_POSTS))
    return Timing(float(wall), float(cpu)), int(peak_kb) / 1024, int(posts), Timing(float(first_wall), float(first_cpu))


def measure_neomutt(path: Path) -> tuple[Timing, float] | None:
    """How long until NeoMutt's threaded index of *path* is on screen, and its peak memory (VmHWM) in MB.

    NeoMutt runs in a detached tmux session of 120x40; its screen is polled every few
    milliseconds until index lines show (for a Maildir NeoMutt opens at the newest message,
    not at number 1), and its CPU time is read from ``/proc`` at that moment. ``folder``
    is set so that NeoMutt does not stop to ask whether to create ``~/Mail``.
    """
    if shutil.which("neomutt") is None or shutil.which("tmux") is None:
        return None
    session = f"mailbench{os.getpid()}"
    command = f"exec neomutt -n -F /dev/null -e 'set folder={path.parent}' -e 'set sort=threads' -f '{path}'"
    started = time.perf_counter()
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", command], check=True)
    try:
        pid = int(_tmux("display", "-p", "-t", session, "#{pane_pid}"))
        peak_kb = 0
        while time.perf_counter() - started < NEOMUTT_LIMIT:
            peak_kb = max(peak_kb, _peak_kb(pid))
            if _INDEX_LINE.search(_tmux("capture-pane", "-p", "-t", session)):
                shown = Timing(time.perf_counter() - started, _cpu_seconds(pid))
                return shown, max(peak_kb, _peak_kb(pid)) / 1024
            time.sleep(POLL_SECONDS)
        return None
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def _tmux(*arguments: str) -> str:
    return subprocess.run(["tmux", *arguments], capture_output=True, text=True).stdout


def _peak_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_seconds(pid: int) -> float:
    """User and system time of process *pid* so far (fields 14 and 15 of ``/proc/PID/stat``)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(path: Path, neomutt: bool, repeat: int) -> Figures:
    """The best of *repeat* runs of each measurement (on a shared machine the best is the least disturbed)."""
    ours = [measure_ours(path) for _ in range(repeat)]
    theirs = [result for _ in range(repeat if neomutt else 0) if (result := measure_neomutt(path)) is not None]
    opened = None
    if path.is_dir():
        runs = [_python(OPEN_EACH_FILE_SCRIPT, str(path)) for _ in range(repeat)]
        opened = Timing(min(float(run[0]) for run in runs), min(float(run[1]) for run in runs))
    return Figures(
        archive=path.name,
        size=_size_on_disk(path),
        posts=ours[0][2],
        load=_best(run[0] for run in ours),
        load_peak_mb=min(run[1] for run in ours),
        first_screen=_best(run[3] for run in ours),
        neomutt=_best(run[0] for run in theirs) if theirs else None,
        neomutt_peak_mb=min(run[1] for run in theirs) if theirs else None,
        files_opened=opened,
    )


def _best(timings: Iterable[Timing]) -> Timing:
    runs = list(timings)
    return Timing(min(run.wall for run in runs), min(run.cpu for run in runs))


def _size_on_disk(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(file.stat().st_size for file in path.rglob("*") if file.is_file())


def table(rows: list[Figures]) -> str:
    """The figures as a Markdown table, ours beside NeoMutt's."""
    lines = [
        "| archive | size | posts | our first screen | NeoMutt threaded index | our peak memory (load) "
        "| NeoMutt peak memory | our load (all posts) | opening each file once |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row.archive} | {row.size / 1e6:.1f} MB | {row.posts:,} | {row.first_screen} "
            f"| {row.neomutt or 'n/a'} | {row.load_peak_mb:.0f} MB "
            f"| {'n/a' if row.neomutt_peak_mb is None else f'{row.neomutt_peak_mb:.0f} MB'} | {row.load} "
            f"| {row.files_opened or '—'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="message counts, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measurement; the best is shown")
    parser.add_argument("--generate-only", action="store_true", help="write the archives, measure nothing")
    parser.add_argument("--no-neomutt", action="store_true", help="leave out NeoMutt's figures")
    parser.add_argument("--gzip", action="store_true", help="also measure each mbox gzip-compressed")
    options = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    rows: list[Figures] = []
    for size in (int(part) for part in options.sizes.split(",")):
        mbox, maildir = archive_paths(size, options.seed)
        if not mbox.exists() or (maildir is not None and not maildir.exists()):
            started = time.perf_counter()
            partial = Path(f"{mbox}.partial")
            partial_dir = None if maildir is None else Path(f"{maildir}.partial")
            if partial_dir is not None and partial_dir.exists():
                shutil.rmtree(partial_dir)
            generate(size, options.seed, partial, partial_dir)
            partial.rename(mbox)
            if maildir is not None and partial_dir is not None:
                partial_dir.rename(maildir)
            print(f"wrote {mbox.name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        if options.generate_only:
            continue
        archives = [mbox] + ([maildir] if maildir is not None else [])
        if options.gzip:
            compressed = Path(f"{mbox}.gz")
            if not compressed.exists():
                subprocess.run(["gzip", "-k", "-f", str(mbox)], check=True)
            archives.append(compressed)
        for archive in archives:
            print(f"measuring {archive.name}…", file=sys.stderr)
            # NeoMutt reads no gzip file without its compress hooks: it measures only the plain archives.
            rows.append(measure(archive, not options.no_neomutt and archive.suffix != ".gz", options.repeat))
    if rows:
        print(table(rows))
    return 0


def archive_paths(size: int, seed: int) -> tuple[Path, Path | None]:
    """Where the archive of *size* messages lives: the mbox, and the Maildir when the size gets one."""
    stem = OUT / f"mail-{size}-s{seed}"
    return stem.with_suffix(".mbox"), (Path(f"{stem}.maildir") if size <= MAILDIR_LIMIT else None)


if __name__ == "__main__":
    raise SystemExit(main())
