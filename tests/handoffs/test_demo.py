from __future__ import annotations

from collections import Counter

import pytest
from django.utils import timezone

from helpmate.desk import actions as desk
from helpmate.handoffs.demo import MARK, seed_demo
from helpmate.handoffs.models import AlertReason, Handoff, LeadAlert
from helpmate.people import actions as people

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_desk(personas):
    """A few open, owned customer conversations over three teams (the full Northwind seed takes
    half a minute; the demo only needs this much of it)."""
    shipping = people.create_team(name="Shipping")
    people.create_agent(
        email="lena@helpmate.test", name="Lena Berg", password=None, teams=[shipping]
    )
    for i in range(4):
        conv = personas.conversation(subject=f"Order {i}")
        desk.assign_conversation(conversation=conv, actor=personas.agent, owner=personas.agent)


def test_demo_adds_pending_handoffs_and_an_alerted_maze_once(small_desk):
    now = timezone.now()
    summary = seed_demo(now=now)
    assert summary == "handoffs: 2 waiting to be accepted, 1 maze with 2 lead alert(s)"
    demo = list(Handoff.objects.filter(note__startswith=MARK))
    pending = [h for h in demo if h.is_pending and h.customer_message_id]
    assert len(pending) == 3  # two handoffs plus the maze's last step
    assert all(h.customer_message.author_agent == h.by_agent for h in pending)
    per_conversation = Counter(h.conversation_id for h in demo)
    [(maze, hops)] = [(c, n) for c, n in per_conversation.items() if n > 1]
    assert hops == 3
    reasons = set(LeadAlert.objects.filter(conversation_id=maze).values_list("reason", flat=True))
    assert reasons == {AlertReason.HANDOFFS, AlertReason.BOUNCED}
    assert seed_demo(now=now) == "handoffs: already seeded"


def test_demo_says_what_it_needs_on_an_empty_desk(personas):
    assert seed_demo(now=timezone.now()) == (
        "handoffs: needs the Northwind desk (three teams or more)"
    )
