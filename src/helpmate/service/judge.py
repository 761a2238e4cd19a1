"""The one implementation of the attainment rules (see ``helpmate.service.metrics`` for what is
counted): read conversations and their events, and judge each target of each conversation.

A ``Verdict`` does not depend on "now": a target neither done nor recorded as missed is
``pending`` with its due time, and ``Verdict.at(now)`` (or the same test in SQL,
``helpmate.service.tally``) turns it into ``missed`` once the due time has passed. So the tally
can store verdicts, and the from-scratch report judges the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.fields.json import KT
from django.utils import timezone

from helpmate.desk.models import DONE_STATUSES, Conversation, Event, EventType
from helpmate.service.calendar import Cal, add_business_time, calendar_for
from helpmate.service.targets import Targets, targets_for

# Events the rules read (every other event only matters through the conversation's fields).
JUDGED_EVENTS = [
    EventType.REPLIED,
    EventType.MESSAGE_RECEIVED,
    EventType.STATUS_CHANGED,
    EventType.TARGET_MISSED,
]


@dataclass
class Conv:
    """One conversation as the rules see it: its fields (the inputs of its targets) and events."""

    pk: int
    created_at: datetime
    team_id: int | None
    owner_id: int | None
    channel: str
    priority: int
    kind: str
    merged: bool
    targets: Targets
    cal: Cal
    events: list[tuple[str, datetime, int | None, dict[str, Any]]] = field(default_factory=list)

    @property
    def day(self) -> date:
        """The (local) date it was created: the report's day buckets."""
        return timezone.localtime(self.created_at).date()


@dataclass(frozen=True)
class Verdict:
    target: str  # first_response | next_response | resolution
    seq: int  # 0, or the n-th wait for a next response
    outcome: str  # met | missed | pending (not done yet; missed once ``due_at`` has passed)
    due_at: datetime
    decided_at: datetime | None  # the reply, resolution or recorded miss that decided it
    agent_id: int | None  # credited: who replied or resolved, else the owner

    def at(self, now: datetime) -> str:
        """The outcome as of ``now``."""
        return outcome_at(self.outcome, self.due_at, now)


def outcome_at(outcome: str, due_at: datetime, now: datetime) -> str:
    return "missed" if outcome == "pending" and now > due_at else outcome


def _verdict(
    target: str, seq: int, due: datetime, done: tuple[datetime, int | None] | None, conv: Conv
) -> Verdict:
    if done is None:
        return Verdict(target, seq, "pending", due, None, conv.owner_id)
    at, who = done
    return Verdict(target, seq, "met" if at <= due else "missed", due, at, who or conv.owner_id)


def judge(conv: Conv) -> Iterable[Verdict]:
    """Every target of one conversation, from its events (in time order)."""
    first_reply: tuple[datetime, int | None] | None = None
    resolved: tuple[datetime, int | None] | None = None
    missed: dict[str, datetime] = {}
    waiting_from: datetime | None = None
    waits: list[tuple[datetime, tuple[datetime, int | None] | None]] = []
    for type_, at, actor, data in conv.events:
        if type_ == EventType.TARGET_MISSED:
            missed.setdefault(str(data.get("target", "")), at)
        elif type_ == EventType.REPLIED and not data.get("handoff"):
            # A handoff's message to the customer tells them who has it now; it answers nothing.
            if first_reply is None:
                first_reply = (at, actor)
            elif waiting_from is not None:
                waits.append((waiting_from, (at, actor)))
            waiting_from = None
        elif type_ == EventType.MESSAGE_RECEIVED:
            if first_reply is not None and waiting_from is None:
                waiting_from = at
        elif type_ == EventType.STATUS_CHANGED:
            status = data.get("status")
            if status in DONE_STATUSES and resolved is None:
                resolved = (at, actor)
            if status in (*DONE_STATUSES, "waiting_customer"):
                waiting_from = None
    if waiting_from is not None:
        waits.append((waiting_from, None))

    targets = conv.targets
    for name, target, done in (
        ("first_response", targets.first_response, first_reply),
        ("resolution", targets.resolution, resolved),
    ):
        if target is None:
            continue
        due = add_business_time(conv.created_at, target, conv.cal)
        verdict = _verdict(name, 0, due, done, conv)
        if name in missed:  # a recorded miss stands, whatever the targets are now
            verdict = Verdict(name, 0, "missed", due, missed[name], verdict.agent_id)
        yield verdict
    if targets.next_response is not None:
        for seq, (since, answered) in enumerate(waits):
            due = add_business_time(since, targets.next_response, conv.cal)
            yield _verdict("next_response", seq, due, answered, conv)


def load_convs(rows: QuerySet[Conversation]) -> dict[int, Conv]:
    """The conversations of ``rows`` with their targets and calendars (no events yet)."""
    convs: dict[int, Conv] = {}
    for pk, created, team_id, owner_id, channel, priority, kind, merged_into in rows.values_list(
        "pk",
        "created_at",
        "team_id",
        "owner_id",
        "channel",
        "priority",
        "requester__kind",
        "merged_into_id",
    ).iterator(chunk_size=2000):
        convs[pk] = Conv(
            pk=pk,
            created_at=created,
            team_id=team_id,
            owner_id=owner_id,
            channel=channel,
            priority=priority,
            kind=kind or "",
            merged=merged_into is not None,
            targets=targets_for(
                team_id=team_id, requester_kind=kind, channel=channel, priority=priority
            ),
            cal=calendar_for(team_id),
        )
    return convs


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)  # SQLite stores UTC text


def load_events(convs: dict[int, Conv], *, upto: dict[int, int] | None = None) -> None:
    """The events that matter, read per batch of conversations through the event index (only
    ids up to ``upto[conversation]`` when given). The rows are read with a plain cursor (the
    ORM's SQL): at tens of thousands of events, Django's per-row conversions cost ten times the
    query."""
    ids = sorted(convs)
    judged = set(JUDGED_EVENTS)
    for start in range(0, len(ids), 500):
        events = (
            # All their events, filtered by type below: with a type condition SQLite (without
            # statistics) walks the event_type_time index over the whole log, 15 times slower.
            Event.objects.filter(conversation_id__in=ids[start : start + 500])
            .order_by("conversation_id", "created_at", "pk")
            # Only three keys of the payload matter: read them in SQL, not whole JSON documents.
            .annotate(
                status=KT("data__status"), target=KT("data__target"), handoff=KT("data__handoff")
            )
            .values_list(
                "conversation_id",
                "type",
                "created_at",
                "actor_agent_id",
                "status",
                "target",
                "handoff",
                "pk",
            )
        )
        sql, params = events.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for conv_id, type_, at, actor, status, target, handoff, pk in cursor.fetchall():
                if type_ not in judged or (upto is not None and pk > upto.get(conv_id, 0)):
                    continue
                data = {"status": status, "target": target, "handoff": handoff in (True, "true")}
                convs[conv_id].events.append((type_, _as_datetime(at), actor, data))
