"""Reads for the radar and the API: who may see which figures, weekly trends, the worst mazes.

Who sees what: team leads and admins see every team and every agent; an agent sees the teams
they belong to and, among agents, only themselves (colleagues' personal figures are for their
lead). One conversation's effort follows the conversation's own visibility.

Figures are over conversations *resolved* in the period (their effort is complete), grouped by
the week of resolution, the team and the owner they were resolved with; merged-away duplicates
are left out (their messages and effort moved to the conversation they were merged into).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from helpmate.effort.models import ConversationEffort
from helpmate.people.models import Agent, Team

DEFAULT_WEEKS = 12
MAX_DAYS = 731
HOUR = 3600


@dataclass(frozen=True)
class Scope:
    """What one agent may see on the radar."""

    agent: Agent
    teams: list[Team]
    agents: list[Agent]
    everything: bool

    @property
    def team_ids(self) -> set[int]:
        return {t.pk for t in self.teams}

    @property
    def agent_ids(self) -> set[int]:
        return {a.pk for a in self.agents}


def scope_for(agent: Agent) -> Scope:
    if agent.is_lead:
        return Scope(
            agent=agent,
            teams=list(Team.objects.order_by("name")),
            agents=list(Agent.objects.active().order_by("full_name")),
            everything=True,
        )
    teams = list(agent.teams.order_by("name"))
    return Scope(agent=agent, teams=teams, agents=[agent], everything=False)


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    team: Team | None = None
    agent: Agent | None = None

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=UTC)

    @property
    def until(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=UTC)


def default_period(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.now().date()
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(weeks=DEFAULT_WEEKS - 1), today


def _in_scope(rows: QuerySet[ConversationEffort], scope: Scope) -> QuerySet[ConversationEffort]:
    if scope.everything:
        return rows
    return rows.filter(team__in=scope.team_ids)


def resolved_rows(scope: Scope, filters: Filters) -> QuerySet[ConversationEffort]:
    rows = ConversationEffort.objects.filter(
        resolved_at__gte=filters.since, resolved_at__lt=filters.until, merged=False
    )
    rows = _in_scope(rows, scope)
    if filters.team is not None:
        rows = rows.filter(team=filters.team)
    if filters.agent is not None:
        rows = rows.filter(owner=filters.agent)
    return rows


_FIGURES: dict[str, Any] = {
    "conversations": Count("pk"),
    "score": Avg("score"),
    "handoffs": Avg("handoffs"),
    "wait": Avg("wait_seconds"),
    "longest": Avg("longest_wait_seconds"),
    "repeats": Count("pk", filter=Q(repeat_contacts__gt=0) | Q(repeat_of__isnull=False)),
    "fcr": Count("pk", filter=Q(fcr=True)),
    "ces": Avg("ces_score"),
    "ces_answers": Count("ces_score"),
    "reopenings": Sum("reopenings"),
}


@dataclass
class Figures:
    """One row of the radar: a week, a team or an agent."""

    label: str
    conversations: int = 0
    score: float | None = None
    handoffs: float | None = None
    wait_hours: float | None = None
    longest_hours: float | None = None
    repeat_pct: float | None = None
    fcr_pct: float | None = None
    ces: float | None = None
    ces_answers: int = 0
    reopenings: int = 0
    key: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, label: str, values: Mapping[str, Any], key: Any = None) -> Figures:
        n = values.get("conversations") or 0

        def r(v: Any, d: int = 1) -> float | None:
            return None if v is None else round(float(v), d)

        def hours(v: Any) -> float | None:
            return None if v is None else round(float(v) / HOUR, 1)

        return cls(
            label=label,
            key=key,
            conversations=n,
            score=r(values.get("score")),
            handoffs=r(values.get("handoffs"), 2),
            wait_hours=hours(values.get("wait")),
            longest_hours=hours(values.get("longest")),
            repeat_pct=r(100 * values["repeats"] / n) if n else None,
            fcr_pct=r(100 * values["fcr"] / n) if n else None,
            ces=r(values.get("ces")),
            ces_answers=values.get("ces_answers") or 0,
            reopenings=values.get("reopenings") or 0,
        )


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def weekly(rows: QuerySet[ConversationEffort], filters: Filters) -> list[Figures]:
    """One ``Figures`` per week of the period (weeks without conversations stay empty)."""
    found: dict[date, Mapping[str, Any]] = {}
    for values in (
        rows.annotate(week=TruncWeek("resolved_at", tzinfo=UTC))
        .values("week")
        .annotate(**_FIGURES)
        .order_by("week")
    ):
        week = values["week"]
        week = week.date() if isinstance(week, datetime) else week
        found[week] = values
    weeks = []
    monday = _monday(filters.start)
    while monday <= filters.end:
        label = monday.strftime("%d %b")
        week = found.get(monday)
        weeks.append(Figures.of(label, week, key=monday) if week else Figures(label, key=monday))
        monday += timedelta(weeks=1)
    return weeks


def total(rows: QuerySet[ConversationEffort]) -> Figures:
    return Figures.of("All", rows.aggregate(**_FIGURES))


def by_team(rows: QuerySet[ConversationEffort], scope: Scope) -> list[Figures]:
    names = {t.pk: t.name for t in scope.teams}
    result = [
        Figures.of(names.get(v["team"], "No team"), v, key=v["team"])
        for v in rows.values("team").annotate(**_FIGURES).order_by("team")
        if scope.everything or v["team"] in names
    ]
    return sorted(result, key=lambda f: f.label)


def by_agent(rows: QuerySet[ConversationEffort], scope: Scope) -> list[Figures]:
    names = {a.pk: a.full_name for a in scope.agents}
    if not scope.everything:
        rows = rows.filter(owner__in=names)
    result = [
        Figures.of(names.get(v["owner"], "Nobody"), v, key=v["owner"])
        for v in rows.values("owner").annotate(**_FIGURES).order_by("owner")
        if v["owner"] in names or (scope.everything and v["owner"] is None)
    ]
    return sorted(result, key=lambda f: f.label)


def worst_mazes(
    scope: Scope, filters: Filters, *, now: datetime | None = None, limit: int = 10
) -> list[ConversationEffort]:
    """The conversations of the last seven days (anything happened to them) that asked the
    most of their customers, highest score first."""
    now = now or timezone.now()
    rows = ConversationEffort.objects.filter(
        last_event_at__gte=now - timedelta(days=7), merged=False, score__gt=0
    )
    rows = _in_scope(rows, scope)
    if filters.team is not None:
        rows = rows.filter(team=filters.team)
    if filters.agent is not None:
        rows = rows.filter(owner=filters.agent)
    return list(
        rows.select_related("conversation", "team", "owner").order_by("-score", "-last_event_at")[
            :limit
        ]
    )


def ces_answers(scope: Scope, filters: Filters) -> QuerySet[ConversationEffort]:
    rows = ConversationEffort.objects.filter(
        ces_answered_at__gte=filters.since, ces_answered_at__lt=filters.until
    )
    rows = _in_scope(rows, scope)
    if filters.team is not None:
        rows = rows.filter(team=filters.team)
    if filters.agent is not None:
        rows = rows.filter(owner=filters.agent)
    return rows.select_related("conversation", "team", "owner").order_by("-ces_answered_at", "-pk")
