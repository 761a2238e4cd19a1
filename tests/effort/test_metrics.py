"""Event timelines in (written through the desk actions at given times), effort metrics out.

Times use the default business calendar (Mon-Fri 09:00-17:00, Europe/London); in March 2026
London is on GMT, so the hours below are also UTC. ``at(day, hour)``: day 0 is Monday 2 March.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from helpmate.effort.clock import business_time_available
from tests.effort.conftest import at, effort_of, play, play_on

H = 3600

# (name, steps, expected metrics, needs business time)
TIMELINES = [
    (
        "answered_and_resolved_in_one_reply_is_first_contact_resolution",
        [(at(0, 9), "create"), (at(0, 10), "reply", "agent", "resolved")],
        dict(
            wait_seconds=H,
            longest_wait_seconds=H,
            waits=1,
            handoffs=0,
            team_count=1,
            time_to_owner_seconds=H,
            customer_messages=1,
            agent_replies=1,
            reopenings=0,
            fcr=True,
            score=2,
        ),
        False,
    ),
    (
        "a_wait_over_night_counts_only_opening_hours",
        [(at(0, 16), "create"), (at(1, 10), "reply", "agent", "resolved")],
        dict(wait_seconds=2 * H, longest_wait_seconds=2 * H, time_to_owner_seconds=2 * H),
        True,
    ),
    (
        "a_wait_over_the_weekend_counts_friday_afternoon_and_monday_morning",
        [(at(4, 16.5), "create"), (at(7, 9.5), "reply", "agent")],
        dict(wait_seconds=H, longest_wait_seconds=H, fcr=False),
        True,
    ),
    (
        "a_request_written_and_answered_on_saturday_cost_no_business_time",
        [(at(5, 10), "create"), (at(5, 12), "reply", "agent", "resolved")],
        dict(wait_seconds=0, longest_wait_seconds=0, waits=1, fcr=True, score=0),
        True,
    ),
    (
        "wall_time_between_two_daytime_moments",
        [(at(1, 10), "create"), (at(1, 13.5), "reply", "agent")],
        dict(wait_seconds=int(3.5 * H), longest_wait_seconds=int(3.5 * H)),
        False,
    ),
    (
        "two_waits_add_up_and_the_longest_is_kept",
        [
            (at(0, 9), "create"),
            (at(0, 10), "reply", "agent"),
            (at(0, 11), "customer", "It is still broken."),
            (at(0, 14), "reply", "agent", "resolved"),
        ],
        dict(
            wait_seconds=4 * H,
            longest_wait_seconds=3 * H,
            waits=2,
            customer_messages=2,
            agent_replies=2,
            fcr=False,
            score=12,
        ),
        False,
    ),
    (
        "messages_sent_while_waiting_are_one_wait",
        [
            (at(0, 9), "create"),
            (at(0, 10), "customer"),
            (at(0, 11), "customer"),
            (at(0, 12), "reply", "agent", "resolved"),
        ],
        dict(wait_seconds=3 * H, waits=1, customer_messages=3, fcr=True, score=15),
        False,
    ),
    (
        "waiting_on_someone_else_still_keeps_the_customer_waiting",
        [
            (at(0, 9), "create"),
            (at(0, 10), "status", "waiting_other"),
            (at(0, 12), "reply", "agent", "resolved"),
        ],
        dict(wait_seconds=3 * H, waits=1),
        False,
    ),
    (
        "asking_the_customer_a_question_stops_the_clock",
        [
            (at(0, 9), "create"),
            (at(0, 10), "status", "waiting_customer"),
            (at(0, 15), "customer", "Here is the photo."),
            (at(0, 16), "reply", "agent", "resolved"),
        ],
        dict(wait_seconds=2 * H, waits=2, agent_replies=1, customer_messages=2, fcr=True),
        False,
    ),
    (
        "reopening_counts_and_takes_first_contact_resolution_away",
        [
            (at(0, 9), "create"),
            (at(0, 10), "reply", "agent", "resolved"),
            (at(1, 9), "customer", "It broke again."),
            (at(1, 11), "reply", "agent", "resolved"),
        ],
        dict(
            reopenings=1,
            wait_seconds=3 * H,
            longest_wait_seconds=2 * H,
            agent_replies=2,
            fcr=False,
            status="resolved",
        ),
        False,
    ),
    (
        "reopened_by_an_agent_counts_as_a_reopening",
        [
            (at(0, 9), "create"),
            (at(0, 10), "reply", "agent", "resolved"),
            (at(0, 11), "status", "open"),
        ],
        dict(reopenings=1, fcr=False, resolved_at=None, wait_seconds=H),
        False,
    ),
    (
        "two_replies_before_resolving_is_not_first_contact_resolution",
        [
            (at(0, 9), "create"),
            (at(0, 10), "reply", "agent"),
            (at(0, 11), "reply", "agent", "resolved"),
        ],
        dict(agent_replies=2, fcr=False, waits=1, wait_seconds=H),
        False,
    ),
    (
        "an_open_conversation_is_not_first_contact_resolution",
        [(at(0, 9), "create"), (at(0, 10), "reply", "agent")],
        dict(fcr=False, status="waiting_customer", resolved_at=None),
        False,
    ),
    (
        "claiming_an_unowned_conversation_is_not_a_handoff",
        [
            (at(0, 9), "create"),
            (at(0, 9.5), "assign", "agent", "agent"),
            (at(0, 10), "reply", "agent", "resolved"),
        ],
        dict(handoffs=0, time_to_owner_seconds=H // 2, fcr=True),
        False,
    ),
    (
        "giving_it_from_one_person_to_another_is_a_handoff",
        [
            (at(0, 9), "create"),
            (at(0, 9.5), "assign", "agent"),
            (at(0, 10), "assign", "lead"),
            (at(0, 11), "reply", "lead", "resolved"),
        ],
        dict(handoffs=1, team_count=1, time_to_owner_seconds=H // 2, wait_seconds=2 * H, score=14),
        False,
    ),
    (
        "unassigning_and_taking_it_back_is_not_a_handoff",
        [
            (at(0, 9), "create"),
            (at(0, 9.5), "assign", "agent"),
            (at(0, 10), "assign", None),
            (at(0, 10.5), "assign", "agent"),
            (at(0, 11), "reply", "agent", "resolved"),
        ],
        dict(handoffs=0, wait_seconds=2 * H),
        False,
    ),
    (
        "a_transfer_chain_counts_every_handoff_and_every_team",
        [
            (at(0, 9), "create"),
            (at(0, 9.5), "assign", "agent"),
            (at(0, 10), "transfer", "billing", "other_agent"),
            (at(0, 11), "transfer", "support", None, "other_agent"),
            (at(0, 12), "assign", "agent"),
            (at(0, 13), "reply", "agent", "resolved"),
        ],
        dict(
            handoffs=3,
            team_count=2,
            wait_seconds=4 * H,
            longest_wait_seconds=4 * H,
            waits=1,
            time_to_owner_seconds=H // 2,
            fcr=True,
            score=43,
        ),
        False,
    ),
    (
        "time_until_a_named_owner_waits_for_the_first_person",
        [
            (at(0, 9), "create"),
            (at(0, 10), "transfer", "billing", None, "lead"),
            (at(0, 14), "assign", "other_agent", "other_agent"),
            (at(0, 15), "reply", "other_agent", "resolved"),
        ],
        dict(handoffs=1, team_count=2, time_to_owner_seconds=5 * H, wait_seconds=6 * H),
        False,
    ),
    (
        "internal_notes_change_nothing_for_the_customer",
        [
            (at(0, 9), "create"),
            (at(0, 9.5), "note", "agent"),
            (at(0, 10), "reply", "agent", "resolved"),
        ],
        dict(wait_seconds=H, customer_messages=1, handoffs=0, fcr=True),
        False,
    ),
]


@pytest.mark.parametrize(
    ("steps", "expected", "business"),
    [pytest.param(s, e, b, id=name) for name, s, e, b in TIMELINES],
)
def test_effort_metrics_from_event_timelines(personas, steps, expected, business):
    if business and not business_time_available():
        pytest.skip("helpmate.service.calendar is not installed: waits are wall time")
    row = effort_of(play(personas, steps))
    actual = {key: getattr(row, key) for key in expected}
    assert actual == expected


def test_a_transfer_chain_shows_who_had_it_when_and_the_wait_at_each_step(personas):
    conv = play(
        personas,
        [
            (at(0, 9), "create"),
            (at(0, 9.5), "assign", "agent"),
            (at(0, 10), "transfer", "billing", "other_agent"),
            (at(0, 11), "transfer", "support", None, "other_agent"),
            (at(0, 12), "assign", "agent"),
            (at(0, 13), "reply", "agent", "resolved"),
        ],
    )
    p = personas
    steps = effort_of(conv).steps
    assert [(s["via"], s["team"], s["owner"], s["wait"]) for s in steps] == [
        ("created", p.support.pk, None, H // 2),
        ("assigned", p.support.pk, p.agent.pk, H // 2),
        ("transferred", p.billing.pk, p.other_agent.pk, H),
        ("transferred", p.support.pk, None, H),
        ("assigned", p.support.pk, p.agent.pk, H),
    ]
    assert steps[-1]["end"] is None and all(s["end"] for s in steps[:-1])


def test_the_handoff_message_to_the_customer_is_not_an_answer(personas):
    from helpmate.desk.actions import lock_conversation, log_event
    from helpmate.desk.models import EventType

    conv = play(personas, [(at(0, 9), "create"), (at(0, 10), "transfer", "billing", None)])
    with transaction.atomic():
        log_event(
            lock_conversation(conv), EventType.REPLIED, personas.agent, at(0, 10), handoff=True
        )
    conv = play_on(personas, conv, [(at(0, 12), "reply", "other_agent", "resolved")])
    row = effort_of(conv)
    assert (row.agent_replies, row.waits, row.wait_seconds, row.fcr) == (1, 1, 3 * H, True)
