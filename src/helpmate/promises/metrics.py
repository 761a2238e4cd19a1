"""Promise figures, derived from the event log only (PROMISE_MADE, PROMISE_KEPT, ...).

For each promise the last outcome event in the period decides what it counts as (a broken
promise kept later counts as kept late). Rates are shares of the *decided* promises: kept
(early, on time, late), renegotiated before they were due, and broken; cancelled ones are listed
but not counted in the rates.

- kept rate: kept early or on time / decided
- kept-early rate (overdelivery): kept early / decided
- renegotiated-before-due share: renegotiated / decided
- broken rate: broken / decided (kept late is shown on its own)
- median margin: the median of (due - kept) over kept promises, in minutes (positive: early)
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from helpmate.desk.models import Event, EventType
from helpmate.people.models import Agent, Team

OUTCOME_TYPES = (
    EventType.PROMISE_KEPT,
    EventType.PROMISE_RENEGOTIATED,
    EventType.PROMISE_BROKEN,
    EventType.PROMISE_CANCELLED,
)
OUTCOMES = ("kept_early", "kept_on_time", "kept_late", "renegotiated", "broken", "cancelled")


@dataclass
class Figures:
    label: str
    made: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    margins: list[int] = field(default_factory=list)

    @property
    def kept(self) -> int:
        return self.counts["kept_early"] + self.counts["kept_on_time"] + self.counts["kept_late"]

    @property
    def decided(self) -> int:
        return self.kept + self.counts["renegotiated"] + self.counts["broken"]

    def _rate(self, value: int) -> float | None:
        return round(100 * value / self.decided, 1) if self.decided else None

    @property
    def kept_rate(self) -> float | None:
        return self._rate(self.counts["kept_early"] + self.counts["kept_on_time"])

    @property
    def kept_early_rate(self) -> float | None:
        return self._rate(self.counts["kept_early"])

    @property
    def kept_late_rate(self) -> float | None:
        return self._rate(self.counts["kept_late"])

    @property
    def renegotiated_rate(self) -> float | None:
        return self._rate(self.counts["renegotiated"])

    @property
    def broken_rate(self) -> float | None:
        return self._rate(self.counts["broken"])

    @property
    def median_margin_minutes(self) -> int | None:
        return int(statistics.median(self.margins)) if self.margins else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "made": self.made,
            **self.counts,
            "decided": self.decided,
            "kept_rate": self.kept_rate,
            "kept_early_rate": self.kept_early_rate,
            "kept_late_rate": self.kept_late_rate,
            "renegotiated_rate": self.renegotiated_rate,
            "broken_rate": self.broken_rate,
            "median_margin_minutes": self.median_margin_minutes,
        }


@dataclass
class Report:
    start: datetime
    end: datetime
    total: Figures
    by_agent: list[Figures]
    by_team: list[Figures]
    by_week: list[Figures]


def _outcome(event: dict[str, Any]) -> str:
    kind = event["type"]
    if kind == EventType.PROMISE_KEPT:
        return "kept_" + str(event["data"].get("outcome", "on_time"))
    if kind == EventType.PROMISE_RENEGOTIATED:
        return "renegotiated"
    if kind == EventType.PROMISE_BROKEN:
        return "broken"
    return "cancelled"


def _monday(at: datetime) -> date:
    day = at.date()
    return day - timedelta(days=day.weekday())


def promise_report(
    *, start: datetime, end: datetime, team: int | None = None, agent: int | None = None
) -> Report:
    """The figures for promises whose events fall in [start, end), optionally one team's (the
    conversation's team when the event was written) or one agent's (who made the promise)."""
    events = Event.objects.filter(
        type__in=(EventType.PROMISE_MADE, *OUTCOME_TYPES),
        created_at__gte=start,
        created_at__lt=end,
    )
    if team is not None:
        events = events.filter(data__team=team)
    if agent is not None:
        events = events.filter(data__agent=agent)
    rows: list[dict[str, Any]] = [
        dict(r) for r in events.order_by("created_at", "pk").values("type", "created_at", "data")
    ]

    last: dict[int, dict[str, Any]] = {}
    made: list[dict[str, Any]] = []
    for row in rows:
        promise = row["data"].get("promise")
        if not isinstance(promise, int):
            continue
        if row["type"] == EventType.PROMISE_MADE:
            made.append(row)
        else:
            last[promise] = row

    agent_ids = {r["data"].get("agent") for r in [*made, *last.values()]} - {None}
    team_ids = {r["data"].get("team") for r in [*made, *last.values()]} - {None}
    agent_names = dict(Agent.objects.filter(pk__in=agent_ids).values_list("pk", "full_name"))
    team_names = dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "name"))

    total = Figures("All")
    per_agent: dict[Any, Figures] = {}
    per_team: dict[Any, Figures] = {}
    per_week: dict[date, Figures] = {}

    def groups(row: dict[str, Any]) -> list[Figures]:
        a, t = row["data"].get("agent"), row["data"].get("team")
        week = _monday(row["created_at"])
        return [
            total,
            per_agent.setdefault(a, Figures(agent_names.get(a, "Unknown agent"))),
            per_team.setdefault(t, Figures(team_names.get(t, "No team"))),
            per_week.setdefault(week, Figures(f"{week:%d %b}")),
        ]

    for row in made:
        for figures in groups(row):
            figures.made += 1
    for row in last.values():
        outcome = _outcome(row)
        margin = row["data"].get("margin_minutes")
        for figures in groups(row):
            figures.counts[outcome] += 1
            if outcome.startswith("kept_") and isinstance(margin, int):
                figures.margins.append(margin)

    # Every week of the period, also the empty ones, so the trend has no holes.
    weeks: list[Figures] = []
    week = _monday(start)
    while datetime.combine(week, datetime.min.time(), tzinfo=start.tzinfo) < end:
        weeks.append(per_week.get(week, Figures(f"{week:%d %b}")))
        week += timedelta(days=7)
    return Report(
        start=start,
        end=end,
        total=total,
        by_agent=sorted(per_agent.values(), key=lambda f: f.label),
        by_team=sorted(per_team.values(), key=lambda f: f.label),
        by_week=weeks[-60:],
    )


CSV_COLUMNS = [
    "group",
    "label",
    "made",
    *OUTCOMES,
    "decided",
    "kept_rate",
    "kept_early_rate",
    "kept_late_rate",
    "renegotiated_rate",
    "broken_rate",
    "median_margin_minutes",
]


def csv_rows(report: Report) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for group, items in (
        ("total", [report.total]),
        ("agent", report.by_agent),
        ("team", report.by_team),
        ("week", report.by_week),
    ):
        for item in items:
            data = item.as_dict()
            rows.append([group, *(("" if data[c] is None else data[c]) for c in CSV_COLUMNS[1:])])
    return rows
