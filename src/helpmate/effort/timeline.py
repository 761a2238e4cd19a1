"""One conversation's journey: who had it when, and how long the customer waited at each step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from helpmate.effort.clock import Clock
from helpmate.effort.models import ConversationEffort
from helpmate.effort.score import WEIGHTS, breakdown
from helpmate.people.models import Agent, Team

VIA = {"created": "Opened", "assigned": "Assigned", "transferred": "Handed over"}


@dataclass(frozen=True)
class Step:
    number: int
    via: str
    start: datetime
    end: datetime | None
    team_id: int | None
    team: str
    owner_id: int | None
    owner: str
    by: str
    wait_seconds: int
    waiting_now: bool

    @property
    def held(self) -> timedelta:
        return (self.end or timezone.now()) - self.start


def steps_of(row: ConversationEffort, *, now: datetime | None = None) -> list[Step]:
    """The row's steps with names (two queries); the running wait counts in the last step."""
    raw = row.steps or []
    team_ids = {s["team"] for s in raw if s.get("team")}
    agent_ids = {s[k] for s in raw for k in ("owner", "by") if s.get(k)}
    teams = dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "name"))
    agents = dict(Agent.objects.filter(pk__in=agent_ids).values_list("pk", "full_name"))
    running = ongoing_wait(row, now=now) - row.ongoing_wait_seconds if row.waiting_since else 0
    result = []
    for i, s in enumerate(raw):
        last = i == len(raw) - 1
        result.append(
            Step(
                number=i + 1,
                via=VIA.get(s.get("via", ""), s.get("via", "")),
                start=datetime.fromisoformat(s["start"]),
                end=datetime.fromisoformat(s["end"]) if s.get("end") else row.resolved_at,
                team_id=s.get("team"),
                team=teams.get(s.get("team"), "No team"),
                owner_id=s.get("owner"),
                owner=agents.get(s.get("owner"), "Nobody"),
                by=agents.get(s.get("by"), "the customer" if s.get("via") == "created" else ""),
                wait_seconds=int(s.get("wait", 0)) + (running if last else 0),
                waiting_now=last and row.waiting_since is not None,
            )
        )
    return result


def ongoing_wait(row: ConversationEffort, *, now: datetime | None = None) -> int:
    """Seconds of the wait still running (0 when nobody waits on us)."""
    if row.waiting_since is None or row.step_wait_since is None:
        return 0
    now = now or timezone.now()
    return row.ongoing_wait_seconds + Clock().seconds(row.step_wait_since, now, row.team_id)


LABELS = {
    "wait_hours": "Waiting on us",
    "long_wait_hours": "Longest wait beyond 4 h",
    "handoffs": "Handoffs",
    "extra_teams": "Teams beyond the first",
    "extra_messages": "Messages beyond the first",
    "reopenings": "Reopenings",
    "repeats": "Repeat contacts",
    "owner_hours": "Time to a named owner beyond 2 h",
}


def score_parts(row: ConversationEffort) -> list[tuple[str, float, float]]:
    """(label, points, cap) for each part of the score."""
    parts = breakdown(row)
    return [(LABELS[name], parts[name], WEIGHTS[name].cap) for name in WEIGHTS]
