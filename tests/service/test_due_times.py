"""Due times follow the conversation through its events (time travel with ``at=``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from helpmate.desk import actions as desk
from helpmate.desk.models import Channel, Conversation, Event, EventType, Priority, Status
from helpmate.service import actions as service
from helpmate.service.jobs import record_misses

LONDON = ZoneInfo("Europe/London")
H = timedelta(hours=1)


def lon(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


MONDAY_10 = lon(2026, 11, 23, 10, 0)


def _open(
    personas,
    *,
    at=MONDAY_10,
    requester=None,
    team=None,
    channel=Channel.PORTAL,
    priority=Priority.NORMAL,
) -> Conversation:
    return desk.create_conversation(
        requester=requester or personas.customer,
        subject="Lamp arrived broken",
        text="The lamp is broken.",
        channel=channel,
        team=team or personas.support,
        priority=priority,
        at=at,
    )


def fresh(conv: Conversation) -> Conversation:
    return Conversation.objects.get(pk=conv.pk)


def test_new_conversation_gets_first_response_and_resolution_due_times(personas) -> None:
    # Built-in targets on the default calendar (Mon-Fri 09:00-17:00 London): 4 h first
    # response, 40 h resolution (five working days).
    conv = fresh(_open(personas))
    assert conv.first_response_due_at == lon(2026, 11, 23, 14)
    assert conv.next_response_due_at is None
    assert conv.resolution_due_at == lon(2026, 11, 30, 10)
    assert conv.due_at == conv.first_response_due_at


def test_targets_most_specific_match_wins_per_target(personas) -> None:
    admin = personas.admin
    service.save_target(actor=admin, first_response=8 * H, resolution=80 * H)
    service.save_target(actor=admin, team=personas.support, first_response=2 * H)
    service.save_target(
        actor=admin, team=personas.support, priority=Priority.URGENT, first_response=30 * H / 60
    )
    service.save_target(actor=admin, requester_kind="supplier", first_response=16 * H)
    normal = fresh(_open(personas))
    assert normal.first_response_due_at == MONDAY_10 + 2 * H  # team beats the desk default
    assert normal.resolution_due_at == lon(2026, 12, 7, 10)  # 80 h (ten days), desk default
    urgent = fresh(_open(personas, priority=Priority.URGENT))
    assert urgent.first_response_due_at == MONDAY_10 + 30 * H / 60
    # The supplier row is less specific than the team row: the team's 2 h still applies.
    supplier = fresh(_open(personas, requester=personas.supplier))
    assert supplier.first_response_due_at == MONDAY_10 + 2 * H
    billing_supplier = fresh(_open(personas, requester=personas.supplier, team=personas.billing))
    assert billing_supplier.first_response_due_at == lon(2026, 11, 25, 10)  # 16 business hours


def test_colleague_requests_have_their_own_targets(personas) -> None:
    service.save_target(actor=personas.admin, requester_kind="colleague", first_response=24 * H)
    conv = fresh(_open(personas, requester=personas.colleague))
    assert conv.first_response_due_at == lon(2026, 11, 26, 10)


def test_reply_ends_first_response_and_customer_message_starts_next_response(personas) -> None:
    conv = _open(personas)
    desk.add_reply(conversation=conv, agent=personas.agent, text="On it.", at=lon(2026, 11, 23, 11))
    conv = fresh(conv)
    assert conv.first_response_due_at is None
    assert conv.next_response_due_at is None  # waiting on the customer
    assert conv.due_at == conv.resolution_due_at == lon(2026, 11, 30, 10)
    desk.add_incoming_message(
        conversation=conv, author=personas.customer, text="Thanks, and?", at=lon(2026, 11, 23, 16)
    )
    conv = fresh(conv)
    assert conv.next_response_due_at == lon(2026, 11, 24, 16)  # 8 business hours
    assert conv.due_at == conv.next_response_due_at
    desk.add_reply(
        conversation=conv, agent=personas.agent, text="Sent a new one.", at=lon(2026, 11, 24, 9, 30)
    )
    assert fresh(conv).next_response_due_at is None


@pytest.mark.parametrize("done", [Status.RESOLVED, Status.CLOSED])
def test_resolving_clears_every_due_time_and_reopening_brings_them_back(personas, done) -> None:
    conv = _open(personas)
    desk.change_status(
        conversation=conv, actor=personas.agent, status=done, at=lon(2026, 11, 23, 12)
    )
    conv = fresh(conv)
    assert (conv.first_response_due_at, conv.resolution_due_at, conv.due_at) == (None,) * 3
    desk.add_incoming_message(
        conversation=conv, author=personas.customer, text="Still broken", at=lon(2026, 12, 7, 9)
    )
    conv = fresh(conv)
    # Never answered: the first response is still owed (and long overdue); the resolution
    # clock was not reset by the reopening.
    assert conv.first_response_due_at == lon(2026, 11, 23, 14)
    assert conv.resolution_due_at == lon(2026, 11, 30, 10)
    assert conv.due_at == lon(2026, 11, 23, 14)


def test_waiting_on_customer_does_not_pause_resolution(personas) -> None:
    conv = _open(personas)
    desk.add_reply(
        conversation=conv,
        agent=personas.agent,
        text="Photo please?",
        status=Status.WAITING_CUSTOMER,
        at=lon(2026, 11, 23, 11),
    )
    assert fresh(conv).resolution_due_at == lon(2026, 11, 30, 10)


def test_priority_and_team_changes_recompute(personas) -> None:
    service.save_target(actor=personas.admin, priority=Priority.URGENT, first_response=H)
    cal = service.save_calendar(
        actor=personas.admin,
        name="Sydney",
        time_zone="Australia/Sydney",
        hours={d: "08:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri")},
    )
    service.set_team_calendar(actor=personas.admin, team=personas.billing, calendar=cal)
    conv = _open(personas)
    desk.change_priority(
        conversation=conv,
        actor=personas.agent,
        priority=Priority.URGENT,
        at=lon(2026, 11, 23, 10, 5),
    )
    assert fresh(conv).first_response_due_at == MONDAY_10 + H
    desk.transfer_conversation(
        conversation=fresh(conv),
        actor=personas.agent,
        team=personas.billing,
        note="Refund question",
        at=lon(2026, 11, 23, 10, 10),
    )
    # Monday 10:00 London is 21:00 in Sydney, after hours: due at 09:00 Tuesday Sydney time.
    syd = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Australia/Sydney"))
    assert fresh(conv).first_response_due_at == syd


def test_saves_with_update_fields_on_inputs_still_keep_due_times(personas) -> None:
    conv = fresh(_open(personas))
    conv.priority = Priority.URGENT
    service.save_target(actor=personas.admin, priority=Priority.URGENT, first_response=H)
    conv.save(update_fields=["priority"])
    assert fresh(conv).first_response_due_at == MONDAY_10 + H


def test_recompute_follows_target_changes(personas) -> None:
    conv = _open(personas)
    other = _open(personas, team=personas.billing)
    service.save_target(actor=personas.admin, team=personas.support, first_response=H)
    assert fresh(conv).first_response_due_at == lon(2026, 11, 23, 14)  # not yet recomputed
    changed = service.recompute_due_times()
    assert changed == 1
    assert fresh(conv).first_response_due_at == MONDAY_10 + H
    assert fresh(other).first_response_due_at == lon(2026, 11, 23, 14)


def test_missed_targets_are_recorded_once_per_due_time(personas) -> None:
    conv = _open(personas)
    assert service.record_missed_targets(now=lon(2026, 11, 23, 13, 59)) == 0
    assert service.record_missed_targets(now=lon(2026, 11, 23, 14, 1)) == 1
    assert service.record_missed_targets(now=lon(2026, 11, 23, 15)) == 0  # idempotent
    event = Event.objects.get(conversation=conv, type=EventType.TARGET_MISSED)
    assert event.data["target"] == "first_response"
    assert event.created_at == lon(2026, 11, 23, 14)
    assert service.record_missed_targets(now=lon(2026, 12, 1, 9)) == 1  # resolution
    assert Event.objects.filter(type=EventType.TARGET_MISSED).count() == 2


def test_met_targets_are_never_recorded_as_missed(personas, time_machine) -> None:
    conv = _open(personas)
    desk.add_reply(
        conversation=conv,
        agent=personas.agent,
        text="Done.",
        status=Status.RESOLVED,
        at=lon(2026, 11, 23, 11),
    )
    time_machine.move_to(lon(2026, 12, 24, 12))
    assert record_misses() == 0
    assert not Event.objects.filter(type=EventType.TARGET_MISSED).exists()


def test_merged_conversations_carry_no_due_times(personas) -> None:
    a = _open(personas)
    b = _open(personas)
    desk.merge_conversations(source=a, target=b, actor=personas.agent, at=lon(2026, 11, 23, 10, 30))
    assert fresh(a).due_at is None
    assert fresh(b).due_at is not None
