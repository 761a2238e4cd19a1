"""``helpmate service recompute [--all]``: bring conversations' due times up to date, with a
progress bar; ``helpmate service misses``: record missed targets now (what the worker does every
minute); ``helpmate service tally [--full]``: fold the event log into the attainment tally (what
the worker does every minute; after ``helpmate generate`` it catches up with a progress bar)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helpmate.service.actions import recompute_due_times
from helpmate.service.jobs import record_misses
from helpmate.service.tally import run_tally
from helpmate.web.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Service targets. 'recompute' fills in the due times of open conversations that have "
        "none (rows written by 'helpmate generate'); with --all it recomputes every open "
        "conversation (after targets or calendars changed). 'misses' records missed targets. "
        "'tally' folds the event log into the attainment tally (--full: every conversation)."
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
        fold = sub.add_parser("tally", help="fold the event log into the attainment tally")
        fold.add_argument(
            "--full", action="store_true", help="judge every conversation, not only changed ones"
        )
        fold.add_argument("--batch-size", type=int, default=500)
        fold.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "misses":
            self.stdout.write(f"Recorded {record_misses()} missed targets.")
            return
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        if options["action"] == "tally":
            self._tally(options)
            return
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

    def _tally(self, options: dict[str, Any]) -> None:
        with progress_bar(
            "Folding the attainment tally", enabled=not options["no_progress"]
        ) as bar:
            result = run_tally(full=options["full"], batch_size=options["batch_size"], progress=bar)
        held = f", {result.skipped} held by another worker" if result.skipped else ""
        self.stdout.write(
            f"Attainment tally: {result.conversations} conversations judged{held} in "
            f"{result.seconds:.1f} s ({result.per_second:,.0f} conversations/s); events folded "
            f"through #{result.folded_through}."
        )
