"""Deterministic synthetic threads for benchmarks and hostile-input tests.

Writes a thread of any size in the plain-text forum export layout or the native
JSON format. The same seed always gives the same bytes: all randomness comes from
one ``random.Random(seed)`` and the text is cut from a corpus built from a fixed,
home-made word list (no third-party text). Both formats render the same logical
thread, so a ``text`` and a ``json`` file made with the same seed hold the same
posts.

Shape: about 20% of posts are top-level; the first top-level post carries 10% of
all posts below it (the subtree a benchmark collapses); the other replies go to
the remaining top-level posts with a heavy-tailed weight, so a few subtrees are
large and most are small. Replies sit mostly at depth 1-6, with a few chains of
30-60 posts that each reply to the one before. About 2,000 authors post with a
Zipf-like frequency; ~5% of posts carry a badge, ~10% an icon, 1 in 200 is
deleted, ~30% show vote counts.

``--deep N`` writes one chain of N posts instead, each replying to the previous.
In the text layout every level adds two spaces of indentation, so such a file
grows with the square of N; text chains are capped at :data:`MAX_TEXT_DEEP`.

Usage::

    python benchmarks/generate.py --posts 100000 --format text --seed 1 -o out.txt
    python benchmarks/generate.py --deep 200000 --format json -o deep.json
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
from bisect import bisect_right
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple, TextIO

FORMATS: tuple[str, ...] = ("text", "json")

MAX_TEXT_DEEP = 20_000
"""Longest chain the text layout may hold: its indentation alone is about 3*N*N bytes (1.2 GB here)."""

DELETED_TEXT = "This post has been deleted by its author"
CLOSED_TEXT = "This topic is closed for new posts."
PARAGRAPH_BREAK = "\n\n"
"""How the JSON body joins paragraphs."""
_JSON_PARAGRAPH_BREAK = json.dumps(PARAGRAPH_BREAK)[1:-1]

_START = 1_275_379_200
"""2010-06-01T08:00:00Z: a fixed epoch, so timestamps never depend on the clock."""

_AUTHORS = 2_000
_ZIPF_EXPONENT = 1.0
_BADGE_SHARE = 0.05
_ICON_SHARE = 0.10
_DELETED_SHARE = 1 / 200
_VOTE_SHARE = 0.30
_EMPTY_TITLE_SHARE = 0.05
_TOP_LEVEL_SHARE = 0.20
_BIG_SUBTREE_SHARE = 0.10
_TREE_WEIGHT_ALPHA = 1.2
"""Pareto shape of the weights that share replies among top-level posts: lower means a few larger subtrees."""
_DEEPER = 0.5
_DEEPER_STEP = 0.07
"""A reply goes one level deeper with chance _DEEPER - _DEEPER_STEP * depth: never past depth 7 outside a chain."""
_CHAIN_CHANCE = 1 / 20_000
"""Chance that a reply starts a long chain, besides the one always placed in the big subtree."""
_CHAIN_LENGTH = (30, 60)
_PARAGRAPH_COUNTS = (1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4)
_PARAGRAPH_LENGTH = (40, 400)
_LENGTH_SKEW = 0.3
"""Exponent on the uniform draw of a paragraph's length: below 1 favours long paragraphs (~700 bytes a post)."""
_SENTENCE_LENGTH = (40, 160)
_MOST_SENTENCES = _PARAGRAPH_LENGTH[1] // _SENTENCE_LENGTH[0]
_AUTHOR_TABLE = 1 << 16
"""Slots in the author lookup table: even the least active author gets a few."""
_SENTENCES = 20_000
_TITLES = 6_000
"""Most sentences and titles to draw from; small threads use fewer, so they are quick to make."""


# About 500 words: everyday English plus some invented ones. Written for this
# project; the corpus is random arrangements of these words.
def _split(block: str) -> tuple[str, ...]:
    """The words of a whitespace-separated block: long lists stay readable as prose."""
    return tuple(block.split())


