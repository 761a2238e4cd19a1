"""Demo data for the outbox: the latest demo replies show each email status an agent can meet.

The desk's own seed writes its hundreds of past replies inside ``helpmate.outbox.suppressed()``,
so nothing is left queued to send; this adds a handful of rows on recent replies, recorded
through the same path the worker uses (sent, one refused for good, one waiting to retry).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from helpmate.desk.models import Message, MessageKind
from helpmate.outbox import actions, sending
from helpmate.outbox.models import OutboundEmail, OutboundState
from helpmate.outbox.replies import queue_reply

OUTCOMES = [
    sending.Outcome(sending.SENT),
    sending.Outcome(sending.SENT),
    sending.Outcome(
        sending.FAILED, "550 5.1.1 <{to}>: Recipient address rejected: mailbox unknown", 550
    ),
    sending.Outcome(sending.SENT),
    sending.Outcome(sending.RETRY, "421 4.7.0 Try again later, closing connection", 421),
    sending.Outcome(sending.SENT),
]


def seed_demo(*, now: datetime) -> str:
    replies = list(
        Message.objects.filter(kind=MessageKind.REPLY, created_at__lte=now)
        .exclude(outbound_emails__isnull=False)
        .select_related("conversation__team", "conversation__requester", "author_agent")
        .order_by("-created_at", "-pk")[: len(OUTCOMES)]
    )
    counts: dict[str, int] = {}
    for message, outcome in zip(replies, OUTCOMES, strict=False):
        with transaction.atomic():
            row = queue_reply(message)
            if row.pk is None or row.state != OutboundState.QUEUED:
                continue
            # A retry is shown as it would be now; the others happened right after the reply.
            at = (
                now
                if outcome.result == sending.RETRY
                else message.created_at + timedelta(seconds=4)
            )
            OutboundEmail.objects.filter(pk=row.pk).update(
                state=OutboundState.SENDING, attempts=1, claimed_at=at
            )
            error = outcome.error.format(to=", ".join(row.to))
            actions.record_outcome(row, sending.Outcome(outcome.result, error, outcome.code), at=at)
        counts[outcome.result] = counts.get(outcome.result, 0) + 1
    parts = ", ".join(f"{n} {result}" for result, n in sorted(counts.items()))
    return f"Outbox: {sum(counts.values())} reply emails ({parts or 'none'})"
