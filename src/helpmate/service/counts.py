"""Counting for the attainment report: the nine counts (target x outcome) per team, credited
agent and day that ``helpmate.service.metrics`` turns into rows, and reading them from the tally
(``helpmate.service.tally``) in a few grouped queries."""

from __future__ import annotations

from datetime import date, datetime
from operator import add, neg
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from helpmate.service.models import TallyDay, TargetTally
from helpmate.service.targets import TARGET_NAMES

# (team id, credited agent id, day created) -> the nine counts of CELLS (target x outcome)
Counts = dict[tuple[int | None, int | None, date], list[int]]

OUTCOMES = ("met", "missed", "pending")
CELLS = [(t, o) for t in TARGET_NAMES for o in OUTCOMES]  # the 9 counts of a group, in order
CELL_INDEX = {cell: i for i, cell in enumerate(CELLS)}


def cells_for(counts: Counts, key: tuple[int | None, int | None, date]) -> list[int]:
    found = counts.get(key)
    if found is None:
        found = counts[key] = [0] * len(CELLS)
    return found


def _add_grouped(rows: QuerySet[TargetTally], counts: Counts, *, now: datetime, sign: int) -> None:
    """Add (or subtract) these tally rows, grouped in SQL per day, team and agent into the nine
    counts (a pending target past its due time is missed, as ``Verdict.at`` says)."""
    overdue = Q(outcome="pending", due_at__lt=now)
    when = {
        "met": Q(outcome="met"),
        "missed": Q(outcome="missed") | overdue,
        "pending": Q(outcome="pending") & ~overdue,
    }
    sums = {
        f"{target}_{outcome}": Count("pk", filter=Q(target=target) & when[outcome])
        for target, outcome in CELLS
    }
    grouped = rows.values_list("day", "team_id", "agent_id").annotate(**sums).order_by()
    # A plain cursor: Django's per-row conversions cost more than the query here.
    sql, params = grouped.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for day, team, agent, *values in cursor.fetchall():
            cells = cells_for(counts, (team, agent, _day(day)))
            cells[:] = map(add, cells, values if sign > 0 else map(neg, values))


_DAYS: dict[Any, date] = {}


def _day(value: Any) -> date:
    """SQLite gives dates as text (parsed once each), PostgreSQL as dates."""
    if isinstance(value, date):
        return value
    found = _DAYS.get(value)
    if found is None:
        if len(_DAYS) > 10_000:
            _DAYS.clear()
        found = _DAYS[value] = date.fromisoformat(value)
    return found


DECIDED = [(t, o) for t, o in CELLS if o != "pending"]  # TallyDay's columns, in this order


def count_tally(
    counts: Counts,
    *,
    start: datetime,
    end: datetime,
    team_id: int | None,
    agent_id: int | None,
    now: datetime,
    leave_out: set[int],
) -> None:
    """The period's tally: decided targets of the whole days inside it from ``TallyDay``; the
    two partial days at its ends and the pending targets row by row; the share of the
    conversations in ``leave_out`` (judged on the spot instead) taken out again."""
    first, last = timezone.localtime(start).date(), timezone.localtime(end).date()
    rows = TargetTally.objects.all()
    days = TallyDay.objects.filter(day__gt=first, day__lt=last)
    if team_id is not None:
        rows = rows.filter(team_id=team_id)
        days = days.filter(team_key=team_id)
    if agent_id is not None:
        rows = rows.filter(agent_id=agent_id)
        days = days.filter(agent_key=agent_id)
    sums = days.values_list("day", "team_key", "agent_key", *[f"{t}_{o}" for t, o in DECIDED])
    sql, params = sums.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for (
            day,
            team,
            agent,
            fr_met,
            fr_missed,
            nr_met,
            nr_missed,
            res_met,
            res_missed,
        ) in cursor.fetchall():
            cells = cells_for(counts, (team or None, agent or None, _day(day)))
            # In the order of CELLS; nothing pending in the day sums.
            values = (fr_met, fr_missed, 0, nr_met, nr_missed, 0, res_met, res_missed, 0)
            cells[:] = map(add, cells, values)
    live = rows.exclude(tally_id__in=sorted(leave_out)) if leave_out else rows
    ends = live.filter(day__in=sorted({first, last}), created_at__gte=start, created_at__lt=end)
    _add_grouped(ends, counts, now=now, sign=1)
    _add_grouped(
        live.filter(outcome="pending", day__gt=first, day__lt=last), counts, now=now, sign=1
    )
    if leave_out:
        taken = rows.filter(tally_id__in=sorted(leave_out), day__gt=first, day__lt=last)
        _add_grouped(taken.exclude(outcome="pending"), counts, now=now, sign=-1)
