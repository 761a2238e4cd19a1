"""The effort demo: CES asked for resolved conversations and answered by a realistic share."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from helpmate.desk.models import Event, EventType
from helpmate.effort.demo import seed_demo
from helpmate.effort.models import ConversationEffort
from helpmate.outbox.models import OutboundEmail
from tests.effort.conftest import play


def test_demo_asks_resolved_conversations_answers_some_and_queues_no_email(personas):
    now = timezone.now()
    for i in range(30):
        start = now - timedelta(days=20 - i // 2, hours=3)
        steps = [(start, "create", f"Question {i}", "Hello there.")]
        if i % 3 == 0:
            steps.append((start + timedelta(minutes=20), "transfer", "billing", "other_agent"))
        who = "other_agent" if i % 3 == 0 else "agent"
        steps.append((start + timedelta(hours=1 + i % 5), "reply", who, "resolved"))
        play(personas, steps)
    play(personas, [(now - timedelta(days=1), "create", "Still open", "Hi")])
    emails_before = OutboundEmail.objects.count()

    summary = seed_demo(now=now)

    asked = Event.objects.filter(type=EventType.CES_REQUESTED).count()
    answers = list(ConversationEffort.objects.exclude(ces_score=None))
    assert asked == 30 and "30 asked" in summary
    assert 5 <= len(answers) <= 25
    assert len({a.ces_score for a in answers}) >= 3, "varied scores"
    assert all(a.ces_answered_at < now for a in answers)
    assert OutboundEmail.objects.count() == emails_before
    # Running it again asks nobody twice.
    assert "0 asked" in seed_demo(now=now)
