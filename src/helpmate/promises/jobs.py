"""The periodic promise watch (``promises.watch``, every minute in the worker):

1. open promises whose due time passed are marked broken;
2. the one who made a promise is warned HELPMATE_PROMISE_WARN_MINUTES before it is due
   (a workspace notification and an email), once;
3. the team's leads are alerted about a broken promise, once (only for promises broken within
   HELPMATE_PROMISE_ALERT_HOURS, so an old history does not flood anyone).

Safe to run twice at once: each promise is handled in its own transaction that first claims the
conversation row with ``select_for_update(no_key=True, skip_locked=True)`` (a row another
worker holds is left for the next run), then re-reads the promise under the lock and changes it
only if still needed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from helpmate.desk.actions import log_event
from helpmate.desk.models import Conversation, EventType, Notification
from helpmate.people.models import Agent, Role
from helpmate.promises import actions
from helpmate.promises.models import Promise, PromiseState

BATCH = 500


@dataclass
class WatchResult:
    broken: int = 0
    warned: int = 0
    alerted: int = 0


@contextlib.contextmanager
def _claimed(promise_id: int) -> Iterator[tuple[Conversation, Promise] | None]:
    """The conversation and promise locked for this transaction, or None if another worker
    holds the conversation right now."""
    with transaction.atomic():
        conversation_id = (
            Promise.objects.filter(pk=promise_id).values_list("conversation_id", flat=True).first()
        )
        conv = (
            Conversation.objects.select_for_update(no_key=True, skip_locked=True)
            .filter(pk=conversation_id or 0)
            .first()
        )
        if conv is None:
            yield None
            return
        promise = (
            Promise.objects.select_for_update(no_key=True, of=("self",))
            .select_related("made_by__user", "made_to")
            .get(pk=promise_id)
        )
        yield conv, promise


def break_overdue(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    ids = list(
        Promise.objects.filter(state=PromiseState.OPEN, due_at__lte=now).values_list(
            "pk", flat=True
        )[:BATCH]
    )
    count = 0
    for promise_id in ids:
        with _claimed(promise_id) as claimed:
            if claimed is None:
                continue
            _, promise = claimed
            if actions.mark_broken(promise=promise, at=now):
                count += 1
    return count


def _link(conv: Conversation) -> str:
    return settings.BASE_URL + reverse("desk:conversation", args=[conv.pk])


def _notify(agent: Agent, conv: Conversation, text: str, *, now: datetime, subject: str) -> None:
    from helpmate.outbox import queue_email

    Notification.objects.create(agent=agent, conversation=conv, text=text[:300], created_at=now)
    if agent.user.email:
        queue_email(
            to=[agent.user.email],
            subject=subject,
            text=f"{text}\n\n{_link(conv)}\n",
            conversation=conv,
            kind="notification",
            at=now,
        )


def _who_of(promise: Promise, conv: Conversation) -> Agent | None:
    if promise.made_by is not None and promise.made_by.user.is_active:
        return promise.made_by
    return conv.owner


def warn_due_soon(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    horizon = now + timedelta(minutes=settings.HELPMATE_PROMISE_WARN_MINUTES)
    ids = list(
        Promise.objects.filter(
            state=PromiseState.OPEN, warned_at__isnull=True, due_at__gt=now, due_at__lte=horizon
        ).values_list("pk", flat=True)[:BATCH]
    )
    count = 0
    for promise_id in ids:
        with _claimed(promise_id) as claimed:
            if claimed is None:
                continue
            conv, promise = claimed
            if promise.state != PromiseState.OPEN or promise.warned_at is not None:
                continue
            agent = _who_of(promise, conv)
            minutes = max(1, int((promise.due_at - now).total_seconds() // 60))
            left = f"{minutes} min" if minutes < 120 else f"{minutes // 60} h"
            text = (
                f"Promise due in {left}: {promise.text} "
                f"({promise.made_to.name}, #{conv.pk}). Keep it, or tell them now if it will slip."
            )
            if agent is not None:
                _notify(
                    agent, conv, text, now=now, subject=f"Promise due in {left}: {promise.text}"
                )
            promise.warned_at = now
            promise.save(update_fields=["warned_at"])
            log_event(
                conv,
                EventType.PROMISE_WARNED,
                None,
                now,
                promise=promise.pk,
                kind="due_soon",
                notified=[agent.pk] if agent else [],
                due=promise.due_at.isoformat(),
            )
            count += 1
    return count


def alert_leads(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    window = now - timedelta(hours=settings.HELPMATE_PROMISE_ALERT_HOURS)
    ids = list(
        Promise.objects.filter(
            state=PromiseState.BROKEN, lead_alerted_at__isnull=True, closed_at__gte=window
        ).values_list("pk", flat=True)[:BATCH]
    )
    count = 0
    for promise_id in ids:
        with _claimed(promise_id) as claimed:
            if claimed is None:
                continue
            conv, promise = claimed
            if promise.state != PromiseState.BROKEN or promise.lead_alerted_at is not None:
                continue
            leads = (
                list(
                    Agent.objects.active()
                    .select_related("user")
                    .filter(role=Role.LEAD, teams__id=conv.team_id)
                    .exclude(pk=promise.made_by_id or 0)
                )
                if conv.team_id
                else []
            )
            who = promise.made_by.public_name if promise.made_by else "The team"
            text = (
                f"Promise overdue: {who} promised {promise.made_to.name} to {promise.text} "
                f"by {promise.due_at:%a %d %b %H:%M} UTC (#{conv.pk})."
            )
            for lead in leads:
                _notify(lead, conv, text, now=now, subject=f"Promise overdue: {promise.text}")
            promise.lead_alerted_at = now
            promise.save(update_fields=["lead_alerted_at"])
            log_event(
                conv,
                EventType.PROMISE_WARNED,
                None,
                now,
                promise=promise.pk,
                kind="overdue",
                notified=[lead.pk for lead in leads],
                due=promise.due_at.isoformat(),
            )
            count += 1
    return count


def watch(*, now: datetime | None = None) -> WatchResult:
    """One round of the periodic job."""
    now = now or timezone.now()
    return WatchResult(
        broken=break_overdue(now=now), warned=warn_due_soon(now=now), alerted=alert_leads(now=now)
    )
