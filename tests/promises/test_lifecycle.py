"""Every path of a promise, with time travel through the actions' ``at=``: made, kept early /
on time / late, renegotiated before it was due, broken (and kept late after), cancelled."""

from __future__ import annotations

from datetime import timedelta

import pytest

from helpmate.desk.actions import ActionError, ConflictError
from helpmate.desk.models import Event, EventType
from helpmate.promises import actions
from helpmate.promises.models import Promise, PromiseState
from tests.conftest import Personas
from tests.promises.helpers import MONDAY, promise

pytestmark = pytest.mark.django_db
FRIDAY_5PM = MONDAY + timedelta(days=4, hours=7)


def events(p: Promise) -> list[tuple[str, dict]]:
    return [
        (e.type, e.data)
        for e in Event.objects.filter(conversation=p.conversation, type__startswith="promise_")
    ]


def test_making_a_promise_records_it_open_and_logs_promise_made(personas: Personas) -> None:
    conv = personas.conversation()
    p = promise(conv, personas.agent)
    assert (p.state, p.due_at, p.original_due_at, p.made_to) == (
        PromiseState.OPEN,
        FRIDAY_5PM,
        FRIDAY_5PM,
        personas.customer,
    )
    ((kind, data),) = events(p)
    assert kind == EventType.PROMISE_MADE
    assert data["promise"] == p.pk and data["agent"] == personas.agent.pk
    assert data["team"] == personas.support.pk and data["to_kind"] == "customer"


@pytest.mark.parametrize(
    ("kept_after", "state", "margin"),
    [
        (timedelta(days=1), PromiseState.KEPT_EARLY, 3 * 24 * 60 + 7 * 60),  # Tuesday
        (timedelta(days=4, hours=6), PromiseState.KEPT_ON_TIME, 60),  # Friday 16:00
        (timedelta(days=4, hours=7), PromiseState.KEPT_ON_TIME, 0),  # on the minute
        (timedelta(days=4, hours=9), PromiseState.KEPT_LATE, -120),  # Friday 19:00
    ],
)
def test_keeping_is_early_on_time_or_late_by_the_customers_day(
    personas: Personas, kept_after: timedelta, state: str, margin: int
) -> None:
    p = promise(personas.conversation(), personas.agent)
    kept = actions.keep_promise(promise=p, actor=personas.agent, at=MONDAY + kept_after)
    assert kept.state == state
    kind, data = events(p)[-1]
    assert kind == EventType.PROMISE_KEPT
    assert data["outcome"] == state.removeprefix("kept_") and data["margin_minutes"] == margin


def test_a_same_day_promise_kept_with_half_the_time_to_spare_is_early(personas: Personas) -> None:
    p = promise(personas.conversation(), personas.agent, due=MONDAY + timedelta(hours=4))
    early = actions.keep_promise(promise=p, actor=personas.agent, at=MONDAY + timedelta(hours=1))
    assert early.state == PromiseState.KEPT_EARLY
    q = promise(personas.conversation(), personas.agent, due=MONDAY + timedelta(hours=4))
    on_time = actions.keep_promise(promise=q, actor=personas.agent, at=MONDAY + timedelta(hours=3))
    assert on_time.state == PromiseState.KEPT_ON_TIME


def test_renegotiating_before_the_due_time_closes_it_and_opens_the_new_time(
    personas: Personas,
) -> None:
    p = promise(personas.conversation(), personas.agent)
    new_due = FRIDAY_5PM + timedelta(days=3)
    successor = actions.renegotiate_promise(
        promise=p,
        actor=personas.agent,
        new_due_at=new_due,
        reason="The part is late",
        at=MONDAY + timedelta(days=3),
    )
    p.refresh_from_db()
    assert p.state == PromiseState.RENEGOTIATED and p.note == "The part is late"
    assert successor.state == PromiseState.OPEN and successor.due_at == new_due
    assert successor.original_due_at == FRIDAY_5PM and successor.renegotiated_from == p
    kinds = [k for k, _ in events(p)]
    assert kinds == [EventType.PROMISE_MADE, EventType.PROMISE_RENEGOTIATED, EventType.PROMISE_MADE]


