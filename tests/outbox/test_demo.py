"""The outbox's demo data: a few emails in each state, nothing left to send from the seed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from helpmate.desk import actions as desk
from helpmate.desk.models import EventType
from helpmate.outbox import suppressed
from helpmate.outbox.demo import seed_demo
from helpmate.outbox.models import OutboundEmail

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_seed_suppressed_replies_leave_nothing_queued_and_the_demo_shows_each_state(personas):
    with suppressed():
        for i in range(8):
            conv = personas.conversation(subject=f"Question {i}")
            desk.add_reply(
                conversation=conv,
                agent=personas.agent,
                text=f"Answer {i}",
                at=NOW - timedelta(hours=8 - i),
            )
    assert OutboundEmail.objects.count() == 0
    summary = seed_demo(now=NOW)
    assert summary == "Outbox: 6 reply emails (1 failed, 1 retry, 4 sent)"
    states = sorted(OutboundEmail.objects.values_list("state", flat=True))
    assert states == ["failed", "queued", "sent", "sent", "sent", "sent"]
    failed = OutboundEmail.objects.get(state="failed")
    assert failed.conversation.events.filter(type=EventType.EMAIL_FAILED).exists()
    assert seed_demo(now=NOW) == "Outbox: 2 reply emails (2 sent)"  # only replies without one
