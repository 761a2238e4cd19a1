"""Agents' own traces that are not conversation changes: notifications read, presence."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from helpmate.desk.actions.base import (
    ActionError,
)
from helpmate.desk.models import (
    Conversation,
    Notification,
)
from helpmate.people.models import Agent


def mark_notifications_read(*, agent: Agent, conversation: Conversation | None = None) -> int:
    rows = Notification.objects.filter(agent=agent, read_at__isnull=True)
    if conversation is not None:
        rows = rows.filter(conversation=conversation)
    return rows.update(read_at=timezone.now())


def touch_presence(
    *, conversation: Conversation, agent: Agent, activity: str, at: datetime | None = None
) -> None:
    """Record that an agent has the conversation open (viewing, or replying).

    Presence is not a change to the conversation, so no Event is written. One row per
    conversation and agent, refreshed by the page every few seconds.
    """
    from django.db import IntegrityError

    from helpmate.desk.models import Presence, PresenceActivity

    if activity not in PresenceActivity.values:
        raise ActionError(f"Unknown activity {activity!r}.")
    at = at or timezone.now()
    rows = Presence.objects.filter(conversation=conversation, agent=agent)
    if rows.update(activity=activity, seen_at=at):
        return
    try:
        with transaction.atomic():
            Presence.objects.create(
                conversation=conversation, agent=agent, activity=activity, seen_at=at
            )
    except IntegrityError:  # another tab of the same agent created it at the same moment
        rows.update(activity=activity, seen_at=at)
