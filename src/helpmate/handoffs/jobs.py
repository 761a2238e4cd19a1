"""The periodic job that alerts team leads about open conversations nobody owns for too long.

Registered as ``handoffs.unowned`` (every minute). The wait counts working time of the
conversation's team calendar (helpmate.service.calendar) since it became unowned (created, or
the last assignment or transfer that left it without an owner). Safe to run twice at once: the
alert is decided again under the conversation's lock and recorded once per conversation.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from helpmate.desk.models import Conversation, Event, EventType
from helpmate.handoffs.actions import alert_if_unowned
from helpmate.handoffs.models import AlertReason, LeadAlert
from helpmate.service.calendar import business_time_between, calendar_for

BATCH = 500
OWNERSHIP_EVENTS = [EventType.CREATED, EventType.ASSIGNED, EventType.TRANSFERRED]


def unowned_candidates(now: datetime, minutes: int) -> list[Conversation]:
    """Open, unowned, unalerted conversations at least ``minutes`` of wall time old, with the
    time they became unowned (working time is never more than wall time, so this is a superset
    of the ones due)."""
    since = Subquery(
        Event.objects.filter(conversation=OuterRef("pk"), type__in=OWNERSHIP_EVENTS)
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    alerted = LeadAlert.objects.filter(conversation=OuterRef("pk"), reason=AlertReason.UNOWNED)
    return list(
        Conversation.objects.open()
        .filter(owner__isnull=True, merged_into__isnull=True)
        .filter(created_at__lte=now - timedelta(minutes=minutes))
        .exclude(Exists(alerted))
        .annotate(unowned_since=since)
        .order_by("created_at")[:BATCH]
    )


def alert_unowned(now: datetime | None = None) -> int:
    """Alert the leads of every conversation unowned past HELPMATE_UNOWNED_ALERT_MINUTES."""
    now = now or timezone.now()
    minutes = settings.HELPMATE_UNOWNED_ALERT_MINUTES
    limit = timedelta(minutes=minutes)
    alerted = 0
    for conv in unowned_candidates(now, minutes):
        since = conv.unowned_since or conv.created_at  # type: ignore[attr-defined]
        if business_time_between(since, now, calendar_for(conv.team_id)) < limit:
            continue
        if alert_if_unowned(conversation=conv, since=since, minutes=minutes, at=now):
            alerted += 1
    return alerted
