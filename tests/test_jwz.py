"""Threading mail: who replies to whom, from References and In-Reply-To, when both are imperfect."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from tuireader.formats.jwz import BY_SUBJECT, CYCLE, PLACEHOLDER, Message, base_subject, thread


def message(
    message_id: str,
    *,
    references: tuple[str, ...] = (),
    reply_to: tuple[str, ...] = (),
    subject: str = "topic",
    date: float = 0.0,
) -> Message:
    return Message(message_id, references, reply_to, subject, date)


def parents(messages: list[Message]) -> dict[str, str | None]:
    return {row.id: row.parent for row in thread(messages).rows}


def test_in_reply_to_names_the_parent_when_that_message_is_here() -> None:
    # Debbugs writes References oldest-last; the replier's In-Reply-To is right.
    messages = [
        message("root", date=1),
        message("child", references=("root",), reply_to=("root",), date=2),
        message("grandchild", references=("child", "root"), reply_to=("child",), date=3),
    ]
    assert parents(messages) == {"root": None, "child": "root", "grandchild": "child"}


def test_in_reply_to_wins_over_a_mangled_reference() -> None:
    messages = [message("root", date=1), message("child", references=("r00t",), reply_to=("root",), date=2)]
    rows = thread(messages).rows
    assert [(row.id, row.parent) for row in rows] == [("root", None), ("child", "root")]  # no placeholder for r00t


def test_the_last_reference_wins_when_in_reply_to_names_a_missing_message() -> None:
    # As notmuch: In-Reply-To <bar@baz> is not in the archive, so References decides.
    messages = [message("foo", date=1), message("reply", references=("foo",), reply_to=("bar@baz",), date=2)]
    assert parents(messages) == {"foo": None, "reply": "foo"}


def test_in_reply_to_alone_is_enough() -> None:
    messages = [message("a", date=1), message("b", reply_to=("a",), date=2)]
    assert parents(messages) == {"a": None, "b": "a"}


def test_several_in_reply_to_ids_defer_to_references() -> None:
    # "In-Reply-To: Alice <alice@example.org>'s message <a>": two ids, so it is not trusted over References.
    messages = [
        message("a", date=1),
        message("b", references=("a",), date=2),
        message("c", references=("a", "b"), reply_to=("alice@example.org", "a"), date=3),
    ]
    assert parents(messages)["c"] == "b"


def test_missing_parents_become_placeholders_in_a_chain() -> None:
    messages = [
        message("root", date=1),
        message("deep", references=("root", "gone1", "gone2"), reply_to=("gone2",), date=5),
    ]
    rows = thread(messages).rows
    assert [(row.message, row.id, row.parent) for row in rows] == [
        (0, "root", None),
        (PLACEHOLDER, "gone1", "root"),
        (PLACEHOLDER, "gone2", "gone1"),
        (1, "deep", "gone2"),
    ]


def test_references_never_move_a_message_that_is_here() -> None:
    # "late" claims "root" descends from "elsewhere": root stays a thread of its own making.
    messages = [message("root", date=1), message("late", references=("elsewhere", "root"), date=2)]
    assert parents(messages) == {"root": None, "late": "root"}


def test_a_placeholder_with_no_message_below_is_dropped() -> None:
    messages = [message("a", date=1), message("b", references=("gone", "a"), reply_to=("a",), date=2)]
    assert [row.id for row in thread(messages).rows] == ["a", "b"]


def test_a_missing_root_shared_by_two_messages_is_one_placeholder() -> None:
    messages = [message("x", references=("ticket",), date=2), message("y", references=("ticket",), date=1)]
    rows = thread(messages).rows
    assert [(row.id, row.parent) for row in rows] == [("ticket", None), ("y", "ticket"), ("x", "ticket")]


def test_duplicate_message_ids_keep_the_first() -> None:
    messages = [message("a", subject="first", date=1), message("b", reply_to=("a",), date=2), message("a", date=3)]
    result = thread(messages)
    assert result.duplicates == [(0, 2)]
    assert [(row.message, row.id) for row in result.rows] == [(0, "a"), (1, "b")]


def test_a_reference_cycle_is_cut_at_its_oldest_message() -> None:
    messages = [
        message("a", reply_to=("c",), date=3),
        message("b", reply_to=("a",), date=1),
        message("c", reply_to=("b",), date=2),
    ]
    rows = thread(messages).rows
    assert [(row.id, row.parent, row.how) for row in rows] == [("b", None, CYCLE), ("c", "b", None), ("a", "c", None)]


def test_a_message_replying_to_itself_is_a_thread_start() -> None:
    rows = thread([message("a", references=("a",), reply_to=("a",))]).rows
    assert [(row.id, row.parent) for row in rows] == [("a", None)]


def test_threads_and_replies_are_in_date_order() -> None:
    messages = [
        message("late-thread", date=50),
        message("early-thread", date=10),
        message("second-reply", reply_to=("early-thread",), date=30),
        message("first-reply", reply_to=("early-thread",), date=20),
    ]
    assert [row.id for row in thread(messages).rows] == ["early-thread", "first-reply", "second-reply", "late-thread"]


def test_a_placeholder_sorts_by_its_oldest_reply() -> None:
    messages = [
        message("known", date=5),
        message("orphan", references=("missing",), date=1),
    ]
    assert [row.id for row in thread(messages).rows] == ["missing", "orphan", "known"]


def test_base_subject_strips_reply_prefixes_and_list_tags() -> None:
    assert base_subject("Re: AW: [PATCH v2 3/7] SV:  Antw: Fwd:  The   Topic") == ("the topic", True)
    assert base_subject("[frob-dev] Re[2]: Topic") == ("topic", True)
    assert base_subject("[PATCH] Topic") == ("topic", False)
    assert base_subject("Regarding the topic") == ("regarding the topic", False)
    assert base_subject("Re:") == ("", True)


def test_a_reply_without_references_joins_the_thread_of_its_subject() -> None:
    messages = [
        message("start", subject="[list] Frobnicating widgets", date=1),
        message(
            "answer", references=("start",), reply_to=("start",), subject="Re: [list] Frobnicating widgets", date=2
        ),
        message("lost", subject="Re: Frobnicating  widgets", date=3),
        message("newer", subject="Frobnicating widgets", date=4),
    ]
    rows = {row.id: row for row in thread(messages).rows}
    assert rows["lost"].parent == "start" and rows["lost"].how == BY_SUBJECT
    assert rows["newer"].parent is None  # not a reply: a new thread with an old subject
    assert rows["answer"].how is None


def test_subject_threading_never_joins_an_older_reply_to_a_newer_thread() -> None:
    messages = [message("lost", subject="Re: topic", date=1), message("start", subject="topic", date=5)]
    assert parents(messages) == {"lost": None, "start": None}


def test_a_hundred_thousand_deep_chain_threads_quickly_without_recursion() -> None:
    depth = 100_000
    messages = [message(f"m{i}", reply_to=(f"m{i - 1}",) if i else (), date=i) for i in range(depth)]
    started = time.perf_counter()
    rows = thread(messages).rows
    assert time.perf_counter() - started < 5
    assert [row.id for row in rows[:3]] == ["m0", "m1", "m2"]
    assert rows[-1].parent == f"m{depth - 2}"


def test_a_hundred_thousand_missing_references_make_one_chain() -> None:
    missing = tuple(f"gone{i}" for i in range(100_000))
    rows = thread([message("top", date=0), message("last", references=("top", *missing), date=1)]).rows
    assert len(rows) == 100_002 and rows[-1].parent == "gone99999"


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 12),
            st.lists(st.integers(0, 15), max_size=4),
            st.lists(st.integers(0, 15), max_size=2),
            st.sampled_from(["a", "Re: a", "b", "Re: [x] b", "AW: c"]),
            st.integers(0, 5),
        ),
        max_size=25,
    )
)
def test_every_message_appears_once_after_its_parent(
    drawn: list[tuple[int, list[int], list[int], str, int]],
) -> None:
    messages = [
        message(
            f"<{own}>",
            references=tuple(f"<{r}>" for r in refs),
            reply_to=tuple(f"<{r}>" for r in replies),
            subject=subject,
            date=date,
        )
        for own, refs, replies, subject, date in drawn
    ]
    result = thread(messages)
    shown = [row.message for row in result.rows if row.message != PLACEHOLDER]
    kept = sorted(set(range(len(messages))) - {dropped for _, dropped in result.duplicates})
    assert sorted(shown) == kept
    path: list[str] = []
    """The last row and its ancestors: in reading order, each row replies to one of them."""
    seen: set[str] = set()
    for row in result.rows:
        assert row.id not in seen
        seen.add(row.id)
        if row.parent is None:
            path.clear()
        else:
            assert row.parent in path
            del path[path.index(row.parent) + 1 :]
        path.append(row.id)
