"""Effort test helpers: write a conversation's timeline through the desk actions, in time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from helpmate.desk import actions as desk
from helpmate.desk.models import Channel, Conversation
from helpmate.effort.models import ConversationEffort
from tests.api.conftest import api_for  # noqa: F401  (the API tests' fixture)

# Monday 2 March 2026, 09:00 in London (GMT, so also 09:00 UTC): the default calendar opens.
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(day: int = 0, hour: float = 9) -> datetime:
    """A moment in the week of MONDAY: ``day`` 0 is Monday, ``hour`` in UTC (= London)."""
    return MONDAY + timedelta(days=day, hours=hour - 9)


def play_on(personas: Any, conv: Conversation, steps: Sequence[tuple]) -> Conversation:
    """Go on with an existing conversation (same steps as ``play``)."""
    return play(personas, steps, conversation=conv)


def play(
    personas: Any,
    steps: Sequence[tuple],
    *,
    requester: Any = None,
    conversation: Conversation | None = None,
) -> Conversation:
    """Run a timeline. Steps (each starting with the time from ``at``):
    (t, "create"[, subject, text, team]), (t, "customer"[, text]), (t, "reply", agent[, status]),
    (t, "status", status[, agent]), (t, "assign", agent-or-None[, by]),
    (t, "transfer", team-or-None, agent-or-None[, by]), (t, "note", agent)."""
    p = personas
    conv: Conversation | None = conversation
    who = requester or p.customer

    def persona(name: Any) -> Any:
        return getattr(p, name) if isinstance(name, str) else name

    for step in steps:
        when, kind, *args = step
        if kind == "create":
            subject = args[0] if args else "Order 1042 arrived damaged"
            text = args[1] if len(args) > 1 else "The box was crushed and the lamp is broken."
            team = persona(args[2]) if len(args) > 2 else p.support
            conv = desk.create_conversation(
                requester=who,
                subject=subject,
                text=text,
                channel=Channel.PORTAL,
                team=team,
                at=when,
            )
            continue
        assert conv is not None
        if kind == "customer":
            desk.add_incoming_message(
                conversation=conv, author=who, text=args[0] if args else "Any news?", at=when
            )
        elif kind == "reply":
            desk.add_reply(
                conversation=conv,
                agent=persona(args[0]),
                text="Hello, here is what we did.",
                status=args[1] if len(args) > 1 else None,
                at=when,
            )
        elif kind == "status":
            actor = persona(args[1]) if len(args) > 1 else p.agent
            desk.change_status(conversation=conv, actor=actor, status=args[0], at=when)
        elif kind == "assign":
            by = persona(args[1]) if len(args) > 1 else p.lead
            owner = persona(args[0]) if args[0] is not None else None
            desk.assign_conversation(conversation=conv, actor=by, owner=owner, at=when)
        elif kind == "transfer":
            by = persona(args[2]) if len(args) > 2 else p.agent
            desk.transfer_conversation(
                conversation=conv,
                actor=by,
                note="Over to you: the customer needs a refund.",
                team=persona(args[0]) if args[0] is not None else None,
                owner=persona(args[1]) if args[1] is not None else None,
                at=when,
            )
        elif kind == "note":
            desk.add_note(conversation=conv, agent=persona(args[0]), text="Checking.", at=when)
        else:  # pragma: no cover - a typo in a test table
            raise AssertionError(f"unknown step {kind}")
        conv.refresh_from_db()
    assert conv is not None
    return conv


def effort_of(conv: Conversation) -> ConversationEffort:
    return ConversationEffort.objects.get(pk=conv.pk)