_WORDS = _split(
    """
    the a an and or but so if then because while when where which who what why how
    this that these those it its they them their we our you your he she his her
    one two three four five ten hundred thousand million first last next other every
    some any many much more most less few all both each either neither another same
    is are was were be been being have has had do does did will would can could should
    may might must shall need want think know say said tell told ask asked seem seems
    make made take took give gave get got go went come came see saw look looked find
    found use used work worked run ran keep kept let put set pay paid buy bought sell
    build built break broke fix fixed move moved start started stop stopped try tried
    call called show showed mean meant read wrote write spend spent save saved lose lost
    cut cost costs plan plans project projects system systems database databases data
    money budget contract contracts council councils office department minister ministers
    government service services policy policies scheme schemes report reports review
    people person user users customer customers staff manager managers engineer engineers
    vendor vendors supplier suppliers consultant consultants lawyer lawyers court courts
    problem problems question questions answer answers reason reasons result results
    idea ideas point points case cases fact facts example examples number numbers
    year years month months week weeks day days hour hours time times moment
    way ways thing things part parts place places world country city town street
    network networks server servers cloud software hardware laptop laptops phone phones
    screen screens keyboard printer printers cable cables disk disks backup backups
    password passwords login account accounts email emails file files folder folders
    version versions update updates patch patches release releases feature features
    bug bugs crash crashes error errors warning warnings log logs record records
    card cards badge badges office offices desk desks meeting meetings memo memos
    good bad new old big small large little long short high low early late right wrong
    cheap expensive simple complex clever stupid useful useless open closed public private
    secure insecure broken working safe risky quick slow easy hard clear vague real fake
    local central national global official unofficial legal illegal likely unlikely
    very quite rather really just only still even already never always often sometimes
    perhaps probably certainly clearly simply actually basically surely hardly nearly
    again back away down up out off over under into onto through across around about
    after before since until during without within against between among toward
    not no yes well also too instead anyway however therefore otherwise meanwhile
    here there now today tomorrow yesterday soon later ago ever once twice
    flonkware datacrate grumbleset snorkbox quibbleware blorpfile frazzle wibbler
    clankmeter fuddlebase sprocketry glimmerbus tangleweb wobblecode murkstack
    pinglet zorbium crumplex drizzleware thwackpad snoozebot gribble plinkerton
    bodgeware kludgetron muddlehub squizzle trundlecart fizzwick clatterjack
    mumblecore dongleware sniffbox quangonet paperchain redtapery jobsworth
    boffin boffins pundit pundits hack hacks scribe scribes reader readers
    commentard commentards coffee tea biscuit biscuits pint pints lunch dinner
    rain weather train trains bus buses car cars road roads bridge bridges
    school schools hospital hospitals library libraries bank banks shop shops
    tax taxes fee fees bill bills price prices profit profits loss losses
    budget audit audits target targets deadline deadlines rollout rollouts
    pilot pilots trial trials study studies survey surveys estimate estimates
    cancel cancelled scrap scrapped delay delayed replace replaced expand expanded
    blame blamed promise promised claim claimed argue argued agree agreed doubt doubted
    hope hoped fear feared guess guessed suspect suspected expect expected notice noticed
    café naïve £41m £227m …
    """
)

_FIRST_NAMES = _split(
    """
    Dave Graham John Alan Josh Phil Tom Steve Pete Mike Chris Rob Nick Andy Ian Paul
    Mark Simon Gary Neil Tony Kevin Martin Colin Keith Nigel Trevor Barry Derek Clive
    Sarah Jane Kate Lucy Emma Helen Ruth Anna Mary Alice Claire Fiona Tess Wendy Joan
    Ravi Priya Omar Yusuf Wei Lin Kenji Aiko Lars Ingrid Pavel Olga Marco Elena Jorge
    """
)
_SURNAMES = _split(
    """
    Smith Jones Brown Taylor Wilson Evans Thomas Roberts Walker Wright Green Hall Wood
    Harris Clarke Lewis Young King Baker Hill Scott Turner Moore Parker Cooper Ward
    Marsden Fletcher Brewer Mason Potter Carver Thatcher Fowler Archer Glover Tanner
    Quill Bramble Hatchet Crumb Widget Sprocket Gadget Nettle Thistle Badger Otter
    """
)
_HANDLE_WORDS = _split(
    """
    Spartacus Coward Optimist Pessimist Cynic Sceptic Lurker Grumbler Tinkerer Pedant
    Wizard Hermit Nomad Pilgrim Ranger Pirate Ninja Monk Bard Gnome Troll Yeti Kraken
    Penguin Badger Ferret Weasel Walrus Heron Magpie Raven Owl Fox Hare Stoat Mole
    Toaster Kettle Teapot Spanner Widget Gizmo Sprocket Dongle Modem Router Floppy
    """
)
_HANDLE_ADJECTIVES = _split(
    """
    Original Grumpy Jolly Silent Angry Tired Happy Lost Mad Bold Shy Wise Old Young
    Lazy Busy Sleepy Cheeky Rusty Shiny Dusty Fuzzy Crusty Wobbly Sneaky Sober Merry
    """
)

