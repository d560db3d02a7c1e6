"""The thread model every format produces and every widget reads.

Posts are a flat list in reading order (depth-first, each parent before its
children), so any post's replies form one contiguous run ``posts[i:end[i]]``.
Depth, parent index, subtree end and sibling links are derived once, iteratively:
threads can nest tens of thousands of levels deep, so nothing here recurses.
This module must not import Textual; a test enforces it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from itertools import chain

from tuireader.body import Body, blocks_from_text, cleaned_blocks
from tuireader.sanitize import clean, clean_line, is_safe, is_safe_line


@dataclass(slots=True)
class Post:
    """One post as the file gives it; ``parent`` is another post's ``id`` or None for a top-level post."""

    id: str
    parent: str | None
    author: str
    badge: str | None = None
    icons: tuple[str, ...] = ()
    title: str = ""
    body: str = ""
    time: str | None = None
    up: int | None = None
    down: int | None = None
    score: int | None = None
    deleted: bool = False
    note: str | None = None
    """What the reader changed while loading (an unknown parent, a broken cycle), shown with the post."""
    blocks: Body | None = None
    """The body's structure (paragraphs, quotes, code, links) where the format has one; ``body`` is its plain text.

    None for a plain-text body: :func:`body_blocks` derives the blocks from ``body`` when they are needed."""

    def cleaned(self) -> Post:
        """This post with every text field made inert (see :mod:`tuireader.sanitize`); itself when already safe."""
        if is_safe(self.body) and is_safe_line(
            "".join(
                (
                    self.id,
                    self.parent or "",
                    self.author,
                    self.badge or "",
                    self.title,
                    self.time or "",
                    self.note or "",
                    *self.icons,
                )
            )
        ) and (self.blocks is None or cleaned_blocks(self.blocks) is self.blocks):
            return self
        return replace(
            self,
            id=clean_line(self.id),
            parent=None if self.parent is None else clean_line(self.parent),
            author=clean_line(self.author),
            badge=None if self.badge is None else clean_line(self.badge),
            icons=tuple(clean_line(icon) for icon in self.icons),
            title=clean_line(self.title),
            body=clean(self.body),
            time=None if self.time is None else clean_line(self.time),
            note=None if self.note is None else clean_line(self.note),
            blocks=None if self.blocks is None else cleaned_blocks(self.blocks),
        )


def body_blocks(post: Post) -> Body:
    """The post's body as blocks: the format's own structure, or its plain text split into paragraphs and quotes."""
    return post.blocks if post.blocks is not None else blocks_from_text(post.body)


POST_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Post))

_SHARD_BITS = 6


class IdIndex(Mapping[str, int]):
    """Post ids to positions, kept in 64 small dicts instead of one big one.

    Python grows a dict by rehashing all of it at once: past 699,050 ids that takes
    about 0.1 s, and while a big thread loads the reader would not answer a key for
    that long. A dict a 64th of the size grows in a 64th of the time.
    """

    __slots__ = ("shards",)

    def __init__(self) -> None:
        self.shards: list[dict[str, int]] = [{} for _ in range(1 << _SHARD_BITS)]
        """Indexed by ``hash(post_id) & SHARD_MASK``; loops that run once per post use it directly."""

    def __getitem__(self, post_id: str) -> int:
        return self.shards[hash(post_id) & SHARD_MASK][post_id]

    def __setitem__(self, post_id: str, index: int) -> None:
        self.shards[hash(post_id) & SHARD_MASK][post_id] = index

    def __contains__(self, post_id: object) -> bool:
        return post_id in self.shards[hash(post_id) & SHARD_MASK]

    def __iter__(self) -> Iterator[str]:
        return chain.from_iterable(self.shards)

    def __len__(self) -> int:
        return sum(map(len, self.shards))


SHARD_MASK = (1 << _SHARD_BITS) - 1
LOADED_BODIES = 256
"""Bodies read from disk that :meth:`Thread.body_of` keeps, so moving back and forth reads nothing again."""


