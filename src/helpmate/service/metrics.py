"""Target attainment from the event log: how often first responses, next responses and
resolutions came within their targets, per team, agent and period.

``attainment(start=..., end=..., team=None, agent=None)`` returns an ``AttainmentReport``::

    report.start, report.end       the period asked for (aware datetimes, end excluded)
    report.bucket                  "day" (periods up to 62 days) or "week" (weeks start Monday)
    report.overall                 Row for everything
    report.teams                   [Row], one per team (key: team id, None = no team), by name
    report.agents                  [Row], one per agent credited (key: agent id, None = nobody)
    report.periods                 [Row], one per day or week (key: the date it starts), in order

    Row.key, Row.label             id (or date) and display name
    Row.first_response / .next_response / .resolution: Attainment
    Attainment.met, .missed, .pending (ints), .total (met + missed), .rate (met / total, a
        float 0..1, or None when nothing is decided yet)

``report.as_dict()`` gives the same as plain JSON-able data (the API's answer).

What is counted, for the conversations created in [start, end) (the cohort; merged ones left
out), read from their events (created, message received, replied, status changed, target missed):

- first response: met when the first reply came by created + the first-response target (in
  business time of the team's calendar); missed when it came later, when there is none and the
  due time has passed, or when a TARGET_MISSED event recorded the miss; otherwise pending.
  Credited to the agent who replied (else the owner).
- next response: every time the customer wrote after our first reply while not already
  waiting, the wait is met when our next reply came within the next-response target. Credited
  to the agent who replied (else the owner).
- resolution: met when it was first resolved or closed by created + the resolution target
  (never paused; see ``helpmate.service.due``). Credited to whoever resolved it (else owner).

Due times use the targets and calendars in force when the report runs, for the conversation's
current team, requester kind, channel and priority; a recorded TARGET_MISSED event always counts
as missed, so history recorded under stricter targets is not rewritten.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models.fields.json import KT
from django.utils import timezone

from helpmate.desk.models import DONE_STATUSES, Conversation, Event, EventType
from helpmate.people.models import Agent, Team
from helpmate.service.calendar import Cal, add_business_time, calendar_for
from helpmate.service.targets import TARGET_NAMES, Targets, targets_for

Outcome = str  # "met" | "missed" | "pending"


@dataclass
class Attainment:
    met: int = 0
    missed: int = 0
    pending: int = 0

    @property
    def total(self) -> int:
        return self.met + self.missed

    @property
    def rate(self) -> float | None:
        return self.met / self.total if self.total else None

    def add(self, outcome: Outcome) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def as_dict(self) -> dict[str, Any]:
        rate = self.rate
        return {
            "met": self.met,
            "missed": self.missed,
            "pending": self.pending,
            "total": self.total,
            "rate": round(rate, 4) if rate is not None else None,
        }


@dataclass
class Row:
    key: Any
    label: str
    first_response: Attainment = field(default_factory=Attainment)
    next_response: Attainment = field(default_factory=Attainment)
    resolution: Attainment = field(default_factory=Attainment)

    def get(self, target: str) -> Attainment:
        found: Attainment = getattr(self, target)
        return found

    def as_dict(self) -> dict[str, Any]:
        key = self.key.isoformat() if isinstance(self.key, date) else self.key
        return {
            "key": key,
            "label": self.label,
            **{name: self.get(name).as_dict() for name in TARGET_NAMES},
        }


@dataclass
class AttainmentReport:
    start: datetime
    end: datetime
    bucket: str
    overall: Row
    teams: list[Row]
    agents: list[Row]
    periods: list[Row]

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "bucket": self.bucket,
            "overall": self.overall.as_dict(),
            "teams": [r.as_dict() for r in self.teams],
            "agents": [r.as_dict() for r in self.agents],
            "periods": [r.as_dict() for r in self.periods],
        }


@dataclass
class _Conv:
    pk: int
    created_at: datetime
    team_id: int | None
    owner_id: int | None
    targets: Targets
    cal: Cal
    events: list[tuple[str, datetime, int | None, dict[str, Any]]] = field(default_factory=list)


def _bucket_of(day: date, bucket: str) -> date:
    return day - timedelta(days=day.weekday()) if bucket == "week" else day


def _outcome(done_at: datetime | None, due: datetime | None, now: datetime, missed: bool) -> str:
    if due is None:
        return ""  # no target of this kind
    if missed:
        return "missed"
    if done_at is not None:
        return "met" if done_at <= due else "missed"
    return "missed" if now > due else "pending"


def _judge(conv: _Conv, now: datetime) -> Iterable[tuple[str, Outcome, int | None]]:
    """(target, outcome, credited agent id) for one conversation, from its events."""
    first_reply: tuple[datetime, int | None] | None = None
    resolved: tuple[datetime, int | None] | None = None
    missed: set[str] = set()
    waiting_from: datetime | None = None
    waits: list[tuple[datetime, datetime | None, int | None]] = []
    for type_, at, actor, data in conv.events:
        if type_ == EventType.TARGET_MISSED:
            missed.add(str(data.get("target", "")))
        elif type_ == EventType.REPLIED and not data.get("handoff"):
            # A handoff's message to the customer tells them who has it now; it answers nothing.
            if first_reply is None:
                first_reply = (at, actor)
            elif waiting_from is not None:
                waits.append((waiting_from, at, actor))
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
        waits.append((waiting_from, None, None))

    targets = conv.targets
    if targets.first_response is not None:
        due = add_business_time(conv.created_at, targets.first_response, conv.cal)
        done, who = first_reply if first_reply else (None, None)
        outcome = _outcome(done, due, now, "first_response" in missed)
        yield "first_response", outcome, who or conv.owner_id
    if targets.next_response is not None:
        for since, answered, who in waits:
            due = add_business_time(since, targets.next_response, conv.cal)
            yield "next_response", _outcome(answered, due, now, False), who or conv.owner_id
    if targets.resolution is not None:
        due = add_business_time(conv.created_at, targets.resolution, conv.cal)
        done, who = resolved if resolved else (None, None)
        outcome = _outcome(done, due, now, "resolution" in missed)
        yield "resolution", outcome, who or conv.owner_id


def _cohort(start: datetime, end: datetime, team: Team | int | None) -> dict[int, _Conv]:
    rows = Conversation.objects.filter(
        created_at__gte=start, created_at__lt=end, merged_into__isnull=True
    )
    if team is not None:
        rows = rows.filter(team_id=team if isinstance(team, int) else team.pk)
    convs: dict[int, _Conv] = {}
    for pk, created, team_id, owner_id, channel, priority, kind in rows.values_list(
        "pk", "created_at", "team_id", "owner_id", "channel", "priority", "requester__kind"
    ).iterator(chunk_size=2000):
        convs[pk] = _Conv(
            pk=pk,
            created_at=created,
            team_id=team_id,
            owner_id=owner_id,
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


def _load_events(convs: dict[int, _Conv]) -> None:
    """The events that matter, read per batch of conversations through the event index. The
    rows are read with a plain cursor (the ORM's SQL): at tens of thousands of events, Django's
    per-row conversions cost ten times the query."""
    types = [
        EventType.REPLIED,
        EventType.MESSAGE_RECEIVED,
        EventType.STATUS_CHANGED,
        EventType.TARGET_MISSED,
    ]
    ids = sorted(convs)
    for start in range(0, len(ids), 500):
        events = (
            Event.objects.filter(conversation_id__in=ids[start : start + 500], type__in=types)
            .order_by("conversation_id", "created_at", "pk")
            # Only two keys of the payload matter: read them in SQL, not whole JSON documents.
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
            )
        )
        sql, params = events.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for conv_id, type_, at, actor, status, target, handoff in cursor.fetchall():
                data = {"status": status, "target": target, "handoff": handoff in (True, "true")}
                convs[conv_id].events.append((type_, _as_datetime(at), actor, data))


def attainment(
    *,
    start: datetime,
    end: datetime,
    team: Team | int | None = None,
    agent: Agent | int | None = None,
    now: datetime | None = None,
) -> AttainmentReport:
    """Target attainment for conversations created in [start, end) (see the module docstring
    for the return shape and what is counted)."""
    now = now or timezone.now()
    agent_id = agent if isinstance(agent, int) or agent is None else agent.pk
    bucket = "day" if end - start <= timedelta(days=62) else "week"
    convs = _cohort(start, end, team)
    _load_events(convs)

    overall = Row(key=None, label="All")
    teams: dict[int | None, Row] = {}
    agents: dict[int | None, Row] = {}
    periods: dict[date, Row] = {}
    for conv in convs.values():
        day = _bucket_of(timezone.localtime(conv.created_at).date(), bucket)
        for target, outcome, who in _judge(conv, now):
            if not outcome or (agent_id is not None and who != agent_id):
                continue
            overall.get(target).add(outcome)
            teams.setdefault(conv.team_id, Row(conv.team_id, "")).get(target).add(outcome)
            agents.setdefault(who, Row(who, "")).get(target).add(outcome)
            periods.setdefault(day, Row(day, day.isoformat())).get(target).add(outcome)

    team_names = dict(Team.objects.filter(pk__in=[k for k in teams if k]).values_list("pk", "name"))
    agent_names = dict(
        Agent.objects.filter(pk__in=[k for k in agents if k]).values_list("pk", "full_name")
    )
    for key, row in teams.items():
        row.label = team_names.get(key, "No team") if key else "No team"
    for key, row in agents.items():
        row.label = agent_names.get(key, "Nobody") if key else "Nobody"
    # Every period of the range appears, empty ones too, so charts have no holes.
    day = _bucket_of(timezone.localtime(start).date(), bucket)
    last = timezone.localtime(end - timedelta(microseconds=1)).date()
    while day <= last:
        periods.setdefault(day, Row(day, day.isoformat()))
        day += timedelta(days=7 if bucket == "week" else 1)
    return AttainmentReport(
        start=start,
        end=end,
        bucket=bucket,
        overall=overall,
        teams=sorted(teams.values(), key=lambda r: (r.key is None, r.label)),
        agents=sorted(agents.values(), key=lambda r: (r.key is None, r.label)),
        periods=[periods[d] for d in sorted(periods)],
    )


CSV_HEADER = [
    "group",
    "key",
    "label",
    *[f"{name}_{part}" for name in TARGET_NAMES for part in ("met", "missed", "pending", "rate")],
]


def csv_rows(report: AttainmentReport) -> list[list[Any]]:
    """The report as CSV rows (header first): overall, then teams, agents and periods."""
    out: list[list[Any]] = [CSV_HEADER]
    groups = [("overall", [report.overall]), ("team", report.teams), ("agent", report.agents)]
    groups.append(("period", report.periods))
    for group, rows in groups:
        for row in rows:
            key = row.key.isoformat() if isinstance(row.key, date) else row.key
            values: list[Any] = [group, "" if key is None else key, row.label]
            for name in TARGET_NAMES:
                a = row.get(name)
                rate = a.rate
                values += [a.met, a.missed, a.pending, "" if rate is None else f"{rate:.4f}"]
            out.append(values)
    return out
