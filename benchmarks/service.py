"""Figures for service targets at a chosen data size: business-time arithmetic per call, the
recompute rate of ``helpmate service recompute``, the "Due soon" inbox page, the missed-target
job and the attainment report. Prints a table; nothing here is a test.

    python benchmarks/service.py --conversations 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpmate_bench python benchmarks/service.py

The database is built (once) with ``helpmate generate`` in benchmarks/.data/ (shared with
benchmarks/run.py). Each run first clears its due times and recorded misses (as ``generate``
leaves them), so it measures the first recompute and the first missed-target run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import prepare, timed  # prepare sets up Django on the benchmark database


def row(name: str, value: str, note: str = "") -> None:
    print(f"| {name:<44} | {value:>16} | {note} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--messages-per-conversation", type=int, default=5)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    prepare(args)

    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from helpmate.desk import selectors
    from helpmate.desk.models import OPEN_STATUSES, Conversation
    from helpmate.people.models import Agent
    from helpmate.service import actions
    from helpmate.service.calendar import (
        add_business_time,
        business_time_between,
        make_calendar,
    )
    from helpmate.service.metrics import attainment

    total = Conversation.objects.count()
    open_count = Conversation.objects.filter(status__in=OPEN_STATUSES).count()
    print(f"\n{connection.vendor}, {total:,} conversations ({open_count:,} open)\n")
    print(f"| {'measure':<44} | {'value':>16} | note |")
    print(f"|{'-' * 46}|{'-' * 18}|------|")

    cal = make_calendar(
        time_zone="Europe/London",
        hours={d: "09:00-12:30, 13:30-17:00" for d in ("mon", "tue", "wed", "thu", "fri")},
        holidays={datetime(2026, 12, 25).date(): []},
    )
    start = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
    n = 20_000
    started = time.perf_counter()
    for i in range(n):
        add_business_time(start + timedelta(minutes=i), timedelta(hours=4), cal)
    per_add = (time.perf_counter() - started) / n * 1e6
    row("add_business_time(4 h), per call", f"{per_add:.1f} µs", "lunch break, weekend")
    started = time.perf_counter()
    for i in range(n):
        add_business_time(start + timedelta(minutes=i), timedelta(hours=40), cal)
    row("add_business_time(40 h), per call", f"{(time.perf_counter() - started) / n * 1e6:.1f} µs")
    started = time.perf_counter()
    for i in range(2000):
        business_time_between(start, start + timedelta(days=90, minutes=i), cal)
    row(
        "business_time_between(90 days), per call",
        f"{(time.perf_counter() - started) / 2000 * 1e6:.0f} µs",
    )

    # Start from what 'helpmate generate' leaves: no due times, no recorded misses.
    from helpmate.desk.models import Event
    from helpmate.service.models import TargetMiss

    Conversation.objects.filter(due_at__isnull=False).update(
        due_at=None, first_response_due_at=None, next_response_due_at=None, resolution_due_at=None
    )
    TargetMiss.objects.all().delete()
    Event.objects.filter(type="target_missed").delete()

    started = time.perf_counter()
    changed = actions.recompute_due_times(only_missing=True)
    seconds = time.perf_counter() - started
    if changed:
        row(
            "recompute (missing due times)",
            f"{changed / seconds:,.0f} conv/s",
            f"{changed:,} in {seconds:.1f} s",
        )
    started = time.perf_counter()
    rest = actions.recompute_due_times()
    seconds = time.perf_counter() - started
    row(
        "recompute --all (nothing to change)",
        f"{open_count / max(seconds, 1e-9):,.0f} conv/s",
        f"{rest} changed, {seconds:.1f} s",
    )

    now = timezone.now()
    started = time.perf_counter()
    missed = 0
    while True:
        done = actions.record_missed_targets(now=now, limit=500)
        missed += done
        if done < 500:
            break
    row(
        "missed-target job, first run",
        f"{(time.perf_counter() - started):.1f} s",
        f"{missed:,} misses recorded",
    )
    again = timed(lambda: actions.record_missed_targets(now=now, limit=500), 5)
    row("missed-target job, next runs (p50)", f"{statistics.median(again):.0f} ms", "nothing new")

    agent = Agent.objects.filter(role="admin").first() or Agent.objects.first()
    assert agent is not None
    client = Client()
    client.force_login(agent.user)
    for url in ("/desk/?view=open", "/desk/?view=due", "/desk/?view=due&page=3"):
        status = client.get(url).status_code
        times = sorted(timed(lambda url=url: client.get(url), args.requests))
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        row(
            f"GET {url} p50 / p95",
            f"{statistics.median(times):.0f} / {p95:.0f} ms",
            f"HTTP {status}",
        )
    rows = selectors._inbox_rows(agent.user, "due", selectors.InboxFilters()).order_by(
        "due_at", "pk"
    )
    sql, params = rows.values_list("pk", flat=True)[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(prefix + sql, params)
        plan = " / ".join(str(r[-1]) for r in cursor.fetchall())
    print(f"\nDue-soon plan: {plan}\n")

    end = (
        Conversation.objects.order_by("-created_at").values_list("created_at", flat=True).first()
        or now
    )
    for days in (7, 30):
        times = timed(lambda days=days: attainment(start=end - timedelta(days=days), end=end), 3)
        report = attainment(start=end - timedelta(days=days), end=end)
        first = report.overall.first_response
        row(
            f"attainment(), last {days} days",
            f"{statistics.median(times):,.0f} ms",
            f"{first.total + first.pending:,} conversations",
        )


if __name__ == "__main__":
    main()
