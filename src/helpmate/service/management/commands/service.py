"""``helpmate service recompute [--all]``: bring conversations' due times up to date, with a
progress bar; ``helpmate service misses``: record missed targets now (what the worker does every
minute)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helpmate.service.actions import recompute_due_times
from helpmate.service.jobs import record_misses
from helpmate.web.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Service targets. 'recompute' fills in the due times of open conversations that have "
        "none (rows written by 'helpmate generate'); with --all it recomputes every open "
        "conversation (after targets or calendars changed). 'misses' records missed targets."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        again = sub.add_parser("recompute", help="recompute conversations' due times")
        again.add_argument(
            "--all", action="store_true", help="every open conversation, not only missing ones"
        )
        again.add_argument("--batch-size", type=int, default=500)
        again.add_argument("--no-progress", action="store_true", help="no progress bar")
        sub.add_parser("misses", help="record targets that passed unmet (TARGET_MISSED events)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "misses":
            self.stdout.write(f"Recorded {record_misses()} missed targets.")
            return
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        kwargs: dict[str, Any] = {
            "only_missing": not options["all"],
            "batch_size": options["batch_size"],
        }
        started = time.perf_counter()
        seen = 0
        with progress_bar("Recomputing due times", enabled=not options["no_progress"]) as bar:

            def tick(done: int, total: int) -> None:
                nonlocal seen
                seen = done
                bar(done, total)

            changed = recompute_due_times(**kwargs, progress=tick)
        seconds = time.perf_counter() - started
        rate = f" ({seen / max(seconds, 1e-9):,.0f} conversations/s)" if seen else ""
        checked = f" of {seen}" if seen else ""
        self.stdout.write(
            f"Due times recomputed: {changed} conversations changed{checked} "
            f"in {seconds:.1f} s{rate}."
        )
