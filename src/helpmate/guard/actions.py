"""Writes of the guard app: recording that an agent sent a reply despite its flags."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from helpmate.desk.actions import lock_conversation, log_event
from helpmate.desk.models import Conversation, Event, EventType, Message
from helpmate.guard.check import Flag
from helpmate.people.models import Agent


def record_override(
    *,
    conversation: Conversation,
    message: Message,
    agent: Agent,
    flags: Sequence[Flag],
    at: datetime | None = None,
) -> Event | None:
    """The agent sent ``message`` although the guard flagged these sentences (their choice)."""
    if not flags:
        return None
    at = at or timezone.now()
    with transaction.atomic():
        conv = lock_conversation(conversation)
        return log_event(
            conv,
            EventType.GUARD_OVERRIDDEN,
            agent,
            at,
            message=message.pk,
            sentences=[f.sentence for f in flags],
            rules=sorted({rule for f in flags for rule in f.rules}),
        )
