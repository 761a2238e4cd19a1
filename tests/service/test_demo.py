"""The service demo: calendars for the Northwind teams, targets, due times, recorded misses.
(A small desk with Northwind's team names stands in for the full demo seed.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from helpmate.desk import actions as desk
from helpmate.desk.models import Conversation, Event, EventType
from helpmate.people import actions as people
from helpmate.service.calendar import calendar_for, is_open
from helpmate.service.demo import seed_demo
from helpmate.service.models import ServiceTarget

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_demo_gives_teams_calendars_targets_and_due_times(personas) -> None:
    logistics = people.create_team(name="Logistics & Suppliers")
    other = people.create_team(name="Returns")  # not a Northwind team: stays on the default
    for i in range(6):
        desk.create_conversation(
            requester=[personas.customer, personas.supplier][i % 2],
            subject=f"Pallet {i}",
            text="Where is it?",
            team=logistics,
            at=NOW - timedelta(days=i),
        )
    Conversation.objects.update(due_at=None, first_response_due_at=None, resolution_due_at=None)
    summary = seed_demo(now=NOW)
    assert summary.startswith("service: 3 calendars")
    cal = calendar_for(logistics)
    assert cal.tz.key == "Europe/Amsterdam"
    assert is_open(datetime(2026, 11, 23, 5, 30, tzinfo=UTC), cal)  # 06:30 in Rotterdam
    assert calendar_for(other).name == "London office"  # the default
    assert calendar_for(personas.billing).name == "Finance hours"
    assert ServiceTarget.objects.filter(requester_kind="supplier").exists()
    assert not Conversation.objects.filter(status__in=["new", "open"], due_at=None).exists()
    assert Event.objects.filter(type=EventType.TARGET_MISSED).exists()
    assert seed_demo(now=NOW) == "service: already seeded"