_ICONS: tuple[str, ...] = (
    "Thumb Up",
    "Thumb Down",
    "Big Brother",
    "Happy",
    "Unhappy",
    "Facepalm",
    "Coat",
    "Pint",
    "Joke",
    "Go",
    "Stop",
    "Flame",
    "Alien",
    "Devil",
    "Boffin",
    "Black Helicopters",
    "FAIL",
    "Meh",
)
_ANONYMOUS = "Anonymous Coward"
_BADGES: tuple[str, ...] = ("Gold", "Silver", "Bronze")


class SyntheticPost(NamedTuple):
    """One post of the logical thread, before either format renders it."""

    depth: int
    number: int
    """The post's place among its siblings: the outline number the text layout shows."""
    id: str
    parent: str | None
    author: str
    badge: str | None
    icons: tuple[str, ...]
    title: str
    paragraphs: tuple[str, ...]
    time: int
    up: int | None
    down: int | None
    deleted: bool


class _Corpus:
    """Prose and names built once per seed, so each post costs a few random draws and slices."""

    def __init__(self, rng: random.Random, posts: int) -> None:
        self.rng = rng
        self.text, self.starts, self.ends = _sentences(rng, min(_SENTENCES, 1_000 + posts // 5))
        self.titles = [_title(rng) for _ in range(min(_TITLES, 200 + posts // 10))]
        self.authors, self.badges, weights = _authors(rng)
        total = weights[-1]
        self.author_table = [
            bisect_right(weights, (slot + 0.5) * total / _AUTHOR_TABLE) for slot in range(_AUTHOR_TABLE)
        ]
        """Author index by uniform slot: drawing an author is one lookup instead of a search."""

    def paragraph(self, longest: int) -> str:
        """Whole sentences starting at a random one, as many as fit in ``longest`` characters (at least one).

        No paragraph spans more than ``_MOST_SENTENCES`` sentences, which bounds the search for its end.
        """
        first = int(self.rng.random() * (len(self.starts) - _MOST_SENTENCES))
        start = self.starts[first]
        last = max(first, bisect_right(self.ends, start + longest, first, first + _MOST_SENTENCES) - 1)
        return self.text[start : self.ends[last]]

    def author(self) -> int:
        """Index of a random author, weighted by activity."""
        return self.author_table[int(self.rng.random() * _AUTHOR_TABLE)]


def _sentences(rng: random.Random, count: int) -> tuple[str, list[int], list[int]]:
    """One long string of ``count`` random sentences with the offsets where each starts and ends."""
    low, high = _SENTENCE_LENGTH
    words = _WORDS
    longest_word = max(len(word) for word in words) + 1
    most = high - longest_word - 2
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    offset = 0
    for _ in range(count):
        target = rng.randint(low, most)
        chosen: list[str] = []
        length = -1
        while length < target:
            for word in rng.choices(words, k=16):
                chosen.append(word)
                length += len(word) + 1
                if length >= target:
                    break
        if len(chosen) > 4 and rng.random() < 0.5:
            chosen[len(chosen) // 2] += ","
        sentence = " ".join(chosen)
        sentence = sentence[0].upper() + sentence[1:] + rng.choice(".......?!")
        starts.append(offset)
        ends.append(offset + len(sentence))
        parts.append(sentence)
        offset += len(sentence) + 1
    return " ".join(parts), starts, ends


def _title(rng: random.Random) -> str:
    """A short headline: two to seven words, the first capitalised, sometimes a question."""
    words = [rng.choice(_WORDS) for _ in range(rng.randint(2, 7))]
    title = " ".join(words)
    return title[0].upper() + title[1:] + rng.choice(("", "", "", "?", "!", "..."))


def _authors(rng: random.Random) -> tuple[list[str], list[str | None], list[float]]:
    """Distinct author names, each one's badge, and cumulative Zipf weights (most active first).

    Badges go to randomly chosen authors outside the busiest ten until their share
    of the expected posts reaches about 5%, so an author's badge never changes.
    """
    names = [_ANONYMOUS]
    seen = set(names)
    while len(names) < _AUTHORS:
        name = _author_name(rng)
        if name not in seen:
            seen.add(name)
            names.append(name)
    weights = [1 / (rank**_ZIPF_EXPONENT) for rank in range(1, _AUTHORS + 1)]
    total = sum(weights)
    badges: list[str | None] = [None] * _AUTHORS
    candidates = list(range(10, _AUTHORS))
    rng.shuffle(candidates)
    badged = 0.0
    for index in candidates:
        if badged + weights[index] > _BADGE_SHARE * total:
            continue
        badges[index] = rng.choice(_BADGES)
        badged += weights[index]
    cumulative: list[float] = []
    running = 0.0
    for weight in weights:
        running += weight
        cumulative.append(running)
    return names, badges, cumulative


def _author_name(rng: random.Random) -> str:
    """A plausible forum name: a person, a handle with a number, or a descriptive handle."""
    kind = rng.random()
    if kind < 0.35:
        return f"{rng.choice(_FIRST_NAMES)} {rng.choice(_SURNAMES)}"
    if kind < 0.55:
        return f"{rng.choice(_FIRST_NAMES)} {rng.randint(1, 99)}"
    if kind < 0.75:
        return f"{rng.choice(_HANDLE_ADJECTIVES)} {rng.choice(_HANDLE_WORDS)}"
    if kind < 0.85:
        return f"The {rng.choice(_HANDLE_ADJECTIVES)} {rng.choice(_HANDLE_WORDS)}"
    word = rng.choice(_HANDLE_WORDS).lower() + rng.choice(("", "", "x", "_uk", "42"))
    return word + str(rng.randint(1, 9999))


def _tree_sizes(posts: int, rng: random.Random) -> list[int]:
    """How many posts each top-level subtree holds (its root included), summing to ``posts``."""
    if posts <= 0:
        return []
    roots = max(1, round(posts * _TOP_LEVEL_SHARE))
    if roots == 1:
        return [posts]
    sizes = [1] * roots
    sizes[0] += min(posts - roots, int(posts * _BIG_SUBTREE_SHARE))
    rest = posts - sum(sizes)
    weights = [rng.paretovariate(_TREE_WEIGHT_ALPHA) for _ in range(roots - 1)]
    for tree in rng.choices(range(1, roots), weights=weights, k=rest):
        sizes[tree] += 1
    return sizes


def _depths(sizes: list[int], rng: random.Random) -> Iterator[int]:
    """The depth of every post in reading order: each at most one deeper than the one before."""
    low, high = _CHAIN_LENGTH
    random_ = rng.random
    for tree, size in enumerate(sizes):
        yield 0
        depth = 0
        chain = 0
        planted = -1
        if tree == 0 and size > low:
            planted = int(random_() * max(1, size - high))
        for reply in range(size - 1):
            if reply == planted or (chain == 0 and random_() < _CHAIN_CHANCE):
                chain = rng.randint(low, high)
            if chain:
                chain -= 1
                depth += 1
            else:
                roll = random_()
                if roll < _DEEPER - _DEEPER_STEP * depth:
                    depth += 1
                elif roll < _DEEPER + 0.25:
                    depth = max(1, depth)
                else:
                    depth = 1 + int(random_() * max(1, depth))
            yield depth


def synthetic_posts(posts: int, seed: int) -> Iterator[SyntheticPost]:
    """The posts of a random thread of ``posts`` posts, in depth-first reading order."""
    rng = random.Random(seed)
    corpus = _Corpus(rng, posts)
    return _fill(corpus, _depths(_tree_sizes(posts, rng), rng))


def synthetic_chain(posts: int, seed: int) -> Iterator[SyntheticPost]:
    """A chain of ``posts`` short posts, each replying to the one before.

    Ids are plain sequence numbers ("1", "2", ...): outline ids like "1.1.1" would
    grow with the depth and make the file quadratic in size.
    """
    rng = random.Random(seed)
    corpus = _Corpus(rng, posts)
    random_ = rng.random
    titles = corpus.titles
    now = _START
    for index in range(posts):
        author = corpus.author()
        now += 30 + int(random_() * 3600)
        yield SyntheticPost(
            depth=index,
            number=1,
            id=str(index + 1),
            parent=str(index) if index else None,
            author=corpus.authors[author],
            badge=corpus.badges[author],
            icons=(),
            title=titles[int(random_() * len(titles))],
            paragraphs=(corpus.paragraph(_SENTENCE_LENGTH[0]),),
            time=now,
            up=None,
            down=None,
            deleted=False,
        )


def _fill(corpus: _Corpus, depths: Iterator[int]) -> Iterator[SyntheticPost]:
    """Dress each depth as a post: outline id, author, text, time and votes."""
    rng = corpus.rng
    random_ = rng.random
    titles = corpus.titles
    authors = corpus.authors
    badges = corpus.badges
    paragraph = corpus.paragraph
    pick_author = corpus.author
    low, high = _PARAGRAPH_LENGTH
    span = high - low
    ids: list[str] = []
    numbers: list[int] = []
    times: list[int] = []
    last_top = _START
    for depth in depths:
        if depth == len(numbers):
            numbers.append(1)
        else:
            del numbers[depth + 1 :]
            del ids[depth:]
            del times[depth:]
            numbers[depth] += 1
        number = numbers[depth]
        if depth:
            parent: str | None = ids[-1]
            post_id = f"{parent}.{number}"
            posted = times[-1] + 30 + int(random_() * random_() * 86_400)
        else:
            parent = None
            post_id = str(number)
            last_top += 10 + int(random_() * 900)
            posted = last_top
        ids.append(post_id)
        times.append(posted)

        author = pick_author()
        name = authors[author]
        if random_() < _DELETED_SHARE:
            yield SyntheticPost(
                depth, number, post_id, parent, name, badges[author], (), "", (), posted, None, None, True
            )
            continue
        icons: tuple[str, ...] = ()
        if random_() < _ICON_SHARE:
            icons = (_ANONYMOUS,) if name == _ANONYMOUS and random_() < 0.3 else (rng.choice(_ICONS),)
        title = "" if random_() < _EMPTY_TITLE_SHARE else titles[int(random_() * len(titles))]
        count = _PARAGRAPH_COUNTS[int(random_() * len(_PARAGRAPH_COUNTS))]
        paragraphs = tuple(paragraph(low + int(span * random_() ** _LENGTH_SKEW)) for _ in range(count))
        up = down = None
        if random_() < _VOTE_SHARE:
            up = int(random_() ** 2 * 60)
            down = int(random_() ** 3 * 25)
        yield SyntheticPost(
            depth, number, post_id, parent, name, badges[author], icons, title, paragraphs, posted, up, down, False
        )


def _header(seed: int) -> tuple[str, str, bool]:
    """Thread title, summary and closed flag, from their own generator so they never shift the posts."""
    rng = random.Random(f"header-{seed}")
    words = [rng.choice(_WORDS) for _ in range(rng.randint(4, 8))]
    title = " ".join(word.capitalize() for word in words)
    summary_words: list[str] = []
    while sum(len(word) + 1 for word in summary_words) < 280:
        summary_words.append(rng.choice(_WORDS))
    summary = " ".join(summary_words)
    summary = summary[0].upper() + summary[1:] + " \u2026"
    return title, summary, rng.random() < 0.5


_BATCH = 2_000
"""Posts rendered per write: large writes without holding the whole file in memory.

The text writer counts a deep post as more than one, since its indentation can
be tens of kilobytes a line."""


def _write_text(posts: Iterator[SyntheticPost], header: tuple[str, str, bool], out: TextIO) -> None:
    title, summary, closed = header
    out.write(f"back to article {title}\n\n{summary}\n\n\n")
    if closed:
        out.write(CLOSED_TEXT + "\n")
    lines: list[str] = []
    pending = 0
    for post in posts:
        pad = " " * (2 + 2 * post.depth)
        body = pad + "  "
        badge = f" {post.badge} badge" if post.badge else ""
        lines.append(f"{pad}{post.number}. {post.author}{badge}\n")
        for icon in post.icons:
            lines.append(f"{body}{icon}\n")
        if post.deleted:
            lines.append(f"\n\n\n{body}{DELETED_TEXT}\n\n")
        else:
            lines.append(f"\n{body}{post.title}\n\n" if post.title else "\n\n\n")
            for paragraph in post.paragraphs:
                lines.append(f"{body}{paragraph}\n\n")
            if post.up is not None:
                lines.append(f"{body}{post.up}\n{body}{post.down}\n\n")
        pending += 1 + post.depth // 100
        if pending >= _BATCH:
            out.write("".join(lines))
            lines.clear()
            pending = 0
    out.write("".join(lines))
    if closed:
        out.write(CLOSED_TEXT + "\n")


def _write_json(posts: Iterator[SyntheticPost], header: tuple[str, str, bool], out: TextIO) -> None:
    """Write one post object per line, assembled by hand: a dict and ``json.dumps`` per post cost twice as much.

    Bodies go in unescaped: the corpus holds no character JSON must escape (a test checks the word list).
    """
    title, summary, closed = header
    encode = json.JSONEncoder(ensure_ascii=False).encode
    head = {
        "format": "tuireader-thread",
        "version": 1,
        "title": title,
        "url": None,
        "summary": summary,
        "closed": closed,
    }
    out.write(encode(head)[:-1] + ', "posts": [')
    dates: dict[int, str] = {}
    lines: list[str] = []
    separator = "\n"
    for post in posts:
        day, seconds = divmod(post.time, 86_400)
        date = dates.get(day)
        if date is None:
            date = dates[day] = time.strftime("%Y-%m-%d", time.gmtime(day * 86_400))
        hours, seconds = divmod(seconds, 3_600)
        minutes, seconds = divmod(seconds, 60)
        parent = "null" if post.parent is None else encode(post.parent)
        badge = "null" if post.badge is None else encode(post.badge)
        icons = ", ".join(encode(icon) for icon in post.icons)
        if post.up is None or post.down is None:
            votes = '"up": null, "down": null, "score": null'
        else:
            votes = f'"up": {post.up}, "down": {post.down}, "score": {post.up - post.down}'
        lines.append(
            f'{separator}{{"id": {encode(post.id)}, "parent": {parent}, "author": {encode(post.author)}, '
            f'"badge": {badge}, "icons": [{icons}], "title": {encode(post.title)}, '
            f'"body": "{_JSON_PARAGRAPH_BREAK.join(post.paragraphs)}", '
            f'"time": "{date}T{hours:02d}:{minutes:02d}:{seconds:02d}Z", {votes}, '
            f'"deleted": {"true" if post.deleted else "false"}}}'
        )
        separator = ",\n"
        if len(lines) == _BATCH:
            out.write("".join(lines))
            lines.clear()
    out.write("".join(lines))
    out.write("\n]}\n")


def generate(posts: int, fmt: str, seed: int, out: TextIO | Path, *, deep: bool = False) -> None:
    """Write a synthetic thread of ``posts`` posts in format ``fmt`` ("text" or "json") to ``out``.

    With ``deep`` the thread is one chain of ``posts`` posts, each replying to the
    previous. Raises ValueError for an unknown format, a negative count, or a text
    chain longer than :data:`MAX_TEXT_DEEP`.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    if posts < 0:
        raise ValueError(f"post count must not be negative, got {posts}")
    if deep and fmt == "text" and posts > MAX_TEXT_DEEP:
        size = 3 * posts * posts / 1e9
        raise ValueError(
            f"a text chain of {posts} posts needs about {size:.0f} GB of indentation; "
            f"the limit is {MAX_TEXT_DEEP} (use --format json for deeper chains)"
        )
    stream = synthetic_chain(posts, seed) if deep else synthetic_posts(posts, seed)
    write = _write_text if fmt == "text" else _write_json
    if isinstance(out, Path):
        with out.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as handle:
            write(stream, _header(seed), handle)
    else:
        write(stream, _header(seed), out)


def main(argv: list[str] | None = None) -> int:
    """Command line: parse arguments, generate, report errors as one line and exit status 2."""
    parser = argparse.ArgumentParser(description="Write a deterministic synthetic thread for benchmarks.")
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--posts", type=int, metavar="N", help="a realistic thread of N posts")
    size.add_argument("--deep", type=int, metavar="N", help="one chain of N posts, each replying to the previous")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    parser.add_argument("-o", "--output", default="-", help="output file, '-' for standard output (default)")
    args = parser.parse_args(argv)
    deep = args.deep is not None
    count: int = args.deep if deep else args.posts
    try:
        if args.output == "-":
            if isinstance(sys.stdout, io.TextIOWrapper):
                sys.stdout.reconfigure(encoding="utf-8", newline="\n")
            generate(count, args.format, args.seed, sys.stdout, deep=deep)
        else:
            generate(count, args.format, args.seed, Path(args.output), deep=deep)
    except (ValueError, OSError) as error:
        print(f"generate.py: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
