"""Service-target attainment read from the tally, at a chosen data size: ``attainment()`` for
several periods, the promise report page (which shows it), the API's JSON and CSV, the same
right after fresh replies the job has not folded yet, and the from-scratch computation for
comparison. Prints a table (p50 / p95 over several runs); nothing here is a test.

    export HELPMATE_DATA_DIR=/tmp/bench-100k
    helpmate migrate && helpmate generate --conversations 100000 --seed 42
    helpmate service recompute --all && helpmate service tally
    python benchmarks/attainment.py --data-dir $HELPMATE_DATA_DIR

``--fold`` first refolds the whole tally (``helpmate service tally --full``) and reports its rate.
The fresh-reply rows write real replies into the benchmark database.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import prepare, timed  # prepare sets up Django on the benchmark database


def line(name: str, times: list[float], queries: int | str = "") -> None:
    ordered = sorted(times)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(f"| {name:<52} | {p50:>8.1f} | {p95:>8.1f} | {queries!s:>7} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--messages-per-conversation", type=int, default=5)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--requests", type=int, default=20, help="timed runs per row")
    parser.add_argument("--fold", action="store_true", help="refold the whole tally first")
    parser.add_argument("--fresh", type=int, default=20, help="unfolded replies for that row")
    args = parser.parse_args()
    prepare(args)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from helpmate.desk import actions as desk
    from helpmate.desk.models import OPEN_STATUSES, Conversation
    from helpmate.people.models import Agent
    from helpmate.service.metrics import attainment, attainment_from_events
    from helpmate.service.models import TargetTally
    from helpmate.service.tally import run_tally

    if args.fold:
        result = run_tally(full=True)
        print(f"\nFull fold: {result.conversations:,} conversations in {result.seconds:.0f} s "
              f"({result.per_second:,.0f}/s)")  # fmt: skip
    run_tally()  # what the job would have done by now
    print(
        f"\n{connection.vendor}, {Conversation.objects.count():,} conversations, "
        f"{TargetTally.objects.count():,} tally rows\n"
    )
    print(f"| {'measure':<52} | {'p50 ms':>8} | {'p95 ms':>8} | {'queries':>7} |")
    print(f"|{'-' * 54}|{'-' * 10}|{'-' * 10}|{'-' * 9}|")

    def queries(func: Callable[[], object]) -> int:
        with CaptureQueriesContext(connection) as seen:
            func()
        return len(seen.captured_queries)

    now = timezone.now()
    for days in (7, 30, 90, 365):

        def report(days: int = days) -> object:
            return attainment(start=now - timedelta(days=days), end=now)

        report()
        line(f"attainment(), last {days} days", timed(report, args.requests), queries(report))

    lead = Agent.objects.filter(role="admin").first() or Agent.objects.first()
    assert lead is not None
    client = Client()
    client.force_login(lead.user)
    urls = [
        ("GET /promises/report/?days=90 (page with the section)", reverse("promises:report")),
        ("GET /api/reports/targets?days=90", "/api/reports/targets"),
        ("GET /api/reports/targets.csv?days=90", "/api/reports/targets.csv"),
    ]
    for name, url in urls:

        def get(url: str = url) -> None:
            assert client.get(url, {"days": "90"}).status_code == 200

        get()
        line(name, timed(get, args.requests), queries(get))

    # Replies made a moment ago, not folded yet: judged on read.
    convs = list(
        Conversation.objects.filter(
            status__in=OPEN_STATUSES, created_at__gte=now - timedelta(days=30)
        ).order_by("-pk")[: args.fresh]
    )
    for conv in convs:
        desk.add_reply(conversation=conv, agent=lead, text="Looking at it now.")

    def fresh() -> object:
        return attainment(start=now - timedelta(days=90), end=now)

    line(
        f"attainment(), 90 days, {len(convs)} replies not yet folded",
        timed(fresh, args.requests),
        queries(fresh),
    )
    job = timed(lambda: run_tally(), 1)
    line("the job folding those replies", job)
    line("the job with nothing to fold", timed(lambda: run_tally(), 5))

    def scratch() -> object:
        return attainment_from_events(start=now - timedelta(days=90), end=now)

    line("from scratch (every event), 90 days, for comparison", timed(scratch, 3))


if __name__ == "__main__":
    main()
