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

How: the rules live in ``helpmate.service.judge`` (one implementation). ``attainment`` reads
the judged targets from the tally (``helpmate.service.tally``, folded from the event log by a
periodic job) in a few grouped queries (``helpmate.service.counts``), and judges on the spot
the few conversations of the period that changed since their last fold.
``attainment_from_events`` judges every conversation from its events (the reference the tests
compare with, and what a report with a far-behind tally falls back to).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from helpmate.desk.models import Conversation
from helpmate.people.models import Agent, Team
from helpmate.service.counts import CELL_INDEX, CELLS, Counts, cells_for, count_tally
from helpmate.service.judge import Conv, judge, load_convs, load_events
from helpmate.service.targets import TARGET_NAMES

Outcome = str  # "met" | "missed" | "pending"

# More changed conversations than this in a period, and the report judges the whole period from
# the events (the tally is far behind: right after ``helpmate generate``, or the job is off).
MAX_STALE = 3000


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

    def add(self, outcome: Outcome, n: int = 1) -> None:
        setattr(self, outcome, getattr(self, outcome) + n)

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


def _bucket_of(day: date, bucket: str) -> date:
    return day - timedelta(days=day.weekday()) if bucket == "week" else day


def _id(value: Team | Agent | int | None) -> int | None:
    return value if isinstance(value, int) or value is None else value.pk


def _count_judged(
    convs: dict[int, Conv],
    counts: Counts,
    *,
    team_id: int | None,
    agent_id: int | None,
    now: datetime,
) -> None:
    """Judge these conversations from their events (loaded here) into ``counts``."""
    convs = {
        pk: c
        for pk, c in convs.items()
        if not c.merged and (team_id is None or c.team_id == team_id)
    }
    load_events(convs)
    for conv in convs.values():
        day = conv.day
        for verdict in judge(conv):
            if agent_id is not None and verdict.agent_id != agent_id:
                continue
            cells = cells_for(counts, (conv.team_id, verdict.agent_id, day))
            cells[CELL_INDEX[(verdict.target, verdict.at(now))]] += 1


def _cohort(start: datetime, end: datetime) -> Any:
    return Conversation.objects.filter(created_at__gte=start, created_at__lt=end)


def attainment(
    *,
    start: datetime,
    end: datetime,
    team: Team | int | None = None,
    agent: Agent | int | None = None,
    now: datetime | None = None,
) -> AttainmentReport:
    """Target attainment for conversations created in [start, end) (see the module docstring
    for the return shape and what is counted), from the tally and the few conversations
    changed since their last fold."""
    from helpmate.service import tally

    now = now or timezone.now()
    team_id, agent_id = _id(team), _id(agent)
    current = tally.state()
    stale = None
    if current.rules == tally.rules_fingerprint():
        stale = tally.changed_since_fold(
            folded_through=current.folded_through, start=start, end=end
        )
    if stale is None or len(stale) > MAX_STALE:
        # Targets or calendars changed since the last fold, or the job is far behind.
        return attainment_from_events(start=start, end=end, team=team, agent=agent, now=now)
    counts: Counts = {}
    count_tally(
        counts, start=start, end=end, team_id=team_id, agent_id=agent_id, now=now, leave_out=stale
    )
    if stale:
        convs = load_convs(Conversation.objects.filter(pk__in=sorted(stale)))
        _count_judged(convs, counts, team_id=team_id, agent_id=agent_id, now=now)
    return _report(counts, start=start, end=end)


def attainment_from_events(
    *,
    start: datetime,
    end: datetime,
    team: Team | int | None = None,
    agent: Agent | int | None = None,
    now: datetime | None = None,
) -> AttainmentReport:
    """The same report judged from every event of the period's conversations (no tally)."""
    now = now or timezone.now()
    team_id = _id(team)
    rows = _cohort(start, end).filter(merged_into__isnull=True)
    if team_id is not None:
        rows = rows.filter(team_id=team_id)
    counts: Counts = {}
    _count_judged(load_convs(rows), counts, team_id=team_id, agent_id=_id(agent), now=now)
    return _report(counts, start=start, end=end)


def _report(counts: Counts, *, start: datetime, end: datetime) -> AttainmentReport:
    bucket = "day" if end - start <= timedelta(days=62) else "week"
    # Each group's counts go into four lists (references only), summed column by column.
    teams_of: dict[int | None, list[list[int]]] = defaultdict(list)
    agents_of: dict[int | None, list[list[int]]] = defaultdict(list)
    periods_of: dict[date, list[list[int]]] = defaultdict(list)
    bucket_of: dict[date, date] = {}
    for (team_id, who, created), cells in counts.items():
        teams_of[team_id].append(cells)
        agents_of[who].append(cells)
        day = bucket_of.get(created)
        if day is None:
            day = bucket_of[created] = _bucket_of(created, bucket)
        periods_of[day].append(cells)

    def summed(groups: list[list[int]]) -> list[int]:
        return [sum(column) for column in zip(*groups, strict=True)]

    by_team = {key: summed(groups) for key, groups in teams_of.items()}
    by_agent = {key: summed(groups) for key, groups in agents_of.items()}
    by_period = {key: summed(groups) for key, groups in periods_of.items()}
    total = summed(list(by_team.values())) if by_team else [0] * len(CELLS)

    def row(key: Any, label: str, cells: list[int]) -> Row:
        found = Row(key, label)
        for (target, outcome), n in zip(CELLS, cells, strict=True):
            found.get(target).add(outcome, n)
        return found

    team_names = dict(
        Team.objects.filter(pk__in=[k for k in by_team if k]).values_list("pk", "name")
    )
    agent_names = dict(
        Agent.objects.filter(pk__in=[k for k in by_agent if k]).values_list("pk", "full_name")
    )
    teams = [
        row(key, team_names.get(key, "No team") if key else "No team", cells)
        for key, cells in by_team.items()
        if any(cells)
    ]
    agents = [
        row(key, agent_names.get(key, "Nobody") if key else "Nobody", cells)
        for key, cells in by_agent.items()
        if any(cells)
    ]
    periods = {day: row(day, day.isoformat(), cells) for day, cells in by_period.items()}
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
        overall=row(None, "All", total),
        teams=sorted(teams, key=lambda r: (r.key is None, r.label)),
        agents=sorted(agents, key=lambda r: (r.key is None, r.label)),
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
