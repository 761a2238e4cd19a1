"""Every write to the promise ledger: make, keep, renegotiate, cancel, break, warn.

Each action runs in one transaction, locks the conversation (``lock_conversation``) and then the
promise row, and appends an event to the conversation's log with what the reports need: the
promise id, the agent, the team, who it was made to, the due time and, for outcomes, the margin.

When is a promise kept on time? Days are the customer's days (their time zone):

- **kept early**: kept on a day before the day it was due, or, for a promise due the same day it
  was made, with at least half of the promised time to spare;
- **kept on time**: otherwise kept no later than the due time;
- **kept late**: kept after the due time (also when it was already marked broken).

The margin is ``due - kept`` in minutes (positive: early).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.utils import timezone

from helpmate.desk.actions import ActionError, ConflictError, lock_conversation, log_event
from helpmate.desk.models import Conversation, EventType, Message
from helpmate.people.models import Agent, Contact
from helpmate.promises.models import KEPT_STATES, Promise, PromiseSource, PromiseState

__all__ = [
    "PromiseError",
    "cancel_promise",
    "contact_zone",
    "keep_promise",
    "kept_outcome",
    "make_promise",
    "mark_broken",
    "renegotiate_promise",
]

MAX_AHEAD = timedelta(days=400)


class PromiseError(ActionError):
    """A promise change that cannot be made, with a message fit to show."""


def contact_zone(contact: Contact) -> ZoneInfo:
    try:
        return ZoneInfo(contact.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def kept_outcome(promise: Promise, kept_at: datetime) -> str:
    """Early, on time or late, by the rules in this module's docstring."""
    if kept_at > promise.due_at:
        return PromiseState.KEPT_LATE
    tz = contact_zone(promise.made_to)
    due_day = promise.due_at.astimezone(tz).date()
    if kept_at.astimezone(tz).date() < due_day:
        return PromiseState.KEPT_EARLY
    made_day = promise.created_at.astimezone(tz).date()
    if (
        made_day == due_day
        and promise.due_at - kept_at >= (promise.due_at - promise.created_at) / 2
    ):
        return PromiseState.KEPT_EARLY
    return PromiseState.KEPT_ON_TIME


def _event_data(promise: Promise, conversation: Conversation) -> dict[str, Any]:
    return {
        "promise": promise.pk,
        "text": promise.text,
        "due": promise.due_at.isoformat(),
        "agent": promise.made_by_id,
        "team": conversation.team_id,
        "to": promise.made_to_id,
        "to_kind": promise.made_to.kind,
    }


def _lock_promise(promise: Promise) -> tuple[Conversation, Promise]:
    conversation = lock_conversation(promise.conversation_id)
    locked = (
        Promise.objects.select_for_update(no_key=True, of=("self",))
        .select_related("made_to", "made_by")
        .get(pk=promise.pk)
    )
    return conversation, locked


def _check_due(due_at: datetime, at: datetime) -> None:
    if timezone.is_naive(due_at):
        raise PromiseError("The due time needs a time zone.")
    if due_at <= at:
        raise PromiseError("The due time has to be in the future.")
    if due_at - at > MAX_AHEAD:
        raise PromiseError("The due time is more than a year away; choose a nearer one.")


def make_promise(
    *,
    conversation: Conversation,
    agent: Agent,
    text: str,
    due_at: datetime,
    made_to: Contact | None = None,
    by_team: bool = False,
    words: str = "",
    source: str = PromiseSource.MANUAL,
    source_message: Message | None = None,
    renegotiated_from: Promise | None = None,
    at: datetime | None = None,
) -> Promise:
    """Record a promise the agent made (confirmed from a suggestion, or added by hand)."""
    at = at or timezone.now()
    text = " ".join(text.split())
    if not text:
        raise PromiseError("Say what was promised, e.g. 'call you back with the tracking number'.")
    if len(text) > 300:
        raise PromiseError("Keep what was promised under 300 characters.")
    _check_due(due_at, at)
    with transaction.atomic():
        conv = lock_conversation(conversation)
        if conv.merged_into_id is not None:
            raise ConflictError("This conversation was merged; make the promise in the other one.")
        to = made_to or conv.requester
        if to.pk != conv.requester_id and not conv.participants.filter(pk=to.pk).exists():
            raise PromiseError("A promise is made to the requester or a participant.")
        promise = Promise.objects.create(
            conversation=conv,
            made_by=agent,
            made_to=to,
            by_team=by_team,
            text=text,
            words=words[:120],
            source=source,
            due_at=due_at,
            original_due_at=renegotiated_from.original_due_at if renegotiated_from else due_at,
            created_at=at,
            source_message=source_message,
            renegotiated_from=renegotiated_from,
        )
        log_event(
            conv,
            EventType.PROMISE_MADE,
            agent,
            at,
            **_event_data(promise, conv),
            words=promise.words,
            source=source,
            renegotiated_from=renegotiated_from.pk if renegotiated_from else None,
        )
    return promise


