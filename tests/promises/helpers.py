"""Shared pieces of the promise tests: a fixed Monday, and a promise made on it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from helpmate.desk.models import Conversation
from helpmate.people.models import Agent, Contact
from helpmate.promises import actions
from helpmate.promises.models import Promise

# Monday 23 November 2026, 10:00 UTC (Carla, the customer, is in Lisbon: same clock in winter).
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def promise(
    conversation: Conversation,
    agent: Agent,
    *,
    due: datetime | None = None,
    at: datetime = MONDAY,
    text: str = "call you back with the tracking number",
    made_to: Contact | None = None,
) -> Promise:
    return actions.make_promise(
        conversation=conversation,
        agent=agent,
        text=text,
        due_at=due or at + timedelta(days=4, hours=7),  # Friday 17:00
        made_to=made_to,
        at=at,
    )