@dataclass
class Thread:
    """A whole thread: its header and the posts in reading order, with the derived tree structure."""

    title: str = ""
    url: str | None = None
    summary: str = ""
    closed: bool = False
    source_format: str = ""
    posts: list[Post] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """Problems the loader worked around (bad bytes, unknown parents); the app shows them."""

    parent_index: list[int] = field(default_factory=list, repr=False)
    depth: list[int] = field(default_factory=list, repr=False)
    end: list[int] = field(default_factory=list, repr=False)
    """``end[i]`` is one past the last descendant of post ``i``."""
    root_index: list[int] = field(default_factory=list, repr=False)
    """The top-level post of each post's branch (itself for a top-level post)."""
    index_of: IdIndex = field(default_factory=IdIndex, repr=False)
    _spine: list[int] = field(default_factory=list, repr=False)
    """Indices of the last post and its ancestors (``_spine[d]`` has depth d): where a new post may attach."""
    _last_suffix: dict[str, int] = field(default_factory=dict, repr=False)
    _renamed: dict[str, int] = field(default_factory=dict, repr=False)
    """For an id the file repeats, its newest post: later replies to that id go there."""
    body_loader: Callable[[Post], tuple[str, Body | None]] | None = field(default=None, repr=False)
    """For formats that keep bodies on disk (a mail archive's index): reads one post's body when it is needed."""
    _loaded: OrderedDict[int, tuple[str, Body]] = field(default_factory=OrderedDict, repr=False)

    @classmethod
    def build(
        cls,
        posts: Iterable[Post],
        *,
        title: str = "",
        url: str | None = None,
        summary: str = "",
        closed: bool = False,
        source_format: str = "",
        warnings: Iterable[str] = (),
        posts_are_clean: bool = False,
    ) -> Thread:
        """Make a thread from posts in any order: clean every field (unless the format vouches it did),
        fix bad links, sort into reading order."""
        header = {
            "title": clean_line(title),
            "url": None if url is None else clean_line(url),
            "summary": clean(summary),
            "closed": closed,
            "source_format": source_format,
        }
        given_warnings = [clean_line(w) for w in warnings]
        cleaned = list(posts) if posts_are_clean else [post.cleaned() for post in posts]
        thread = cls(**header, warnings=list(given_warnings))  # type: ignore[arg-type]
        try:
            thread._append(cleaned, known_ids={post.id for post in cleaned})
        except _OutOfOrder:
            # Rare: replies before their parents. Sort once, then append again from scratch.
            thread = cls(**header, warnings=list(given_warnings))  # type: ignore[arg-type]
            thread._append(_reading_order(cleaned, thread.warnings))
        return thread

    def __len__(self) -> int:
        return len(self.posts)

    def body_of(self, index: int) -> tuple[str, Body]:
        """Post ``index``'s body as (plain text, blocks), through the format's loader when it has one.

        A format sets a loader to do the costly part of a body only when it is read:
        a mail archive keeps bodies on disk, and Reddit's Markdown or a site's HTML is
        parsed into blocks here rather than for every post at load time. Every reader
        of bodies (pane, export) comes here, so a lazy body is made inert in one
        place; the last LOADED_BODIES are kept.
        """
        post = self.posts[index]
        if self.body_loader is None or post.blocks is not None:
            return post.body, body_blocks(post)
        # pop and put back rather than look up and move: a search worker may read bodies at the same time
        loaded = self._loaded.pop(index, None)
        if loaded is None:
            text, blocks = self.body_loader(post)
            text = clean(text)
            loaded = (text, blocks_from_text(text) if blocks is None else cleaned_blocks(blocks))
        self._loaded[index] = loaded
        while len(self._loaded) > LOADED_BODIES:
            self._loaded.popitem(last=False)
        return loaded

    def text_of(self, index: int) -> str:
        """Post ``index``'s body as plain text only (search, tree labels): no blocks built for a plain body."""
        post = self.posts[index]
        if self.body_loader is None or post.blocks is not None:
            return post.body
        return self.body_of(index)[0]

    def extend(self, posts: Iterable[Post], *, cleaned: bool = False) -> None:
        """Append posts already in reading order; each must reply to the last post or one of its ancestors.

        Loaders that stream a file call this batch by batch. A post whose parent is
        unknown or not on that path becomes a top-level post with a note; a repeated
        id is renamed, and later replies to that id go to its newest post.
        """
        self._append(posts if cleaned else (post.cleaned() for post in posts))

    def _append(self, posts: Iterable[Post], known_ids: set[str] | None = None) -> None:
        """The loop behind :meth:`extend`, kept tight: it runs once per post of a 1,000,000-post thread.

        With ``known_ids``, a reply to a post that comes later raises :class:`_OutOfOrder`
        instead of being repaired, so :meth:`build` can sort and start again.
        """
        spine, renamed, shards = self._spine, self._renamed, self.index_of.shards
        mask, hash_of = SHARD_MASK, hash
        all_posts, parent_index, depth, root_index, end = (
            self.posts,
            self.parent_index,
            self.depth,
            self.root_index,
            self.end,
        )
        index = len(all_posts)
        for post in posts:
            post_id = post.id
            shard = shards[hash_of(post_id) & mask]
            if post_id in shard:
                post = self._rename_duplicate(post)
            parent_id = post.parent
            if parent_id is None:
                parent = -1
            else:
                parent = renamed.get(parent_id, -1)
                if parent < 0:
                    parent = shards[hash_of(parent_id) & mask].get(parent_id, -1)
                if parent < 0 or parent >= index or len(spine) <= depth[parent] or spine[depth[parent]] != parent:
                    if known_ids is not None and (parent >= 0 or parent_id in known_ids):
                        raise _OutOfOrder
                    post, parent = self._orphan(post, parent), -1
                elif all_posts[parent].id != parent_id:  # the parent was renamed as a duplicate
                    post = replace(post, parent=all_posts[parent].id)
            while spine and spine[-1] != parent:
                end[spine.pop()] = index
            all_posts.append(post)
            parent_index.append(parent)
            if parent < 0:
                depth.append(0)
                root_index.append(index)
            else:
                depth.append(depth[parent] + 1)
                root_index.append(root_index[parent])
            end.append(index + 1)
            if post.id != post_id:  # renamed as a duplicate
                shard = shards[hash_of(post.id) & mask]
                renamed[post_id] = index
            shard[post.id] = index
            spine.append(index)
            index += 1
        for open_index in spine:
            end[open_index] = index

    def _rename_duplicate(self, post: Post) -> Post:
        new_id = _unique_id(post.id, self.index_of, self._last_suffix)
        self.warnings.append(f"post {post.id!r} appears twice; the second is shown as {new_id!r}")
        return replace(post, id=new_id, note=_join_note(post.note, f"duplicate id {post.id!r}"))

    def _orphan(self, post: Post, parent: int) -> Post:
        problem = (
            f"replies to missing post {post.parent!r}"
            if parent < 0
            else f"replies out of reading order to post {post.parent!r}"
        )
        self.warnings.append(f"post {post.id!r} {problem}; shown as a top-level post")
        return replace(post, parent=None, note=_join_note(post.note, problem))

    # Derived structure -------------------------------------------------------

    def children(self, index: int) -> Iterator[int]:
        """Indices of the direct replies to post ``index``, in order (``-1`` gives the top-level posts)."""
        child, stop = (0, len(self.posts)) if index < 0 else (index + 1, self.end[index])
        while child < stop:
            yield child
            child = self.end[child]

    def reply_count(self, index: int) -> int:
        """How many posts sit below post ``index`` (all depths)."""
        return self.end[index] - index - 1

    def next_sibling(self, index: int) -> int | None:
        after = self.end[index]
        if after < len(self.posts) and self.parent_index[after] == self.parent_index[index]:
            return after
        return None

    def previous_sibling(self, index: int) -> int | None:
        parent = self.parent_index[index]
        start = parent + 1 if parent >= 0 else 0
        if index == start:
            return None
        # The previous sibling is the highest ancestor-or-self of index-1 below the common parent.
        candidate = index - 1
        while self.parent_index[candidate] != parent:
            candidate = self.parent_index[candidate]
        return candidate

    def ancestors(self, index: int) -> list[int]:
        """Ancestors of post ``index``, from the top-level post down to its parent."""
        chain: list[int] = []
        parent = self.parent_index[index]
        while parent >= 0:
            chain.append(parent)
            parent = self.parent_index[parent]
        chain.reverse()
        return chain

    def root_of(self, index: int) -> int:
        return self.root_index[index]

    def is_op_reply(self, index: int) -> bool:
        """True for a reply written by the author of its branch's top-level post (shown with an OP marker)."""
        root = self.root_index[index]
        author = self.posts[index].author
        return root != index and bool(author) and self.posts[root].author == author  # nameless posts are nobody's