def test_renegotiating_after_the_due_time_breaks_it_and_makes_a_new_promise(
    personas: Personas,
) -> None:
    p = promise(personas.conversation(), personas.agent)
    successor = actions.renegotiate_promise(
        promise=p,
        actor=personas.agent,
        new_due_at=FRIDAY_5PM + timedelta(days=3),
        at=FRIDAY_5PM + timedelta(hours=1),
    )
    p.refresh_from_db()
    assert p.state == PromiseState.BROKEN and successor.state == PromiseState.OPEN
    broken = [d for k, d in events(p) if k == EventType.PROMISE_BROKEN]
    assert broken[0]["late_renegotiation"] is True


def test_marking_broken_is_idempotent_and_waits_for_the_due_time(personas: Personas) -> None:
    p = promise(personas.conversation(), personas.agent)
    assert actions.mark_broken(promise=p, at=FRIDAY_5PM - timedelta(minutes=1)) is False
    assert actions.mark_broken(promise=p, at=FRIDAY_5PM + timedelta(minutes=1)) is True
    assert actions.mark_broken(promise=p, at=FRIDAY_5PM + timedelta(minutes=2)) is False
    assert [k for k, _ in events(p)].count(EventType.PROMISE_BROKEN) == 1


def test_a_broken_promise_kept_afterwards_is_kept_late(personas: Personas) -> None:
    p = promise(personas.conversation(), personas.agent)
    actions.mark_broken(promise=p, at=FRIDAY_5PM + timedelta(minutes=1))
    kept = actions.keep_promise(promise=p, actor=personas.agent, at=FRIDAY_5PM + timedelta(days=1))
    assert kept.state == PromiseState.KEPT_LATE


def test_cancelling_an_open_promise_logs_the_reason(personas: Personas) -> None:
    p = promise(personas.conversation(), personas.agent)
    actions.cancel_promise(promise=p, actor=personas.agent, reason="Customer withdrew", at=MONDAY)
    p.refresh_from_db()
    assert p.state == PromiseState.CANCELLED
    kind, data = events(p)[-1]
    assert (kind, data["reason"]) == (EventType.PROMISE_CANCELLED, "Customer withdrew")


@pytest.mark.parametrize("action", ["keep", "cancel", "renegotiate"])
def test_a_closed_promise_cannot_change_again(personas: Personas, action: str) -> None:
    p = promise(personas.conversation(), personas.agent)
    actions.keep_promise(promise=p, actor=personas.agent, at=MONDAY + timedelta(hours=1))
    with pytest.raises(ConflictError):
        if action == "keep":
            actions.keep_promise(promise=p, actor=personas.agent, at=MONDAY)
        elif action == "cancel":
            actions.cancel_promise(promise=p, actor=personas.agent, at=MONDAY)
        else:
            actions.renegotiate_promise(
                promise=p,
                actor=personas.agent,
                new_due_at=FRIDAY_5PM + timedelta(days=1),
                at=MONDAY,
            )


@pytest.mark.parametrize(
    ("text", "due_after", "message"),
    [
        ("", timedelta(days=1), "Say what was promised"),
        ("call you", -timedelta(minutes=1), "in the future"),
        ("call you", timedelta(days=500), "more than a year"),
        ("x" * 301, timedelta(days=1), "under 300"),
    ],
)
def test_bad_promises_are_refused_with_a_clear_message(
    personas: Personas, text: str, due_after: timedelta, message: str
) -> None:
    with pytest.raises(ActionError, match=message):
        actions.make_promise(
            conversation=personas.conversation(),
            agent=personas.agent,
            text=text,
            due_at=MONDAY + due_after,
            at=MONDAY,
        )
    assert not Promise.objects.exists()


def test_promises_to_suppliers_and_colleagues_use_the_same_ledger(personas: Personas) -> None:
    supplier_conv = personas.conversation(personas.supplier, subject="Invoice 1042")
    colleague_conv = personas.conversation(personas.colleague, subject="Budget sign-off")
    pay = promise(supplier_conv, personas.other_agent, text="pay invoice 1042")
    sign = promise(colleague_conv, personas.lead, text="send the signed budget")
    assert {pay.made_to.kind, sign.made_to.kind} == {"supplier", "colleague"}
    assert events(pay)[0][1]["to_kind"] == "supplier"


def test_a_promise_is_made_only_to_someone_in_the_conversation(personas: Personas) -> None:
    with pytest.raises(ActionError, match="requester or a participant"):
        promise(personas.conversation(), personas.agent, made_to=personas.other_customer)