def keep_promise(
    *,
    promise: Promise,
    actor: Agent,
    message: Message | None = None,
    at: datetime | None = None,
) -> Promise:
    """Record that a promise was kept (by a reply marked as fulfilling it, or explicitly)."""
    at = at or timezone.now()
    with transaction.atomic():
        conv, locked = _lock_promise(promise)
        if locked.state not in (PromiseState.OPEN, PromiseState.BROKEN):
            raise ConflictError(f"This promise is already {locked.get_state_display().lower()}.")
        outcome = kept_outcome(locked, at)
        locked.state = outcome
        locked.kept_at = at
        locked.closed_at = at
        locked.kept_by_message = message
        locked.save(update_fields=["state", "kept_at", "closed_at", "kept_by_message"])
        margin = int((locked.due_at - at).total_seconds() // 60)
        log_event(
            conv,
            EventType.PROMISE_KEPT,
            actor,
            at,
            **_event_data(locked, conv),
            outcome=outcome.removeprefix("kept_"),
            margin_minutes=margin,
            message=message.pk if message else None,
        )
    return locked


def renegotiate_promise(
    *,
    promise: Promise,
    actor: Agent,
    new_due_at: datetime,
    reason: str = "",
    message: Message | None = None,
    at: datetime | None = None,
) -> Promise:
    """Agree a new time. Before the old one passed, the promise is renegotiated (early); once it
    has passed, it is broken and the new time is a new promise. Returns the new promise."""
    at = at or timezone.now()
    reason = " ".join(reason.split())[:300]
    _check_due(new_due_at, at)
    with transaction.atomic():
        conv, locked = _lock_promise(promise)
        if locked.state not in (PromiseState.OPEN, PromiseState.BROKEN):
            raise ConflictError(f"This promise is already {locked.get_state_display().lower()}.")
        if new_due_at == locked.due_at:
            raise PromiseError("The new time is the same as the old one.")
        early = locked.state == PromiseState.OPEN and at < locked.due_at
        if early:
            locked.state = PromiseState.RENEGOTIATED
            locked.closed_at = at
            locked.note = reason
            locked.save(update_fields=["state", "closed_at", "note"])
            log_event(
                conv,
                EventType.PROMISE_RENEGOTIATED,
                actor,
                at,
                **_event_data(locked, conv),
                new_due=new_due_at.isoformat(),
                reason=reason,
                margin_minutes=int((locked.due_at - at).total_seconds() // 60),
                message=message.pk if message else None,
            )
        elif locked.state == PromiseState.OPEN:
            _break(conv, locked, at, late_renegotiation=True)
        successor = make_promise(
            conversation=conv,
            agent=locked.made_by or actor,
            text=locked.text,
            due_at=new_due_at,
            made_to=locked.made_to,
            by_team=locked.by_team,
            source=PromiseSource.RENEGOTIATED,
            source_message=message,
            renegotiated_from=locked,
            at=at,
        )
    return successor


def cancel_promise(
    *, promise: Promise, actor: Agent, reason: str = "", at: datetime | None = None
) -> Promise:
    """Withdraw a promise that no longer applies (the customer cancelled, it was a mistake)."""
    at = at or timezone.now()
    with transaction.atomic():
        conv, locked = _lock_promise(promise)
        if locked.state != PromiseState.OPEN:
            raise ConflictError(f"This promise is already {locked.get_state_display().lower()}.")
        locked.state = PromiseState.CANCELLED
        locked.closed_at = at
        locked.note = " ".join(reason.split())[:300]
        locked.save(update_fields=["state", "closed_at", "note"])
        log_event(
            conv,
            EventType.PROMISE_CANCELLED,
            actor,
            at,
            **_event_data(locked, conv),
            reason=locked.note,
        )
    return locked


def _break(conv: Conversation, locked: Promise, at: datetime, **extra: Any) -> None:
    locked.state = PromiseState.BROKEN
    locked.closed_at = at
    locked.save(update_fields=["state", "closed_at"])
    log_event(
        conv,
        EventType.PROMISE_BROKEN,
        None,
        at,
        **_event_data(locked, conv),
        overdue_minutes=int((at - locked.due_at).total_seconds() // 60),
        **extra,
    )


def mark_broken(*, promise: Promise, at: datetime | None = None) -> bool:
    """Mark an open promise whose due time has passed as broken (idempotent: False when it is
    no longer open or not yet due)."""
    at = at or timezone.now()
    with transaction.atomic():
        conv, locked = _lock_promise(promise)
        if locked.state != PromiseState.OPEN or locked.due_at > at:
            return False
        _break(conv, locked, at)
    return True


def is_kept(state: str) -> bool:
    return state in KEPT_STATES