class _OutOfOrder(Exception):
    """A post replies to one that comes after it: the posts need sorting first."""


def _join_note(old: str | None, new: str) -> str:
    return new if not old else f"{old}; {new}"


def _unique_id(post_id: str, taken: Mapping[str, int], last_suffix: dict[str, int]) -> str:
    """``post_id~N`` for the next free N, remembering N per id so a thousand repeats cost no more than one each."""
    number = last_suffix.get(post_id, 1) + 1
    while f"{post_id}~{number}" in taken:
        number += 1
    last_suffix[post_id] = number
    return f"{post_id}~{number}"


def _reading_order(posts: list[Post], warnings: list[str]) -> list[Post]:
    """Sort posts depth-first, keeping the file's order among siblings; break bad links.

    A parent that is missing, a post that is its own ancestor (a cycle) and a
    duplicate id are all repaired here with a warning, so the rest of the reader
    can trust the structure.
    """
    first_with_id: dict[str, int] = {}
    for position, post in enumerate(posts):
        first_with_id.setdefault(post.id, position)
    children: dict[int, list[int]] = {}
    roots: list[int] = []
    for position, post in enumerate(posts):
        parent = -1 if post.parent is None else first_with_id.get(post.parent, -1)
        if post.parent is not None and (parent < 0 or parent == position):
            # Unknown parent: Thread.extend notes it. A self-reply is a cycle of one.
            if parent == position:
                warnings.append(f"post {post.id!r} replies to itself; shown as a top-level post")
                posts[position] = replace(post, parent=None, note=_join_note(post.note, "replied to itself"))
            roots.append(position)
            continue
        if parent < 0:
            roots.append(position)
        else:
            children.setdefault(parent, []).append(position)

    ordered: list[Post] = []
    placed = bytearray(len(posts))

    def walk(start: int) -> None:
        stack = [start]
        while stack:
            position = stack.pop()
            if placed[position]:
                continue
            placed[position] = 1
            ordered.append(posts[position])
            stack.extend(reversed(children.get(position, ())))

    for root in roots:
        walk(root)
    # Whatever is left hangs off a cycle: cut each cycle at its first post in file order.
    for position in range(len(posts)):
        if not placed[position]:
            post = posts[position]
            warnings.append(f"post {post.id!r} is part of a reply cycle; shown as a top-level post")
            posts[position] = replace(post, parent=None, note=_join_note(post.note, "was part of a reply cycle"))
            walk(position)
    return ordered
