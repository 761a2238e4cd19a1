"""The periodic job that asks for the Customer Effort Score after resolution.

Every five minutes (``helpmate worker``, or ``helpmate jobs --once effort.ces``) it finds
conversations resolved between HELPMATE_CES_MAX_AGE_DAYS and HELPMATE_CES_DELAY_MINUTES ago that
were never asked, and asks each through ``request_ces`` (which locks the conversation and checks
again, so two workers never ask twice). A conversation reopened in the meantime is not resolved
any more and waits for its next resolution; merged ones are skipped.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from helpmate.desk.models import DONE_STATUSES
from helpmate.effort.actions import request_ces
from helpmate.effort.models import ConversationEffort
from helpmate.people.models import ContactEmail

BATCH = 200


def due_for_ces(now: datetime) -> list[int]:
    latest = now - timedelta(minutes=settings.HELPMATE_CES_DELAY_MINUTES)
    earliest = now - timedelta(days=settings.HELPMATE_CES_MAX_AGE_DAYS)
    agent_addresses = ContactEmail.objects.filter(
        contact_id=OuterRef("requester_id"),
        email__in=User.objects.filter(agent__isnull=False).values("email"),
    )
    with transaction.atomic():
        return list(
            ConversationEffort.objects.select_for_update(no_key=True, skip_locked=True)
            .filter(
                ces_requested_at__isnull=True,
                ces_answered_at__isnull=True,
                resolved_at__gte=earliest,
                resolved_at__lte=latest,
                status__in=DONE_STATUSES,
                merged=False,
            )
            .exclude(Exists(agent_addresses))
            .order_by("resolved_at")
            .values_list("pk", flat=True)[:BATCH]
        )


def ask_for_effort_scores(now: datetime | None = None) -> int:
    """Ask every conversation that is due; returns how many were asked."""
    from helpmate.desk.models import Conversation

    now = now or timezone.now()
    asked = 0
    for pk in due_for_ces(now):
        conversation = Conversation.objects.filter(pk=pk).first()
        if conversation is not None and request_ces(conversation=conversation, at=now):
            asked += 1
    return asked
