"""Repeat contact, first-contact resolution over several conversations, replays and rebuilds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command

from helpmate.desk import actions as desk
from helpmate.desk.models import Event
from helpmate.effort.live import record_event
from helpmate.effort.models import ConversationEffort
from helpmate.effort.rebuild import rebuild
from helpmate.effort.similarity import similarity, topic_of
from tests.effort.conftest import at, effort_of, play

FIRST = ("Order 1042 arrived damaged", "The box was crushed and the lamp inside is broken.")

# (name, second conversation: days later, subject, text, same requester?, expected repeat)
SECOND = [
    (
        "same_problem_three_days_later",
        3,
        "Broken lamp, order 1042",
        "The lamp arrived crushed and broken, still no replacement.",
        True,
        True,
    ),
    (
        "same_words_in_another_order",
        1,
        "Damaged order 1042 arrived",
        "Lamp inside broken, box crushed.",
        True,
        True,
    ),
    ("same_problem_eight_days_later_is_a_new_contact", 8, *FIRST, True, False),
    (
        "another_subject_the_next_day",
        1,
        "Change my invoice address",
        "Please send invoices to our new office in Porto.",
        True,
        False,
    ),
    ("another_customer_with_the_same_problem", 1, *FIRST, False, False),
]


@pytest.mark.parametrize(
    ("days", "subject", "text", "same_person", "repeat"),
    [pytest.param(*row[1:], id=row[0]) for row in SECOND],
)
def test_repeat_contact_within_seven_days_about_a_similar_subject(
    personas, days, subject, text, same_person, repeat
):
    first = play(
        personas,
        [(at(0, 9), "create", *FIRST), (at(0, 10), "reply", "agent", "resolved")],
    )
    assert effort_of(first).fcr
    second = play(
        personas,
        [(at(0, 9) + timedelta(days=days), "create", subject, text)],
        requester=None if same_person else personas.other_customer,
    )
    earlier, later = effort_of(first), effort_of(second)
    assert (earlier.repeat_contacts, later.repeat_of_id) == ((1, first.pk) if repeat else (0, None))
    # A repeat takes first-contact resolution away from the first conversation.
    assert earlier.fcr is not repeat
    # Being a repeat costs the customer effort points (15 for the repeat; nothing else yet).
    assert later.score == (15 if repeat else 0)


@pytest.mark.parametrize(
    ("a", "b", "at_least", "below"),
    [
        (("Order 1042 arrived damaged", ""), ("Damaged order 1042", ""), 0.6, 1.01),
        (("Refund please", "I want my money back"), ("Invoice address", "New office"), 0, 0.01),
        (("", ""), ("Anything", "at all"), 0, 0.01),
    ],
)
def test_similarity_of_topics(a, b, at_least, below):
    value = similarity(topic_of(*a), topic_of(*b))
    assert at_least <= value < below


def test_topic_keeps_meaningful_words_once_and_stays_short():
    topic = topic_of("The lamp is broken", "the LAMP, the lamp! Please help " + "word " * 400)
    assert topic.split()[:2] == ["lamp", "broken"]
    assert "the" not in topic.split() and "please" not in topic.split()
    assert len(topic) <= 600


def _snapshot() -> dict[int, tuple]:
    fields = [
        "wait_seconds",
        "longest_wait_seconds",
        "waits",
        "handoffs",
        "team_count",
        "time_to_owner_seconds",
        "customer_messages",
        "agent_replies",
        "reopenings",
        "repeat_of_id",
        "repeat_contacts",
        "fcr",
        "score",
        "steps",
        "status",
        "resolved_at",
        "last_event_id",
    ]
    return {
        row.pk: tuple(getattr(row, f) for f in fields) for row in ConversationEffort.objects.all()
    }


def _history(personas) -> None:
    play(
        personas,
        [
            (at(0, 9), "create", *FIRST),
            (at(0, 9.5), "assign", "agent"),
            (at(0, 10), "transfer", "billing", "other_agent"),
            (at(0, 16), "reply", "other_agent", "resolved"),
            (at(1, 9), "customer", "Still broken"),
            (at(1, 12), "reply", "other_agent", "resolved"),
        ],
    )
    play(personas, [(at(2, 9), "create", *FIRST), (at(3, 11), "reply", "agent")])
    play(
        personas,
        [
            (at(2, 10), "create", "Invoice copy", "Please send a copy."),
            (at(2, 11), "reply", "lead", "resolved"),
        ],
        requester=personas.other_customer,
    )


def test_replaying_events_changes_nothing(personas):
    _history(personas)
    before = _snapshot()
    for event in Event.objects.order_by("pk"):
        record_event(event)
    assert _snapshot() == before


@pytest.mark.parametrize("batch_size", [1, 2, 500])
def test_a_full_rebuild_gives_what_the_listener_kept(personas, batch_size):
    _history(personas)
    live = _snapshot()
    result = rebuild(full=True, batch_size=batch_size)
    assert result.conversations == 3
    assert _snapshot() == live
    again = rebuild(batch_size=batch_size)
    assert _snapshot() == live and (again.conversations, again.events) == (3, 0)


def test_rebuild_catches_up_conversations_the_listener_never_saw(personas):
    _history(personas)
    live = _snapshot()
    ConversationEffort.objects.all().delete()
    call_command("effort", "rebuild", "--no-progress", "--batch-size", "2")
    assert _snapshot() == live


def test_a_late_event_on_a_conversation_without_a_row_folds_its_history_first(personas):
    conv = play(personas, [(at(0, 9), "create"), (at(0, 10), "reply", "agent")])
    live = effort_of(conv)
    ConversationEffort.objects.all().delete()
    desk.add_incoming_message(
        conversation=conv, author=personas.customer, text="Thanks", at=at(0, 11)
    )
    desk.add_reply(
        conversation=conv, agent=personas.agent, text="Welcome", at=at(0, 12), status="resolved"
    )
    row = effort_of(conv)
    assert (row.customer_messages, row.agent_replies, row.waits) == (2, 2, 2)
    assert row.wait_seconds == live.wait_seconds + 3600
